"""Large events (thousands of participants): LP bound, LP-guided greedy, then local search.

One CP-SAT model of a 1,000-participant event is too big to improve on in a minute, and its
bound proves nothing. Instead: HiGHS gives the LP bound and per-option LP values; a greedy
rounds them. Events of one-slot, two-party meetings at one venue (brokerage) then go to
``repair.py``: ejection chains and a plateau walk for more meetings, Kempe interchanges for
fewer breaks. Others get large-neighbourhood search, which repeatedly frees the meetings of
a few participants (those of unplaced meetings first) and lets CP-SAT re-place them with all
else fixed — first to hold more meetings, then, at that number, to remove breaks.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict

from ortools.sat.python import cp_model

from trademission.planner.greedy import State, greedy_plan
from trademission.planner.lp_bound import lp_relaxation
from trademission.planner.options import Index, Option, timeline
from trademission.planner.phases import Progress, ProgressFn, StopFn
from trademission.planner.problem import Placement, Result, Status
from trademission.planner.repair import Slots, applicable
from trademission.planner.validate import count_breaks

Lit = cp_model.IntVar
HELD_SHARE = 0.6  # of the time left after the LP and the greedy, at most: more meetings
NEIGHBOURHOOD = 60  # participants freed per LNS step: sub-models solve in well under a second


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

    def held(self) -> cp_model.LinearExpr:
        w = self.index.meetings
        lits = [(v, w[m].weight) for m, opts in self.x.items() for _, v in opts]
        return cp_model.LinearExpr.weighted_sum([v for v, _ in lits], [c for _, c in lits])

    def breaks(self, people: set[str]) -> cp_model.LinearExpr:
        """Break ends of these participants along each day, fixed meetings as constants."""
        one = self.cp.new_bool_var("one")
        self.cp.add(one == 1)
        ends: list[Lit] = []
        problem = self.index.problem
        for pid in sorted(people):
            busy = self.state.busy.get(pid, {})
            for d in range(len(problem.calendar.days)):
                line = []
                for t in timeline(problem, d):
                    lits = self.cover.get((pid, t), [])
                    line.append(one if t in busy else self._busy(lits, pid, t))
                ends.extend(self._ends(line, pid))
        return cp_model.LinearExpr.sum(ends)

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
    index: Index, state: State, rng: random.Random, focus: list[str], seeds: list[str]
) -> set[str]:
    """Participants around a few unplaced meetings (or given seeds), breadth-first."""
    seeds = seeds or [
        p for m in rng.sample(focus, min(len(focus), 6)) for p in index.meetings[m].participants
    ]
    people: set[str] = set()
    queue = seeds or [rng.choice(list(index.by_participant))]
    while queue and len(people) < NEIGHBOURHOOD:
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
    people: set[str],
    stage: str,
    workers: int,
    limit: float,
    window: tuple[list[str], set[int]] | None = None,
) -> int:
    """Free every meeting of these participants (or of a slot window) and re-place them."""
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
        sub.cp.minimize(sub.breaks(touched))
    sub.hint(before)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit
    solver.parameters.num_workers = workers
    status = solver.solve(sub.cp)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for m, o in before.items():
            state.place(m, o)
        return 0
    sub.apply(solver)
    return round(solver.objective_value) - held_before if stage == "held" else 0


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
    greedy_breaks = _breaks(index, state)
    if applicable(index):
        _repair(index, state, t0, deadline, progress, stop, bound)
        return _large_result(index, state, bound, t0, greedy_breaks)
    rng = random.Random(0)
    held_until = t0 + time_limit * 0.6
    _lns(index, state, "held", held_until, deadline, workers, rng, progress, stop, bound, t0)
    _lns(index, state, "breaks", deadline, deadline, workers, rng, progress, stop, bound, t0)
    return _large_result(index, state, bound, t0, greedy_breaks)


def _repair(
    index: Index,
    state: State,
    t0: float,
    deadline: float,
    progress: ProgressFn | None,
    stop: StopFn | None,
    bound: float,
) -> None:
    """One-slot, two-party events: ejection chains for more meetings, then Kempe
    interchanges for fewer breaks (``repair.py``); no CP-SAT needed."""
    slots = Slots(index, state)

    def held() -> None:
        if progress:
            progress(Progress("held", slots.held(), bound, time.monotonic() - t0))

    def breaks() -> None:
        if progress:
            progress(Progress("breaks", slots.breaks(), 0.0, time.monotonic() - t0))

    now = time.monotonic()
    slots.improve_held(now + (deadline - now) * HELD_SHARE, bound, stop, held)
    slots.improve_breaks(deadline - 0.5, stop, breaks)
    slots.to_state(state)


def _lns(
    index: Index,
    state: State,
    stage: str,
    until: float,
    deadline: float,
    workers: int,
    rng: random.Random,
    progress: ProgressFn | None,
    stop: StopFn | None,
    bound: float,
    t0: float,
) -> None:
    while time.monotonic() < min(until, deadline) - 0.5 and not (stop and stop()):
        unplaced = [m for m in index.meetings if m not in state.placed]
        if stage == "held" and not unplaced:
            return
        limit = min(5.0, until - time.monotonic())
        if stage == "breaks" and rng.random() < 0.5 and _one_slot(index):
            _step(index, state, set(), stage, workers, limit, _slot_window(index, state, rng))
        else:
            seeds = [] if stage == "held" else _most_breaks(index, state, rng)
            people = _neighbourhood(index, state, rng, unplaced, seeds)
            _step(index, state, people, stage, workers, limit)
        if progress:
            held = sum(index.meetings[m].weight for m in state.placed)
            progress(Progress(stage, held, bound, time.monotonic() - t0))


def _one_slot(index: Index) -> bool:
    return all(m.duration == 1 for m in index.meetings.values()) and not any(index.pauses.values())


def _most_breaks(index: Index, state: State, rng: random.Random) -> list[str]:
    """A few participants drawn among those with the most breaks."""
    placements = [Placement(m, o.start, o.venue) for m, o in state.placed.items()]
    per = count_breaks(index.problem, index.meetings, placements)
    worst = sorted((p for p in per if per[p]), key=lambda p: -per[p])[:200]
    return rng.sample(worst, min(len(worst), 4))


def _breaks(index: Index, state: State) -> int:
    placements = [Placement(m, o.start, o.venue) for m, o in state.placed.items()]
    return sum(count_breaks(index.problem, index.meetings, placements).values())


def _large_result(
    index: Index, state: State, bound: float, t0: float, greedy_breaks: int
) -> Result:
    from trademission.planner.explain import explain_unplaced

    plan = state.plan()
    held = sum(index.meetings[m].weight for m in state.placed)
    objectives: dict[str, float] = {
        "meetings": held,
        "meetings_held": len(state.placed),
        "breaks": _breaks(index, state),
        "greedy_breaks": greedy_breaks,
        "lp_bound": bound,
    }
    status = Status.OPTIMAL if held >= bound else Status.FEASIBLE
    return Result(
        status,
        plan,
        objectives,
        {"meetings": bound},
        (bound - held) / max(1.0, bound),
        time.monotonic() - t0,
        unplaced=explain_unplaced(index, plan),
    )
