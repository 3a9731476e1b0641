from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trademission.meetings.enums import PlanStatus


class MissionPlan(models.Model):
    """The state of a mission's meeting plan and the rules of its invitations.

    ``version`` grows with every change to the plan, so that two organisers editing at once
    notice each other instead of overwriting silently.
    """

    mission = models.OneToOneField(
        "missions.Mission", on_delete=models.CASCADE, related_name="plan"
    )
    status = models.CharField(
        _("publication"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    changed_at = models.DateTimeField(_("last changed at"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminder_after_days = models.PositiveSmallIntegerField(
        _("remind unanswered invitations after (days)"), default=5
    )
    invitation_valid_days = models.PositiveSmallIntegerField(
        _("invitations expire after (days)"), default=14
    )

    class Meta:
        verbose_name = _("meeting plan")
        verbose_name_plural = _("meeting plans")

    def __str__(self) -> str:
        return f"{self.mission} — {self.get_status_display()}"


class Notification(models.Model):
    """A message sent to a person about the plan: kept to show who was told what, and when."""

    mission = models.ForeignKey(
        "missions.Mission", on_delete=models.CASCADE, related_name="notifications"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    recipient = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=2, default="en")
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"
