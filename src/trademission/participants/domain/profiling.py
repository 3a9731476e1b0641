"""Advisor profiling of selected SMEs: notes, expectations, wishes and exclusions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trademission.meetings.enums import MatchDecision, MatchSource
from trademission.meetings.models import Match
from trademission.participants.models import AdvisorNote, Participation, Sme, Stakeholder

#: What an advisor may record about a wish.
WISH_DECISIONS = (MatchDecision.PENDING, MatchDecision.ACCEPTED)


@transaction.atomic
def save_advisor_note(
    participation: Participation, *, date: dt.date, text: str, author: Any, note_id: int | None
) -> AdvisorNote:
    """Add a note of a one-to-one meeting, or change note ``note_id`` of this participation.

    Side effects: writes one AdvisorNote row.
    """
    if note_id is None:
        note = AdvisorNote(participation=participation, author=author)
    else:
        note = participation.advisor_notes.get(pk=note_id)
    note.date, note.text = date, text
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def delete_advisor_note(note: AdvisorNote) -> None:
    """Side effects: deletes the note."""
    note.delete()


@transaction.atomic
def update_expectations(sme: Sme, *, expectations: str, partner_types_sought: list[str]) -> Sme:
    """What the SME expects from the mission and which kinds of partner it seeks.

    Side effects: updates the Sme row (the profile outlives the mission).
    """
    sme.expectations = expectations
    sme.partner_types_sought = list(partner_types_sought)
    sme.save(update_fields=["expectations", "partner_types_sought"])
    return sme


def _stakeholder_of(participation: Participation, stakeholder: Stakeholder) -> Stakeholder:
    if stakeholder.mission_id != participation.mission_id:
        raise ValidationError({"stakeholder": _("This stakeholder belongs to another mission.")})
    return stakeholder


@transaction.atomic
def add_wish(
    participation: Participation,
    *,
    stakeholder: Stakeholder,
    decision: str = MatchDecision.PENDING,
    priority: int = 2,
) -> Match:
    """The SME wants to meet ``stakeholder``: a match with source "wish".

    A suggested match of the same pair becomes the wish; an excluded pair is refused (remove
    the exclusion first). Side effects: writes or updates one Match row.
    """
    _stakeholder_of(participation, stakeholder)
    if decision not in WISH_DECISIONS:
        raise ValidationError({"decision": _("A wish is to review or accepted.")})
    match = Match.objects.filter(participation=participation, stakeholder=stakeholder).first()
    if match is not None and match.decision == MatchDecision.EXCLUDED:
        raise ValidationError(
            {"stakeholder": _("This SME must not meet this stakeholder; remove the exclusion.")}
        )
    if match is None:
        match = Match(
            mission_id=participation.mission_id,
            participation=participation,
            stakeholder=stakeholder,
        )
    match.source, match.decision, match.priority = MatchSource.WISH, decision, priority
    match.save()
    return match


@transaction.atomic
def exclude_stakeholder(participation: Participation, *, stakeholder: Stakeholder) -> Match:
    """The SME must not meet ``stakeholder``: the pair is never proposed.

    Side effects: writes or updates one Match row with decision "excluded" (a wish of the same
    pair becomes an exclusion).
    """
    _stakeholder_of(participation, stakeholder)
    match, _created = Match.objects.update_or_create(
        participation=participation,
        stakeholder=stakeholder,
        defaults={"mission_id": participation.mission_id, "decision": MatchDecision.EXCLUDED},
        create_defaults={
            "mission_id": participation.mission_id,
            "decision": MatchDecision.EXCLUDED,
            "source": MatchSource.MANUAL,
        },
    )
    return match


@transaction.atomic
def remove_wish_or_exclusion(match: Match) -> None:
    """Withdraw a wish or lift an exclusion.

    Side effects: a match the recommender suggested goes back to "to review"; a wish or a
    hand-made exclusion is deleted.
    """
    if match.source == MatchSource.SUGGESTED:
        match.decision = MatchDecision.PENDING
        match.save(update_fields=["decision"])
    else:
        match.delete()
