"""Small form fields shared by the organiser and portal forms."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

#: A form offers its candidates in a ``<select>`` up to this many; beyond, a search box.
SELECT_LIMIT = 200


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


class TypedName(str):
    """The text of a search box posted without a pick among its results (no JavaScript)."""

    __slots__ = ()


class SearchWidget(forms.Widget):
    """A search box; htmx fetches the matches from ``search_url`` as radio buttons named after
    the field, and the one picked is the value. Without JavaScript (or with nothing picked) the
    typed text is posted as ``q`` and the value is a :class:`TypedName` for the field to look up.
    """

    template_name = "control/widgets/search.html"
    query_name = "q"

    def __init__(self, search_url: str = "", attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.search_url = search_url

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        picked = data.get(name)
        if picked:
            return picked
        return TypedName(data.get(self.query_name, ""))

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and self.query_name not in data

    def format_value(self, value: Any) -> str:
        return str(value) if isinstance(value, TypedName) else ""

    def use_required_attribute(self, initial: Any) -> bool:
        return False  # a picked result counts as much as typed text

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        described = [f"{widget['attrs'].get('id', name)}_searchhelp"]
        if widget["attrs"].get("aria-describedby"):  # the errors, said next to the field
            described.append(widget["attrs"].pop("aria-describedby"))
        widget.update(
            search_url=self.search_url, query_name=self.query_name, describedby=" ".join(described)
        )
        return context


class SearchableModelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """One row among candidates: a select while they are few, a :class:`SearchWidget` beyond.

    Call :meth:`offer` from the form's ``__init__``. In search mode a typed name is accepted
    when exactly one candidate bears it (``find_by_name(candidates, name)`` returns them).
    """

    default_error_messages = {
        "no_such_name": _("No stakeholder is named “%(name)s”: pick one among the search results."),
        "ambiguous_name": _(
            "Several stakeholders are named “%(name)s”: pick one among the search results."
        ),
    }

    def __init__(
        self,
        *args: Any,
        find_by_name: Callable[[QuerySet[Any], str], list[Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("queryset", None)
        super().__init__(*args, **kwargs)
        self.find_by_name = find_by_name
        self.searching = False

    def offer(
        self,
        candidates: QuerySet[Any],
        *,
        search_url: str,
        label: Callable[[Model], str] = str,
    ) -> None:
        """Read at most ``SELECT_LIMIT + 1`` candidates (one query) and choose the widget.

        The select's options are those rows, so the page does not read them a second time.
        """
        self.queryset = candidates
        self.label_from_instance = label  # type: ignore[assignment]
        rows = list(candidates[: SELECT_LIMIT + 1])
        if len(rows) <= SELECT_LIMIT:
            empty = [] if self.empty_label is None else [("", self.empty_label)]
            self.widget.choices = empty + [(row.pk, label(row)) for row in rows]
        else:
            self.searching = True
            self.widget = SearchWidget(search_url=search_url)

    def to_python(self, value: Any) -> Any:
        if not isinstance(value, TypedName):
            return super().to_python(value)
        name = value.strip()
        if not name:
            return None
        found = (
            self.find_by_name(self.queryset, name)
            if self.find_by_name and self.queryset is not None
            else []
        )
        if not found:
            raise forms.ValidationError(
                self.error_messages["no_such_name"], code="no_such_name", params={"name": name}
            )
        if len(found) > 1:
            raise forms.ValidationError(
                self.error_messages["ambiguous_name"],
                code="ambiguous_name",
                params={"name": name},
            )
        return found[0]
