"""The per-participant lower bound on breaks (planner/break_floor.py)."""

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
    Travel,
    Venue,
    solve,
    validate,
)
from trademission.planner.break_floor import breaks_floor
from trademission.planner.generator import brokerage
from trademission.planner.greedy import greedy_plan
from trademission.planner.options import build_index
from trademission.planner.validate import count_breaks


def _free_only(pid: str, slots: int, free: set[int], pause: int = 0) -> Participant:
    away = tuple((OPEN + s, OPEN + s + 1) for s in range(slots) if s not in free)
    return Participant(id=pid, unavailable=away, min_pause=pause)


def _three_for_h(free: set[int], pause: int = 0, lunch: tuple[int, int] | None = None) -> Problem:
    ms = [meeting(m, "h", f"s{i}", required=True) for i, m in enumerate("abc", 1)]
    return tiny(ms, slots=5, participants=[_free_only("h", 5, free, pause)], lunch=lunch)


def test_free_time_in_three_runs_forces_two_breaks_for_three_meetings() -> None:
    problem = _three_for_h({0, 2, 4})
    index = build_index(problem)
    # with two of the three held, the bound lets the s's fill what h cannot: it counts
    # participant-grains, not who meets whom
    assert [breaks_floor(index, w) for w in (0, 1, 2, 3)] == [0, 0, 0, 2]
    result = solve(problem, time_limit=10)
    assert result.status is Status.OPTIMAL
    assert result.objectives["breaks"] == result.bound["breaks"] == 2


def test_a_gap_no_longer_than_the_pause_is_not_a_break() -> None:
    assert breaks_floor(build_index(_three_for_h({0, 2, 4}, pause=1)), 3) == 0
    assert breaks_floor(build_index(_three_for_h({0, 1, 3, 4}, pause=0)), 3) == 1


def test_a_gap_no_longer_than_the_journey_is_not_a_break() -> None:
    # s is free at 09:00 and 12:00 only, and 90 minutes (two grains) from A to B
    venues = [Venue(id="A"), Venue(id="B")]
    ms = [
        meeting("a", "h1", "s", venues=("A",), required=True),
        meeting("b", "h2", "s", venues=("B",), required=True),
    ]
    s = _free_only("s", 6, {0, 3})
    travel = Travel(matrix=(("A", "B", 90),))
    problem = tiny(ms, slots=6, participants=[s], venues=venues, travel=travel)
    assert breaks_floor(build_index(problem), 2) == 0
    result = solve(problem, time_limit=10)
    assert result.objectives["breaks"] == 0


def test_lunch_between_two_runs_is_not_a_break() -> None:
    # h is free 09-11 and 12-14, lunch is 11-12
    assert breaks_floor(build_index(_three_for_h({0, 1, 3, 4}, lunch=(OPEN + 2, OPEN + 3))), 3) == 0
    assert breaks_floor(build_index(_three_for_h({0, 1, 3, 4})), 3) == 1


def test_the_brokerage_event_gets_a_break_bound() -> None:
    problem = brokerage(1, participants=120, requests=700)
    result = solve(problem, time_limit=10)
    floor = breaks_floor(build_index(problem), result.objectives["meetings"])
    assert 0 < floor <= result.objectives["breaks"]
    assert result.bound["breaks"] == floor


@st.composite
def _events(draw: st.DrawFn) -> Problem:
    """Small events with pauses, lunch, two venues with a journey, one or two days."""
    slots = draw(st.integers(3, 7))
    people = [f"p{i}" for i in range(draw(st.integers(2, 5)))]
    venues = [Venue(id="A"), Venue(id="B")]
    ms = []
    for k in range(draw(st.integers(1, 9))):
        a, b = draw(st.lists(st.sampled_from(people), min_size=2, max_size=2, unique=True))
        where = draw(st.sampled_from([("A",), ("B",), ("A", "B")]))
        weight, duration = draw(st.integers(1, 3)), draw(st.integers(1, 2))
        ms.append(meeting(f"m{k}", a, b, weight=weight, duration=duration, venues=where))
    parts = []
    for p in people:
        blocked = draw(st.lists(st.integers(0, slots - 1), max_size=3, unique=True))
        away = tuple((at(0, OPEN + s), at(0, OPEN + s + 1)) for s in blocked)
        parts.append(Participant(id=p, min_pause=draw(st.integers(0, 1)), unavailable=away))
    lunch = draw(st.sampled_from([None, (OPEN + 1, OPEN + 2)]))
    minutes = draw(st.sampled_from([30, 60, 120]))
    return tiny(
        ms,
        slots=slots,
        participants=parts,
        venues=venues,
        travel=Travel(matrix=(("A", "B", minutes),)),
        lunch=lunch if lunch and slots > 3 else None,
        days=draw(st.integers(1, 2)),
    )


def _held_and_breaks(problem: Problem, placements: list[Placement]) -> tuple[int, int]:
    meetings = {m.id: m for m in problem.meetings}
    held = sum(meetings[p.meeting].weight for p in placements)
    return held, sum(count_breaks(problem, meetings, placements).values())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_events())
def test_no_valid_plan_has_fewer_breaks_than_the_floor_at_its_weight(problem: Problem) -> None:
    index = build_index(problem)
    plans = [list(solve(problem, time_limit=5).plan.placements)]
    for compact in (False, True):
        greedy = greedy_plan(index, compact=compact)
        plans.append([Placement(m, o.start, o.venue) for m, o in greedy.placed.items()])
    for placements in plans:
        if validate(problem, Plan(tuple(placements))):
            continue
        held, breaks = _held_and_breaks(problem, placements)
        assert breaks_floor(index, held) <= breaks
