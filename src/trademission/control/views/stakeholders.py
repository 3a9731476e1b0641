"""The stakeholder directory of a mission: list, detail, create, edit, delete, export, contacts."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from trademission.control.forms.stakeholders import (
    ContactFormSet,
    DirectoryFilterForm,
    StakeholderForm,
    contacts_data,
)
from trademission.control.views.mixins import MissionMixin
from trademission.missions.rules import PERMISSIONS
from trademission.participants.domain.personal_data import erase_contact, export_contact
from trademission.participants.domain.queries.stakeholders import (
    SEARCH_LIMIT,
    SORTS,
    DirectoryFilter,
    directory_choices,
    search_stakeholders,
    stakeholder_detail,
    stakeholder_directory,
)
from trademission.participants.domain.stakeholders import (
    create_stakeholder,
    delete_stakeholder,
    update_stakeholder,
)
from trademission.participants.interfaces.xlsx import stakeholders_workbook
from trademission.participants.models import ContactPerson, Stakeholder


class RequiresMixin(MissionMixin):
    """A mission page that needs ``requires`` for every method: 403 without it."""

    requires: str | None = None

    def may(self, permission: str) -> bool:
        return self.role in PERMISSIONS[permission]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_requires()
        return super().get(request, *args, **kwargs)  # type: ignore[misc, no-any-return]

    def check_requires(self) -> None:
        if self.requires and not self.may(self.requires):
            raise PermissionDenied


class StakeholderSearchView(MissionMixin, TemplateView):
    """At most ``SEARCH_LIMIT`` stakeholders whose name contains ``?q=``, as radio buttons.

    The fragment a :class:`~trademission.control.forms.fields.SearchWidget` asks for by htmx:
    ``?field=`` names the radio buttons (the form field's HTML name), and
    ``?exclude_matched_for=<participation id>`` leaves out the stakeholders already matched with
    that participation of the mission (another mission's participation is a 404).
    """

    template_name = "control/stakeholders/_search_results.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        matched_for = None
        wanted = self.request.GET.get("exclude_matched_for", "")
        if wanted:
            if not wanted.isdigit():
                raise Http404
            matched_for = get_object_or_404(self.mission.participations, pk=wanted)
        field = self.request.GET.get("field", "")
        if not re.fullmatch(r"[\w-]{1,60}", field):
            field = "stakeholder"
        q = self.request.GET.get("q", "")
        context.update(
            q=q.strip(),
            field=field,
            limit=SEARCH_LIMIT,
            results=search_stakeholders(self.mission, q, exclude_matched_for=matched_for),
        )
        return context


def list_url(mission_slug: str) -> str:
    return reverse("control:stakeholders", kwargs={"mission": mission_slug})


class StakeholderListView(MissionMixin, ListView):
    template_name = "control/stakeholders/list.html"
    context_object_name = "stakeholders"
    paginate_by = 50

    def get_queryset(self) -> Any:
        choices = directory_choices(self.mission)
        self.filter_form = DirectoryFilterForm(
            self.request.GET or None, cities=choices["cities"], languages=choices["languages"]
        )
        values = self.filter_form.values()
        self.filters = DirectoryFilter(**{k: v for k, v in values.items()})
        return stakeholder_directory(self.mission, self.filters)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        params = {k: v for k, v in self.filter_form.values().items() if v and k != "sort"}
        current = self.filters.sort or "name"
        columns = []
        for key, label in (
            ("name", _("Name")),
            ("type", _("Type")),
            ("city", _("City")),
            ("matches", _("Matches")),
        ):
            active = current.lstrip("-") == key
            descending = current.startswith("-")
            next_sort = f"-{key}" if active and not descending else key
            columns.append(
                {
                    "key": key,
                    "label": label,
                    "url": "?" + urlencode({**params, "sort": next_sort}),
                    "aria_sort": ("descending" if descending else "ascending") if active else "",
                }
            )
        context.update(
            filter_form=self.filter_form,
            columns=columns,
            page_query=urlencode({**params, "sort": current}) if SORTS else "",
            filtered=bool(params),
        )
        return context


class StakeholderDetailView(MissionMixin, TemplateView):
    template_name = "control/stakeholders/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        try:
            context["stakeholder"] = stakeholder_detail(self.mission, self.kwargs["pk"])
        except Stakeholder.DoesNotExist as exc:
            raise Http404 from exc
        return context


class StakeholderFormView(RequiresMixin, TemplateView):
    """Create (no ``pk``) or edit an entry with its contact persons."""

    template_name = "control/stakeholders/form.html"
    permission = "view_mission"
    change_permission = "change_stakeholders"
    requires = "change_stakeholders"

    def get_object(self) -> Stakeholder | None:
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(
            Stakeholder.objects.select_related("organisation", "mission"),
            mission=self.mission,
            pk=self.kwargs["pk"],
        )

    def forms(self, data: Any = None) -> tuple[StakeholderForm, Any]:
        instance = self.get_object()
        form = StakeholderForm(data, mission=self.mission, instance=instance)
        formset = None
        if self.may("view_stakeholder_contacts"):
            formset = ContactFormSet(data, instance=instance or Stakeholder(), prefix="contacts")
        return form, formset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if "form" not in kwargs:
            context["form"], context["formset"] = self.forms()
        context["stakeholder"] = context["form"].instance if "pk" in self.kwargs else None
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_requires()
        form, formset = self.forms(request.POST)
        valid = form.is_valid()
        valid = (formset is None or formset.is_valid()) and valid
        if valid:
            contacts = contacts_data(formset) if formset is not None else []
            try:
                if form.instance.pk:
                    entry = update_stakeholder(
                        form.instance,
                        organisation=form.organisation_data(),
                        fields=form.stakeholder_fields(),
                        contacts=contacts,
                    )
                    messages.success(request, _("The changes are saved."))
                else:
                    entry = create_stakeholder(
                        self.mission,
                        organisation=form.organisation_data(),
                        fields=form.stakeholder_fields(),
                        contacts=contacts,
                    )
                    messages.success(
                        request,
                        _("%(name)s is added to the directory.")
                        % {"name": entry.organisation.name},
                    )
            except ValidationError as exc:
                _attach_errors(form, exc)
            else:
                return redirect(
                    "control:stakeholders_detail", mission=self.mission.slug, pk=entry.pk
                )
        return self.render_to_response(
            self.get_context_data(form=form, formset=formset), status=200
        )


def _attach_errors(form: StakeholderForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class StakeholderDeleteView(RequiresMixin, TemplateView):
    template_name = "control/stakeholders/delete.html"
    change_permission = "change_stakeholders"
    requires = "change_stakeholders"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        try:
            context["stakeholder"] = stakeholder_detail(self.mission, self.kwargs["pk"])
        except Stakeholder.DoesNotExist as exc:
            raise Http404 from exc
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_requires()
        entry = get_object_or_404(
            Stakeholder.objects.select_related("organisation"),
            mission=self.mission,
            pk=kwargs["pk"],
        )
        name = entry.organisation.name
        delete_stakeholder(entry)
        messages.success(request, _("%(name)s is removed from the directory.") % {"name": name})
        return redirect(list_url(self.mission.slug))


class StakeholderExportView(RequiresMixin, TemplateView):
    requires = "change_stakeholders"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_requires()
        content = stakeholders_workbook(
            self.mission, with_contacts=self.may("view_stakeholder_contacts")
        )
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        filename = f"stakeholders-{self.mission.slug}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class ContactMixin(RequiresMixin):
    requires = "manage_personal_data"
    change_permission = "manage_personal_data"

    def get_contact(self) -> ContactPerson:
        return get_object_or_404(
            ContactPerson.objects.select_related(
                "stakeholder__organisation", "stakeholder__mission"
            ),
            stakeholder__mission=self.mission,
            stakeholder__pk=self.kwargs["pk"],
            pk=self.kwargs["contact"],
        )


class ContactExportView(ContactMixin, TemplateView):
    """The contact's personal data as a JSON download."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_requires()
        contact = self.get_contact()
        response = HttpResponse(
            json.dumps(export_contact(contact), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        filename = f"contact-{slugify(contact.name) or contact.pk}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class ContactEraseView(ContactMixin, TemplateView):
    template_name = "control/stakeholders/erase_contact.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["contact"] = self.get_contact()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_requires()
        contact = self.get_contact()
        erase_contact(contact)
        messages.success(request, _("The contact person's data is erased."))
        return redirect("control:stakeholders_detail", mission=self.mission.slug, pk=kwargs["pk"])
