"""The versioned JSON problem format (docs/planner-problem.schema.json) and plan output.

Times are written as the mission's local wall-clock ``HH:MM`` and dates as ``YYYY-MM-DD``;
inside the planner they become grains. Every error names the file and the field path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from trademission.planner.problem import (
    OBJECTIVES,
    Calendar,
    Day,
    Interval,
    Meeting,
    Participant,
    Placement,
    Plan,
    Problem,
    ProgrammeItem,
    Result,
    Session,
    Travel,
    Venue,
    objectives_error,
)

FORMAT = "trademission-problem"
VERSION = 1


class ProblemError(ValueError):
    """Malformed problem: the message names the file and the field."""


class _Reader:
    def __init__(self, source: str, dates: dict[str, int], grain: int) -> None:
        self.source, self.dates, self.grain = source, dates, grain

    def fail(self, where: str, what: str) -> ProblemError:
        return ProblemError(f"{self.source}: {where}: {what}")

    def get(
        self, obj: Any, key: str, where: str, kind: type | tuple[type, ...], default: Any = ...
    ) -> Any:
        if not isinstance(obj, dict):
            raise self.fail(where, "expected an object")
        if key not in obj or obj[key] is None:
            if default is ...:
                raise self.fail(f"{where}.{key}", "missing")
            return default
        value = obj[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, float)):
            raise self.fail(f"{where}.{key}", f"expected {getattr(kind, '__name__', kind)}")
        return value

    def minutes(self, text: Any, where: str) -> int:
        if not isinstance(text, str) or len(text) != 5 or text[2] != ":":
            raise self.fail(where, f"expected HH:MM, got {text!r}")
        try:
            h, m = int(text[:2]), int(text[3:])
        except ValueError:
            raise self.fail(where, f"expected HH:MM, got {text!r}") from None
        if not (0 <= h <= 24 and 0 <= m < 60) or (h * 60 + m) % self.grain:
            raise self.fail(where, f"{text} is not a time on the {self.grain}-minute grain")
        return (h * 60 + m) // self.grain

    def moment(self, obj: Any, where: str, key: str = "start") -> int:
        date = self.get(obj, "date", where, str)
        if date not in self.dates:
            raise self.fail(f"{where}.date", f"{date} is not a day of the calendar")
        return self.dates[date] * (1440 // self.grain) + self.minutes(
            obj.get(key), f"{where}.{key}"
        )

    def interval(self, obj: Any, where: str) -> Interval:
        start, end = self.moment(obj, where, "start"), self.moment(obj, where, "end")
        if end <= start:
            raise self.fail(where, "ends before it starts")
        return start, end


def _calendar(raw: dict[str, Any], source: str) -> tuple[Calendar, _Reader]:
    r0 = _Reader(source, {}, 1)
    cal = r0.get(raw, "calendar", "problem", dict)
    grain = r0.get(cal, "grain_minutes", "calendar", int)
    if grain <= 0 or 1440 % grain:
        raise r0.fail("calendar.grain_minutes", "must divide a day")
    days_raw = r0.get(cal, "days", "calendar", list)
    dates = {r0.get(d, "date", f"calendar.days[{i}]", str): i for i, d in enumerate(days_raw)}
    r = _Reader(source, dates, grain)
    cities = r.get(raw.get("itinerary", {}), "cities", "itinerary", dict, {})
    days = tuple(_day(r, d, f"calendar.days[{i}]", cities) for i, d in enumerate(days_raw))
    return Calendar(grain, days), r


def _day(r: _Reader, d: Any, where: str, cities: dict[str, str]) -> Day:
    open_, close = (
        r.minutes(r.get(d, "open", where, str), f"{where}.open"),
        r.minutes(r.get(d, "close", where, str), f"{where}.close"),
    )
    sessions = tuple(
        Session(
            r.get(s, "name", f"{where}.sessions[{j}]", str),
            r.minutes(r.get(s, "start", f"{where}.sessions[{j}]", str), f"{where}.sessions[{j}]"),
            r.minutes(r.get(s, "end", f"{where}.sessions[{j}]", str), f"{where}.sessions[{j}]"),
        )
        for j, s in enumerate(r.get(d, "sessions", where, list, []))
    )
    breaks = tuple(
        (
            r.minutes(b.get("start"), f"{where}.breaks[{j}]"),
            r.minutes(b.get("end"), f"{where}.breaks[{j}]"),
        )
        for j, b in enumerate(r.get(d, "breaks", where, list, []))
    )
    if close <= open_:
        raise r.fail(where, "closes before it opens")
    return Day(d["date"], open_, close, cities.get(d["date"]), sessions, breaks)


def _participant(r: _Reader, p: Any, where: str) -> Participant:
    role = r.get(p, "role", where, str, "stakeholder")
    if role not in ("delegate", "stakeholder"):
        raise r.fail(f"{where}.role", "must be 'delegate' or 'stakeholder'")
    pause = r.get(p, "min_pause_minutes", where, int, 0)
    return Participant(
        id=r.get(p, "id", where, str),
        name=r.get(p, "name", where, str, ""),
        role=role,
        unavailable=tuple(
            r.interval(u, f"{where}.unavailable[{j}]")
            for j, u in enumerate(r.get(p, "unavailable", where, list, []))
        ),
        max_per_day=r.get(p, "max_per_day", where, int, None),
        min_pause=-(-pause // r.grain),
    )


def _venue(r: _Reader, v: Any, where: str) -> Venue:
    kind = r.get(v, "kind", where, str, "premises")
    if kind not in ("premises", "trade_show", "hotel", "online"):
        raise r.fail(f"{where}.kind", f"unknown venue kind {kind!r}")
    return Venue(
        id=r.get(v, "id", where, str),
        name=r.get(v, "name", where, str, ""),
        kind=kind,
        city=r.get(v, "city", where, str, None),
        lat=r.get(v, "lat", where, (int, float), None),
        lon=r.get(v, "lon", where, (int, float), None),
        tables=r.get(v, "tables", where, int, None),
    )


def _meeting(r: _Reader, m: Any, where: str) -> Meeting:
    minutes = r.get(m, "duration_minutes", where, int, r.grain)
    if minutes <= 0 or minutes % r.grain:
        raise r.fail(f"{where}.duration_minutes", f"must be a positive multiple of {r.grain}")
    fixed = m.get("fixed_start")
    return Meeting(
        id=r.get(m, "id", where, str),
        host=r.get(m, "host", where, str),
        delegates=tuple(r.get(m, "delegates", where, list)),
        duration=minutes // r.grain,
        weight=r.get(m, "weight", where, int, 1),
        required=r.get(m, "required", where, bool, False),
        sessions=tuple(r.get(m, "sessions", where, list, [])),
        venues=tuple(r.get(m, "venues", where, list, [])),
        fixed_start=None if fixed is None else r.moment(fixed, f"{where}.fixed_start", "time"),
        after=tuple(r.get(m, "after", where, list, [])),
    )


def problem_from_json(raw: Any, source: str = "<json>") -> Problem:
    """Build a Problem from parsed JSON; raise ProblemError naming the field."""
    r0 = _Reader(source, {}, 1)
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise r0.fail("format", f"expected {FORMAT!r}")
    if raw.get("version") != VERSION:
        raise r0.fail("version", f"unsupported version {raw.get('version')!r}, expected {VERSION}")
    calendar, r = _calendar(raw, source)
    participants = tuple(
        _participant(r, p, f"participants[{i}]")
        for i, p in enumerate(r.get(raw, "participants", "problem", list))
    )
    venues = tuple(
        _venue(r, v, f"venues[{i}]") for i, v in enumerate(r.get(raw, "venues", "problem", list))
    )
    meetings = tuple(
        _meeting(r, m, f"meetings[{i}]")
        for i, m in enumerate(r.get(raw, "meetings", "problem", list))
    )
    programme = tuple(_programme(r, raw))
    travel_raw = r.get(raw, "travel", "problem", dict, {})
    travel = Travel(
        speed_kmh=float(r.get(travel_raw, "speed_kmh", "travel", (int, float), 30.0)),
        buffer_minutes=r.get(travel_raw, "buffer_minutes", "travel", int, 10),
        matrix=tuple(
            (
                r.get(e, "from", f"travel.matrix[{i}]", str),
                r.get(e, "to", f"travel.matrix[{i}]", str),
                r.get(e, "minutes", f"travel.matrix[{i}]", int),
            )
            for i, e in enumerate(r.get(travel_raw, "matrix", "travel", list, []))
        ),
    )
    problem = Problem(
        calendar=calendar,
        participants=participants,
        meetings=meetings,
        venues=venues,
        programme=programme,
        travel=travel,
        fairness=r.get(raw, "fairness", "problem", int, None),
        name=r.get(raw, "name", "problem", str, ""),
        objectives=_objectives(r, raw),
    )
    _check_references(problem, r)
    return problem


def _objectives(r: _Reader, raw: dict[str, Any]) -> tuple[str, ...]:
    names = r.get(raw, "objectives", "problem", list, list(OBJECTIVES))
    why = objectives_error([str(n) for n in names])
    if why:
        raise r.fail("problem.objectives", why)
    return tuple(str(n) for n in names)


def _programme(r: _Reader, raw: dict[str, Any]) -> list[ProgrammeItem]:
    items = []
    for i, p in enumerate(r.get(raw, "programme", "problem", list, [])):
        start, end = r.interval(p, f"programme[{i}]")
        who = r.get(p, "participants", f"programme[{i}]", list, None)
        items.append(
            ProgrammeItem(
                r.get(p, "id", f"programme[{i}]", str),
                start,
                end,
                r.get(p, "name", f"programme[{i}]", str, ""),
                None if who is None else tuple(who),
            )
        )
    itinerary = r.get(raw, "itinerary", "problem", dict, {})
    delegates = tuple(p["id"] for p in raw["participants"] if p.get("role") == "delegate")
    for i, t in enumerate(r.get(itinerary, "transfers", "itinerary", list, [])):
        start, end = r.interval(t, f"itinerary.transfers[{i}]")
        items.append(ProgrammeItem(f"transfer-{i + 1}", start, end, "transfer", delegates))
    return items


def _check_references(problem: Problem, r: _Reader) -> None:
    people = {p.id for p in problem.participants}
    venues = {v.id for v in problem.venues}
    ids = [m.id for m in problem.meetings]
    sessions = {s.name for d in problem.calendar.days for s in d.sessions}
    for i, m in enumerate(problem.meetings):
        where = f"meetings[{i}]"
        for pid in m.participants:
            if pid not in people:
                raise r.fail(where, f"unknown participant {pid!r}")
        for v in m.venues:
            if v not in venues:
                raise r.fail(f"{where}.venues", f"unknown venue {v!r}")
        for s in m.sessions:
            if s not in sessions:
                raise r.fail(f"{where}.sessions", f"unknown session {s!r}")
        for a in m.after:
            if a not in ids:
                raise r.fail(f"{where}.after", f"unknown meeting {a!r}")
        if not m.delegates:
            raise r.fail(f"{where}.delegates", "needs at least one delegate")
    if len(set(ids)) != len(ids):
        raise r.fail("meetings", "meeting ids are not unique")


def load_problem(path: str | Path) -> Problem:
    """Read a problem file; raise ProblemError naming the file and the field."""
    p = Path(path)
    try:
        raw = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ProblemError(f"{p}: line {exc.lineno}: invalid JSON: {exc.msg}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProblemError(f"{p}: cannot read: {exc}") from None
    return problem_from_json(raw, str(p))


def _clock(problem: Problem, grain: int) -> tuple[str, str]:
    cal = problem.calendar
    day, g = divmod(grain, cal.grains_per_day)
    minutes = g * cal.grain_minutes
    return cal.days[day].date, f"{minutes // 60:02d}:{minutes % 60:02d}"


def result_to_json(problem: Problem, result: Result) -> dict[str, Any]:
    durations = {m.id: m.duration for m in problem.meetings}
    placements = []
    for p in result.placements:
        date, start = _clock(problem, p.start)
        _, end = _clock(problem, p.start + durations[p.meeting])
        placements.append(
            {
                "meeting": p.meeting,
                "date": date,
                "start": start,
                "end": end,
                "venue": p.venue,
                "grain": p.start,
            }
        )
    return {
        "status": result.status.value,
        "objectives": result.objectives,
        "bound": result.bound,
        "gap": result.gap,
        "seconds": round(result.seconds, 3),
        "moved": result.moved,
        "placements": placements,
        "unplaced": [{"meeting": u.meeting, "reason": u.reason} for u in result.unplaced],
        "explanation": list(result.explanation),
    }


def plan_from_json(raw: Any, source: str = "<plan>") -> Plan:
    """Read back a plan written by ``result_to_json`` (grains), with pinned/published flags."""
    if not isinstance(raw, dict) or not isinstance(raw.get("placements"), list):
        raise ProblemError(f"{source}: placements: missing")
    out = []
    for i, p in enumerate(raw["placements"]):
        if not isinstance(p, dict) or not {"meeting", "grain", "venue"} <= p.keys():
            raise ProblemError(f"{source}: placements[{i}]: needs meeting, grain and venue")
        out.append(Placement(str(p["meeting"]), int(p["grain"]), str(p["venue"])))
    return Plan(tuple(out), frozenset(raw.get("published", [])), frozenset(raw.get("pinned", [])))
