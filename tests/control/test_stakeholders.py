"""The stakeholder directory pages: list, detail, forms, delete, import steps, export."""

from __future__ import annotations

import dataclasses
import io
import time

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ContactFactory,
    MatchFactory,
    MeetingFactory,
    MembershipFactory,
    MissionMemberFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectPartnerFactory,
    StakeholderFactory,
)
from tests.participants.spreadsheets import csv_bytes, good_rows
from trademission.missions.models import Organisation
from trademission.participants.models import ContactPerson, Stakeholder

pytestmark = pytest.mark.django_db


def url(tenant, name="stakeholders", **kwargs):
    return reverse(f"control:{name}", kwargs={"mission": tenant.mission.slug, **kwargs})


@pytest.fixture
def coordinator(client, tenant):
    client.force_login(tenant.user)
    return client


@pytest.fixture
def partner_staff(client, tenant):
    partner = ProjectPartnerFactory(project=tenant.project, is_coordinator=False)
    client.force_login(MembershipFactory(organisation=partner.organisation).user)
    return client


@pytest.fixture
def imports_dir(settings, tmp_path):
    settings.CONFIG = dataclasses.replace(settings.CONFIG, data_dir=tmp_path)
    return tmp_path / "imports"


def add_entry(mission, **kwargs):
    entry = StakeholderFactory(mission=mission, **kwargs)
    ContactFactory(stakeholder=entry)
    MatchFactory(participation=ParticipationFactory(mission=mission), stakeholder=entry)
    return entry


def queries(client, target):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(target).status_code == 200
    return len(ctx.captured_queries)


# --- list -----------------------------------------------------------------------------------


def test_list_query_count_does_not_grow_with_rows(coordinator, tenant):
    add_entry(tenant.mission)
    one = queries(coordinator, url(tenant) + "?sort=-matches&q=sensors")
    add_entry(tenant.mission)
    add_entry(tenant.mission)
    three = queries(coordinator, url(tenant) + "?sort=-matches&q=sensors")
    assert one == three


def test_detail_query_count_does_not_grow_with_contacts(coordinator, tenant):
    entry = add_entry(tenant.mission)
    target = url(tenant, "stakeholders_detail", pk=entry.pk)
    one = queries(coordinator, target)
    ContactFactory.create_batch(2, stakeholder=entry)
    assert queries(coordinator, target) == one


def test_list_searches_filters_and_sorts(coordinator, tenant):
    mission = tenant.mission
    cae = add_entry(mission, organisation__name="CAE", city="Montreal", languages=["en", "fr"])
    MatchFactory(participation=ParticipationFactory(mission=mission), stakeholder=cae)
    StakeholderFactory(
        mission=mission,
        organisation__name="Kinaxis",
        city="Ottawa",
        type="integrator",
        needs="Supply chain planning",
        keywords=["logistics"],
        languages=["en"],
    )
    StakeholderFactory(
        mission=mission, organisation__name="aéro Montréal", type="association", languages=["fr"]
    )
    StakeholderFactory(organisation__name="Foreign entry")  # another mission

    def names(query):
        page = coordinator.get(url(tenant) + query)
        return [s.organisation.name for s in page.context["stakeholders"]]

    assert names("") == ["aéro Montréal", "CAE", "Kinaxis"]
    assert names("?q=logistics") == ["Kinaxis"]
    assert names("?q=supply+planning") == ["Kinaxis"]
    assert names("?q=cae") == ["CAE"]
    assert names("?city=Ottawa") == ["Kinaxis"]
    assert names("?type=association") == ["aéro Montréal"]
    assert names("?language=fr") == ["aéro Montréal", "CAE"]
    assert names("?has_contact=yes") == ["CAE"]
    assert names("?has_contact=no") == ["aéro Montréal", "Kinaxis"]
    assert names("?sort=-matches") == ["CAE", "aéro Montréal", "Kinaxis"]
    assert names("?sort=-name") == ["Kinaxis", "CAE", "aéro Montréal"]
    assert names("?sort=nonsense&city=Atlantis") == ["aéro Montréal", "CAE", "Kinaxis"]
    html = coordinator.get(url(tenant) + "?sort=-matches").content.decode()
    assert 'aria-sort="descending"' in html


