"""Consistency rules shared by forms, the admin and domain functions."""

from __future__ import annotations

import zoneinfo
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from trademission.missions.models import ItineraryStop, Mission, ProgrammeItem
    from trademission.participants.models import SelectionCriterion

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


def check_coordinates(latitude: float | None, longitude: float | None) -> None:
    """Coordinates come as a pair: both or neither."""
    if (latitude is None) != (longitude is None):
        field = "longitude" if longitude is None else "latitude"
        raise ValidationError({field: _("Give both latitude and longitude, or neither.")})


def check_mission_dates(mission: Mission) -> None:
    """A mission's dates still hold its itinerary stops and programme items."""
    if not (mission.pk and mission.start and mission.end) or mission.end < mission.start:
        return
    outside = mission.stops.exclude(start__gte=mission.start, end__lte=mission.end).first()
    if outside is not None:
        raise ValidationError(
            {
                "start": _("The stop in %(city)s (%(start)s – %(end)s) would lie outside.")
                % {
                    "city": outside.city,
                    "start": date_format(outside.start),
                    "end": date_format(outside.end),
                }
            }
        )
    tz = mission.tz
    for item in mission.programme.all():
        first, last = item.start.astimezone(tz).date(), item.end.astimezone(tz).date()
        if last > mission.end or (first < mission.start and item.kind not in PREPARATORY_KINDS):
            raise ValidationError(
                {
                    "end": _("The programme item “%(title)s” would lie outside the mission.")
                    % {"title": item.title}
                }
            )
    deadline = mission.call_deadline
    if deadline and deadline > mission.start:
        raise ValidationError(
            {"start": _("The mission cannot start before the application deadline.")}
        )


def check_meeting_calendar(mission: Mission) -> None:
    """Meeting hours, lunch break and meeting length fit together and on the time grain."""
    start, end, grain = mission.meeting_day_start, mission.meeting_day_end, mission.time_grain
    if not (start and end and grain) or end <= start:
        return
    errors = {}
    if start.minute % grain or end.minute % grain:
        errors["meeting_day_start"] = _(
            "Meeting hours must fall on the time grain (every %(grain)s minutes)."
        ) % {"grain": grain}
    if mission.lunch_start and mission.lunch_end:
        if mission.lunch_start < start or mission.lunch_end > end:
            errors["lunch_start"] = _("The lunch break must lie within the meeting hours.")
        elif mission.lunch_start.minute % grain or mission.lunch_end.minute % grain:
            errors["lunch_start"] = _(
                "The lunch break must fall on the time grain (every %(grain)s minutes)."
            ) % {"grain": grain}
    length = mission.default_meeting_minutes
    if length is not None:
        day_minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        if length <= 0 or length % grain:
            errors["default_meeting_minutes"] = _(
                "A meeting lasts a positive multiple of the time grain (%(grain)s minutes)."
            ) % {"grain": grain}
        elif length > day_minutes:
            errors["default_meeting_minutes"] = _("A meeting cannot last longer than the day.")
    if errors:
        raise ValidationError(errors)


def check_call(mission: Mission) -> None:
    """The application deadline comes before the mission; the questions are well formed."""
    if mission.call_deadline and mission.start and mission.call_deadline > mission.start:
        raise ValidationError(
            {
                "call_deadline": _("The deadline cannot be after the mission starts (%(start)s).")
                % {"start": date_format(mission.start)}
            }
        )
    validate_application_questions(mission.application_questions)


def validate_application_questions(questions: object) -> None:
    """A list of {"key", "label", "required"} with distinct, non-empty keys and labels."""
    if not isinstance(questions, list):
        raise ValidationError(_("The questions must be a list."))
    seen: set[str] = set()
    for question in questions:
        if not isinstance(question, dict) or not {"key", "label"} <= question.keys():
            raise ValidationError(_("Each question needs a key and a label."))
        key, label = str(question["key"]).strip(), str(question["label"]).strip()
        if not key or not label:
            raise ValidationError(_("Each question needs a key and a label."))
        if key in seen:
            raise ValidationError(
                _("Two questions have the key “%(key)s”; keys must differ.") % {"key": key}
            )
        seen.add(key)


def validate_weight(value: object) -> None:
    if value is not None and value < 0:  # type: ignore[operator]
        raise ValidationError(_("A weight cannot be negative."))


def validate_score(value: object) -> None:
    if value is not None and not 0 <= value <= 5:  # type: ignore[operator]
        raise ValidationError(_("A score lies between 0 and 5."))


def check_criterion(criterion: SelectionCriterion) -> None:
    """A selection criterion has a non-negative weight and a key unique in its mission."""
    try:
        validate_weight(criterion.weight)
    except ValidationError as exc:
        raise ValidationError({"weight": exc.messages}) from exc
    if criterion.key and criterion.mission_id:
        duplicate = (
            type(criterion)
            .objects.filter(mission_id=criterion.mission_id, key=criterion.key)
            .exclude(pk=criterion.pk)
            .exists()
        )
        if duplicate:
            raise ValidationError({"key": _("This mission already has a criterion with this key.")})


def check_scores(scores: dict[str, object], keys: set[str]) -> None:
    """Scores name criteria of the mission and lie between 0 and 5."""
    errors = {}
    for key, value in scores.items():
        if key not in keys:
            errors[key] = _("This mission has no criterion “%(key)s”.") % {"key": key}
            continue
        try:
            validate_score(value)
        except ValidationError as exc:
            errors[key] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
