"""The public application form: no account, open while the mission's call is open."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import get_language
from django.views.generic import TemplateView

from trademission.missions.models import Mission
from trademission.participants.domain.selection import apply_to_mission
from trademission.portal.forms.apply import ApplicationForm


def call_is_open(mission: Mission) -> bool:
    today = timezone.localdate(timezone=mission.tz)
    return mission.call_open and (mission.call_deadline is None or today <= mission.call_deadline)


class ApplyView(TemplateView):
    template_name = "portal/apply/form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.mission = get_object_or_404(
            Mission.objects.select_related("project"), slug=kwargs["mission"]
        )
        if not call_is_open(self.mission):
            return self.render_closed()
        return super().dispatch(request, *args, **kwargs)

    def render_closed(self) -> HttpResponse:
        self.template_name = "portal/apply/closed.html"
        return self.render_to_response({"mission": self.mission})

    def get_form(self) -> ApplicationForm:
        data = self.request.POST if self.request.method == "POST" else None
        return ApplicationForm(data, mission=self.mission, language=get_language()[:2])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form", self.get_form())
        kwargs["mission"] = self.mission
        return super().get_context_data(**kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        if form.is_valid():
            try:
                apply_to_mission(
                    self.mission,
                    profile=form.profile(),
                    contact=form.contact(),
                    answers=form.answers(),
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                return redirect("portal:apply_done", mission=self.mission.slug)
        return self.render_to_response(self.get_context_data(form=form))


class ApplyDoneView(TemplateView):
    template_name = "portal/apply/done.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs["mission"] = get_object_or_404(Mission, slug=self.kwargs["mission"])
        return super().get_context_data(**kwargs)
