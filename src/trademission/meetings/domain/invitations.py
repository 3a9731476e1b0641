"""Invitations: meeting requests to stakeholders, their token links, reminders, answers.

The life of a :class:`~trademission.meetings.models.MeetingRequest`::

    draft ──send──▶ sent ──answer──▶ accepted / declined   (changeable until it expires)
                      └──no answer before expires_at──▶ expired

Links. A stakeholder answers through a link that carries a random secret; the database keeps
only its SHA-256 (:class:`~trademission.participants.models.StakeholderToken`). So a link that
was mailed can never be mailed again: every e-mail (invitation, reminder, resent link) carries
a fresh secret on a new token row. A still-valid token of the stakeholder is reused for its
*expiry*: a reminder's link expires when the earlier one does, and earlier links keep working
until then. Revoking revokes every valid link of the stakeholder.

Mail goes through Django's mail settings (console in development, SMTP in production), in
the language of each contact person (English or French, else English), with links built from
``settings.SITE_URL``. Each function below is one transaction: if sending fails, nothing is
recorded (mails already handed to the server in that run may then be sent again on retry).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trademission.meetings.domain.queries import invitations as queries
from trademission.meetings.enums import MatchDecision, RequestStatus
from trademission.meetings.models import Match, MeetingRequest, MissionPlan, Notification
from trademission.missions.models import Mission
from trademission.participants.enums import MeetingPlace, ParticipationStatus
from trademission.participants.models import ContactPerson, Stakeholder, StakeholderToken

MAIL_LANGUAGES = ("en", "fr")
#: Match.priority 1 ("High") makes the request a must-have for the planner.
MUST_HAVE_PRIORITY = 1


class InvitationError(ValidationError):
    """A step that cannot be done; the messages are translated for the page."""


@dataclass
class SendReport:
    """What :func:`send_invitations` (and the reminders) did."""

    stakeholders: list[Stakeholder] = field(default_factory=list)  # who got an e-mail
    requests: int = 0  # requests marked sent (or reminded)
    mails: int = 0  # e-mails sent
    no_email: list[Stakeholder] = field(default_factory=list)  # skipped: no contact e-mail


def mission_plan(mission: Mission) -> MissionPlan:
    """The mission's plan row (invitation rules), created with the defaults if missing."""
    plan, _created = MissionPlan.objects.get_or_create(mission=mission)
    return plan


@transaction.atomic
def set_invitation_rules(
    mission: Mission, *, invitation_valid_days: int, reminder_after_days: int
) -> MissionPlan:
    """Set how long invitation links stay valid and after how many days unanswered requests
    are reminded. Applies to invitations sent from now on (and to reminders of all).

    Side effects: creates the MissionPlan row if missing; updates those two fields only (the
    plan's ``version`` counts changes to the meetings, not to these rules).
    """
    if invitation_valid_days < 1 or reminder_after_days < 1:
        raise InvitationError(_("Give at least one day."))
    plan = mission_plan(mission)
    MissionPlan.objects.filter(pk=plan.pk).update(
        invitation_valid_days=invitation_valid_days, reminder_after_days=reminder_after_days
    )
    plan.refresh_from_db()
    return plan


def answer_url(raw: str, language: str) -> str:
    """The absolute link of the token page, in ``language`` (en or fr)."""
    with translation.override(language):
        path = reverse("portal:answer", kwargs={"token": raw})
    # English is the unprefixed default; saying so keeps the page from switching to the
    # stakeholder's profile language for a contact who reads English.
    return settings.SITE_URL.rstrip("/") + path + ("?lang=en" if language == "en" else "")


def _language(contact: ContactPerson) -> str:
    return contact.language if contact.language in MAIL_LANGUAGES else "en"


# ----------------------------------------------------------------------------- preparing


@transaction.atomic
def prepare_requests(mission: Mission) -> int:
    """One draft meeting request per accepted match (of a selected SME) that has none yet.

    The request is for the match's SME and stakeholder, lasts the mission's default meeting
    length, and is a must-have for the planner when the match has the high priority.
    Side effects: writes MeetingRequest rows (status draft) and their SME links.
    Returns how many requests were created.
    """
    matches = (
        Match.objects.filter(
            mission=mission,
            decision=MatchDecision.ACCEPTED,
            request__isnull=True,
            participation__status=ParticipationStatus.SELECTED,
        )
        .select_related("participation")
        .order_by("pk")
    )
    created = 0
    for match in matches:
        request = MeetingRequest.objects.create(
            mission=mission,
            match=match,
            stakeholder_id=match.stakeholder_id,
            duration_minutes=mission.default_meeting_minutes,
            must_have=match.priority == MUST_HAVE_PRIORITY,
        )
        request.participations.add(match.participation)
        created += 1
    return created


