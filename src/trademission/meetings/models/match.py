from django.db import models
from django.utils.translation import gettext_lazy as _

from trademission.meetings.enums import MatchDecision, MatchSource


class MatchQuerySet(models.QuerySet["Match"]):
    def proposable(self) -> "MatchQuerySet":
        return self.exclude(decision__in=[MatchDecision.EXCLUDED, MatchDecision.REJECTED])


class Match(models.Model):
    """A possible meeting of one SME (on one mission) with one stakeholder, and why."""

    mission = models.ForeignKey(
        "missions.Mission", on_delete=models.CASCADE, related_name="matches"
    )
    participation = models.ForeignKey(
        "participants.Participation", on_delete=models.CASCADE, related_name="matches"
    )
    stakeholder = models.ForeignKey(
        "participants.Stakeholder", on_delete=models.CASCADE, related_name="matches"
    )
    score = models.FloatField(_("score"), default=0.0)
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=MatchSource.choices, default=MatchSource.SUGGESTED
    )
    decision = models.CharField(
        _("advisor decision"),
        max_length=20,
        choices=MatchDecision.choices,
        default=MatchDecision.PENDING,
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        default=2,
        choices=[(1, _("High")), (2, _("Normal")), (3, _("Low"))],
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["participation", "-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "stakeholder"], name="one_match_per_pair"
            )
        ]
        indexes = [models.Index(fields=["mission", "decision"])]
        verbose_name = _("match")
        verbose_name_plural = _("matches")

    def __str__(self) -> str:
        return f"{self.participation.sme} × {self.stakeholder}"
