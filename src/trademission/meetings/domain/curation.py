"""The advisor's curation of recommendations: accept, reject, prioritise, add by hand.

Decisions follow "last write wins": two advisors deciding the same match at the same moment
both succeed and the later one stays, which is acceptable for a yes/no that either can change
again. Exclusions (decision ``excluded``) belong to profiling and are never changed here.
Bulk actions only ever touch matches of the mission they are given.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trademission.meetings.enums import MatchDecision, MatchSource
from trademission.meetings.models import Match
from trademission.participants.enums import ParticipationStatus

#: Decisions an advisor can give on the recommendations pages.
CURATION_DECISIONS = frozenset(
    {MatchDecision.PENDING, MatchDecision.ACCEPTED, MatchDecision.REJECTED}
)
#: Match.priority values: 1 high, 2 normal, 3 low.
PRIORITIES = frozenset({1, 2, 3})


class CurationError(ValueError):
    """A curation step that cannot be done; the message is translated for the page."""


def _check_decision(decision: str) -> None:
    if decision not in CURATION_DECISIONS:
        raise CurationError(_("Unknown decision."))


def _check_priority(priority: int) -> None:
    if priority not in PRIORITIES:
        raise CurationError(_("Unknown priority."))


@transaction.atomic
def decide_match(match: Match, *, decision: str, user: Any) -> Match:
    """Accept, reject or reset (pending) one match.

    Side effects: updates ``decision`` of the Match row (last write wins). An excluded match
    cannot be decided here (CurationError). ``user`` is the advisor; the model keeps no author
    of a decision yet, so it is not stored.
    """
    _check_decision(decision)
    updated = (
        Match.objects.filter(pk=match.pk)
        .exclude(decision=MatchDecision.EXCLUDED)
        .update(decision=decision)
    )
    if not updated:
        raise CurationError(_("This match is excluded or no longer exists."))
    match.decision = decision
    return match


@transaction.atomic
def set_priority(match: Match, *, priority: int) -> Match:
    """Set the priority (1 high, 2 normal, 3 low) of one match.

    Side effects: updates ``priority`` of the Match row (last write wins).
    """
    _check_priority(priority)
    updated = (
        Match.objects.filter(pk=match.pk)
        .exclude(decision=MatchDecision.EXCLUDED)
        .update(priority=priority)
    )
    if not updated:
        raise CurationError(_("This match is excluded or no longer exists."))
    match.priority = priority
    return match


@transaction.atomic
def add_manual_match(participation: Any, stakeholder: Any, *, user: Any) -> Match:
    """Match an SME with a stakeholder of the same mission by hand, accepted at once.

    Side effects: writes one Match row (source manual, decision accepted, score 0). Refused
    (CurationError) when the two belong to different missions, the SME is not selected, or the
    pair is already matched — including an exclusion, and including a concurrent add of the
    same pair by another advisor.
    """
    if participation.mission_id != stakeholder.mission_id:
        raise CurationError(_("The SME and the stakeholder are on different missions."))
    if participation.status != ParticipationStatus.SELECTED:
        raise CurationError(_("Only selected SMEs get matches."))
    if Match.objects.filter(participation=participation, stakeholder=stakeholder).exists():
        raise CurationError(_("This SME and this stakeholder are already matched."))
    try:
        with transaction.atomic():
            return Match.objects.create(
                mission_id=participation.mission_id,
                participation=participation,
                stakeholder=stakeholder,
                source=MatchSource.MANUAL,
                decision=MatchDecision.ACCEPTED,
                score=0.0,
                computed_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise CurationError(_("This SME and this stakeholder are already matched.")) from exc


@transaction.atomic
def bulk_decide(mission: Any, match_ids: Iterable[int], *, decision: str) -> int:
    """Give one decision to several matches of ``mission``; returns how many changed.

    Side effects: updates ``decision`` of those Match rows that belong to the mission and are
    not excluded; ids of other missions or of exclusions are ignored.
    """
    _check_decision(decision)
    return (
        Match.objects.filter(mission=mission, pk__in=list(match_ids))
        .exclude(decision=MatchDecision.EXCLUDED)
        .update(decision=decision)
    )


@transaction.atomic
def bulk_set_priority(mission: Any, match_ids: Iterable[int], *, priority: int) -> int:
    """Give one priority to several matches of ``mission``; returns how many changed.

    Side effects: updates ``priority`` of those Match rows that belong to the mission and are
    not excluded; ids of other missions or of exclusions are ignored.
    """
    _check_priority(priority)
    return (
        Match.objects.filter(mission=mission, pk__in=list(match_ids))
        .exclude(decision=MatchDecision.EXCLUDED)
        .update(priority=priority)
    )