# ----------------------------------------------------------------------------- mail


def _new_token(stakeholder: Stakeholder, expires_at: dt.datetime) -> str:
    raw, token_hash = StakeholderToken.new_secret()
    StakeholderToken.objects.create(
        stakeholder=stakeholder, token_hash=token_hash, expires_at=expires_at
    )
    return raw


def _valid_until(stakeholder: Stakeholder, now: dt.datetime) -> dt.datetime | None:
    """When the stakeholder's latest still-valid link expires, if it has one."""
    token = (
        stakeholder.tokens.filter(revoked=False, expires_at__gt=now).order_by("-expires_at").first()
    )
    return token.expires_at if token else None


def _mail(
    stakeholder: Stakeholder,
    *,
    kind: str,
    raw: str,
    requests: Sequence[MeetingRequest],
    expires_at: dt.datetime,
    reply_to: str,
) -> int:
    """Send ``kind`` (invitation, reminder, link) to every contact of the stakeholder with an
    e-mail, each in their language, and record a Notification per e-mail. Returns the count."""
    mission = stakeholder.mission
    contacts = list(stakeholder.contacts.exclude(email="").order_by("name", "pk"))
    days = queries.days_in_city(mission, stakeholder.city)
    smes = []
    for request in requests:
        for participation in request.participations.all():
            if participation.sme not in smes:
                smes.append(participation.sme)
    for contact in contacts:
        language = _language(contact)
        context = {
            "contact": contact,
            "stakeholder": stakeholder,
            "mission": mission,
            "smes": smes,
            "days": days,
            "city": stakeholder.city,
            "link": answer_url(raw, language),
            "expires_at": timezone.localtime(expires_at, mission.tz),
            "timezone": mission.timezone,
            "organiser_email": reply_to,
        }
        with translation.override(language), timezone.override(mission.tz):
            subject = " ".join(
                render_to_string(f"meetings/email/{kind}_subject_{language}.txt", context).split()
            )
            body = render_to_string(f"meetings/email/{kind}_{language}.txt", context)
        EmailMessage(subject, body, None, [contact.email], reply_to=[reply_to]).send()
        Notification.objects.create(
            mission=mission,
            recipient=contact.email,
            language=language,
            subject=subject[:300],
            body=body,
        )
    return len(contacts)


def _reply_to(mission: Mission, user: Any = None) -> str:
    email = getattr(user, "email", "") if user is not None else ""
    return email or queries.organiser_email(mission)


# ----------------------------------------------------------------------------- sending


@transaction.atomic
def send_invitations(
    mission: Mission,
    *,
    requests: Iterable[MeetingRequest] | None = None,
    user: Any,
    now: dt.datetime | None = None,
) -> SendReport:
    """Send the draft requests (all of the mission's, or those given), one e-mail per contact
    person of each stakeholder, with a link to the stakeholder's answer page.

    Stakeholders without any contact e-mail are skipped (listed in the report's ``no_email``);
    their requests stay drafts. The link expires after the plan's ``invitation_valid_days``.
    Side effects: creates the MissionPlan row if missing; writes one StakeholderToken per
    stakeholder reached; sends the e-mails (reply-to: the user's address); writes one
    Notification per e-mail; updates the requests (status sent, sent_at, expires_at).
    """
    now = now or timezone.now()
    plan = mission_plan(mission)
    expires_at = now + dt.timedelta(days=plan.invitation_valid_days)
    reply_to = _reply_to(mission, user)
    report = SendReport()
    for group in queries.outgoing(mission, requests):
        if not group.recipients:
            report.no_email.append(group.stakeholder)
            continue
        raw = _new_token(group.stakeholder, expires_at)
        report.mails += _mail(
            group.stakeholder,
            kind="invitation",
            raw=raw,
            requests=group.requests,
            expires_at=expires_at,
            reply_to=reply_to,
        )
        report.requests += MeetingRequest.objects.filter(
            pk__in=[r.pk for r in group.requests], status=RequestStatus.DRAFT
        ).update(status=RequestStatus.SENT, sent_at=now, expires_at=expires_at)
        report.stakeholders.append(group.stakeholder)
    return report


