"""Forms of the recommendations pages: one per action, each limited to the page's rows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from trademission.meetings.enums import MatchDecision

PRIORITY_CHOICES = [(1, _("High")), (2, _("Normal")), (3, _("Low"))]

DECISION_CHOICES = [
    (MatchDecision.ACCEPTED, _("Accept")),
    (MatchDecision.REJECTED, _("Reject")),
    (MatchDecision.PENDING, _("Back to review")),
]

BULK_CHOICES = [
    ("accepted", _("Accept")),
    ("rejected", _("Reject")),
    ("pending", _("Back to review")),
    ("priority-1", _("Set priority: high")),
    ("priority-2", _("Set priority: normal")),
    ("priority-3", _("Set priority: low")),
]


class _RowForm(forms.Form):
    match = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)  # type: ignore[arg-type]
    rank = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, matches: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["match"].queryset = matches  # type: ignore[attr-defined]


class DecisionForm(_RowForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISION_CHOICES)


class PriorityForm(_RowForm):
    priority = forms.TypedChoiceField(label=_("Priority"), choices=PRIORITY_CHOICES, coerce=int)


class BulkForm(forms.Form):
    matches = forms.ModelMultipleChoiceField(
        label=_("Selected rows"),
        queryset=None,  # type: ignore[arg-type]
        error_messages={"required": _("Select at least one row.")},
    )
    bulk_action = forms.ChoiceField(label=_("With the selected rows"), choices=BULK_CHOICES)

    def __init__(self, *args: Any, matches: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["matches"].queryset = matches  # type: ignore[attr-defined]


class AddStakeholderForm(forms.Form):
    stakeholder = forms.ModelChoiceField(
        label=_("Stakeholder"),
        queryset=None,
        empty_label=_("Choose a stakeholder"),  # type: ignore[arg-type]
    )

    def __init__(self, *args: Any, choices: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = choices  # type: ignore[attr-defined]


class AddSmeForm(forms.Form):
    participation = forms.ModelChoiceField(
        label=_("SME"),
        queryset=None,
        empty_label=_("Choose an SME"),  # type: ignore[arg-type]
    )

    def __init__(self, *args: Any, choices: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participation"].queryset = choices  # type: ignore[attr-defined]
        self.fields["participation"].label_from_instance = lambda p: p.sme.name  # type: ignore[attr-defined]
