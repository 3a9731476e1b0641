from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trademission.missions.enums import Role


class MissionMember(models.Model):
    """An explicit role on one mission (advisors and SME delegates are added this way)."""

    mission = models.ForeignKey("missions.Mission", on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mission_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    participation = models.ForeignKey(
        "participants.Participation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="delegates",
        help_text=_("For SME delegates: the SME they represent."),
    )

    class Meta:
        ordering = ["mission", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "user"], name="one_role_per_mission"),
            models.CheckConstraint(
                condition=~models.Q(role="sme_delegate") | models.Q(participation__isnull=False),
                name="delegate_has_participation",
            ),
        ]
        verbose_name = _("mission team member")
        verbose_name_plural = _("mission team members")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"
