import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from trademission.missions.enums import MissionStatus, ProgrammeKind, VenueKind
from trademission.missions.validators import (
    validate_latitude,
    validate_longitude,
    validate_timezone,
)


class Mission(models.Model):
    project = models.ForeignKey(
        "missions.Project", on_delete=models.PROTECT, related_name="missions"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    country = models.CharField(_("destination country"), max_length=2)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    status = models.CharField(
        _("status"), max_length=20, choices=MissionStatus.choices, default=MissionStatus.DRAFT
    )
    description = models.TextField(_("description"), blank=True)
    meeting_day_start = models.TimeField(_("meetings start at"), default=dt.time(9, 0))
    meeting_day_end = models.TimeField(_("meetings end at"), default=dt.time(17, 30))
    time_grain = models.PositiveSmallIntegerField(
        _("time grain (minutes)"),
        default=15,
        choices=[(5, "5"), (10, "10"), (15, "15"), (30, "30")],
    )
    lunch_start = models.TimeField(_("lunch break from"), null=True, blank=True)
    lunch_end = models.TimeField(_("lunch break until"), null=True, blank=True)
    default_meeting_minutes = models.PositiveSmallIntegerField(
        _("default meeting length (minutes)"), default=45
    )
    call_open = models.BooleanField(
        _("call for SMEs open"),
        default=False,
        help_text=_("While open, SMEs can apply through the public application form."),
    )
    call_deadline = models.DateField(_("application deadline"), null=True, blank=True)
    call_intro = models.TextField(
        _("introduction to the call"), blank=True, help_text=_("Shown on the application form.")
    )
    application_questions = models.JSONField(
        _("the mission's own questions"),
        default=list,
        blank=True,
        help_text=_('A list of {"key", "label", "required"} asked on the application form.'),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="mission_end_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(meeting_day_end__gt=models.F("meeting_day_start")),
                name="mission_meeting_hours_ordered",
            ),
        ]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def clean(self) -> None:
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The last day cannot be before the first day.")
        if (
            self.meeting_day_start
            and self.meeting_day_end
            and self.meeting_day_end <= self.meeting_day_start
        ):
            errors["meeting_day_end"] = _("Meetings must end after they start.")
        if bool(self.lunch_start) != bool(self.lunch_end):
            errors["lunch_end"] = _("Give both ends of the lunch break, or neither.")
        elif self.lunch_start and self.lunch_end and self.lunch_end <= self.lunch_start:
            errors["lunch_end"] = _("The lunch break must end after it starts.")
        if errors:
            raise ValidationError(errors)


class ItineraryStop(models.Model):
    """Where the delegation is: one city over a run of days."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="stops")
    city = models.CharField(_("city"), max_length=100)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))

    class Meta:
        ordering = ["mission", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="stop_end_after_start"
            )
        ]
        verbose_name = _("itinerary stop")
        verbose_name_plural = _("itinerary stops")

    def __str__(self) -> str:
        return f"{self.city} ({self.start:%d %b}–{self.end:%d %b})"

    def clean(self) -> None:
        from trademission.missions.validators import check_stop

        check_stop(self)


class Venue(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=VenueKind.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[validate_latitude]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[validate_longitude]
    )
    tables = models.PositiveSmallIntegerField(
        _("meeting tables"), null=True, blank=True, help_text=_("For trade-show meeting areas.")
    )

    class Meta:
        ordering = ["mission", "city", "name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self) -> str:
        return f"{self.name}, {self.city}" if self.city else self.name

    def clean(self) -> None:
        if self.kind != VenueKind.ONLINE and not self.city:
            raise ValidationError({"city": _("A physical venue needs a city.")})


class ProgrammeItem(models.Model):
    """A joint item of the programme; it blocks the time of everybody who attends."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="programme")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    venue = models.ForeignKey(
        Venue, on_delete=models.SET_NULL, null=True, blank=True, related_name="programme_items"
    )
    for_all = models.BooleanField(_("whole delegation"), default=True)
    blocks_meetings = models.BooleanField(
        _("blocks meetings"),
        default=True,
        help_text=_(
            "Untick for trade-show hours, when meetings can still be held on the show floor."
        ),
    )
    attendees = models.ManyToManyField(
        "participants.Participation",
        blank=True,
        related_name="programme_items",
        verbose_name=_("attendees"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["mission", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="programme_end_after_start"
            )
        ]
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from trademission.missions.validators import check_programme_item

        check_programme_item(self)
