from typing import Any

from django.views.generic import TemplateView

from trademission.control.views.mixins import MissionMixin
from trademission.missions.domain.queries.overview import mission_overview


class MissionOverviewView(MissionMixin, TemplateView):
    template_name = "control/mission_overview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["overview"] = mission_overview(self.mission)
        return context
