"""The recommender's Django adapter: matches computed from the mission's profiles."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from tests.factories import (
    MatchFactory,
    MissionFactory,
    ParticipationFactory,
    SmeFactory,
    StakeholderFactory,
)
from trademission.meetings.domain.recommendations import build_profiles, recompute_matches
from trademission.meetings.enums import MatchDecision, MatchSource
from trademission.meetings.models import Match
from trademission.meetings.tasks import recompute_matches_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def mission():
    """Two selected SMEs, one applicant, and four stakeholders of one mission."""
    mission = MissionFactory()
    thermal = SmeFactory(
        name="Calor",
        description="Uncooled thermal cameras for night surveillance.",
        partner_types_sought=["prime_contractor"],
        languages=["en", "fr"],
    )
    cyber = SmeFactory(
        name="Chiffre",
        profile_language="fr",
        description="Nous développons des solutions de chiffrement pour les ministères.",
        partner_types_sought=["government_agency"],
    )
    applicant = SmeFactory(name="Later", description="Thermal cameras too.")
    mission.thermal = ParticipationFactory(mission=mission, sme=thermal)
    mission.cyber = ParticipationFactory(mission=mission, sme=cyber)
    mission.applicant = ParticipationFactory(mission=mission, sme=applicant, status="applied")
    mission.prime = StakeholderFactory(
        mission=mission,
        type="prime_contractor",
        needs="Needs infrared cameras to see at night on armoured vehicles.",
    )
    mission.ministry = StakeholderFactory(
        mission=mission,
        type="government_agency",
        profile_language="fr",
        needs="Le ministère veut protéger ses communications par du chiffrement.",
    )
    mission.bakery = StakeholderFactory(
        mission=mission, type="end_user", needs="An industrial bakery buying ovens."
    )
    mission.fire = StakeholderFactory(
        mission=mission,
        type="end_user",
        profile_language="fr",
        needs="Le service d'incendie cherche des caméras thermiques.",
    )
    return mission


def _pairs(mission):
    return {
        (m.participation_id, m.stakeholder_id): m for m in Match.objects.filter(mission=mission)
    }


def test_recompute_creates_scored_explained_suggestions(mission):
    result = recompute_matches(mission)
    pairs = _pairs(mission)
    top = pairs[(mission.thermal.pk, mission.prime.pk)]
    assert top.source == MatchSource.SUGGESTED
    assert top.decision == MatchDecision.PENDING
    assert top.computed_at is not None
    assert top.score > pairs[(mission.thermal.pk, mission.fire.pk)].score
    concepts = {c["concept"]: c for c in top.explanation["concepts"]}
    assert {"thermal_imaging", "night_vision"} <= set(concepts)
    assert concepts["thermal_imaging"]["sme_phrases"] == ["thermal cameras"]
    assert concepts["thermal_imaging"]["stakeholder_phrases"] == ["infrared cameras"]
    assert top.explanation["partner_type"] == {
        "fit": 1.0,
        "sme_seeks": ["prime_contractor"],
        "stakeholder_types": ["prime_contractor"],
    }
    assert (mission.cyber.pk, mission.ministry.pk) in pairs
    assert all(stakeholder != mission.bakery.pk for _, stakeholder in pairs)
    assert all(p != mission.applicant.pk for p, _ in pairs)
    assert (result.smes, result.stakeholders, result.created) == (2, 4, len(pairs))


def test_recompute_keeps_advisor_decisions_and_refreshes_scores(mission):
    accepted = MatchFactory(
        participation=mission.thermal,
        stakeholder=mission.prime,
        score=0.01,
        decision=MatchDecision.ACCEPTED,
        priority=1,
    )
    recompute_matches(mission)
    accepted.refresh_from_db()
    assert accepted.decision == MatchDecision.ACCEPTED
    assert accepted.priority == 1
    assert accepted.source == MatchSource.SUGGESTED
    assert accepted.score > 0.3
    assert "thermal_imaging" in {c["concept"] for c in accepted.explanation["concepts"]}


def test_recompute_keeps_a_wish_first_with_its_source(mission):
    wish = MatchFactory(
        participation=mission.thermal,
        stakeholder=mission.bakery,
        score=0.0,
        source=MatchSource.WISH,
    )
    recompute_matches(mission, top_k=1)
    wish.refresh_from_db()
    assert wish.source == MatchSource.WISH
    assert wish.explanation["wish"] is True
    assert wish.score < 1.0  # the stored score is the fit, without the bonus that ranks it first
    # With one place per SME, the wish took it: the prime is only there as the prime's top SME.
    pairs = _pairs(mission)
    assert (mission.thermal.pk, mission.bakery.pk) in pairs


def test_recompute_never_proposes_an_excluded_pair(mission):
    excluded = MatchFactory(
        participation=mission.thermal,
        stakeholder=mission.prime,
        score=0.123,
        source=MatchSource.MANUAL,
        decision=MatchDecision.EXCLUDED,
    )
    recompute_matches(mission)
    excluded.refresh_from_db()
    assert (excluded.decision, excluded.score, excluded.explanation) == (
        MatchDecision.EXCLUDED,
        0.123,
        {},
    )
    assert (
        Match.objects.filter(participation=mission.thermal, stakeholder=mission.prime).count() == 1
    )
    assert (mission.thermal.pk, mission.fire.pk) in _pairs(mission)


def test_recompute_drops_stale_suggestions_but_not_decided_ones(mission):
    recompute_matches(mission)
    assert (mission.thermal.pk, mission.fire.pk) in _pairs(mission)
    Match.objects.filter(participation=mission.cyber, stakeholder=mission.ministry).update(
        decision=MatchDecision.REJECTED
    )
    mission.fire.needs = "Bakery ovens and flour."
    mission.fire.save()
    mission.ministry.needs = "Flour supply."
    mission.ministry.save()
    result = recompute_matches(mission)
    pairs = _pairs(mission)
    assert (mission.thermal.pk, mission.fire.pk) not in pairs
    assert pairs[(mission.cyber.pk, mission.ministry.pk)].decision == MatchDecision.REJECTED
    assert result.deleted >= 1


def test_recompute_is_idempotent(mission):
    recompute_matches(mission)
    before = {k: (m.pk, m.score, m.explanation) for k, m in _pairs(mission).items()}
    result = recompute_matches(mission)
    after = {k: (m.pk, m.score, m.explanation) for k, m in _pairs(mission).items()}
    assert after == before
    assert (result.created, result.deleted) == (0, 0)


def test_build_profiles_reads_the_rows(mission):
    MatchFactory(
        participation=mission.cyber, stakeholder=mission.bakery, decision=MatchDecision.EXCLUDED
    )
    profiles = build_profiles(mission, list(Match.objects.filter(mission=mission)))
    smes = {s.id: s for s in profiles.smes}
    assert set(smes) == {str(mission.thermal.pk), str(mission.cyber.pk)}
    assert smes[str(mission.cyber.pk)].languages == ("fr",)
    assert smes[str(mission.thermal.pk)].partner_types_sought == ("prime_contractor",)
    stakeholders = {s.id: s for s in profiles.stakeholders}
    assert stakeholders[str(mission.prime.pk)].type == "prime_contractor"
    assert "infrared cameras" in stakeholders[str(mission.prime.pk)].description
    assert [(p.sme, p.stakeholder) for p in profiles.exclusions] == [
        (str(mission.cyber.pk), str(mission.bakery.pk))
    ]


def test_recompute_task_runs_the_domain_function(mission):
    assert recompute_matches_task.call(mission.pk)["created"] == len(_pairs(mission))
    assert recompute_matches_task.call(10**9) == {"skipped": "mission not found"}


def test_recompute_task_is_enqueued_with_the_mission_id(mission):
    result = recompute_matches_task.enqueue(mission.pk)
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.task_path == "trademission.meetings.tasks.recompute_matches_task"
    assert stored.args_kwargs["args"] == [mission.pk]


def test_matching_job_runs_the_adapter_and_keeps_its_counts(mission):
    from trademission.meetings.jobs import recompute_matches_job, start_matching

    job = start_matching(mission)
    recompute_matches_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.result == {
        "smes": 2,
        "stakeholders": 4,
        "created": len(_pairs(mission)),
        "updated": 0,
        "deleted": 0,
    }


def test_stakeholder_share_is_the_fair_share_within_bounds():
    from trademission.meetings.domain.recommendations import stakeholder_share

    assert stakeholder_share(20, 12, 80) == 3  # a mission: 240 SME slots over 80 stakeholders
    assert stakeholder_share(20, 2000, 20000) == 3  # the floor
    assert stakeholder_share(20, 500, 1000) == 10
    assert stakeholder_share(20, 1000, 100) == 20  # never more than top_k


def test_demo_suggestions_are_a_short_list_per_sme():
    from trademission.meetings.domain.recommendations import recompute_matches
    from trademission.meetings.models import Match
    from trademission.missions.demo.loader import load_demo
    from trademission.missions.models import Mission

    load_demo()
    canada = Mission.objects.get(slug="canada-2023")
    recompute_matches(canada, top_k=10)
    per_sme = [
        Match.objects.filter(participation=p).count() for p in canada.participations.selected()
    ]
    assert min(per_sme) >= 10
    # Each SME's own ten plus each stakeholder's three best SMEs: far from all 960 pairs.
    assert sum(per_sme) <= 12 * 10 + 80 * 3 + 60  # wishes may add a few more
