from django.urls import path

from trademission.control.navigation import area_modules
from trademission.control.views import dashboard, mission

app_name = "control"

urlpatterns = [
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    path("missions/<slug:mission>/", mission.MissionOverviewView.as_view(), name="mission"),
]
for _module in area_modules():
    urlpatterns += _module.urlpatterns  # type: ignore[attr-defined]
