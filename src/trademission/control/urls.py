from django.urls import path

from trademission.control.views import dashboard, mission

app_name = "control"

urlpatterns = [
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    path("missions/<slug:mission>/", mission.MissionOverviewView.as_view(), name="mission"),
]
