"""Consistency rules of meetings, shared by forms, the admin and domain functions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trademission.meetings.enums import MeetingMode
from trademission.missions.geography import same_area

if TYPE_CHECKING:
    from trademission.meetings.models import Meeting


def check_meeting(meeting: Meeting) -> None:
    """A meeting lies within the mission, in the city the delegation is in that day."""
    if not (meeting.start and meeting.end and meeting.mission_id):
        return
    if meeting.end <= meeting.start:
        raise ValidationError({"end": _("The meeting must end after it starts.")})
    mission = meeting.mission
    day = meeting.start.astimezone(mission.tz).date()
    if not mission.start <= day <= mission.end:
        raise ValidationError(
            {"start": _("The meeting must take place during the mission's days.")}
        )
    if meeting.mode == MeetingMode.ONLINE:
        return
    stop = mission.stops.filter(start__lte=day, end__gte=day).first()
    if stop is None or not meeting.city:
        return
    if not same_area(meeting.city, stop.city):
        raise ValidationError(
            {
                "start": _(
                    "On %(day)s the delegation is in %(stop)s, but this meeting is in %(city)s."
                )
                % {"day": date_format(day), "stop": stop.city, "city": meeting.city}
            }
        )