@transaction.atomic
def send_reminders(mission: Mission, *, now: dt.datetime | None = None) -> SendReport:
    """Remind the stakeholders of sent requests that are unanswered, not expired, and were
    sent (or last reminded) at least the plan's ``reminder_after_days`` ago.

    The reminder's link expires when the requests do. Stakeholders without a contact e-mail
    are skipped. Side effects: creates the MissionPlan row if missing; writes one
    StakeholderToken per stakeholder reminded; sends the e-mails; writes one Notification per
    e-mail; sets ``reminded_at`` of the requests reminded.
    """
    now = now or timezone.now()
    plan = mission_plan(mission)
    cutoff = now - dt.timedelta(days=plan.reminder_after_days)
    due = (
        mission.meeting_requests.filter(
            status=RequestStatus.SENT, expires_at__gt=now, sent_at__lte=cutoff
        )
        .exclude(reminded_at__gt=cutoff)
        .select_related("stakeholder__organisation", "stakeholder__mission")
        .prefetch_related("participations__sme")
        .order_by("stakeholder__organisation__name", "pk")
    )
    groups: dict[int, list[MeetingRequest]] = {}
    for request in due:
        groups.setdefault(request.stakeholder_id, []).append(request)
    report = SendReport()
    reply_to = queries.organiser_email(mission)
    for requests in groups.values():
        stakeholder = requests[0].stakeholder
        expires_at = min(r.expires_at for r in requests if r.expires_at is not None)
        if not stakeholder.contacts.exclude(email="").exists():
            report.no_email.append(stakeholder)
            continue
        raw = _new_token(stakeholder, expires_at)
        report.mails += _mail(
            stakeholder,
            kind="reminder",
            raw=raw,
            requests=requests,
            expires_at=expires_at,
            reply_to=reply_to,
        )
        report.requests += MeetingRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
            reminded_at=now
        )
        report.stakeholders.append(stakeholder)
    return report


@transaction.atomic
def expire_requests(mission: Mission, *, now: dt.datetime | None = None) -> int:
    """Mark sent requests whose answer time is over as expired.

    Answered requests keep their answer (they only stop being changeable).
    Side effects: updates the status of those MeetingRequest rows. Returns how many.
    """
    now = now or timezone.now()
    return mission.meeting_requests.filter(status=RequestStatus.SENT, expires_at__lte=now).update(
        status=RequestStatus.EXPIRED
    )


@transaction.atomic
def expire_and_remind(
    mission: Mission, *, now: dt.datetime | None = None
) -> tuple[int, SendReport]:
    """:func:`expire_requests`, then :func:`send_reminders`, for one mission.

    Side effects: those of both. Returns the number expired and the reminders' report.
    """
    now = now or timezone.now()
    return expire_requests(mission, now=now), send_reminders(mission, now=now)


