"""Run the web server and a task worker together, as ``make demo`` does."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the web application and run a background task worker beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--no-worker", action="store_true", help="Do not start a worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = None
        if not options["no_worker"]:
            # A separate process, as in production: a long optimiser run never blocks a page.
            worker = subprocess.Popen(
                [sys.executable, "-m", "trademission.cli", "db_worker", "--interval", "1"]
            )
            self.stdout.write(f"Task worker started (pid {worker.pid}).")
        from trademission.missions.demo.loader import describe_logins

        self.stdout.write(describe_logins())
        self.stdout.write(f"Open http://{options['host']}:{options['port']}/")
        try:
            call_command("runserver", f"{options['host']}:{options['port']}", use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
