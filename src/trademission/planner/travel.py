"""Objective 3, least travel: reorder a participant's meetings of a day when that shortens
the journeys, holding the same meetings, adding no break and staying valid.

Local search rather than a CP-SAT phase: travel depends on which meeting follows which, and a
"next meeting" encoding per participant and day multiplies the mission model several times
over for the last and least important objective. So there is no bound: the reported travel
is what the swaps reached.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict

from trademission.planner.options import Index, travel_minutes
from trademission.planner.problem import Placement, Plan
from trademission.planner.validate import count_breaks, validate

Placed = dict[str, tuple[int, str]]


def minutes_travelled(index: Index, placed: Placed, people: set[str] | None = None) -> int:
    """Minutes between consecutive meetings of each participant (all, or ``people``) a day."""
    cal = index.problem.calendar
    total = 0
    for pid in index.by_participant if people is None else people:
        items = sorted(placed[m] for m in index.by_participant.get(pid, ()) if m in placed)
        for (s1, v1), (s2, v2) in itertools.pairwise(items):
            if cal.day_of(s1) == cal.day_of(s2):
                total += travel_minutes(index.problem, index.venues[v1], index.venues[v2])
    return total


def as_plan(placed: Placed) -> Plan:
    return Plan(tuple(Placement(m, s, v) for m, (s, v) in sorted(placed.items())))


def breaks_by_person(index: Index, placed: Placed) -> dict[str, int]:
    return count_breaks(index.problem, index.meetings, list(as_plan(placed).placements))


def _breaks(index: Index, placed: Placed) -> int:
    return sum(breaks_by_person(index, placed).values())


def shorten_travel(
    index: Index, placed: Placed, deadline: float, frozen: frozenset[str] = frozenset()
) -> Placed:
    """Swap the starts of two meetings of one participant on one day (same duration, each
    keeping its venue) while that shortens the journeys of everyone in them; ``frozen``
    meetings (pinned, published, kept from the previous plan) stay where they are."""
    if not index.gap_grains or not placed:
        return placed
    cal = index.problem.calendar
    breaks = _breaks(index, placed)
    improved = True
    while improved and time.monotonic() < deadline:
        improved = False
        for mids in index.by_participant.values():
            days: dict[int, list[str]] = defaultdict(list)
            for m in mids:
                if m in placed and m not in frozen:
                    days[cal.day_of(placed[m][0])].append(m)
            for day_mids in days.values():
                for a, b in itertools.combinations(day_mids, 2):
                    if time.monotonic() >= deadline:
                        return placed
                    if index.meetings[a].duration != index.meetings[b].duration:
                        continue
                    trial = dict(placed)
                    trial[a], trial[b] = (placed[b][0], placed[a][1]), (placed[a][0], placed[b][1])
                    people = set(index.meetings[a].participants) | set(
                        index.meetings[b].participants
                    )
                    if minutes_travelled(index, trial, people) >= minutes_travelled(
                        index, placed, people
                    ):
                        continue
                    if validate(index.problem, as_plan(trial)) or _breaks(index, trial) > breaks:
                        continue
                    placed, improved = trial, True
    return placed
