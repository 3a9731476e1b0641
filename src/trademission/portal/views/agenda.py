"""Agendas in the portal, shown only once the mission's plan is published.

An SME delegate (logged in, role ``sme_delegate`` on the mission) sees their own SME's agenda
and nobody else's. A stakeholder sees its meetings with the delegation from its token link.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import View

from trademission.meetings.domain.queries.agendas import (
    published_plan,
    sme_agenda,
    stakeholder_agenda,
)
from trademission.missions.enums import Role
from trademission.missions.models import MissionMember
from trademission.participants.models import StakeholderToken


@method_decorator(never_cache, name="dispatch")
class SmeAgendaView(LoginRequiredMixin, View):
    """The delegate's own SME's agenda; any other SME's is a 404."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        member = (
            MissionMember.objects.select_related(
                "mission__project", "participation__sme", "participation__mission"
            )
            .filter(mission__slug=kwargs["mission"], user=request.user, role=Role.SME_DELEGATE)
            .first()
        )
        if member is None or member.participation is None:
            raise Http404
        wanted = kwargs.get("participation")
        if wanted is not None and wanted != member.participation_id:
            raise Http404
        participation = member.participation
        mission = member.mission
        plan = published_plan(mission)
        context: dict[str, Any] = {
            "mission": mission,
            "participation": participation,
            "plan": plan,
        }
        if plan is None:
            return render(request, "portal/agenda/not_published.html", context)
        context["agenda"] = sme_agenda(participation, include_tentative=True)
        return render(request, "portal/agenda/sme.html", context)


@method_decorator(never_cache, name="dispatch")
class StakeholderMeetingsView(View):
    """A stakeholder's meetings with the delegation, from its link: unknown link 404,
    expired or revoked link 410."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = StakeholderToken.objects.find(kwargs["token"])
        if token is None:
            raise Http404
        stakeholder = token.stakeholder
        mission = stakeholder.mission
        context: dict[str, Any] = {"mission": mission, "stakeholder": stakeholder}
        if not token.is_valid:
            response = render(request, "portal/agenda/link_expired.html", context, status=410)
        else:
            plan = published_plan(mission)
            context["plan"] = plan
            if plan is None:
                response = render(request, "portal/agenda/not_published.html", context)
            else:
                context["agenda"] = stakeholder_agenda(stakeholder, include_tentative=True)
                response = render(request, "portal/agenda/stakeholder.html", context)
        # The link is the secret: never send it to the sites the page links to.
        response["Referrer-Policy"] = "no-referrer"
        return response
