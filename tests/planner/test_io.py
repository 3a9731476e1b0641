"""The problem formats: JSON (with its schema and example), the B2BSOP .dzn files, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trademission.planner import DznError, ProblemError, Status, load_problem, read_dzn, solve
from trademission.planner.cli import main
from trademission.planner.dzn import parse_dzn

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "mission-small.json"
SCHEMA = ROOT / "docs" / "planner-problem.schema.json"
SHARED = ROOT.parent / "shared" / "benchmarks" / "b2bsp"
ORIGINALS = sorted(SHARED.glob("*.original.dzn")) if SHARED.is_dir() else []

SMALL_DZN = """nBusiness = 3; nMeetings = 2; nTables = 1; nTotalSlots = 3; nMorningSlots = 2;
requested = [|1, 2, 1
|2, 3, 3
|];
forbidden = [{0}, {0, 1}, {0}];
fixed = [0, 0];
precedences = [{}, {1}];
"""


def test_example_loads_with_every_feature() -> None:
    problem = load_problem(EXAMPLE)
    assert [d.city for d in problem.calendar.days] == ["Toronto", "Ottawa"]
    assert len(problem.meetings) == 6
    assert {p.id for p in problem.programme} == {"reception", "transfer-1"}
    assert problem.meetings[5].fixed_start == 96 + 14 * 4


def test_example_keys_are_in_the_schema() -> None:
    schema = json.loads(SCHEMA.read_text())
    raw = json.loads(EXAMPLE.read_text())
    assert set(raw) <= set(schema["properties"])
    meeting_keys = set(schema["properties"]["meetings"]["items"]["properties"])
    assert all(set(m) <= meeting_keys for m in raw["meetings"])


def test_example_solves_optimally_and_validates() -> None:
    result = solve(load_problem(EXAMPLE), time_limit=20)
    assert result.status is Status.OPTIMAL
    assert result.objectives["meetings_held"] == 6
    assert result.objectives["breaks"] == 1  # r4 must end by 12:30, r6 is fixed at 14:00


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_json_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.json", '{\n "format": "trademission-problem",\n oops\n}')
    with pytest.raises(ProblemError, match=r"bad\.json: line 3: invalid JSON"):
        load_problem(path)


def test_json_missing_field_names_the_path(tmp_path: Path) -> None:
    raw = json.loads(EXAMPLE.read_text())
    del raw["meetings"][2]["host"]
    path = _write(tmp_path, "p.json", json.dumps(raw))
    with pytest.raises(ProblemError, match=r"p\.json: meetings\[2\]\.host: missing"):
        load_problem(path)


def test_json_unknown_participant_is_reported(tmp_path: Path) -> None:
    raw = json.loads(EXAMPLE.read_text())
    raw["meetings"][0]["delegates"] = ["nobody"]
    path = _write(tmp_path, "p.json", json.dumps(raw))
    with pytest.raises(ProblemError, match=r"meetings\[0\]: unknown participant 'nobody'"):
        load_problem(path)


def test_json_time_off_the_grain_is_reported(tmp_path: Path) -> None:
    raw = json.loads(EXAMPLE.read_text())
    raw["calendar"]["days"][0]["open"] = "09:07"
    path = _write(tmp_path, "p.json", json.dumps(raw))
    with pytest.raises(ProblemError, match=r"calendar\.days\[0\]\.open: 09:07 is not a time"):
        load_problem(path)


def test_json_wrong_version_is_reported(tmp_path: Path) -> None:
    raw = json.loads(EXAMPLE.read_text())
    raw["version"] = 7
    with pytest.raises(ProblemError, match="unsupported version 7"):
        load_problem(_write(tmp_path, "p.json", json.dumps(raw)))


def test_dzn_small_reads_every_field(tmp_path: Path) -> None:
    problem = read_dzn(_write(tmp_path, "small.dzn", SMALL_DZN))
    m1, m2 = problem.meetings
    assert (m1.host, m1.delegates, m1.sessions) == ("b1", ("b2",), ("morning",))
    assert m2.sessions == () and m2.after == ("m1",)
    assert problem.participants[1].unavailable == ((16, 17),)
    assert problem.venues[0].tables == 1


def test_dzn_small_solves_with_slots(tmp_path: Path) -> None:
    path = _write(tmp_path, "small.dzn", SMALL_DZN)
    out = tmp_path / "plan.json"
    assert main([str(path), "--time-limit", "10", "--out", str(out)]) == 0
    plan = json.loads(out.read_text())
    assert plan["status"] == "OPTIMAL"
    assert plan["slots"] == [2, 3]  # b2 is forbidden in slot 1; m2 after m1
    assert plan["objectives"]["breaks"] == 0
    assert plan["bound"]["breaks"] == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nBusiness = 3;\nnMeetings = x;", r"line 2: field 'nMeetings'"),
        ("nBusiness = 3 nMeetings = 2;", r"line 1: field 'nBusiness': cannot read value"),
        ("nBusiness = 3;\n= 2;", r"line 2: expected 'name = value;'"),
        ("nBusiness = 3;\nrequested = [|1, 2, 1|", r"field 'requested'"),
        (
            SMALL_DZN.replace("nMeetings = 2", "nMeetings = 3"),
            r"'requested' has 2 entries, expected 3",
        ),
        (SMALL_DZN.replace("{0, 1}", "{0, 9}"), r"'forbidden': slot 9 outside 1\.\.3"),
        (SMALL_DZN.replace("nTables = 1;", ""), r"'nTables' missing"),
        ("nBusiness = 3;\n@", r"line 2: unexpected character"),
    ],
)
def test_dzn_malformed_names_line_or_field(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(DznError, match=message):
        read_dzn(_write(tmp_path, "bad.dzn", text))


def test_cli_malformed_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "bad.dzn", "nBusiness = ;")
    assert main([str(path)]) == 2
    assert "bad.dzn" in capsys.readouterr().err


def test_cli_missing_file_exits_2(tmp_path: Path) -> None:
    assert main([str(tmp_path / "none.json")]) == 2


def test_cli_infeasible_exits_4(tmp_path: Path) -> None:
    text = SMALL_DZN.replace("forbidden = [{0}, {0, 1}, {0}]", "forbidden = [{0}, {0, 1, 2}, {0}]")
    assert main([str(_write(tmp_path, "inf.dzn", text)), "--time-limit", "5"]) == 4


@pytest.mark.skipif(not ORIGINALS, reason="shared b2bsp originals absent")
@pytest.mark.parametrize("path", ORIGINALS, ids=lambda p: p.name.split(".")[0])
def test_dzn_shared_originals_read(path: Path) -> None:
    fields = parse_dzn(path.read_text(), str(path))
    problem = read_dzn(path)
    assert len(problem.meetings) == fields["nMeetings"]
    assert len(problem.participants) == fields["nBusiness"]
    per_business = fields["nMeetingsBusiness"]
    assert isinstance(per_business, list)
    counts = [0] * len(problem.participants)
    for m in problem.meetings:
        for p in m.participants:
            counts[int(p[1:]) - 1] += 1
    assert counts == per_business


def test_cli_replans_from_previous_plan(tmp_path: Path) -> None:
    first = tmp_path / "plan.json"
    assert main([str(EXAMPLE), "--time-limit", "20", "--out", str(first)]) == 0
    plan = json.loads(first.read_text())
    r5 = next(p for p in plan["placements"] if p["meeting"] == "r5")
    raw = json.loads(EXAMPLE.read_text())
    water = next(p for p in raw["participants"] if p["id"] == "sme-water")
    water["unavailable"] = [{"date": r5["date"], "start": r5["start"], "end": r5["end"]}]
    changed = _write(tmp_path, "changed.json", json.dumps(raw))
    plan["published"] = ["r1"]
    first.write_text(json.dumps(plan))
    second = tmp_path / "replan.json"
    assert (
        main([str(changed), "--previous", str(first), "--time-limit", "20", "--out", str(second)])
        == 0
    )
    again = json.loads(second.read_text())
    before = {p["meeting"]: p["grain"] for p in plan["placements"]}
    after = {p["meeting"]: p["grain"] for p in again["placements"]}
    assert again["moved"] == 1
    assert after["r5"] != before["r5"]
    assert {m: g for m, g in after.items() if m != "r5"} == {
        m: g for m, g in before.items() if m != "r5"
    }
