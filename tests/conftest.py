from __future__ import annotations

import pytest
from django.utils import translation

from tests.factories import (
    MembershipFactory,
    MissionFactory,
    ProjectPartnerFactory,
    StopFactory,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The real hasher is slow on purpose; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english():
    """Pages activate the visitor's language for the thread; each test starts in English."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def tenant(db):
    """An organisation coordinating a project with one mission, and one of its staff."""
    partner = ProjectPartnerFactory()
    mission = MissionFactory(project=partner.project)
    StopFactory(mission=mission, city="Montreal", start=mission.start, end=mission.start)
    member = MembershipFactory(organisation=partner.organisation)
    return type(
        "Tenant",
        (),
        {
            "organisation": partner.organisation,
            "project": partner.project,
            "mission": mission,
            "user": member.user,
        },
    )
