"""The background build of the plan: one run at a time, progress, result, cancel, failure."""

import datetime as dt

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from tests.factories import (
    TORONTO,
    ContactFactory,
    MeetingFactory,
    MissionFactory,
    ParticipationFactory,
    StakeholderFactory,
    StopFactory,
    UserFactory,
)
from trademission.core.domain.jobs import request_cancel, run_job
from trademission.core.models import Job
from trademission.meetings.models import Meeting, MeetingRequest, MissionPlan
from trademission.meetings.plan_jobs import AlreadyRunning, build_plan, start_planning

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def mission(db):
    mission = MissionFactory(lunch_start=dt.time(12), lunch_end=dt.time(13))
    StopFactory(mission=mission, city="Montreal", start=mission.start, end=mission.end)
    smes = [ParticipationFactory(mission=mission, sme__name=n) for n in ("Alpha", "Beta")]
    for i, name in enumerate(["CAE", "Hydro-Québec", "Port of Montreal"]):
        host = StakeholderFactory(
            mission=mission, organisation__name=name, latitude=45.5 + i / 100, longitude=-73.6
        )
        ContactFactory(stakeholder=host)
        req = MeetingRequest.objects.create(mission=mission, stakeholder=host, status="accepted")
        req.participations.set(smes[: 1 + i % 2])
    return mission


def test_start_planning_enqueues_one_run_and_refuses_a_second(
    mission, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        job = start_planning(mission, user=user, replan=True, time_limit=12)
    job.refresh_from_db()
    assert (job.kind, job.status, job.started_by) == ("planning", "queued", user)
    task = DBTaskResult.objects.get(pk=job.task_result_id)
    assert task.task_path == "trademission.meetings.plan_jobs.build_plan_job"
    assert task.args_kwargs["kwargs"] == {"job_id": job.pk, "replan": True, "time_limit": 12.0}
    with pytest.raises(AlreadyRunning) as caught:
        start_planning(mission, user=user)
    assert caught.value.job == job
    assert Job.objects.filter(mission=mission, kind="planning").count() == 1


def test_run_builds_the_plan_and_records_progress_and_result(
    mission, django_capture_on_commit_callbacks
):
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        job = start_planning(mission, time_limit=5)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert set(job.progress) == {
        "phase",
        "best",
        "bound",
        "seconds",
        "meetings",
        "replan",
        "time_limit",
    }
    assert (job.progress["replan"], job.progress["time_limit"]) == (False, 5.0)
    result = job.result
    assert (result["status"], result["placed"], result["requested"]) == ("OPTIMAL", 3, 3)
    assert result["not_placed"] == [] and result["created"] == 3 and result["replan"] is False
    assert [row["name"] for row in result["breaks"] if row["delegate"]] == ["Alpha", "Beta"]
    assert result["travel_minutes"] >= 0 and result["gap"] == 0.0
    assert Meeting.objects.filter(mission=mission).count() == 3
    assert MissionPlan.objects.get(mission=mission).version == 2


def test_replan_keeps_the_plan_and_counts_moves(mission):
    job = Job.objects.create(mission=mission, kind="planning")
    run_job(job.pk, lambda j: build_plan(j, replan=False, time_limit=5))
    before = {m.pk: m.start for m in Meeting.objects.filter(mission=mission)}
    again = Job.objects.create(mission=mission, kind="planning")
    run_job(again.pk, lambda j: build_plan(j, replan=True, time_limit=5))
    again.refresh_from_db()
    assert again.status == "succeeded", again.error
    assert (again.result["moved"], again.result["kept"], again.result["replan"]) == (0, 3, True)
    assert {m.pk: m.start for m in Meeting.objects.filter(mission=mission)} == before


def test_cancelled_run_leaves_the_meetings_untouched(mission):
    existing = MeetingFactory(
        mission=mission,
        host=mission.stakeholders.get(organisation__name="CAE"),
        request=MeetingRequest.objects.get(stakeholder__organisation__name="CAE"),
        start=dt.datetime(2023, 5, 29, 9, tzinfo=TORONTO),
        end=dt.datetime(2023, 5, 29, 9, 45, tzinfo=TORONTO),
    )
    job = Job.objects.create(mission=mission, kind="planning")

    def work(j):
        request_cancel(j)
        return build_plan(j, replan=False, time_limit=5)

    run_job(job.pk, work)
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert list(Meeting.objects.filter(mission=mission)) == [existing]
    assert Meeting.objects.get().start == existing.start
    assert MissionPlan.objects.get(mission=mission).version == 1


def test_failed_run_leaves_the_meetings_untouched(mission):
    host = mission.stakeholders.get(organisation__name="CAE")
    existing = MeetingFactory(mission=mission, host=host, pinned=True)
    # a must-have meeting with a stakeholder who is never available: no plan at all
    host.available_days = ["2023-07-01"]
    host.save()
    MeetingRequest.objects.filter(stakeholder=host).update(must_have=True)
    job = Job.objects.create(mission=mission, kind="planning")
    run_job(job.pk, lambda j: build_plan(j, replan=False, time_limit=5))
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == (
        "PlanNotFound: No plan was found: CAE — Alpha: no common free time of CAE and Alpha"
        " on the days the delegation is in montreal"
    )
    assert list(Meeting.objects.filter(mission=mission)) == [existing]
