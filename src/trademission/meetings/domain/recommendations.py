"""The recommender's Django adapter: profiles from rows, matches back into rows.

``recompute_matches`` builds the pure ``trademission.matching`` profiles from a mission's
selected SMEs and its stakeholders, runs the recommender, and upserts ``Match`` rows with the
score, the explanation (JSON, as read by ``domain/queries/recommendations.read_explanation``)
and the source. The advisor's work is kept: decisions, priorities, wishes, manual matches and
exclusions are never changed, and exclusions are never proposed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from trademission.matching.profiles import Pair, ProfileSet, SmeProfile, StakeholderProfile
from trademission.matching.rank import Options, Recommender
from trademission.matching.scoring import WISH_BONUS
from trademission.meetings.enums import MatchDecision, MatchSource
from trademission.meetings.models import Match
from trademission.missions.models import Mission
from trademission.participants.enums import ParticipationStatus, PartnerType
from trademission.participants.models import Participation, Stakeholder

DEFAULT_TOP_K = 20

# Partner-type concepts of the vocabulary → the partner types of the data model, so that the
# pages show the explanation's partner types with their translated labels.
_PARTNER_TYPES = {
    "prime_contractor": PartnerType.PRIME_CONTRACTOR,
    "integrator": PartnerType.INTEGRATOR,
    "supplier": PartnerType.INTEGRATOR,
    "government": PartnerType.GOVERNMENT_AGENCY,
    "procurement": PartnerType.GOVERNMENT_AGENCY,
    "research": PartnerType.RESEARCH_ORGANISATION,
    "test_centre": PartnerType.RESEARCH_ORGANISATION,
    "university": PartnerType.UNIVERSITY,
    "association": PartnerType.ASSOCIATION,
    "investor": PartnerType.INVESTOR,
    "end_user": PartnerType.END_USER,
    "distributor": PartnerType.DISTRIBUTOR,
}


@dataclass(frozen=True)
class RecomputeResult:
    """What a recompute changed (the background job stores it as its result)."""

    smes: int
    stakeholders: int
    created: int
    updated: int
    deleted: int


def _sme_profile(participation: Participation) -> SmeProfile:
    sme = participation.sme
    description = "\n".join(part for part in (sme.description, sme.expectations) if part)
    return SmeProfile(
        id=str(participation.pk),
        name=sme.name,
        description=description or sme.name,
        country=sme.country,
        city=sme.city,
        keywords=tuple(_strings(sme.technologies)) + tuple(_strings(sme.keywords)),
        trl=sme.trl,
        sectors=tuple(_strings(sme.sectors)),
        partner_types_sought=tuple(_strings(sme.partner_types_sought)),
        languages=tuple(_strings(sme.languages)) or (sme.profile_language,),
    )


def _stakeholder_profile(stakeholder: Stakeholder) -> StakeholderProfile:
    description = "\n".join(part for part in (stakeholder.description, stakeholder.needs) if part)
    return StakeholderProfile(
        id=str(stakeholder.pk),
        name=stakeholder.name,
        description=description or stakeholder.name,
        type=stakeholder.type,
        city=stakeholder.city,
        keywords=tuple(_strings(stakeholder.keywords)),
        programmes=tuple(_strings(stakeholder.programmes)),
        languages=tuple(_strings(stakeholder.languages)) or (stakeholder.profile_language,),
    )


def _strings(value: Any) -> list[str]:
    """A JSON list field as strings (tolerating a bare string or stray values)."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    if not isinstance(value, list):
        return []
    return [str(item) for item in value if isinstance(item, str | int | float) and str(item)]


def build_profiles(mission: Mission, existing: list[Match]) -> ProfileSet:
    """The recommender's input for ``mission``: selected SMEs, stakeholders, wishes, exclusions."""
    participations = (
        mission.participations.filter(status=ParticipationStatus.SELECTED)
        .select_related("sme")
        .order_by("pk")
    )
    stakeholders = mission.stakeholders.select_related("organisation").order_by("pk")
    wishes = [
        Pair(str(m.participation_id), str(m.stakeholder_id))
        for m in existing
        if m.source == MatchSource.WISH and m.decision != MatchDecision.EXCLUDED
    ]
    exclusions = [
        Pair(str(m.participation_id), str(m.stakeholder_id))
        for m in existing
        if m.decision == MatchDecision.EXCLUDED
    ]
    return ProfileSet(
        tuple(_sme_profile(p) for p in participations),
        tuple(_stakeholder_profile(s) for s in stakeholders),
        tuple(wishes),
        tuple(exclusions),
    )


def _explanations(
    recommender: Recommender, pairs: list[tuple[str, str]]
) -> dict[tuple[str, str], tuple[float, dict[str, Any]]]:
    """Score (without the wish bonus) and stored explanation JSON of each pair."""
    by_sme: dict[str, list[str]] = {}
    for sme, stakeholder in pairs:
        by_sme.setdefault(sme, []).append(stakeholder)
    out = {}
    for sme, stakeholders in by_sme.items():
        i = recommender.smes.position[sme]
        seeks = _model_types(recommender.smes.partner_sets[i])
        for explanation in recommender.explain_many(sme, stakeholders):
            data = explanation.to_dict()
            j = recommender.stakeholders.position[explanation.stakeholder]
            data["partner_type"]["sme_seeks"] = seeks
            data["partner_type"]["stakeholder_types"] = _model_types(
                recommender.stakeholders.partner_sets[j]
            )
            score = explanation.score - (WISH_BONUS if explanation.wish else 0.0)
            out[(sme, explanation.stakeholder)] = (round(max(score, 0.0), 6), data)
    return out


