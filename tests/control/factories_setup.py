"""Factories and helpers for the set-up, selection and profiling tests (issue 5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    ContactFactory,
    MembershipFactory,
    MissionFactory,
    MissionMemberFactory,
    ParticipationFactory,
    ProjectPartnerFactory,
)
from trademission.participants.models import AdvisorNote, SelectionCriterion


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelectionCriterion

    mission = factory.SubFactory(MissionFactory)
    key = factory.Sequence(lambda n: f"criterion-{n}")
    label = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 1


class AdvisorNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdvisorNote

    participation = factory.SubFactory(ParticipationFactory)
    date = dt.date(2023, 4, 17)
    text = "Profiling call: wants a distributor in Quebec."


def team(tenant: Any) -> dict[str, Any]:
    """One user per role on the tenant's mission, and an outsider."""
    partner = ProjectPartnerFactory(project=tenant.project, is_coordinator=False)
    delegate_of = ParticipationFactory(mission=tenant.mission)
    return {
        "coordinator": tenant.user,
        "partner_staff": MembershipFactory(organisation=partner.organisation).user,
        "advisor": MissionMemberFactory(mission=tenant.mission, role="advisor").user,
        "sme_delegate": MissionMemberFactory(
            mission=tenant.mission, role="sme_delegate", participation=delegate_of
        ).user,
        "outsider": MembershipFactory().user,
    }


def applicant(mission: Any, *, status: str = "applied", language: str = "en", **sme: Any) -> Any:
    """A participation whose SME has a contact with an e-mail, linked to the application."""
    participation = ParticipationFactory(mission=mission, status=status, **sme)
    contact = ContactFactory(sme=participation.sme, language=language)
    participation.contact = contact
    participation.save(update_fields=["contact"])
    return participation


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
    return len(ctx.captured_queries)


ROLES = ["coordinator", "partner_staff", "advisor", "sme_delegate", "outsider"]


@pytest.fixture(autouse=False)
def fast_passwords(settings: Any) -> None:
    """Factories hash a password per user; the default hasher takes ~0.3 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
