"""Ejection chains, plateau walk and Kempe interchanges (repair.py) on tiny exact cases."""

from __future__ import annotations

import time

from planner_builders import OPEN, meeting, tiny

from trademission.planner import Participant, Problem, Status, solve, validate
from trademission.planner.generator import brokerage, mission
from trademission.planner.greedy import State, greedy_plan
from trademission.planner.large import solve_large
from trademission.planner.options import build_index
from trademission.planner.phases import Progress
from trademission.planner.repair import FREE, Slots, applicable
from trademission.planner.validate import count_breaks


def _state(problem: Problem, placed: dict[str, int]) -> tuple[State, Slots]:
    """A plan given as meeting -> slot (0-based hour after opening), and its Slots."""
    index = build_index(problem)
    state = State(index)
    for mid, slot in placed.items():
        (opt,) = [o for o in index.options[mid] if o.start == OPEN + slot]
        state.place(mid, opt)
    return state, Slots(index, state)


def _slots(s: Slots) -> dict[str, int]:
    return {s.mids[m]: k for m, k in enumerate(s.slot) if k != FREE}


def test_an_alternating_chain_places_a_meeting_no_slot_takes_directly() -> None:
    # ab is unplaced: a is busy in slot 1 (ae), b in slot 0 (bc). e cannot meet in slot 0,
    # so ae cannot move; the chain is bc -> slot 1, evicting cd -> slot 0.
    problem = tiny(
        [meeting("ab", "a", "b"), meeting("bc", "b", "c"), meeting("cd", "c", "d"),
         meeting("ae", "a", "e")],
        slots=2,
        participants=[Participant("e", unavailable=((OPEN, OPEN + 1),))],
    )  # fmt: skip
    state, s = _state(problem, {"bc": 0, "cd": 1, "ae": 1})
    ab = s.mids.index("ab")
    assert s.augment(ab)
    assert _slots(s) == {"ab": 0, "bc": 1, "cd": 0, "ae": 1}
    s.to_state(state)
    assert len(state.placed) == 4
    assert validate(problem, state.plan()) == []


def test_a_failed_chain_leaves_the_plan_unchanged() -> None:
    # one table: both slots are full, and the evicted meeting has nowhere else to go
    problem = tiny(
        [meeting("ab", "a", "b"), meeting("cd", "c", "d"), meeting("ef", "e", "f")],
        slots=2,
        tables=1,
    )
    _, s = _state(problem, {"ab": 0, "cd": 1})
    assert not s.augment(s.mids.index("ef"), budget=1000)
    assert _slots(s) == {"ab": 0, "cd": 1}
    assert [len(m) for m in s.members] == [1, 1]


def test_the_plateau_walk_reaches_the_optimum_greedy_misses() -> None:
    # greedy holds 16; CP-SAT on the full model proves 21 optimal; ejection chains alone
    # add none (the gap is in which meetings are held, not in their slots)
    problem = brokerage(29, participants=12, requests=30, slots=4, availability=0.8)
    index = build_index(problem)
    state = greedy_plan(index)
    assert len(state.placed) == 16
    exact = solve(problem, time_limit=30, workers=1)
    assert exact.status is Status.OPTIMAL and exact.objectives["meetings_held"] == 21
    s = Slots(index, state, seed=1)
    s.improve_held(time.monotonic() + 20.0, bound=21)
    assert s.held() == 21
    s.to_state(state)
    assert len(state.placed) == 21
    assert validate(problem, state.plan()) == []


