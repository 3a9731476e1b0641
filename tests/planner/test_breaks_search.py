"""The break machinery: window cuts keep every break-free plan, the LNS repairs breaks."""

from __future__ import annotations

import time

from planner_builders import OPEN, meeting, tiny

from trademission.planner import (
    Participant,
    Placement,
    Plan,
    Problem,
    Status,
    Travel,
    Venue,
    solve,
    validate,
)
from trademission.planner.explain import overloaded
from trademission.planner.model import build_model
from trademission.planner.options import build_index
from trademission.planner.phases import Run
from trademission.planner.polish import polish
from trademission.planner.validate import count_breaks


def _away(pid: str, *slots: int) -> Participant:
    return Participant(id=pid, unavailable=tuple((OPEN + s, OPEN + s + 1) for s in slots))


def test_windows_keep_the_only_break_free_placements() -> None:
    # h meets s1 in slot 0 or 3 and s2 in slot 1 or 4: only the windows 0-1 and 3-4 fit;
    # a window cut that dropped either, or kept 1-2 / 2-3, changes the answer below
    problem = tiny(
        [meeting("a", "h", "s1", required=True), meeting("b", "h", "s2", required=True)],
        slots=5,
        participants=[_away("s1", 1, 2, 4), _away("s2", 0, 2, 3), _away("h", 0, 1)],
        fairness=2,
    )
    result = solve(problem, time_limit=10)
    assert result.status is Status.OPTIMAL
    assert result.objectives["breaks"] == 0
    assert sorted(p.start - OPEN for p in result.placements) == [3, 4]


def test_windows_prove_a_break_when_no_window_fits() -> None:
    problem = tiny(
        [meeting("a", "h", "s1", required=True), meeting("b", "h", "s2", required=True)],
        slots=5,
        participants=[_away("s1", 1, 2, 3, 4), _away("s2", 0, 1, 2, 3)],
        fairness=2,
    )
    result = solve(problem, time_limit=10)
    assert result.status is Status.OPTIMAL
    assert (result.objectives["breaks"], result.bound["breaks"]) == (1, 1)


def test_polish_removes_the_breaks_of_a_poor_plan() -> None:
    ms = [meeting(f"m{i}", f"h{i % 2}", f"s{i}", required=True) for i in range(6)]
    problem = tiny(ms, slots=6, fairness=2)
    index = build_index(problem)
    model = build_model(index, 2)
    # h0 meets in slots 0, 2, 4 and h1 in 1, 3, 5: two breaks each
    poor = {f"m{i}": (OPEN + i, "hall") for i in range(6)}
    before = count_breaks(
        problem, index.meetings, [Placement(m, s, v) for m, (s, v) in poor.items()]
    )
    assert sum(before.values()) == 4
    placed, best = polish(model, poor, 4, 0, deadline=_in(10.0))
    plan = Plan(tuple(Placement(m, s, v) for m, (s, v) in placed.items()))
    assert best == 0
    assert validate(problem, plan) == []
    assert sum(count_breaks(problem, index.meetings, list(plan.placements)).values()) == 0


def _in(seconds: float) -> float:
    import time

    return time.monotonic() + seconds


def _journey(slots: int) -> Problem:
    venues = [Venue(id="A", kind="premises"), Venue(id="B", kind="premises")]
    ms = [
        meeting("a", "h1", "s", venues=("A",), required=True),
        meeting("b", "h2", "s", venues=("B",), required=True),
    ]
    return tiny(ms, slots=slots, venues=venues, travel=Travel(matrix=(("A", "B", 90),)))


def test_going_straight_to_the_next_venue_is_not_a_break() -> None:
    problem = _journey(slots=6)
    meetings = build_index(problem).meetings
    straight = [Placement("a", OPEN, "A"), Placement("b", OPEN + 3, "B")]  # 1 h + 2 grains
    late = [Placement("a", OPEN, "A"), Placement("b", OPEN + 4, "B")]  # one idle grain more
    assert count_breaks(problem, meetings, straight)["s"] == 0
    assert count_breaks(problem, meetings, late)["s"] == 1
    result = solve(problem, time_limit=10)
    assert result.status is Status.OPTIMAL
    assert (result.objectives["breaks"], result.bound["breaks"]) == (0, 0)
    a, b = sorted(p.start for p in result.placements)
    assert b - a == 3  # the solver finds the straight journey, not any valid pair


def test_the_model_counts_a_straight_journey_as_no_break() -> None:
    from ortools.sat.python import cp_model

    problem = _journey(slots=6)
    model = build_model(build_index(problem), None)
    for mid, start in (("a", OPEN), ("b", OPEN + 3)):
        model.cp.add(next(v for o, v in model.x[mid] if o.start == start) == 1)
    model.cp.minimize(model.total_breaks())
    solver = cp_model.CpSolver()
    assert solver.solve(model.cp) == cp_model.OPTIMAL
    assert solver.objective_value == 0
    # one grain later is a real break, and the model must say so too
    late = build_model(build_index(problem), None)
    for mid, start in (("a", OPEN), ("b", OPEN + 4)):
        late.cp.add(next(v for o, v in late.x[mid] if o.start == start) == 1)
    late.cp.minimize(late.total_breaks())
    assert solver.solve(late.cp) == cp_model.OPTIMAL
    assert solver.objective_value == 1


def test_too_many_must_haves_for_the_free_times_is_explained_by_counting() -> None:
    ms = [meeting(f"m{i}", "h", f"s{i}", required=True) for i in range(3)]
    problem = tiny(ms, slots=3, participants=[_away("h", 1)])
    result = solve(problem, time_limit=10)
    assert result.status is Status.INFEASIBLE
    assert result.explanation[0].startswith("h has 3 must-have meetings but only 2 different")


