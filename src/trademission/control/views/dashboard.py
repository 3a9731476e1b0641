from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from trademission.missions.domain.queries.access import visible_missions
from trademission.missions.enums import Role
from trademission.missions.models import MissionMember


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "control/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # SME delegates use the portal: their missions are listed as links to their agendas.
        delegations = list(
            MissionMember.objects.filter(user=self.request.user, role=Role.SME_DELEGATE)
            .select_related("mission", "participation__sme")
            .order_by("-mission__start", "pk")
        )
        context["agendas"] = delegations
        context["missions"] = (
            visible_missions(self.request.user)
            .exclude(pk__in=[d.mission_id for d in delegations])
            .select_related("project")
        )
        return context
