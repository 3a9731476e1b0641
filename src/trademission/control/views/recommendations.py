"""Recommendations: per SME and per stakeholder, with explanations, curated by the advisor.

Row actions (accept, reject, priority) answer an htmx request with the re-drawn row and a plain
POST with a redirect back to the page; bulk actions and adding by hand redirect. The state of
the background matching job is a small fragment that polls itself while the job is unfinished.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import ListView, TemplateView

from trademission.control.forms.recommendations import (
    AddSmeForm,
    AddStakeholderForm,
    BulkForm,
    DecisionForm,
    PriorityForm,
)
from trademission.control.views.mixins import MissionMixin
from trademission.core.models.job import JobStatus
from trademission.meetings.domain import curation
from trademission.meetings.domain.queries import recommendations as queries
from trademission.meetings.enums import MatchDecision
from trademission.meetings.jobs import is_stale, start_matching
from trademission.meetings.models import Match
from trademission.participants.enums import ParticipationStatus
from trademission.participants.models import Participation, Stakeholder

FILTERS = [
    ("", gettext_lazy("All")),
    (MatchDecision.PENDING, gettext_lazy("To review")),
    (MatchDecision.ACCEPTED, gettext_lazy("Accepted")),
    (MatchDecision.REJECTED, gettext_lazy("Rejected")),
]
ROW_TEMPLATE = "control/recommendations/_match_row.html"
JOB_TEMPLATE = "control/recommendations/_job_status.html"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def job_context(mission: Any) -> dict[str, Any]:
    job = queries.latest_matching_job(mission)
    stale = job is not None and is_stale(job)
    return {
        "job": job,
        "job_stale": stale,
        "job_unfinished": not stale
        and job is not None
        and job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
    }


class RecommendationsView(MissionMixin, ListView):  # type: ignore[type-arg]
    """The selected SMEs with their counts; POST starts a recompute (``curate_matches``)."""

    template_name = "control/recommendations/index.html"
    change_permission = "curate_matches"
    paginate_by = 50
    context_object_name = "rows"

    def get_queryset(self) -> QuerySet[Participation]:
        return queries.sme_rows(self.mission)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(job_context(self.mission), view="smes")
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        start_matching(self.mission, user=request.user)
        if _is_htmx(request):
            context = {"mission": self.mission, "was_unfinished": True}
            return render(request, JOB_TEMPLATE, {**context, **job_context(self.mission)})
        messages.success(request, _("The recommendations are being recomputed."))
        return HttpResponseRedirect(request.get_full_path())


class RecommendationsByStakeholderView(MissionMixin, ListView):  # type: ignore[type-arg]
    template_name = "control/recommendations/stakeholders.html"
    paginate_by = 50
    context_object_name = "rows"

    def get_queryset(self) -> QuerySet[Stakeholder]:
        return queries.stakeholder_rows(self.mission)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(job_context(self.mission), view="stakeholders")
        return context


class JobStatusView(MissionMixin, TemplateView):
    """The matching job's state as a fragment; polled by the pages while it is unfinished."""

    template_name = JOB_TEMPLATE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(job_context(self.mission))
        context["was_unfinished"] = self.request.GET.get("polling") == "1"
        return context


