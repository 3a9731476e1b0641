"""The stakeholder's answer to one meeting request, on the token page (no account)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from trademission.meetings.domain.queries.invitations import HalfDay
from trademission.meetings.enums import RequestStatus
from trademission.meetings.models import MeetingRequest
from trademission.participants.enums import MeetingPlace

ACCEPT, DECLINE = "accept", "decline"

PLACE_LABELS = {
    MeetingPlace.PREMISES: _("At our premises"),
    MeetingPlace.TRADE_SHOW: _("At the trade show"),
    MeetingPlace.ONLINE: _("Online (video call)"),
}


def half_day_label(half: HalfDay) -> str:
    part = _("morning") if half.is_morning else _("afternoon")
    return f"{date_format(half.day, 'l j F')} · {part} ({half.start:%H:%M}–{half.end:%H:%M})"


class AnswerForm(forms.Form):
    """Yes or no, where, when (half-days of the days the delegation is in the stakeholder's
    city) and a free note, for one request. Leaving "yes/no" empty means "not answered yet"."""

    response = forms.ChoiceField(
        label=_("Would you like to meet?"),
        choices=[(ACCEPT, _("Yes, we would like to meet")), (DECLINE, _("No, thank you"))],
        widget=forms.RadioSelect,
        required=False,
    )
    place = forms.ChoiceField(
        label=_("Where?"), choices=(), widget=forms.RadioSelect, required=False
    )
    half_days = forms.MultipleChoiceField(
        label=_("When are you available?"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(
        label=_("Other times, who will attend, or a note to the organisers"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        request: MeetingRequest,
        places: list[str],
        halves: list[HalfDay],
        default_place: str = "",
        is_open: bool = True,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", f"r{request.pk}")
        super().__init__(*args, **kwargs)
        self.request = request
        self.halves = {half.key: half for half in halves}
        self.is_open = is_open
        self.fields["place"].choices = [(p, PLACE_LABELS[MeetingPlace(p)]) for p in places]  # type: ignore[attr-defined]
        self.fields["half_days"].choices = [(h.key, half_day_label(h)) for h in halves]  # type: ignore[attr-defined]
        self.initial.update(self._initial(request, places, default_place))
        if not is_open:
            for field in self.fields.values():
                field.disabled = True

    def _initial(
        self, request: MeetingRequest, places: list[str], default_place: str
    ) -> dict[str, Any]:
        response = {RequestStatus.ACCEPTED: ACCEPT, RequestStatus.DECLINED: DECLINE}.get(
            request.status,  # type: ignore[call-overload]
            "",
        )
        place = request.meeting_place or default_place
        return {
            "response": response,
            "place": place if place in places else "",
            "half_days": self._chosen_halves(request.availability),
            "note": request.answer_note,
        }

    def _chosen_halves(self, availability: Any) -> list[str]:
        spans = []
        for span in availability if isinstance(availability, list) else []:
            try:
                spans.append(
                    (
                        dt.datetime.fromisoformat(str(span["start"])),
                        dt.datetime.fromisoformat(str(span["end"])),
                    )
                )
            except (KeyError, TypeError, ValueError):
                continue
        return [
            key
            for key, half in self.halves.items()
            if any(start <= half.start and half.end <= end for start, end in spans)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("response") == ACCEPT:
            if not data.get("place"):
                self.add_error("place", _("Choose where the meeting can take place."))
            if not data.get("half_days"):
                self.add_error("half_days", _("Tick at least one half-day."))
        return data

    def answer(self) -> dict[str, Any] | None:
        """The answer for the domain (``answer_request`` keywords), or None if not given."""
        if not self.is_open or not self.has_changed():
            return None
        response = self.cleaned_data.get("response")
        if response not in (ACCEPT, DECLINE):
            return None
        accept = response == ACCEPT
        halves = [self.halves[key] for key in self.cleaned_data.get("half_days") or []]
        return {
            "accept": accept,
            "place": (self.cleaned_data.get("place") or "") if accept else "",
            "availability": [{"start": h.start, "end": h.end} for h in halves] if accept else [],
            "note": self.cleaned_data.get("note") or "",
        }
