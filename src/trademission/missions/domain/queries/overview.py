"""What the mission overview page shows, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q

from trademission.meetings.enums import MatchDecision, MeetingStatus, RequestStatus
from trademission.missions.models import ItineraryStop, Mission, ProgrammeItem
from trademission.participants.enums import ParticipationStatus
from trademission.participants.models import Participation, Stakeholder


@dataclass
class DayPlan:
    day: dt.date
    city: str
    items: list[ProgrammeItem] = field(default_factory=list)


@dataclass
class MissionOverview:
    stops: list[ItineraryStop]
    days: list[DayPlan]
    preparation: list[ProgrammeItem]
    participations: list[Participation]
    counts: dict[str, int]
    stakeholders_by_city: list[dict[str, Any]]


def mission_overview(mission: Mission) -> MissionOverview:
    stops = list(mission.stops.all())
    items = list(mission.programme.select_related("venue").order_by("start"))
    tz = mission.tz
    city_of = {day: stop.city for stop in stops for day in _days(stop.start, stop.end)}
    days = [DayPlan(day=day, city=city_of.get(day, "")) for day in mission.days]
    by_day = {plan.day: plan for plan in days}
    preparation = []
    for item in items:
        local_day = item.start.astimezone(tz).date()
        if local_day in by_day:
            by_day[local_day].items.append(item)
        else:
            preparation.append(item)
    participations = list(
        mission.participations.select_related("sme__cluster")
        .prefetch_related(
            Prefetch(
                "sme__participations",
                queryset=Participation.objects.select_related("mission").order_by("mission__start"),
                to_attr="history",
            )
        )
        .order_by("status", "sme__name")
    )
    return MissionOverview(
        stops=stops,
        days=days,
        preparation=preparation,
        participations=participations,
        counts=_counts(mission),
        stakeholders_by_city=list(
            Stakeholder.objects.filter(mission=mission)
            .values("city")
            .annotate(n=Count("id"))
            .order_by("city")
        ),
    )


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def _counts(mission: Mission) -> dict[str, int]:
    participations = mission.participations.aggregate(
        applied=Count("id"),
        selected=Count("id", filter=Q(status=ParticipationStatus.SELECTED)),
    )
    matches = mission.matches.aggregate(
        matches=Count("id"), accepted=Count("id", filter=Q(decision=MatchDecision.ACCEPTED))
    )
    requests = mission.meeting_requests.aggregate(
        requests=Count("id"), answered=Count("id", filter=Q(status=RequestStatus.ACCEPTED))
    )
    meetings = mission.meetings.aggregate(
        meetings=Count("id", filter=~Q(status=MeetingStatus.CANCELLED))
    )
    return {
        **participations,
        "stakeholders": mission.stakeholders.count(),
        **matches,
        **requests,
        **meetings,
    }
