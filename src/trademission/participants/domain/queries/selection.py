"""Reads for the selection pages, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from trademission.missions.models import Mission
from trademission.participants.domain.selection import weighted_total
from trademission.participants.models import Participation, SelectionCriterion

SORTS = ("score", "name", "status", "applied")


@dataclass
class Application:
    participation: Participation
    total: Decimal
    scored: int  # criteria with a score

    @property
    def sme(self) -> Any:
        return self.participation.sme


def criteria_of(mission: Mission) -> list[SelectionCriterion]:
    return list(mission.criteria.all())


def history_prefetch() -> Prefetch:
    """The SME's participations on all missions, oldest first, as ``sme.history``."""
    return Prefetch(
        "sme__participations",
        queryset=Participation.objects.select_related("mission").order_by("mission__start"),
        to_attr="history",
    )


def applications(
    mission: Mission,
    *,
    criteria: list[SelectionCriterion],
    sort: str = "score",
    status: str = "",
) -> list[Application]:
    """The mission's applications with their weighted totals, sorted (best score first)."""
    weights = {c.key: c.weight for c in criteria}
    qs: QuerySet[Participation] = mission.participations.select_related(
        "sme__cluster"
    ).prefetch_related(history_prefetch())
    if status:
        qs = qs.filter(status=status)
    rows = [
        Application(
            participation=p,
            total=weighted_total(p.scores, weights),
            scored=sum(1 for key in weights if p.scores.get(key) is not None),
        )
        for p in qs
    ]
    if sort == "name":
        rows.sort(key=lambda r: r.sme.name.lower())
    elif sort == "status":
        rows.sort(key=lambda r: (r.participation.status, r.sme.name.lower()))
    elif sort == "applied":
        rows.sort(key=lambda r: r.participation.applied_at, reverse=True)
    else:
        rows.sort(key=lambda r: (-r.total, r.sme.name.lower()))
    return rows


def application(mission: Mission, pk: int) -> Participation:
    """One application of the mission with the SME, its contacts and its history."""
    return (
        mission.participations.select_related("sme__cluster", "contact", "decided_by")
        .prefetch_related(history_prefetch(), "sme__contacts")
        .get(pk=pk)
    )
