from django.db import models
from django.utils.translation import gettext_lazy as _

from trademission.meetings.enums import MeetingMode, MeetingStatus


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def active(self) -> "MeetingQuerySet":
        return self.exclude(status=MeetingStatus.CANCELLED)


class Meeting(models.Model):
    """A meeting hosted by a stakeholder (or held at a venue) with one or more SMEs."""

    mission = models.ForeignKey(
        "missions.Mission", on_delete=models.CASCADE, related_name="meetings"
    )
    request = models.ForeignKey(
        "meetings.MeetingRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    host = models.ForeignKey(
        "participants.Stakeholder",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("host stakeholder"),
    )
    venue = models.ForeignKey(
        "missions.Venue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        help_text=_("Empty for a meeting at the host's premises."),
    )
    participations = models.ManyToManyField(
        "participants.Participation", related_name="meetings", verbose_name=_("SMEs")
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    mode = models.CharField(
        _("mode"), max_length=20, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.TENTATIVE
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["mission", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="meeting_end_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(host__isnull=False) | models.Q(venue__isnull=False),
                name="meeting_has_host_or_venue",
            ),
        ]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        where = self.host or self.venue
        return f"{where} {self.start:%Y-%m-%d %H:%M}"

    @property
    def city(self) -> str:
        if self.venue_id:
            return str(self.venue.city)
        return str(self.host.city) if self.host_id else ""

    def clean(self) -> None:
        from trademission.meetings.validators import check_meeting

        check_meeting(self)


class Outcome(models.Model):
    """What came of a meeting for one SME, recorded after it was held."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcomes")
    participation = models.ForeignKey(
        "participants.Participation", on_delete=models.CASCADE, related_name="outcomes"
    )
    rating = models.PositiveSmallIntegerField(
        _("usefulness"), null=True, blank=True, choices=[(i, str(i)) for i in range(1, 6)]
    )
    summary = models.TextField(_("summary"), blank=True)
    follow_up = models.TextField(_("follow-up agreed"), blank=True)
    agreement_signed = models.BooleanField(_("agreement signed"), default=False)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["meeting", "participation"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "participation"], name="one_outcome_per_sme_and_meeting"
            )
        ]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return f"{self.meeting} — {self.participation.sme}"
