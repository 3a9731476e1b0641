"""URLs and tabs of this area of a mission's pages (see control/navigation.py)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from trademission.control.navigation import Tab
from trademission.control.views import plan as views
from trademission.control.views import plan_board as board

TABS: list[Tab] = [Tab("plan", _("Build the plan")), Tab("plan_board", _("Plan board"))]

_BASE = "missions/<slug:mission>/plan/"

urlpatterns: list[URLPattern] = [
    path(_BASE, views.PlanView.as_view(), name="plan"),
    path(f"{_BASE}status/", views.PlanStatusView.as_view(), name="plan_status"),
    path(f"{_BASE}cancel/", views.PlanCancelView.as_view(), name="plan_cancel"),
    path(f"{_BASE}publish/", views.PublishView.as_view(), name="plan_publish"),
    path(f"{_BASE}board/", board.PlanBoardView.as_view(), name="plan_board"),
    path(f"{_BASE}meetings/<int:meeting>/", board.PlanMeetingView.as_view(), name="plan_meeting"),
]
