"""The ``trademission`` command.

Sub-commands of the pure engines (``plan``, ``match``) run without Django so that they start
fast and work on a machine with no database; everything else is handed to Django's
``manage.py`` machinery, so ``trademission migrate`` or ``trademission demo`` work as expected.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence

PURE_COMMANDS = {
    "plan": "trademission.planner.cli",
    "match": "trademission.matching.cli",
}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in PURE_COMMANDS:
        module = importlib.import_module(PURE_COMMANDS[args[0]])
        return int(module.main(args[1:]) or 0)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trademission.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["trademission", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
