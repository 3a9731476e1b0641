"""URLs and tabs of this area of a mission's pages (see control/navigation.py)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from trademission.control.navigation import Tab
from trademission.control.views import agendas as views

TABS: list[Tab] = [Tab("agendas", _("Agendas"))]

_BASE = "missions/<slug:mission>/agendas/"

urlpatterns: list[URLPattern] = [
    path(_BASE, views.AgendasView.as_view(), name="agendas"),
    path(
        f"{_BASE}stakeholders/",
        views.StakeholderAgendasView.as_view(),
        name="agendas_stakeholders",
    ),
    path(f"{_BASE}smes/<int:participation>/", views.SmeAgendaView.as_view(), name="agendas_sme"),
    path(
        f"{_BASE}stakeholders/<int:stakeholder>/",
        views.StakeholderAgendaView.as_view(),
        name="agendas_stakeholder",
    ),
]
