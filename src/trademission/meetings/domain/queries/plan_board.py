"""The plan board: one day of the plan as a timeline per SME (or per stakeholder).

A fixed number of queries whatever the number of rows and meetings; rows are paginated.
Blocks carry their position on the timeline as percentages, so the template only places them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from trademission.meetings.enums import MeetingMode, MeetingStatus, RequestStatus
from trademission.meetings.models import Meeting, MeetingRequest, MissionPlan
from trademission.meetings.travel import travel_minutes
from trademission.missions.enums import VenueKind
from trademission.missions.models import Mission, ProgrammeItem
from trademission.participants.enums import ParticipationStatus
from trademission.participants.models import Participation, Stakeholder

ROWS_PER_PAGE = 100
VIEWS = ("smes", "stakeholders")
MEETING_FIELDS = (
    "pk",
    "mission_id",
    "start",
    "end",
    "status",
    "pinned",
    "version",
    "mode",
    "host__organisation__name",
    "host__latitude",
    "host__longitude",
    "venue__name",
    "venue__kind",
    "venue__latitude",
    "venue__longitude",
)


@dataclass
class Block:
    kind: str  # "meeting", "programme", "travel"
    start: dt.datetime
    end: dt.datetime
    left: float  # percent of the timeline
    width: float
    label: str
    meeting: Meeting | None = None
    title: str = ""
    warn: bool = False
    minutes: int = 0

    @cached_property
    def style(self) -> str:
        return f"left:{self.left}%;width:{self.width}%"

    @cached_property
    def t0(self) -> str:
        return self.start.strftime("%H:%M")

    @cached_property
    def t1(self) -> str:
        return self.end.strftime("%H:%M")


@dataclass
class Row:
    key: int
    name: str
    blocks: list[Block] = field(default_factory=list)
    unavailable: bool = False
    #: the times of the day the stakeholder did not offer in its answers (stakeholder view)
    busy: list[Block] = field(default_factory=list)


@dataclass
class DayTab:
    index: int
    date: dt.date
    city: str
    meetings: int


@dataclass
class Tick:
    label: str
    left: float


@dataclass
class Board:
    mission: Mission
    plan: MissionPlan | None
    days: list[DayTab]
    day: DayTab
    view: str
    rows: list[Row]
    page: Page  # type: ignore[type-arg]
    ticks: list[Tick]
    shades: list[Block]  # lunch
    meeting_count: int


def _point(meeting: Meeting) -> tuple[float, float] | None:
    if meeting.mode == MeetingMode.ONLINE:
        return None
    if meeting.venue_id is not None:
        v = meeting.venue
        if v.kind == VenueKind.ONLINE or v.latitude is None or v.longitude is None:
            return None
        return (v.latitude, v.longitude)
    h = meeting.host
    if h is None or h.latitude is None or h.longitude is None:
        return None
    return (h.latitude, h.longitude)


def _place(meeting: Meeting) -> str:
    if meeting.mode == MeetingMode.ONLINE:
        return _("online")
    if meeting.venue_id is not None:
        return str(meeting.venue.name)
    return _("at their premises")


def plan_board(mission: Mission, *, day: int = 0, view: str = "smes", page: int | str = 1) -> Board:
    """One day of the mission's plan: tabs of the days (date, city, meeting count), the rows
    of the page (SMEs or stakeholders) with their meetings, programme items and travel legs.
    Reads only; a fixed number of queries."""
    tz = mission.tz
    view = view if view in VIEWS else "smes"
    stops = list(mission.stops.order_by("start"))
    counts = dict(
        Meeting.objects.filter(mission=mission)
        .exclude(status=MeetingStatus.CANCELLED)
        .annotate(day=TruncDate("start", tzinfo=tz))
        .values_list("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    tabs = []
    for i, date in enumerate(mission.days):
        city = next((s.city for s in stops if s.start <= date <= s.end), "")
        tabs.append(DayTab(i, date, city, counts.get(date, 0)))
    current = tabs[max(0, min(day, len(tabs) - 1))]
    begin = dt.datetime.combine(current.date, dt.time(), tzinfo=tz)
    finish = begin + dt.timedelta(days=1)

    items = list(
        ProgrammeItem.objects.filter(mission=mission, start__lt=finish, end__gt=begin)
        .prefetch_related(Prefetch("attendees", queryset=Participation.objects.only("pk")))
        .order_by("start", "pk")
    )
    # the timeline: meeting hours, widened to the programme of the day
    lo = dt.datetime.combine(current.date, mission.meeting_day_start, tzinfo=tz)
    hi = dt.datetime.combine(current.date, mission.meeting_day_end, tzinfo=tz)
    for item in items:
        lo = min(lo, max(begin, item.start.astimezone(tz)))
        hi = max(hi, min(finish, item.end.astimezone(tz)))
    lo = lo.replace(minute=0, second=0)
    if hi.minute:
        hi = hi.replace(minute=0, second=0) + dt.timedelta(hours=1)
    span = (hi - lo).total_seconds() or 1.0

    def pos(start: dt.datetime, end: dt.datetime) -> tuple[float, float]:
        s = max(lo, start)
        e = min(hi, end)
        left = (s - lo).total_seconds() / span * 100
        return round(left, 3), round(max(0.0, (e - s).total_seconds() / span * 100), 3)

    ticks = []
    at = lo
    while at <= hi:
        ticks.append(Tick(at.strftime("%H:%M"), pos(at, at)[0]))
        at += dt.timedelta(hours=1)
    shades = []
    if mission.lunch_start and mission.lunch_end:
        ls = dt.datetime.combine(current.date, mission.lunch_start, tzinfo=tz)
        le = dt.datetime.combine(current.date, mission.lunch_end, tzinfo=tz)
        left, width = pos(ls, le)
        shades.append(Block("lunch", ls, le, left, width, _("Lunch")))

    if view == "smes":
        subjects = (
            Participation.objects.filter(mission=mission, status=ParticipationStatus.SELECTED)
            .select_related("sme")
            .only("pk", "sme__name")
            .order_by("sme__name", "pk")
        )
    else:
        subjects = (
            Stakeholder.objects.filter(mission=mission)
            .filter(Q(requests__status=RequestStatus.ACCEPTED) | Q(hosted_meetings__isnull=False))
            .distinct()
            .select_related("organisation")
            .only("pk", "available_days", "organisation__name")
            .order_by("organisation__name", "pk")
        )
    paginator = Paginator(subjects, ROWS_PER_PAGE)
    page_obj = paginator.get_page(page)
    rows = {}
    for subject in page_obj.object_list:
        if view == "smes":
            rows[subject.pk] = Row(subject.pk, subject.sme.name)
        else:
            days = {str(d) for d in subject.available_days or []}
            rows[subject.pk] = Row(
                subject.pk, subject.name, unavailable=bool(days) and str(current.date) not in days
            )

    if view == "stakeholders" and rows:
        _shade_busy(rows, mission, current.date, lo, hi, pos)

    meetings = (
        Meeting.objects.filter(mission=mission, start__lt=finish, end__gt=begin)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("host__organisation", "venue")
        .only(*MEETING_FIELDS)
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("sme")
                .only("pk", "sme__name")
                .order_by("sme__name", "pk"),
                to_attr="smes",
            )
        )
        .order_by("start", "pk")
    )
    if view == "smes":
        meetings = meetings.filter(participations__in=list(rows)).distinct()
    else:
        meetings = meetings.filter(host_id__in=list(rows))
    meeting_list = list(meetings)
    by_row: dict[int, list[Meeting]] = defaultdict(list)
    for m in meeting_list:
        if view == "smes":
            for p in m.smes:
                if p.pk in rows:
                    by_row[p.pk].append(m)
        elif m.host_id in rows:
            by_row[m.host_id].append(m)

    attending = [(item, {a.pk for a in item.attendees.all()}) for item in items]
    for key, row in rows.items():
        previous: Meeting | None = None
        for m in by_row.get(key, []):
            start, end = m.start.astimezone(tz), m.end.astimezone(tz)
            left, width = pos(start, end)
            if view == "smes":
                label = m.host.name if m.host is not None else str(m.venue)
            else:
                label = ", ".join(p.sme.name for p in m.smes)
            if previous is not None:
                minutes = travel_minutes(_point(previous), _point(m))
                if minutes:
                    gap_start = previous.end.astimezone(tz)
                    leg_left, leg_width = pos(gap_start, gap_start + dt.timedelta(minutes=minutes))
                    free = (start - gap_start).total_seconds() / 60
                    row.blocks.append(
                        Block(
                            "travel",
                            gap_start,
                            gap_start + dt.timedelta(minutes=minutes),
                            leg_left,
                            leg_width,
                            _("%(minutes)d min") % {"minutes": minutes},
                            warn=minutes > free,
                            minutes=minutes,
                        )
                    )
            row.blocks.append(
                Block("meeting", start, end, left, width, label, meeting=m, title=_place(m))
            )
            previous = m
        if view == "smes":
            for item, attendees in attending:
                if item.for_all or key in attendees:
                    start, end = item.start.astimezone(tz), item.end.astimezone(tz)
                    left, width = pos(start, end)
                    row.blocks.append(
                        Block(
                            "programme",
                            start,
                            end,
                            left,
                            width,
                            item.title,
                            title=item.get_kind_display(),
                            warn=not item.blocks_meetings,
                        )
                    )
    plan = MissionPlan.objects.filter(mission=mission).select_related("changed_by").first()
    return Board(
        mission=mission,
        plan=plan,
        days=tabs,
        day=current,
        view=view,
        rows=list(rows.values()),
        page=page_obj,
        ticks=ticks,
        shades=shades,
        meeting_count=len(meeting_list),
    )


def _shade_busy(
    rows: dict[int, Row],
    mission: Mission,
    date: dt.date,
    lo: dt.datetime,
    hi: dt.datetime,
    pos: Any,
) -> None:
    """Shade the hours of the day outside the availability the stakeholders answered."""
    tz = mission.tz
    spans: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    answered: set[int] = set()
    for stakeholder_id, availability in MeetingRequest.objects.filter(
        mission=mission, status=RequestStatus.ACCEPTED, stakeholder_id__in=list(rows)
    ).values_list("stakeholder_id", "availability"):
        for span in availability or []:
            try:
                start = dt.datetime.fromisoformat(str(span["start"])).astimezone(tz)
                end = dt.datetime.fromisoformat(str(span["end"])).astimezone(tz)
            except (KeyError, TypeError, ValueError):
                continue
            answered.add(stakeholder_id)
            if start.date() == date:
                spans[stakeholder_id].append((start, end))
    label = _("Not offered")
    for key in answered:
        row = rows[key]
        if row.unavailable:
            continue
        at = lo
        for start, end in sorted(spans.get(key, [])):
            if start > at:
                row.busy.append(Block("busy", at, start, *pos(at, start), label))
            at = max(at, end)
        if at < hi:
            row.busy.append(Block("busy", at, hi, *pos(at, hi), label))
