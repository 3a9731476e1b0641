from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from trademission.missions.demo.loader import build_demo_plan, describe_logins, load_demo


class Command(BaseCommand):
    help = "Load (or refresh) the Canada 2023 business-mission demo. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--with-plan",
            action="store_true",
            help=(
                "Also accept the SMEs' wishes as meeting requests answered yes and build a "
                "draft meeting plan, so that the plan board has content."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_demo()
        summary = "Demo loaded: {missions} missions, {smes} SMEs, {stakeholders} stakeholders."
        self.stdout.write(self.style.SUCCESS(summary.format(**counts)))
        if options["with_plan"]:
            planned = build_demo_plan()
            self.stdout.write(
                self.style.SUCCESS(
                    "Plan built: {placed} of {requests} accepted meetings placed.".format(**planned)
                )
            )
        self.stdout.write(describe_logins())
