"""URLs and tabs of this area of a mission's pages (see control/navigation.py)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from trademission.control.navigation import Tab
from trademission.control.views import invitations as views

BASE = "missions/<slug:mission>/invitations/"

TABS: list[Tab] = [Tab("invitations", _("Invitations"))]
urlpatterns: list[URLPattern] = [
    path(BASE, views.InvitationBoardView.as_view(), name="invitations"),
    path(f"{BASE}send/", views.SendInvitationsView.as_view(), name="invitations_send"),
    path(
        f"{BASE}stakeholders/<int:stakeholder>/resend/",
        views.ResendLinkView.as_view(),
        name="invitations_resend",
    ),
    path(
        f"{BASE}stakeholders/<int:stakeholder>/revoke/",
        views.RevokeLinkView.as_view(),
        name="invitations_revoke",
    ),
]
