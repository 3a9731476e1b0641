"""The periodic work of invitations: expiry and reminders for every mission.

Nothing in the embedded set-up runs tasks on a clock: a cron job either runs
``trademission send_reminders`` (synchronous, no worker needed) or enqueues
:func:`send_due_reminders` for the worker, e.g. once an hour.
"""

from __future__ import annotations

from django_tasks import task

from trademission.meetings.domain.invitations import run_due_reminders


@task()
def send_due_reminders() -> dict[str, int]:
    """Expire overdue invitations and send the reminders that are due, for all missions.

    Side effects: those of ``meetings.domain.invitations.run_due_reminders``. Returns the
    counts (missions, expired, reminded, mails) as the task's result.
    """
    return run_due_reminders()
