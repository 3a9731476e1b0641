"""The stakeholder directory as an XLSX workbook (openpyxl, write-only, formula-safe).

The first sheet has the columns the importer recognises, so an exported file can be edited
and imported into another mission. Contact persons (personal data) go to a second sheet,
only when the caller may see them. Every text cell goes through
:func:`spreadsheet_safety.neutralise`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from trademission.missions.models import Mission
from trademission.participants.domain.queries.stakeholders import stakeholders_for_export
from trademission.participants.interfaces.spreadsheet_safety import neutralise
from trademission.participants.interfaces.stakeholder_import import TARGETS_BY_KEY

STAKEHOLDER_COLUMNS = (
    "name",
    "website",
    "country",
    "type",
    "description",
    "needs",
    "keywords",
    "programmes",
    "address",
    "postcode",
    "city",
    "latitude",
    "longitude",
    "languages",
    "profile_language",
    "availability",
    "available_days",
    "meeting_place",
)


def write_rows(
    sheet: WriteOnlyWorksheet, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """A bold header row, then the rows with every value neutralised and stored as text.

    Reusable by other exporters: only strings, numbers, dates and None are written.
    """
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=neutralise(str(header)))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=neutralise(value))
            if isinstance(value, str):
                cell.data_type = "s"  # never "f", whatever the text
            cells.append(cell)
        sheet.append(cells)


def stakeholders_workbook(mission: Mission, *, with_contacts: bool) -> bytes:
    """The mission's stakeholders as XLSX bytes; a "Contacts" sheet only ``with_contacts``.

    Reads: two queries with contacts, one without, whatever the number of rows.
    """
    from django.utils.translation import gettext as _

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Stakeholders")))
    entries = list(stakeholders_for_export(mission, with_contacts=with_contacts))
    headers = [str(TARGETS_BY_KEY[key].label) for key in STAKEHOLDER_COLUMNS]
    write_rows(sheet, headers, (_stakeholder_row(entry) for entry in entries))
    if with_contacts:
        contacts = workbook.create_sheet(str(_("Contacts")))
        write_rows(
            contacts,
            [
                str(_("Organisation")),
                str(_("Contact")),
                str(_("Contact role")),
                str(_("Email")),
                str(_("Phone")),
                str(_("Preferred language")),
            ],
            (
                [entry.organisation.name, c.name, c.role, c.email, c.phone, c.language]
                for entry in entries
                for c in entry.contacts.all()
            ),
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _stakeholder_row(entry: Any) -> list[Any]:
    org = entry.organisation
    return [
        org.name,
        org.website,
        org.country,
        entry.get_type_display(),
        entry.description,
        entry.needs,
        "; ".join(entry.keywords or []),
        "; ".join(entry.programmes or []),
        entry.address,
        entry.postcode,
        entry.city,
        entry.latitude,
        entry.longitude,
        ", ".join(entry.languages or []),
        entry.profile_language,
        entry.availability,
        ", ".join(entry.available_days or []),
        entry.get_meeting_place_display(),
    ]
