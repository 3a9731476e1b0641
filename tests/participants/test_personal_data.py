"""Contact persons' personal data: export to the person, erase on request (coordinator only)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.factories import ContactFactory, MissionMemberFactory, StakeholderFactory
from trademission.participants.domain.personal_data import erase_contact, export_contact
from trademission.participants.models import ContactPerson, Stakeholder

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(tenant):
    entry = StakeholderFactory(mission=tenant.mission, organisation__name="CAE")
    return ContactFactory(
        stakeholder=entry,
        name="Julie Ferland",
        role="Director",
        email="julie@example.ca",
        phone="+1 514 555 0100",
        language="fr",
    )


def urls(contact, verb):
    kwargs = {
        "mission": contact.stakeholder.mission.slug,
        "pk": contact.stakeholder_id,
        "contact": contact.pk,
    }
    return reverse(f"control:stakeholders_contact_{verb}", kwargs=kwargs)


def test_export_contact_holds_everything_stored_about_the_person(contact):
    data = export_contact(contact)
    assert data["person"] == {
        "name": "Julie Ferland",
        "role": "Director",
        "email": "julie@example.ca",
        "phone": "+1 514 555 0100",
        "preferred_language": "fr",
        "consent_at": None,
    }
    assert data["held_for"] == {
        "kind": "stakeholder",
        "organisation": "CAE",
        "mission": contact.stakeholder.mission.name,
    }


def test_erase_contact_deletes_the_person_only(contact):
    entry = contact.stakeholder
    erase_contact(contact)
    assert not ContactPerson.objects.filter(pk=contact.pk).exists()
    assert Stakeholder.objects.filter(pk=entry.pk).exists()


def test_coordinator_downloads_the_json(client, tenant, contact):
    client.force_login(tenant.user)
    response = client.get(urls(contact, "export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="contact-julie-ferland.json"'
    assert json.loads(response.content)["person"]["email"] == "julie@example.ca"


def test_erasure_asks_for_confirmation_then_erases(client, tenant, contact):
    client.force_login(tenant.user)
    page = client.get(urls(contact, "erase"))
    assert page.status_code == 200
    assert "Erase the data of Julie Ferland (CAE)?" in page.content.decode()
    assert ContactPerson.objects.filter(pk=contact.pk).exists()
    response = client.post(urls(contact, "erase"))
    assert response.status_code == 302
    assert not ContactPerson.objects.filter(pk=contact.pk).exists()


def test_advisor_may_not_export_or_erase(client, tenant, contact):
    advisor = MissionMemberFactory(mission=tenant.mission, role="advisor").user
    client.force_login(advisor)
    assert client.get(urls(contact, "export")).status_code == 403
    assert client.get(urls(contact, "erase")).status_code == 403
    assert client.post(urls(contact, "erase")).status_code == 403
    assert ContactPerson.objects.filter(pk=contact.pk).exists()


def test_contact_of_another_mission_is_not_found(client, tenant, contact):
    other = ContactFactory(stakeholder=StakeholderFactory())
    client.force_login(tenant.user)
    url = reverse(
        "control:stakeholders_contact_export",
        kwargs={"mission": tenant.mission.slug, "pk": other.stakeholder_id, "contact": other.pk},
    )
    assert client.get(url).status_code == 404
    assert client.post(url.replace("/export/", "/erase/")).status_code == 404
    assert ContactPerson.objects.filter(pk=other.pk).exists()