def test_too_many_must_haves_for_the_daily_limit_is_explained() -> None:
    ms = [meeting(f"m{i}", "h", f"s{i}", required=True) for i in range(3)]
    limited = Participant(id="h", max_per_day=1)
    result = solve(tiny(ms, slots=3, days=2, participants=[limited]), time_limit=10)
    assert result.status is Status.INFEASIBLE
    assert "at most 1 a day on 2 possible days" in result.explanation[0]


def test_an_event_with_more_requests_than_a_participant_can_hold_is_seen_by_counting() -> None:
    optional = [meeting(f"m{i}", "h", f"s{i}") for i in range(3)]
    limited = Participant(id="h", max_per_day=1)
    assert overloaded(build_index(tiny(optional, slots=3, days=2, participants=[limited])))
    assert not overloaded(build_index(tiny(optional, slots=3, days=3, participants=[limited])))
    assert overloaded(build_index(tiny(optional, slots=3, participants=[_away("h", 1)])))
    assert not overloaded(build_index(tiny(optional, slots=3)))
    # a meeting with no time left is not counted: it is out whatever the plan
    gone = [*optional[:2], meeting("m2", "h", "s2", fixed_start=OPEN + 1)]
    assert not overloaded(build_index(tiny(gone, slots=3, participants=[_away("h", 1)])))


def test_a_fairness_bound_too_tight_is_named_as_the_reason() -> None:
    # h's two meetings are forced apart (a break) while s1 and s2, with one meeting, have none
    problem = tiny(
        [meeting("a", "h", "s1", required=True), meeting("b", "h", "s2", required=True)],
        slots=5,
        participants=[_away("s1", 1, 2, 3, 4), _away("s2", 0, 1, 2, 3)],
    )
    result = solve(problem, time_limit=10, fairness=0)
    assert result.status is Status.INFEASIBLE
    assert "fairness bound d = 0" in result.explanation[0]
    assert result.explanation[0].startswith("every must-have meeting can be held")
    assert solve(problem, time_limit=10, fairness=1).status is Status.OPTIMAL


def _occupancy_limits(problem: Problem) -> dict[int, int]:
    """grain -> right-hand side of each linear constraint over busy literals alone."""
    model = build_model(build_index(problem), 2)
    busy_at = {lit.index: t for busy in model.busy.values() for t, lit in busy.items()}
    limits: dict[int, int] = {}
    for c in model.cp.proto.constraints:
        if c.has_linear() and c.linear.vars and all(v in busy_at for v in c.linear.vars):
            grains = {busy_at[v] for v in c.linear.vars}
            if len(grains) == 1 and len(c.linear.vars) > 1:
                limits[grains.pop()] = list(c.linear.domain)[-1]
    return limits


def test_people_busy_at_once_are_capped_by_the_tables() -> None:
    # a, b and c meet each other at one table: at most 2 of the 3 are busy at any grain
    trio = [
        meeting("ab", "a", "b", required=True),
        meeting("bc", "b", "c", required=True),
        meeting("ca", "c", "a", required=True),
    ]
    assert _occupancy_limits(tiny(trio, slots=3, tables=1)) == {OPEN: 2, OPEN + 1: 2, OPEN + 2: 2}
    assert _occupancy_limits(tiny(trio, slots=3, tables=2)) == {}  # 4 >= 3 people: no cap
    assert _occupancy_limits(tiny(trio, slots=3)) == {}  # no tables, nothing to cap


def test_the_one_break_is_found_by_asking_who_has_it() -> None:
    # h must meet s1 at 0 and s2 at 2 (one break); g's three meetings fit side by side, so
    # asking "g breaks, nobody else" is proven impossible and g is not asked again
    problem = tiny(
        [
            meeting("a", "h", "s1", required=True),
            meeting("b", "h", "s2", required=True),
            *(meeting(f"g{i}", "g", f"t{i}", required=True) for i in range(3)),
        ],
        slots=3,
        participants=[_away("s1", 1, 2), _away("s2", 0, 1)],
        fairness=2,
    )
    index = build_index(problem)
    model = build_model(index, 2)
    run = Run(index, model, time.monotonic(), time.monotonic() + 30, 2, None, None, {})
    assert run._single_break(model.total_breaks(), 20.0) == "found"
    assert run._probes == {"g": -1.0}
    placed = [Placement(m, s, v) for m, (s, v) in run.placed.items()]
    assert validate(problem, Plan(tuple(placed))) == []
    breaks = count_breaks(problem, {m.id: m for m in problem.meetings}, placed)
    assert breaks["h"] == 1 and sum(breaks.values()) == 1


def test_nobody_can_have_the_only_break_when_two_must() -> None:
    # h and k must each meet at 0 and 2: whoever is allowed the one break, the other breaks
    # too, so every question is proven impossible, which proves at least two breaks
    problem = tiny(
        [
            meeting("a", "h", "s1", required=True),
            meeting("b", "h", "s2", required=True),
            meeting("c", "k", "t1", required=True),
            meeting("d", "k", "t2", required=True),
        ],
        slots=3,
        participants=[_away(p, 1, 2) for p in ("s1", "t1")]
        + [_away(p, 0, 1) for p in ("s2", "t2")],
        fairness=2,
    )
    index = build_index(problem)
    model = build_model(index, 2)
    run = Run(index, model, time.monotonic(), time.monotonic() + 30, 2, None, None, {})
    assert run._single_break(model.total_breaks(), 20.0) == "nobody"
    assert run._probes == {"h": -1.0, "k": -1.0}
    assert solve(problem, time_limit=10).bound["breaks"] == 2
