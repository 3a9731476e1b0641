import pytest

from tests.factories import MissionFactory
from trademission.core.domain.jobs import JobCancelled, report_progress, request_cancel, run_job
from trademission.core.models import Job

pytestmark = pytest.mark.django_db


def test_run_job_records_success_and_result():
    job = Job.objects.create(mission=MissionFactory(), kind="test")
    run_job(job.pk, lambda j: {"answer": 42})
    job.refresh_from_db()
    assert (job.status, job.result, job.error) == ("succeeded", {"answer": 42}, "")
    assert job.started_at is not None and job.finished_at is not None


def test_run_job_keeps_the_error_of_a_failure():
    job = Job.objects.create(mission=MissionFactory(), kind="test")

    def boom(_job):
        raise ValueError("no stakeholders")

    run_job(job.pk, boom)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == "ValueError: no stakeholders"


def test_progress_report_stops_a_cancelled_job():
    job = Job.objects.create(mission=MissionFactory(), kind="test")
    seen = []

    def work(j):
        report_progress(j, step=1)
        seen.append(1)
        request_cancel(j)
        report_progress(j, step=2)
        seen.append(2)

    run_job(job.pk, work)
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert job.progress == {"step": 2}
    assert seen == [1]


def test_a_job_cancelled_before_it_starts_never_runs():
    job = Job.objects.create(mission=MissionFactory(), kind="test", cancel_requested=True)
    run_job(job.pk, lambda j: pytest.fail("must not run"))
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert job.started_at is None


def test_job_cancelled_is_an_exception():
    assert issubclass(JobCancelled, Exception)
