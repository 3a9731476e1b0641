"""The planner adapter: the only place that turns rows into a planner problem and back.

Mapping decisions (see also docs in the planning pages):

* **Calendar**: every day of the mission, opening at ``meeting_day_start`` and closing at
  ``meeting_day_end`` on the mission's ``time_grain``; lunch is a break of every day; two
  sessions, morning (until lunch, or noon) and afternoon. The city of a day is the metropolitan
  area (``missions.geography.area_of``) of the itinerary stop that covers it, so a stakeholder
  in Longueuil is in Montreal; a day without a stop has no city.
* **Participants**: delegates are the selected participations (``p<pk>``); stakeholders are the
  hosts of accepted meeting requests (``s<pk>``). A stakeholder is unavailable on the days
  outside its ``available_days`` (when it gave any), and, when it answered with availability
  spans, outside the union of the spans of its accepted requests (the planner knows
  unavailability per person, not per meeting).
* **Programme**: items that block meetings block the whole delegation (``for_all``) or their
  attendees, never the stakeholders.
* **Venues**: the premises of each host (``h<pk>``, its coordinates and city), every venue of
  the mission (``v<pk>``; trade-show halls with their tables) and, if the mission has no
  online venue, a synthetic ``online`` one.
* **Meetings**: one per accepted request (``r<pk>``): its host and selected SMEs, its duration
  rounded up to the grain, weight 3/2/1 from the match priority high/normal/low, must-have as
  required, the venues allowed by the answer's meeting place (premises: the host's; trade
  show: the trade-show halls; online: the online venue). A pinned meeting keeps its start and
  venue (``fixed_start``). An active meeting without a request (made by hand, ``m<pk>``) is
  fixed where it is.
* **Travel**: the planner's default (distance from coordinates at 30 km/h plus 10 minutes).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import transaction
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from trademission.meetings.enums import MeetingMode, MeetingStatus, PlanStatus, RequestStatus
from trademission.meetings.models import Meeting, MeetingRequest, MissionPlan
from trademission.missions.enums import VenueKind
from trademission.missions.geography import area_of
from trademission.missions.models import Mission
from trademission.participants.enums import MeetingPlace, ParticipationStatus
from trademission.participants.models import Participation
from trademission.planner import (
    ONLINE,
    Calendar,
    Day,
    Placement,
    Plan,
    Problem,
    Result,
    Session,
    Travel,
    Violation,
    validate,
)
from trademission.planner import Meeting as PMeeting
from trademission.planner import Participant as PParticipant
from trademission.planner import ProgrammeItem as PItem
from trademission.planner import Venue as PVenue

#: Match.priority (1 high, 2 normal, 3 low) → the planner's weight of the meeting.
WEIGHTS = {1: 3, 2: 2, 3: 1}
SYNTHETIC_ONLINE = "online"
_VENUE_KINDS = {
    VenueKind.TRADE_SHOW: "trade_show",
    VenueKind.HOTEL: "hotel",
    VenueKind.ONLINE: ONLINE,
}


class PlanChanged(Exception):
    """Somebody changed the plan after the given version was read; nothing was written."""

    def __init__(self, plan: MissionPlan) -> None:
        self.plan = plan
        super().__init__(stale_message(plan))


def stale_message(plan: MissionPlan) -> str:
    who = ""
    if plan.changed_by_id:
        user = plan.changed_by
        who = (user.get_full_name() or user.get_username()) if user is not None else ""
    when = timezone.localtime(plan.changed_at, plan.mission.tz) if plan.changed_at else None
    if who and when:
        return _("%(who)s changed this plan at %(time)s; reload the page.") % {
            "who": who,
            "time": when.strftime("%H:%M"),
        }
    if when:
        return _("This plan was changed at %(time)s; reload the page.") % {
            "time": when.strftime("%H:%M")
        }
    return _("This plan was changed meanwhile; reload the page.")


# ------------------------------------------------------------------------------- mapping


@dataclass(frozen=True)
class MeetingRef:
    """What a planner meeting id stands for."""

    request_id: int | None
    meeting_id: int | None  # the existing active meeting, if any
    host_id: int
    participation_ids: tuple[int, ...]
    duration_minutes: int


@dataclass(frozen=True)
class VenueRef:
    venue_id: int | None  # None: a host's premises or the synthetic online venue
    host_id: int | None
    kind: str
    name: str


@dataclass
class Mapping:
    """Ids of the planner problem ↔ rows, and grains ↔ times of the mission."""

    mission_id: int
    tz: Any
    first_day: dt.date
    grain: int
    days: list[dt.date]
    plan_version: int
    meetings: dict[str, MeetingRef] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # participant id → display name
    venues: dict[str, VenueRef] = field(default_factory=dict)
    programme: dict[str, str] = field(default_factory=dict)  # item id → title
    online: str = SYNTHETIC_ONLINE

    @property
    def grains_per_day(self) -> int:
        return 1440 // self.grain

    def to_grain(self, moment: dt.datetime, *, up: bool = False) -> int:
        local = moment.astimezone(self.tz)
        day = (local.date() - self.first_day).days
        minutes = local.hour * 60 + local.minute + local.second / 60
        g = math.ceil(minutes / self.grain) if up else math.floor(minutes / self.grain)
        return day * self.grains_per_day + g

    def to_datetime(self, grain: int) -> dt.datetime:
        day, g = divmod(grain, self.grains_per_day)
        date = self.first_day + dt.timedelta(days=day)
        naive = dt.datetime.combine(date, dt.time()) + dt.timedelta(minutes=g * self.grain)
        return naive.replace(tzinfo=self.tz)

    def meeting_id_of(self, meeting: Meeting) -> str | None:
        key = f"r{meeting.request_id}" if meeting.request_id else f"m{meeting.pk}"
        return key if key in self.meetings else None

    def venue_id_of(self, meeting: Meeting) -> str:
        if meeting.venue_id:
            return f"v{meeting.venue_id}"
        if meeting.mode == MeetingMode.ONLINE:
            return self.online
        return f"h{meeting.host_id}"

    def name(self, pid: str) -> str:
        return self.names.get(pid, pid)

    def venue_name(self, vid: str) -> str:
        ref = self.venues.get(vid)
        return ref.name if ref else vid


def plan_row(mission: Mission, *, lock: bool = False) -> MissionPlan:
    """The mission's plan row, created if missing (optionally locked for update)."""
    MissionPlan.objects.get_or_create(mission=mission)
    rows = MissionPlan.objects.select_related("mission", "changed_by")
    if lock:
        rows = rows.select_for_update(of=("self",))
    return rows.get(mission=mission)


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _calendar(mission: Mission) -> Calendar:
    grain = mission.time_grain
    open_ = math.ceil(_minutes(mission.meeting_day_start) / grain)
    close = _minutes(mission.meeting_day_end) // grain
    breaks: tuple[tuple[int, int], ...] = ()
    if mission.lunch_start and mission.lunch_end:
        lunch = (
            _minutes(mission.lunch_start) // grain,
            math.ceil(_minutes(mission.lunch_end) / grain),
        )
        breaks = (lunch,)
        sessions = (Session("morning", open_, lunch[0]), Session("afternoon", lunch[1], close))
    else:
        noon = 720 // grain
        sessions = (Session("morning", open_, noon), Session("afternoon", noon, close))
    stops = list(mission.stops.order_by("start"))
    days = []
    for date in mission.days:
        stop = next((s for s in stops if s.start <= date <= s.end), None)
        city = area_of(stop.city) if stop is not None else None
        days.append(Day(date.isoformat(), open_, close, city, sessions, breaks))
    return Calendar(grain, tuple(days))


