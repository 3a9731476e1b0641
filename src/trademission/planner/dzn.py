"""Reader for the MiniZinc data files of the B2B meeting scheduling benchmark (B2BSOP).

Bofill et al., JAIR 74 (2022). Every meeting is between two businesses, lasts one slot and is
required; ``nTables`` caps the meetings per slot; session 1 is the morning, 2 the afternoon,
3 either; every ``forbidden`` set holds a meaningless 0; ``fixed[m] = t > 0`` pins meeting m to
slot t; ``precedences[m]`` lists meetings held strictly before m.
"""

from __future__ import annotations

import re
from pathlib import Path

from trademission.planner.problem import (
    Calendar,
    Day,
    Meeting,
    Participant,
    Problem,
    Session,
    Venue,
)

DznValue = int | list[int] | list[list[int]]
FIRST_GRAIN = 16  # slot 1 at 08:00 with 30-minute grains: only for human-readable output
GRAIN_MINUTES = 30
_TOKEN = re.compile(r"\s*(-?\d+|\[\||\|\]|[\[\]{}|,;=]|[A-Za-z_][A-Za-z0-9_]*)")


class DznError(ValueError):
    """A malformed data file: the message names the file, line and field."""


def slot_to_grain(slot: int) -> int:
    return FIRST_GRAIN + slot - 1


def grain_to_slot(grain: int) -> int:
    return grain - FIRST_GRAIN + 1


def _tokens(text: str, path: str) -> list[tuple[str, int]]:
    text = re.sub(r"%[^\n]*", "", text)  # MiniZinc comments
    out: list[tuple[str, int]] = []
    pos, line = 0, 1
    while pos < len(text):
        if text[pos].isspace():
            line += text[pos] == "\n"
            pos += 1
            continue
        match = _TOKEN.match(text, pos)
        if match is None:
            raise DznError(f"{path}: line {line}: unexpected character {text[pos]!r}")
        out.append((match.group(1), line))
        line += match.group(0).count("\n")
        pos = match.end()
    return out


def _parse_value(toks: list[tuple[str, int]], path: str, name: str) -> DznValue:
    first, line = toks[0]
    body = [t for t, _ in toks]
    where = f"{path}: line {line}: field {name!r}"
    try:
        if first.lstrip("-").isdigit() and len(body) == 1:
            return int(first)
        if first == "[|":
            if body[-1] != "|]":
                raise DznError(f"{where}: 2-d array not closed by '|]'")
            rows = " ".join(body[1:-1]).split("|")
            return [[int(x) for x in row.split(",") if x.strip()] for row in rows if row.strip()]
        if first == "[" and body[-1] == "]":
            inner = body[1:-1]
            if "{" in inner:
                return _parse_sets(inner, where)
            return [int(x) for x in inner if x != ","]
    except ValueError as exc:
        raise DznError(f"{where}: {exc}") from None
    raise DznError(f"{where}: cannot read value starting with {first!r}")


def _parse_sets(inner: list[str], where: str) -> list[list[int]]:
    sets: list[list[int]] = []
    current: list[int] | None = None
    for tok in inner:
        if tok == "{":
            current = []
        elif tok == "}":
            if current is None:
                raise DznError(f"{where}: '}}' without '{{'")
            sets.append(current)
            current = None
        elif tok != ",":
            if current is None:
                raise DznError(f"{where}: number {tok} outside a set")
            current.append(int(tok))
    return sets


def parse_dzn(text: str, path: str = "<dzn>") -> dict[str, DznValue]:
    toks = _tokens(text, path)
    fields: dict[str, DznValue] = {}
    i = 0
    while i < len(toks):
        name, line = toks[i]
        if i + 1 >= len(toks) or toks[i + 1][0] != "=":
            raise DznError(f"{path}: line {line}: expected 'name = value;' at {name!r}")
        j = i + 2
        while j < len(toks) and toks[j][0] != ";":
            j += 1
        if j == i + 2 or j == len(toks):
            raise DznError(f"{path}: line {line}: field {name!r} has no value or no ';'")
        fields[name] = _parse_value(toks[i + 2 : j], path, name)
        i = j + 1
    return fields


def _int(fields: dict[str, DznValue], name: str, path: str) -> int:
    value = fields.get(name)
    if not isinstance(value, int):
        raise DznError(f"{path}: field {name!r} missing or not an integer")
    return value


