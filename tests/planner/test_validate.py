"""The independent validator finds every kind of violation, and plans from solve pass it."""

from __future__ import annotations

from planner_builders import OPEN, at, meeting, tiny

from trademission.planner import (
    Participant,
    Placement,
    Plan,
    ProgrammeItem,
    Travel,
    Venue,
    validate,
)


def rules(problem: object, *placements: Placement, fairness: int | None = None) -> list[str]:
    return sorted(v.rule for v in validate(problem, Plan(placements), fairness=fairness))  # type: ignore[arg-type]


def test_valid_plan_has_no_violation() -> None:
    problem = tiny([meeting("a", "h", "s")])
    assert rules(problem, Placement("a", at(0, OPEN), "hall")) == []


def test_overlap_of_a_participant() -> None:
    problem = tiny([meeting("a", "h", "s"), meeting("b", "h", "t")])
    found = rules(problem, Placement("a", at(0, OPEN), "hall"), Placement("b", at(0, OPEN), "hall"))
    assert found == ["overlap"]


def test_tables_over_capacity() -> None:
    problem = tiny([meeting("a", "h1", "s1"), meeting("b", "h2", "s2")], tables=1)
    found = rules(problem, Placement("a", at(0, OPEN), "hall"), Placement("b", at(0, OPEN), "hall"))
    assert found == ["tables"]


def test_outside_hours_unknown_and_duplicate() -> None:
    problem = tiny([meeting("a", "h", "s")], slots=2)
    found = rules(
        problem,
        Placement("a", at(0, OPEN + 2), "hall"),
        Placement("a", at(0, OPEN), "hall"),
        Placement("zz", at(0, OPEN), "hall"),
    )
    assert found == ["duplicate", "hours", "unknown"]


def test_required_missing_and_fixed_moved() -> None:
    problem = tiny(
        [meeting("a", "h", "s", required=True), meeting("b", "x", "y", fixed_start=at(0, OPEN))]
    )
    assert rules(problem, Placement("b", at(0, OPEN + 1), "hall")) == ["fixed", "required"]


def test_unavailable_programme_and_session() -> None:
    busy = Participant(id="s", unavailable=((at(0, OPEN), at(0, OPEN + 1)),))
    item = ProgrammeItem(id="talk", start=at(0, OPEN + 1), end=at(0, OPEN + 2))
    problem = tiny(
        [meeting("a", "h", "s"), meeting("b", "x", "y", sessions=("morning",))],
        participants=[busy],
        programme=[item],
        sessions=True,
    )
    found = rules(
        problem, Placement("a", at(0, OPEN), "hall"), Placement("b", at(0, OPEN + 3), "hall")
    )
    assert found == ["session", "unavailable"]
    assert rules(problem, Placement("a", at(0, OPEN + 1), "hall")) == ["programme", "programme"]


def test_gap_for_pause_and_travel() -> None:
    venues = [Venue(id="A"), Venue(id="B")]
    pause = Participant(id="h", min_pause=1)
    problem = tiny(
        [
            meeting("a", "h", "s", venues=("A",)),
            meeting("b", "h", "t", venues=("A",)),
            meeting("c", "x", "y", venues=("A",)),
            meeting("d", "x", "z", venues=("B",)),
        ],
        participants=[pause],
        venues=venues,
        travel=Travel(matrix=(("A", "B", 90),)),
    )
    found = rules(
        problem,
        Placement("a", at(0, OPEN), "A"),
        Placement("b", at(0, OPEN + 1), "A"),
        Placement("c", at(0, OPEN), "A"),
        Placement("d", at(0, OPEN + 2), "B"),
    )
    assert found == ["gap", "gap"]


def test_max_per_day_precedence_and_venue() -> None:
    cap = Participant(id="h", max_per_day=1)
    problem = tiny(
        [meeting("a", "h", "s"), meeting("b", "h", "t", after=("a",))], participants=[cap]
    )
    found = rules(
        problem, Placement("a", at(0, OPEN + 1), "hall"), Placement("b", at(0, OPEN), "web")
    )
    assert found == ["max_per_day", "precedence", "venue"]


def test_city_of_the_day() -> None:
    problem = tiny(
        [meeting("a", "h", "s")], cities=["Ottawa"], venues=[Venue(id="t", city="Toronto")]
    )
    assert rules(problem, Placement("a", at(0, OPEN), "t")) == ["city"]


def test_fairness_counts_breaks() -> None:
    problem = tiny([meeting("a", "h", "s"), meeting("b", "h", "t"), meeting("c", "x", "y")])
    plan = (
        Placement("a", at(0, OPEN), "hall"),
        Placement("b", at(0, OPEN + 2), "hall"),
        Placement("c", at(0, OPEN), "hall"),
    )
    assert rules(problem, *plan, fairness=1) == []
    assert rules(problem, *plan, fairness=0) == ["fairness"]
