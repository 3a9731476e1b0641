import hashlib
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trademission.missions.validators import validate_latitude, validate_longitude
from trademission.participants.enums import MeetingPlace, PartnerType


class Stakeholder(models.Model):
    """A local organisation the delegation may meet, as curated for one mission."""

    mission = models.ForeignKey(
        "missions.Mission", on_delete=models.CASCADE, related_name="stakeholders"
    )
    organisation = models.ForeignKey(
        "missions.Organisation", on_delete=models.PROTECT, related_name="stakeholder_entries"
    )
    type = models.CharField(_("type"), max_length=30, choices=PartnerType.choices)
    description = models.TextField(_("who they are"), blank=True)
    needs = models.TextField(_("needs and interests"), blank=True)
    profile_language = models.CharField(_("language of the profile"), max_length=2, default="en")
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    programmes = models.JSONField(_("programmes"), default=list, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100)
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[validate_latitude]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[validate_longitude]
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    availability = models.TextField(_("availability"), blank=True)
    available_days = models.JSONField(_("available days"), default=list, blank=True)
    meeting_place = models.CharField(
        _("preferred meeting place"),
        max_length=20,
        choices=MeetingPlace.choices,
        default=MeetingPlace.PREMISES,
    )

    class Meta:
        ordering = ["mission", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "organisation"], name="one_stakeholder_entry_per_mission"
            )
        ]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")

    def __str__(self) -> str:
        return str(self.organisation.name)

    @property
    def name(self) -> str:
        return str(self.organisation.name)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class StakeholderTokenQuerySet(models.QuerySet["StakeholderToken"]):
    def valid(self) -> "StakeholderTokenQuerySet":
        return self.filter(revoked=False, expires_at__gt=timezone.now())

    def find(self, raw: str) -> "StakeholderToken | None":
        """The token for a raw link secret; only its hash is stored."""
        return self.select_related("stakeholder__mission").filter(token_hash=_hash(raw)).first()


class StakeholderToken(models.Model):
    """An unguessable, expiring link that lets a stakeholder answer without an account."""

    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked = models.BooleanField(_("revoked"), default=False)

    objects = StakeholderTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("stakeholder link")
        verbose_name_plural = _("stakeholder links")

    def __str__(self) -> str:
        return f"{self.stakeholder} until {self.expires_at:%Y-%m-%d}"

    @staticmethod
    def new_secret() -> tuple[str, str]:
        """A fresh raw secret (for the link) and its hash (for the database)."""
        raw = secrets.token_urlsafe(32)
        return raw, _hash(raw)

    @property
    def is_valid(self) -> bool:
        return not self.revoked and self.expires_at > timezone.now()
