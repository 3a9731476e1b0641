"""Reads for the advisor's profiling pages, in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from trademission.meetings.enums import MatchDecision, MatchSource
from trademission.meetings.models import Match
from trademission.missions.models import Mission
from trademission.participants.domain.queries.selection import history_prefetch
from trademission.participants.models import Participation


def selected_participations(mission: Mission) -> QuerySet[Participation]:
    """Selected SMEs with the number of notes, wishes and exclusions."""
    return (
        mission.participations.selected()
        .select_related("sme__cluster")
        .annotate(
            notes=Count("advisor_notes", distinct=True),
            wishes=Count(
                "matches",
                filter=Q(matches__source=MatchSource.WISH)
                & ~Q(matches__decision=MatchDecision.EXCLUDED),
                distinct=True,
            ),
            exclusions=Count(
                "matches", filter=Q(matches__decision=MatchDecision.EXCLUDED), distinct=True
            ),
        )
        .order_by("sme__name")
    )


def profile(mission: Mission, pk: int) -> Participation:
    """One selected SME with its notes, wishes, exclusions and mission history."""
    matches = Match.objects.select_related("stakeholder__organisation").order_by(
        "stakeholder__organisation__name"
    )
    return (
        mission.participations.selected()
        .select_related("sme__cluster")
        .prefetch_related(
            history_prefetch(),
            Prefetch("advisor_notes", queryset=_notes()),
            Prefetch(
                "matches",
                queryset=matches.filter(source=MatchSource.WISH).exclude(
                    decision=MatchDecision.EXCLUDED
                ),
                to_attr="wish_list",
            ),
            Prefetch(
                "matches",
                queryset=matches.filter(decision=MatchDecision.EXCLUDED),
                to_attr="exclusion_list",
            ),
        )
        .get(pk=pk)
    )


def _notes() -> QuerySet:
    from trademission.participants.models import AdvisorNote

    return AdvisorNote.objects.select_related("author").order_by("-date", "-pk")
