"""Random small problems: every plan is valid and holds at least what the greedy holds when
the greedy plan is itself valid (it ignores the fairness bound on breaks)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from planner_builders import OPEN, at, meeting, tiny

from trademission.planner import (
    Participant,
    Placement,
    Plan,
    Problem,
    Status,
    solve,
    validate,
)
from trademission.planner.greedy import greedy_plan
from trademission.planner.options import build_index


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    slots = draw(st.integers(2, 6))
    people = [f"p{i}" for i in range(draw(st.integers(2, 6)))]
    ms = []
    for k in range(draw(st.integers(1, 10))):
        a, b = draw(st.lists(st.sampled_from(people), min_size=2, max_size=2, unique=True))
        ms.append(
            meeting(
                f"m{k}",
                a,
                b,
                weight=draw(st.integers(1, 3)),
                duration=draw(st.integers(1, 2)),
                sessions=draw(st.sampled_from([(), ("morning",), ("afternoon",)])),
            )
        )
    parts = []
    for p in people:
        blocked = draw(st.lists(st.integers(0, slots - 1), max_size=2, unique=True))
        parts.append(
            Participant(
                id=p,
                min_pause=draw(st.integers(0, 1)),
                max_per_day=draw(st.sampled_from([None, 2])),
                unavailable=tuple((at(0, OPEN + s), at(0, OPEN + s + 1)) for s in blocked),
            )
        )
    tables = draw(st.sampled_from([None, 1, 2]))
    return tiny(
        ms,
        slots=slots,
        participants=parts,
        tables=tables,
        sessions=True,
        days=draw(st.integers(1, 2)),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.sampled_from([None, 1]))
def test_plan_is_valid_and_not_worse_than_greedy(problem: Problem, fairness: int | None) -> None:
    result = solve(problem, time_limit=10, workers=2, fairness=fairness)
    assert result.status in (Status.OPTIMAL, Status.INFEASIBLE)
    if result.status is Status.INFEASIBLE:
        assert fairness is not None  # only the fairness bound can make optional meetings fail
        return
    assert validate(problem, result.plan, fairness=fairness) == []
    index = build_index(problem)
    weights = {m.id: m.weight for m in problem.meetings}
    for compact in (False, True):  # the simple greedy and the planner's own
        greedy = greedy_plan(index, compact=compact)
        as_plan = Plan(tuple(Placement(m, o.start, o.venue) for m, o in greedy.placed.items()))
        # the greedy ignores the fairness bound: an unfair greedy plan is no plan to beat
        if not validate(problem, as_plan, fairness=fairness):
            assert result.objectives["meetings"] >= sum(weights[m] for m in greedy.placed)
    assert result.objectives["meetings"] == sum(weights[p.meeting] for p in result.placements)