def _spans(mapping: Mapping, spans: Iterable[dict[str, Any]]) -> list[tuple[int, int]]:
    out = []
    for span in spans:
        try:
            start = dt.datetime.fromisoformat(str(span["start"]))
            end = dt.datetime.fromisoformat(str(span["end"]))
        except (KeyError, TypeError, ValueError):
            continue
        if timezone.is_naive(start):
            start = start.replace(tzinfo=mapping.tz)
        if timezone.is_naive(end):
            end = end.replace(tzinfo=mapping.tz)
        s, e = mapping.to_grain(start, up=True), mapping.to_grain(end)
        if e > s:
            out.append((s, e))
    return out


def _complement(free: list[tuple[int, int]], total: int) -> tuple[tuple[int, int], ...]:
    """The grains of [0, total) outside the union of ``free``, as merged intervals."""
    out, at = [], 0
    for s, e in sorted(free):
        if s > at:
            out.append((at, min(s, total)))
        at = max(at, e)
    if at < total:
        out.append((at, total))
    return tuple((s, e) for s, e in out if e > s)


def _venue_kind(kind: str) -> str:
    return _VENUE_KINDS.get(kind, "premises")


def build_problem(mission: Mission) -> tuple[Problem, Mapping]:
    """The planner problem of the mission's accepted requests, and how to read its result.

    Reads only (a fixed number of queries). See the module docstring for the mapping.
    """
    plan = plan_row(mission)
    calendar = _calendar(mission)
    mapping = Mapping(
        mission_id=mission.pk,
        tz=mission.tz,
        first_day=mission.start,
        grain=mission.time_grain,
        days=mission.days,
        plan_version=plan.version,
    )
    gpd = mapping.grains_per_day
    total = gpd * len(mapping.days)

    delegates = list(
        Participation.objects.filter(mission=mission, status=ParticipationStatus.SELECTED)
        .select_related("sme")
        .order_by("sme__name", "pk")
    )
    delegate_ids = {p.pk: f"p{p.pk}" for p in delegates}
    for p in delegates:
        mapping.names[f"p{p.pk}"] = p.sme.name

    requests = list(
        MeetingRequest.objects.filter(mission=mission, status=RequestStatus.ACCEPTED)
        .select_related("stakeholder__organisation", "match")
        .prefetch_related(Prefetch("participations", queryset=Participation.objects.only("pk")))
        .order_by("pk")
    )
    active = list(
        Meeting.objects.filter(mission=mission)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("host__organisation", "venue")
        .prefetch_related(Prefetch("participations", queryset=Participation.objects.only("pk")))
        .order_by("start", "pk")
    )
    by_request = {m.request_id: m for m in active if m.request_id}

    # venues: the mission's own, then the hosts' premises
    venues: list[PVenue] = []
    for v in mission.venues.order_by("pk"):
        kind = _venue_kind(v.kind)
        vid = f"v{v.pk}"
        venues.append(
            PVenue(
                vid,
                v.name,
                kind,  # type: ignore[arg-type]
                area_of(v.city) if v.city and kind != ONLINE else None,
                v.latitude,
                v.longitude,
                v.tables if kind == "trade_show" else None,
            )
        )
        mapping.venues[vid] = VenueRef(v.pk, None, kind, v.name)
        if kind == ONLINE and mapping.online == SYNTHETIC_ONLINE:
            mapping.online = vid
    if mapping.online == SYNTHETIC_ONLINE:
        venues.append(PVenue(SYNTHETIC_ONLINE, _("Online"), ONLINE))
        mapping.venues[SYNTHETIC_ONLINE] = VenueRef(None, None, ONLINE, _("Online"))
    trade_shows = tuple(v.id for v in venues if v.kind == "trade_show")

    hosts: dict[int, Any] = {}
    for r in requests:
        hosts.setdefault(r.stakeholder_id, r.stakeholder)
    for m in active:
        if not m.request_id and m.host_id:
            hosts.setdefault(m.host_id, m.host)
    for sh in hosts.values():
        hid = f"h{sh.pk}"
        venues.append(
            PVenue(
                hid,
                sh.name,
                "premises",
                area_of(sh.city) if sh.city else None,
                sh.latitude,
                sh.longitude,
            )
        )
        mapping.venues[hid] = VenueRef(None, sh.pk, "premises", sh.name)

    # stakeholders and their unavailability
    spans_of: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for r in requests:
        spans_of[r.stakeholder_id].extend(_spans(mapping, r.availability or []))
    participants = [PParticipant(f"p{p.pk}", p.sme.name, "delegate") for p in delegates]
    for sh in hosts.values():
        blocked: list[tuple[int, int]] = []
        days = {str(d) for d in (sh.available_days or [])}
        if days:
            for i, date in enumerate(mapping.days):
                if date.isoformat() not in days:
                    blocked.append((i * gpd, (i + 1) * gpd))
        if spans_of.get(sh.pk):
            blocked.extend(_complement(spans_of[sh.pk], total))
        merged = _complement(_complement(blocked, total), total) if blocked else ()
        participants.append(PParticipant(f"s{sh.pk}", sh.name, "stakeholder", merged))
        mapping.names[f"s{sh.pk}"] = sh.name

    # programme items that block meetings
    programme = []
    items = (
        mission.programme.filter(blocks_meetings=True)
        .prefetch_related(Prefetch("attendees", queryset=Participation.objects.only("pk")))
        .order_by("start", "pk")
    )
    all_delegates = tuple(delegate_ids.values())
    for item in items:
        s, e = max(0, mapping.to_grain(item.start)), min(total, mapping.to_grain(item.end, up=True))
        if e <= s:
            continue
        who = (
            all_delegates
            if item.for_all
            else tuple(delegate_ids[a.pk] for a in item.attendees.all() if a.pk in delegate_ids)
        )
        if not who:
            continue
        iid = f"i{item.pk}"
        programme.append(PItem(iid, s, e, item.title, who))
        mapping.programme[iid] = item.title

    # meetings
    meetings = []
    for r in requests:
        smes = tuple(p.pk for p in r.participations.all() if p.pk in delegate_ids)
        if not smes:
            continue
        mid = f"r{r.pk}"
        existing = by_request.get(r.pk)
        place = r.meeting_place or r.stakeholder.meeting_place
        if place == MeetingPlace.ONLINE:
            allowed: tuple[str, ...] = (mapping.online,)
        elif place == MeetingPlace.TRADE_SHOW and trade_shows:
            allowed = trade_shows
        else:
            allowed = (f"h{r.stakeholder_id}",)
        fixed = None
        if existing is not None and existing.pinned:
            fixed = mapping.to_grain(existing.start)
            allowed = (mapping.venue_id_of(existing),)
        priority = r.match.priority if r.match else 2
        meetings.append(
            PMeeting(
                id=mid,
                host=f"s{r.stakeholder_id}",
                delegates=tuple(delegate_ids[pk] for pk in smes),
                duration=max(1, math.ceil(r.duration_minutes / mapping.grain)),
                weight=WEIGHTS.get(priority, 2),
                required=r.must_have,
                venues=allowed,
                fixed_start=fixed,
            )
        )
        mapping.meetings[mid] = MeetingRef(
            r.pk, existing.pk if existing else None, r.stakeholder_id, smes, r.duration_minutes
        )
    for m in active:
        if m.request_id or not m.host_id:
            continue
        smes = tuple(p.pk for p in m.participations.all() if p.pk in delegate_ids)
        if not smes:
            continue
        mid = f"m{m.pk}"
        minutes = int((m.end - m.start).total_seconds() // 60)
        meetings.append(
            PMeeting(
                id=mid,
                host=f"s{m.host_id}",
                delegates=tuple(delegate_ids[pk] for pk in smes),
                duration=max(1, math.ceil(minutes / mapping.grain)),
                weight=2,
                venues=(mapping.venue_id_of(m),),
                fixed_start=mapping.to_grain(m.start),
            )
        )
        mapping.meetings[mid] = MeetingRef(None, m.pk, m.host_id, smes, minutes)

    problem = Problem(
        calendar=calendar,
        participants=tuple(participants),
        meetings=tuple(meetings),
        venues=tuple(venues),
        programme=tuple(programme),
        travel=Travel(),
        name=mission.name,
    )
    return problem, mapping


def current_plan(mission: Mission, mapping: Mapping) -> Plan:
    """The plan of the mission's active meetings, in the ids of ``mapping``.

    Pinned meetings are ``pinned``; once the plan is published every meeting is ``published``.
    """
    published = MissionPlan.objects.filter(
        mission=mission, status__in=[PlanStatus.PRELIMINARY, PlanStatus.FINAL]
    ).exists()
    placements, pinned, shown = [], set(), set()
    for m in (
        Meeting.objects.filter(mission=mission)
        .exclude(status=MeetingStatus.CANCELLED)
        .only("pk", "request_id", "start", "venue_id", "mode", "host_id", "pinned")
        .order_by("start", "pk")
    ):
        mid = mapping.meeting_id_of(m)
        if mid is None:
            continue
        placements.append(Placement(mid, mapping.to_grain(m.start), mapping.venue_id_of(m)))
        if m.pinned or mid.startswith("m"):
            pinned.add(mid)
        if published:
            shown.add(mid)
    return Plan(tuple(placements), frozenset(shown), frozenset(pinned))


# --------------------------------------------------------------------------- writing back


@dataclass(frozen=True)
class Change:
    """A change to a meeting, for the people it affects (see ``plan_changes``)."""

    kind: str  # "moved", "cancelled", "new"
    meeting_id: int
    old_start: dt.datetime | None = None
    old_place: str = ""


@dataclass
class Applied:
    created: int = 0
    moved: int = 0
    removed: int = 0
    kept: int = 0
    changes: list[Change] = field(default_factory=list)


def _place_fields(mapping: Mapping, vid: str) -> dict[str, Any]:
    ref = mapping.venues[vid]
    return {
        "venue_id": ref.venue_id,
        "mode": MeetingMode.ONLINE if ref.kind == ONLINE else MeetingMode.IN_PERSON,
    }


def _touch(plan: MissionPlan, user: Any) -> int:
    """Bump the plan's version (the caller holds the row lock). Returns the new version."""
    MissionPlan.objects.filter(pk=plan.pk).update(
        version=F("version") + 1,
        changed_at=timezone.now(),
        changed_by=user if getattr(user, "pk", None) else None,
    )
    return plan.version + 1


def place_label(meeting: Meeting) -> str:
    if meeting.mode == MeetingMode.ONLINE:
        return _("online")
    if meeting.venue_id:
        return str(meeting.venue.name)
    return str(meeting.host.name) if meeting.host_id else ""


@transaction.atomic
def apply_result(
    mission: Mission,
    result: Result,
    mapping: Mapping,
    *,
    expected_version: int,
    user: Any = None,
) -> Applied:
    """Write the result's placements as the mission's meetings, if the plan is unchanged.

    Refuses (raises :class:`PlanChanged`, writes nothing) when ``MissionPlan.version`` is no
    longer ``expected_version``. Otherwise, in one transaction: pinned meetings and meetings
    placed where they already are stay untouched; other placed meetings are created or moved
    (their version bumped); active non-pinned meetings of requests the result does not hold
    are deleted while the plan is a draft, cancelled once it is published; the plan's version
    is bumped. Once published, the people affected by each change are notified
    (:func:`plan_changes.notify_changes`: e-mails and Notification rows).
    """
    plan = plan_row(mission, lock=True)
    if plan.version != expected_version:
        raise PlanChanged(plan)
    published = plan.status != PlanStatus.DRAFT
    placed = {p.meeting: p for p in result.placements}
    active = {
        m.pk: m
        for m in Meeting.objects.select_for_update(of=("self",))
        .filter(mission=mission)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("host__organisation", "venue")
    }
    out = Applied()
    handled: set[int] = set()
    for mid, ref in mapping.meetings.items():
        if ref.request_id is None:
            continue
        existing = next((m for m in active.values() if m.request_id == ref.request_id), None)
        p = placed.get(mid)
        if existing is not None:
            handled.add(existing.pk)
        if existing is not None and existing.pinned:
            out.kept += 1
            continue
        if p is None:
            if existing is not None:
                _remove(existing, published, out)
            continue
        start = mapping.to_datetime(p.start)
        end = start + dt.timedelta(minutes=ref.duration_minutes)
        fields = _place_fields(mapping, p.venue)
        if existing is None:
            meeting = Meeting.objects.create(
                mission=mission,
                request_id=ref.request_id,
                host_id=ref.host_id,
                start=start,
                end=end,
                **fields,
            )
            meeting.participations.set(ref.participation_ids)
            out.created += 1
            out.changes.append(Change("new", meeting.pk))
        elif (existing.start, existing.venue_id, existing.mode) == (
            start,
            fields["venue_id"],
            fields["mode"],
        ) and existing.end == end:
            out.kept += 1
        else:
            out.changes.append(Change("moved", existing.pk, existing.start, place_label(existing)))
            Meeting.objects.filter(pk=existing.pk).update(
                start=start, end=end, version=F("version") + 1, **fields
            )
            out.moved += 1
    for pk, meeting in active.items():
        if pk in handled or meeting.pinned or not meeting.request_id:
            continue
        _remove(meeting, published, out)  # its request is no longer accepted
    _touch(plan, user)
    if published and out.changes:
        from trademission.meetings.domain.plan_changes import notify_changes

        notify_changes(mission, out.changes)
    return out


def _remove(meeting: Meeting, published: bool, out: Applied) -> None:
    if published:
        Meeting.objects.filter(pk=meeting.pk).update(
            status=MeetingStatus.CANCELLED, version=F("version") + 1
        )
        out.changes.append(Change("cancelled", meeting.pk, meeting.start, place_label(meeting)))
    else:
        meeting.delete()
    out.removed += 1


# ---------------------------------------------------------------------------- hand edits


class MoveRefused(Exception):
    """The move breaks rules of the plan; ``messages`` say which, in words."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("; ".join(messages))


def describe(violation: Violation, mapping: Mapping, problem: Problem) -> str:
    """A violation of the planner's validator in words, with names instead of ids."""
    text = violation.message
    mids = violation.meetings
    rule = violation.rule
    if rule in ("overlap", "gap") and len(mids) == 2:
        who = text.split(" ", 1)[0]
        other = mids[0] if mids[1] == _moved_id(mids) else mids[1]
        if rule == "overlap":
            return _("%(who)s would be in two meetings at once (with %(other)s).") % {
                "who": mapping.name(who),
                "other": _meeting_label(mapping, other),
            }
        need = text.rsplit("needs ", 1)[-1]
        have = text.split(" has ", 1)[-1].split(" grains", 1)[0]
        return _(
            "%(who)s has %(have)d min between this meeting and the one with %(other)s, "
            "but needs %(need)d min to get there."
        ) % {
            "who": mapping.name(who),
            "other": _meeting_label(mapping, other),
            "have": int(have) * mapping.grain if have.lstrip("-").isdigit() else 0,
            "need": int(need) * mapping.grain if need.isdigit() else 0,
        }
    if rule == "unavailable":
        pid = text.split(": ", 1)[-1].split(" is unavailable", 1)[0]
        return _("%(who)s is not available then.") % {"who": mapping.name(pid)}
    if rule == "programme":
        pid = text.split(": ", 1)[-1].split(" is at programme", 1)[0]
        item = text.rsplit(" ", 1)[-1]
        return _("%(who)s is at “%(item)s” then.") % {
            "who": mapping.name(pid),
            "item": mapping.programme.get(item, item),
        }
    if rule == "hours":
        return _("The meeting is outside the meeting hours of the day.")
    if rule == "break":
        return _("The meeting overlaps the lunch break.")
    if rule == "calendar":
        return _("The meeting is outside the days of the mission.")
    if rule == "city" and "; the delegation is in " in text:
        place, stay = text.split(" is in ", 1)[1].split("; the delegation is in ", 1)
        return _(
            "The meeting place is in %(place)s, but the delegation is in %(stay)s that day."
        ) % {
            "place": place.title(),
            "stay": stay.title(),
        }
    if rule == "city":
        return _("The meeting place is not in the city the delegation is in that day.")
    if rule == "venue":
        return _("The stakeholder did not agree to meet at this place.")
    if rule == "tables":
        return _("All the meeting tables of %(venue)s are taken then.") % {
            "venue": mapping.venue_name(text.split(" holds", 1)[0])
        }
    if rule == "fixed":
        return _("The meeting is pinned: unpin it first.")
    return text


def meeting_label(mapping: Mapping, mid: str) -> str:
    """A planner meeting id as "Host — SME, SME"."""
    ref = mapping.meetings.get(mid)
    if ref is None:
        return mid
    smes = ", ".join(mapping.name(f"p{pk}") for pk in ref.participation_ids)
    return f"{mapping.name(f's{ref.host_id}')} — {smes}"


def in_words(text: str, mapping: Mapping) -> str:
    """A planner message with the ids of participants, venues and meetings replaced by names."""
    tokens = {*mapping.names, *mapping.venues, *mapping.meetings}

    def name(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in mapping.names:
            return mapping.name(token)
        if token in mapping.venues:
            return mapping.venue_name(token)
        if token in mapping.meetings:
            return meeting_label(mapping, token)
        return token

    return re.sub(
        r"(?<![\w-])[a-z]+\d+(?![\w-])|\bonline\b",
        lambda m: name(m) if m.group(0) in tokens else m.group(0),
        text,
    )


def _moved_id(mids: tuple[str, ...]) -> str:
    return mids[0]


def _meeting_label(mapping: Mapping, mid: str) -> str:
    ref = mapping.meetings.get(mid)
    if ref is None:
        return mid
    return mapping.name(f"s{ref.host_id}")


def check_move(
    mission: Mission, meeting: Meeting, *, start: dt.datetime, venue: str
) -> tuple[list[str], Problem, Mapping]:
    """What the plan would break if ``meeting`` moved to ``start`` at ``venue`` (an id of the
    mapping: ``h<host>``, ``v<venue>`` or ``online``). Reads only."""
    problem, mapping = build_problem(mission)
    mid = mapping.meeting_id_of(meeting)
    if mid is None:
        return (
            [_("This meeting is not part of the plan (its request is not accepted).")],
            (problem),
            mapping,
        )
    if venue not in mapping.venues:
        return [_("Choose a place for the meeting.")], problem, mapping
    original = next(m for m in problem.meetings if m.id == mid)
    meetings = tuple(
        replace(m, fixed_start=None, venues=(venue,)) if m.id == mid else m
        for m in problem.meetings
    )
    checked = replace(problem, meetings=meetings)
    plan = current_plan(mission, mapping)
    grain = mapping.to_grain(start)
    others = [p for p in plan.placements if p.meeting != mid]
    moved = Placement(mid, grain, venue)
    new_plan = Plan((*others, moved))
    messages: list[str] = []
    if start.astimezone(mapping.tz).minute % mapping.grain:
        messages.append(_("Meetings start on a %(grain)d-minute grain.") % {"grain": mapping.grain})
    if venue not in original.venues:
        messages.append(
            _("%(who)s asked to meet at another place.") % {"who": mapping.name(original.host)}
        )
    for v in validate(checked, new_plan):
        if mid not in v.meetings or v.rule == "required":
            continue
        ordered = Violation(v.rule, (mid, *[x for x in v.meetings if x != mid]), v.message)
        text = describe(ordered, mapping, checked)
        if text not in messages:
            messages.append(text)
    return messages, checked, mapping


@transaction.atomic
def move_meeting(
    meeting: Meeting,
    *,
    start: dt.datetime,
    venue: str,
    version: int,
    plan_version: int,
    user: Any = None,
) -> Meeting:
    """Move a meeting by hand after checking the whole plan with the planner's validator.

    Raises :class:`MoveRefused` (nothing written) when the move breaks a rule (double
    booking, travel time, availability, programme, hours, venue tables, city) and
    :class:`PlanChanged` when the plan or the meeting changed since the page was read.
    Side effects: updates the Meeting (start, end, venue, mode, version + 1) and the plan
    (version + 1, changed_at/by); once published, notifies the people affected.
    """
    mission = meeting.mission
    plan = plan_row(mission, lock=True)
    if plan.version != plan_version:
        raise PlanChanged(plan)
    messages, _problem, mapping = check_move(mission, meeting, start=start, venue=venue)
    if messages:
        raise MoveRefused(messages)
    old = Meeting.objects.select_related("host__organisation", "venue").get(pk=meeting.pk)
    start = mapping.to_datetime(mapping.to_grain(start))
    end = start + (old.end - old.start)
    updated = Meeting.objects.filter(pk=meeting.pk, version=version).update(
        start=start, end=end, version=version + 1, **_place_fields(mapping, venue)
    )
    if not updated:
        raise PlanChanged(plan)
    _touch(plan, user)
    if plan.status != PlanStatus.DRAFT:
        from trademission.meetings.domain.plan_changes import notify_changes

        notify_changes(mission, [Change("moved", meeting.pk, old.start, place_label(old))])
    return Meeting.objects.get(pk=meeting.pk)


@transaction.atomic
def set_pinned(
    meeting: Meeting, *, pinned: bool, version: int, plan_version: int, user: Any = None
) -> None:
    """Pin (keep where it is when re-planning) or unpin a meeting.

    Raises :class:`PlanChanged` when the plan or the meeting changed meanwhile.
    Side effects: updates the Meeting (pinned, version + 1) and bumps the plan's version.
    """
    plan = plan_row(meeting.mission, lock=True)
    if plan.version != plan_version:
        raise PlanChanged(plan)
    if not Meeting.objects.filter(pk=meeting.pk, version=version).update(
        pinned=pinned, version=version + 1
    ):
        raise PlanChanged(plan)
    _touch(plan, user)


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, version: int, plan_version: int, user: Any = None) -> None:
    """Cancel a meeting of the plan.

    Raises :class:`PlanChanged` when the plan or the meeting changed meanwhile.
    Side effects: updates the Meeting (status cancelled, pinned off, version + 1), bumps the
    plan's version; once published, notifies the people affected.
    """
    mission = meeting.mission
    plan = plan_row(mission, lock=True)
    if plan.version != plan_version:
        raise PlanChanged(plan)
    if not Meeting.objects.filter(pk=meeting.pk, version=version).update(
        status=MeetingStatus.CANCELLED, pinned=False, version=version + 1
    ):
        raise PlanChanged(plan)
    _touch(plan, user)
    if plan.status != PlanStatus.DRAFT:
        from trademission.meetings.domain.plan_changes import notify_changes

        old = Meeting.objects.select_related("host__organisation", "venue").get(pk=meeting.pk)
        notify_changes(mission, [Change("cancelled", meeting.pk, old.start, place_label(old))])


@transaction.atomic
def publish_plan(
    mission: Mission, *, status: str, plan_version: int, user: Any = None
) -> MissionPlan:
    """Publish the plan as preliminary or final.

    Raises :class:`PlanChanged` when the plan changed since the page was read, ValueError for
    another status. Side effects: updates the MissionPlan (status, published_at/by, version);
    publishing as final confirms the tentative meetings.
    """
    if status not in (PlanStatus.PRELIMINARY, PlanStatus.FINAL):
        raise ValueError(status)
    plan = plan_row(mission, lock=True)
    if plan.version != plan_version:
        raise PlanChanged(plan)
    if status == PlanStatus.FINAL:
        Meeting.objects.filter(mission=mission, status=MeetingStatus.TENTATIVE).update(
            status=MeetingStatus.CONFIRMED, version=F("version") + 1
        )
    MissionPlan.objects.filter(pk=plan.pk).update(
        status=status,
        published_at=timezone.now(),
        published_by=user if getattr(user, "pk", None) else None,
    )
    _touch(plan, user)
    return plan_row(mission)
