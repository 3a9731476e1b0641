"""Reading stakeholder lists: limits, encodings, columns, cells, duplicates, all or nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import MissionFactory, OrganisationFactory, StakeholderFactory
from tests.participants.spreadsheets import HEADERS, good_rows, write_csv, write_xlsx
from trademission.missions.models import Organisation
from trademission.participants.domain.stakeholders import (
    ImportRejected,
    import_stakeholders,
    normalise_name,
    website_key,
)
from trademission.participants.interfaces.stakeholder_import import (
    MAX_ROWS,
    ImportFileError,
    build_preview,
    check_mapping,
    guess_mapping,
    parse_rows,
    purge_stale_uploads,
    read_table,
    store_upload,
    upload_path,
)
from trademission.participants.models import ContactPerson, Stakeholder

pytestmark = pytest.mark.django_db


@pytest.fixture
def mission():
    return MissionFactory()


def preview_of(path, mission):
    table = read_table(path)
    return build_preview(table, guess_mapping(table.headers), mission)


def messages_of(preview):
    return [(issue.row, issue.column, issue.message) for issue in preview.issues]


def test_guess_mapping_reads_english_and_french_headers():
    assert guess_mapping(HEADERS) == [
        "name",
        "type",
        "city",
        "needs",
        "latitude",
        "longitude",
        "contact_email",
        "contact_name",
    ]
    assert guess_mapping(["Nom", "City", "E-mail", "Site web", "Code postal", "Mots-clés"]) == [
        "name",
        "city",
        "contact_email",
        "website",
        "postcode",
        "keywords",
    ]
    # A second column of the same meaning is left for the user to decide.
    assert guess_mapping(["Name", "Nom", "Ville"]) == ["name", "", "city"]


def test_check_mapping_names_missing_required_columns_and_doubles():
    problems = check_mapping(["name", "", "needs", "needs"])
    assert problems == [
        "No column is mapped to “Type”, which every row needs.",
        "No column is mapped to “City”, which every row needs.",
        "Two columns are mapped to “Needs”; choose one.",
    ]
    assert check_mapping(["name", "city", "type"]) == []


def test_xlsx_with_french_headers_imports_every_row(tmp_path, mission):
    preview = preview_of(write_xlsx(tmp_path / "list.xlsx", good_rows()), mission)
    assert preview.issues == []
    result = import_stakeholders(mission, preview.rows)
    assert result.created == 3
    thales = Stakeholder.objects.get(mission=mission, organisation__name="Thales Canada")
    assert (thales.type, thales.city, thales.latitude, thales.longitude) == (
        "prime_contractor",
        "Montréal",
        45.5,
        -73.6,
    )
    assert thales.needs == "Capteurs infrarouges"
    laval = Stakeholder.objects.get(mission=mission, organisation__name="Université Laval")
    assert laval.type == "university"
    assert (laval.latitude, laval.longitude) == (46.78, -71.27)
    assert list(laval.contacts.values_list("name", "email")) == [("Marc Dubé", "b@ulaval.example")]
    assert Stakeholder.objects.get(organisation__name="Kinaxis").contacts.count() == 0
    assert set(
        Organisation.objects.filter(kind="stakeholder").values_list("country", flat=True)
    ) == {"CA"}


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters_and_bom_are_understood(tmp_path, mission, delimiter):
    path = tmp_path / "list.csv"
    write_csv(path, good_rows(), delimiter=delimiter, encoding="utf-8-sig")
    table = read_table(path)
    assert table.headers == HEADERS
    assert [number for number, _cells in table.rows] == [2, 3, 4]
    assert table.rows[1][1][0] == "Université Laval"


def test_csv_in_windows_1252_is_refused_with_line_and_byte(tmp_path):
    path = write_csv(tmp_path / "excel.csv", good_rows(), encoding="cp1252")
    with pytest.raises(ImportFileError) as error:
        read_table(path)
    message = str(error.value)
    assert message.startswith("The file is not UTF-8: save it as “CSV UTF-8”")
    # "Montréal" on line 2: é is 0xE9 in Windows-1252, after "Thales Canada,Prime contractor,Montr"
    assert "0xE9 on line 2, byte 37" in message


def test_file_over_5_mb_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as handle:
        handle.write(b"Organisation,Ville,Type\n")
        handle.truncate(50 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(ImportFileError, match=r"The file is 50.0 MB; the limit is 5 MB"):
        read_table(path)
    assert time.perf_counter() - started < 0.5


def test_xlsx_zip_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as member,
    ):
        chunk = b"0" * (1024 * 1024)
        for _ in range(101):
            member.write(chunk)
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(ImportFileError, match="unpacks to more than 100 MB"):
        read_table(path)


def test_too_many_rows_are_refused(tmp_path):
    rows = [["Organisation", "Ville", "Type"]] + [
        [f"Org {i}", "Ottawa", "university"] for i in range(MAX_ROWS + 1)
    ]
    path = write_csv(tmp_path / "long.csv", rows)
    with pytest.raises(ImportFileError, match="more than 20000 rows"):
        read_table(path)
    assert [number for number, _cells in read_table(path, head=2).rows] == [2, 3]
    rows.pop()
    assert len(read_table(write_csv(tmp_path / "max.csv", rows)).rows) == MAX_ROWS


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.xls", b"\xd0\xcf\x11\xe0", "Old .xls workbooks cannot be read"),
        ("list.txt", b"a,b", "Only .xlsx and .csv files can be imported."),
        ("list.xlsx", b"Organisation,Ville\nA,B\n", "This is not a valid .xlsx workbook"),
        ("list.csv", b"", "The file is empty."),
        ("list.csv", b"Organisation,Ville,Type\n", "column names but no rows of data"),
        ("list.csv", b"\n\nA,B\n", "The first row must hold the column names"),
    ],
)
def test_malformed_files_are_refused_with_a_clear_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        read_table(path)


def test_formula_cells_are_refused_except_signed_numbers_and_phone_numbers(tmp_path, mission):
    rows = [
        [
            "Organisation",
            "Ville",
            "Type",
            "Besoins",
            "Longitude",
            "Latitude",
            "Téléphone",
            "Contact",
        ],
        [
            "Acme",
            "Ottawa",
            "investor",
            '=HYPERLINK("http://evil.example","x")',
            "-75.7",
            "45.4",
            "+1 613 555 0100",
            "Ann",
        ],
        ["@SUM(A1)", "Ottawa", "investor", "", "", "", "", ""],
        ["Beta", "Ottawa", "investor", "-see notes", "", "", "+1+cmd", "Bob"],
        ["Gamma", "Ottawa", "investor", "\tdata", "", "", "", ""],
    ]
    preview = preview_of(write_csv(tmp_path / "f.csv", rows), mission)
    formula = "would run as a formula in a spreadsheet; remove that character."
    assert messages_of(preview) == [
        (2, "Besoins", f"The cell starts with “=” and {formula}"),
        (3, "Organisation", f"The cell starts with “@” and {formula}"),
        (4, "Besoins", f"The cell starts with “-” and {formula}"),
        (4, "Téléphone", f"The cell starts with “+” and {formula}"),
        (5, "Besoins", f"The cell starts with “TAB” and {formula}"),
    ]
    acme = preview.rows[0]
    assert acme.fields["longitude"] == -75.7
    assert acme.contact["phone"] == "+1 613 555 0100"


def test_real_formulas_in_an_xlsx_are_refused(tmp_path, mission):
    rows = [["Organisation", "Ville", "Type"], ["Acme", "Ottawa", '=CONCAT("uni","versity")']]
    preview = preview_of(write_xlsx(tmp_path / "f.xlsx", rows), mission)
    assert [(i.row, i.column) for i in preview.issues] == [(2, "Type")]
    assert "“=”" in preview.issues[0].message


def test_bad_values_are_reported_per_row_and_column(tmp_path, mission):
    rows = [
        [
            "Nom",
            "Ville",
            "Type",
            "Latitude",
            "Longitude",
            "Jours disponibles",
            "Langues",
            "Courriel",
            "Contact",
            "Lieu de rencontre",
        ],
        [
            "A",
            "Ottawa",
            "spaceship",
            "45.4",
            "-75.7",
            "2023-05-30; 2023-06-01",
            "en, fr",
            "a@x.example",
            "Ann",
            "trade show",
        ],
        ["B", "", "university", "north", "-75.7", "", "", "", "", ""],
        [
            "C",
            "Ottawa",
            "university",
            "95",
            "",
            "2023-13-01",
            "klingon",
            "not-an-email",
            "Cy",
            "garden",
        ],
        [
            "D",
            "Ottawa",
            "Organisme de recherche",
            "45,42",
            "-75,69",
            "30/05/2023, 2023-07-01",
            "anglais",
            "",
            "",
            "En ligne",
        ],
    ]
    preview = preview_of(write_csv(tmp_path / "bad.csv", rows), mission)
    problems = messages_of(preview)
    assert problems == [
        (
            2,
            "Type",
            "Unknown value “spaceship”; use one of: Prime contractor, Integrator / supplier, "
            "Government agency, Research organisation, University, Association / cluster, "
            "Investor, End user, Distributor.",
        ),
        (3, "Ville", "This value is required."),
        (3, "Latitude", "“north” is not a number."),
        (
            4,
            "Lieu de rencontre",
            "Unknown value “garden”; use one of: At their premises, At the trade show, Online.",
        ),
        (4, "Langues", "Unknown language “klingon”; use two-letter codes such as en, fr."),
        (4, "Latitude", "95 is out of range (−90 to 90)."),
        (4, "Longitude", "Give both latitude and longitude, or neither."),
        (
            4,
            "Jours disponibles",
            "“2023-13-01” is not a date; write it as YYYY-MM-DD, e.g. 2023-05-29.",
        ),
        (4, "Courriel", "“not-an-email” is not an e-mail address."),
        (
            5,
            "Jours disponibles",
            "2023-07-01 is not a day of the mission (May 29, 2023 – June 2, 2023).",
        ),
    ]
    a, _b, _c, d = preview.rows
    assert a.fields["available_days"] == ["2023-05-30", "2023-06-01"]
    assert a.fields["meeting_place"] == "trade_show"
    assert a.fields["languages"] == ["en", "fr"]
    assert d.fields["type"] == "research_organisation"
    assert d.fields["meeting_place"] == "online"
    assert (d.fields["latitude"], d.fields["longitude"]) == (45.42, -75.69)
    assert d.fields["languages"] == ["en"]


def test_one_bad_row_imports_nothing(tmp_path, mission):
    rows = good_rows()
    rows[2][4] = "lat?"
    table = read_table(write_xlsx(tmp_path / "list.xlsx", rows))
    preview = build_preview(table, guess_mapping(table.headers), mission)
    with pytest.raises(ImportRejected) as rejected:
        import_stakeholders(mission, preview.rows, issues=preview.issues)
    assert [(i.row, i.column) for i in rejected.value.issues] == [(3, "Latitude")]
    assert Stakeholder.objects.count() == 0
    assert Organisation.objects.filter(kind="stakeholder").count() == 0


def test_duplicates_in_the_file_and_in_the_mission_are_reported(tmp_path, mission):
    StakeholderFactory(mission=mission, organisation__name="Thales Canada Inc.")
    rows = [*good_rows(), ["KINAXIS", "Integrator", "Ottawa", "", "", "", "", ""]]
    preview = preview_of(write_xlsx(tmp_path / "list.xlsx", rows), mission)
    assert preview.issues == []
    assert preview.duplicates.in_mission == {2: "Thales Canada Inc."}
    assert preview.duplicates.in_file == {5: 4}
    with pytest.raises(ImportRejected) as rejected:
        import_stakeholders(mission, preview.rows, duplicate_column="Organisation")
    assert [(i.row, i.column, i.message) for i in rejected.value.issues] == [
        (
            2,
            "Organisation",
            "Duplicate: Thales Canada Inc. is already in this mission's directory.",
        ),
        (5, "Organisation", "Duplicate of row 4 of this file."),
    ]
    assert mission.stakeholders.count() == 1

    result = import_stakeholders(mission, preview.rows, skip_duplicates=True)
    assert (result.created, result.skipped) == (2, [2, 5])
    assert sorted(mission.stakeholders.values_list("organisation__name", flat=True)) == [
        "Kinaxis",
        "Thales Canada Inc.",
        "Université Laval",
    ]


def test_import_reuses_an_organisation_known_from_another_mission(tmp_path, mission):
    known = OrganisationFactory(
        name="Université Laval", kind="stakeholder", country="CA", website="https://ulaval.ca"
    )
    StakeholderFactory(organisation=known)  # in another mission
    preview = preview_of(write_xlsx(tmp_path / "list.xlsx", good_rows()), mission)
    assert preview.duplicates.reused == {3}
    result = import_stakeholders(mission, preview.rows)
    assert (result.created, result.organisations_reused) == (3, 1)
    assert mission.stakeholders.get(organisation__name="Université Laval").organisation == known
    assert Organisation.objects.filter(name="Université Laval").count() == 1


def test_import_writes_contacts_with_the_profile_language(tmp_path, mission):
    rows = [
        ["Organisation", "City", "Type", "Languages", "Contact", "Email", "Role", "Phone"],
        [
            "Acme",
            "Ottawa",
            "investor",
            "fr, en",
            "Ann Roy",
            "ann@acme.example",
            "CEO",
            "+1 613 555 0100",
        ],
    ]
    table = read_table(write_csv(tmp_path / "c.csv", rows))
    stakeholder_rows, issues = parse_rows(table, guess_mapping(table.headers), mission)
    assert issues == []
    import_stakeholders(mission, stakeholder_rows)
    contact = ContactPerson.objects.get()
    assert (contact.name, contact.email, contact.role, contact.phone, contact.language) == (
        "Ann Roy",
        "ann@acme.example",
        "CEO",
        "+1 613 555 0100",
        "fr",
    )
    assert contact.stakeholder.profile_language == "fr"


def test_identity_keys():
    assert normalise_name("Hydro-Québec Inc.") == normalise_name("hydro quebec")
    assert normalise_name("Ltée") == "ltee"  # a name that is only a suffix keeps it
    assert website_key("https://www.CAE.com/Defense/") == "cae.com/defense"
    assert website_key("cae.com") == "cae.com"
    assert website_key("") == ""


def test_xlsx_date_cells_are_available_days(tmp_path, mission):
    rows = [
        ["Organisation", "City", "Type", "Available days"],
        ["Acme", "Ottawa", "investor", dt.date(2023, 5, 31)],
        ["Beta", "Ottawa", "investor", dt.datetime(2023, 8, 1)],
    ]
    preview = preview_of(write_xlsx(tmp_path / "d.xlsx", rows), mission)
    assert preview.rows[0].fields["available_days"] == ["2023-05-31"]
    assert [(i.row, i.column) for i in preview.issues] == [(3, "Available days")]


def test_stale_uploads_are_purged(settings, tmp_path):
    settings.CONFIG = dataclasses.replace(settings.CONFIG, data_dir=tmp_path)
    token, path = store_upload([b"Organisation,City,Type\n"], ".csv")
    old = time.time() - 25 * 3600
    os.utime(path, (old, old))
    _fresh_token, fresh = store_upload([b"a"], ".csv")  # purges on the way
    assert not path.exists()
    assert fresh.exists()
    assert purge_stale_uploads() == 0
    with pytest.raises(ImportFileError):
        upload_path("../../etc/passwd", ".csv")
    assert token != _fresh_token


def test_preview_query_count_does_not_grow_with_rows(tmp_path, mission):
    StakeholderFactory(mission=mission)

    def count(n):
        rows = [HEADERS, *good_rows()[1 : 1 + n]]
        table = read_table(write_xlsx(tmp_path / f"{n}.xlsx", rows))
        with CaptureQueriesContext(connection) as ctx:
            build_preview(table, guess_mapping(table.headers), mission)
        return len(ctx.captured_queries)

    assert count(1) == count(3) == 3
