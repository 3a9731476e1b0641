"""Forms of the advisor's profiling pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trademission.control.forms.fields import DateInput
from trademission.meetings.enums import MatchDecision
from trademission.participants.enums import PartnerType
from trademission.participants.models import Participation


class AdvisorNoteForm(forms.Form):
    date = forms.DateField(label=_("Date of the meeting"), widget=DateInput())
    text = forms.CharField(label=_("Notes"), widget=forms.Textarea({"rows": 6}))


class ExpectationsForm(forms.Form):
    expectations = forms.CharField(
        label=_("Expectations"), required=False, widget=forms.Textarea({"rows": 4})
    )
    partner_types_sought = forms.MultipleChoiceField(
        label=_("Partner types sought"),
        choices=PartnerType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class _StakeholderChoice(forms.Form):
    stakeholder = forms.ModelChoiceField(queryset=None, label=_("Stakeholder"))  # type: ignore[arg-type]

    def __init__(self, *args: Any, participation: Participation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["stakeholder"]
        field.queryset = participation.mission.stakeholders.select_related("organisation").order_by(
            "organisation__name"
        )
        field.label_from_instance = lambda s: f"{s.organisation.name} ({s.city})"


class WishForm(_StakeholderChoice):
    decision = forms.ChoiceField(
        label=_("Advisor's decision"),
        choices=[
            (MatchDecision.PENDING.value, MatchDecision.PENDING.label),
            (MatchDecision.ACCEPTED.value, MatchDecision.ACCEPTED.label),
        ],
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        coerce=int,
        initial=2,
        choices=[(1, _("High")), (2, _("Normal")), (3, _("Low"))],
    )


class ExclusionForm(_StakeholderChoice):
    pass
