"""Agendas: an SME's days (meetings, programme, travel) and a stakeholder's meetings.

Both read a fixed number of queries whatever the number of meetings. Times are aware
datetimes; templates show them in the mission's time zone (``Agenda.timezone``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from trademission.meetings.domain.queries.recommendations import read_explanation
from trademission.meetings.enums import MatchSource, MeetingMode, MeetingStatus, PlanStatus
from trademission.meetings.models import Match, Meeting, MissionPlan
from trademission.meetings.travel import travel_minutes
from trademission.missions.enums import VenueKind
from trademission.missions.geography import normalise, same_area
from trademission.missions.models import Mission, ProgrammeItem, Venue
from trademission.participants.enums import ParticipationStatus
from trademission.participants.models import Participation, Stakeholder

OSM = "https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=17/{lat:.5f}/{lon:.5f}"


# ---------------------------------------------------------------------------------- places


@dataclass(frozen=True)
class Place:
    """Somewhere the delegation goes: a stakeholder's premises or a venue."""

    name: str
    address: str = ""
    city: str = ""
    latitude: float | None = None
    longitude: float | None = None

    @property
    def point(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)

    @property
    def full_address(self) -> str:
        parts = [self.address]
        if self.city and normalise(self.city) not in normalise(self.address):
            parts.append(self.city)
        return ", ".join(p for p in parts if p)

    @property
    def map_url(self) -> str:
        """A link to the place on OpenStreetMap (nothing is loaded from it by our pages)."""
        point = self.point
        return OSM.format(lat=point[0], lon=point[1]) if point else ""


def venue_place(venue: Venue) -> Place:
    return Place(venue.name, venue.address, venue.city, venue.latitude, venue.longitude)


def premises_place(stakeholder: Stakeholder) -> Place:
    address = " ".join(p for p in (stakeholder.address, stakeholder.postcode) if p)
    return Place(
        stakeholder.name, address, stakeholder.city, stakeholder.latitude, stakeholder.longitude
    )


@dataclass(frozen=True)
class TravelLeg:
    """Getting from the previous place of the day to the next one."""

    origin: Place
    destination: Place
    #: None when a place has no coordinates
    minutes: int | None
    #: when to leave ``origin`` to arrive on time; None when ``minutes`` is unknown
    leave_at: dt.datetime | None
    #: when the previous meeting or blocking programme item ends (None from the hotel)
    origin_end: dt.datetime | None = None

    @property
    def same_place(self) -> bool:
        return self.minutes == 0

    @property
    def tight(self) -> bool:
        """The previous item ends too late to arrive on time."""
        return (
            self.leave_at is not None
            and self.origin_end is not None
            and self.origin_end > self.leave_at
        )


# --------------------------------------------------------------------------------- entries


@dataclass
class MeetingEntry:
    meeting: Meeting
    start: dt.datetime
    end: dt.datetime
    counterpart: str
    counterpart_type: str
    place: Place | None
    online: bool
    online_link: str
    status: str
    status_label: str
    #: every SME in the meeting (more than one for a group visit)
    smes: list[str]
    #: why the recommender proposed this stakeholder to this SME, in one short text
    why: str = ""
    #: the advisor's notes on this SME that mention the stakeholder
    notes: list[str] = field(default_factory=list)
    travel: TravelLeg | None = None
    kind: str = "meeting"

    @property
    def leave_at(self) -> dt.datetime | None:
        return self.travel.leave_at if self.travel else None

    @property
    def group(self) -> bool:
        return len(self.smes) > 1


@dataclass
class ProgrammeEntry:
    item: ProgrammeItem
    start: dt.datetime
    end: dt.datetime
    title: str
    kind_label: str
    place: Place | None
    online: bool
    description: str
    travel: TravelLeg | None = None
    kind: str = "programme"

    @property
    def leave_at(self) -> dt.datetime | None:
        return self.travel.leave_at if self.travel else None


@dataclass
class AgendaDay:
    date: dt.date
    #: the city of the itinerary that day ("" outside the itinerary, e.g. webinar days)
    city: str
    entries: list[Any] = field(default_factory=list)
    #: the delegation hotel in that city, where the day starts
    hotel: Place | None = None

    @property
    def meetings(self) -> list[MeetingEntry]:
        return [e for e in self.entries if e.kind == "meeting"]


@dataclass
class Agenda:
    mission: Mission
    timezone: str
    #: the abbreviations of the time zone over the mission's days, e.g. "EDT"
    timezone_abbreviation: str
    days: list[AgendaDay]

    @property
    def meeting_count(self) -> int:
        return sum(len(day.meetings) for day in self.days)


def timezone_abbreviation(mission: Mission) -> str:
    tz = mission.tz
    names: list[str] = []
    for day in mission.days:
        name = dt.datetime.combine(day, dt.time(12), tzinfo=tz).tzname() or ""
        if name and name not in names:
            names.append(name)
    return "/".join(names)


# ------------------------------------------------------------------------------ publication


