"""Forms of the advisor's profiling pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trademission.control.forms.fields import DateInput, SearchableModelChoiceField
from trademission.meetings.enums import MatchDecision
from trademission.participants.domain.queries.stakeholders import (
    stakeholder_candidates,
    stakeholders_named,
)
from trademission.participants.enums import PartnerType
from trademission.participants.models import Participation, Stakeholder


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


def stakeholder_label(stakeholder: Stakeholder) -> str:
    return f"{stakeholder.organisation.name} ({stakeholder.city})"


class _StakeholderChoice(forms.Form):
    """Any stakeholder of the mission: a select, or a search box when there are many."""

    stakeholder = SearchableModelChoiceField(
        label=_("Stakeholder"), find_by_name=stakeholders_named
    )

    def __init__(self, *args: Any, participation: Participation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mission = participation.mission
        url = reverse("control:stakeholders_search", kwargs={"mission": mission.slug})
        self.fields["stakeholder"].offer(  # type: ignore[attr-defined]
            stakeholder_candidates(mission),
            search_url=f"{url}?{urlencode({'field': self.add_prefix('stakeholder')})}",
            label=stakeholder_label,
        )


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
