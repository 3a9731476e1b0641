"""Selection pages: the applications, scoring against the criteria, decisions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from trademission.control.forms.selection import DecisionForm, ScoreForm
from trademission.control.views.mixins import MissionMixin
from trademission.participants.domain import selection as domain
from trademission.participants.domain.queries import selection as queries
from trademission.participants.enums import ParticipationStatus
from trademission.participants.models import Participation, Sme

PAGE_SIZE = 25


class SelectionMixin(MissionMixin):
    permission = "score_applications"
    change_permission = "score_applications"

    def get_participation(self) -> Participation:
        try:
            return queries.application(self.mission, self.kwargs["pk"])
        except Participation.DoesNotExist as exc:
            raise Http404 from exc


class SelectionListView(SelectionMixin, TemplateView):
    template_name = "control/selection/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        sort = self.request.GET.get("sort", "score")
        sort = sort if sort in queries.SORTS else "score"
        status = self.request.GET.get("status", "")
        status = status if status in ParticipationStatus.values else ""
        criteria = queries.criteria_of(self.mission)
        rows = queries.applications(self.mission, criteria=criteria, sort=sort, status=status)
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            page=page,
            sort=sort,
            status=status,
            statuses=ParticipationStatus.choices,
            criteria=criteria,
            max_total=sum(c.weight for c in criteria) * 5,
        )
        return context


class SelectionDetailView(SelectionMixin, TemplateView):
    """An application: profile, answers, history, scores and the advisor's input."""

    template_name = "control/selection/detail.html"

    def get_form(self, participation: Participation, criteria: list[Any]) -> ScoreForm:
        if self.request.method == "POST":
            return ScoreForm(self.request.POST, criteria=criteria)
        initial = {ScoreForm.field_name(k): v for k, v in participation.scores.items()}
        initial["advisor_input"] = participation.advisor_input
        return ScoreForm(initial=initial, criteria=criteria)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        participation = self.get_participation()
        criteria = queries.criteria_of(self.mission)
        weights = {c.key: c.weight for c in criteria}
        questions = {q["key"]: q["label"] for q in self.mission.application_questions}
        context.update(
            participation=participation,
            sme=participation.sme,
            criteria=criteria,
            total=domain.weighted_total(participation.scores, weights),
            max_total=sum(weights.values()) * 5,
            answers=[
                (questions.get(key, key), value)
                for key, value in participation.answers.items()
                if not key.startswith("_")
            ],
            differences=[
                (Sme._meta.get_field(key).verbose_name, value)
                for key, value in participation.answers.get(domain.PROFILE_DIFFERENCES, {}).items()
            ],
            contact=domain.applicant_contact(participation),
            form=kwargs.get("form") or self.get_form(participation, criteria),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        participation = self.get_participation()
        form = self.get_form(participation, queries.criteria_of(self.mission))
        if form.is_valid():
            domain.score_application(
                participation,
                scores=form.scores(),
                advisor_input=form.cleaned_data["advisor_input"],
            )
            messages.success(request, _("The scores have been saved."))
            return redirect(
                "control:selection_detail", mission=self.mission.slug, pk=participation.pk
            )
        return self.render_to_response(self.get_context_data(form=form))


class SelectionDecideView(SelectionMixin, TemplateView):
    """Decide and write to the applicant; the message is proposed in the contact's language."""

    template_name = "control/selection/decide.html"
    change_permission = "decide_applications"

    def get_form(self, participation: Participation) -> DecisionForm:
        if self.request.method == "POST":
            return DecisionForm(self.request.POST)
        status = self.request.GET.get("status", "")
        if status not in domain.DECISIONS:
            decided = participation.status in domain.DECISIONS
            status = participation.status if decided else ParticipationStatus.SELECTED
        message = domain.default_decision_message(participation, status)
        return DecisionForm(
            initial={"status": status, "message": message, "note": participation.decision_note}
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        participation = self.get_participation()
        contact = domain.applicant_contact(participation)
        context.update(
            participation=participation,
            sme=participation.sme,
            contact=contact,
            mail_language=domain.mail_language(contact),
            decisions=[(s, ParticipationStatus(s).label) for s in domain.DECISIONS],
            form=kwargs.get("form") or self.get_form(participation),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        participation = self.get_participation()
        form = self.get_form(participation)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        sent = domain.decide_application(
            participation,
            status=form.cleaned_data["status"],
            message=form.cleaned_data["message"],
            note=form.cleaned_data["note"],
            user=request.user,
        )
        if sent:
            messages.success(request, _("The decision has been recorded and sent by e-mail."))
        else:
            messages.warning(
                request,
                _("The decision has been recorded; the SME has no contact e-mail to send it to."),
            )
        return redirect("control:selection_detail", mission=self.mission.slug, pk=participation.pk)
