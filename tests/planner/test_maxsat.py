"""The MaxSAT encoding raced beside CP-SAT on benchmark-shaped events (planner/maxsat.py)."""

from __future__ import annotations

import os
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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
from trademission.planner.generator import mission
from trademission.planner.maxsat import Race, Spec, improve_spec, proven, solve_spec, spec_of
from trademission.planner.options import build_index
from trademission.planner.validate import count_breaks


def _away(pid: str, *slots: int) -> Participant:
    return Participant(id=pid, unavailable=tuple((OPEN + s, OPEN + s + 1) for s in slots))


def _check(problem, answer):  # type: ignore[no-untyped-def]
    breaks, starts = answer
    plan = Plan(tuple(Placement(m, s, "hall") for m, s in sorted(starts.items())))
    assert validate(problem, plan) == []
    assert (
        sum(
            count_breaks(
                problem, {m.id: m for m in problem.meetings}, list(plan.placements)
            ).values()
        )
        == breaks
    )
    return breaks, {m: s - OPEN for m, s in starts.items()}


def test_the_only_break_free_placement_is_found() -> None:
    # s1 is free at 0 or 3, s2 at 1 or 4, h is away at 0 and 1: only 3-4 keeps h break-free
    problem = tiny(
        [meeting("a", "h", "s1", required=True), meeting("b", "h", "s2", required=True)],
        slots=5,
        participants=[_away("s1", 1, 2, 4), _away("s2", 0, 2, 3), _away("h", 0, 1)],
    )
    spec = spec_of(build_index(problem))
    assert spec is not None
    assert _check(problem, solve_spec(spec)) == (0, {"a": 3, "b": 4})


def _forced_breaks() -> Problem:
    """h must meet s1 at 0 and s2 at 2, s3 meets s4 and s5 at 1 and 3 (one table): 2 breaks."""
    return tiny(
        [
            meeting("a", "h", "s1", required=True),
            meeting("b", "h", "s2", required=True),
            meeting("c", "s3", "s4", required=True),
            meeting("d", "s3", "s5", required=True),
        ],
        slots=4,
        tables=1,
        participants=[_away("s1", 1, 2, 3), _away("s2", 0, 1, 3)],
        fairness=2,
    )


def test_a_forced_break_is_counted_once_and_tables_are_kept() -> None:
    # h must meet s1 at 0 and s2 at 2: one break; with one table, s3's two meetings take the
    # slots left, 1 and 3: a second break
    problem = _forced_breaks()
    spec = spec_of(build_index(problem))
    assert spec is not None
    breaks, starts = _check(problem, solve_spec(spec))
    assert breaks == 2 and (starts["a"], starts["b"]) == (0, 2)
    assert {starts["c"], starts["d"]} == {1, 3}


def test_the_linear_search_finds_fewer_breaks_until_none_is_possible() -> None:
    problem = _forced_breaks()
    spec = spec_of(build_index(problem))
    assert spec is not None
    reports: list[tuple[int, dict[str, int] | None, bool]] = []
    improve_spec(spec, 9, lambda breaks, plan, done: reports.append((breaks, plan, done)))
    *plans, last = reports
    assert last == (2, plans[-1][1], True)  # no plan has fewer than 2: the last one again
    assert plans and [b for b, _, _ in plans] == sorted({b for b, _, _ in plans}, reverse=True)
    for breaks, starts, done in plans:
        assert starts is not None and not done
        assert _check(problem, (breaks, starts))[0] == breaks < 9
    assert plans[-1][0] == 2
    # started at the optimum, it proves that nothing is better and finds no plan
    reports.clear()
    improve_spec(spec, 2, lambda breaks, plan, done: reports.append((breaks, plan, done)))
    assert reports == [(2, None, True)]


def _two_meetings() -> tuple[Problem, Spec]:
    """h meets s1 and s2 in three free slots: no break needed."""
    problem = tiny(
        [meeting("a", "h", "s1", required=True), meeting("b", "h", "s2", required=True)],
        slots=3,
    )
    spec = spec_of(build_index(problem))
    assert spec is not None
    return problem, spec


def test_the_linear_search_stops_at_a_plan_without_breaks() -> None:
    problem, spec = _two_meetings()
    reports: list[tuple[int, dict[str, int] | None, bool]] = []
    improve_spec(spec, 5, lambda breaks, plan, done: reports.append((breaks, plan, done)))
    breaks, starts, done = reports[-1]
    assert (breaks, done) == (0, True) and starts is not None
    assert _check(problem, (breaks, starts))[0] == 0


def test_the_linear_race_hands_on_each_better_plan_once_then_the_proof() -> None:
    problem = _forced_breaks()
    spec = spec_of(build_index(problem))
    assert spec is not None
    race = Race(spec, below=9)
    try:
        deadline = time.monotonic() + 30
        while race.result() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        answer = race.result()  # the proof carries the plan: the file holds the last report
        assert answer is not None and answer[0] == 2
        assert answer[1] is not None and _check(problem, (2, answer[1]))[0] == 2
        assert race.news()
        assert race.take() == answer
        assert not race.news() and race.take() is None  # once
    finally:
        race.stop()


