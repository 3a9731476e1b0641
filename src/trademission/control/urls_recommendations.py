"""URLs and tabs of this area of a mission's pages (see control/navigation.py)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from trademission.control.navigation import Tab
from trademission.control.views import recommendations as views

TABS: list[Tab] = [Tab("recommendations", _("Recommendations"))]

_BASE = "missions/<slug:mission>/recommendations/"

urlpatterns: list[URLPattern] = [
    path(_BASE, views.RecommendationsView.as_view(), name="recommendations"),
    path(f"{_BASE}status/", views.JobStatusView.as_view(), name="recommendations_status"),
    path(
        f"{_BASE}stakeholders/",
        views.RecommendationsByStakeholderView.as_view(),
        name="recommendations_stakeholders",
    ),
    path(
        f"{_BASE}smes/<int:participation>/",
        views.SmeRecommendationsView.as_view(),
        name="recommendations_sme",
    ),
    path(
        f"{_BASE}stakeholders/<int:stakeholder>/",
        views.StakeholderRecommendationsView.as_view(),
        name="recommendations_stakeholder",
    ),
]
