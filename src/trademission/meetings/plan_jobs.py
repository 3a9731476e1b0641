"""Building a mission's meeting plan in the background, and starting it.

``start_planning`` is what the "Build the plan" and "Re-plan around changes" buttons call: it
creates a ``core.Job`` of kind ``planning`` whose task body builds the planner problem from
the rows (``meetings.domain.planning``), runs the optimiser and writes the result back.

The optimiser runs in a thread of the task; the task's own thread records its progress (best
so far, bound, phase, seconds) on the job at most once a second and checks for cancellation,
so every database access stays on one connection. A cancelled or failed run, or one whose
plan was changed by somebody meanwhile, writes no meeting.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from trademission.core.domain.jobs import JobCancelled, cancel_requested, run_job, start_job
from trademission.core.models import Job
from trademission.core.models.job import JobStatus
from trademission.missions.models import Mission

KIND = "planning"
DEFAULT_TIME_LIMIT = 30
MAX_TIME_LIMIT = 600
#: A run lasts at most MAX_TIME_LIMIT; one "running" for much longer lost its worker.
STALE_AFTER = dt.timedelta(seconds=MAX_TIME_LIMIT * 2)
PROGRESS_EVERY = 1.0  # seconds between two progress writes


class PlanNotFound(Exception):
    """The optimiser found no plan (infeasible or out of time); nothing was written."""


class PlanNotApplied(Exception):
    """Somebody changed the plan while the optimiser ran; nothing was written."""


@task()
def build_plan_job(
    job_id: int, replan: bool = False, time_limit: float = DEFAULT_TIME_LIMIT
) -> None:
    """Build (or re-plan) the job's mission plan; the outcome is kept on the job."""
    run_job(job_id, lambda job: build_plan(job, replan=replan, time_limit=time_limit))


def build_plan(job: Job, *, replan: bool, time_limit: float) -> dict[str, Any]:
    """The task's work: problem from rows, optimiser with progress and cancellation, result
    written back with :func:`planning.apply_result` when the plan is still unchanged."""
    from trademission.meetings.domain.planner_words import translated
    from trademission.meetings.domain.planning import (
        PlanChanged,
        apply_result,
        build_problem,
        current_plan,
        in_words,
    )
    from trademission.meetings.enums import PlanStatus
    from trademission.planner import Status, solve

    mission = job.mission
    problem, mapping = build_problem(mission)
    from trademission.meetings.models import MissionPlan

    published = (
        MissionPlan.objects.filter(mission=mission).exclude(status=PlanStatus.DRAFT).exists()
    )
    previous = current_plan(mission, mapping) if (replan or published) else None

    state: dict[str, Any] = {"progress": None, "result": None, "error": None}
    cancelled = threading.Event()

    def progress(p: Any) -> None:
        state["progress"] = p

    def work() -> None:
        try:
            state["result"] = solve(
                problem,
                time_limit=time_limit,
                workers=2,
                previous_plan=previous,
                progress=progress,
                stop=cancelled.is_set,
            )
        except Exception as exc:  # handed to the task's thread, which records it
            state["error"] = exc

    thread = threading.Thread(target=work, daemon=True, name=f"planner-job-{job.pk}")
    t0 = time.monotonic()
    thread.start()
    last: Any = object()
    while thread.is_alive():
        thread.join(PROGRESS_EVERY)
        if cancel_requested(job.pk):
            cancelled.set()
        current = state["progress"]
        if current is not last or thread.is_alive():
            _record(job, current, time.monotonic() - t0, problem, replan)
            last = current
    if state["progress"] is not last:  # a run done before the first look still records its end
        _record(job, state["progress"], time.monotonic() - t0, problem, replan)
    if state["error"] is not None:
        raise state["error"]
    if cancelled.is_set() or cancel_requested(job.pk):
        raise JobCancelled
    result = state["result"]
    if result.status not in (Status.OPTIMAL, Status.FEASIBLE):
        reasons = "; ".join(
            in_words(translated(t), mapping) for t in result.explanation
        ) or gettext("no plan found within the time limit")
        raise PlanNotFound(gettext("No plan was found: %(why)s") % {"why": reasons})
    try:
        applied = apply_result(
            mission, result, mapping, expected_version=mapping.plan_version, user=job.started_by
        )
    except PlanChanged as exc:
        raise PlanNotApplied(
            gettext(
                "The plan was changed while the optimiser ran (%(why)s); nothing was applied. "
                "Build it again."
            )
            % {"why": str(exc).rstrip(".")}
        ) from exc
    return summarise(problem, mapping, result, applied, replan=replan)


