"""Tiny problems for the planner tests: one day, 60-minute grains, opening at 09:00."""

from __future__ import annotations

from dataclasses import replace

from trademission.planner import (
    Calendar,
    Day,
    Meeting,
    Participant,
    Problem,
    ProgrammeItem,
    Session,
    Travel,
    Venue,
)

OPEN = 9  # grain of 09:00 with 60-minute grains


def meeting(mid: str, host: str, *delegates: str, **kw: object) -> Meeting:
    return Meeting(id=mid, host=host, delegates=tuple(delegates), **kw)  # type: ignore[arg-type]


def tiny(
    meetings: list[Meeting],
    *,
    slots: int = 4,
    days: int = 1,
    tables: int | None = None,
    participants: list[Participant] | None = None,
    venues: list[Venue] | None = None,
    programme: list[ProgrammeItem] | None = None,
    sessions: bool = False,
    lunch: tuple[int, int] | None = None,
    cities: list[str] | None = None,
    travel: Travel | None = None,
    fairness: int | None = None,
) -> Problem:
    people = {p for m in meetings for p in m.participants}
    given = {p.id for p in participants or []}
    parts = list(participants or []) + [Participant(id=p) for p in sorted(people - given)]
    half = OPEN + slots // 2
    day_sessions = (
        (Session("morning", OPEN, half), Session("afternoon", half, OPEN + slots))
        if sessions
        else ()
    )
    cal = Calendar(
        grain_minutes=60,
        days=tuple(
            Day(
                date=f"2026-05-0{d + 1}",
                open=OPEN,
                close=OPEN + slots,
                city=cities[d] if cities else None,
                sessions=day_sessions,
                breaks=(lunch,) if lunch else (),
            )
            for d in range(days)
        ),
    )
    return Problem(
        calendar=cal,
        participants=tuple(parts),
        meetings=tuple(meetings),
        venues=tuple(venues or [Venue(id="hall", kind="trade_show", tables=tables)]),
        programme=tuple(programme or []),
        travel=travel or Travel(),
        fairness=fairness,
    )


def at(day: int, hour: int) -> int:
    """Global grain of a wall-clock hour on a day (0-based)."""
    return day * 24 + hour


def away_at(problem: Problem, pid: str, start: int) -> Problem:
    """The problem with participant ``pid`` unavailable for the grain at ``start``."""
    people = tuple(
        replace(p, unavailable=(*p.unavailable, (start, start + 1))) if p.id == pid else p
        for p in problem.participants
    )
    return replace(problem, participants=people)
