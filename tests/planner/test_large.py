"""The large-event path (LP bound, LP-guided greedy, LNS) on a small brokerage event."""

from __future__ import annotations

import time

import pytest

from trademission.planner import Status, validate
from trademission.planner.generator import binding_tables, brokerage, mission
from trademission.planner.greedy import State, greedy_plan
from trademission.planner.large import solve_large
from trademission.planner.lp_bound import lp_upper_bound
from trademission.planner.options import build_index


@pytest.mark.slow
@pytest.mark.parametrize("tables", [None, binding_tables(600, 16)])
def test_large_path_is_valid_and_beats_greedy(tables: int | None) -> None:
    problem = brokerage(3, participants=120, requests=600, tables=tables)
    index = build_index(problem)
    greedy = len(greedy_plan(index).placed)
    result = solve_large(index, State(index), time.monotonic(), 8.0, 2, None, None)
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert validate(problem, result.plan) == []
    held = result.objectives["meetings_held"]
    assert greedy <= held <= result.bound["meetings"]


def test_lp_bound_is_exact_on_a_tiny_conflict() -> None:
    problem = brokerage(1, participants=3, requests=3, slots=1, availability=1.0, sides=False)
    # a triangle in one slot: the LP holds 1.5 meetings, one can be held
    assert lp_upper_bound(build_index(problem)) == 1


def test_generators_are_seeded() -> None:
    assert brokerage(5, participants=50, requests=100) == brokerage(
        5, participants=50, requests=100
    )
    assert mission(2) == mission(2)
    assert len(mission(2).meetings) == 150
