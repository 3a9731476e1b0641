"""Forms of the recommendations pages: one per action, each limited to the page's rows."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trademission.control.forms.fields import SearchableModelChoiceField
from trademission.meetings.enums import MatchDecision
from trademission.participants.domain.queries.stakeholders import (
    stakeholder_candidates,
    stakeholders_named,
)
from trademission.participants.models import Participation

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
    """A stakeholder not matched with the SME yet: a select, or a search box when many."""

    stakeholder = SearchableModelChoiceField(
        label=_("Stakeholder"),
        empty_label=_("Choose a stakeholder"),
        find_by_name=stakeholders_named,
    )

    def __init__(self, *args: Any, participation: Participation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = reverse("control:stakeholders_search", kwargs={"mission": participation.mission.slug})
        query = {"field": self.add_prefix("stakeholder"), "exclude_matched_for": participation.pk}
        self.fields["stakeholder"].offer(  # type: ignore[attr-defined]
            stakeholder_candidates(participation.mission, exclude_matched_for=participation),
            search_url=f"{url}?{urlencode(query)}",
        )


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