def test_list_is_paginated_by_50(coordinator, tenant):
    StakeholderFactory.create_batch(51, mission=tenant.mission)
    first = coordinator.get(url(tenant))
    assert len(first.context["stakeholders"]) == 50
    assert first.context["paginator"].num_pages == 2
    second = coordinator.get(url(tenant) + "?page=2")
    assert len(second.context["stakeholders"]) == 1
    assert coordinator.get(url(tenant) + "?page=3").status_code == 404


def test_list_in_french(coordinator, tenant):
    StakeholderFactory(mission=tenant.mission)
    page = coordinator.get(f"/fr/missions/{tenant.mission.slug}/stakeholders/")
    assert page.status_code == 200
    assert '<html lang="fr">' in page.content.decode()


def test_entry_of_another_mission_is_not_found(coordinator, tenant):
    foreign = StakeholderFactory()
    for name in ("stakeholders_detail", "stakeholders_edit", "stakeholders_delete"):
        assert coordinator.get(url(tenant, name, pk=foreign.pk)).status_code == 404
    assert coordinator.post(url(tenant, "stakeholders_delete", pk=foreign.pk)).status_code == 404
    assert Stakeholder.objects.filter(pk=foreign.pk).exists()


# --- roles ----------------------------------------------------------------------------------


def test_partner_staff_read_but_do_not_change_or_see_contacts(partner_staff, tenant):
    entry = add_entry(tenant.mission)
    contact = entry.contacts.get()
    assert partner_staff.get(url(tenant)).status_code == 200
    detail = partner_staff.get(url(tenant, "stakeholders_detail", pk=entry.pk))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert contact.email not in html
    assert "your role does not show them" in html
    assert "Add a stakeholder" not in partner_staff.get(url(tenant)).content.decode()
    for name, kwargs in [
        ("stakeholders_new", {}),
        ("stakeholders_edit", {"pk": entry.pk}),
        ("stakeholders_delete", {"pk": entry.pk}),
        ("stakeholders_import", {}),
        ("stakeholders_import_mapping", {}),
        ("stakeholders_import_preview", {}),
        ("stakeholders_export", {}),
    ]:
        assert partner_staff.get(url(tenant, name, **kwargs)).status_code == 403, name
        if name != "stakeholders_export":  # GET only
            assert partner_staff.post(url(tenant, name, **kwargs)).status_code == 403, name
    assert Stakeholder.objects.filter(pk=entry.pk).exists()


def test_advisor_sees_contacts_but_not_the_personal_data_actions(client, tenant):
    entry = add_entry(tenant.mission)
    client.force_login(MissionMemberFactory(mission=tenant.mission, role="advisor").user)
    html = client.get(url(tenant, "stakeholders_detail", pk=entry.pk)).content.decode()
    assert entry.contacts.get().email in html
    assert "Export (JSON)" not in html


# --- create, edit, delete -------------------------------------------------------------------


def form_data(**overrides):
    data = {
        "name": "Thales Canada",
        "website": "thalesgroup.com/canada",
        "country": "ca",
        "type": "prime_contractor",
        "city": "Montreal",
        "address": "",
        "postcode": "",
        "latitude": "45.5",
        "longitude": "-73.6",
        "description": "",
        "needs": "Infrared sensors",
        "keywords": "infrared; optronics",
        "programmes": "",
        "languages": "en, FR",
        "profile_language": "en",
        "availability": "",
        "available_days": ["2023-05-30"],
        "meeting_place": "premises",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "20",
        "contacts-0-name": "Anne Roy",
        "contacts-0-role": "Buyer",
        "contacts-0-email": "anne@thales.example",
        "contacts-0-phone": "",
        "contacts-0-language": "fr",
    }
    data.update(overrides)
    return data


