"""The public application form of a mission's call for SMEs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ContactFactory,
    MissionFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectPartnerFactory,
    SmeFactory,
)
from trademission.participants.models import ContactPerson, Participation, Sme

pytestmark = pytest.mark.django_db


@pytest.fixture
def mission():
    partner = ProjectPartnerFactory(organisation__name="OPTITEC")
    today = timezone.localdate()
    return MissionFactory(
        project=partner.project,
        name="Business mission to Canada",
        slug="canada",
        start=today + dt.timedelta(days=60),
        end=today + dt.timedelta(days=64),
        call_open=True,
        call_deadline=today + dt.timedelta(days=10),
        call_intro="Twelve places for dual-use SMEs.",
        application_questions=[
            {"key": "budget", "label": "Who pays your travel?", "required": True},
            {"key": "remarks", "label": "Anything else?", "required": False},
        ],
    )


def form_data(mission, **changes):
    data = {
        "name": "ThermaVue Optique",
        "country": "fr",
        "city": "Marseille",
        "website": "https://www.thermavue.example/en/",
        "cluster": mission.project.partners.get().pk,
        "description": "Infrared lenses for thermal cameras.",
        "technologies": "LWIR lenses, moulded chalcogenide optics",
        "keywords": "infrared; optronics",
        "trl": "8",
        "sectors": "defence, security",
        "markets": "ca, us",
        "languages": "fr, en",
        "partner_types_sought": ["prime_contractor", "distributor"],
        "expectations": "Become a supplier of camera makers.",
        "export_controlled": "on",
        "contact_name": "Sophie Marcadier",
        "contact_role": "Export manager",
        "contact_email": "sophie@thermavue.example",
        "contact_phone": "",
        "contact_language": "fr",
        "consent": "on",
        "q_budget": "Our own budget",
        "q_remarks": "",
    }
    return {**data, **changes}


def apply_url(mission):
    return reverse("portal:apply", kwargs={"mission": mission.slug})


def test_form_shows_intro_questions_and_project_clusters(client, mission):
    ProjectPartnerFactory(
        project=mission.project, is_coordinator=False, organisation__name="CenSec"
    )
    response = client.get(apply_url(mission))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Twelve places for dual-use SMEs." in html
    assert "Who pays your travel?" in html
    cluster_names = [str(o) for o in response.context["form"].fields["cluster"].queryset]
    assert cluster_names == ["CenSec", "OPTITEC"]


def test_application_creates_sme_contact_and_participation(client, mission):
    response = client.post(apply_url(mission), form_data(mission))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:apply_done", kwargs={"mission": "canada"})
    sme = Sme.objects.get()
    assert (sme.name, sme.country, sme.trl, sme.export_controlled) == (
        "ThermaVue Optique",
        "FR",
        8,
        True,
    )
    assert sme.technologies == ["LWIR lenses", "moulded chalcogenide optics"]
    assert sme.keywords == ["infrared", "optronics"]
    assert (sme.markets, sme.languages) == (["CA", "US"], ["fr", "en"])
    assert sme.partner_types_sought == ["prime_contractor", "distributor"]
    assert sme.profile_language == "fr"
    participation = Participation.objects.get()
    assert (participation.mission, participation.status) == (mission, "applied")
    assert participation.answers == {"budget": "Our own budget", "remarks": ""}
    contact = participation.contact
    assert (contact.sme, contact.email, contact.language) == (sme, "sophie@thermavue.example", "fr")
    assert contact.consent_at is not None


def test_known_sme_is_reused_by_website_domain(client, mission):
    earlier = ParticipationFactory(
        mission=MissionFactory(project=mission.project),
        sme=SmeFactory(name="ThermaVue SAS", website="http://thermavue.example"),
    )
    ContactFactory(sme=earlier.sme, email="sophie@thermavue.example", name="S. Marcadier")
    client.post(apply_url(mission), form_data(mission))
    assert Sme.objects.count() == 1
    sme = Sme.objects.get()
    assert sme.participations.count() == 2
    # A public form does not rewrite a known profile: blanks are filled, the rest is kept
    # and what differs is shown beside the application.
    assert (sme.name, sme.description) == (
        "ThermaVue SAS",
        "Thermal imaging cores for surveillance.",
    )
    assert (sme.city, sme.trl, sme.export_controlled) == ("Marseille", 8, True)
    participation = sme.participations.get(mission=mission)
    assert participation.answers["_profile_differences"] == {
        "name": "ThermaVue Optique",
        "website": "https://www.thermavue.example/en/",
        "description": "Infrared lenses for thermal cameras.",
        "cluster": "OPTITEC",
    }
    assert ContactPerson.objects.get().name == "Sophie Marcadier"


def test_known_sme_is_reused_by_name_and_country(client, mission):
    SmeFactory(name="ThermaVue Optique", country="FR")
    SmeFactory(name="ThermaVue Optique", country="BE")
    client.post(apply_url(mission), form_data(mission, website=""))
    assert Sme.objects.count() == 2
    assert Participation.objects.get().sme.country == "FR"


def test_second_application_of_the_same_sme_is_refused(client, mission):
    client.post(apply_url(mission), form_data(mission))
    response = client.post(apply_url(mission), form_data(mission))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "ThermaVue Optique has already applied to this mission."
    ]
    assert Participation.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"consent": ""}, "consent", "We need your consent to process your application."),
        ({"q_budget": ""}, "q_budget", "This field is required."),
        ({"contact_email": "not-an-address"}, "contact_email", "Enter a valid email address."),
        ({"country": "F1"}, "country", "Use the two-letter ISO code, e.g. FR."),
        (
            {"markets": "Canada"},
            "markets",
            "Use two-letter codes (e.g. CA, US); not understood: Canada.",
        ),
        ({"trl": "12"}, "trl", "Select a valid choice. 12 is not one of the available choices."),
    ],
)
def test_bad_application_is_refused_next_to_the_field(client, mission, changes, field, message):
    response = client.post(apply_url(mission), form_data(mission, **changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not Sme.objects.exists()


def test_cluster_outside_the_project_is_refused(client, mission):
    outsider = OrganisationFactory()
    response = client.post(apply_url(mission), form_data(mission, cluster=outsider.pk))
    assert response.context["form"].errors["cluster"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


@pytest.mark.parametrize("closed", ["not_open", "deadline_passed"])
def test_closed_call_shows_a_clear_page_and_records_nothing(client, mission, closed):
    if closed == "not_open":
        mission.call_open = False
    else:
        # the deadline is a day in the mission's time zone: yesterday there, not on the server
        # (between 00:00 UTC and midnight in Toronto, the server's yesterday is today there)
        mission.call_deadline = timezone.localdate(timezone=mission.tz) - dt.timedelta(days=1)
    mission.save()
    response = client.get(apply_url(mission))
    assert response.status_code == 200
    assert "Applications closed" in response.content.decode()
    response = client.post(apply_url(mission), form_data(mission))
    assert "Applications closed" in response.content.decode()
    assert not Sme.objects.exists()


def test_unknown_mission_is_404(client, db):
    assert client.get(reverse("portal:apply", kwargs={"mission": "nowhere"})).status_code == 404


def test_form_in_french(client, mission):
    response = client.get(f"/fr{apply_url(mission)}")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()
    assert response.context["form"].fields["contact_language"].initial == "fr"
