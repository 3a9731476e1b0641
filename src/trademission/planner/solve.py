"""The entry point: build the options, a greedy start, the model, and run the phases.

Objectives, lexicographic: (1) priority-weighted meetings held, (2) when re-planning, fewest
moved meetings, (3) fewest breaks under the fairness bound, (4) least travel (``travel.py``);
the problem's ``objectives`` say which of breaks and travel run. Large events go to
``large.py``.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace

from ortools.sat.python import cp_model

from trademission.planner import days
from trademission.planner.break_floor import breaks_floor
from trademission.planner.explain import (
    explain_unplaced,
    overloaded,
    required_overload,
    required_without_options,
)
from trademission.planner.fairness import left_out_reason, make_fair, tally
from trademission.planner.greedy import State, greedy_plan
from trademission.planner.model import Model, build_model
from trademission.planner.options import Index, build_index
from trademission.planner.phases import Placed, Progress, ProgressFn, Run, StopFn
from trademission.planner.problem import (
    Placement,
    Plan,
    Problem,
    Result,
    Status,
    Unplaced,
    objectives_error,
)
from trademission.planner.repair import Tally
from trademission.planner.travel import minutes_travelled, shorten_travel
from trademission.planner.validate import count_breaks, validate

__all__ = ["Progress", "solve"]
UNBOUNDED = 10**6
LARGE_OPTIONS = 60_000  # beyond this many (meeting, start, venue) options: large.py
HOLD_SHARE = 0.3  # of the time, at most, to put in what the greedy left out, day by day
HOLD_ALL_SHARE = 0.35  # of the time left: then all of them at once (stops when found)


def solve(
    problem: Problem,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    fairness: int | None = None,
    previous_plan: Plan | None = None,
    progress: ProgressFn | None = None,
    stop: StopFn | threading.Event | None = None,
    objectives: tuple[str, ...] | None = None,
) -> Result:
    """Plan the problem's meetings; see docs/planner.md for the objectives and the phases.

    ``progress`` receives every improving solution (phase, objective, bound, seconds);
    ``stop`` (a callable or a threading.Event) is polled and, once true, the search ends with
    the best plan so far.
    """
    t0 = time.monotonic()
    if isinstance(stop, threading.Event):
        stop = stop.is_set
    d = problem.fairness if fairness is None else fairness
    if d is not None:
        problem = replace(problem, fairness=d)
    if objectives is not None:
        why = objectives_error(objectives)
        if why:
            raise ValueError(f"objectives {objectives!r}: {why}")
        problem = replace(problem, objectives=tuple(objectives))
    index = build_index(problem)
    missing = required_without_options(index) or required_overload(index)
    if missing:
        return _infeasible(missing, t0)
    start = _start_state(index, previous_plan)
    if sum(len(o) for o in index.options.values()) > LARGE_OPTIONS:
        from trademission.planner.large import solve_large

        return solve_large(index, start, t0, time_limit, workers, progress, stop)
    greedy = greedy_plan(index, start)
    placed = {m: (o.start, o.venue) for m, o in greedy.placed.items()}
    by_day = days.applicable(index)
    if by_day and len(placed) < len(index.meetings) and not overloaded(index):
        placed = days.hold_more(index, placed, t0 + HOLD_SHARE * time_limit, workers)
    if previous_plan is not None and _moved_count(index, placed, previous_plan) > len(
        _forced(index, previous_plan)
    ):
        by_day = False  # fewest moves unproven: the whole-event model minimises them
    run = Run(
        index,
        _model(index, d, placed, by_day),
        t0,
        t0 + time_limit,
        workers,
        progress,
        stop,
        placed,
    )
    return _phases(run, previous_plan)


def _model(index: Index, d: int | None, placed: dict[str, tuple[int, str]], by_day: bool) -> Model:
    """The whole-event model, unless the search by day (``days.py``) starts from a plan that
    holds every meeting (fair or not: the search makes it fair first). On a five-day mission
    it takes a second to build."""
    if by_day:
        weight = _holdable(index)
        plan = Plan(tuple(Placement(m, s, v) for m, (s, v) in placed.items()))
        if sum(index.meetings[m].weight for m in placed) == weight and not validate(
            replace(index.problem, fairness=None), plan
        ):
            return Model(cp_model.CpModel(), index, {})
        return build_model(index, d, with_breaks=d is not None)
    return build_model(index, d)


def _hold_all(run: Run, weight: int) -> bool:
    """Several days, some meetings still out: first ask for all of them as a plain
    satisfaction run (mission seed 7: found in 1.6-1.8 s, where maximising from the plan that
    missed one had not found it in 4 s; with 20 % of the time left, 1.6 s, it missed twice in
    a row, with 35 % it found them in three runs of three and the plan was proven optimal in
    9.5-9.7 s)."""
    model = run.model
    guard = model.cp.add(model.held_weight() >= weight)
    try:  # no objective: Run._solve reports no progress for it
        _, status = run._solve("meetings", HOLD_ALL_SHARE, trial=True, hint_plan=False)
    finally:
        guard.proto.clear_linear()
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    run.objectives["meetings"] = run.bound["meetings"] = weight
    model.cp.add(model.held_weight() == weight)
    if run.progress:
        run.progress(Progress("meetings", weight, weight, time.monotonic() - run.t0))
    return True


def _optional_held(index: Index, placed: dict[str, tuple[int, str]]) -> bool:
    return any(not index.meetings[m].required for m in placed)


def _fair(index: Index, placed: dict[str, tuple[int, str]]) -> bool:
    plan = Plan(tuple(Placement(m, s, v) for m, (s, v) in placed.items()))
    return not validate(index.problem, plan)


def _holdable(index: Index) -> int:
    """The weight of the meetings with a time left to them: no plan holds more."""
    return sum(m.weight for mid, m in index.meetings.items() if index.options.get(mid))


def _forced(index: Index, previous: Plan) -> list[str]:
    """Previous meetings still requested whose time and venue is no option any more (an
    unavailability, a changed session...): every plan moves them."""
    return [
        p.meeting
        for p in previous.placements
        if p.meeting in index.options
        and not any((o.start, o.venue) == (p.start, p.venue) for o in index.options[p.meeting])
    ]


def _moved_count(index: Index, placed: dict[str, tuple[int, str]], previous: Plan) -> int:
    """Previous meetings still requested that are not at their previous time and venue (a
    cancelled meeting is not a move)."""
    return sum(
        placed.get(p.meeting) != (p.start, p.venue)
        for p in previous.placements
        if p.meeting in index.meetings
    )


def _moved(model: Model, previous: Plan | None) -> cp_model.LinearExpr | None:
    """Pin pinned/published meetings; return the number of other previous meetings moved."""
    if previous is None or not model.x:
        return None
    kept = []
    placements = [p for p in previous.placements if p.meeting in model.index.meetings]
    for p in placements:
        same = [
            v for o, v in model.x.get(p.meeting, []) if (o.start, o.venue) == (p.start, p.venue)
        ]
        if p.meeting in previous.pinned | previous.published and same:
            model.cp.add(same[0] == 1)
        kept.extend(same)
    return len(placements) - cp_model.LinearExpr.sum(kept)


def _phases(run: Run, previous: Plan | None) -> Result:
    model, index = run.model, run.index
    moved = _moved(model, previous)
    weight = _holdable(index)
    if sum(index.meetings[m].weight for m in run.placed) == weight and not (
        model.x and _optional_held(index, run.placed) and not _fair(index, run.placed)
    ):  # an unfair plan that holds optional meetings may hold too many for the bound
        run.objectives["meetings"] = run.bound["meetings"] = weight  # all held: nothing to do
        if model.x:
            model.cp.add(model.held_weight() == weight)
    elif previous is None and days.applicable(index) and _hold_all(run, weight):
        pass
    elif not run.phase("meetings", model.held_weight(), True, 0.4, _fewer_moved(moved, previous)):
        return _fallback(run, previous)
    if moved is not None and previous is not None and not _fewest_moved(run, moved, previous):
        return _fallback(run, previous)
    travel = index.gap_grains and "travel" in index.problem.objectives
    # objective 3 gets the last slice: the swaps took 0.08 s on the mission, so 3 % (10 %
    # left the breaks search a second short on a 10 s run)
    reserve = min(2.0, 0.03 * (run.deadline - run.t0)) if travel else 0.0
    run.deadline -= reserve
    fair = not validate(index.problem, Plan(tuple(_placements(run))))
    if "breaks" not in index.problem.objectives:
        if model.breaks and not fair:  # the greedy plan is unfair
            _, status = run._solve("fairness", 1.0)
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return _fallback(run, previous)
    elif days.applicable(index) and previous is not None and not model.x:
        if not _replan_by_day(run, previous):
            return _fallback(run, previous)
    elif days.applicable(index) and previous is not None and not model.breaks:
        if not _replace_moved(run, previous):
            return _fallback(run, previous)
    elif days.applicable(index) and previous is None:
        if not _breaks_by_day(run):
            return _fallback(run, previous)
    elif model.breaks:
        upper = UNBOUNDED  # the greedy plan bounds the breaks only when it is fair
        if fair:
            upper = sum(count_breaks(index.problem, index.meetings, _placements(run)).values())
        if not run.breaks(model.total_breaks(), upper):
            return _fallback(run, previous)
    run.deadline += reserve
    frozen = frozenset(run.placed) - _moved_or_new(run, previous) if previous else frozenset()
    if "travel" in index.problem.objectives and not (run.stop and run.stop()):
        run.placed = shorten_travel(index, run.placed, run.deadline, frozen)
    return _result(run, Status.OPTIMAL if run.optimal else Status.FEASIBLE, previous)


def _fewer_moved(
    moved: cp_model.LinearExpr | None, previous: Plan | None
) -> tuple[cp_model.LinearExpr, int] | None:
    """Re-planning: the meetings phase keeps moves few as a tie-break. Without it, the
    mission with 8 new must-haves for its busiest delegate came out of that phase with 114
    of 150 meetings moved, which the "fewest moved" phase then did not mend in its share."""
    if moved is None or previous is None:
        return None
    return moved, len(previous.placements)


def _replan_by_day(run: Run, previous: Plan) -> bool:
    """Re-planning several days from a plan that holds every meeting and moves only those
    that must move: the fewest moves is proven, so every other meeting stays where it was,
    and only the moved and new ones are re-placed, on every day, for the fewest breaks
    (``days.replace_movable``). When that plan is over the fairness bound, the whole-event
    model, with the bound, decides (``_replan_fair``); the last resort leaves meetings out.
    False when no fair plan was found."""
    index = run.index
    optimal = run.optimal
    run.objectives["moved"] = run.bound["moved"] = len(_forced(index, previous))
    days.replace_movable(run, _moved_or_new(run, previous))
    if _fair(index, run.placed):
        return True
    return _replan_fair(run, previous, optimal) or _leave_out_for_fairness(run)


def _replan_fair(run: Run, previous: Plan, optimal: bool) -> bool:
    """Re-planning whose plan by day is unfair: the whole-event model with the fairness bound
    looks for the most meetings, then the fewest moves, then the fewest breaks (found by
    hypothesis: with d = 0, keeping every meeting gave someone 3 breaks, and leaving
    meetings out could not help since they were must-haves, so the run answered UNKNOWN with
    no plan where a fair one moves other meetings). False, the plan by day kept, when that
    model finds nothing."""
    if run.left(1.0) < 1.0 or (run.stop and run.stop()):
        return False
    index, unfair = run.index, dict(run.placed)
    run.model = build_model(index, index.problem.fairness)
    run.hinted, run.optimal = None, optimal  # this model decides: the search by day's verdict goes
    for name in ("meetings", "moved", "breaks"):
        run.objectives.pop(name, None)
        run.bound.pop(name, None)
    moved = _moved(run.model, previous)
    assert moved is not None  # there is a previous plan and a model
    if not run.phase("meetings", run.model.held_weight(), True, 0.4, _fewer_moved(moved, previous)):
        run.placed = unfair
        return False
    _fewest_moved(run, moved, previous)  # there is a plan: it always goes on
    upper = sum(count_breaks(index.problem, index.meetings, _placements(run)).values())
    return run.breaks(run.model.total_breaks(), upper) or _fair(index, run.placed)


def _fewest_moved(run: Run, moved: cp_model.LinearExpr, previous: Plan) -> bool:
    """The "fewest moved" phase. When it finds nothing in its share, the plan in hand (the
    meetings phase kept its moves few) goes on to the breaks with no more moves than it has
    (measured: with 14 new must-haves on the mission, the run used to end there, 4 s early,
    breaks uncut). False only when there is no plan at all."""
    if run.phase("moved", moved, False, 0.3):
        return True
    if not run.solved_once:
        return False
    count = _moved_count(run.index, run.placed, previous)
    run.objectives["moved"], run.bound["moved"] = count, 0
    run.model.cp.add(moved <= count)
    return True


def _moved_or_new(run: Run, previous: Plan) -> set[str]:
    """The meetings of the plan in hand that are not where the previous plan had them."""
    kept = {(p.meeting, p.start, p.venue) for p in previous.placements}
    return {m for m, (s, v) in run.placed.items() if (m, s, v) not in kept}


def _replace_moved(run: Run, previous: Plan) -> bool:
    """Re-planning several days on the whole-event model built without breaks (the greedy
    plan left meetings out; no fairness bound): after the meetings and "fewest moved"
    phases, the meetings not where the previous plan had them are re-placed on every day for
    the fewest breaks, the rest fixed (fast); a plan that moves other meetings may have
    fewer, so with time left the whole-event model, at those meetings and moves, has the
    last word. Before, nothing cut these breaks: 9-10 were left on the mission with 8-14 new
    must-haves for its busiest delegate."""
    optimal = run.optimal
    days.replace_movable(run, _moved_or_new(run, previous))
    breaks = round(run.objectives["breaks"])
    run.optimal = optimal
    if breaks == 0:
        return True
    # the mission's model takes 1.5 s to build and its hint 0.6 s: less, and it cannot search
    if run.left(1.0) < 3.0 or (run.stop and run.stop()):
        run.bound["breaks"], run.optimal = 0, False
        if run.progress:  # replace_movable showed its own bound, which holds for its moves
            run.progress(Progress("breaks", breaks, 0, time.monotonic() - run.t0))
        return True
    index = run.index
    run.model = build_model(index, index.problem.fairness)
    run.model.cp.add(run.model.held_weight() >= round(run.objectives["meetings"]))
    moved = _moved(run.model, previous)  # pins the pinned and published meetings
    assert moved is not None  # there is a previous plan and a model
    run.model.cp.add(moved <= round(run.objectives["moved"]))
    run.hinted = None
    return run.breaks(run.model.total_breaks(), breaks)


def _breaks_by_day(run: Run) -> bool:
    """Search day by day (``days.py``); when every day and pair of days is settled with
    breaks left, the whole-event model may still prove the optimum (small events: it does)."""
    optimal = run.optimal
    settled = _fewest_breaks_by_day(run)
    if days.excess(run.index, run.placed):
        return _fair_at_last(run, optimal)
    if not settled or run.left(1.0) < 0.5 or (run.stop and run.stop()):
        return True
    index = run.index
    if not run.model.breaks:
        run.model = build_model(index, index.problem.fairness)
        run.model.cp.add(run.model.held_weight() >= round(run.objectives["meetings"]))
        run.hinted = None
    run.optimal = optimal
    return run.breaks(run.model.total_breaks(), round(run.objectives["breaks"]))


def _not_in_time(run: Run) -> tuple[str, ...]:
    """Why an UNKNOWN answer has no plan: none was found in time, which more time may change."""
    d, limit = run.index.problem.fairness, f"{round(run.deadline - run.t0, 1):g}"
    if d is not None:
        return (
            f"no plan with each participant's breaks within {d} of the fewest anyone has was"
            f" found within the time limit of {limit} s; a longer run may find one",
        )
    return (
        "no plan holding every must-have meeting was found within the time limit of"
        f" {limit} s; a longer run may find one",
    )


def _fewest_breaks_by_day(run: Run) -> bool:
    """``days.fewest_breaks``; from a plan over the fairness bound, for half the time at
    first, so that the whole-event model has time to find a fair plan if the search by day
    finds none (``_fair_at_last``). Measured on a small two-day mission at d = 0 (seed
    287524, 3 SMEs, 15 meetings): the search by day never got fair, and the whole-event
    model found a fair plan in 0.7 s once it had the time; with all of 4 s gone on the
    former, the answer was UNKNOWN with no plan."""
    if run.index.problem.fairness is None or not days.excess(run.index, run.placed):
        return days.fewest_breaks(run)
    deadline = run.deadline
    run.deadline = time.monotonic() + run.left(0.5)
    try:
        settled = days.fewest_breaks(run)
    finally:
        run.deadline = deadline
    if days.excess(run.index, run.placed) or settled or (run.stop and run.stop()):
        return settled
    return days.fewest_breaks(run)  # fair now: the rest of the time on its breaks


def _fair_at_last(run: Run, optimal: bool) -> bool:
    """The search by day left someone over the fairness bound with every meeting held. With
    time left, the whole-event model looks for the most meetings a fair plan holds, then the
    fewest breaks; a plan still unfair then loses meetings (``fairness.make_fair``: blocks
    of the participants over the bound, never a must-have). False when even that is unfair
    (must-haves force it)."""
    index = run.index
    unfair = dict(run.placed)
    if run.left(1.0) >= 1.0 and not (run.stop and run.stop()):
        run.model = build_model(index, index.problem.fairness)
        run.hinted = None
        run.optimal = optimal  # the search by day's verdict does not count: this model decides
        if run.phase("meetings", run.model.held_weight(), True, 0.5):
            _say_left_out(run, unfair)
            upper = sum(count_breaks(index.problem, index.meetings, _placements(run)).values())
            return run.breaks(run.model.total_breaks(), upper)
        run.placed = unfair
    return _leave_out_for_fairness(run)


def _say_left_out(run: Run, unfair: Placed) -> None:
    """The meetings the unfair plan held and the fair one does not were left out for the
    bound: said of a participant of each that was over it, else of the first."""
    index, d = run.index, run.index.problem.fairness
    placements = [Placement(m, start, venue) for m, (start, venue) in unfair.items()]
    over = set(Tally(count_breaks(index.problem, index.meetings, placements), d).over())
    for mid in sorted(set(unfair) - set(run.placed)):
        people = index.meetings[mid].participants
        who = next((p for p in people if p in over), people[0])
        run.left_out[mid] = left_out_reason(mid, who, d)


def _leave_out_for_fairness(run: Run) -> bool:
    """The last resort on a plan over the fairness bound: ``fairness.make_fair`` leaves out
    blocks of meetings of the participants over it (never a must-have). False when the plan
    is still unfair (must-haves force it)."""
    index = run.index
    state = State(index)
    for mid, (start, venue) in run.placed.items():
        state.place(
            mid, next(o for o in index.options[mid] if (o.start, o.venue) == (start, venue))
        )
    run.left_out = make_fair(index, state, tally(index, state))
    run.placed = {m: (o.start, o.venue) for m, o in state.placed.items()}
    run.optimal = False
    return not validate(index.problem, Plan(tuple(_placements(run))))


def _placements(run: Run) -> list[Placement]:
    return [Placement(m, s, v) for m, (s, v) in sorted(run.placed.items())]


def _start_state(index: Index, previous: Plan | None) -> State:
    """Re-planning starts from the previous plan: every meeting that still fits stays put."""
    state = State(index)
    for p in previous.placements if previous else ():
        for o in index.options.get(p.meeting, ()):
            if (o.start, o.venue) == (p.start, p.venue) and state.fits(p.meeting, o):
                state.place(p.meeting, o)
                break
    return state


def _fallback(run: Run, previous: Plan | None) -> Result:
    """A phase found nothing: keep the best plan so far if it is valid, else report why."""
    plan = Plan(tuple(_placements(run)))
    wrong = validate(run.index.problem, plan)
    if wrong and not run.infeasible and all(v.rule == "fairness" for v in wrong):
        wrong = [] if _leave_out_for_fairness(run) else wrong
        plan = Plan(tuple(_placements(run)))
    if run.infeasible or not run.placed or wrong:
        status = Status.INFEASIBLE if run.infeasible else Status.UNKNOWN
        d = run.index.problem.fairness
        why = (
            (
                "every must-have meeting can be held, but not with each participant's breaks"
                f" within {d} of the fewest anyone has (fairness bound d = {d})",
            )
            if "meetings" in run.objectives and d is not None
            else (
                "the must-have meetings cannot all be held together: they need the same"
                " participants, tables or times"
                + (f" (with the fairness bound d = {d} on breaks)" if d is not None else ""),
            )
        )
        return Result(
            status,
            Plan(()),
            run.objectives,
            run.bound,
            1.0,
            time.monotonic() - run.t0,
            explanation=why if status is Status.INFEASIBLE else _not_in_time(run),
        )
    return _result(run, Status.FEASIBLE, previous)


def _result(run: Run, status: Status, previous: Plan | None) -> Result:
    index = run.index
    placements = tuple(_placements(run))
    plan = Plan(
        placements,
        previous.published if previous else frozenset(),
        previous.pinned if previous else frozenset(),
    )
    held = sum(index.meetings[p.meeting].weight for p in placements)
    run.objectives["meetings"] = held
    run.objectives["breaks"] = sum(
        count_breaks(index.problem, index.meetings, list(placements)).values()
    )
    run.objectives["meetings_held"] = len(placements)
    run.objectives["travel_minutes"] = minutes_travelled(index, run.placed)
    if previous is not None:
        run.objectives["moved"] = _moved_count(index, run.placed, previous)
    if "meetings" in run.bound:  # CP-SAT's bound before its LP counts every option's weight
        run.bound["meetings"] = min(run.bound["meetings"], _holdable(index))
    if "breaks" in run.bound:  # free time alone may force more than the search proved
        run.bound["breaks"] = max(run.bound["breaks"], breaks_floor(index, held))
    return Result(
        status=status,
        plan=plan,
        objectives=dict(run.objectives),
        bound=dict(run.bound),
        gap=_gap(run.objectives, run.bound),
        seconds=time.monotonic() - run.t0,
        unplaced=tuple(
            Unplaced(u.meeting, run.left_out.get(u.meeting, u.reason))
            for u in explain_unplaced(index, plan)
        ),
        moved=int(run.objectives.get("moved", 0)),
    )


def _gap(objectives: dict[str, float], bound: dict[str, float]) -> float:
    gaps = [
        abs(objectives[k] - b) / max(1.0, abs(objectives[k]))
        for k, b in bound.items()
        if k in objectives
    ]
    return max(gaps, default=0.0)


def _infeasible(reasons: list[str], t0: float) -> Result:
    return Result(
        Status.INFEASIBLE, Plan(()), {}, {}, 1.0, time.monotonic() - t0, explanation=tuple(reasons)
    )
