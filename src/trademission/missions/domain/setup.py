"""Setting a mission up: its basics, itinerary, venues, programme, calendar, criteria, call.

Every function validates with the rules of :mod:`trademission.missions.validators` (through
the model's ``full_clean``) before it writes, so the admin, the pages and scripts agree.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify

from trademission.missions.models import (
    ItineraryStop,
    Mission,
    ProgrammeItem,
    Project,
    Venue,
)
from trademission.missions.validators import (
    check_call,
    check_coordinates,
    check_criterion,
    check_meeting_calendar,
    check_mission_dates,
)
from trademission.participants.models import Participation, SelectionCriterion


class StaleEdit(Exception):
    """Somebody else saved the mission since the form was opened."""


def unique_slug(name: str, start: Any) -> str:
    base = slugify(f"{name}-{start:%Y}" if start else name)[:50] or "mission"
    slug, n = base, 2
    while Mission.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_mission(project: Project, **fields: Any) -> Mission:
    """Create a draft mission of ``project``; the slug comes from the name and the year.

    Side effects: writes one Mission row.
    """
    mission = Mission(project=project, **fields)
    if not mission.slug:
        mission.slug = unique_slug(mission.name, mission.start)
    mission.full_clean()
    mission.save()
    return mission


@transaction.atomic
def update_mission(mission: Mission, *, version: int, fields: dict[str, Any]) -> Mission:
    """Save ``fields`` of the mission if nobody changed it since ``version`` was read.

    Raises :class:`StaleEdit` (nothing written) when the version moved on.
    Side effects: updates the Mission row and increments its version.
    """
    for name, value in fields.items():
        setattr(mission, name, value)
    mission.full_clean()
    check_mission_dates(mission)
    check_meeting_calendar(mission)
    check_call(mission)
    updated = Mission.objects.filter(pk=mission.pk, version=version).update(
        **fields, version=version + 1
    )
    if not updated:
        raise StaleEdit
    mission.version = version + 1
    return mission


@transaction.atomic
def save_stop(stop: ItineraryStop) -> ItineraryStop:
    """Create or change an itinerary stop. Side effects: writes one ItineraryStop row."""
    stop.full_clean()
    stop.save()
    return stop


@transaction.atomic
def save_venue(venue: Venue) -> Venue:
    """Create or change a venue. Side effects: writes one Venue row."""
    venue.full_clean()
    check_coordinates(venue.latitude, venue.longitude)
    venue.save()
    return venue


@transaction.atomic
def save_programme_item(
    item: ProgrammeItem, *, attendees: list[Participation] | None = None
) -> ProgrammeItem:
    """Create or change a programme item; a whole-delegation item keeps no attendee list.

    Side effects: writes one ProgrammeItem row and replaces its attendees.
    """
    item.full_clean()
    item.save()
    if item.for_all:
        item.attendees.clear()
    else:
        item.attendees.set(
            [p for p in attendees or [] if p.mission_id == item.mission_id]  # tenancy
        )
    return item


@transaction.atomic
def save_criterion(criterion: SelectionCriterion) -> SelectionCriterion:
    """Create or change a selection criterion. Side effects: writes one row."""
    criterion.full_clean(validate_constraints=False)
    check_criterion(criterion)
    criterion.save()
    return criterion


@transaction.atomic
def delete_setup_row(row: ItineraryStop | Venue | ProgrammeItem | SelectionCriterion) -> None:
    """Delete a stop, venue, programme item or criterion of a mission.

    Side effects: deletes the row; a deleted venue leaves its programme items without venue
    (SET_NULL); a deleted criterion's scores stay in the applications but no longer count.
    """
    row.delete()