def test_create_writes_organisation_entry_and_contact(coordinator, tenant):
    response = coordinator.post(url(tenant, "stakeholders_new"), form_data())
    entry = Stakeholder.objects.get(mission=tenant.mission)
    assert response.status_code == 302
    assert response["Location"] == url(tenant, "stakeholders_detail", pk=entry.pk)
    assert (entry.organisation.name, entry.organisation.website, entry.organisation.country) == (
        "Thales Canada",
        "https://thalesgroup.com/canada",
        "CA",
    )
    assert entry.organisation.kind == "stakeholder"
    assert (entry.keywords, entry.languages, entry.available_days) == (
        ["infrared", "optronics"],
        ["en", "fr"],
        ["2023-05-30"],
    )
    assert list(entry.contacts.values_list("name", "email", "language")) == [
        ("Anne Roy", "anne@thales.example", "fr")
    ]


def test_create_reuses_the_known_organisation(coordinator, tenant):
    known = OrganisationFactory(name="THALES CANADA INC.", kind="stakeholder", country="CA")
    coordinator.post(url(tenant, "stakeholders_new"), form_data())
    assert Stakeholder.objects.get(mission=tenant.mission).organisation == known
    assert Organisation.objects.filter(kind="stakeholder").count() == 1


def test_second_entry_for_the_same_organisation_is_refused_next_to_the_name(coordinator, tenant):
    StakeholderFactory(
        mission=tenant.mission,
        organisation__name="Thales",
        organisation__website="https://www.thalesgroup.com/canada/",
    )
    response = coordinator.post(url(tenant, "stakeholders_new"), form_data())
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "Thales is already in this mission's stakeholder directory; edit that entry instead."
    ]
    assert tenant.mission.stakeholders.count() == 1
    assert not ContactPerson.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"longitude": ""}, "longitude", "Give both latitude and longitude, or neither."),
        ({"latitude": "91"}, "latitude", "A latitude lies between -90 and 90 degrees."),
        (
            {"country": "Canada"},
            "country",
            "Ensure this value has at most 2 characters (it has 6).",
        ),
        ({"languages": "english"}, "languages", "Use two-letter language codes"),
        ({"available_days": ["2023-07-01"]}, "available_days", "Select a valid choice."),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_inconsistent_data_is_refused_next_to_the_field(
    coordinator, tenant, overrides, field, message
):
    response = coordinator.post(url(tenant, "stakeholders_new"), form_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Stakeholder.objects.exists()


def test_contact_with_bad_email_is_refused(coordinator, tenant):
    response = coordinator.post(
        url(tenant, "stakeholders_new"), form_data(**{"contacts-0-email": "nope"})
    )
    assert response.context["formset"].forms[0].errors["email"] == ["Enter a valid email address."]
    assert not Stakeholder.objects.exists()


def test_edit_changes_the_entry_and_its_contacts(coordinator, tenant):
    entry = add_entry(tenant.mission, organisation__name="Kinaxis")
    old = entry.contacts.get()
    data = form_data(
        name="Kinaxis Inc",
        **{
            "contacts-TOTAL_FORMS": "2",
            "contacts-INITIAL_FORMS": "1",
            "contacts-0-id": str(old.pk),
            "contacts-0-name": old.name,
            "contacts-0-email": old.email,
            "contacts-0-DELETE": "on",
            "contacts-1-name": "New Person",
            "contacts-1-email": "",
            "contacts-1-language": "en",
        },
    )
    response = coordinator.post(url(tenant, "stakeholders_edit", pk=entry.pk), data)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.organisation.name == "Kinaxis Inc"
    assert list(entry.contacts.values_list("name", flat=True)) == ["New Person"]
    assert entry.matches.count() == 1


def test_delete_asks_first_then_deletes(coordinator, tenant):
    entry = add_entry(tenant.mission, organisation__name="Kinaxis")
    MeetingFactory.create_batch(2, mission=tenant.mission, host=entry)
    page = coordinator.get(url(tenant, "stakeholders_delete", pk=entry.pk))
    html = page.content.decode()
    assert "Remove Kinaxis from the directory?" in html
    assert "1 contact person" in html
    assert "1 match" in html
    assert "0 meeting requests" in html
    assert "2 meetings it hosts" in html
    assert Stakeholder.objects.filter(pk=entry.pk).exists()
    response = coordinator.post(url(tenant, "stakeholders_delete", pk=entry.pk))
    assert response["Location"] == url(tenant)
    assert not Stakeholder.objects.filter(pk=entry.pk).exists()
    assert Organisation.objects.filter(name="Kinaxis").exists()


# --- import ---------------------------------------------------------------------------------


def upload(client, tenant, name, content):
    return client.post(
        url(tenant, "stakeholders_import"), {"file": SimpleUploadedFile(name, content)}
    )


def test_import_csv_through_the_steps(coordinator, tenant, imports_dir):
    response = upload(coordinator, tenant, "list.csv", csv_bytes(good_rows(), delimiter=";"))
    assert response["Location"] == url(tenant, "stakeholders_import_mapping")
    stored = list(imports_dir.iterdir())
    assert len(stored) == 1
    assert stored[0].stat().st_mode & 0o777 == 0o600
    state = coordinator.session[f"stakeholder_import:{tenant.mission.pk}"]
    assert stored[0].name == f"{state['token']}.csv"

    mapping = coordinator.get(url(tenant, "stakeholders_import_mapping"))
    assert "list.csv: 3 rows of data." in mapping.content.decode()
    form = mapping.context["form"]
    assert [form[f"col_{i}"].initial for i in range(8)] == [
        "name",
        "type",
        "city",
        "needs",
        "latitude",
        "longitude",
        "contact_email",
        "contact_name",
    ]
    chosen = {f"col_{i}": form[f"col_{i}"].initial for i in range(8)}
    chosen["col_3"] = ""  # ignore the needs
    response = coordinator.post(url(tenant, "stakeholders_import_mapping"), chosen)
    assert response["Location"] == url(tenant, "stakeholders_import_preview")

    preview = coordinator.get(url(tenant, "stakeholders_import_preview"))
    html = preview.content.decode()
    assert 'data-count="ready">3<' in html
    assert "Import 3 stakeholders" in html
    assert Stakeholder.objects.count() == 0

    done = coordinator.post(url(tenant, "stakeholders_import_preview"))
    assert done["Location"] == url(tenant)
    assert sorted(tenant.mission.stakeholders.values_list("organisation__name", "needs")) == [
        ("Kinaxis", ""),
        ("Thales Canada", ""),
        ("Université Laval", ""),
    ]
    assert list(imports_dir.iterdir()) == []
    assert f"stakeholder_import:{tenant.mission.pk}" not in coordinator.session


def test_mapping_without_a_required_column_is_refused(coordinator, tenant, imports_dir):
    upload(coordinator, tenant, "list.csv", csv_bytes(good_rows()))
    chosen = {f"col_{i}": "" for i in range(8)}
    chosen["col_0"] = "name"
    response = coordinator.post(url(tenant, "stakeholders_import_mapping"), chosen)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "No column is mapped to “Type”, which every row needs.",
        "No column is mapped to “City”, which every row needs.",
    ]


