"""``trademission send_reminders``: expire and remind invitations now (for cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from trademission.meetings.domain.invitations import run_due_reminders


class Command(BaseCommand):
    help = (
        "Mark overdue meeting requests expired and e-mail the reminders that are due, "
        "for every mission. Safe to run as often as you like (e.g. hourly from cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        totals = run_due_reminders()
        self.stdout.write(
            "{missions} mission(s) checked, {expired} request(s) expired, "
            "{reminded} request(s) reminded in {mails} e-mail(s).".format(**totals)
        )
