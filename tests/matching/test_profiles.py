"""Reading profile files: unknown fields are ignored, bad records are named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trademission.matching.profiles import ProfileError, load_profiles, profiles_from_dict


def test_profiles_ignore_unknown_fields() -> None:
    profiles = profiles_from_dict(
        {
            "smes": [{"id": "a", "description": "Lasers", "colour": "blue", "trl": "7"}],
            "stakeholders": [{"id": "b", "description": "Lab", "budget": 3}],
            "comment": "whatever",
        }
    )
    assert profiles.smes[0].id == "a"
    assert profiles.smes[0].trl == 7
    assert profiles.stakeholders[0].description == "Lab"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"smes": [{"description": "x"}]}, "smes[0]: missing 'id'"),
        ({"smes": [{"id": "a"}]}, "smes[0] (id 'a'): missing 'description'"),
        ({"smes": [{"id": "a", "description": "   "}]}, "smes[0] (id 'a'): missing 'description'"),
        (
            {"stakeholders": [{"id": "s", "description": "x"}, {"id": "s", "description": "y"}]},
            "stakeholders[1] (id 's'): duplicate id, first at stakeholders[0]",
        ),
        ({"smes": {"id": "a"}}, "'smes' must be a list"),
        ([1, 2], "must be a JSON object"),
        ({"smes": ["text"]}, "smes[0]: must be an object"),
        ({"wishes": [{"sme": "a"}]}, "wishes[0]: missing 'stakeholder'"),
    ],
)
def test_profiles_name_the_bad_record(data: object, message: str) -> None:
    with pytest.raises(ProfileError) as error:
        profiles_from_dict(data)
    assert message in str(error.value)


def test_profiles_read_optional_fields_leniently() -> None:
    profiles = profiles_from_dict(
        {
            "smes": [
                {
                    "id": "a",
                    "description": "x",
                    "trl": "TRL 6",
                    "keywords": "lidar",
                    "languages": ["fr", 3, None],
                    "city": 75,
                },
                {"id": "b", "description": "y", "trl": 12, "sectors": {"not": "a list"}},
            ],
        }
    )
    first, second = profiles.smes
    assert (first.trl, first.keywords, first.languages, first.city) == (
        6,
        ("lidar",),
        ("fr", "3"),
        "75",
    )
    assert (second.trl, second.sectors) == (None, ())


def test_profiles_description_of_the_wrong_type_is_invalid() -> None:
    with pytest.raises(ProfileError, match=r"smes\[0\] \(id 'a'\): invalid 'description'"):
        profiles_from_dict({"smes": [{"id": "a", "description": ["x"]}]})


def test_profiles_invalid_json_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "profiles.json"
    path.write_text('{"smes": [', encoding="utf-8")
    with pytest.raises(ProfileError, match=r"profiles\.json: invalid JSON"):
        load_profiles(path)


def test_profiles_read_a_file(tmp_path: Path) -> None:
    path = tmp_path / "profiles.json"
    path.write_text(
        json.dumps(
            {
                "smes": [{"id": 1, "description": "Radar", "languages": ["FR", "en-CA"]}],
                "stakeholders": [],
            }
        ),
        encoding="utf-8",
    )
    profiles = load_profiles(path)
    assert profiles.smes[0].id == "1"
    assert profiles.smes[0].languages == ("fr", "en")
