"""Profiles, wishes and exclusions: the recommender's input, and their JSON form.

A profile file is ``{"smes": [...], "stakeholders": [...]}`` (optionally with ``"wishes"`` and
``"exclusions"``, lists of ``{"sme": id, "stakeholder": id}``). Unknown fields are ignored; a
record that is not an object, has no id or no description, or repeats an id raises
:class:`ProfileError` naming the record. Optional fields are read leniently (a number where
text was expected, "TRL 6", a single keyword instead of a list); a value that cannot be used
is ignored rather than failing a whole mission's file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class ProfileError(ValueError):
    """A profile file or record is invalid; the message names the record."""


@dataclass(frozen=True, slots=True)
class SmeProfile:
    """What an SME offers and whom it wants to meet."""

    id: str
    name: str
    description: str
    country: str = ""
    city: str = ""
    keywords: tuple[str, ...] = ()
    trl: int | None = None
    sectors: tuple[str, ...] = ()
    partner_types_sought: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The text the topical signals read: description, keywords and sectors."""
        return _join(self.description, self.keywords, self.sectors)


@dataclass(frozen=True, slots=True)
class StakeholderProfile:
    """A local organisation: what it needs, what kind of partner it is."""

    id: str
    name: str
    description: str
    type: str = ""
    city: str = ""
    keywords: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The text the topical signals read: description, keywords and programmes."""
        return _join(self.description, self.keywords, self.programmes)


@dataclass(frozen=True, slots=True)
class Pair:
    """An (SME, stakeholder) pair: an advisor wish or an exclusion."""

    sme: str
    stakeholder: str


@dataclass(frozen=True, slots=True)
class ProfileSet:
    """Everything one ranking run needs."""

    smes: tuple[SmeProfile, ...]
    stakeholders: tuple[StakeholderProfile, ...]
    wishes: tuple[Pair, ...] = ()
    exclusions: tuple[Pair, ...] = ()


def _join(description: str, *lists: Sequence[str]) -> str:
    parts = [description, *(". ".join(items) for items in lists if items)]
    return ". ".join(part for part in parts if part)


def _record_name(kind: str, index: int, record: Mapping[str, Any]) -> str:
    rid = record.get("id")
    return f"{kind}[{index}] (id {rid!r})" if rid not in (None, "") else f"{kind}[{index}]"


def _text(record: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = record.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        if required:
            problem = "missing" if value in (None, "") or isinstance(value, str) else "invalid"
            raise ProfileError(f"{where}: {problem} {key!r}")
        return ""
    return value


def _strings(record: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = record.get(key)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return ()
    items = (str(v) for v in value if isinstance(v, str | int | float) and not isinstance(v, bool))
    return tuple(item for item in items if item.strip())


def _languages(record: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(code.strip().lower()[:2] for code in _strings(record, "languages"))


_NUMBER = re.compile(r"\d+")


def _trl(record: Mapping[str, Any]) -> int | None:
    """The technology readiness level 1–9 ("7", 7, "TRL 7"), or None when unusable."""
    value = record.get("trl")
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    found = _NUMBER.search(str(int(value)) if isinstance(value, float) else str(value))
    trl = int(found.group()) if found else 0
    return trl if 1 <= trl <= 9 else None


def sme_from_dict(record: Mapping[str, Any], where: str = "sme") -> SmeProfile:
    """Build an :class:`SmeProfile` from a JSON object, validating it."""
    if not isinstance(record, Mapping):
        raise ProfileError(f"{where}: must be an object")
    return SmeProfile(
        id=_text(record, "id", where, required=True),
        name=_text(record, "name", where),
        description=_text(record, "description", where, required=True),
        country=_text(record, "country", where),
        city=_text(record, "city", where),
        keywords=_strings(record, "keywords"),
        trl=_trl(record),
        sectors=_strings(record, "sectors"),
        partner_types_sought=_strings(record, "partner_types_sought"),
        languages=_languages(record),
    )


def stakeholder_from_dict(
    record: Mapping[str, Any], where: str = "stakeholder"
) -> StakeholderProfile:
    """Build a :class:`StakeholderProfile` from a JSON object, validating it."""
    if not isinstance(record, Mapping):
        raise ProfileError(f"{where}: must be an object")
    return StakeholderProfile(
        id=_text(record, "id", where, required=True),
        name=_text(record, "name", where),
        description=_text(record, "description", where, required=True),
        type=_text(record, "type", where),
        city=_text(record, "city", where),
        keywords=_strings(record, "keywords"),
        programmes=_strings(record, "programmes"),
        languages=_languages(record),
    )


def _records(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ProfileError(f"{key!r} must be a list")
    return value


def _pairs(data: Mapping[str, Any], key: str) -> tuple[Pair, ...]:
    pairs = []
    for index, record in enumerate(_records(data, key)):
        where = f"{key}[{index}]"
        if not isinstance(record, Mapping):
            raise ProfileError(f"{where}: must be an object")
        pairs.append(
            Pair(
                _text(record, "sme", where, required=True),
                _text(record, "stakeholder", where, required=True),
            )
        )
    return tuple(pairs)


def profiles_from_dict(data: Any) -> ProfileSet:
    """Validate a decoded profile file and build a :class:`ProfileSet`."""
    if not isinstance(data, Mapping):
        raise ProfileError("the profile file must be a JSON object with 'smes' and 'stakeholders'")
    smes = [
        sme_from_dict(
            record, _record_name("smes", index, record if isinstance(record, Mapping) else {})
        )
        for index, record in enumerate(_records(data, "smes"))
    ]
    stakeholders = [
        stakeholder_from_dict(
            record,
            _record_name("stakeholders", index, record if isinstance(record, Mapping) else {}),
        )
        for index, record in enumerate(_records(data, "stakeholders"))
    ]
    _check_unique("smes", [sme.id for sme in smes])
    _check_unique("stakeholders", [st.id for st in stakeholders])
    return ProfileSet(
        tuple(smes), tuple(stakeholders), _pairs(data, "wishes"), _pairs(data, "exclusions")
    )


def _check_unique(kind: str, ids: Sequence[str]) -> None:
    seen: dict[str, int] = {}
    for index, rid in enumerate(ids):
        if rid in seen:
            raise ProfileError(
                f"{kind}[{index}] (id {rid!r}): duplicate id, first at {kind}[{seen[rid]}]"
            )
        seen[rid] = index


def load_profiles(path: Path) -> ProfileSet:
    """Read and validate a profile file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ProfileError(f"{path}: invalid JSON: {error}") from None
    except OSError as error:
        raise ProfileError(f"{path}: cannot read: {error.strerror}") from None
    return profiles_from_dict(data)
