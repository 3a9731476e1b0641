"""Forms of the selection pages: scores per criterion and the decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

from trademission.missions.validators import validate_score
from trademission.participants.domain.selection import DECISIONS
from trademission.participants.enums import ParticipationStatus
from trademission.participants.models import SelectionCriterion


class ScoreForm(forms.Form):
    """One 0–5 field per criterion of the mission, and the advisor's view of the demand."""

    advisor_input = forms.CharField(
        label=_("Advisor's view of the demand"),
        required=False,
        widget=forms.Textarea({"rows": 4}),
    )

    def __init__(self, *args: Any, criteria: list[SelectionCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[self.field_name(criterion.key)] = forms.IntegerField(
                label=criterion.label,
                required=False,
                validators=[validate_score],
                help_text=_("0–5, weight %(weight)s")
                % {"weight": floatformat(criterion.weight, -2)},
                widget=forms.NumberInput({"min": 0, "max": 5, "step": 1}),
            )
        self.order_fields([self.field_name(c.key) for c in criteria])

    @staticmethod
    def field_name(key: str) -> str:
        return f"score_{key}"

    def scores(self) -> dict[str, int | None]:
        return {c.key: self.cleaned_data.get(self.field_name(c.key)) for c in self.criteria}


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[(s.value, s.label) for s in ParticipationStatus if s in DECISIONS],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message to the applicant"),
        widget=forms.Textarea({"rows": 6}),
        help_text=_("Sent by e-mail in the contact's language, and kept with the application."),
    )
    note = forms.CharField(
        label=_("Internal note on the decision"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )
