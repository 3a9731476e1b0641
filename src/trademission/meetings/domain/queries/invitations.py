"""What the invitation pages read: the organisers' board, the send preview, the token page.

Each function runs a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from trademission.meetings.enums import RequestStatus
from trademission.meetings.models import MeetingRequest
from trademission.missions.enums import Role, VenueKind
from trademission.missions.geography import same_area
from trademission.missions.models import Mission
from trademission.participants.enums import MeetingPlace
from trademission.participants.models import ContactPerson, Stakeholder, StakeholderToken

#: Statuses a stakeholder sees on the token page (drafts are not sent yet).
SHOWN_TO_STAKEHOLDER = (
    RequestStatus.SENT,
    RequestStatus.ACCEPTED,
    RequestStatus.DECLINED,
    RequestStatus.EXPIRED,
)
#: Statuses whose answer can still be given or changed (while the request has not expired).
ANSWERABLE = (RequestStatus.SENT, RequestStatus.ACCEPTED, RequestStatus.DECLINED)


# ----------------------------------------------------------------------------- the mission


def has_trade_show(mission: Mission) -> bool:
    """Whether the mission has a trade-show venue, so meetings on the show floor are possible."""
    return mission.venues.filter(kind=VenueKind.TRADE_SHOW).exists()


def allowed_places(mission: Mission, *, trade_show: bool | None = None) -> list[str]:
    """The meeting places a stakeholder may choose: a trade show only if the mission has one."""
    if trade_show is None:
        trade_show = has_trade_show(mission)
    return [
        place for place in MeetingPlace.values if place != MeetingPlace.TRADE_SHOW or trade_show
    ]


@dataclass(frozen=True)
class HalfDay:
    """A morning or an afternoon the delegation can meet, in the mission's time zone."""

    key: str  # "2023-05-29-am"
    day: dt.date
    start: dt.datetime
    end: dt.datetime

    @property
    def is_morning(self) -> bool:
        return self.key.endswith("-am")


def _half_days_of(mission: Mission, day: dt.date) -> list[HalfDay]:
    tz = mission.tz
    noon_from = mission.lunch_start or dt.time(12, 0)
    noon_until = mission.lunch_end or dt.time(12, 0)
    spans = []
    if mission.meeting_day_start < noon_from <= mission.meeting_day_end:
        spans.append(("am", mission.meeting_day_start, noon_from))
    if mission.meeting_day_start <= noon_until < mission.meeting_day_end:
        spans.append(("pm", noon_until, mission.meeting_day_end))
    if not spans:
        spans.append(("am", mission.meeting_day_start, mission.meeting_day_end))
    return [
        HalfDay(
            key=f"{day.isoformat()}-{part}",
            day=day,
            start=dt.datetime.combine(day, start, tzinfo=tz),
            end=dt.datetime.combine(day, end, tzinfo=tz),
        )
        for part, start, end in spans
    ]


def days_in_city(mission: Mission, city: str) -> list[dt.date]:
    """The mission days the delegation spends in the city's metropolitan area (by the
    itinerary); all the mission's days if the itinerary never reaches it."""
    days = set(mission.days)
    in_city: set[dt.date] = set()
    for stop in mission.stops.all():
        if same_area(stop.city, city):
            span = (stop.end - stop.start).days + 1
            in_city.update(stop.start + dt.timedelta(days=i) for i in range(span))
    return sorted(in_city & days) or sorted(days)


def half_days(mission: Mission, city: str) -> list[HalfDay]:
    """The mornings and afternoons the delegation is in the city, in order."""
    return [half for day in days_in_city(mission, city) for half in _half_days_of(mission, day)]


def organiser_email(mission: Mission) -> str:
    """Whom a stakeholder should write to: the mission's advisor, else staff of the
    coordinating partner, else the address the application sends mail from."""
    users = get_user_model().objects.exclude(email="")
    advisor = (
        users.filter(mission_roles__mission=mission, mission_roles__role=Role.ADVISOR)
        .order_by("pk")
        .values_list("email", flat=True)
        .first()
    )
    if advisor:
        return str(advisor)
    coordinator = (
        users.filter(
            memberships__organisation__partnerships__project=mission.project_id,
            memberships__organisation__partnerships__is_coordinator=True,
        )
        .order_by("pk")
        .values_list("email", flat=True)
        .first()
    )
    if coordinator:
        return str(coordinator)
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL


# ----------------------------------------------------------------------------- the board


