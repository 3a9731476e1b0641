"""The planning problem and its solution as frozen dataclasses.

Time is counted in *grains* (e.g. 15 minutes). A point in time is a global grain index
``day * grains_per_day + grain_of_day``, so that intervals on different days never touch and
arithmetic stays in plain integers. Intervals are half-open ``(start, end)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

Interval = tuple[int, int]
ONLINE = "online"


@dataclass(frozen=True)
class Session:
    """A named part of a day (morning, afternoon), in grains since the day's midnight."""

    name: str
    start: int
    end: int


@dataclass(frozen=True)
class Day:
    """One planning day: opening hours and breaks in grains since midnight."""

    date: str
    open: int
    close: int
    city: str | None = None
    sessions: tuple[Session, ...] = ()
    breaks: tuple[Interval, ...] = ()


@dataclass(frozen=True)
class Calendar:
    grain_minutes: int
    days: tuple[Day, ...]

    @property
    def grains_per_day(self) -> int:
        return 1440 // self.grain_minutes

    def day_of(self, grain: int) -> int:
        return grain // self.grains_per_day

    def to_global(self, day: int, grain_of_day: int) -> int:
        return day * self.grains_per_day + grain_of_day


@dataclass(frozen=True)
class Participant:
    """A delegate (an SME of the delegation) or a stakeholder (a host)."""

    id: str
    name: str = ""
    role: Literal["delegate", "stakeholder"] = "stakeholder"
    unavailable: tuple[Interval, ...] = ()
    max_per_day: int | None = None
    min_pause: int = 0


@dataclass(frozen=True)
class Venue:
    """Where a meeting happens; ``tables`` caps simultaneous meetings (None: no cap)."""

    id: str
    name: str = ""
    kind: Literal["premises", "trade_show", "hotel", "online"] = "premises"
    city: str | None = None
    lat: float | None = None
    lon: float | None = None
    tables: int | None = None


@dataclass(frozen=True)
class Travel:
    """Travel times: an explicit matrix in minutes, else distance / speed + buffer."""

    speed_kmh: float = 30.0
    buffer_minutes: int = 10
    matrix: tuple[tuple[str, str, int], ...] = ()


@dataclass(frozen=True)
class Meeting:
    """A requested meeting between a host and one or more delegates."""

    id: str
    host: str
    delegates: tuple[str, ...]
    duration: int = 1
    weight: int = 1
    required: bool = False
    sessions: tuple[str, ...] = ()
    venues: tuple[str, ...] = ()
    fixed_start: int | None = None
    after: tuple[str, ...] = ()

    @property
    def participants(self) -> tuple[str, ...]:
        return (self.host, *self.delegates)


@dataclass(frozen=True)
class ProgrammeItem:
    """A joint activity that blocks its participants (None: everybody)."""

    id: str
    start: int
    end: int
    name: str = ""
    participants: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Problem:
    calendar: Calendar
    participants: tuple[Participant, ...]
    meetings: tuple[Meeting, ...]
    venues: tuple[Venue, ...] = (Venue(id="main", kind="trade_show"),)
    programme: tuple[ProgrammeItem, ...] = ()
    travel: Travel = field(default_factory=Travel)
    fairness: int | None = None
    name: str = ""
    objectives: tuple[str, ...] = ("meetings", "breaks", "travel")


OBJECTIVES = ("meetings", "breaks", "travel")


def objectives_error(names: tuple[str, ...] | list[str]) -> str | None:
    """Why an objective list is not usable, or None: "meetings" first (every must-have is held
    before anything else counts), then "breaks" and/or "travel" in that order, each once.
    Travel is only improved by local search, so it cannot come before breaks."""
    if not names or names[0] != "meetings":
        return "must start with 'meetings'"
    unknown = [n for n in names if n not in OBJECTIVES]
    if unknown:
        return f"unknown objective {unknown[0]!r} (known: {', '.join(OBJECTIVES)})"
    if list(names) != [n for n in OBJECTIVES if n in names]:
        return "objectives must be in the order meetings, breaks, travel, each at most once"
    return None


@dataclass(frozen=True)
class Placement:
    meeting: str
    start: int
    venue: str


@dataclass(frozen=True)
class Plan:
    """A solution: where and when each held meeting happens; the others are not held."""

    placements: tuple[Placement, ...]
    published: frozenset[str] = frozenset()
    pinned: frozenset[str] = frozenset()


class Status(StrEnum):
    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    UNKNOWN = "UNKNOWN"
    INVALID = "INVALID"


@dataclass(frozen=True)
class Unplaced:
    meeting: str
    reason: str


@dataclass(frozen=True)
class Result:
    status: Status
    plan: Plan
    objectives: dict[str, float]
    bound: dict[str, float]
    gap: float
    seconds: float
    unplaced: tuple[Unplaced, ...] = ()
    moved: int = 0
    explanation: tuple[str, ...] = ()

    @property
    def placements(self) -> tuple[Placement, ...]:
        return self.plan.placements
