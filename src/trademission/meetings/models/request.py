from django.db import models
from django.utils.translation import gettext_lazy as _

from trademission.meetings.enums import RequestStatus
from trademission.participants.enums import MeetingPlace


class MeetingRequest(models.Model):
    """An invitation to a stakeholder to meet one SME, and the stakeholder's answer."""

    mission = models.ForeignKey(
        "missions.Mission", on_delete=models.CASCADE, related_name="meeting_requests"
    )
    match = models.OneToOneField(
        "meetings.Match", on_delete=models.SET_NULL, null=True, blank=True, related_name="request"
    )
    stakeholder = models.ForeignKey(
        "participants.Stakeholder", on_delete=models.CASCADE, related_name="requests"
    )
    participations = models.ManyToManyField(
        "participants.Participation", related_name="requests", verbose_name=_("SMEs")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.DRAFT
    )
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=45)
    must_have = models.BooleanField(_("must be planned"), default=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer_note = models.TextField(_("answer"), blank=True)
    availability = models.JSONField(
        _("availability"),
        default=list,
        blank=True,
        help_text=_("Time spans the stakeholder can meet, as ISO start/end pairs."),
    )
    meeting_place = models.CharField(
        _("meeting place"), max_length=20, choices=MeetingPlace.choices, blank=True
    )

    class Meta:
        ordering = ["mission", "stakeholder__organisation__name"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")

    def __str__(self) -> str:
        return f"{self.stakeholder} ({self.get_status_display()})"
