"""Agendas as the organisers see them: every SME's and every stakeholder's, before and after
publication, exactly as the SME or the stakeholder will see them in the portal."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.views.generic import ListView, TemplateView

from trademission.control.views.mixins import MissionMixin
from trademission.meetings.domain.queries import agendas as queries
from trademission.meetings.models import MissionPlan
from trademission.participants.enums import ParticipationStatus
from trademission.participants.models import Participation, Stakeholder


def _plan(mission: Any) -> MissionPlan | None:
    return MissionPlan.objects.filter(mission=mission).first()


class AgendasView(MissionMixin, ListView):  # type: ignore[type-arg]
    """The selected SMEs and how many meetings each has."""

    template_name = "control/agendas/index.html"
    paginate_by = 50
    context_object_name = "rows"

    def get_queryset(self) -> QuerySet[Participation]:
        return queries.sme_rows(self.mission)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(view="smes", plan=_plan(self.mission))
        return context


class StakeholderAgendasView(MissionMixin, ListView):  # type: ignore[type-arg]
    """The stakeholders and how many meetings each hosts, busiest first."""

    template_name = "control/agendas/stakeholders.html"
    paginate_by = 50
    context_object_name = "rows"

    def get_queryset(self) -> QuerySet[Stakeholder]:
        return queries.stakeholder_rows(self.mission)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(view="stakeholders", plan=_plan(self.mission))
        return context


class SmeAgendaView(MissionMixin, TemplateView):
    template_name = "control/agendas/sme.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        participation = get_object_or_404(
            Participation.objects.select_related("sme", "mission"),
            mission=self.mission,
            status=ParticipationStatus.SELECTED,
            pk=self.kwargs["participation"],
        )
        context.update(
            participation=participation,
            agenda=queries.sme_agenda(participation, include_tentative=True),
            plan=_plan(self.mission),
        )
        return context


class StakeholderAgendaView(MissionMixin, TemplateView):
    template_name = "control/agendas/stakeholder.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        stakeholder = get_object_or_404(
            Stakeholder.objects.select_related("organisation", "mission"),
            mission=self.mission,
            pk=self.kwargs["stakeholder"],
        )
        context.update(
            stakeholder=stakeholder,
            agenda=queries.stakeholder_agenda(stakeholder, include_tentative=True),
            plan=_plan(self.mission),
        )
        return context
