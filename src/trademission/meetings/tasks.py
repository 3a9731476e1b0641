"""Background tasks of the meetings app (django-tasks, database backend).

Thin: they take ids, load, and call a domain function. The recompute that the pages follow
(queued, running, finished, with a Job row) is ``meetings.jobs.recompute_matches_job``; this
task is the plain form, for callers that only need the recompute done (management commands,
other apps' signals).
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from trademission.missions.models import Mission


@task()
def recompute_matches_task(mission_id: int) -> dict[str, Any]:
    """Recompute the recommendations of mission ``mission_id``; returns what changed.

    A mission deleted meanwhile is skipped (returns ``{"skipped": "mission not found"}``).
    """
    # Imported here: the recommender (numpy, scipy, scikit-learn) is only needed in the worker.
    from trademission.meetings.domain.recommendations import recompute_matches

    mission = Mission.objects.filter(pk=mission_id).first()
    if mission is None:
        return {"skipped": "mission not found"}
    result = recompute_matches(mission)
    return {
        "smes": result.smes,
        "stakeholders": result.stakeholders,
        "created": result.created,
        "updated": result.updated,
        "deleted": result.deleted,
    }
