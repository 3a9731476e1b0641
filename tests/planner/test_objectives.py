"""The objectives are configurable: which run, in the fixed lexicographic order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from planner_builders import meeting, tiny

from trademission.planner import Problem, ProblemError, Status, load_problem, solve, validate
from trademission.planner.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "mission-small.json"


def _with(tmp_path: Path, objectives: object) -> Path:
    raw = json.loads(EXAMPLE.read_text())
    raw["objectives"] = objectives
    path = tmp_path / "p.json"
    path.write_text(json.dumps(raw))
    return path


def test_the_default_is_meetings_breaks_travel() -> None:
    assert load_problem(EXAMPLE).objectives == ("meetings", "breaks", "travel")


def test_a_subset_in_order_loads(tmp_path: Path) -> None:
    assert load_problem(_with(tmp_path, ["meetings", "travel"])).objectives == (
        "meetings",
        "travel",
    )


@pytest.mark.parametrize(
    ("objectives", "message"),
    [
        (["breaks"], "must start with 'meetings'"),
        (["meetings", "speed"], "unknown objective 'speed'"),
        (["meetings", "travel", "breaks"], "in the order meetings, breaks, travel"),
        (["meetings", "breaks", "breaks"], "each at most once"),
        ("meetings", "expected list"),
    ],
)
def test_a_bad_list_is_refused_with_the_field(
    tmp_path: Path, objectives: object, message: str
) -> None:
    with pytest.raises(ProblemError, match=message) as info:
        load_problem(_with(tmp_path, objectives))
    assert "objectives" in str(info.value)


def _spread() -> Problem:
    # h's meetings could be back to back; a plan that does not minimise breaks need not be
    ms = [meeting(f"m{i}", "h", f"s{i}", required=True) for i in range(3)]
    return tiny(ms, slots=6, fairness=2)


def test_without_breaks_no_break_phase_runs_but_fairness_holds() -> None:
    problem = _spread()
    result = solve(problem, time_limit=10, objectives=("meetings",))
    assert result.status is Status.OPTIMAL
    assert "breaks" not in result.bound  # not minimised, so no bound is claimed
    assert validate(problem, result.plan, fairness=2) == []
    full = solve(problem, time_limit=10)
    assert (full.objectives["breaks"], full.bound["breaks"]) == (0, 0)


def test_solve_refuses_a_bad_order() -> None:
    with pytest.raises(ValueError, match="must start with 'meetings'"):
        solve(_spread(), objectives=("travel", "meetings"))


def test_cli_objectives_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(EXAMPLE), "--objectives", "breaks"]) == 2
    assert "--objectives breaks: must start with 'meetings'" in capsys.readouterr().err
    out = tmp_path / "plan.json"
    code = main([str(EXAMPLE), "--objectives", "meetings", "--time-limit", "10", "--out", str(out)])
    assert code == 0
    assert "breaks" not in json.loads(out.read_text())["bound"]
