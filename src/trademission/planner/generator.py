"""Seeded synthetic problems: business missions and brokerage events, for tests and benchmarks."""

from __future__ import annotations

import math
import random

from trademission.planner.problem import (
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

CITIES = {"Montreal": (45.50, -73.57), "Ottawa": (45.42, -75.70)}


def brokerage(
    seed: int,
    *,
    participants: int = 1000,
    requests: int = 6000,
    slots: int = 16,
    availability: float = 0.85,
    tables: int | None = None,
    sides: bool = True,
) -> Problem:
    """A one-day brokerage event: two-party meetings of one slot between random pairs.

    With ``sides`` (the usual brokerage format) pairs join a requester from the first half
    of the participants with a requested party from the second half; without, any two meet.

    Each participant is free in each slot with probability ``availability``; ``tables``
    caps meetings per slot (None: ample).
    """
    rng = random.Random(seed)
    open_ = 8 * 3  # 08:00 with 20-minute slots
    people = tuple(
        Participant(
            id=f"p{i}",
            unavailable=tuple(
                (open_ + s, open_ + s + 1) for s in range(slots) if rng.random() > availability
            ),
        )
        for i in range(participants)
    )
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < requests:
        if sides:
            half = participants // 2
            a, b = rng.randrange(half), rng.randrange(half, participants)
        else:
            a, b = rng.sample(range(participants), 2)
        pairs.add((min(a, b), max(a, b)))
    meetings = tuple(
        Meeting(id=f"r{k}", host=f"p{a}", delegates=(f"p{b}",))
        for k, (a, b) in enumerate(sorted(pairs, key=lambda _: rng.random()))
    )
    return Problem(
        calendar=Calendar(20, (Day("2026-06-10", open_, open_ + slots),)),
        participants=people,
        meetings=meetings,
        venues=(Venue(id="hall", kind="trade_show", tables=tables),),
        name=f"brokerage-{participants}-{requests}-s{seed}",
    )


def binding_tables(requests: int, slots: int) -> int:
    """Tables just enough for every request: the capacity binds."""
    return math.ceil(requests / slots * 1.01)


def _calendar(days: int, cities: list[str]) -> Calendar:
    sessions = (Session("morning", 36, 50), Session("afternoon", 54, 68))  # 15-minute grains
    return Calendar(
        15,
        tuple(
            Day(
                f"2026-05-{4 + d:02d}",
                36,
                68,
                cities[d * len(cities) // days],
                sessions,
                ((50, 54),),
            )
            for d in range(days)
        ),
    )


def _venues(rng: random.Random, stakeholders: int, cities: list[str]) -> list[Venue]:
    venues = [
        Venue(id="online", kind="online"),
        Venue(
            id="fair",
            kind="trade_show",
            city=cities[0],
            tables=6,
            lat=CITIES[cities[0]][0],
            lon=CITIES[cities[0]][1],
        ),
    ]
    for k in range(stakeholders):
        city = cities[k % len(cities)]
        lat, lon = CITIES[city]
        venues.append(
            Venue(
                id=f"v{k}",
                city=city,
                lat=lat + rng.uniform(-0.08, 0.08),
                lon=lon + rng.uniform(-0.1, 0.1),
            )
        )
    return venues


def mission(
    seed: int,
    *,
    smes: int = 12,
    stakeholders: int = 80,
    meetings: int = 150,
    days: int = 5,
    cities: int = 2,
) -> Problem:
    """A business mission: SMEs visit stakeholders at their premises, at a fair, or online."""
    rng = random.Random(seed)
    names = list(CITIES)[:cities]
    calendar = _calendar(days, names)
    venues = _venues(rng, stakeholders, names)
    people = [
        Participant(id=f"sme{i}", role="delegate", max_per_day=5, min_pause=1) for i in range(smes)
    ]
    people += [
        Participant(id=f"st{k}", unavailable=_busy_mornings(rng, days)) for k in range(stakeholders)
    ]
    reqs = _requests(rng, meetings, smes, stakeholders)
    switch = days * (len(names) - 1) // len(names) + (1 if len(names) > 1 else 0)
    transfer = (
        [
            ProgrammeItem(
                "transfer",
                switch * 96 + 36,
                switch * 96 + 44,
                "train",
                tuple(p.id for p in people[:smes]),
            )
        ]
        if len(names) > 1 and switch < days
        else []
    )
    return Problem(
        calendar=calendar,
        participants=tuple(people),
        meetings=tuple(reqs),
        venues=tuple(venues),
        programme=tuple(transfer),
        travel=Travel(speed_kmh=30, buffer_minutes=10),
        name=f"mission-s{seed}",
    )


def _requests(rng: random.Random, meetings: int, smes: int, stakeholders: int) -> list[Meeting]:
    """Mostly at the host's premises, some also online, some at the fair; 10 % group visits,
    10 % must-haves, 10 % morning only."""
    reqs = []
    for j in range(meetings):
        k = rng.randrange(stakeholders)
        group = rng.sample(range(smes), 2 if rng.random() < 0.1 else 1)
        where = rng.choice([(f"v{k}",), (f"v{k}",), (f"v{k}", "online"), ("fair",)])
        reqs.append(
            Meeting(
                id=f"q{j}",
                host=f"st{k}",
                delegates=tuple(f"sme{i}" for i in group),
                duration=rng.choice([3, 4]),
                weight=rng.choice([1, 2, 3]),
                required=rng.random() < 0.1,
                venues=where,
                sessions=("morning",) if rng.random() < 0.1 else (),
            )
        )
    return reqs


def _busy_mornings(rng: random.Random, days: int) -> tuple[tuple[int, int], ...]:
    return tuple((d * 96 + 36, d * 96 + 50) for d in range(days) if rng.random() < 0.2)
