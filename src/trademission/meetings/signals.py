"""Recompute recommendations in the background when the profiles they are made of change.

A saved SME profile, stakeholder entry or a participation that enters or leaves the selection
schedules a matching job for the mission(s) concerned once the transaction commits, debounced
by ``schedule_matching`` (no second job while one is still queued). Connected in
``MeetingsConfig.ready()``; raw saves (fixtures) are ignored.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import post_init, post_save

from trademission.missions.enums import MissionStatus
from trademission.participants.enums import ParticipationStatus
from trademission.participants.models import Participation, Sme, Stakeholder


def _schedule(mission_id: int) -> None:
    from trademission.meetings.jobs import schedule_matching
    from trademission.missions.models import Mission

    mission = Mission.objects.exclude(status=MissionStatus.CLOSED).filter(pk=mission_id).first()
    if mission is not None:
        schedule_matching(mission)


def recompute_after_commit(*mission_ids: int) -> None:
    """Schedule a (debounced) recompute of these missions once the transaction commits.

    The signals below call it for rows saved one by one; domain functions that write profiles
    without ``save()`` (``bulk_create``, ``QuerySet.update``, e.g. a stakeholder import) call it
    themselves. Side effects: after commit, writes a queued Job and enqueues its task (or not,
    when one is already queued).
    """
    for mission_id in sorted(set(mission_ids)):
        transaction.on_commit(partial(_schedule, mission_id), robust=True)


def _on_commit(mission_ids: set[int]) -> None:
    recompute_after_commit(*mission_ids)


def sme_saved(sender: Any, instance: Sme, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    missions = Participation.objects.filter(
        sme=instance, status=ParticipationStatus.SELECTED
    ).values_list("mission_id", flat=True)
    _on_commit(set(missions))


def stakeholder_saved(sender: Any, instance: Stakeholder, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _on_commit({instance.mission_id})


def participation_loaded(sender: Any, instance: Participation, **kwargs: Any) -> None:
    # __dict__ rather than the attribute: a deferred status must not cost a query.
    instance._loaded_status = instance.__dict__.get("status")  # type: ignore[attr-defined]


def participation_saved(
    sender: Any, instance: Participation, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    before = None if created else getattr(instance, "_loaded_status", None)
    now = instance.status
    if before != now and ParticipationStatus.SELECTED in (before, now):
        _on_commit({instance.mission_id})
    instance._loaded_status = now  # type: ignore[attr-defined]


def connect() -> None:
    post_save.connect(sme_saved, sender=Sme, dispatch_uid="matching_sme_saved")
    post_save.connect(stakeholder_saved, sender=Stakeholder, dispatch_uid="matching_st_saved")
    post_init.connect(participation_loaded, sender=Participation, dispatch_uid="matching_p_init")
    post_save.connect(participation_saved, sender=Participation, dispatch_uid="matching_p_saved")
