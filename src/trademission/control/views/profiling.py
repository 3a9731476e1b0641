"""Advisor profiling of the selected SMEs: notes, expectations, wishes and exclusions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from trademission.control.forms.profiling import (
    AdvisorNoteForm,
    ExclusionForm,
    ExpectationsForm,
    WishForm,
)
from trademission.control.views.mixins import MissionMixin
from trademission.meetings.enums import MatchDecision, MatchSource
from trademission.participants.domain import profiling as domain
from trademission.participants.domain.queries import profiling as queries
from trademission.participants.models import AdvisorNote, Participation

PAGE_SIZE = 25


class ProfilingMixin(MissionMixin):
    permission = "profile_smes"
    change_permission = "profile_smes"


class ProfilingListView(ProfilingMixin, TemplateView):
    template_name = "control/profiling/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = queries.selected_participations(self.mission)
        context["page"] = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return context


class ProfileView(ProfilingMixin, TemplateView):
    """One selected SME; the forms on it post to the action views below."""

    template_name = "control/profiling/sme.html"
    bound: str = ""  # the form this view handles on POST

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self._participation: Participation | None = None

    @property
    def participation(self) -> Participation:
        if self._participation is None:
            try:
                self._participation = queries.profile(self.mission, self.kwargs["pk"])
            except Participation.DoesNotExist as exc:
                raise Http404 from exc
        return self._participation

    def make_form(self, name: str) -> Any:
        data = self.request.POST if self.request.method == "POST" and name == self.bound else None
        p = self.participation
        if name == "note":
            return AdvisorNoteForm(data, prefix="note")
        if name == "expectations":
            initial = {
                "expectations": p.sme.expectations,
                "partner_types_sought": p.sme.partner_types_sought,
            }
            return ExpectationsForm(data, initial=initial, prefix="exp")
        if name == "wish":
            return WishForm(data, participation=p, prefix="wish")
        return ExclusionForm(data, participation=p, prefix="excl")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        p = self.participation
        forms = {
            name: self.make_form(name) for name in ("note", "expectations", "wish", "exclusion")
        }
        forms.update(kwargs.get("forms", {}))
        context.update(participation=p, sme=p.sme, forms=forms)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.bound:  # the detail page itself takes no POST
            return self.http_method_not_allowed(request, *args, **kwargs)
        form = self.make_form(self.bound)
        if form.is_valid():
            try:
                message = self.act(form)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, message)
                return redirect(self.participation_url())
        return self.render_to_response(self.get_context_data(forms={self.bound: form}))

    def act(self, form: Any) -> str:
        raise NotImplementedError

    def participation_url(self) -> str:
        from django.urls import reverse

        return reverse(
            "control:profiling_sme", kwargs={"mission": self.mission.slug, "pk": self.kwargs["pk"]}
        )


class AddNoteView(ProfileView):
    bound = "note"

    def act(self, form: AdvisorNoteForm) -> str:
        domain.save_advisor_note(
            self.participation, author=self.request.user, note_id=None, **form.cleaned_data
        )
        return _("The note has been added.")


class ExpectationsView(ProfileView):
    bound = "expectations"

    def act(self, form: ExpectationsForm) -> str:
        domain.update_expectations(self.participation.sme, **form.cleaned_data)
        return _("The expectations have been saved.")


class AddWishView(ProfileView):
    bound = "wish"

    def act(self, form: WishForm) -> str:
        domain.add_wish(self.participation, **form.cleaned_data)
        return _("The wish has been recorded.")


class AddExclusionView(ProfileView):
    bound = "exclusion"

    def act(self, form: ExclusionForm) -> str:
        domain.exclude_stakeholder(self.participation, **form.cleaned_data)
        return _("The exclusion has been recorded: this pair will never be proposed.")


class NoteMixin(ProfilingMixin):
    def get_note(self) -> AdvisorNote:
        return get_object_or_404(
            AdvisorNote.objects.select_related("participation__sme"),
            participation__mission=self.mission,
            participation__pk=self.kwargs["pk"],
            pk=self.kwargs["note"],
        )

    def back(self) -> HttpResponse:
        return redirect("control:profiling_sme", mission=self.mission.slug, pk=self.kwargs["pk"])


class EditNoteView(NoteMixin, TemplateView):
    template_name = "control/profiling/note_edit.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        note = self.get_note()
        kwargs.setdefault(
            "form", AdvisorNoteForm(initial={"date": note.date, "text": note.text}, prefix="note")
        )
        kwargs.update(note=note, sme=note.participation.sme)
        return super().get_context_data(**kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        note = self.get_note()
        form = AdvisorNoteForm(request.POST, prefix="note")
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        domain.save_advisor_note(
            note.participation, author=note.author, note_id=note.pk, **form.cleaned_data
        )
        messages.success(request, _("The note has been saved."))
        return self.back()


class DeleteNoteView(NoteMixin, TemplateView):
    template_name = "control/profiling/confirm.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        note = self.get_note()
        kwargs.update(
            sme=note.participation.sme,
            question=_("Delete the note of %(date)s?") % {"date": note.date.isoformat()},
        )
        return super().get_context_data(**kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        domain.delete_advisor_note(self.get_note())
        messages.success(request, _("The note has been deleted."))
        return self.back()


class RemoveMatchView(NoteMixin, TemplateView):
    """Withdraw a wish or lift an exclusion, after confirmation."""

    template_name = "control/profiling/confirm.html"

    def get_match(self) -> Any:
        match = get_object_or_404(
            self.mission.matches.select_related("participation__sme", "stakeholder__organisation"),
            participation__pk=self.kwargs["pk"],
            pk=self.kwargs["match"],
        )
        is_wish = match.source == MatchSource.WISH
        if not (is_wish or match.decision == MatchDecision.EXCLUDED):
            raise Http404
        return match

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        match = self.get_match()
        name = match.stakeholder.organisation.name
        if match.decision == MatchDecision.EXCLUDED:
            question = _("Lift the exclusion of %(name)s?") % {"name": name}
        else:
            question = _("Withdraw the wish to meet %(name)s?") % {"name": name}
        kwargs.update(sme=match.participation.sme, question=question)
        return super().get_context_data(**kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        domain.remove_wish_or_exclusion(self.get_match())
        messages.success(request, _("Done."))
        return self.back()
