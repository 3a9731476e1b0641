"""Starting, running and cancelling background jobs of a mission.

A page calls :func:`start_job` with a django-tasks task that takes ``job_id``; the task body
calls :func:`run_job`, which records the status around the real work, so every task handles
progress, failure and cancellation the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from trademission.core.models import Job
from trademission.core.models.job import JobStatus

logger = logging.getLogger(__name__)


class JobCancelled(Exception):
    """Raised inside a job's work when somebody asked to cancel it."""


def start_job(mission: Any, kind: str, task: Any, *, user: Any = None, **kwargs: Any) -> Job:
    """Create a queued job and enqueue ``task(job_id=..., **kwargs)`` once the row is committed.

    Side effects: writes a Job row; enqueues the task after the transaction commits.
    """
    job = Job.objects.create(
        mission=mission, kind=kind, started_by=user if getattr(user, "pk", None) else None
    )

    def enqueue() -> None:
        result = task.enqueue(job_id=job.pk, **kwargs)
        Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))

    transaction.on_commit(enqueue)
    return job


def run_job(job_id: int, work: Callable[[Job], dict[str, Any] | None]) -> None:
    """Run ``work(job)``, recording running → succeeded / failed / cancelled on the job.

    Side effects: updates the Job row; ``work`` does the rest. A failure is logged and kept on
    the job (``error``) rather than raised, so the worker goes on with other jobs.
    """
    job = Job.objects.get(pk=job_id)
    if job.cancel_requested:
        _finish(job, JobStatus.CANCELLED)
        return
    Job.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, started_at=timezone.now())
    job.refresh_from_db()
    try:
        result = work(job) or {}
    except JobCancelled:
        _finish(job, JobStatus.CANCELLED)
    except Exception as exc:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _finish(job, JobStatus.FAILED, error=f"{type(exc).__name__}: {exc}")
    else:
        _finish(job, JobStatus.SUCCEEDED, result=result)


def report_progress(job: Job, **progress: Any) -> None:
    """Record progress for the page to show; raises JobCancelled if cancellation was asked."""
    Job.objects.filter(pk=job.pk).update(progress=progress)
    if cancel_requested(job.pk):
        raise JobCancelled


def cancel_requested(job_id: int) -> bool:
    return Job.objects.filter(pk=job_id, cancel_requested=True).exists()


def request_cancel(job: Job) -> None:
    """Ask a queued or running job to stop. Side effects: updates the Job row."""
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)


def _finish(
    job: Job, status: str, *, result: dict[str, Any] | None = None, error: str = ""
) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status, finished_at=timezone.now(), result=result or {}, error=error
    )