def run_due_reminders(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Expiry, then reminders, for every mission with requests waiting for an answer.

    Side effects: those of :func:`expire_and_remind`, one transaction per mission, so one
    mission's failure does not undo the mails of the missions before it.
    """
    now = now or timezone.now()
    totals = {"missions": 0, "expired": 0, "reminded": 0, "mails": 0}
    missions = Mission.objects.filter(meeting_requests__status=RequestStatus.SENT).distinct()
    for mission in missions.order_by("pk"):
        expired, report = expire_and_remind(mission, now=now)
        totals["missions"] += 1
        totals["expired"] += expired
        totals["reminded"] += report.requests
        totals["mails"] += report.mails
    return totals


@transaction.atomic
def resend_link(
    stakeholder: Stakeholder, *, user: Any, now: dt.datetime | None = None
) -> SendReport:
    """Mail the stakeholder a new link to its answer page, valid for the plan's
    ``invitation_valid_days`` from now; its sent, answered and expired requests can be
    answered again until then (expired ones go back to sent).

    Side effects: writes a StakeholderToken; sends the e-mails; writes one Notification per
    e-mail; updates ``expires_at`` (and an expired status) of the stakeholder's requests.
    Raises InvitationError when nothing has been sent to the stakeholder yet.
    """
    now = now or timezone.now()
    mission = stakeholder.mission
    plan = mission_plan(mission)
    requests = list(
        stakeholder.requests.filter(status__in=queries.SHOWN_TO_STAKEHOLDER)
        .prefetch_related("participations__sme")
        .order_by("pk")
    )
    if not requests:
        raise InvitationError(_("No invitation has been sent to this stakeholder yet."))
    report = SendReport()
    if not stakeholder.contacts.exclude(email="").exists():
        report.no_email.append(stakeholder)
        return report
    expires_at = now + dt.timedelta(days=plan.invitation_valid_days)
    raw = _new_token(stakeholder, expires_at)
    report.mails = _mail(
        stakeholder,
        kind="link",
        raw=raw,
        requests=requests,
        expires_at=expires_at,
        reply_to=_reply_to(mission, user),
    )
    ids = [r.pk for r in requests]
    MeetingRequest.objects.filter(pk__in=ids, status=RequestStatus.EXPIRED).update(
        status=RequestStatus.SENT
    )
    report.requests = MeetingRequest.objects.filter(pk__in=ids).update(expires_at=expires_at)
    report.stakeholders.append(stakeholder)
    return report


@transaction.atomic
def revoke_links(stakeholder: Stakeholder) -> int:
    """Make every link of the stakeholder unusable at once (the page then says it expired).

    Side effects: sets ``revoked`` on the stakeholder's StakeholderToken rows. The requests
    and answers are kept. Returns how many valid links were revoked.
    """
    return stakeholder.tokens.filter(revoked=False, expires_at__gt=timezone.now()).update(
        revoked=True
    )


# ----------------------------------------------------------------------------- answers


def _parse(value: Any, tz: Any) -> dt.datetime:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(tz)


def clean_availability(mission: Mission, spans: Iterable[Any]) -> list[dict[str, str]]:
    """Check availability spans ({"start", "end"}: ISO strings or datetimes) and return them
    as ISO strings in the mission's time zone, in time order. Each span must lie on one day
    of the mission, within its meeting hours, and end after it starts."""
    tz = mission.tz
    days = set(mission.days)
    cleaned = []
    for span in spans:
        try:
            start, end = _parse(span["start"], tz), _parse(span["end"], tz)
        except (KeyError, TypeError, ValueError) as exc:
            raise InvitationError({"availability": _("A time span could not be read.")}) from exc
        if end <= start or start.date() != end.date():
            raise InvitationError(
                {"availability": _("A time span must end after it starts, on the same day.")}
            )
        if start.date() not in days:
            raise InvitationError(
                {"availability": _("A time span is outside the days of the mission.")}
            )
        if start.time() < mission.meeting_day_start or end.time() > mission.meeting_day_end:
            raise InvitationError(
                {
                    "availability": _(
                        "A time span is outside the meeting hours (%(start)s–%(end)s)."
                    )
                    % {
                        "start": mission.meeting_day_start.strftime("%H:%M"),
                        "end": mission.meeting_day_end.strftime("%H:%M"),
                    }
                }
            )
        cleaned.append({"start": start.isoformat(), "end": end.isoformat()})
    return sorted(cleaned, key=lambda span: span["start"])


@transaction.atomic
def answer_request(
    request: MeetingRequest,
    *,
    accept: bool,
    place: str = "",
    availability: Iterable[Any] = (),
    note: str = "",
    now: dt.datetime | None = None,
) -> MeetingRequest:
    """Record a stakeholder's answer to one request (first answer or a change).

    Accepting needs a meeting place among :func:`queries.allowed_places` (the trade show only
    if the mission has a trade-show venue) and at least one availability span (see
    :func:`clean_availability`). Declining clears the place and availability.
    Side effects: updates the MeetingRequest (status accepted or declined, answered_at,
    meeting_place, availability, answer_note). Raises InvitationError when the request can
    no longer be answered or the answer is invalid.
    """
    now = now or timezone.now()
    current = (
        MeetingRequest.objects.select_for_update().select_related("mission").get(pk=request.pk)
    )
    if not queries.is_open(current, now=now):
        raise InvitationError(_("This meeting request can no longer be answered."))
    mission = current.mission
    spans: list[dict[str, str]] = []
    if accept:
        if place not in queries.allowed_places(mission):
            raise InvitationError({"place": _("Choose where the meeting can take place.")})
        spans = clean_availability(mission, availability)
        if not spans:
            raise InvitationError({"availability": _("Tell us when you are available.")})
    else:
        place = ""
    current.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    current.meeting_place = place if place in MeetingPlace.values else ""
    current.availability = spans
    current.answer_note = note.strip()
    current.answered_at = now
    current.save(
        update_fields=["status", "meeting_place", "availability", "answer_note", "answered_at"]
    )
    return current


@transaction.atomic
def answer_requests(
    token: StakeholderToken,
    answers: dict[int, dict[str, Any]],
    *,
    now: dt.datetime | None = None,
) -> list[MeetingRequest]:
    """Record the answers given on a token page: ``{request_pk: {"accept", "place",
    "availability", "note"}}``, all or none.

    Only requests of the token's own stakeholder can be answered: any other pk raises
    InvitationError, as does an expired or revoked token. An invalid answer raises
    InvitationError with ``request_pk`` set to the request it concerns.
    Side effects: those of :func:`answer_request` for each answer.
    """
    now = now or timezone.now()
    if token.revoked or token.expires_at <= now:
        raise InvitationError(_("This link has expired."))
    own = {
        request.pk: request
        for request in MeetingRequest.objects.filter(
            stakeholder_id=token.stakeholder_id, pk__in=list(answers)
        )
    }
    if set(answers) - set(own):
        raise InvitationError(_("This meeting request is not yours to answer."))
    saved = []
    for pk, answer in sorted(answers.items()):
        try:
            saved.append(answer_request(own[pk], now=now, **answer))
        except InvitationError as exc:
            exc.request_pk = pk  # type: ignore[attr-defined]
            raise
    return saved