def published_plan(mission: Mission) -> MissionPlan | None:
    """The mission's plan when it is published (preliminary or final), else None."""
    return (
        MissionPlan.objects.filter(
            mission=mission, status__in=[PlanStatus.PRELIMINARY, PlanStatus.FINAL]
        )
        .only("status", "published_at", "mission_id")
        .first()
    )


# ------------------------------------------------------------------------------ SME agenda


def why_text(match: Match | None) -> str:
    """One short sentence-like text from a match's explanation, or "" without a match."""
    if match is None:
        return ""
    reading = read_explanation(match.explanation)
    parts: list[str] = []
    if reading.wish or match.source == MatchSource.WISH:
        parts.append(_("you asked to meet this organisation"))
    if reading.concepts:
        parts.append(
            _("shared interests: %(list)s") % {"list": ", ".join(c.label for c in reading.concepts)}
        )
    if reading.shared_terms:
        parts.append(_("common words: %(list)s") % {"list": ", ".join(reading.shared_terms)})
    if reading.partner_fit == "fits" and reading.stakeholder_types:
        parts.append(
            _("the partner type you seek (%(types)s)")
            % {"types": ", ".join(reading.stakeholder_types)}
        )
    if not parts and reading.text:
        return reading.text
    if not parts and match.source == MatchSource.MANUAL:
        return _("Proposed by the mission advisor.")
    if not parts:
        return ""
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _notes_about(notes: list[Any], stakeholder: Stakeholder | None) -> list[str]:
    """The advisor notes that mention the stakeholder's name (notes have no stakeholder link)."""
    if stakeholder is None:
        return []
    name = stakeholder.name.casefold()
    return [note.text for note in notes if name and name in note.text.casefold()]


def _meetings(mission: Mission, *, include_tentative: bool) -> QuerySet[Meeting]:
    meetings = (
        Meeting.objects.filter(mission=mission)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("host__organisation", "venue")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("sme").order_by("sme__name", "pk"),
            )
        )
        .order_by("start", "pk")
    )
    if not include_tentative:
        meetings = meetings.exclude(status=MeetingStatus.TENTATIVE)
    return meetings


def _meeting_place(meeting: Meeting) -> Place | None:
    if meeting.mode == MeetingMode.ONLINE:
        return None
    if meeting.venue is not None:
        if meeting.venue.kind == VenueKind.ONLINE:
            return None
        return venue_place(meeting.venue)
    return premises_place(meeting.host) if meeting.host is not None else None


def _online_link(meeting: Meeting) -> str:
    address = meeting.venue.address if meeting.venue is not None else ""
    return address if address.startswith(("https://", "http://")) else ""


def _meeting_entry(meeting: Meeting, tz: Any) -> MeetingEntry:
    place = _meeting_place(meeting)
    host = meeting.host
    return MeetingEntry(
        meeting=meeting,
        start=meeting.start.astimezone(tz),
        end=meeting.end.astimezone(tz),
        counterpart=host.name if host else (meeting.venue.name if meeting.venue else ""),
        counterpart_type=host.get_type_display() if host else "",
        place=place,
        online=place is None,
        online_link=_online_link(meeting),
        status=meeting.status,
        status_label=str(meeting.get_status_display()),
        smes=[p.sme.name for p in meeting.participations.all()],
    )


def _stops(mission: Mission) -> list[Any]:
    return list(mission.stops.order_by("start"))


def _city_on(stops: list[Any], day: dt.date) -> str:
    for stop in stops:
        if stop.start <= day <= stop.end:
            return str(stop.city)
    return ""


def _hotel_in(hotels: list[Venue], city: str) -> Place | None:
    if not city:
        return None
    for venue in hotels:
        if venue.city and same_area(venue.city, city):
            return venue_place(venue)
    return None


def _add_travel(day: AgendaDay) -> None:
    """Legs between consecutive places of the day, starting from the hotel."""
    previous = day.hotel
    previous_end: dt.datetime | None = None
    for entry in day.entries:
        if entry.place is None:
            continue
        if previous is not None:
            minutes = travel_minutes(previous.point, entry.place.point)
            leave_at = entry.start - dt.timedelta(minutes=minutes) if minutes is not None else None
            entry.travel = TravelLeg(previous, entry.place, minutes, leave_at, previous_end)
        previous = entry.place
        # Trade-show hours (not blocking) can be left at any time.
        blocking = entry.kind == "meeting" or entry.item.blocks_meetings
        previous_end = entry.end if blocking else None


def _days(mission: Mission, entries: list[Any], *, hotels: list[Venue]) -> list[AgendaDay]:
    stops = _stops(mission)
    by_date: dict[dt.date, list[Any]] = defaultdict(list)
    for entry in entries:
        by_date[entry.start.date()].append(entry)
    dates = sorted(set(mission.days) | set(by_date))
    days = []
    for date in dates:
        city = _city_on(stops, date)
        day = AgendaDay(
            date=date,
            city=city,
            # meetings before programme items starting at the same time
            entries=sorted(by_date[date], key=lambda e: (e.start, e.kind != "meeting", e.end)),
            hotel=_hotel_in(hotels, city),
        )
        _add_travel(day)
        days.append(day)
    return days


