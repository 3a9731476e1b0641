import pytest

from tests.factories import MatchFactory, ParticipationFactory, StakeholderFactory, UserFactory
from trademission.meetings.domain.curation import (
    CurationError,
    add_manual_match,
    bulk_decide,
    bulk_set_priority,
    decide_match,
    set_priority,
)
from trademission.meetings.models import Match

pytestmark = pytest.mark.django_db


def _decisions(*matches):
    return [Match.objects.get(pk=m.pk).decision for m in matches]


def test_decide_match_accepts_and_rejects():
    match = MatchFactory()
    user = UserFactory()
    assert decide_match(match, decision="accepted", user=user).decision == "accepted"
    assert _decisions(match) == ["accepted"]
    decide_match(match, decision="rejected", user=user)
    assert _decisions(match) == ["rejected"]
    decide_match(match, decision="pending", user=user)
    assert _decisions(match) == ["pending"]


def test_decide_match_last_write_wins_over_a_stale_copy():
    match = MatchFactory()
    stale = Match.objects.get(pk=match.pk)
    decide_match(match, decision="accepted", user=UserFactory())
    decide_match(stale, decision="rejected", user=UserFactory())
    assert _decisions(match) == ["rejected"]


def test_decide_match_refuses_an_exclusion_and_unknown_decisions():
    excluded = MatchFactory(decision="excluded")
    with pytest.raises(CurationError):
        decide_match(excluded, decision="accepted", user=None)
    assert _decisions(excluded) == ["excluded"]
    other = MatchFactory()
    with pytest.raises(CurationError):
        decide_match(other, decision="excluded", user=None)
    assert _decisions(other) == ["pending"]


def test_set_priority_stores_high_normal_low_only():
    match = MatchFactory()
    set_priority(match, priority=1)
    assert Match.objects.get(pk=match.pk).priority == 1
    with pytest.raises(CurationError):
        set_priority(match, priority=7)
    assert Match.objects.get(pk=match.pk).priority == 1


def test_add_manual_match_creates_an_accepted_manual_match():
    participation = ParticipationFactory()
    stakeholder = StakeholderFactory(mission=participation.mission)
    match = add_manual_match(participation, stakeholder, user=UserFactory())
    stored = Match.objects.get(pk=match.pk)
    assert (stored.source, stored.decision, stored.mission_id) == (
        "manual",
        "accepted",
        participation.mission_id,
    )


def test_add_manual_match_refuses_a_pair_already_matched_or_excluded():
    existing = MatchFactory()
    excluded = MatchFactory(decision="excluded")
    for match in (existing, excluded):
        with pytest.raises(CurationError):
            add_manual_match(match.participation, match.stakeholder, user=None)
    assert Match.objects.count() == 2


def test_add_manual_match_refuses_another_mission_or_an_unselected_sme():
    participation = ParticipationFactory()
    with pytest.raises(CurationError):
        add_manual_match(participation, StakeholderFactory(), user=None)
    applicant = ParticipationFactory(mission=participation.mission, status="applied")
    with pytest.raises(CurationError):
        add_manual_match(applicant, StakeholderFactory(mission=participation.mission), user=None)
    assert Match.objects.count() == 0


def test_bulk_decide_touches_only_the_missions_matches_and_never_exclusions():
    first = MatchFactory()
    mission = first.mission
    second = MatchFactory(participation=first.participation, mission=mission)
    excluded = MatchFactory(participation=first.participation, mission=mission, decision="excluded")
    foreign = MatchFactory()
    ids = [first.pk, second.pk, excluded.pk, foreign.pk]
    assert bulk_decide(mission, ids, decision="rejected") == 2
    assert _decisions(first, second, excluded, foreign) == [
        "rejected",
        "rejected",
        "excluded",
        "pending",
    ]
    with pytest.raises(CurationError):
        bulk_decide(mission, ids, decision="excluded")


def test_bulk_set_priority_touches_only_the_missions_matches():
    mine = MatchFactory()
    foreign = MatchFactory()
    assert bulk_set_priority(mine.mission, [mine.pk, foreign.pk], priority=3) == 1
    assert Match.objects.get(pk=mine.pk).priority == 3
    assert Match.objects.get(pk=foreign.pk).priority == 2