def _list(fields: dict[str, DznValue], name: str, path: str, size: int) -> list[object]:
    value = fields.get(name, [])
    if not isinstance(value, list):
        raise DznError(f"{path}: field {name!r} is not an array")
    if value and len(value) != size:
        raise DznError(f"{path}: field {name!r} has {len(value)} entries, expected {size}")
    return list(value)


def problem_from_dzn(fields: dict[str, DznValue], path: str, name: str = "") -> Problem:
    n_business = _int(fields, "nBusiness", path)
    n_meetings = _int(fields, "nMeetings", path)
    n_slots = _int(fields, "nTotalSlots", path)
    n_morning = _int(fields, "nMorningSlots", path)
    tables = _int(fields, "nTables", path)
    requested = _list(fields, "requested", path, n_meetings)
    if len(requested) != n_meetings:
        raise DznError(
            f"{path}: field 'requested' has {len(requested)} rows, expected {n_meetings}"
        )
    forbidden = _list(fields, "forbidden", path, n_business)
    fixed = _list(fields, "fixed", path, n_meetings)
    precedences = _list(fields, "precedences", path, n_meetings)
    participants = tuple(
        Participant(
            id=f"b{b + 1}",
            unavailable=tuple(
                (slot_to_grain(s), slot_to_grain(s) + 1)
                for s in _slots(forbidden[b] if forbidden else [], n_slots, path, "forbidden")
            ),
        )
        for b in range(n_business)
    )
    meetings = tuple(
        _meeting(m, requested[m], fixed, precedences, n_business, n_slots, path)
        for m in range(n_meetings)
    )
    day = Day(
        date="day-1",
        open=FIRST_GRAIN,
        close=FIRST_GRAIN + n_slots,
        sessions=(
            Session("morning", FIRST_GRAIN, FIRST_GRAIN + n_morning),
            Session("afternoon", FIRST_GRAIN + n_morning, FIRST_GRAIN + n_slots),
        ),
    )
    return Problem(
        calendar=Calendar(grain_minutes=GRAIN_MINUTES, days=(day,)),
        participants=participants,
        meetings=meetings,
        venues=(Venue(id="tables", name="Tables", kind="trade_show", tables=tables),),
        name=name,
    )


def _slots(values: object, n_slots: int, path: str, what: str) -> list[int]:
    if not isinstance(values, list):
        raise DznError(f"{path}: field {what!r} entry is not a set")
    out = []
    for v in values:
        if v == 0:
            continue  # the benchmark writes a 0 into every set to keep it non-empty
        if not isinstance(v, int) or not 1 <= v <= n_slots:
            raise DznError(f"{path}: field {what!r}: slot {v} outside 1..{n_slots}")
        out.append(v)
    return out


def _meeting(
    m: int,
    row: object,
    fixed: list[object],
    precedences: list[object],
    n_business: int,
    n_slots: int,
    path: str,
) -> Meeting:
    if not isinstance(row, list) or len(row) != 3:
        raise DznError(f"{path}: field 'requested' row {m + 1} must be 'a, b, session'")
    a, b, session = row
    for x in (a, b):
        if not 1 <= x <= n_business:
            raise DznError(f"{path}: field 'requested' row {m + 1}: business {x} unknown")
    if session not in (1, 2, 3) or a == b:
        raise DznError(f"{path}: field 'requested' row {m + 1}: bad session or self-meeting")
    start = fixed[m] if fixed else 0
    if not isinstance(start, int) or not 0 <= start <= n_slots:
        raise DznError(f"{path}: field 'fixed' entry {m + 1}: {start} outside 0..{n_slots}")
    before = precedences[m] if precedences else []
    if not isinstance(before, list) or any(
        not isinstance(k, int) or not 0 <= k <= len(precedences) for k in before
    ):
        raise DznError(f"{path}: field 'precedences' entry {m + 1} is not a set of meetings")
    return Meeting(
        id=f"m{m + 1}",
        host=f"b{a}",
        delegates=(f"b{b}",),
        required=True,
        sessions={1: ("morning",), 2: ("afternoon",), 3: ()}[session],
        fixed_start=slot_to_grain(start) if start else None,
        after=tuple(f"m{k}" for k in before if k),
    )


def read_dzn(path: str | Path) -> Problem:
    """Read a B2BSOP ``.dzn`` file into a Problem; raise DznError naming file, line, field."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DznError(f"{p}: cannot read: {exc}") from None
    return problem_from_dzn(parse_dzn(text, str(p)), str(p), name=p.name.split(".")[0])