def _agenda(mission: Mission, days: list[AgendaDay]) -> Agenda:
    return Agenda(
        mission=mission,
        timezone=mission.timezone,
        timezone_abbreviation=timezone_abbreviation(mission),
        days=days,
    )


def sme_agenda(participation: Participation, *, include_tentative: bool = True) -> Agenda:
    """One SME's days on the mission: its meetings (counterpart, place, how to get there and
    when to leave, why it was recommended, the advisor's notes about the counterpart), the
    programme items it attends and the travel between them. Cancelled meetings are left out,
    tentative ones too unless ``include_tentative``. Reads only; a fixed number of queries."""
    mission = participation.mission
    tz = mission.tz
    meetings = list(
        _meetings(mission, include_tentative=include_tentative).filter(participations=participation)
    )
    host_ids = {m.host_id for m in meetings if m.host_id}
    matches = {
        m.stakeholder_id: m
        for m in Match.objects.filter(participation=participation, stakeholder_id__in=host_ids)
    }
    notes = list(participation.advisor_notes.order_by("date", "pk"))
    entries: list[Any] = []
    for meeting in meetings:
        entry = _meeting_entry(meeting, tz)
        entry.why = why_text(matches.get(meeting.host_id))
        entry.notes = _notes_about(notes, meeting.host)
        entries.append(entry)
    items = (
        ProgrammeItem.objects.filter(mission=mission)
        .filter(Q(for_all=True) | Q(attendees=participation))
        .select_related("venue")
        .distinct()
        .order_by("start", "pk")
    )
    for item in items:
        venue = item.venue
        online = venue is not None and venue.kind == VenueKind.ONLINE
        entries.append(
            ProgrammeEntry(
                item=item,
                start=item.start.astimezone(tz),
                end=item.end.astimezone(tz),
                title=item.title,
                kind_label=str(item.get_kind_display()),
                place=venue_place(venue) if venue is not None and not online else None,
                online=online,
                description=item.description,
            )
        )
    hotels = list(mission.venues.filter(kind=VenueKind.HOTEL).order_by("name", "pk"))
    return _agenda(mission, _days(mission, entries, hotels=hotels))


# ------------------------------------------------------------------------ stakeholder agenda


@dataclass
class SmeBrief:
    name: str
    country: str
    website: str
    description: str
    technologies: list[str]


@dataclass
class StakeholderMeetingEntry:
    meeting: Meeting
    start: dt.datetime
    end: dt.datetime
    place: Place | None
    online: bool
    online_link: str
    status: str
    status_label: str
    smes: list[SmeBrief]
    kind: str = "meeting"


def _brief(participation: Participation) -> SmeBrief:
    sme = participation.sme
    technologies = [str(t) for t in sme.technologies] if isinstance(sme.technologies, list) else []
    return SmeBrief(sme.name, sme.country, sme.website, sme.description, technologies)


def stakeholder_agenda(stakeholder: Stakeholder, *, include_tentative: bool = True) -> Agenda:
    """The stakeholder's meetings with the delegation, by day: which SMEs (and what they do),
    when and where. Only days with meetings are listed. Reads only; a fixed number of queries."""
    mission = stakeholder.mission
    tz = mission.tz
    meetings = _meetings(mission, include_tentative=include_tentative).filter(host=stakeholder)
    by_date: dict[dt.date, list[Any]] = defaultdict(list)
    for meeting in meetings:
        base = _meeting_entry(meeting, tz)
        by_date[base.start.date()].append(
            StakeholderMeetingEntry(
                meeting=meeting,
                start=base.start,
                end=base.end,
                place=base.place,
                online=base.online,
                online_link=base.online_link,
                status=base.status,
                status_label=base.status_label,
                smes=[_brief(p) for p in meeting.participations.all()],
            )
        )
    stops = _stops(mission)
    days = [
        AgendaDay(date=date, city=_city_on(stops, date), entries=by_date[date])
        for date in sorted(by_date)
    ]
    return _agenda(mission, days)


# ------------------------------------------------------------------- organiser's overview


def sme_rows(mission: Mission) -> QuerySet[Participation]:
    """The selected SMEs with ``n_meetings`` (cancelled meetings not counted)."""
    return (
        mission.participations.filter(status=ParticipationStatus.SELECTED)
        .select_related("sme")
        .annotate(
            n_meetings=Count(
                "meetings",
                filter=Q(meetings__mission=mission) & ~Q(meetings__status=MeetingStatus.CANCELLED),
            )
        )
        .order_by("sme__name", "pk")
    )


def stakeholder_rows(mission: Mission) -> QuerySet[Stakeholder]:
    """The mission's stakeholders with ``n_meetings`` they host (cancelled not counted)."""
    return (
        mission.stakeholders.select_related("organisation")
        .annotate(
            n_meetings=Count(
                "hosted_meetings", filter=~Q(hosted_meetings__status=MeetingStatus.CANCELLED)
            )
        )
        .order_by("-n_meetings", "organisation__name", "pk")
    )
