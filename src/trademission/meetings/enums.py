from django.db import models
from django.utils.translation import gettext_lazy as _


class MatchSource(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested by the recommender")
    WISH = "wish", _("Wish of the SME")
    MANUAL = "manual", _("Added by hand")


class MatchDecision(models.TextChoices):
    PENDING = "pending", _("To review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    EXCLUDED = "excluded", _("Excluded (never propose)")


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


class MeetingStatus(models.TextChoices):
    TENTATIVE = "tentative", _("Tentative")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")
    HELD = "held", _("Held")
    NO_SHOW = "no_show", _("No-show")


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (not published)")
    PRELIMINARY = "preliminary", _("Published as preliminary")
    FINAL = "final", _("Published as final")
