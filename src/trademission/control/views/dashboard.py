from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from trademission.missions.domain.queries.access import visible_missions


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "control/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["missions"] = visible_missions(self.request.user).select_related("project")
        return context
