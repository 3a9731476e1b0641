"""Objective 3: fewer minutes on the road, never at the cost of meetings or breaks."""

from __future__ import annotations

import time

from planner_builders import OPEN, meeting, tiny

from trademission.planner import Participant, Problem, Travel, Venue, solve, validate
from trademission.planner.options import build_index
from trademission.planner.travel import as_plan, minutes_travelled, shorten_travel


def _visits() -> Problem:
    """A delegate meets h1 and h3 at A and h2 at B, an hour's drive apart."""
    venues = [Venue(id="A", kind="premises"), Venue(id="B", kind="premises")]
    ms = [
        meeting("a", "h1", "s", venues=("A",), required=True),
        meeting("b", "h2", "s", venues=("B",), required=True),
        meeting("c", "h3", "s", venues=("A",), required=True),
    ]
    return tiny(
        ms,
        slots=6,
        venues=venues,
        participants=[Participant(id="s", min_pause=1)],
        travel=Travel(matrix=(("A", "B", 60),)),
    )


def test_swapping_two_visits_saves_a_return_journey() -> None:
    index = build_index(_visits())
    there_and_back = {"a": (OPEN, "A"), "b": (OPEN + 2, "B"), "c": (OPEN + 4, "A")}
    assert minutes_travelled(index, there_and_back) == 120
    better = shorten_travel(index, there_and_back, time.monotonic() + 10)
    assert minutes_travelled(index, better) == 60
    assert better["a"][0] + 2 == better["c"][0] or better["c"][0] + 2 == better["a"][0]
    assert sorted(s for s, _ in better.values()) == [OPEN, OPEN + 2, OPEN + 4]  # times swapped
    assert validate(index.problem, as_plan(better)) == []


def test_frozen_meetings_stay_where_they_are() -> None:
    index = build_index(_visits())
    there_and_back = {"a": (OPEN, "A"), "b": (OPEN + 2, "B"), "c": (OPEN + 4, "A")}
    kept = shorten_travel(index, there_and_back, time.monotonic() + 10, frozenset({"b"}))
    assert kept == there_and_back


def test_solve_reports_the_shorter_order() -> None:
    problem = _visits()
    result = solve(problem, time_limit=10)
    assert validate(problem, result.plan) == []
    assert result.objectives["breaks"] == 0
    assert result.objectives["travel_minutes"] == 60
