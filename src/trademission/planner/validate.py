"""An independent check of a plan against its problem.

Written from the problem's rules, not from the model, so a modelling mistake shows up as a
violation instead of being repeated. Every plan the optimiser returns passes it.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass

from trademission.planner.options import travel_minutes
from trademission.planner.problem import (
    ONLINE,
    Meeting,
    Participant,
    Placement,
    Plan,
    Problem,
    Venue,
)


@dataclass(frozen=True)
class Violation:
    rule: str
    meetings: tuple[str, ...]
    message: str


def validate(problem: Problem, plan: Plan, *, fairness: int | None = None) -> list[Violation]:
    """Every rule the plan breaks, one Violation per offence (empty list: the plan is valid)."""
    meetings = {m.id: m for m in problem.meetings}
    people = {x.id: x for x in problem.participants}  # once: per placement took 2 s on 20,000
    venues = {v.id: v for v in problem.venues}
    out: list[Violation] = []
    seen: set[str] = set()
    for p in plan.placements:
        if p.meeting not in meetings:
            out.append(
                Violation("unknown", (p.meeting,), f"{p.meeting} is not a requested meeting")
            )
        elif p.meeting in seen:
            out.append(Violation("duplicate", (p.meeting,), f"{p.meeting} is placed twice"))
        else:
            out.extend(_check_placement(problem, meetings[p.meeting], p, people, venues))
        seen.add(p.meeting)
    placed = [p for p in plan.placements if p.meeting in meetings]
    for m in problem.meetings:
        if m.required and m.id not in seen:
            out.append(Violation("required", (m.id,), f"must-have meeting {m.id} is not held"))
    out.extend(_check_participants(problem, meetings, placed))
    out.extend(_check_tables(problem, meetings, placed))
    out.extend(_check_precedences(meetings, placed))
    d = problem.fairness if fairness is None else fairness
    if d is not None:
        out.extend(_check_fairness(problem, meetings, placed, d))
    return out


def _check_placement(
    problem: Problem,
    m: Meeting,
    p: Placement,
    people: dict[str, Participant],
    venues: dict[str, Venue],
) -> list[Violation]:
    cal = problem.calendar
    day_index, g = divmod(p.start, cal.grains_per_day)
    bad = []
    if not 0 <= day_index < len(cal.days):
        return [Violation("calendar", (m.id,), f"{m.id} starts outside the planning days")]
    day = cal.days[day_index]
    end = g + m.duration
    if g < day.open or end > day.close:
        bad.append(Violation("hours", (m.id,), f"{m.id} is outside the day's opening hours"))
    if any(s < end and g < e for s, e in day.breaks):
        bad.append(Violation("break", (m.id,), f"{m.id} overlaps a break of the day"))
    if m.sessions and not any(
        s.name in m.sessions and s.start <= g and end <= s.end for s in day.sessions
    ):
        bad.append(Violation("session", (m.id,), f"{m.id} is outside its allowed session"))
    if m.fixed_start is not None and p.start != m.fixed_start:
        bad.append(Violation("fixed", (m.id,), f"{m.id} is not at its fixed start"))
    venue = venues.get(p.venue)
    if venue is None or (m.venues and p.venue not in m.venues):
        bad.append(Violation("venue", (m.id,), f"{m.id} is at a venue it does not allow"))
    elif not m.venues and venue.kind == ONLINE:
        bad.append(Violation("venue", (m.id,), f"{m.id} is online but not allowed online"))
    elif venue.kind != ONLINE and day.city and venue.city and venue.city != day.city:
        bad.append(
            Violation(
                "city", (m.id,), f"{m.id} is in {venue.city}; the delegation is in {day.city}"
            )
        )
    bad.extend(_check_blocked(problem, people, m, p.start, p.start + m.duration))
    return bad


def _check_blocked(
    problem: Problem, people: dict[str, Participant], m: Meeting, start: int, end: int
) -> list[Violation]:
    bad = []
    for pid in m.participants:
        person = people.get(pid)
        if person is None:
            bad.append(Violation("participant", (m.id,), f"{m.id}: unknown participant {pid}"))
            continue
        if any(s < end and start < e for s, e in person.unavailable):
            bad.append(Violation("unavailable", (m.id,), f"{m.id}: {pid} is unavailable then"))
        for item in problem.programme:
            if (item.participants is None or pid in item.participants) and (
                item.start < end and start < item.end
            ):
                bad.append(
                    Violation("programme", (m.id,), f"{m.id}: {pid} is at programme {item.id}")
                )
    return bad


def _by_participant(
    meetings: dict[str, Meeting], placed: list[Placement]
) -> dict[str, list[tuple[int, int, Placement]]]:
    out: dict[str, list[tuple[int, int, Placement]]] = defaultdict(list)
    for p in placed:
        m = meetings[p.meeting]
        for pid in m.participants:
            out[pid].append((p.start, p.start + m.duration, p))
    for lst in out.values():
        lst.sort(key=lambda x: (x[0], x[1], x[2].meeting))
    return out


def _check_participants(
    problem: Problem, meetings: dict[str, Meeting], placed: list[Placement]
) -> list[Violation]:
    cal = problem.calendar
    people = {p.id: p for p in problem.participants}
    venues = {v.id: v for v in problem.venues}
    bad = []
    for pid, items in _by_participant(meetings, placed).items():
        person = people.get(pid)
        pause = person.min_pause if person else 0
        per_day: dict[int, int] = defaultdict(int)
        for s, _, _ in items:
            per_day[cal.day_of(s)] += 1
        limit = person.max_per_day if person else None
        for day, n in per_day.items():
            if limit is not None and n > limit:
                bad.append(Violation("max_per_day", (), f"{pid} has {n} meetings on day {day + 1}"))
        for (s1, e1, p1), (s2, _, p2) in itertools.pairwise(items):
            pair = (p1.meeting, p2.meeting)
            if s2 < e1:
                bad.append(Violation("overlap", pair, f"{pid} is in two meetings at once"))
                continue
            if cal.day_of(s1) != cal.day_of(s2):
                continue
            need = pause
            a, b = venues.get(p1.venue), venues.get(p2.venue)
            if a and b:
                minutes = travel_minutes(problem, a, b)
                need = max(need, math.ceil(minutes / cal.grain_minutes))
            if s2 - e1 < need:
                bad.append(
                    Violation("gap", pair, f"{pid} has {s2 - e1} grains between, needs {need}")
                )
    return bad


def _check_tables(
    problem: Problem, meetings: dict[str, Meeting], placed: list[Placement]
) -> list[Violation]:
    use: dict[tuple[str, int], list[str]] = defaultdict(list)
    for p in placed:
        for t in range(p.start, p.start + meetings[p.meeting].duration):
            use[(p.venue, t)].append(p.meeting)
    bad = []
    for v in problem.venues:
        if v.tables is None:
            continue
        for (vid, t), mids in sorted(use.items()):
            if vid == v.id and len(mids) > v.tables:
                bad.append(Violation("tables", tuple(mids), f"{v.id} holds {len(mids)} at {t}"))
    return bad


def _check_precedences(meetings: dict[str, Meeting], placed: list[Placement]) -> list[Violation]:
    at = {p.meeting: p.start for p in placed}
    bad = []
    for mid, start in at.items():
        for before in meetings[mid].after:
            if before in at and at[before] + meetings[before].duration > start:
                bad.append(
                    Violation("precedence", (before, mid), f"{before} must end before {mid}")
                )
    return bad


def count_breaks(
    problem: Problem, meetings: dict[str, Meeting], placed: list[Placement]
) -> dict[str, int]:
    """Breaks per participant: idle gaps between consecutive meetings of a day.

    Idle means neither the participant's minimum pause nor the time it takes to get from one
    venue to the next (going straight there is not a break), nor a grain of the day's breaks
    (lunch).
    """
    cal = problem.calendar
    pauses = {p.id: p.min_pause for p in problem.participants}
    venues = {v.id: v for v in problem.venues}
    out = {pid: 0 for m in meetings.values() for pid in m.participants}
    for pid, items in _by_participant(meetings, placed).items():
        for (_, e1, p1), (s2, _, p2) in itertools.pairwise(items):
            if cal.day_of(e1 - 1) != cal.day_of(s2):
                continue
            day = cal.days[cal.day_of(s2)]
            base = cal.to_global(cal.day_of(s2), 0)
            need = pauses.get(pid, 0)
            a, b = venues.get(p1.venue), venues.get(p2.venue)
            if a and b:
                need = max(need, math.ceil(travel_minutes(problem, a, b) / cal.grain_minutes))
            idle = [
                t for t in range(e1 + need, s2) if not any(s <= t - base < e for s, e in day.breaks)
            ]
            out[pid] += bool(idle)
    return out


def _check_fairness(
    problem: Problem, meetings: dict[str, Meeting], placed: list[Placement], d: int
) -> list[Violation]:
    breaks = count_breaks(problem, meetings, placed)
    if not breaks:
        return []
    low = min(breaks.values())
    return [
        Violation("fairness", (), f"{pid} has {n} breaks, {n - low} more than the fewest ({low})")
        for pid, n in sorted(breaks.items())
        if n - low > d
    ]
