"""What the recommendations pages read, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language_info

from trademission.core.models import Job
from trademission.meetings.enums import MatchDecision, MatchSource
from trademission.meetings.models import Match
from trademission.missions.models import Mission
from trademission.participants.enums import ParticipationStatus, PartnerType
from trademission.participants.models import Participation, Stakeholder

MATCHING = "matching"


def _counts(prefix: str, *, selected_only: bool = False) -> dict[str, Count]:
    scope = (
        Q(**{f"{prefix}participation__status": ParticipationStatus.SELECTED})
        if selected_only
        else Q()
    )
    not_excluded = ~Q(**{f"{prefix}decision": MatchDecision.EXCLUDED}) & scope
    return {
        "n_suggested": Count(
            "matches", filter=Q(**{f"{prefix}source": MatchSource.SUGGESTED}) & not_excluded
        ),
        "n_accepted": Count(
            "matches", filter=Q(**{f"{prefix}decision": MatchDecision.ACCEPTED}) & scope
        ),
        "n_wishes": Count(
            "matches", filter=Q(**{f"{prefix}source": MatchSource.WISH}) & not_excluded
        ),
        "n_excluded": Count(
            "matches", filter=Q(**{f"{prefix}decision": MatchDecision.EXCLUDED}) & scope
        ),
    }


def sme_rows(mission: Mission) -> QuerySet[Participation]:
    """The selected SMEs of the mission with their counts of suggested, accepted, wished and
    excluded stakeholders (``n_suggested``, ``n_accepted``, ``n_wishes``, ``n_excluded``)."""
    return (
        mission.participations.filter(status=ParticipationStatus.SELECTED)
        .select_related("sme")
        .annotate(**_counts("matches__"))
        .order_by("sme__name", "pk")
    )


def stakeholder_rows(mission: Mission) -> QuerySet[Stakeholder]:
    """The mission's stakeholders with the same counts as :func:`sme_rows`, counting only the
    selected SMEs."""
    return (
        mission.stakeholders.select_related("organisation")
        .annotate(**_counts("matches__", selected_only=True))
        .order_by("organisation__name", "pk")
    )


def ranked_matches(
    mission: Mission,
    *,
    participation: Participation | None = None,
    stakeholder: Stakeholder | None = None,
) -> QuerySet[Match]:
    """The matches of one SME or one stakeholder that may be proposed or were decided, best
    first; exclusions are left out (see :func:`exclusions`), and so are SMEs no longer
    selected."""
    return _matches(mission, participation, stakeholder).exclude(decision=MatchDecision.EXCLUDED)


def exclusions(
    mission: Mission,
    *,
    participation: Participation | None = None,
    stakeholder: Stakeholder | None = None,
) -> QuerySet[Match]:
    """The pairs the advisor excluded for one SME or one stakeholder: never to be proposed."""
    return _matches(mission, participation, stakeholder).filter(decision=MatchDecision.EXCLUDED)


def _matches(
    mission: Mission, participation: Participation | None, stakeholder: Stakeholder | None
) -> QuerySet[Match]:
    matches = Match.objects.filter(
        mission=mission, participation__status=ParticipationStatus.SELECTED
    ).select_related("participation__sme", "stakeholder__organisation")
    if participation is not None:
        matches = matches.filter(participation=participation).order_by(
            "-score", "stakeholder__organisation__name", "pk"
        )
    if stakeholder is not None:
        matches = matches.filter(stakeholder=stakeholder).order_by(
            "-score", "participation__sme__name", "pk"
        )
    return matches


def addable_stakeholders(participation: Participation) -> QuerySet[Stakeholder]:
    """Stakeholders of the SME's mission that have no match of any kind with it yet."""
    return (
        Stakeholder.objects.filter(mission_id=participation.mission_id)
        .exclude(matches__participation=participation)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def addable_participations(stakeholder: Stakeholder) -> QuerySet[Participation]:
    """Selected SMEs of the stakeholder's mission that have no match of any kind with it yet."""
    return (
        Participation.objects.filter(
            mission_id=stakeholder.mission_id, status=ParticipationStatus.SELECTED
        )
        .exclude(matches__stakeholder=stakeholder)
        .select_related("sme")
        .order_by("sme__name", "pk")
    )


def latest_matching_job(mission: Mission) -> Job | None:
    """The newest matching job of the mission, whatever its state."""
    return Job.objects.filter(mission=mission, kind=MATCHING).order_by("-created_at", "-pk").first()


# ---------------------------------------------------------------------------- explanations


@dataclass(frozen=True)
class ConceptReading:
    label: str
    related: bool
    sme_phrases: list[str]
    stakeholder_phrases: list[str]


@dataclass(frozen=True)
class ExplanationReading:
    """A recommender explanation (``Match.explanation``) made safe for a template: every part
    is present with the right type, whatever the stored JSON holds."""

    concepts: list[ConceptReading] = field(default_factory=list)
    shared_terms: list[str] = field(default_factory=list)
    #: "fits", "related", "differs", or "" when the explanation says nothing about it
    partner_fit: str = ""
    sme_seeks: list[str] = field(default_factory=list)
    stakeholder_types: list[str] = field(default_factory=list)
    #: None when the explanation says nothing about languages; [] for "no common language"
    languages: list[str] | None = None
    wish: bool = False
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return not (
            self.concepts
            or self.shared_terms
            or self.partner_fit
            or self.languages is not None
            or self.text
        )


def _strings(value: Any, limit: int = 10) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if not isinstance(value, (list, tuple)):
        return []
    return [str(item) for item in value if isinstance(item, (str, int, float))][:limit]


def _partner_label(value: str) -> str:
    return str(PartnerType(value).label) if value in PartnerType.values else value.replace("_", " ")


def _language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code.upper()


def _fit(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return ""
    if value >= 1.0:
        return "fits"
    return "related" if value > 0.5 else "differs"


def read_explanation(data: Any) -> ExplanationReading:
    """Turn the stored explanation JSON into an :class:`ExplanationReading`, tolerating
    missing keys, wrong types and explanations written by older recommender versions."""
    if isinstance(data, str):
        return ExplanationReading(text=data)
    if not isinstance(data, dict):
        return ExplanationReading()
    concepts = []
    raw_concepts = data.get("concepts")
    for item in raw_concepts if isinstance(raw_concepts, list) else []:
        if not isinstance(item, dict):
            continue
        label = item.get("label") or item.get("concept")
        if not isinstance(label, str) or not label:
            continue
        concepts.append(
            ConceptReading(
                label=label,
                related=item.get("direct") is False,
                sme_phrases=_strings(item.get("sme_phrases"), 3),
                stakeholder_phrases=_strings(item.get("stakeholder_phrases"), 3),
            )
        )
    partner = data.get("partner_type")
    partner = partner if isinstance(partner, dict) else {}
    languages = data.get("languages")
    return ExplanationReading(
        concepts=concepts[:5],
        shared_terms=_strings(data.get("shared_terms"), 5),
        partner_fit=_fit(partner.get("fit")),
        sme_seeks=[_partner_label(v) for v in _strings(partner.get("sme_seeks"))],
        stakeholder_types=[_partner_label(v) for v in _strings(partner.get("stakeholder_types"))],
        languages=None
        if not isinstance(languages, list)
        else [_language_name(code) for code in _strings(languages)],
        wish=data.get("wish") is True,
        text=data.get("text") if isinstance(data.get("text"), str) else "",
    )
