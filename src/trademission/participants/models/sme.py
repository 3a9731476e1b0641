from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trademission.participants.enums import ParticipationStatus


class Sme(models.Model):
    """An SME's profile; it outlives any single mission."""

    name = models.CharField(_("name"), max_length=200)
    cluster = models.ForeignKey(
        "missions.Organisation",
        on_delete=models.PROTECT,
        related_name="member_smes",
        verbose_name=_("cluster"),
    )
    country = models.CharField(_("country"), max_length=2)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"))
    profile_language = models.CharField(_("language of the profile"), max_length=2, default="en")
    technologies = models.JSONField(_("technologies"), default=list, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level"),
        null=True,
        blank=True,
        choices=[(i, str(i)) for i in range(1, 10)],
    )
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    markets = models.JSONField(_("markets"), default=list, blank=True)
    partner_types_sought = models.JSONField(_("partner types sought"), default=list, blank=True)
    expectations = models.TextField(_("expectations"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    export_controlled = models.BooleanField(
        _("export-controlled technology"),
        default=False,
        help_text=_("Meetings may involve controlled technical data (dual-use)."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("SME")
        verbose_name_plural = _("SMEs")

    def __str__(self) -> str:
        return self.name


class ParticipationQuerySet(models.QuerySet["Participation"]):
    def selected(self) -> "ParticipationQuerySet":
        return self.filter(status=ParticipationStatus.SELECTED)


class Participation(models.Model):
    """An SME on one mission: its application, scores, the advisor's input, the decision."""

    mission = models.ForeignKey(
        "missions.Mission", on_delete=models.CASCADE, related_name="participations"
    )
    sme = models.ForeignKey(Sme, on_delete=models.CASCADE, related_name="participations")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ParticipationStatus.choices,
        default=ParticipationStatus.APPLIED,
    )
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    contact = models.ForeignKey(
        "participants.ContactPerson",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact for this application"),
    )
    answers = models.JSONField(_("answers to the mission's questions"), default=dict, blank=True)
    scores = models.JSONField(_("selection scores"), default=dict, blank=True)
    advisor_input = models.TextField(_("advisor's view of the demand"), blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    decision_message = models.TextField(_("message to the applicant"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["mission", "sme__name"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "sme"], name="one_participation_per_sme")
        ]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self) -> str:
        return f"{self.sme} — {self.mission}"


class SelectionCriterion(models.Model):
    mission = models.ForeignKey(
        "missions.Mission", on_delete=models.CASCADE, related_name="criteria"
    )
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)

    class Meta:
        ordering = ["mission", "-weight", "label"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "key"], name="unique_criterion_key"),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="criterion_weight_ge_0"),
        ]
        verbose_name = _("selection criterion")
        verbose_name_plural = _("selection criteria")

    def __str__(self) -> str:
        return self.label


class AdvisorNote(models.Model):
    """Notes of the advisor's one-to-one profiling meetings with an SME."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="advisor_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    date = models.DateField(_("date"))
    text = models.TextField(_("notes"))

    class Meta:
        ordering = ["participation", "-date"]
        verbose_name = _("advisor note")
        verbose_name_plural = _("advisor notes")

    def __str__(self) -> str:
        return f"{self.participation.sme} {self.date}"
