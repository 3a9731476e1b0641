"""factory-boy factories for the data apps; tests build exactly the rows they need."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import factory
from django.contrib.auth import get_user_model

from trademission.meetings.models import Match, Meeting
from trademission.missions.models import (
    ItineraryStop,
    Membership,
    Mission,
    MissionMember,
    Organisation,
    ProgrammeItem,
    Project,
    ProjectPartner,
    Venue,
)
from trademission.participants.models import ContactPerson, Participation, Sme, Stakeholder

TORONTO = zoneinfo.ZoneInfo("America/Toronto")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.eu")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests")

    @factory.post_generation
    def saved(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Cluster {n}")
    kind = "cluster"
    country = "FR"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    start = dt.date(2023, 1, 1)
    end = dt.date(2024, 12, 31)


class ProjectPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectPartner

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    is_coordinator = True


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mission

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Mission {n}")
    slug = factory.Sequence(lambda n: f"mission-{n}")
    country = "CA"
    timezone = "America/Toronto"
    start = dt.date(2023, 5, 29)
    end = dt.date(2023, 6, 2)


class StopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItineraryStop

    mission = factory.SubFactory(MissionFactory)
    city = "Montreal"
    start = dt.date(2023, 5, 29)
    end = dt.date(2023, 5, 30)


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    mission = factory.SubFactory(MissionFactory)
    name = factory.Sequence(lambda n: f"Venue {n}")
    kind = "office"
    city = "Montreal"


class ProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeItem

    mission = factory.SubFactory(MissionFactory)
    title = factory.Sequence(lambda n: f"Item {n}")
    kind = "joint_activity"
    start = dt.datetime(2023, 5, 29, 9, 0, tzinfo=TORONTO)
    end = dt.datetime(2023, 5, 29, 10, 30, tzinfo=TORONTO)


class SmeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sme

    name = factory.Sequence(lambda n: f"SME {n}")
    cluster = factory.SubFactory(OrganisationFactory)
    country = "FR"
    description = "Thermal imaging cores for surveillance."


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    mission = factory.SubFactory(MissionFactory)
    sme = factory.SubFactory(SmeFactory)
    status = "selected"


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder

    mission = factory.SubFactory(MissionFactory)
    organisation = factory.SubFactory(
        OrganisationFactory,
        kind="stakeholder",
        country="CA",
        name=factory.Sequence(lambda n: f"Org {n}"),
    )
    type = "prime_contractor"
    city = "Montreal"
    needs = "Seeks suppliers of infrared sensors."


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda c: f"{c.name.replace(' ', '.').lower()}@example.ca")


class MatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Match

    participation = factory.SubFactory(ParticipationFactory)
    mission = factory.SelfAttribute("participation.mission")
    stakeholder = factory.SubFactory(StakeholderFactory, mission=factory.SelfAttribute("..mission"))
    score = 0.5


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    mission = factory.SubFactory(MissionFactory)
    host = factory.SubFactory(StakeholderFactory, mission=factory.SelfAttribute("..mission"))
    start = dt.datetime(2023, 5, 29, 14, 0, tzinfo=TORONTO)
    end = dt.datetime(2023, 5, 29, 14, 45, tzinfo=TORONTO)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class MissionMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MissionMember

    mission = factory.SubFactory(MissionFactory)
    user = factory.SubFactory(UserFactory)
    role = "advisor"
