"""A fast constructive plan: a starting point for CP-SAT and the yardstick it must beat.

Meetings with the fewest still-feasible options go first (must-haves before optional ones),
ties towards participants with the most requests per free grain; each takes the feasible
option that adds the fewest breaks to its participants' days (a meeting that follows the
previous one after exactly the pause or the journey adds none), so blocks grow rather than
new breaks appear.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict

from trademission.planner.options import Index, Option
from trademission.planner.problem import ONLINE, Placement, Plan


class State:
    """Who is busy when, table use and daily counts of a partial plan."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.busy: dict[str, dict[int, str]] = defaultdict(dict)
        self.tables: dict[tuple[str, int], int] = defaultdict(int)
        self.per_day: dict[tuple[str, int], int] = defaultdict(int)
        self.placed: dict[str, Option] = {}
        self.caps = {v.id: v.tables for v in index.problem.venues}
        self.max_day = {p.id: p.max_per_day for p in index.problem.participants}
        self.followers: dict[str, list[str]] = defaultdict(list)
        for m in index.problem.meetings:
            for before in m.after:
                self.followers[before].append(m.id)

    def _span(self, pid: str, opt: Option) -> range:
        cal = self.index.problem.calendar
        close = cal.to_global(opt.day, cal.days[opt.day].close)
        return range(opt.start, min(opt.end + self.index.pause(pid), close))

    def fits(self, mid: str, opt: Option) -> bool:
        cap = self.caps.get(opt.venue)
        if cap is not None and any(
            self.tables[(opt.venue, t)] >= cap for t in range(opt.start, opt.end)
        ):
            return False
        meeting = self.index.meetings[mid]
        for pid in meeting.participants:
            busy = self.busy[pid]
            limit = self.max_day.get(pid)
            if limit is not None and self.per_day[(pid, opt.day)] >= limit:
                return False
            if any(t in busy for t in self._span(pid, opt)) or not self._travel_ok(pid, opt):
                return False
        return self._order_ok(mid, opt)

    def _travel_ok(self, pid: str, opt: Option) -> bool:
        """Check the gap to this participant's placed meetings at other venues."""
        if not self.index.gap_grains or self.index.venues[opt.venue].kind == ONLINE:
            return True
        pause = self.index.pause(pid)
        for other in self.index.by_participant.get(pid, ()):
            o = self.placed.get(other)
            if o is None or o.day != opt.day or o.venue == opt.venue:
                continue
            if self.index.venues[o.venue].kind == ONLINE:
                continue
            if o.end <= opt.start < o.end + max(pause, self.index.travel(o.venue, opt.venue)):
                return False
            if opt.end <= o.start < opt.end + max(pause, self.index.travel(opt.venue, o.venue)):
                return False
        return True

    def _order_ok(self, mid: str, opt: Option) -> bool:
        for before in self.index.meetings[mid].after:
            o = self.placed.get(before)
            if o is not None and o.end > opt.start:
                return False
        for other in self.followers.get(mid, ()):
            o = self.placed.get(other)
            if o is not None and opt.end > o.start:
                return False
        return True

    def place(self, mid: str, opt: Option) -> None:
        self.placed[mid] = opt
        for t in range(opt.start, opt.end):
            self.tables[(opt.venue, t)] += 1
        for pid in self.index.meetings[mid].participants:
            self.per_day[(pid, opt.day)] += 1
            for t in self._span(pid, opt):
                self.busy[pid][t] = mid

    def remove(self, mid: str) -> None:
        opt = self.placed.pop(mid)
        for t in range(opt.start, opt.end):
            self.tables[(opt.venue, t)] -= 1
        for pid in self.index.meetings[mid].participants:
            self.per_day[(pid, opt.day)] -= 1
            for t in self._span(pid, opt):
                self.busy[pid].pop(t, None)

    def added_breaks(self, mid: str, opt: Option) -> int:
        """How many breaks placing this option adds to its participants' days (it may close
        one: negative)."""
        n = 0
        for pid in self.index.meetings[mid].participants:
            pred = succ = None
            for other in self.index.by_participant.get(pid, ()):
                o = self.placed.get(other)
                if o is None or o.day != opt.day:
                    continue
                if o.end <= opt.start and (pred is None or o.end > pred.end):
                    pred = o
                elif o.start >= opt.end and (succ is None or o.start < succ.start):
                    succ = o
            if pred is not None and succ is not None:
                n -= self._idle_between(pid, pred, succ)
            if pred is not None:
                n += self._idle_between(pid, pred, opt)
            if succ is not None:
                n += self._idle_between(pid, opt, succ)
        return n

    def _idle_between(self, pid: str, a: Option, b: Option) -> bool:
        """Is there a break between a and b (``validate.count_breaks``' rule)?"""
        need = max(self.index.pause(pid), self.index.travel(a.venue, b.venue))
        cal = self.index.problem.calendar
        base = cal.to_global(b.day, 0)
        lunch = cal.days[b.day].breaks
        return any(
            not any(s <= t - base < e for s, e in lunch) for t in range(a.end + need, b.start)
        )

    def touching(self, mid: str, opt: Option) -> int:
        """How many participants already have a meeting right before or after this option."""
        n = 0
        for pid in self.index.meetings[mid].participants:
            busy = self.busy[pid]
            n += (opt.start - 1 in busy) + (opt.end + self.index.pause(pid) in busy)
        return n

    def plan(self) -> Plan:
        return Plan(
            placements=tuple(
                Placement(mid, o.start, o.venue) for mid, o in sorted(self.placed.items())
            )
        )


