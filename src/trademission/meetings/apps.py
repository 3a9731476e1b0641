from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "trademission.meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from trademission.meetings import signals

        signals.connect()
