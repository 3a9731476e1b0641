"""Candidate (start, venue) options of every meeting, and the facts the model needs.

Everything that can be decided per meeting before search (opening hours, sessions, breaks,
unavailability, programme items, itinerary cities, fixed starts) is decided here, so the
CP-SAT model only holds choices that are really open and the explainer can say which rule
removed a meeting's last option.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from trademission.planner.problem import ONLINE, Day, Meeting, Problem, Venue


@dataclass(frozen=True)
class Option:
    start: int
    end: int
    venue: str
    day: int


@dataclass(frozen=True)
class Index:
    """Precomputed lookups shared by the model, the greedy and the validator."""

    problem: Problem
    options: dict[str, tuple[Option, ...]]
    meetings: dict[str, Meeting]
    venues: dict[str, Venue]
    blocked: dict[str, frozenset[int]]
    by_participant: dict[str, tuple[str, ...]]
    gap_grains: dict[tuple[str, str], int]
    pauses: dict[str, int]

    def pause(self, participant: str) -> int:
        return self.pauses.get(participant, 0)

    def travel(self, a: str, b: str) -> int:
        """Grains needed between a meeting at venue a and one at venue b."""
        return self.gap_grains.get((a, b), 0)

    def only_venue(self) -> str | None:
        """The venue of every option when there is just one (the benchmark's shape)."""
        venues = {o.venue for opts in self.options.values() for o in opts}
        return venues.pop() if len(venues) == 1 else None


def _blocked(problem: Problem) -> dict[str, frozenset[int]]:
    blocked: dict[str, set[int]] = {p.id: set() for p in problem.participants}
    for p in problem.participants:
        for s, e in p.unavailable:
            blocked[p.id].update(range(s, e))
    for item in problem.programme:
        who = item.participants if item.participants is not None else tuple(blocked)
        for pid in who:
            blocked.setdefault(pid, set()).update(range(item.start, item.end))
    return {k: frozenset(v) for k, v in blocked.items()}


def travel_minutes(problem: Problem, a: Venue, b: Venue) -> int:
    """Minutes to get from venue a to venue b: matrix first, else coordinates."""
    if a.id == b.id or ONLINE in (a.kind, b.kind):
        return 0
    for src, dst, minutes in problem.travel.matrix:
        if (src, dst) in ((a.id, b.id), (b.id, a.id)):
            return minutes
    if None in (a.lat, a.lon, b.lat, b.lon):
        return problem.travel.buffer_minutes
    km = _haversine_km(a, b)
    return math.ceil(km / problem.travel.speed_kmh * 60) + problem.travel.buffer_minutes


def _haversine_km(a: Venue, b: Venue) -> float:
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    la1, la2 = math.radians(a.lat), math.radians(b.lat)
    dla, dlo = la2 - la1, math.radians(b.lon - a.lon)
    h = math.sin(dla / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin(dlo / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _gaps(problem: Problem) -> dict[tuple[str, str], int]:
    physical = [v for v in problem.venues if v.kind != ONLINE]
    if len(physical) < 2:
        return {}
    grain = problem.calendar.grain_minutes
    out = {}
    for a in physical:
        for b in physical:
            if a.id != b.id:
                out[(a.id, b.id)] = math.ceil(travel_minutes(problem, a, b) / grain)
    return out


def allowed_starts(problem: Problem, meeting: Meeting, day: Day) -> range:
    return range(day.open, day.close - meeting.duration + 1)


def _in_sessions(meeting: Meeting, day: Day, g: int) -> bool:
    if not meeting.sessions:
        return True
    return any(
        s.name in meeting.sessions and s.start <= g and g + meeting.duration <= s.end
        for s in day.sessions
    )


def _hits_break(day: Day, g: int, duration: int) -> bool:
    return any(s < g + duration and g < e for s, e in day.breaks)


def venue_allowed(problem: Problem, meeting: Meeting, venue: Venue, day: Day) -> bool:
    """Physical venues must be in the city the delegation is in that day."""
    if meeting.venues and venue.id not in meeting.venues:
        return False
    if not meeting.venues and venue.kind == ONLINE:
        return False
    return venue.kind == ONLINE or day.city is None or venue.city in (None, day.city)


def meeting_options(
    problem: Problem, meeting: Meeting, blocked: dict[str, frozenset[int]]
) -> tuple[Option, ...]:
    cal = problem.calendar
    out: list[Option] = []
    for d, day in enumerate(cal.days):
        venues = [v for v in problem.venues if venue_allowed(problem, meeting, v, day)]
        if not venues:
            continue
        for g in allowed_starts(problem, meeting, day):
            start = cal.to_global(d, g)
            if meeting.fixed_start is not None and start != meeting.fixed_start:
                continue
            if not _in_sessions(meeting, day, g) or _hits_break(day, g, meeting.duration):
                continue
            span = range(start, start + meeting.duration)
            if any(t in blocked.get(p, ()) for p in meeting.participants for t in span):
                continue
            out.extend(Option(start, start + meeting.duration, v.id, d) for v in venues)
    return tuple(out)


def build_index(problem: Problem) -> Index:
    blocked = _blocked(problem)
    by_participant: dict[str, list[str]] = {p.id: [] for p in problem.participants}
    for m in problem.meetings:
        for pid in m.participants:
            by_participant.setdefault(pid, []).append(m.id)
    return Index(
        problem=problem,
        options={m.id: meeting_options(problem, m, blocked) for m in problem.meetings},
        meetings={m.id: m for m in problem.meetings},
        venues={v.id: v for v in problem.venues},
        blocked=blocked,
        by_participant={k: tuple(v) for k, v in by_participant.items()},
        gap_grains=_gaps(problem),
        pauses={p.id: p.min_pause for p in problem.participants},
    )


def timeline(problem: Problem, day_index: int) -> list[int]:
    """The grains of a day in order, breaks left out: a lunch break is not idle time."""
    day = problem.calendar.days[day_index]
    base = problem.calendar.to_global(day_index, 0)
    return [base + g for g in range(day.open, day.close) if not _hits_break(day, g, 1)]


def distinct_times(domains: list[set[int]]) -> int:
    """How many of the meetings can each get a time of their own, their domains given:
    the size of a largest bipartite matching (Kuhn's augmenting paths)."""
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for t in domains[i]:
            if t not in seen:
                seen.add(t)
                if t not in owner or augment(owner[t], seen):
                    owner[t] = i
                    return True
        return False

    return sum(augment(i, set()) for i in range(len(domains)))
