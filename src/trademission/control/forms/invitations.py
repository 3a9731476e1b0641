"""Forms of the invitation board."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trademission.meetings.enums import RequestStatus


class BoardFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *RequestStatus.choices],
        required=False,
    )

    def status_value(self) -> str:
        if self.is_valid():
            return str(self.cleaned_data.get("status") or "")
        return ""


class BoardActionForm(forms.Form):
    """The buttons of the board that post: prepare the requests, send the due reminders."""

    action = forms.ChoiceField(choices=[("prepare", "prepare"), ("remind", "remind")])


class RulesForm(forms.Form):
    """How long links stay valid, when unanswered requests are reminded."""

    invitation_valid_days = forms.IntegerField(
        label=_("Links valid for (days)"), min_value=1, max_value=365
    )
    reminder_after_days = forms.IntegerField(
        label=_("Remind unanswered requests after (days)"), min_value=1, max_value=365
    )