def _pressure(index: Index) -> dict[str, float]:
    """Requests per free grain of each participant: the over-booked go first on ties."""
    grains = sum(d.close - d.open for d in index.problem.calendar.days)
    return {
        pid: len(mids) / max(1, grains - len(index.blocked.get(pid, ())))
        for pid, mids in index.by_participant.items()
    }


def _near(a: Option, b: Option, reach: int) -> bool:
    """Could placing ``a`` make ``b`` infeasible for a shared participant?"""
    return a.day == b.day and b.start < a.end + reach and a.start < b.end + reach


def _demand(index: Index, state: State, feasible: dict[str, set[int]], mid: str) -> Counter[int]:
    """How many other unplaced meetings of this meeting's participants could use each start."""
    demand: Counter[int] = Counter()
    for pid in index.meetings[mid].participants:
        for other in index.by_participant.get(pid, ()):
            if other != mid and other not in state.placed:
                opts = index.options[other]
                demand.update({opts[i].start for i in feasible.get(other, ())})
    return demand


def _choose(
    index: Index,
    state: State,
    feasible: dict[str, set[int]],
    mid: str,
    guide: dict[str, list[float]] | None,
    compact: bool,
) -> Option | None:
    """Guided by an LP (large events): the option with the highest LP value, then the start
    fewest other meetings of its participants still need, then one that extends a block.
    Unguided and ``compact``: the option that adds the fewest breaks first (on the mission
    generator's events the plan then starts with 1-10 breaks instead of 55-72, holding as
    many meetings). None when nothing fits."""
    opts = index.options[mid]
    choice = [opts[i] for i in sorted(feasible[mid]) if state.fits(mid, opts[i])]
    if not choice:
        return None
    demand = _demand(index, state, feasible, mid)
    if guide is None and compact:
        return min(
            choice,
            key=lambda o: (
                state.added_breaks(mid, o),
                demand[o.start],
                -state.touching(mid, o),
                o.start,
            ),
        )
    lp = dict(zip(opts, (guide or {}).get(mid, ()), strict=False))
    return min(
        choice,
        key=lambda o: (
            -round(lp.get(o, 0.0), 1),
            demand[o.start],
            -state.touching(mid, o),
            o.start,
        ),
    )


def _lost(
    index: Index, state: State, feasible: dict[str, set[int]], placed: Option, mid: str, reach: int
) -> list[str]:
    """Drop the options a new placement made infeasible; return the meetings that lost some."""
    changed = []
    for pid in index.meetings[mid].participants:
        for other in index.by_participant.get(pid, ()):
            if other in state.placed:
                continue
            oo = index.options[other]
            gone = {
                i
                for i in feasible[other]
                if _near(placed, oo[i], reach) and not state.fits(other, oo[i])
            }
            if gone:
                feasible[other] -= gone
                changed.append(other)
    return changed


def greedy_plan(
    index: Index,
    state: State | None = None,
    guide: dict[str, list[float]] | None = None,
    *,
    compact: bool = True,
) -> State:
    """Place as many meetings as possible, most constrained first; ``compact=False`` is the
    simple greedy the benchmark measures against (no look at the breaks an option adds).

    Order: must-haves, then the LP's held value (when guided), then fewest feasible options
    left, heavier, over-booked participants. Feasible options are tracked per meeting and
    updated only near a new placement, so the order stays exact at a cost linear in the
    event size (stale heap entries are skipped).
    """
    state = state or State(index)
    pressure = _pressure(index)
    reach = max(index.gap_grains.values(), default=0) + max(index.pauses.values(), default=0) + 1
    feasible = {
        mid: {i for i, o in enumerate(opts) if state.fits(mid, o)}
        for mid, opts in index.options.items()
        if mid not in state.placed
    }
    lp_held = {mid: round(sum(v), 1) for mid, v in (guide or {}).items()}

    def key(mid: str) -> tuple[int, float, int, int, float, str]:
        m = index.meetings[mid]
        urgency = -sum(pressure[p] for p in m.participants)
        return (not m.required, -lp_held.get(mid, 1.0), len(feasible[mid]), -m.weight, urgency, mid)

    heap = [key(mid) for mid in feasible]
    heapq.heapify(heap)
    while heap:
        item = heapq.heappop(heap)
        mid = item[-1]
        if mid in state.placed or item[2] != len(feasible[mid]):
            continue  # placed already, or a stale entry
        best = _choose(index, state, feasible, mid, guide, compact)
        if best is None:
            feasible[mid] = set()
            continue
        state.place(mid, best)
        for other in _lost(index, state, feasible, best, mid, reach):
            heapq.heappush(heap, key(other))
    return state
