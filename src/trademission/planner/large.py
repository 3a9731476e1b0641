"""Large events (thousands of participants): LP bound, LP-guided greedy, then local search.

One CP-SAT model of a 1,000-participant event is too big to improve on in a minute, and its
bound proves nothing. Instead: HiGHS gives the LP bound and per-option LP values; a greedy
rounds them. Events of one-slot, two-party meetings at one venue (brokerage) then go to
``repair.py``: ejection chains and a plateau walk for more meetings, Kempe interchanges for
fewer breaks. Others get large-neighbourhood search, which repeatedly frees the meetings of
a few participants (those of unplaced meetings first) and lets CP-SAT re-place them with all
else fixed — first to hold more meetings, then, at that number, to remove breaks.

A fairness bound d is not part of the greedy or of the search for meetings: the break phase
repairs it first (moves and neighbourhoods judged on breaks above the fewest + d, then on
breaks), leaving out meetings where that is the only way (``fairness.py``). The plan is
checked by ``validate`` before it is returned: one that still breaks a rule is not returned
(status UNKNOWN, with the reason).
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from trademission.planner.break_floor import breaks_floor
from trademission.planner.fairness import FairSlots, breaks_of, make_fair, tally
from trademission.planner.greedy import State, greedy_plan
from trademission.planner.lp_bound import lp_relaxation
from trademission.planner.options import Index, Option, timeline
from trademission.planner.phases import Progress, ProgressFn, StopFn
from trademission.planner.problem import ONLINE, Plan, Result, Status, Unplaced
from trademission.planner.repair import Tally, applicable
from trademission.planner.validate import validate

Lit = cp_model.IntVar
HELD_SHARE = 0.6  # of the time left after the LP and the greedy, at most: more meetings
NEIGHBOURHOOD = 60  # participants freed per LNS step: sub-models solve in well under a second
FAIR_NEIGHBOURHOOD = 12  # around one participant over the fairness bound


class _Sub:
    """A CP-SAT model of the freed meetings, the rest of the plan fixed."""

    def __init__(
        self, index: Index, state: State, freed: list[str], window: set[int] | None = None
    ) -> None:
        self.cp = cp_model.CpModel()
        self.index, self.state = index, state
        self.x: dict[str, list[tuple[Option, Lit]]] = {}
        self.cover: dict[tuple[str, int], list[Lit]] = defaultdict(list)
        tables: dict[tuple[str, int], list[Lit]] = defaultdict(list)
        for mid in freed:
            opts = [
                o
                for o in index.options[mid]
                if (window is None or o.start in window) and state.fits(mid, o)
            ]
            self.x[mid] = [(o, self.cp.new_bool_var(f"x[{mid}@{o.start}]")) for o in opts]
            if len(opts) > 1:
                self.cp.add_at_most_one([v for _, v in self.x[mid]])
            for o, v in self.x[mid]:
                for pid in index.meetings[mid].participants:
                    for t in state._span(pid, o):
                        self.cover[(pid, t)].append(v)
                for t in range(o.start, o.end):
                    tables[(o.venue, t)].append(v)
        for lits in self.cover.values():
            if len(lits) > 1:
                self.cp.add_at_most_one(lits)
        for (venue, t), lits in tables.items():
            cap = state.caps.get(venue)
            if cap is not None and len(lits) > cap - state.tables[(venue, t)]:
                self.cp.add(sum(lits) <= cap - state.tables[(venue, t)])
        # the fixed meetings are in state.fits; these are the rules between freed ones
        self._per_day()
        self._journeys()
        self._order()

    def _per_day(self) -> None:
        days: dict[tuple[str, int], list[Lit]] = defaultdict(list)
        for mid, opts in self.x.items():
            for pid in self.index.meetings[mid].participants:
                if self.state.max_day.get(pid) is not None:
                    for o, v in opts:
                        days[(pid, o.day)].append(v)
        for (pid, day), lits in days.items():
            room = (self.state.max_day[pid] or 0) - self.state.per_day[(pid, day)]
            if len(lits) > room:
                self.cp.add(sum(lits) <= room)

    def _journeys(self) -> None:
        """Two freed meetings of a participant at venues further apart than the time
        between them (as ``State._travel_ok`` has it) are not both held so."""
        index = self.index
        if not index.gap_grains:
            return
        reach = max(index.gap_grains.values())
        mine: dict[str, list[tuple[Option, Lit, str]]] = defaultdict(list)
        for mid, opts in self.x.items():
            for o, v in opts:
                if index.venues[o.venue].kind != ONLINE:
                    for pid in index.meetings[mid].participants:
                        mine[pid].append((o, v, mid))
        for pid, items in mine.items():
            items.sort(key=lambda i: i[0].start)
            pause = index.pause(pid)
            for i, (a, va, ma) in enumerate(items):
                for b, vb, mb in items[i + 1 :]:
                    if b.start >= a.end + max(reach, pause):
                        break
                    if ma == mb or a.day != b.day or a.venue == b.venue:
                        continue
                    if a.end <= b.start < a.end + max(pause, index.travel(a.venue, b.venue)):
                        self.cp.add_bool_or([va.Not(), vb.Not()])

    def _order(self) -> None:
        for mid, opts in self.x.items():
            for before in self.index.meetings[mid].after:
                for b, vb in self.x.get(before, ()):
                    for o, v in opts:
                        if b.end > o.start:
                            self.cp.add_bool_or([v.Not(), vb.Not()])

    def held(self) -> cp_model.LinearExpr:
        w = self.index.meetings
        lits = [(v, w[m].weight) for m, opts in self.x.items() for _, v in opts]
        return cp_model.LinearExpr.weighted_sum([v for v, _ in lits], [c for _, c in lits])

    def breaks(self, people: set[str], cap: int | None) -> cp_model.LinearExpr:
        """Break ends of these participants along each day, fixed meetings as constants;
        with a cap, each end beyond it weighs more than all the ends together."""
        one = self.cp.new_bool_var("one")
        self.cp.add(one == 1)
        ends: list[Lit] = []
        over: list[cp_model.IntVar] = []
        problem = self.index.problem
        for pid in sorted(people):
            busy = self.state.busy.get(pid, {})
            mine: list[Lit] = []
            for d in range(len(problem.calendar.days)):
                line = []
                for t in timeline(problem, d):
                    lits = self.cover.get((pid, t), [])
                    line.append(one if t in busy else self._busy(lits, pid, t))
                mine.extend(self._ends(line, pid))
            ends.extend(mine)
            if cap is not None and len(mine) > cap:
                excess = self.cp.new_int_var(0, len(mine) - cap, f"over[{pid}]")
                self.cp.add(excess >= sum(mine) - cap)
                over.append(excess)
        return (len(ends) + 1) * cp_model.LinearExpr.sum(over) + cp_model.LinearExpr.sum(ends)

    def _busy(self, lits: list[Lit], pid: str, t: int) -> Lit | None:
        if not lits:
            return None
        if len(lits) == 1:
            return lits[0]
        b = self.cp.new_bool_var(f"busy[{pid}@{t}]")
        self.cp.add(sum(lits) == b)
        return b

    def _ends(self, line: list[Lit | None], pid: str) -> list[Lit]:
        cp, ends = self.cp, []
        seen: Lit | None = None
        prev: Lit | None = None
        for b in line:
            if b is not None and seen is not None:
                e = cp.new_bool_var(f"end[{pid}]")
                clause = [e, b.Not(), seen.Not()] + ([prev] if prev is not None else [])
                cp.add_bool_or(clause)
                ends.append(e)
            if b is not None:
                s = cp.new_bool_var(f"seen[{pid}]")
                cp.add_bool_or([s.Not(), b] + ([seen] if seen is not None else []))
                cp.add_implication(b, s)
                if seen is not None:
                    cp.add_implication(seen, s)
                seen = s
            prev = b
        return ends

    def hint(self, before: dict[str, Option]) -> None:
        for mid, opts in self.x.items():
            for o, v in opts:
                self.cp.add_hint(v, before.get(mid) == o)

    def apply(self, solver: cp_model.CpSolver) -> None:
        for mid, opts in self.x.items():
            for o, v in opts:
                if solver.boolean_value(v):
                    self.state.place(mid, o)


def _neighbourhood(
    index: Index,
    state: State,
    rng: random.Random,
    focus: list[str],
    seeds: list[str],
    size: int = NEIGHBOURHOOD,
) -> set[str]:
    """Participants around a few unplaced meetings (or given seeds), breadth-first."""
    seeds = seeds or [
        p for m in rng.sample(focus, min(len(focus), 6)) for p in index.meetings[m].participants
    ]
    people: set[str] = set()
    queue = seeds or [rng.choice(list(index.by_participant))]
    while queue and len(people) < size:
        pid = queue.pop(0)
        if pid in people:
            continue
        people.add(pid)
        others = [
            p
            for m in index.by_participant.get(pid, ())
            if m in state.placed
            for p in index.meetings[m].participants
        ]
        rng.shuffle(others)
        queue.extend(others[:4])
    return people


def _slot_window(index: Index, state: State, rng: random.Random) -> tuple[list[str], set[int]]:
    """All meetings placed in a few random grains of one day, free to swap among them."""
    starts = sorted({o.start for o in state.placed.values()})
    if not starts:
        return [], set()
    day = index.problem.calendar.day_of(rng.choice(starts))
    same_day = [t for t in starts if index.problem.calendar.day_of(t) == day]
    window = set(rng.sample(same_day, min(len(same_day), 3)))
    return sorted(m for m, o in state.placed.items() if o.start in window), window


def _step(
    index: Index,
    state: State,
    tally: Tally[str],
    people: set[str],
    stage: str,
    workers: int,
    limit: float,
    window: tuple[list[str], set[int]] | None = None,
) -> int:
    """Free every meeting of these participants (or of a slot window) and re-place them;
    kept when it holds no less weight and, on breaks, (excess, total) does not rise."""
    if window is None:
        freed = sorted({m for p in people for m in index.by_participant.get(p, ())})
    else:
        freed = window[0]
    before = {m: state.placed[m] for m in freed if m in state.placed}
    for m in before:
        state.remove(m)
    sub = _Sub(index, state, freed, window[1] if window else None)
    held_before = sum(index.meetings[m].weight for m in before)
    touched = {p for m in freed for p in index.meetings[m].participants}
    if stage == "held":
        sub.cp.maximize(sub.held())
    else:
        sub.cp.add(sub.held() >= held_before)
        sub.cp.minimize(sub.breaks(touched, tally.cap()))
    sub.hint(before)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit
    solver.parameters.num_workers = workers
    status = solver.solve(sub.cp)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        _put_back(state, freed, before)
        return 0
    sub.apply(solver)
    gain = sum(index.meetings[m].weight for m in freed if m in state.placed) - held_before
    if gain < 0:  # the time ran out before the hint was repaired
        _put_back(state, freed, before)
        return 0
    # the sub-model counts a journey as idle and cannot see the fewest breaks move: the
    # step is judged on the breaks validate counts
    after = breaks_of(index, state, touched)
    if stage == "held":
        tally.set(after)
    elif not tally.keep(after):
        _put_back(state, freed, before)
        return 0
    return gain


def _put_back(state: State, freed: list[str], before: dict[str, Option]) -> None:
    for m in freed:
        if m in state.placed:
            state.remove(m)
    for m, o in before.items():
        state.place(m, o)


def solve_large(
    index: Index,
    greedy: State,
    t0: float,
    time_limit: float,
    workers: int,
    progress: ProgressFn | None,
    stop: StopFn | None,
) -> Result:
    deadline = t0 + time_limit
    bound, guide = lp_relaxation(index, time_limit=max(1.0, time_limit * 0.5))
    state = greedy_plan(index, greedy, guide)
    greedy_breaks = tally(index, state).total
    dropped: dict[str, str] = {}
    if applicable(index):
        dropped = _repair(index, state, t0, deadline, progress, stop, bound)
    else:
        rng = random.Random(0)
        fair = tally(index, state)

        def report(stage: str) -> None:
            if progress:
                held = sum(index.meetings[m].weight for m in state.placed)
                progress(Progress(stage, held, bound, time.monotonic() - t0))

        def lns(stage: str, until: float) -> None:
            _lns(index, state, fair, stage, until, deadline, workers, rng, report, stop)

        lns("held", t0 + time_limit * 0.6)
        # those the neighbourhoods did not bring under the bound lose meetings, and the
        # rest of the time goes on the breaks of the plan that is left
        lns("breaks", t0 + time_limit * (0.8 if fair.d is not None else 1.0))
        dropped = make_fair(index, state, fair)
        lns("breaks", deadline)
    dropped.update(make_fair(index, state, tally(index, state)))
    return _large_result(index, state, bound, t0, greedy_breaks, dropped)


def _repair(
    index: Index,
    state: State,
    t0: float,
    deadline: float,
    progress: ProgressFn | None,
    stop: StopFn | None,
    bound: float,
) -> dict[str, str]:
    """One-slot, two-party events: ejection chains for more meetings, then Kempe
    interchanges for fewer breaks (``repair.py``), leaving meetings out where a fairness
    bound needs it (``fairness.py``); no CP-SAT needed. Returns those left out, with why."""
    slots = FairSlots(index, state)

    def held() -> None:
        if progress:
            progress(Progress("held", slots.held(), bound, time.monotonic() - t0))

    floor = 0  # on the breaks at the weight held (none with a fairness bound: it may shed)

    def breaks() -> None:
        if progress:
            progress(Progress("breaks", slots.breaks(), floor, time.monotonic() - t0))

    now = time.monotonic()
    slots.improve_held(now + (deadline - now) * HELD_SHARE, bound, stop, held)
    if index.problem.fairness is None:
        floor = breaks_floor(index, slots.held())
    slots.improve_breaks(deadline - 0.5, stop, breaks)
    slots.to_state(state)
    return slots.why_left_out()


def _lns(
    index: Index,
    state: State,
    tally: Tally[str],
    stage: str,
    until: float,
    deadline: float,
    workers: int,
    rng: random.Random,
    report: Callable[[str], None],
    stop: StopFn | None,
) -> None:
    while time.monotonic() < min(until, deadline) - 0.5 and not (stop and stop()):
        unplaced = [m for m in index.meetings if m not in state.placed]
        if stage == "held" and not unplaced:
            return
        limit = min(5.0, until - time.monotonic())
        if stage == "breaks" and rng.random() < 0.5 and _one_slot(index) and not tally.excess():
            window = _slot_window(index, state, rng)
            _step(index, state, tally, set(), stage, workers, limit, window)
        elif stage == "breaks" and tally.excess():
            # one participant over the bound and those around it: small enough to be
            # settled in a second, so that many of them are
            seeds = rng.sample(tally.over(), 1)
            people = _neighbourhood(index, state, rng, unplaced, seeds, FAIR_NEIGHBOURHOOD)
            _step(index, state, tally, people, stage, workers, min(limit, 1.0))
        else:
            seeds = [] if stage == "held" else _most_breaks(tally, rng)
            people = _neighbourhood(index, state, rng, unplaced, seeds)
            _step(index, state, tally, people, stage, workers, limit)
        report(stage)


def _one_slot(index: Index) -> bool:
    return all(m.duration == 1 for m in index.meetings.values()) and not any(index.pauses.values())


def _most_breaks(tally: Tally[str], rng: random.Random) -> list[str]:
    """A few participants drawn among those with the most breaks."""
    worst = sorted((p for p, n in tally.per.items() if n), key=lambda p: -tally.per[p])[:200]
    return rng.sample(worst, min(len(worst), 4))


def _large_result(
    index: Index,
    state: State,
    bound: float,
    t0: float,
    greedy_breaks: int,
    dropped: dict[str, str],
) -> Result:
    from trademission.planner.explain import explain_unplaced

    plan = state.plan()
    held = sum(index.meetings[m].weight for m in state.placed)
    objectives: dict[str, float] = {
        "meetings": held,
        "meetings_held": len(state.placed),
        "breaks": tally(index, state).total,
        "greedy_breaks": greedy_breaks,
        "lp_bound": bound,
    }
    seconds, gap = time.monotonic() - t0, (bound - held) / max(1.0, bound)
    wrong = validate(index.problem, plan)
    if wrong:  # never hand out a plan that breaks a rule, say why there is none
        d = index.problem.fairness
        why = (
            f"no plan was found in time with each participant's breaks within {d} of the"
            f" fewest anyone has (fairness bound d = {d}): {len(wrong)} participants over it"
            if all(v.rule == "fairness" for v in wrong)
            else f"the best plan found breaks a rule: {wrong[0].message}"
        )
        return Result(
            Status.UNKNOWN,
            Plan(()),
            {"greedy_breaks": greedy_breaks, "lp_bound": bound},
            {"meetings": bound},
            1.0,
            seconds,
            explanation=(why,),
        )
    unplaced = tuple(
        Unplaced(u.meeting, dropped.get(u.meeting, u.reason)) for u in explain_unplaced(index, plan)
    )
    status = Status.OPTIMAL if held >= bound else Status.FEASIBLE
    bounds = {"meetings": bound, "breaks": breaks_floor(index, held)}
    return Result(status, plan, objectives, bounds, gap, seconds, unplaced=unplaced)
