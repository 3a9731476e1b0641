"""Telling the people a change of a published plan affects: one e-mail per contact person.

The domain functions of ``planning.py`` call :func:`notify_changes` after a move, a
cancellation or a new meeting once the plan is published (preliminary or final).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.mail import EmailMessage
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation

from trademission.meetings.models import Meeting, MissionPlan, Notification
from trademission.missions.models import Mission
from trademission.participants.models import ContactPerson, Participation

MAIL_LANGUAGES = ("en", "fr")


def _language(contact: ContactPerson) -> str:
    return contact.language if contact.language in MAIL_LANGUAGES else "en"


def notify_changes(mission: Mission, changes: Iterable[Any]) -> int:
    """Mail every contact person (with an e-mail) of the SMEs and of the host of each changed
    meeting, in the person's language, and record a Notification per e-mail.

    ``changes`` are :class:`planning.Change` (kind moved / cancelled / new, the meeting's pk,
    its old start and place). Side effects: sends e-mails; writes Notification rows.
    Returns the number of e-mails sent.
    """
    from trademission.meetings.domain.planning import place_label

    changes = list(changes)
    if not changes:
        return 0
    meetings = {
        m.pk: m
        for m in Meeting.objects.filter(pk__in=[c.meeting_id for c in changes])
        .select_related("host__organisation", "venue")
        .prefetch_related(
            Prefetch("host__contacts", queryset=ContactPerson.objects.order_by("name", "pk")),
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("sme").prefetch_related(
                    Prefetch("sme__contacts", queryset=ContactPerson.objects.order_by("name", "pk"))
                ),
            ),
        )
    }
    status = MissionPlan.objects.filter(mission=mission).values_list("status", flat=True).first()
    tz = mission.tz
    sent = 0
    for change in changes:
        meeting = meetings.get(change.meeting_id)
        if meeting is None:
            continue
        participations = list(meeting.participations.all())
        contacts: list[ContactPerson] = []
        for p in participations:
            contacts.extend(p.sme.contacts.all())
        if meeting.host is not None:
            contacts.extend(meeting.host.contacts.all())
        host = meeting.host.name if meeting.host is not None else str(meeting.venue)
        smes = ", ".join(p.sme.name for p in participations)
        seen: set[str] = set()
        for contact in contacts:
            if not contact.email or contact.email.lower() in seen:
                continue
            seen.add(contact.email.lower())
            language = _language(contact)
            is_host = contact.stakeholder_id is not None
            context = {
                "contact": contact,
                "mission": mission,
                "change": change,
                "host": host,
                "smes": smes,
                "counterpart": smes if is_host else host,
                "start": meeting.start.astimezone(tz),
                "end": meeting.end.astimezone(tz),
                "place": place_label(meeting),
                "old_start": change.old_start.astimezone(tz) if change.old_start else None,
                "old_place": change.old_place,
                "timezone": mission.timezone,
                "plan_status": status,
            }
            with translation.override(language), timezone.override(tz):
                subject = " ".join(
                    render_to_string(
                        f"meetings/email/plan_change_subject_{language}.txt", context
                    ).split()
                )
                body = render_to_string(f"meetings/email/plan_change_{language}.txt", context)
            EmailMessage(subject, body, None, [contact.email]).send()
            Notification.objects.create(
                mission=mission,
                meeting=meeting,
                recipient=contact.email,
                language=language,
                subject=subject[:300],
                body=body,
            )
            sent += 1
    return sent
