"""A fast constructive plan: a starting point for CP-SAT and the yardstick it must beat.

Meetings with the fewest still-feasible options go first (must-haves before optional ones),
ties towards participants with the most requests per free grain; each takes the feasible
option that touches most of its participants' existing meetings, so blocks grow rather than
new breaks appear.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

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
        for other, o in self.placed.items():
            if mid in self.index.meetings[other].after and opt.end > o.start:
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


def greedy_plan(index: Index, state: State | None = None) -> State:
    """Place as many meetings as possible, most constrained first.

    Counts of feasible options are kept up to date for the meetings that share a participant
    with a newly placed one (lazy heap: stale entries are skipped).
    """
    state = state or State(index)
    pressure = _pressure(index)
    count = {mid: len(opts) for mid, opts in index.options.items() if mid not in state.placed}

    def key(mid: str) -> tuple[int, int, int, float, str]:
        m = index.meetings[mid]
        return (not m.required, count[mid], -m.weight, -sum(pressure[p] for p in m.participants), mid)

    heap = [key(mid) for mid in count]
    heapq.heapify(heap)
    while heap:
        item = heapq.heappop(heap)
        mid = item[-1]
        if mid in state.placed or item[1] != count[mid]:
            continue
        feasible = [o for o in index.options[mid] if state.fits(mid, o)]
        if not feasible:
            continue
        best = max(feasible, key=lambda o: (state.touching(mid, o), -o.start))
        state.place(mid, best)
        for pid in index.meetings[mid].participants:
            for other in index.by_participant.get(pid, ()):
                if other in count and other not in state.placed:
                    fresh = sum(state.fits(other, o) for o in index.options[other])
                    if fresh != count[other]:
                        count[other] = fresh
                        heapq.heappush(heap, key(other))
    return state
