"""The public application form of a mission's SME call."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from trademission.control.forms.fields import CodeListField, ListField
from trademission.missions.models import Mission
from trademission.participants.enums import PartnerType
from trademission.participants.models import Sme


class ApplicationForm(forms.ModelForm):
    cluster = forms.ModelChoiceField(
        queryset=None,  # type: ignore[arg-type]
        label=_("Your cluster"),
        help_text=_("The partner of the project your company is a member of."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    technologies = ListField(label=_("Technologies"))
    keywords = ListField(label=_("Keywords"))
    sectors = ListField(label=_("Sectors"), help_text=_("e.g. defence, security, space"))
    markets = CodeListField(
        upper=True, label=_("Markets"), help_text=_("Countries you sell to, e.g. CA, US, DE")
    )
    languages = CodeListField(
        label=_("Languages spoken"), help_text=_("Two-letter codes, e.g. en, fr")
    )
    partner_types_sought = forms.MultipleChoiceField(
        label=_("Partner types sought"),
        choices=PartnerType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_name = forms.CharField(label=_("Name of the contact person"), max_length=200)
    contact_role = forms.CharField(label=_("Position"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("E-mail of the contact person"))
    contact_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    contact_language = forms.ChoiceField(
        label=_("Language for our messages"), choices=settings.LANGUAGES
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the organisers process these personal data to run the selection "
            "and the mission."
        ),
        error_messages={"required": _("We need your consent to process your application.")},
    )

    class Meta:
        model = Sme
        fields = [
            "name",
            "country",
            "city",
            "website",
            "cluster",
            "description",
            "technologies",
            "keywords",
            "trl",
            "sectors",
            "markets",
            "partner_types_sought",
            "expectations",
            "languages",
            "export_controlled",
        ]
        labels = {"name": _("Company name"), "country": _("Country (ISO code, e.g. FR)")}
        widgets = {
            "description": forms.Textarea({"rows": 5}),
            "expectations": forms.Textarea({"rows": 3}),
        }

    def __init__(self, *args: Any, mission: Mission, language: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mission = mission
        self.fields["cluster"].queryset = mission.project.partners.order_by("name")
        self.fields["contact_language"].initial = language
        self.fields["expectations"].label = _("What do you expect from this mission?")
        self.question_keys = []
        for question in mission.application_questions:
            name = f"q_{question['key']}"
            self.question_keys.append((question["key"], name))
            self.fields[name] = forms.CharField(
                label=question["label"],
                required=bool(question.get("required")),
                widget=forms.Textarea({"rows": 3}),
            )

    def clean_country(self) -> str:
        value = self.cleaned_data["country"].strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", value):
            raise forms.ValidationError(_("Use the two-letter ISO code, e.g. FR."))
        return value

    def profile(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["profile_language"] = self.cleaned_data["contact_language"]
        return data

    def contact(self) -> dict[str, Any]:
        return {
            key: self.cleaned_data[f"contact_{key}"]
            for key in ("name", "role", "email", "phone", "language")
        }

    def answers(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(name, "") for key, name in self.question_keys}

    def fieldsets(self) -> list[tuple[str, list[Any]]]:
        """The form in sections, for the template."""
        groups = [
            (
                _("Your company"),
                ["name", "country", "city", "website", "cluster", "description", "trl"],
            ),
            (
                _("Technology and markets"),
                [
                    "technologies",
                    "keywords",
                    "sectors",
                    "markets",
                    "languages",
                    "partner_types_sought",
                    "export_controlled",
                    "expectations",
                ],
            ),
            (_("Questions of this mission"), [name for _key, name in self.question_keys]),
            (
                _("Contact person"),
                [
                    "contact_name",
                    "contact_role",
                    "contact_email",
                    "contact_phone",
                    "contact_language",
                    "consent",
                ],
            ),
        ]
        return [(str(legend), [self[name] for name in names]) for legend, names in groups if names]
