"""Agendas in the portal: an SME delegate's own agenda (log-in), a stakeholder's meetings
(token link, no account)."""

from django.urls import URLPattern, path

from trademission.portal.views import agenda

urlpatterns: list[URLPattern] = [
    path("missions/<slug:mission>/agenda/", agenda.SmeAgendaView.as_view(), name="agenda"),
    path(
        "missions/<slug:mission>/agenda/<int:participation>/",
        agenda.SmeAgendaView.as_view(),
        name="agenda_sme",
    ),
    path(
        "s/<str:token>/meetings/",
        agenda.StakeholderMeetingsView.as_view(),
        name="agenda_stakeholder",
    ),
]
