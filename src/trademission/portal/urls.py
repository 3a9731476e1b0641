"""Pages for SMEs and stakeholders: the public application form, token links, agendas."""

from importlib import import_module

app_name = "portal"

urlpatterns = []
for _area in ("apply", "answer", "agenda"):
    urlpatterns += import_module(f"trademission.portal.urls_{_area}").urlpatterns