def _model_types(concepts: frozenset[str]) -> list[str]:
    return sorted({str(_PARTNER_TYPES.get(c, c)) for c in concepts})


def stakeholder_share(top_k: int, n_smes: int, n_stakeholders: int) -> int:
    """How many best SMEs each stakeholder contributes to the suggestions.

    On average a stakeholder appears in ``top_k * n_smes / n_stakeholders`` SME lists; giving
    each that fair share (at least 3, at most ``top_k``) makes sure every stakeholder reaches
    the SMEs that fit it best, without turning a 12-SME mission into all pairs.
    """
    fair = -(-top_k * n_smes // max(n_stakeholders, 1))
    return max(1, min(top_k, max(3, fair)))


def _recommended_pairs(recommender: Recommender, top_k: int) -> set[tuple[str, str]]:
    rankings = recommender.rank(top_k)
    pairs = {
        (r.sme, r.stakeholder) for items in rankings.sme_to_stakeholders.values() for r in items
    }
    share = stakeholder_share(
        top_k, len(rankings.sme_to_stakeholders), len(rankings.stakeholder_to_smes)
    )
    pairs |= {
        (r.sme, r.stakeholder)
        for items in rankings.stakeholder_to_smes.values()
        for r in items[:share]
    }
    return pairs


@transaction.atomic
def recompute_matches(
    mission: Mission, *, top_k: int = DEFAULT_TOP_K, semantic: bool = False
) -> RecomputeResult:
    """(Re)compute the recommendations of ``mission`` and store them as matches.

    Ranks, for every selected SME, its ``top_k`` best stakeholders and, for every stakeholder,
    its fair share of best SMEs (:func:`stakeholder_share`; wishes first, exclusions never),
    with ``semantic`` similarity if asked (needs the ``semantic`` extra).

    Side effects, in one transaction:
    - creates a Match (source "suggested", decision "to review") for each newly recommended pair;
    - updates score, explanation and computed_at of every other match of the mission that is
      recommended, wished or decided — keeping its source, decision and priority;
    - deletes suggested matches still "to review" that are no longer recommended (or whose SME
      is no longer selected);
    - never touches exclusions, and never creates a match for an excluded pair.
    """
    existing = list(Match.objects.select_for_update().filter(mission=mission).order_by("pk"))
    profiles = build_profiles(mission, existing)
    recommender = Recommender(profiles, options=Options(semantic=semantic))
    recommended = _recommended_pairs(recommender, top_k) if profiles.smes else set()
    now = timezone.now()
    by_pair = {(str(m.participation_id), str(m.stakeholder_id)): m for m in existing}
    to_update, to_delete = _sort_existing(recommender, by_pair, recommended)
    new_pairs = sorted(recommended - set(by_pair))
    explained = _explanations(recommender, [*to_update, *new_pairs])
    for pair in to_update:
        match = by_pair[pair]
        match.score, match.explanation = explained[pair]
        match.computed_at = now
    to_create = [
        Match(
            mission=mission,
            participation_id=int(sme),
            stakeholder_id=int(stakeholder),
            score=explained[(sme, stakeholder)][0],
            explanation=explained[(sme, stakeholder)][1],
            source=MatchSource.SUGGESTED,
            decision=MatchDecision.PENDING,
            computed_at=now,
        )
        for sme, stakeholder in new_pairs
    ]
    Match.objects.filter(pk__in=to_delete).delete()
    Match.objects.bulk_update(
        [by_pair[pair] for pair in to_update],
        ["score", "explanation", "computed_at"],
        batch_size=500,
    )
    Match.objects.bulk_create(to_create, batch_size=500)
    return RecomputeResult(
        smes=len(profiles.smes),
        stakeholders=len(profiles.stakeholders),
        created=len(to_create),
        updated=len(to_update),
        deleted=len(to_delete),
    )


def _sort_existing(
    recommender: Recommender,
    by_pair: dict[tuple[str, str], Match],
    recommended: set[tuple[str, str]],
) -> tuple[list[tuple[str, str]], list[int]]:
    """Pairs of existing matches to refresh (score, explanation), and stale ones to delete.

    Exclusions are left alone. A match is kept when it is recommended, or is not a plain
    suggestion (a wish, a manual match), or the advisor decided it; a kept match whose SME is
    no longer selected keeps its old score.
    """
    to_update, to_delete = [], []
    smes, stakeholders = recommender.smes.position, recommender.stakeholders.position
    for pair, match in by_pair.items():
        if match.decision == MatchDecision.EXCLUDED:
            continue
        plain = match.source == MatchSource.SUGGESTED and match.decision == MatchDecision.PENDING
        if (
            pair[0] not in smes
            or pair[1] not in stakeholders
            or (plain and pair not in recommended)
        ):
            if plain:
                to_delete.append(match.pk)
            continue
        to_update.append(pair)
    return to_update, to_delete
