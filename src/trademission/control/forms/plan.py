"""Forms of the plan pages: building, moving, pinning, cancelling, publishing.

Every form that changes the plan carries the version of the plan (and of the meeting) the
page was drawn from, so a change made meanwhile by somebody else is refused, never overwritten.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from trademission.meetings.enums import PlanStatus

TIME_LIMITS = [
    (10, _("10 seconds")),
    (30, _("30 seconds")),
    (60, _("1 minute")),
    (120, _("2 minutes")),
    (300, _("5 minutes")),
]


class BuildForm(forms.Form):
    time_limit = forms.TypedChoiceField(
        label=_("Time limit"), choices=TIME_LIMITS, coerce=int, initial=30
    )
    replan = forms.BooleanField(
        label=_("Re-plan around changes (keep the current plan as far as possible)"),
        required=False,
    )


class _Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    plan_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class PinForm(_Versioned):
    pinned = forms.BooleanField(required=False, widget=forms.HiddenInput)


class CancelForm(_Versioned):
    pass


class MoveForm(_Versioned):
    """A new day, time and place for one meeting; the choices come from the mission."""

    day = forms.TypedChoiceField(label=_("Day"), coerce=str)
    time = forms.TypedChoiceField(label=_("Start time"), coerce=str)
    venue = forms.ChoiceField(label=_("Place"))

    def __init__(
        self,
        *args: Any,
        mission: Any,
        places: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.mission = mission
        stops = list(mission.stops.all())
        days = []
        for date in mission.days:
            city = next((s.city for s in stops if s.start <= date <= s.end), "")
            label = date_format(date, "l j F")
            days.append((date.isoformat(), f"{label} — {city}" if city else label))
        self.fields["day"].choices = days  # type: ignore[attr-defined]
        grain = mission.time_grain
        times = []
        at = dt.datetime.combine(mission.start, mission.meeting_day_start)
        end = dt.datetime.combine(mission.start, mission.meeting_day_end)
        while at < end:
            times.append((at.strftime("%H:%M"), at.strftime("%H:%M")))
            at += dt.timedelta(minutes=grain)
        self.fields["time"].choices = times  # type: ignore[attr-defined]
        self.fields["venue"].choices = places  # type: ignore[attr-defined]

    def start(self) -> dt.datetime:
        date = dt.date.fromisoformat(self.cleaned_data["day"])
        time = dt.time.fromisoformat(self.cleaned_data["time"])
        return dt.datetime.combine(date, time, tzinfo=self.mission.tz)


class PublishForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Publish as"),
        choices=[
            (PlanStatus.PRELIMINARY, _("Preliminary (may still change)")),
            (PlanStatus.FINAL, _("Final (meetings confirmed)")),
        ],
        widget=forms.RadioSelect,
    )
    plan_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