def status_counts(mission: Mission) -> dict[str, int]:
    """How many of the mission's requests are in each status (every status present)."""
    rows = (
        MeetingRequest.objects.filter(mission=mission)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    counts = {status: 0 for status in RequestStatus.values}
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


def _requests(status: str = "") -> QuerySet[MeetingRequest]:
    requests = MeetingRequest.objects.prefetch_related(
        Prefetch("participations", queryset=_participations())
    ).order_by("pk")
    return requests.filter(status=status) if status else requests


def _participations() -> QuerySet[Any]:
    from trademission.participants.models import Participation

    return Participation.objects.select_related("sme").order_by("sme__name", "pk")


def board_rows(mission: Mission, *, status: str = "") -> QuerySet[Stakeholder]:
    """Stakeholders with meeting requests (of ``status`` if given), each with ``board_requests``
    (its requests, SMEs prefetched), ``valid_tokens`` (unrevoked, unexpired links, newest
    first) and ``has_email`` (a contact person with an e-mail address)."""
    now = timezone.now()
    stakeholders = mission.stakeholders.filter(requests__isnull=False)
    if status:
        stakeholders = mission.stakeholders.filter(requests__status=status)
    return (
        stakeholders.distinct()
        .select_related("organisation")
        .annotate(
            has_email=Exists(
                ContactPerson.objects.filter(stakeholder=OuterRef("pk")).exclude(email="")
            )
        )
        .prefetch_related(
            Prefetch("requests", queryset=_requests(status), to_attr="board_requests"),
            Prefetch(
                "tokens",
                queryset=StakeholderToken.objects.filter(revoked=False, expires_at__gt=now),
                to_attr="valid_tokens",
            ),
        )
        .order_by("organisation__name", "pk")
    )


# ----------------------------------------------------------------------------- sending


@dataclass
class Outgoing:
    """What one stakeholder will receive: its draft requests and who gets the e-mail."""

    stakeholder: Stakeholder
    requests: list[MeetingRequest] = field(default_factory=list)
    recipients: list[ContactPerson] = field(default_factory=list)


def draft_requests(mission: Mission) -> QuerySet[MeetingRequest]:
    return mission.meeting_requests.filter(status=RequestStatus.DRAFT)


def outgoing(mission: Mission, requests: Any = None) -> list[Outgoing]:
    """The draft requests (all of the mission's, or those given) grouped per stakeholder, with
    the stakeholder's contact persons who have an e-mail address, by stakeholder name."""
    drafts = draft_requests(mission)
    if requests is not None:
        drafts = drafts.filter(pk__in=[getattr(r, "pk", r) for r in requests])
    drafts = drafts.select_related("stakeholder__organisation").prefetch_related(
        Prefetch("participations", queryset=_participations()),
        Prefetch(
            "stakeholder__contacts",
            queryset=ContactPerson.objects.exclude(email="").order_by("name", "pk"),
            to_attr="mail_contacts",
        ),
    )
    groups: dict[int, Outgoing] = {}
    for request in drafts.order_by("stakeholder__organisation__name", "pk"):
        group = groups.get(request.stakeholder_id)
        if group is None:
            group = groups[request.stakeholder_id] = Outgoing(
                stakeholder=request.stakeholder,
                recipients=list(request.stakeholder.mail_contacts),  # type: ignore[attr-defined]
            )
        group.requests.append(request)
    return list(groups.values())


# ----------------------------------------------------------------------------- token page


def stakeholder_requests(stakeholder: Stakeholder) -> QuerySet[MeetingRequest]:
    """The requests a stakeholder sees on its token page: only its own, never drafts, with the
    SMEs and the match (for the explanation)."""
    return (
        MeetingRequest.objects.filter(stakeholder=stakeholder, status__in=SHOWN_TO_STAKEHOLDER)
        .select_related("match")
        .prefetch_related(Prefetch("participations", queryset=_participations()))
        .order_by("pk")
    )


def is_open(request: MeetingRequest, *, now: dt.datetime | None = None) -> bool:
    """Whether the stakeholder can still give or change the answer to a request."""
    now = now or timezone.now()
    return request.status in ANSWERABLE and (request.expires_at is None or request.expires_at > now)


def format_span(span: dict[str, Any], tz: Any) -> str:
    """One availability span as "Mon 29 May 09:00–12:00" in the mission's time zone."""
    from django.utils.formats import date_format

    try:
        start = dt.datetime.fromisoformat(str(span["start"])).astimezone(tz)
        end = dt.datetime.fromisoformat(str(span["end"])).astimezone(tz)
    except (KeyError, TypeError, ValueError):
        return _("(unreadable time span)")
    return f"{date_format(start, 'D j M')} {start:%H:%M}–{end:%H:%M}"


def why_recommended(request: MeetingRequest) -> list[str]:
    """Short reasons from the match's explanation that are safe to show the stakeholder:
    the concepts and shared terms, never scores or internal notes."""
    from trademission.meetings.domain.queries.recommendations import read_explanation

    if request.match is None:
        return []
    reading = read_explanation(request.match.explanation)
    reasons = [concept.label for concept in reading.concepts]
    reasons += [term for term in reading.shared_terms if term not in reasons]
    if reading.text and not reasons:
        reasons.append(reading.text)
    return reasons[:6]