def test_preview_lists_problems_and_confirm_imports_nothing(coordinator, tenant, imports_dir):
    rows = good_rows()
    rows[2][4] = "north"
    rows[3][3] = '=HYPERLINK("http://evil.example")'
    upload(coordinator, tenant, "list.csv", csv_bytes(rows))
    coordinator.post(
        url(tenant, "stakeholders_import_mapping"),
        {
            f"col_{i}": key
            for i, key in enumerate(
                [
                    "name",
                    "type",
                    "city",
                    "needs",
                    "latitude",
                    "longitude",
                    "contact_email",
                    "contact_name",
                ]
            )
        },
    )
    preview = coordinator.get(url(tenant, "stakeholders_import_preview"))
    issues = [(i.row, i.column) for i in preview.context["preview"].issues]
    assert issues == [(3, "Latitude"), (4, "Besoins")]
    assert "Upload a corrected file" in preview.content.decode()
    response = coordinator.post(url(tenant, "stakeholders_import_preview"))
    assert response.status_code == 200
    assert "Nothing was imported: 2 problem(s) to correct first." in response.content.decode()
    assert Stakeholder.objects.count() == 0


def test_duplicates_are_imported_only_when_skipping_is_chosen(coordinator, tenant, imports_dir):
    StakeholderFactory(mission=tenant.mission, organisation__name="Kinaxis")
    upload(coordinator, tenant, "list.csv", csv_bytes(good_rows()))
    coordinator.post(
        url(tenant, "stakeholders_import_mapping"),
        {f"col_{i}": k for i, k in enumerate(["name", "type", "city"])},
    )
    preview = coordinator.get(url(tenant, "stakeholders_import_preview"))
    assert "already in the directory as Kinaxis" in preview.content.decode()
    refused = coordinator.post(url(tenant, "stakeholders_import_preview"))
    assert refused.status_code == 200
    assert tenant.mission.stakeholders.count() == 1
    done = coordinator.post(url(tenant, "stakeholders_import_preview"), {"skip_duplicates": "on"})
    assert done.status_code == 302
    assert tenant.mission.stakeholders.count() == 3


