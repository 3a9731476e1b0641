"""``trademission match``: rankings file, explanations, and exit code 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.matching.conftest import SMES, STAKEHOLDERS
from trademission.cli import main as trademission_main
from trademission.matching.cli import main


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "profiles.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_cli_writes_rankings_both_ways_with_explanations(tmp_path: Path) -> None:
    profiles = write(tmp_path, {"smes": SMES, "stakeholders": STAKEHOLDERS, "note": "ignored"})
    out = tmp_path / "rankings.json"
    assert main([str(profiles), "--top", "2", "--out", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert set(result) == {"sme_to_stakeholders", "stakeholder_to_smes", "explanations"}
    assert result["sme_to_stakeholders"]["thermo"] == ["optics", "fire"]
    assert all(len(v) <= 2 for v in result["sme_to_stakeholders"].values())
    assert result["stakeholder_to_smes"]["optics"][0] == "thermo"
    explanation = result["explanations"]["thermo"]["fire"]
    assert explanation["concepts"][0]["concept"] == "thermal_imaging"
    assert explanation["concepts"][0]["stakeholder_phrases"] == ["caméras infrarouges"]
    assert "thermal imaging" in explanation["text"]
    # Every listed pair, in either direction, is explained.
    for sme, stakeholders in result["sme_to_stakeholders"].items():
        for stakeholder in stakeholders:
            assert stakeholder in result["explanations"][sme]
    for stakeholder, smes in result["stakeholder_to_smes"].items():
        for sme in smes:
            assert stakeholder in result["explanations"][sme]


def test_cli_is_reached_through_the_trademission_command(tmp_path: Path) -> None:
    profiles = write(tmp_path, {"smes": SMES, "stakeholders": STAKEHOLDERS})
    out = tmp_path / "rankings.json"
    assert trademission_main(["match", str(profiles), "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["sme_to_stakeholders"]["skywatch"][0] == (
        "prime"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"smes": [{"id": "a", "description": "x"}, {"id": "a", "description": "y"}]},
            "smes[1] (id 'a'): duplicate id",
        ),
        ({"smes": [{"id": "a"}], "stakeholders": []}, "smes[0] (id 'a'): missing 'description'"),
        ({"stakeholders": [{"description": "x"}]}, "stakeholders[0]: missing 'id'"),
    ],
)
def test_cli_bad_profile_exits_2_naming_the_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: object, message: str
) -> None:
    out = tmp_path / "rankings.json"
    assert main([str(write(tmp_path, data)), "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_cli_invalid_json_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "profiles.json"
    path.write_text("{not json", encoding="utf-8")
    assert main([str(path), "--out", str(tmp_path / "o.json")]) == 2
    assert "invalid JSON" in capsys.readouterr().err


def test_cli_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "none.json"), "--out", str(tmp_path / "o.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_cli_rejects_top_below_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profiles = write(tmp_path, {"smes": SMES, "stakeholders": STAKEHOLDERS})
    assert main([str(profiles), "--top", "0", "--out", str(tmp_path / "o.json")]) == 2
    assert "--top must be at least 1" in capsys.readouterr().err


def test_cli_output_is_identical_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    profiles = write(tmp_path, {"smes": SMES, "stakeholders": STAKEHOLDERS})
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"rankings-{seed}.json"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "trademission.matching.cli", str(profiles), "--out", str(out)],
            check=True,
            env=env,
            capture_output=True,
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
