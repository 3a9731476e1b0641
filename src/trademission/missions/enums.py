from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    CLUSTER = "cluster", _("Cluster")
    CONSORTIUM = "consortium", _("Consortium")
    AGENCY = "agency", _("Trade agency")
    STAKEHOLDER = "stakeholder", _("Stakeholder organisation")
    COMPANY = "company", _("Company")


class MissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CALL_OPEN = "call_open", _("Call for SMEs open")
    SELECTION = "selection", _("Selection")
    PLANNING = "planning", _("Planning")
    PUBLISHED = "published", _("Plan published")
    RUNNING = "running", _("Running")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


class VenueKind(models.TextChoices):
    OFFICE = "office", _("Office / premises")
    TRADE_SHOW = "trade_show", _("Trade-show hall")
    HOTEL = "hotel", _("Hotel")
    CONFERENCE = "conference", _("Conference venue")
    ONLINE = "online", _("Online")


class ProgrammeKind(models.TextChoices):
    JOINT_ACTIVITY = "joint_activity", _("Joint activity")
    TRADE_SHOW = "trade_show", _("Trade show")
    WEBINAR = "webinar", _("Webinar")
    RECEPTION = "reception", _("Reception")
    TRANSFER = "transfer", _("Transfer")
    BRIEFING = "briefing", _("Briefing")


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER_STAFF = "partner_staff", _("Partner staff")
    ADVISOR = "advisor", _("Mission advisor")
    SME_DELEGATE = "sme_delegate", _("SME delegate")