def test_50_mb_upload_is_refused_quickly_and_nothing_is_kept(coordinator, tenant, imports_dir):
    content = b"Organisation,Ville,Type\n" + b"x" * (50 * 1024 * 1024)
    started = time.perf_counter()
    response = upload(coordinator, tenant, "huge.csv", content)
    elapsed = time.perf_counter() - started
    assert response.status_code == 413
    assert "the limit is 5 MB" in response.content.decode()
    assert elapsed < 5
    assert not imports_dir.exists() or list(imports_dir.iterdir()) == []
    assert f"stakeholder_import:{tenant.mission.pk}" not in coordinator.session


def test_not_utf8_csv_is_refused_on_the_upload_page(coordinator, tenant, imports_dir):
    response = upload(coordinator, tenant, "excel.csv", csv_bytes(good_rows(), encoding="cp1252"))
    assert response.status_code == 200
    assert "The file is not UTF-8: save it as “CSV UTF-8”" in " ".join(
        response.context["form"].errors["file"]
    )
    assert list(imports_dir.iterdir()) == []


def test_upload_requires_the_csrf_token(tenant, imports_dir):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(tenant.user)
    response = upload(client, tenant, "list.csv", csv_bytes(good_rows()))
    assert response.status_code == 403
    assert not imports_dir.exists() or list(imports_dir.iterdir()) == []


def test_cancel_deletes_the_upload(coordinator, tenant, imports_dir):
    upload(coordinator, tenant, "list.csv", csv_bytes(good_rows()))
    assert len(list(imports_dir.iterdir())) == 1
    coordinator.post(url(tenant, "stakeholders_import_mapping"), {"cancel": "1"})
    assert list(imports_dir.iterdir()) == []


def test_steps_without_an_upload_say_so(coordinator, tenant):
    for name in ("stakeholders_import_mapping", "stakeholders_import_preview"):
        html = coordinator.get(url(tenant, name)).content.decode()
        assert "No file is being imported." in html


# --- export ---------------------------------------------------------------------------------


def test_export_download(coordinator, tenant):
    add_entry(tenant.mission, organisation__name="=cmd")
    response = coordinator.get(url(tenant, "stakeholders_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="stakeholders-{tenant.mission.slug}.xlsx"'
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Stakeholders", "Contacts"]
    assert workbook["Stakeholders"]["A2"].value == "'=cmd"
