"""Small form fields shared by the organiser and portal forms."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ListField(forms.CharField):
    """A list of words or phrases typed as comma- (or line-) separated text."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Separate entries with commas."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list | tuple):
            return [str(v).strip() for v in value if str(v).strip()]
        text = super().to_python(value)
        return [part.strip() for part in re.split(r"[,\n;]", text) if part.strip()]


class CodeListField(ListField):
    """Two-letter codes (countries, languages), stored upper- or lower-case."""

    def __init__(self, *, upper: bool = False, **kwargs: Any) -> None:
        self.upper = upper
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[str]:
        codes = super().clean(value)  # validated as typed, so errors quote the input
        return [c.upper() if self.upper else c.lower() for c in codes]

    def validate(self, value: Any) -> None:
        super().validate(value)
        bad = [c for c in value if not re.fullmatch(r"[A-Za-z]{2}", c)]
        if bad:
            raise forms.ValidationError(
                _("Use two-letter codes (e.g. %(example)s); not understood: %(bad)s."),
                params={"example": "CA, US" if self.upper else "en, fr", "bad": ", ".join(bad)},
            )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)
