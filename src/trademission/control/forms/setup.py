"""Forms of the set-up pages; the consistency rules come from missions/validators.py."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from functools import cache
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trademission.control.forms.fields import DateInput, DateTimeInput, TimeInput
from trademission.missions.models import ItineraryStop, Mission, ProgrammeItem, Venue
from trademission.missions.validators import (
    check_call,
    check_coordinates,
    check_criterion,
    check_meeting_calendar,
    check_mission_dates,
    validate_application_questions,
    validate_weight,
)
from trademission.participants.models import SelectionCriterion


@cache
def timezone_choices() -> list[tuple[str, str]]:
    names = sorted(
        n for n in zoneinfo.available_timezones() if "/" in n and n.split("/")[0] != "Etc"
    )
    return [("UTC", "UTC"), *((name, name) for name in names)]


def _check(form: forms.ModelForm, *checks: Any) -> None:
    """Run extra consistency rules on the form's instance; errors go next to the fields."""
    for check in checks:
        try:
            check(form.instance)
        except ValidationError as exc:
            form._update_errors(exc)  # the ModelForm way of placing model errors on fields
            return


class MissionFieldsMixin:
    def clean_country(self) -> str:
        value = self.cleaned_data["country"].strip().upper()  # type: ignore[attr-defined]
        if not re.fullmatch(r"[A-Z]{2}", value):
            raise ValidationError(_("Use the two-letter ISO code, e.g. CA."))
        return value


class NewMissionForm(MissionFieldsMixin, forms.ModelForm):
    project = forms.ModelChoiceField(queryset=None, label=_("Project"))  # type: ignore[arg-type]
    timezone = forms.ChoiceField(label=_("Time zone"), choices=())

    class Meta:
        model = Mission
        fields = ["project", "name", "country", "timezone", "start", "end", "description"]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "description": forms.Textarea({"rows": 3}),
        }

    def __init__(self, *args: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["timezone"].choices = timezone_choices()
        if projects.count() == 1:
            self.fields["project"].initial = projects.first()


class MissionBasicsForm(MissionFieldsMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    timezone = forms.ChoiceField(label=_("Time zone"), choices=())

    class Meta:
        model = Mission
        fields = ["name", "country", "timezone", "start", "end", "status", "description"]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "description": forms.Textarea({"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = timezone_choices()
        self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        super()._post_clean()
        if not self.errors:
            _check(self, check_mission_dates)


class CalendarForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Mission
        fields = [
            "meeting_day_start",
            "meeting_day_end",
            "lunch_start",
            "lunch_end",
            "time_grain",
            "default_meeting_minutes",
        ]
        widgets = {
            "meeting_day_start": TimeInput(),
            "meeting_day_end": TimeInput(),
            "lunch_start": TimeInput(),
            "lunch_end": TimeInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        super()._post_clean()
        if not self.errors:
            _check(self, check_meeting_calendar)


class CallForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Mission
        fields = ["call_open", "call_deadline", "call_intro"]
        widgets = {"call_deadline": DateInput(), "call_intro": forms.Textarea({"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        super()._post_clean()
        if not self.errors:
            _check(self, check_call)


class QuestionForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=40, required=False)
    label = forms.CharField(label=_("Question"), max_length=300, required=False)
    required = forms.BooleanField(label=_("Required"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("DELETE"):
            return data
        if data.get("label") and not data.get("key"):
            self.add_error("key", _("Give the question a key (letters, digits, hyphens)."))
        if data.get("key") and not data.get("label"):
            self.add_error("label", _("Write the question."))
        return data


class BaseQuestionFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            key = form.cleaned_data.get("key")
            if form.cleaned_data.get("DELETE") or not key:
                continue
            if key in seen:
                form.add_error("key", _("Two questions have this key; keys must differ."))
            seen.add(key)
        if not any(self.errors):
            validate_application_questions(self.questions())

    def questions(self) -> list[dict[str, Any]]:
        return [
            {
                "key": f.cleaned_data["key"],
                "label": f.cleaned_data["label"],
                "required": f.cleaned_data.get("required", False),
            }
            for f in self.forms
            if f.cleaned_data.get("key") and not f.cleaned_data.get("DELETE")
        ]


QuestionFormSet = forms.formset_factory(
    QuestionForm, formset=BaseQuestionFormSet, extra=2, can_delete=True, max_num=30
)


class StopForm(forms.ModelForm):
    class Meta:
        model = ItineraryStop
        fields = ["city", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput()}


class VenueForm(forms.ModelForm):
    class Meta:
        model = Venue
        fields = ["name", "kind", "address", "city", "latitude", "longitude", "tables"]
        widgets = {
            "latitude": forms.NumberInput({"step": "any"}),
            "longitude": forms.NumberInput({"step": "any"}),
        }

    def _post_clean(self) -> None:
        super()._post_clean()
        if not self.errors:
            _check(self, lambda v: check_coordinates(v.latitude, v.longitude))


class ProgrammeItemForm(forms.ModelForm):
    """Times are typed in the mission's time zone, whatever the visitor's."""

    attendees = forms.ModelMultipleChoiceField(
        queryset=None,  # type: ignore[arg-type]
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Attendees"),
        help_text=_("Only when the item is not for the whole delegation."),
    )

    class Meta:
        model = ProgrammeItem
        fields = [
            "title",
            "kind",
            "start",
            "end",
            "venue",
            "for_all",
            "blocks_meetings",
            "description",
        ]
        widgets = {
            "start": DateTimeInput(),
            "end": DateTimeInput(),
            "description": forms.Textarea({"rows": 3}),
        }

    def __init__(self, *args: Any, mission: Mission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mission = mission
        self.fields["venue"].queryset = mission.venues.all()
        self.fields["attendees"].queryset = mission.participations.selected().select_related("sme")
        self.fields["attendees"].label_from_instance = lambda p: p.sme.name
        for name in ("start", "end"):
            value = getattr(self.instance, name)
            if value is not None:
                self.initial[name] = value.astimezone(mission.tz).replace(tzinfo=None)
        if self.instance.pk:
            self.initial["attendees"] = list(self.instance.attendees.all())

    def _in_mission_tz(self, value: dt.datetime | None) -> dt.datetime | None:
        if value is None:
            return None
        naive = timezone.make_naive(value) if timezone.is_aware(value) else value
        return naive.replace(tzinfo=self.mission.tz)

    def clean_start(self) -> dt.datetime | None:
        return self._in_mission_tz(self.cleaned_data.get("start"))

    def clean_end(self) -> dt.datetime | None:
        return self._in_mission_tz(self.cleaned_data.get("end"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("for_all") and not data.get("attendees"):
            self.add_error("attendees", _("Choose the attendees, or tick “whole delegation”."))
        return data


class CriterionForm(forms.ModelForm):
    class Meta:
        model = SelectionCriterion
        fields = ["key", "label", "weight"]
        widgets = {"weight": forms.NumberInput({"step": "0.5", "min": "0"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["weight"].validators.append(validate_weight)

    def _post_clean(self) -> None:
        super()._post_clean()
        if not self.errors:
            _check(self, check_criterion)


class ConfirmForm(forms.Form):
    """The confirmation of a destructive action: a POST with nothing in it."""
