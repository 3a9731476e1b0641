"""Set-up pages of a mission: basics, itinerary, venues, programme, calendar, criteria, call.

HTTP only: each POST validates a form and calls one function of missions/domain/setup.py.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from trademission.control.forms import setup as forms
from trademission.control.views.mixins import MissionMixin
from trademission.missions.domain import setup as domain
from trademission.missions.domain.queries.setup import coordinated_projects
from trademission.missions.models import ItineraryStop, Mission, ProgrammeItem, Venue
from trademission.participants.models import SelectionCriterion


class SetupMixin(MissionMixin):
    permission = "view_mission"
    change_permission = "change_setup"


# --- the mission's own fields, edited with optimistic locking -----------------------------


class MissionFormView(SetupMixin, TemplateView):
    """Edit some fields of the mission; a concurrent save is reported, never overwritten."""

    form_class: type[forms.forms.ModelForm]
    success: Promise

    def get_form(self) -> Any:
        data = self.request.POST if self.request.method == "POST" else None
        return self.form_class(data, instance=copy.copy(self.mission))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form", self.get_form())
        return super().get_context_data(**kwargs)

    def fields(self, form: Any) -> dict[str, Any]:
        return {name: form.cleaned_data[name] for name in form.Meta.fields}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        if form.is_valid():
            try:
                domain.update_mission(
                    self.mission, version=form.cleaned_data["version"], fields=self.fields(form)
                )
            except domain.StaleEdit:
                form.add_error(
                    None,
                    _(
                        "Somebody else saved this mission while you were editing it. "
                        "Reload the page to see their changes, then make yours again."
                    ),
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, str(self.success))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form))


class SetupBasicsView(MissionFormView):
    template_name = "control/setup/basics.html"
    form_class = forms.MissionBasicsForm
    success = gettext_lazy("The mission has been saved.")


class SetupCalendarView(MissionFormView):
    template_name = "control/setup/calendar.html"
    form_class = forms.CalendarForm
    success = gettext_lazy("The meeting calendar has been saved.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        city_of = {}
        for stop in self.mission.stops.all():
            for day in Mission(start=stop.start, end=stop.end).days:
                city_of[day] = stop.city
        context["days"] = [(day, city_of.get(day, "")) for day in self.mission.days]
        return context


class SetupCallView(MissionFormView):
    template_name = "control/setup/call.html"
    form_class = forms.CallForm
    success = gettext_lazy("The call settings have been saved.")

    def get_questions(self) -> Any:
        if self.request.method == "POST":
            return forms.QuestionFormSet(self.request.POST, prefix="q")
        return forms.QuestionFormSet(initial=self.mission.application_questions, prefix="q")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("questions", self.get_questions())
        context = super().get_context_data(**kwargs)
        context["apply_url"] = self.request.build_absolute_uri(f"/p/apply/{self.mission.slug}/")
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        questions = self.get_questions()
        if not questions.is_valid():
            form = self.get_form()
            form.is_valid()
            return self.render_to_response(self.get_context_data(form=form, questions=questions))
        self.questions = questions.questions()
        return super().post(request, *args, **kwargs)

    def get_form(self) -> Any:
        form = super().get_form()
        if self.request.method == "POST" and hasattr(self, "questions"):
            form.instance.application_questions = self.questions
        return form

    def fields(self, form: Any) -> dict[str, Any]:
        return {**super().fields(form), "application_questions": self.questions}


# --- rows that belong to the mission: list + add, edit, delete (after confirmation) -----


@dataclass(frozen=True)
class RowKind:
    """How the generic list/edit/delete views handle one kind of set-up row."""

    name: str  # singular URL part: stop, venue, programme, criterion
    list_url: str
    template: str
    queryset: Callable[[Mission], QuerySet[Any]]
    new: Callable[[Mission], Model]
    form_class: type[Any]
    save: Callable[[Any], Any]
    added: Promise
    saved: Promise
    deleted: Promise
    form_kwargs: Callable[[Mission], dict[str, Any]] = field(default=lambda m: {})


KINDS = {
    "stop": RowKind(
        name="stop",
        list_url="setup_itinerary",
        template="control/setup/itinerary.html",
        queryset=lambda m: m.stops.all(),
        new=lambda m: ItineraryStop(mission=m),
        form_class=forms.StopForm,
        save=lambda form: domain.save_stop(form.instance),
        added=gettext_lazy("The stop has been added."),
        saved=gettext_lazy("The stop has been saved."),
        deleted=gettext_lazy("The stop has been deleted."),
    ),
    "venue": RowKind(
        name="venue",
        list_url="setup_venues",
        template="control/setup/venues.html",
        queryset=lambda m: m.venues.all(),
        new=lambda m: Venue(mission=m),
        form_class=forms.VenueForm,
        save=lambda form: domain.save_venue(form.instance),
        added=gettext_lazy("The venue has been added."),
        saved=gettext_lazy("The venue has been saved."),
        deleted=gettext_lazy("The venue has been deleted."),
    ),
    "programme": RowKind(
        name="programme",
        list_url="setup_programme",
        template="control/setup/programme.html",
        queryset=lambda m: (
            m.programme.select_related("venue").prefetch_related("attendees__sme").order_by("start")
        ),
        new=lambda m: ProgrammeItem(mission=m),
        form_class=forms.ProgrammeItemForm,
        save=lambda form: domain.save_programme_item(
            form.instance, attendees=list(form.cleaned_data["attendees"])
        ),
        added=gettext_lazy("The programme item has been added."),
        saved=gettext_lazy("The programme item has been saved."),
        deleted=gettext_lazy("The programme item has been deleted."),
        form_kwargs=lambda m: {"mission": m},
    ),
    "criterion": RowKind(
        name="criterion",
        list_url="setup_criteria",
        template="control/setup/criteria.html",
        queryset=lambda m: m.criteria.all(),
        new=lambda m: SelectionCriterion(mission=m),
        form_class=forms.CriterionForm,
        save=lambda form: domain.save_criterion(form.instance),
        added=gettext_lazy("The criterion has been added."),
        saved=gettext_lazy("The criterion has been saved."),
        deleted=gettext_lazy("The criterion has been deleted."),
    ),
}


class RowMixin(SetupMixin):
    kind: RowKind = KINDS["stop"]  # set per URL with as_view(kind=...)

    def make_form(self, instance: Model) -> Any:
        data = self.request.POST if self.request.method == "POST" else None
        return self.kind.form_class(data, instance=instance, **self.kind.form_kwargs(self.mission))

    def get_row(self) -> Any:
        return get_object_or_404(self.kind.queryset(self.mission), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["kind"] = self.kind
        return context

    def save_form(self, form: Any, done: Promise) -> HttpResponse | None:
        if not form.is_valid():
            return None
        try:
            self.kind.save(form)
        except ValidationError as exc:  # a rule broken by a concurrent change
            form.add_error(None, exc.messages)
            return None
        messages.success(self.request, str(done))
        return redirect(f"control:{self.kind.list_url}", mission=self.mission.slug)


class RowListView(RowMixin, TemplateView):
    def get_template_names(self) -> list[str]:
        return [self.kind.template]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form", self.make_form(self.kind.new(self.mission)))
        context = super().get_context_data(**kwargs)
        context["rows"] = list(self.kind.queryset(self.mission))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.make_form(self.kind.new(self.mission))
        response = self.save_form(form, self.kind.added)
        return response or self.render_to_response(self.get_context_data(form=form))


class RowEditView(RowMixin, TemplateView):
    template_name = "control/setup/row_edit.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        row = self.get_row()
        kwargs.setdefault("form", self.make_form(row))
        kwargs["row"] = row
        return super().get_context_data(**kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.make_form(self.get_row())
        response = self.save_form(form, self.kind.saved)
        return response or self.render_to_response(self.get_context_data(form=form))


class RowDeleteView(RowMixin, TemplateView):
    template_name = "control/setup/row_delete.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs["row"] = self.get_row()
        return super().get_context_data(**kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        domain.delete_setup_row(self.get_row())
        messages.success(request, str(self.kind.deleted))
        return redirect(f"control:{self.kind.list_url}", mission=self.mission.slug)


# --- a new mission, for staff of a coordinating organisation -----------------------------


class NewMissionView(LoginRequiredMixin, TemplateView):
    template_name = "control/setup/new_mission.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.projects = coordinated_projects(request.user)
            if not self.projects.exists():
                raise Http404  # only coordinators create missions
        return super().dispatch(request, *args, **kwargs)

    def get_form(self) -> forms.NewMissionForm:
        data = self.request.POST if self.request.method == "POST" else None
        return forms.NewMissionForm(data, projects=self.projects)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form", self.get_form())
        return super().get_context_data(**kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        if form.is_valid():
            data = dict(form.cleaned_data)
            mission = domain.create_mission(data.pop("project"), **data)
            messages.success(request, _("The mission has been created. Now set it up."))
            return redirect("control:setup", mission=mission.slug)
        return self.render_to_response(self.get_context_data(form=form))
