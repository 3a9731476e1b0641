"""The background recompute of a mission's recommendations, and starting it.

``start_matching`` is what the "Recompute now" button calls; ``schedule_matching`` is what a
profile change calls (see ``meetings/signals.py``). Both create a ``core.Job`` of kind
``matching`` whose task body runs the recommender's Django adapter
(``meetings.domain.recommendations.recompute_matches``) inside ``run_job``, so the pages can
show it queued, running, finished or failed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from trademission.core.domain.jobs import run_job, start_job
from trademission.core.models import Job
from trademission.core.models.job import JobStatus
from trademission.missions.models import Mission

KIND = "matching"
#: A recompute takes seconds; one "running" for longer lost its worker (crash, restart).
STALE_AFTER = dt.timedelta(minutes=15)


@task()
def recompute_matches_job(job_id: int) -> None:
    """Recompute the recommendations of the job's mission; the outcome is kept on the job."""
    run_job(job_id, _recompute)


def _recompute(job: Job) -> dict[str, Any]:
    # Imported here: the adapter needs the recommender (numpy, scipy) only in the worker.
    from trademission.meetings.domain.recommendations import recompute_matches

    return summary(recompute_matches(job.mission))


def summary(result: Any) -> dict[str, Any]:
    """What the adapter returned, as a small JSON-ready dict for the job's result."""
    if result is None:
        return {}
    if isinstance(result, int):
        return {"matches": result}
    if isinstance(result, dict):
        items = result.items()
    elif hasattr(result, "__dataclass_fields__"):
        items = ((name, getattr(result, name)) for name in result.__dataclass_fields__)
    else:
        return {"result": str(result)}
    return {
        str(key): value
        for key, value in items
        if isinstance(value, (int, float, str, bool)) or value is None
    }


def is_stale(job: Job, *, now: dt.datetime | None = None) -> bool:
    """A job that has been running for longer than :data:`STALE_AFTER` lost its worker."""
    started = job.started_at
    return (
        job.status == JobStatus.RUNNING
        and started is not None
        and started < (now or timezone.now()) - STALE_AFTER
    )


def current_matching_job(mission: Mission) -> Job | None:
    """The queued or running matching job of the mission, the newest if several.

    A stale running job (see :func:`is_stale`) is recorded as failed and not returned.
    Side effects: may update that Job row.
    """
    for job in Job.objects.unfinished().filter(mission=mission, kind=KIND).order_by("-created_at"):
        if not is_stale(job):
            return job
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            error=gettext("Interrupted: the worker stopped while recomputing."),
        )
    return None


@transaction.atomic
def start_matching(mission: Mission, *, user: Any = None) -> Job:
    """Start recomputing the mission's recommendations unless that is already queued or running.

    Side effects: writes a queued Job (kind ``matching``) and enqueues
    ``recompute_matches_job`` after commit — or nothing, returning the unfinished job.
    """
    Mission.objects.select_for_update().filter(pk=mission.pk).first()  # one starter at a time
    return current_matching_job(mission) or start_job(
        mission, KIND, recompute_matches_job, user=user
    )


@transaction.atomic
def schedule_matching(mission: Mission, *, user: Any = None) -> Job:
    """Recompute after a profile change, debounced: a queued job already covers the change.

    A running job may have read the profiles before the change, so a new one is queued then.
    Side effects: writes a queued Job and enqueues the task after commit — or nothing.
    """
    Mission.objects.select_for_update().filter(pk=mission.pk).first()
    current_matching_job(mission)  # records a stale running job as failed
    queued = (
        Job.objects.filter(mission=mission, kind=KIND, status=JobStatus.QUEUED)
        .order_by("-created_at")
        .first()
    )
    return queued or start_job(mission, KIND, recompute_matches_job, user=user)
