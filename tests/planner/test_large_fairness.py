"""The fairness bound on the large-event path (large.py, repair.py, fairness.py).

The threshold of the large path is lowered so that small events take it and the tests stay
fast; the plans must pass the validator, fairness included, as on the small path.
"""

from __future__ import annotations

import importlib
import time
from dataclasses import replace

import pytest
from planner_builders import OPEN, meeting, tiny

from trademission.planner import Participant, Problem, Result, Status, solve, validate
from trademission.planner.fairness import make_fair, tally
from trademission.planner.generator import brokerage, mission
from trademission.planner.greedy import State
from trademission.planner.options import build_index
from trademission.planner.repair import Tally, applicable
from trademission.planner.validate import count_breaks

# `trademission.planner.solve` is also the name of the function the package exports
SOLVE_MODULE = importlib.import_module("trademission.planner.solve")


@pytest.fixture
def large_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SOLVE_MODULE, "LARGE_OPTIONS", 0)


def _spread(problem: Problem, result: Result) -> tuple[int, int]:
    per = count_breaks(problem, {m.id: m for m in problem.meetings}, list(result.placements))
    return min(per.values()), max(per.values())


def _is_large(result: Result) -> bool:
    return "lp_bound" in result.objectives  # only solve_large reports it


def _assert_fair_plan(problem: Problem, result: Result, d: int | None) -> None:
    assert _is_large(result)
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE) and result.placements
    assert validate(problem, result.plan, fairness=d) == []
    if d is not None:
        low, high = _spread(problem, result)
        assert high <= low + d


@pytest.mark.parametrize("d", [0, 1, 2])
def test_brokerage_plans_keep_the_fairness_bound(large_path: None, d: int) -> None:
    problem = brokerage(3, participants=120, requests=600)
    assert applicable(build_index(problem))  # the local search of repair.py
    result = solve(problem, time_limit=4, fairness=d)
    _assert_fair_plan(problem, result, d)
    if d == 2:  # most already have 0-2 breaks: fairness costs few meetings
        assert result.objectives["meetings_held"] >= 0.95 * result.bound["meetings"]
    else:  # some meetings had to go, and their reasons say so
        why = [u.reason for u in result.unplaced if f"fairness bound d = {d}" in u.reason]
        assert why and all(" left out to keep " in r for r in why)


def test_without_a_bound_the_brokerage_plan_is_as_before(large_path: None) -> None:
    problem = brokerage(3, participants=120, requests=600)
    result = solve(problem, time_limit=4)
    assert _is_large(result) and validate(problem, result.plan) == []
    assert result.objectives["meetings_held"] == result.bound["meetings"] == 583
    assert _spread(problem, result)[1] > 2  # unbounded, someone keeps 3 breaks or more


@pytest.mark.slow
@pytest.mark.parametrize("d", [None, 2])
def test_neighbourhood_search_plans_are_valid_and_fair(large_path: None, d: int | None) -> None:
    # journeys between venues, daily maxima and pauses: CP-SAT neighbourhoods, not repair.py
    problem = mission(1)
    assert not applicable(build_index(problem))
    result = solve(problem, time_limit=6, fairness=d)
    _assert_fair_plan(problem, result, d)


def test_daily_maximum_events_keep_the_bound_too(large_path: None) -> None:
    # without the bound, 1 to 5 breaks each
    plain = brokerage(2, participants=60, requests=300)
    problem = replace(
        plain, participants=tuple(replace(p, max_per_day=8) for p in plain.participants)
    )
    assert not applicable(build_index(problem))
    _assert_fair_plan(problem, solve(problem, time_limit=4, fairness=1), 1)


def test_an_unreachable_bound_gives_no_plan_and_says_why(large_path: None) -> None:
    # two must-haves of a, one hour apart by b's and c's availability: a has 1 break,
    # the others none, so no plan is within d = 0
    problem = tiny(
        [
            meeting("ab", "a", "b", required=True),
            meeting("ac", "a", "c", required=True),
            meeting("de", "d", "e"),
        ],
        slots=3,
        participants=[
            Participant("b", unavailable=((OPEN + 1, OPEN + 3),)),
            Participant("c", unavailable=((OPEN, OPEN + 2),)),
        ],
    )
    result = solve(problem, time_limit=2, fairness=0)
    assert _is_large(result)
    assert result.status is Status.UNKNOWN
    assert result.plan.placements == ()
    assert "fairness bound d = 0" in result.explanation[0]


def test_the_tally_measures_from_the_fewest_breaks_not_from_zero() -> None:
    t = Tally({"a": 1, "b": 2, "c": 4}, 1)
    assert (t.cap(), t.excess(), t.over()) == (2, 2, ["c"])
    assert not t.keep({"c": 5})  # more excess: refused, unchanged
    assert t.per["c"] == 4
    assert t.keep({"a": 2, "b": 3, "c": 3})  # the fewest rises: no excess, more breaks
    assert (t.cap(), t.key()) == (3, (0, 8))
    assert not t.keep({"a": 1})  # fewer breaks, but b and c are over again
    assert t.key() == (0, 8)
    assert Tally({"a": 0, "b": 9}, None).excess() == 0


def test_make_fair_moves_a_meeting_back_in_rather_than_leave_it_out() -> None:
    # a meets b, c, d at 9, 11 and 13 (2 breaks; the others none); b, c, d are free all
    # day. With d = 1 one block of a's goes, and comes back next to another.
    problem = tiny(
        [meeting("ab", "a", "b"), meeting("ac", "a", "c"), meeting("ad", "a", "d")],
        slots=5,
        fairness=1,
    )
    index = build_index(problem)
    state = State(index)
    for mid, slot in {"ab": 0, "ac": 2, "ad": 4}.items():
        (o,) = [o for o in index.options[mid] if o.start == OPEN + slot]
        state.place(mid, o)
    fair = tally(index, state)
    assert fair.excess() == 1
    assert make_fair(index, state, fair) == {}
    assert len(state.placed) == 3
    assert fair.excess() == 0
    assert validate(problem, state.plan()) == []


def test_stop_still_gives_a_fair_plan(large_path: None) -> None:
    problem = brokerage(2, participants=60, requests=300)
    t0 = time.monotonic()
    result = solve(problem, time_limit=30, fairness=1, stop=lambda: time.monotonic() - t0 > 2)
    assert result.seconds < 10
    _assert_fair_plan(problem, result, 1)
