"""URLs and tabs of this area of a mission's pages (see control/navigation.py)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from trademission.control.navigation import Tab
from trademission.control.views import stakeholder_import as imports
from trademission.control.views import stakeholders as views

BASE = "missions/<slug:mission>/stakeholders/"

TABS: list[Tab] = [Tab("stakeholders", _("Stakeholders"))]
urlpatterns: list[URLPattern] = [
    path(BASE, views.StakeholderListView.as_view(), name="stakeholders"),
    path(f"{BASE}new/", views.StakeholderFormView.as_view(), name="stakeholders_new"),
    path(f"{BASE}search/", views.StakeholderSearchView.as_view(), name="stakeholders_search"),
    path(f"{BASE}export.xlsx", views.StakeholderExportView.as_view(), name="stakeholders_export"),
    path(f"{BASE}import/", imports.ImportUploadView.as_view(), name="stakeholders_import"),
    path(
        f"{BASE}import/mapping/",
        imports.ImportMappingView.as_view(),
        name="stakeholders_import_mapping",
    ),
    path(
        f"{BASE}import/preview/",
        imports.ImportPreviewView.as_view(),
        name="stakeholders_import_preview",
    ),
    path(f"{BASE}<int:pk>/", views.StakeholderDetailView.as_view(), name="stakeholders_detail"),
    path(f"{BASE}<int:pk>/edit/", views.StakeholderFormView.as_view(), name="stakeholders_edit"),
    path(
        f"{BASE}<int:pk>/delete/", views.StakeholderDeleteView.as_view(), name="stakeholders_delete"
    ),
    path(
        f"{BASE}<int:pk>/contacts/<int:contact>/export/",
        views.ContactExportView.as_view(),
        name="stakeholders_contact_export",
    ),
    path(
        f"{BASE}<int:pk>/contacts/<int:contact>/erase/",
        views.ContactEraseView.as_view(),
        name="stakeholders_contact_erase",
    ),
]
