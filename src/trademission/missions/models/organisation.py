from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trademission.missions.enums import OrganisationKind


class Organisation(models.Model):
    """Any organisation: a cluster running missions, a consortium partner, a stakeholder."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code, e.g. FR"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.short_name or self.name


class Membership(models.Model):
    """A user works for an organisation; its staff see the missions of its projects."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    is_admin = models.BooleanField(_("organisation administrator"), default=False)

    class Meta:
        ordering = ["organisation__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class Project(models.Model):
    """A funded project (e.g. a COSME grant) that runs one or more missions."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    programme = models.CharField(_("programme"), max_length=200, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    description = models.TextField(_("description"), blank=True)
    kpi_targets = models.JSONField(
        _("KPI targets"),
        default=dict,
        blank=True,
        help_text=_('Targets agreed with the funder, e.g. {"smes_supported": 36}'),
    )
    partners = models.ManyToManyField(
        Organisation, through="ProjectPartner", related_name="projects"
    )

    class Meta:
        ordering = ["-start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="project_end_after_start"
            )
        ]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return self.name


class ProjectPartner(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partnerships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnerships"
    )
    is_coordinator = models.BooleanField(_("coordinator"), default=False)

    class Meta:
        ordering = ["-is_coordinator", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation"], name="unique_partner"),
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(is_coordinator=True),
                name="one_coordinator_per_project",
            ),
        ]
        verbose_name = _("project partner")
        verbose_name_plural = _("project partners")

    def __str__(self) -> str:
        return f"{self.organisation} in {self.project}"
