"""Forms of the stakeholder directory: the entry, its contacts, filters, import steps."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from trademission.missions.models import Mission
from trademission.participants.enums import PartnerType
from trademission.participants.interfaces.stakeholder_import import (
    MAX_BYTES,
    SUFFIXES,
    TARGETS,
    check_mapping,
)
from trademission.participants.models import ContactPerson, Stakeholder

LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]


class TextListField(forms.CharField):
    """A list of phrases typed as text, separated by semicolons (or commas if none)."""

    def __init__(self, *, codes: bool = False, **kwargs: Any) -> None:
        self.codes = codes
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return (", " if self.codes else "; ").join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list | tuple):
            return [str(v).strip() for v in value if str(v).strip()]
        text = super().to_python(value)
        separator = r"[;,\s]+" if self.codes else (r"[;\n]" if ";" in text else r"[,\n]")
        parts = [p.strip() for p in re.split(separator, text) if p.strip()]
        return [p.lower() for p in parts] if self.codes else parts

    def validate(self, value: Any) -> None:
        super().validate(value)
        if self.codes:
            bad = [code for code in value if not re.fullmatch(r"[a-z]{2}", code)]
            if bad:
                raise forms.ValidationError(
                    _("Use two-letter language codes such as en, fr; not understood: %(bad)s."),
                    params={"bad": ", ".join(bad)},
                )


class StakeholderForm(forms.ModelForm):
    """The organisation (name, website, country) and the mission's entry for it."""

    name = forms.CharField(label=_("Organisation"), max_length=200)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    country = forms.CharField(
        label=_("Country"), max_length=2, help_text=_("Two-letter ISO code, e.g. CA.")
    )
    keywords = TextListField(label=_("Keywords"), help_text=_("Separate with semicolons."))
    programmes = TextListField(label=_("Programmes"), help_text=_("Separate with semicolons."))
    languages = TextListField(
        codes=True, label=_("Languages"), help_text=_("Two-letter codes, e.g. en, fr.")
    )
    profile_language = forms.ChoiceField(
        label=_("Language of the profile"), choices=LANGUAGE_CHOICES
    )
    available_days = forms.MultipleChoiceField(
        label=_("Available days"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Days of the mission on which they can meet."),
    )

    class Meta:
        model = Stakeholder
        fields = [
            "type",
            "city",
            "address",
            "postcode",
            "latitude",
            "longitude",
            "description",
            "needs",
            "availability",
            "meeting_place",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "needs": forms.Textarea(attrs={"rows": 4}),
            "availability": forms.Textarea(attrs={"rows": 2}),
            "latitude": forms.NumberInput(attrs={"step": "any"}),
            "longitude": forms.NumberInput(attrs={"step": "any"}),
        }

    field_order = [
        "name",
        "website",
        "country",
        "type",
        "city",
        "address",
        "postcode",
        "latitude",
        "longitude",
        "description",
        "needs",
        "keywords",
        "programmes",
        "languages",
        "profile_language",
        "availability",
        "available_days",
        "meeting_place",
    ]

    def __init__(self, *args: Any, mission: Mission, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            org = instance.organisation
            kwargs.setdefault("initial", {}).update(
                name=org.name,
                website=org.website,
                country=org.country,
                keywords=instance.keywords,
                programmes=instance.programmes,
                languages=instance.languages,
                profile_language=instance.profile_language,
                available_days=instance.available_days,
            )
        else:
            kwargs["instance"] = Stakeholder(mission=mission)
            kwargs.setdefault("initial", {}).setdefault("country", mission.country)
        super().__init__(*args, **kwargs)
        self.mission = mission
        self.fields["available_days"].choices = [
            (day.isoformat(), date_format(day, "D j M")) for day in mission.days
        ]

    def clean_country(self) -> str:
        value = self.cleaned_data["country"].strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", value):
            raise forms.ValidationError(_("Give the two-letter country code, e.g. CA."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        lat, lon = data.get("latitude"), data.get("longitude")
        unclear = "latitude" in self.errors or "longitude" in self.errors
        if (lat is None) != (lon is None) and not unclear:
            missing = "longitude" if lon is None else "latitude"
            self.add_error(missing, _("Give both latitude and longitude, or neither."))
        return data

    def organisation_data(self) -> dict[str, Any]:
        return {key: self.cleaned_data[key] for key in ("name", "website", "country")}

    def stakeholder_fields(self) -> dict[str, Any]:
        names = [*self.Meta.fields, "keywords", "programmes", "languages", "profile_language"]
        fields = {name: self.cleaned_data.get(name) for name in names}
        fields["available_days"] = sorted(self.cleaned_data.get("available_days") or [])
        for name in ("description", "needs", "address", "postcode", "availability"):
            fields[name] = fields[name] or ""
        return fields


class ContactForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Preferred language"), choices=LANGUAGE_CHOICES)

    class Meta:
        model = ContactPerson
        fields = ["name", "role", "email", "phone", "language"]


ContactFormSet = forms.inlineformset_factory(
    Stakeholder,
    ContactPerson,
    form=ContactForm,
    fk_name="stakeholder",
    extra=1,
    can_delete=True,
    max_num=20,
)


def contacts_data(formset: Any) -> list[dict[str, Any]]:
    """The formset's rows as the domain function takes them (unchanged blank rows left out)."""
    items = []
    for form in formset.forms:
        pk = form.instance.pk
        if not pk and not form.has_changed():
            continue
        delete = bool(formset.can_delete and form.cleaned_data.get("DELETE"))
        if not pk and delete:
            continue
        item = {name: form.cleaned_data.get(name, "") for name in ContactForm.Meta.fields}
        items.append({**item, "id": pk, "delete": delete})
    return items


class DirectoryFilterForm(forms.Form):
    """Search and filters of the directory (GET); invalid values are simply not applied."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    city = forms.ChoiceField(label=_("City"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    has_contact = forms.ChoiceField(
        label=_("Contact person"),
        required=False,
        choices=[("", _("Any")), ("yes", _("With a contact")), ("no", _("Without a contact"))],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name (A–Z)")),
            ("-name", _("Name (Z–A)")),
            ("type", _("Type (A–Z)")),
            ("-type", _("Type (Z–A)")),
            ("city", _("City (A–Z)")),
            ("-city", _("City (Z–A)")),
            ("-matches", _("Most matches first")),
            ("matches", _("Fewest matches first")),
        ],
    )

    def __init__(self, *args: Any, cities: list[str], languages: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [("", _("All cities"))] + [(c, c) for c in cities]
        self.fields["type"].choices = [("", _("All types")), *PartnerType.choices]
        self.fields["language"].choices = [("", _("All languages"))] + [
            (code, code.upper()) for code in languages
        ]

    def values(self) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            valid = {}
            if self.is_bound:
                valid = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
            return {name: valid.get(name) or "" for name in self.fields}
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"),
        help_text=_("At most %(max)s MB. CSV files must be saved as “CSV UTF-8”.")
        % {"max": MAX_BYTES // 1024 // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUFFIXES)}),
    )


class MappingForm(forms.Form):
    """For each column of the file, the directory field it fills (or none)."""

    def __init__(self, *args: Any, headers: list[str], initial_mapping: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [("", _("— ignore this column —"))] + [
            (target.key, target.label) for target in TARGETS
        ]
        self.headers = headers
        for index, header in enumerate(headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header, choices=choices, required=False, initial=initial_mapping[index]
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for problem in check_mapping(self.mapping()):
            self.add_error(None, problem)
        return data

    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(f"col_{i}") or "" for i in range(len(self.headers))]