def test_kempe_interchange_swaps_a_component_of_two_slots() -> None:
    # p meets q at 0 and r at 2 (a break). pr -> slot 1 takes rs along to slot 2;
    # pq -> slot 1 would take qt to slot 0, where t is unavailable.
    problem = tiny(
        [meeting("pq", "p", "q"), meeting("pr", "p", "r"), meeting("rs", "r", "s"),
         meeting("qt", "q", "t")],
        slots=3,
        participants=[Participant("t", unavailable=((OPEN, OPEN + 1),))],
    )  # fmt: skip
    state, s = _state(problem, {"pq": 0, "pr": 2, "rs": 1, "qt": 1})
    num = {m: i for i, m in enumerate(s.mids)}
    assert s.kempe(num["pq"], 1) is None
    assert sorted(s.mids[c] for c in s.kempe(num["pr"], 1) or []) == ["pr", "rs"]
    assert s.breaks() == 1
    s.improve_breaks(time.monotonic() + 0.5)
    assert s.breaks() == 0
    assert set(_slots(s)) == {"pq", "pr", "rs", "qt"}
    s.to_state(state)
    plan = state.plan()
    assert validate(problem, plan) == []
    assert (
        sum(count_breaks(problem, build_index(problem).meetings, list(plan.placements)).values())
        == 0
    )


def test_lunch_is_not_a_break_for_the_fast_path() -> None:
    problem = tiny(
        [meeting("ab", "a", "b"), meeting("ac", "a", "c")], slots=4, lunch=(OPEN + 1, OPEN + 2)
    )
    assert _state(problem, {"ab": 0, "ac": 2})[1].breaks() == 0  # lunch between
    assert _state(problem, {"ab": 0, "ac": 3})[1].breaks() == 1  # lunch and an idle hour


def test_applicable_only_to_one_slot_two_party_events() -> None:
    assert applicable(build_index(brokerage(1, participants=20, requests=40)))
    assert not applicable(build_index(mission(1)))


def test_large_path_respects_stop_and_returns_a_valid_plan() -> None:
    problem = brokerage(2, participants=60, requests=300)
    index = build_index(problem)
    result = solve_large(index, State(index), time.monotonic(), 30.0, 1, None, lambda: True)
    assert result.seconds < 10
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert validate(problem, result.plan) == []
    assert result.objectives["meetings_held"] == len(result.placements) > 0


def test_large_path_reports_progress_and_cuts_breaks_at_the_same_meetings() -> None:
    problem = brokerage(2, participants=60, requests=300)
    index = build_index(problem)
    seen: list[Progress] = []
    result = solve_large(index, State(index), time.monotonic(), 4.0, 1, seen.append, None)
    assert validate(problem, result.plan) == []
    held = [p.objective for p in seen if p.phase == "held"]
    breaks = [p.objective for p in seen if p.phase == "breaks"]
    assert held and held[-1] == result.objectives["meetings"] <= result.bound["meetings"]
    assert breaks and breaks[-1] == result.objectives["breaks"]
    assert result.objectives["breaks"] < result.objectives["greedy_breaks"]


def test_a_trade_of_held_meetings_removes_a_break_at_the_same_count() -> None:
    # one table; x meets y at 9:00 and z at 11:00 (a break), both fixed by availability;
    # 10:00 holds uv. Holding xw (w free only at 10:00) instead of uv closes x's gap.
    only = {
        0: ((OPEN + 1, OPEN + 3),),
        1: ((OPEN, OPEN + 1), (OPEN + 2, OPEN + 3)),
        2: ((OPEN, OPEN + 2),),
    }  # unavailable hours of someone free only in slot 0, 1 or 2
    problem = tiny(
        [meeting("xy", "x", "y"), meeting("xz", "x", "z"), meeting("xw", "x", "w"),
         meeting("uv", "u", "v")],
        slots=3,
        tables=1,
        participants=[Participant("y", unavailable=only[0]), Participant("z", unavailable=only[2]),
                      Participant("w", unavailable=only[1]), Participant("u", unavailable=only[1]),
                      Participant("v", unavailable=only[1])],
    )  # fmt: skip
    state, s = _state(problem, {"xy": 0, "uv": 1, "xz": 2})
    assert s.breaks() == 1
    s.improve_breaks(time.monotonic() + 0.5)
    assert _slots(s) == {"xy": 0, "xw": 1, "xz": 2}
    assert s.breaks() == 0
    s.to_state(state)
    assert validate(problem, state.plan()) == []