def test_precedences_and_the_fairness_bound_are_kept() -> None:
    after = tiny(
        [
            meeting("a", "h", "s1", required=True),
            meeting("b", "h", "s2", required=True, after=("a",)),
        ],
        slots=3,
    )
    spec = spec_of(build_index(after))
    assert spec is not None
    _, starts = _check(after, solve_spec(spec))
    assert starts["a"] < starts["b"]
    # with d = 0 and someone (s3) at zero breaks, h's forced break is not fair: no plan
    unfair = tiny(
        [
            meeting("a", "h", "s1", required=True),
            meeting("b", "h", "s2", required=True),
            meeting("c", "s3", "s4", required=True),
        ],
        slots=3,
        participants=[_away("s1", 1, 2), _away("s2", 0, 1)],
        fairness=0,
    )
    spec = spec_of(build_index(unfair))
    assert spec is not None and solve_spec(spec) is None


def test_other_shapes_are_left_to_cp_sat() -> None:
    assert spec_of(build_index(mission(1))) is None  # days, journeys, group visits
    optional = tiny([meeting("a", "h", "s1")], slots=2)
    assert spec_of(build_index(optional)) is None
    two_venues = tiny(
        [meeting("a", "h", "s1", required=True)],
        slots=2,
        venues=[Venue(id="hall", kind="trade_show"), Venue(id="x", kind="hotel")],
        travel=Travel(),
    )
    assert spec_of(build_index(two_venues)) is None


def _race_of_two_meetings() -> Race:
    return Race(_two_meetings()[1])


def _answer(race: Race) -> tuple[int, dict[str, int]] | None:
    deadline = time.monotonic() + 30
    while race.result() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return race.result()


def test_the_race_runs_in_a_child_process_and_cleans_up() -> None:
    race = _race_of_two_meetings()
    answer = _answer(race)
    race.stop()
    assert answer is not None and answer[0] == 0
    assert not os.path.exists(race._dir)


def test_every_break_of_a_participant_counts_and_the_fairness_cap_holds() -> None:
    # h must meet at 0, 2 and 4: two breaks, both counted; with d = 1 (s1 has a single
    # meeting, so the fewest is 0) no plan is fair
    meetings = [meeting(m, "h", f"s{i}", required=True) for i, m in enumerate("abc", 1)]
    away = [_away("s1", 1, 2, 3, 4), _away("s2", 0, 1, 3, 4), _away("s3", 0, 1, 2, 3)]
    problem = tiny(meetings, slots=5, participants=away)
    spec = spec_of(build_index(problem))
    assert spec is not None
    assert _check(problem, solve_spec(spec)) == (2, {"a": 0, "b": 2, "c": 4})
    capped = spec_of(build_index(tiny(meetings, slots=5, participants=away, fairness=1)))
    assert capped is not None and solve_spec(capped) is None


def _state(pid: int) -> str:
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(") ", 1)[1][0]


def test_a_paused_race_is_stopped_until_resumed() -> None:
    race = _race_of_two_meetings()
    try:
        race.pause()
        deadline = time.monotonic() + 10  # the signal is delivered asynchronously
        while _state(race._process.pid) != "T" and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _state(race._process.pid) == "T"  # stopped by SIGSTOP
        time.sleep(0.5)
        assert race.result() is None
        race.resume()
        assert _answer(race) is not None
    finally:
        race.stop()


def test_without_a_single_meeting_the_optimum_is_trusted_only_up_to_the_participants() -> None:
    # h and s meet twice, both away at 1: each has a break, so nobody is at zero; the
    # encoding (someone at zero, d caps everyone) has no plan, and CP-SAT's optimum is 2
    both_away = tiny(
        [meeting("a", "h", "s", required=True), meeting("b", "s", "h", required=True)],
        slots=3,
        participants=[_away("h", 1), _away("s", 1)],
        fairness=0,
    )
    spec = spec_of(build_index(both_away))
    assert spec is not None and spec.cap == 2
    assert solve_spec(spec) is None
    assert proven(spec, 2) and not proven(spec, 3)
    result = solve(both_away, time_limit=10)
    assert result.status is Status.OPTIMAL and result.objectives["breaks"] == 2


@st.composite
def _everyone_twice(draw: st.DrawFn) -> Problem:
    """Two-person must-haves, everyone in at least two, some slots away, a fairness bound."""
    slots = draw(st.integers(4, 7))
    people = [f"p{i}" for i in range(draw(st.integers(3, 5)))]
    pairs = [(a, people[(i + 1) % len(people)]) for i, a in enumerate(people)]  # a ring
    extra = draw(st.lists(st.sampled_from(people), min_size=2, max_size=2, unique=True))
    pairs.append((extra[0], extra[1]))
    meetings = [meeting(f"m{i}", a, b, required=True) for i, (a, b) in enumerate(pairs)]
    away = [
        _away(p, *draw(st.lists(st.integers(0, slots - 1), max_size=2, unique=True)))
        for p in people
    ]
    return tiny(meetings, slots=slots, participants=away, fairness=draw(st.integers(0, 2)))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_everyone_twice())
def test_a_proven_encoding_optimum_is_the_planners_optimum(problem: Problem) -> None:
    spec = spec_of(build_index(problem))
    assert spec is not None and spec.cap is not None
    result = solve(problem, time_limit=10)
    assert result.status in (Status.OPTIMAL, Status.INFEASIBLE)
    optimum = result.objectives["breaks"] if result.status is Status.OPTIMAL else None
    answer = solve_spec(spec)
    if answer is None:  # no plan with someone at zero: every fair plan breaks everyone
        assert optimum is None or optimum >= spec.cap
        return
    breaks, _ = _check(problem, answer)
    assert optimum is not None and optimum <= breaks
    if proven(spec, breaks):
        assert breaks == optimum
