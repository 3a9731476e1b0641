from typing import Any

from django.core.management.base import BaseCommand

from trademission.missions.demo.loader import describe_logins, load_demo


class Command(BaseCommand):
    help = "Load (or refresh) the Canada 2023 business-mission demo. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_demo()
        summary = "Demo loaded: {missions} missions, {smes} SMEs, {stakeholders} stakeholders."
        self.stdout.write(self.style.SUCCESS(summary.format(**counts)))
        self.stdout.write(describe_logins())
