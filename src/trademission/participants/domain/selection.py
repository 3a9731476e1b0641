"""The SME call and selection: applications, scores, decisions and the decision e-mail."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trademission.missions.models import Mission
from trademission.missions.validators import check_scores
from trademission.participants.enums import ParticipationStatus
from trademission.participants.models import ContactPerson, Participation, Sme

#: Decisions an organiser can take on an application.
DECISIONS = (
    ParticipationStatus.SELECTED,
    ParticipationStatus.WAITING_LIST,
    ParticipationStatus.DECLINED,
)
MAIL_LANGUAGES = ("en", "fr")

#: Profile fields an application writes on the SME.
PROFILE_FIELDS = (
    "name",
    "country",
    "city",
    "website",
    "description",
    "technologies",
    "keywords",
    "trl",
    "sectors",
    "markets",
    "partner_types_sought",
    "expectations",
    "languages",
    "export_controlled",
    "cluster",
    "profile_language",
)


#: Key in ``Participation.answers`` of what an application said that differs from the profile.
PROFILE_DIFFERENCES = "_profile_differences"


class AlreadyApplied(ValidationError):
    """The SME has already applied to this mission."""


def website_domain(url: str) -> str:
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host.lower().removeprefix("www.")


def find_existing_sme(*, name: str, country: str, website: str) -> Sme | None:
    """The SME with the same website domain, else the same name in the same country."""
    domain = website_domain(website) if website else ""
    if domain:
        for sme in Sme.objects.exclude(website="").filter(website__icontains=domain):
            if website_domain(sme.website) == domain:
                return sme
    return Sme.objects.filter(name__iexact=name.strip(), country__iexact=country).first()


@transaction.atomic
def apply_to_mission(
    mission: Mission,
    *,
    profile: dict[str, Any],
    contact: dict[str, Any],
    answers: dict[str, str],
) -> Participation:
    """Record an SME's application; an SME already known (same website domain, or same name
    and country) is reused, so its history shows: its blank profile fields are filled in, and
    what the application says differently is kept in the answers (``PROFILE_DIFFERENCES``).

    ``contact`` has name, email, role, phone, language; consent is recorded with the time.
    Raises :class:`AlreadyApplied` if this SME already applied to the mission.
    Side effects: writes or updates the Sme, a ContactPerson (matched by e-mail) and a new
    Participation with status "applied".
    """
    profile = {key: value for key, value in profile.items() if key in PROFILE_FIELDS}
    sme = find_existing_sme(
        name=profile["name"], country=profile["country"], website=profile.get("website", "")
    )
    if sme is not None and mission.participations.filter(sme=sme).exists():
        raise AlreadyApplied(
            _("%(name)s has already applied to this mission.") % {"name": sme.name}
        )
    if sme is None:
        sme = Sme(**profile)
        differences: dict[str, Any] = {}
    else:
        differences = _complete_profile(sme, profile)
    sme.full_clean()
    sme.save()
    if differences:
        answers = {**answers, PROFILE_DIFFERENCES: differences}
    person = sme.contacts.filter(email__iexact=contact["email"]).first() or ContactPerson(sme=sme)
    for key in ("name", "email", "role", "phone", "language"):
        if key in contact:
            setattr(person, key, contact[key])
    person.consent_at = timezone.now()
    person.save()
    return Participation.objects.create(
        mission=mission, sme=sme, contact=person, answers=answers, status="applied"
    )


def _empty(value: Any) -> bool:
    return value in ("", None, [])


def _complete_profile(sme: Sme, profile: dict[str, Any]) -> dict[str, Any]:
    """Fill the blank fields of a known SME's profile from an application.

    A public form must not let anybody rewrite a company's profile, so filled fields are kept
    and what the application says differently is returned (to be shown beside it). An
    application that declares export-controlled technology always sets the flag.
    """
    differences: dict[str, Any] = {}
    for key, value in profile.items():
        current = getattr(sme, key)
        if key == "profile_language":  # goes with the description that is kept
            continue
        if key == "export_controlled":
            sme.export_controlled = bool(current or value)
        elif _empty(current) and not _empty(value):
            setattr(sme, key, value)
        elif not _empty(value) and value != current:
            differences[key] = str(value) if key == "cluster" else value
    return differences


@transaction.atomic
def score_application(
    participation: Participation, *, scores: dict[str, int | None], advisor_input: str
) -> Participation:
    """Record the scores (0–5 per criterion of the mission) and the advisor's view.

    Unscored criteria (None) are left out. Side effects: updates the Participation row.
    """
    keys = set(participation.mission.criteria.values_list("key", flat=True))
    given = {key: value for key, value in scores.items() if value is not None}
    check_scores(given, keys)
    participation.scores = given
    participation.advisor_input = advisor_input
    participation.save(update_fields=["scores", "advisor_input"])
    return participation


def weighted_total(scores: dict[str, Any], weights: dict[str, Decimal]) -> Decimal:
    """Σ weight × score over the mission's criteria; a missing score counts 0."""
    return sum(
        (weight * Decimal(str(scores.get(key) or 0)) for key, weight in weights.items()),
        Decimal(0),
    )


def applicant_contact(participation: Participation) -> ContactPerson | None:
    """Who hears about the decision: the application's contact, else the SME's first one."""
    if participation.contact_id and participation.contact and participation.contact.email:
        return participation.contact
    return participation.sme.contacts.exclude(email="").order_by("pk").first()


def mail_language(contact: ContactPerson | None) -> str:
    language = contact.language if contact else "en"
    return language if language in MAIL_LANGUAGES else "en"


def default_decision_message(participation: Participation, status: str) -> str:
    """The message proposed to the organiser, in the contact's language."""
    language = mail_language(applicant_contact(participation))
    with translation.override(language):
        return render_to_string(
            f"participants/email/decision_message_{language}.txt",
            {"participation": participation, "mission": participation.mission, "status": status},
        ).strip()


@transaction.atomic
def decide_application(
    participation: Participation, *, status: str, message: str, note: str = "", user: Any
) -> bool:
    """Decide on an application (selected, waiting list, declined) and tell the applicant.

    Side effects: updates the Participation (status, decision_message, decision_note,
    decided_at, decided_by); sends one e-mail in the contact's language (EN/FR) to the
    application's contact. If sending fails, the decision is not recorded either.
    Returns whether an e-mail was sent (False when the SME has no contact with an e-mail).
    """
    if status not in DECISIONS:
        raise ValidationError({"status": _("Choose selected, waiting list or declined.")})
    participation.status = status
    participation.decision_message = message
    participation.decision_note = note
    participation.decided_at = timezone.now()
    participation.decided_by = user
    participation.save(
        update_fields=["status", "decision_message", "decision_note", "decided_at", "decided_by"]
    )
    contact = applicant_contact(participation)
    if contact is None:
        return False
    language = mail_language(contact)
    context = {
        "participation": participation,
        "mission": participation.mission,
        "contact": contact,
        "message": message,
        "status": status,
    }
    with translation.override(language):
        subject = render_to_string(
            f"participants/email/decision_subject_{language}.txt", context
        ).strip()
        body = render_to_string(f"participants/email/decision_{language}.txt", context)
    send_mail(subject, body, None, [contact.email])
    return True