class _CurationView(MissionMixin, ListView):  # type: ignore[type-arg]
    """The ranked matches of one subject (an SME or a stakeholder) and the advisor's actions."""

    change_permission = "curate_matches"
    paginate_by = 50
    context_object_name = "matches"
    side: str  # "sme": the rows are stakeholders; "stakeholder": the rows are SMEs

    def subject_filter(self) -> dict[str, Any]:
        raise NotImplementedError

    def add_form(self, data: Any = None) -> AddSmeForm | AddStakeholderForm:
        raise NotImplementedError

    def add(self, form: Any) -> Match:
        raise NotImplementedError

    def matches(self) -> QuerySet[Match]:
        return queries.ranked_matches(self.mission, **self.subject_filter())

    def decision_filter(self) -> str:
        """``?decision=`` narrows the list to one decision (pending, accepted, rejected)."""
        wanted = self.request.GET.get("decision", "")
        return wanted if wanted in curation.CURATION_DECISIONS else ""

    def get_queryset(self) -> QuerySet[Match]:
        wanted = self.decision_filter()
        return self.matches().filter(decision=wanted) if wanted else self.matches()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = list(context["matches"])
        for match in rows:
            self.decorate(match)
        context.update(
            job_context(self.mission),
            matches=rows,
            side=self.side,
            action_url=self.request.get_full_path(),
            decision_filter=self.decision_filter(),
            decision_filters=FILTERS,
            exclusions=list(queries.exclusions(self.mission, **self.subject_filter())),
            add_form=kwargs.get("add_form") or self.add_form(),
            bulk_form=kwargs.get("bulk_form") or BulkForm(matches=self.matches()),
            priority_choices=PriorityForm.base_fields["priority"].choices,  # type: ignore[attr-defined]
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = request.POST.get("action")
        if action in ("decide", "priority"):
            return self.row_action(request, action)
        if action == "bulk":
            return self.bulk_action(request)
        if action == "add":
            return self.add_action(request)
        messages.error(request, _("Unknown action."))
        return HttpResponseRedirect(request.get_full_path())

    def row_action(self, request: HttpRequest, action: str) -> HttpResponse:
        form_class = DecisionForm if action == "decide" else PriorityForm
        form = form_class(request.POST, matches=self.matches())
        error = ""
        match = None
        if form.is_valid():
            match = form.cleaned_data["match"]
            try:
                if action == "decide":
                    curation.decide_match(
                        match, decision=form.cleaned_data["decision"], user=request.user
                    )
                else:
                    curation.set_priority(match, priority=form.cleaned_data["priority"])
            except curation.CurationError as exc:
                error = str(exc)
        else:
            error = _("This row has changed meanwhile; here is the page as it is now.")
        if _is_htmx(request):
            current = self.matches().filter(pk=match.pk).first() if match is not None else None
            if current is None:
                # The row is gone (excluded or deleted meanwhile): reload the page with a message.
                messages.error(
                    request,
                    error or _("This row has changed meanwhile; here is the page as it is now."),
                )
                return HttpResponse(headers={"HX-Refresh": "true"})
            self.decorate(current)
            return render(
                request,
                ROW_TEMPLATE,
                {
                    "match": current,
                    "rank": form.cleaned_data.get("rank"),
                    "side": self.side,
                    "mission": self.mission,
                    "action_url": request.get_full_path(),
                    "can": {"curate_matches": True},
                    "priority_choices": PriorityForm.base_fields["priority"].choices,  # type: ignore[attr-defined]
                    "row_error": error,
                },
            )
        if error:
            messages.error(request, error)
        elif match is not None:
            messages.success(request, _("Saved: %(name)s.") % {"name": self.row_name(match)})
        return HttpResponseRedirect(request.get_full_path())

    def decorate(self, match: Match) -> None:
        """What a row shows beyond the model: the explanation in parts, the other side's name."""
        match.reading = queries.read_explanation(match.explanation)  # type: ignore[attr-defined]
        match.counterpart_name = self.row_name(match)  # type: ignore[attr-defined]

    def row_name(self, match: Match) -> str:
        return match.stakeholder.name if self.side == "sme" else match.participation.sme.name

    def bulk_action(self, request: HttpRequest) -> HttpResponse:
        form = BulkForm(request.POST, matches=self.matches())
        if not form.is_valid():
            self.object_list = self.get_queryset()
            return self.render_to_response(self.get_context_data(bulk_form=form), status=400)
        ids = [match.pk for match in form.cleaned_data["matches"]]
        choice = form.cleaned_data["bulk_action"]
        if choice.startswith("priority-"):
            count = curation.bulk_set_priority(self.mission, ids, priority=int(choice[-1]))
        else:
            count = curation.bulk_decide(self.mission, ids, decision=choice)
        messages.success(
            request,
            ngettext("%(count)d row changed.", "%(count)d rows changed.", count) % {"count": count},
        )
        return HttpResponseRedirect(request.get_full_path())

    def add_action(self, request: HttpRequest) -> HttpResponse:
        form = self.add_form(request.POST)
        if form.is_valid():
            try:
                match = self.add(form)
            except curation.CurationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("Added and accepted: %(name)s.") % {"name": self.row_name(match)}
                )
                return HttpResponseRedirect(request.get_full_path())
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(add_form=form), status=400)


class SmeRecommendationsView(_CurationView):
    template_name = "control/recommendations/sme.html"
    side = "sme"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self._participation: Participation | None = None

    @property
    def participation(self) -> Participation:
        if self._participation is None:
            self._participation = get_object_or_404(
                # through the mission: ``participation.mission`` is then known, not re-read
                self.mission.participations.select_related("sme"),
                status=ParticipationStatus.SELECTED,
                pk=self.kwargs["participation"],
            )
        return self._participation

    def subject_filter(self) -> dict[str, Any]:
        return {"participation": self.participation}

    def add_form(self, data: Any = None) -> AddStakeholderForm:
        return AddStakeholderForm(data, participation=self.participation)

    def add(self, form: Any) -> Match:
        return curation.add_manual_match(
            self.participation, form.cleaned_data["stakeholder"], user=self.request.user
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["participation"] = self.participation
        context["back_url"] = reverse(
            "control:recommendations", kwargs={"mission": self.mission.slug}
        )
        return context


class StakeholderRecommendationsView(_CurationView):
    template_name = "control/recommendations/stakeholder.html"
    side = "stakeholder"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self._stakeholder: Stakeholder | None = None

    @property
    def stakeholder(self) -> Stakeholder:
        if self._stakeholder is None:
            self._stakeholder = get_object_or_404(
                Stakeholder.objects.select_related("organisation"),
                mission=self.mission,
                pk=self.kwargs["stakeholder"],
            )
        return self._stakeholder

    def subject_filter(self) -> dict[str, Any]:
        return {"stakeholder": self.stakeholder}

    def add_form(self, data: Any = None) -> AddSmeForm:
        return AddSmeForm(data, choices=queries.addable_participations(self.stakeholder))

    def add(self, form: Any) -> Match:
        return curation.add_manual_match(
            form.cleaned_data["participation"], self.stakeholder, user=self.request.user
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["stakeholder"] = self.stakeholder
        context["back_url"] = reverse(
            "control:recommendations_stakeholders", kwargs={"mission": self.mission.slug}
        )
        return context