def _record(job: Job, p: Any, seconds: float, problem: Any, replan: bool) -> None:
    Job.objects.filter(pk=job.pk).update(
        progress={
            "phase": getattr(p, "phase", "start"),
            "best": getattr(p, "objective", None),
            "bound": getattr(p, "bound", None),
            "seconds": round(seconds, 1),
            "meetings": len(problem.meetings),
            "replan": replan,
            "time_limit": job.progress.get("time_limit"),
        }
    )


def summarise(problem: Any, mapping: Any, result: Any, applied: Any, *, replan: bool) -> dict:
    """The job's result: what the pages show after a run (JSON-ready)."""
    from trademission.meetings.domain.planner_words import in_every_language
    from trademission.meetings.domain.planning import in_words, meeting_label
    from trademission.planner import count_breaks

    meetings = {m.id: m for m in problem.meetings}
    breaks = count_breaks(problem, meetings, list(result.placements))
    delegates = {p.id for p in problem.participants if p.role == "delegate"}

    def label(mid: str) -> str:
        return meeting_label(mapping, mid)

    def reason(text: str) -> dict[str, str]:
        return in_every_language(text, lambda words: in_words(words, mapping))

    return {
        "status": result.status.value,
        "replan": replan,
        "placed": len(result.placements),
        "requested": len(problem.meetings),
        "not_placed": [
            {"meeting": label(u.meeting), "reason": reason(u.reason)} for u in result.unplaced
        ],
        "breaks": sorted(
            (
                {"name": mapping.name(pid), "breaks": n, "delegate": pid in delegates}
                for pid, n in breaks.items()
            ),
            key=lambda row: (not row["delegate"], -row["breaks"], row["name"]),
        ),
        "travel_minutes": int(result.objectives.get("travel_minutes", 0)),
        "objectives": {k: float(v) for k, v in result.objectives.items()},
        "bound": {k: float(v) for k, v in result.bound.items()},
        "gap": float(result.gap),
        "seconds": round(result.seconds, 1),
        "moved": int(result.moved),
        "created": applied.created,
        "changed": applied.moved,
        "removed": applied.removed,
        "kept": applied.kept,
    }


def is_stale(job: Job, *, now: dt.datetime | None = None) -> bool:
    started = job.started_at
    return (
        job.status == JobStatus.RUNNING
        and started is not None
        and started < (now or timezone.now()) - STALE_AFTER
    )


def current_planning_job(mission: Mission) -> Job | None:
    """The queued or running planning job of the mission; a stale one is recorded as failed.

    Side effects: may update that Job row.
    """
    for job in Job.objects.unfinished().filter(mission=mission, kind=KIND).order_by("-created_at"):
        if not is_stale(job):
            return job
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            error=gettext("Interrupted: the worker stopped while planning."),
        )
    return None


class AlreadyRunning(Exception):
    def __init__(self, job: Job) -> None:
        self.job = job
        super().__init__(gettext("The plan is already being built."))


@transaction.atomic
def start_planning(
    mission: Mission,
    *,
    user: Any = None,
    replan: bool = False,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> Job:
    """Start building the mission's plan in the background; refuse a second concurrent run.

    Raises :class:`AlreadyRunning` when a planning job is queued or running.
    Side effects: writes a queued Job (kind ``planning``) and enqueues ``build_plan_job``
    after commit.
    """
    Mission.objects.select_for_update().filter(pk=mission.pk).first()  # one starter at a time
    running = current_planning_job(mission)
    if running is not None:
        raise AlreadyRunning(running)
    limit = max(1.0, min(float(time_limit), MAX_TIME_LIMIT))
    job = start_job(mission, KIND, build_plan_job, user=user, replan=replan, time_limit=limit)
    job.progress = {"phase": "start", "replan": replan, "time_limit": limit}
    Job.objects.filter(pk=job.pk).update(progress=job.progress)
    return job
