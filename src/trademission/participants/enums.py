from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerType(models.TextChoices):
    """What kind of organisation a stakeholder is, and what kind an SME seeks."""

    PRIME_CONTRACTOR = "prime_contractor", _("Prime contractor")
    INTEGRATOR = "integrator", _("Integrator / supplier")
    GOVERNMENT_AGENCY = "government_agency", _("Government agency")
    RESEARCH_ORGANISATION = "research_organisation", _("Research organisation")
    UNIVERSITY = "university", _("University")
    ASSOCIATION = "association", _("Association / cluster")
    INVESTOR = "investor", _("Investor")
    END_USER = "end_user", _("End user")
    DISTRIBUTOR = "distributor", _("Distributor")


class ParticipationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SELECTED = "selected", _("Selected")
    WAITING_LIST = "waiting_list", _("Waiting list")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MeetingPlace(models.TextChoices):
    PREMISES = "premises", _("At their premises")
    TRADE_SHOW = "trade_show", _("At the trade show")
    ONLINE = "online", _("Online")
