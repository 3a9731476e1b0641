"""A lower bound on the breaks of any plan that holds a given weight, counted per participant.

Why: on large events CP-SAT gives no bound on breaks (the brokerage event reported 0), and a
participant's free time alone often forces breaks: a delegate free 09:00-11:00 and 14:00-17:00
with six hours of meetings has a break whatever the others do.

Per participant, the grains any of its meetings could use form runs along each day's timeline
(lunch left out, as breaks are counted); runs closer than the participant's pause or longest
journey are joined, since such a gap may not be a break. Meetings in the longest run of each
day cost nothing; every further run used costs at least one break. Across participants, a plan
holding weight W fills at least P person-grains (a fractional knapsack over the meetings'
weight per person-grain), and the fewest further runs that fill what the free runs cannot is
the bound: the largest runs first, each no larger than what its participant still has to meet.
"""

from __future__ import annotations

import math
from collections import defaultdict

from trademission.planner.options import Index, timeline


def breaks_floor(index: Index, held_weight: float) -> int:
    """No plan holding at least ``held_weight`` has fewer breaks (fairness left aside)."""
    needed = _person_grains(index, held_weight)
    if needed <= 0:
        return 0
    free, extra = 0, []
    for pid, mids in index.by_participant.items():
        wanted = sum(index.meetings[m].duration for m in mids)
        firsts, others = _runs(index, pid)
        covered = min(wanted, sum(firsts))
        free += covered
        for run in others:  # longest first: each is at most what is still wanted
            size = min(run, wanted - covered)
            if size <= 0:
                break
            extra.append(size)
            covered += size
    short = needed - free
    extra.sort(reverse=True)
    breaks = 0
    while short > 0 and breaks < len(extra):
        short -= extra[breaks]
        breaks += 1
    return breaks


def _person_grains(index: Index, held_weight: float) -> int:
    """The fewest participant-grains of meetings that weigh ``held_weight`` (fractional)."""
    items = sorted(
        ((m.weight, m.duration * len(m.participants)) for m in index.meetings.values()),
        key=lambda wc: -wc[0] / wc[1],
    )
    left, cost = held_weight, 0.0
    for weight, grains in items:
        if left <= 1e-9 or weight <= 0:
            break
        take = min(1.0, left / weight)
        cost += take * grains
        left -= take * weight
    return math.ceil(cost - 1e-6)


def _runs(index: Index, pid: str) -> tuple[list[int], list[int]]:
    """(the longest run of each day, every other run longest first), in grains."""
    problem = index.problem
    usable: set[int] = set()
    venues: set[str] = set()
    for mid in index.by_participant.get(pid, ()):
        for option in index.options.get(mid, ()):
            usable.update(range(option.start, option.end))
            venues.add(option.venue)
    bridge = max([index.pause(pid)] + [index.travel(a, b) for a in venues for b in venues])
    by_day: dict[int, list[int]] = defaultdict(list)
    for day in range(len(problem.calendar.days)):
        run, gap = 0, 0
        for grain in timeline(problem, day):
            if grain in usable:
                if run and 0 < gap <= bridge:  # a gap this short may not be a break
                    gap = 0
                elif gap:
                    by_day[day].append(run)
                    run, gap = 0, 0
                run += 1
            elif run:
                gap += 1
        if run:
            by_day[day].append(run)
    firsts, others = [], []
    for runs in by_day.values():
        runs.sort(reverse=True)
        firsts.append(runs[0])
        others.extend(runs[1:])
    return firsts, sorted(others, reverse=True)
