"""The background recompute: started by hand or by profile changes, debounced, recorded on a Job."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.factories import (
    MissionFactory,
    ParticipationFactory,
    SmeFactory,
    StakeholderFactory,
    UserFactory,
)
from trademission.core.models import Job
from trademission.meetings.jobs import STALE_AFTER, schedule_matching, start_matching, summary
from trademission.meetings.models import Match
from trademission.meetings.signals import recompute_after_commit
from trademission.participants.models import Stakeholder

pytestmark = pytest.mark.django_db


def _jobs(mission):
    return list(
        Job.objects.filter(mission=mission, kind="matching").values_list("status", flat=True)
    )


def test_start_matching_queues_one_job_and_enqueues_the_task_on_commit(
    django_capture_on_commit_callbacks,
):
    mission = MissionFactory()
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        job = start_matching(mission, user=user)
    job.refresh_from_db()
    assert (job.kind, job.status, job.started_by) == ("matching", "queued", user)
    task = DBTaskResult.objects.get(pk=job.task_result_id)
    assert task.task_path == "trademission.meetings.jobs.recompute_matches_job"
    assert task.args_kwargs["kwargs"] == {"job_id": job.pk}


def test_start_matching_returns_the_queued_or_running_job():
    mission = MissionFactory()
    job = start_matching(mission)
    assert start_matching(mission) == job
    Job.objects.filter(pk=job.pk).update(status="running")
    assert start_matching(mission) == job
    Job.objects.filter(pk=job.pk).update(status="succeeded")
    assert start_matching(mission) != job
    assert sorted(_jobs(mission)) == ["queued", "succeeded"]


def test_a_job_running_for_too_long_lost_its_worker_and_is_replaced():
    mission = MissionFactory()
    stuck = Job.objects.create(
        mission=mission,
        kind="matching",
        status="running",
        started_at=timezone.now() - STALE_AFTER - dt.timedelta(seconds=1),
    )
    job = start_matching(mission)
    stuck.refresh_from_db()
    assert job != stuck
    assert (stuck.status, stuck.error) == (
        "failed",
        "Interrupted: the worker stopped while recomputing.",
    )
    fresh = Job.objects.create(
        mission=MissionFactory(), kind="matching", status="running", started_at=timezone.now()
    )
    assert start_matching(fresh.mission) == fresh


def test_schedule_matching_waits_for_a_queued_job_but_not_for_a_running_one():
    mission = MissionFactory()
    job = schedule_matching(mission)
    assert schedule_matching(mission) == job
    Job.objects.filter(pk=job.pk).update(status="running")
    newer = schedule_matching(mission)
    assert newer != job
    assert sorted(_jobs(mission)) == ["queued", "running"]


def test_a_saved_stakeholder_schedules_one_recompute_after_commit(
    django_capture_on_commit_callbacks,
):
    mission = MissionFactory()
    with django_capture_on_commit_callbacks(execute=False):
        stakeholder = StakeholderFactory(mission=mission)
        assert _jobs(mission) == []  # nothing before the commit
    with django_capture_on_commit_callbacks(execute=True):
        stakeholder.needs = "Seeks LiDAR for border surveillance."
        stakeholder.save()
        stakeholder.save()
    assert _jobs(mission) == ["queued"]


def test_a_saved_sme_profile_schedules_the_missions_where_it_is_selected(
    django_capture_on_commit_callbacks,
):
    sme = SmeFactory()
    selected = ParticipationFactory(sme=sme).mission
    applied = ParticipationFactory(sme=sme, status="applied").mission
    with django_capture_on_commit_callbacks(execute=True):
        sme.description = "Uncooled microbolometers."
        sme.save()
    assert _jobs(selected) == ["queued"]
    assert _jobs(applied) == []


def test_a_participation_entering_or_leaving_the_selection_schedules_a_recompute(
    django_capture_on_commit_callbacks,
):
    participation = ParticipationFactory(status="applied")
    mission = participation.mission
    with django_capture_on_commit_callbacks(execute=True):
        participation.answers = {"q1": "yes"}
        participation.save()
    assert _jobs(mission) == []
    with django_capture_on_commit_callbacks(execute=True):
        participation.status = "selected"
        participation.save()
    assert _jobs(mission) == ["queued"]
    Job.objects.filter(mission=mission).update(status="succeeded")
    loaded = type(participation).objects.get(pk=participation.pk)
    with django_capture_on_commit_callbacks(execute=True):
        loaded.status = "withdrawn"
        loaded.save()
    assert sorted(_jobs(mission)) == ["queued", "succeeded"]


def test_recompute_after_commit_serves_bulk_writes(django_capture_on_commit_callbacks):
    mission = MissionFactory()
    template = StakeholderFactory.build(mission=mission)
    template.organisation.save()
    template.organisation_id = template.organisation.pk
    with django_capture_on_commit_callbacks(execute=True):
        Stakeholder.objects.bulk_create([template])  # no post_save signal
    assert _jobs(mission) == []
    with django_capture_on_commit_callbacks(execute=True):
        recompute_after_commit(mission.pk, mission.pk)
    assert _jobs(mission) == ["queued"]


def test_a_closed_mission_is_not_recomputed(django_capture_on_commit_callbacks):
    mission = MissionFactory(status="closed")
    with django_capture_on_commit_callbacks(execute=True):
        StakeholderFactory(mission=mission)
    assert _jobs(mission) == []


def test_summary_keeps_plain_values_only():
    assert summary(None) == {}
    assert summary(12) == {"matches": 12}
    assert summary({"matches": 3, "smes": 2, "detail": [1, 2]}) == {"matches": 3, "smes": 2}


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def small_mission():
    """Two SMEs and three stakeholders whose texts clearly match pairwise."""
    mission = MissionFactory()
    thermal = ParticipationFactory(
        mission=mission,
        sme__name="ThermaVue",
        sme__description="Uncooled thermal imaging cameras and infrared sensors for surveillance.",
        sme__partner_types_sought=["prime_contractor"],
        sme__languages=["en", "fr"],
    )
    cyber = ParticipationFactory(
        mission=mission,
        sme__name="Kattegat Cyber",
        sme__description="Cyber threat intelligence and network intrusion detection software.",
        sme__partner_types_sought=["government_agency"],
        sme__languages=["en"],
    )
    border = StakeholderFactory(
        mission=mission,
        type="prime_contractor",
        needs="Looks for infrared cameras and thermal sensors for border surveillance.",
        languages=["fr"],
    )
    soc = StakeholderFactory(
        mission=mission,
        type="government_agency",
        needs="Needs network intrusion detection and cyber threat intelligence.",
        languages=["en"],
    )
    other = StakeholderFactory(mission=mission, type="university", needs="Marine biology.")
    return mission, thermal, cyber, border, soc, other


def test_recompute_job_runs_the_recommender_and_keeps_the_advisors_work(
    small_mission, django_capture_on_commit_callbacks
):
    mission, thermal, cyber, border, soc, other = small_mission
    wish = Match.objects.create(
        mission=mission, participation=cyber, stakeholder=other, source="wish", decision="accepted"
    )
    excluded = Match.objects.create(
        mission=mission, participation=thermal, stakeholder=soc, decision="excluded"
    )
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        job = start_matching(mission, user=None)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    suggested = Match.objects.filter(source="suggested").exclude(decision="excluded")
    assert job.result == {
        "smes": 2,
        "stakeholders": 3,
        "created": suggested.count(),
        "updated": 1,  # the wish
        "deleted": 0,
    }
    best = {
        p.pk: Match.objects.filter(participation=p).exclude(decision="excluded").first()
        for p in (thermal, cyber)
    }
    assert best[thermal.pk].stakeholder == border
    thermal_match = best[thermal.pk]
    assert thermal_match.source == "suggested"
    assert thermal_match.explanation["concepts"], thermal_match.explanation
    wish.refresh_from_db()
    excluded.refresh_from_db()
    assert (wish.source, wish.decision) == ("wish", "accepted")
    assert wish.computed_at is not None
    assert (excluded.decision, excluded.explanation) == ("excluded", {})
