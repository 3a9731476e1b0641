"""Building the plan: start the optimiser in the background, follow it, cancel it, read the
result; publish the plan. The board and hand edits are in ``plan_board.py``.

The job's state is a small fragment that polls itself every second while the job runs; when
the job ends the fragment asks htmx to reload the page, which then shows the result.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from trademission.control.forms.plan import BuildForm, PublishForm
from trademission.control.views.mixins import MissionMixin
from trademission.core.domain.jobs import request_cancel
from trademission.core.models import Job
from trademission.core.models.job import JobStatus
from trademission.meetings.domain import planning
from trademission.meetings.enums import MeetingStatus, RequestStatus
from trademission.meetings.plan_jobs import (
    KIND,
    AlreadyRunning,
    current_planning_job,
    start_planning,
)

STATUS_TEMPLATE = "control/plan/_job_status.html"
PHASES = {
    "start": gettext_lazy("Preparing"),
    "meetings": gettext_lazy("Placing as many meetings as possible"),
    "moved": gettext_lazy("Moving as few meetings as possible"),
    "breaks": gettext_lazy("Reducing idle breaks"),
}


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def job_context(mission: Any) -> dict[str, Any]:
    job = current_planning_job(mission)
    progress = job.progress if job is not None else {}
    return {
        "job": job,
        "job_unfinished": job is not None,
        "phase_label": PHASES.get(progress.get("phase", "start"), progress.get("phase", "")),
    }


class PlanView(MissionMixin, TemplateView):
    """The build page: start button, live progress, the last result, the history of runs."""

    template_name = "control/plan/index.html"
    change_permission = "change_plan"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        mission = self.mission
        jobs = list(
            Job.objects.filter(mission=mission, kind=KIND)
            .select_related("started_by")
            .order_by("-created_at")[:10]
        )
        last = next((j for j in jobs if j.status == JobStatus.SUCCEEDED), None)
        context.update(
            job_context(mission),
            form=kwargs.get("form") or BuildForm(),
            plan=planning.plan_row(mission),
            history=jobs,
            last=last,
            accepted=mission.meeting_requests.filter(status=RequestStatus.ACCEPTED).count(),
            meetings=mission.meetings.exclude(status=MeetingStatus.CANCELLED).count(),
            phases=PHASES,
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = BuildForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            start_planning(
                self.mission,
                user=request.user,
                replan=form.cleaned_data["replan"],
                time_limit=form.cleaned_data["time_limit"],
            )
        except AlreadyRunning as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The plan is being built."))
        return HttpResponseRedirect(reverse("control:plan", kwargs={"mission": self.mission.slug}))


class PlanStatusView(MissionMixin, TemplateView):
    """The planning job's progress as a fragment; reloads the page once the job has ended."""

    template_name = STATUS_TEMPLATE

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        context = self.get_context_data(**kwargs)
        if request.GET.get("polling") == "1" and not context["job_unfinished"]:
            return HttpResponse(headers={"HX-Refresh": "true"})
        return self.render_to_response(context)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(job_context(self.mission))
        return context


class PlanCancelView(MissionMixin, TemplateView):
    """Cancel the running build (GET: a confirmation page; POST: ask the job to stop)."""

    template_name = "control/plan/cancel.html"
    change_permission = "change_plan"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(job_context(self.mission))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        job = current_planning_job(self.mission)
        if job is not None:
            request_cancel(job)
            if not _is_htmx(request):
                messages.success(request, _("Cancelling: the previous plan stays as it was."))
        if _is_htmx(request):
            context = self.get_context_data(**kwargs)
            context["cancelling"] = True
            return render(request, STATUS_TEMPLATE, context)
        return HttpResponseRedirect(reverse("control:plan", kwargs={"mission": self.mission.slug}))


class PublishView(MissionMixin, TemplateView):
    """Publish the plan as preliminary or final, from a confirmation page."""

    template_name = "control/plan/publish.html"
    permission = "view_mission"
    change_permission = "publish_plan"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = planning.plan_row(self.mission)
        context.update(
            plan=plan,
            form=kwargs.get("form")
            or PublishForm(initial={"plan_version": plan.version, "status": "preliminary"}),
            meetings=self.mission.meetings.exclude(status=MeetingStatus.CANCELLED).count(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = PublishForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            plan = planning.publish_plan(
                self.mission,
                status=form.cleaned_data["status"],
                plan_version=form.cleaned_data["plan_version"],
                user=request.user,
            )
        except planning.PlanChanged as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(request.path)
        messages.success(
            request,
            _(
                "The plan is published (%(status)s). From now on, every change is sent to the "
                "people it affects."
            )
            % {"status": plan.get_status_display()},
        )
        return HttpResponseRedirect(
            reverse("control:plan_board", kwargs={"mission": self.mission.slug})
        )
