"""Consistency rules shared by forms, the admin and domain functions."""

from __future__ import annotations

import zoneinfo
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from trademission.missions.models import ItineraryStop, ProgrammeItem

#: Preparation happens before departure: these kinds may precede the mission's first day.
PREPARATORY_KINDS = {"webinar", "briefing"}


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("%(value)s is not a known time zone (e.g. America/Toronto)."),
            params={"value": value},
        ) from exc


def validate_latitude(value: float) -> None:
    if not -90 <= value <= 90:
        raise ValidationError(_("A latitude lies between -90 and 90 degrees."))


def validate_longitude(value: float) -> None:
    if not -180 <= value <= 180:
        raise ValidationError(_("A longitude lies between -180 and 180 degrees."))


def check_stop(stop: ItineraryStop) -> None:
    """An itinerary stop lies within the mission and overlaps no other stop."""
    if not (stop.start and stop.end and stop.mission_id):
        return
    if stop.end < stop.start:
        raise ValidationError({"end": _("A stop cannot end before it starts.")})
    mission = stop.mission
    if stop.start < mission.start or stop.end > mission.end:
        raise ValidationError(
            {
                "start": _("The stop must lie within the mission (%(start)s – %(end)s).")
                % {"start": date_format(mission.start), "end": date_format(mission.end)}
            }
        )
    clash = (
        mission.stops.exclude(pk=stop.pk).filter(start__lte=stop.end, end__gte=stop.start).first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "start": _("This stop overlaps the stop in %(city)s (%(start)s – %(end)s).")
                % {
                    "city": clash.city,
                    "start": date_format(clash.start),
                    "end": date_format(clash.end),
                }
            }
        )


def check_programme_item(item: ProgrammeItem) -> None:
    """A programme item lies within the mission's days (preparation may come before)."""
    if not (item.start and item.end and item.mission_id):
        return
    if item.end <= item.start:
        raise ValidationError({"end": _("The item must end after it starts.")})
    mission = item.mission
    tz = mission.tz
    first, last = item.start.astimezone(tz).date(), item.end.astimezone(tz).date()
    too_early = first < mission.start and item.kind not in PREPARATORY_KINDS
    if too_early or last > mission.end:
        raise ValidationError(
            {
                "start": _(
                    "The item must take place during the mission (%(start)s – %(end)s); "
                    "only webinars and briefings may come before it."
                )
                % {"start": date_format(mission.start), "end": date_format(mission.end)}
            }
        )
    if item.venue_id and item.venue.mission_id != item.mission_id:
        raise ValidationError({"venue": _("This venue belongs to another mission.")})
