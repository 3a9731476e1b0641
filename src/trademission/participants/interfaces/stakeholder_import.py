"""Reading a stakeholder list from XLSX or CSV: limits, columns, values, duplicates.

The file is read into a :class:`Table` (or refused with an :class:`ImportFileError` whose
message the page shows as is); the columns are mapped to the directory's fields (guessed from
English and French headers, then confirmed by the user); every row is parsed and checked on
its own (:func:`parse_rows`), then against the mission (duplicates, in
:mod:`trademission.participants.domain.stakeholders`). The import itself is all or nothing.

Refused files: larger than :data:`MAX_BYTES` (checked before parsing), more than
:data:`MAX_ROWS` data rows, an XLSX whose parts unpack to more than :data:`MAX_UNPACKED`
bytes (zip bomb) or that is not a valid workbook, a CSV that is not UTF-8 (a BOM is fine),
old ``.xls`` and any other type. Refused cells: text a spreadsheet would run as a formula
(:mod:`spreadsheet_safety`; signed numbers in the coordinate columns and ``+1 514 …`` phone
numbers in the phone column are allowed), bad coordinates, unknown types, languages or
meeting places, dates that are not days of the mission, bad e-mail addresses or websites,
text longer than the field, a missing name, city or type.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trademission.missions.models import Mission
from trademission.participants.domain.stakeholders import (
    DuplicateCheck,
    ImportRow,
    RowIssue,
    check_duplicates,
)
from trademission.participants.enums import MeetingPlace, PartnerType
from trademission.participants.interfaces.spreadsheet_safety import (
    is_formula_like,
    is_plain_number,
)

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 100
MAX_UNPACKED = 100 * 1024 * 1024
SUFFIXES = (".xlsx", ".csv")


class ImportFileError(Exception):
    """The file cannot be read at all; the message says why and what to do."""


@dataclass(frozen=True)
class Target:
    key: str
    label: Any  # lazy translation
    required: bool = False
    max_length: int | None = None
    synonyms: tuple[str, ...] = ()


TARGETS: tuple[Target, ...] = (
    Target(
        "name",
        gettext_lazy("Organisation"),
        True,
        200,
        (
            "organisation",
            "organization",
            "organisation name",
            "name",
            "nom",
            "organisme",
            "nom de l organisation",
            "nom de l organisme",
            "raison sociale",
            "company",
            "entreprise",
            "stakeholder",
            "partie prenante",
        ),
    ),
    Target("website", gettext_lazy("Website"), False, 200, ("website", "site", "site web", "url")),
    Target("country", gettext_lazy("Country"), False, 2, ("country", "pays")),
    Target(
        "type",
        gettext_lazy("Type"),
        True,
        None,
        ("type", "category", "categorie", "type d organisation", "type of organisation"),
    ),
    Target(
        "description",
        gettext_lazy("Description"),
        False,
        None,
        ("description", "who they are", "presentation", "profile", "profil"),
    ),
    Target(
        "needs",
        gettext_lazy("Needs"),
        False,
        None,
        ("needs", "needs and interests", "besoins", "besoins et interets", "interests"),
    ),
    Target("keywords", gettext_lazy("Keywords"), False, None, ("keywords", "mots cles", "tags")),
    Target("programmes", gettext_lazy("Programmes"), False, None, ("programmes", "programs")),
    Target("address", gettext_lazy("Address"), False, 300, ("address", "adresse")),
    Target(
        "postcode", gettext_lazy("Postcode"), False, 20, ("postcode", "postal code", "code postal")
    ),
    Target(
        "city",
        gettext_lazy("City"),
        True,
        100,
        ("city", "ville", "town", "municipality", "municipalite"),
    ),
    Target("latitude", gettext_lazy("Latitude"), False, None, ("latitude", "lat")),
    Target("longitude", gettext_lazy("Longitude"), False, None, ("longitude", "lon", "lng")),
    Target("languages", gettext_lazy("Languages"), False, None, ("languages", "langues")),
    Target(
        "profile_language",
        gettext_lazy("Profile language"),
        False,
        None,
        ("profile language", "language of the profile", "langue du profil"),
    ),
    Target(
        "availability",
        gettext_lazy("Availability"),
        False,
        None,
        ("availability", "disponibilite", "disponibilites"),
    ),
    Target(
        "available_days",
        gettext_lazy("Available days"),
        False,
        None,
        ("available days", "jours disponibles", "days", "jours", "dates"),
    ),
    Target(
        "meeting_place",
        gettext_lazy("Meeting place"),
        False,
        None,
        ("meeting place", "preferred meeting place", "lieu de rencontre", "lieu"),
    ),
    Target(
        "contact_name",
        gettext_lazy("Contact"),
        False,
        200,
        ("contact", "contact name", "contact person", "nom du contact", "personne contact"),
    ),
    Target(
        "contact_role",
        gettext_lazy("Contact role"),
        False,
        200,
        ("contact role", "role", "fonction", "title", "titre", "poste"),
    ),
    Target(
        "contact_email",
        gettext_lazy("Email"),
        False,
        254,
        ("email", "e mail", "courriel", "mail", "adresse courriel", "contact email"),
    ),
    Target(
        "contact_phone",
        gettext_lazy("Phone"),
        False,
        40,
        ("phone", "telephone", "tel", "contact phone"),
    ),
)
TARGETS_BY_KEY = {target.key: target for target in TARGETS}
REQUIRED = tuple(target.key for target in TARGETS if target.required)
NUMERIC = {"latitude", "longitude"}
LIST_FIELDS = {"keywords", "programmes"}
_PHONE = re.compile(r"^\+\d[\d ().-]{4,}$")
_LANGUAGE_NAMES = {
    "english": "en",
    "anglais": "en",
    "eng": "en",
    "french": "fr",
    "francais": "fr",
    "fra": "fr",
    "fre": "fr",
}


def _key(text: Any) -> str:
    """Header or label → comparison key: no case, accents or punctuation."""
    decomposed = unicodedata.normalize("NFKD", str(text or "").casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


_SYNONYMS = {synonym: target.key for target in TARGETS for synonym in target.synonyms}


def guess_mapping(headers: Sequence[str]) -> list[str]:
    """The target field of each column ("" to ignore it), from English or French headers.

    A target is guessed for the first column that names it only.
    """
    taken: set[str] = set()
    mapping = []
    labels = _labels_by_key()
    for header in headers:
        key = _key(header)
        target = _SYNONYMS.get(key) or labels.get(key, "")
        if target in taken:
            target = ""
        taken.add(target)
        mapping.append(target)
    return mapping


def _labels_by_key() -> dict[str, str]:
    out = {}
    for language in ("en", "fr"):
        with translation.override(language):
            for target in TARGETS:
                out.setdefault(_key(target.label), target.key)
    return out


def check_mapping(mapping: Sequence[str]) -> list[str]:
    """Why a mapping cannot be used: required fields without a column, fields used twice."""
    problems = []
    for key in REQUIRED:
        if key not in mapping:
            problems.append(
                _("No column is mapped to “%(field)s”, which every row needs.")
                % {"field": TARGETS_BY_KEY[key].label}
            )
    for key in dict.fromkeys(mapping):
        if key and mapping.count(key) > 1:
            problems.append(
                _("Two columns are mapped to “%(field)s”; choose one.")
                % {"field": TARGETS_BY_KEY[key].label}
            )
    return problems


# --- reading files --------------------------------------------------------------------------


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number in the file, cells)


def read_table(path: Path, *, head: int | None = None) -> Table:
    """The header row and data rows of an uploaded file, or :class:`ImportFileError`.

    ``head`` reads only the header and that many rows (for showing samples of a file that was
    read in full before).
    """
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ImportFileError(too_large_message(size))
    suffix = check_suffix(path.name)
    if size == 0:
        raise ImportFileError(_("The file is empty."))
    limit = MAX_ROWS + 2 if head is None else head + 1
    raw_rows = _xlsx_rows(path, limit) if suffix == ".xlsx" else _csv_rows(path.read_bytes(), limit)
    if head is None and len(raw_rows) > MAX_ROWS + 1:
        raise ImportFileError(
            _("The file has more than %(max)s rows; split it into smaller files.")
            % {"max": MAX_ROWS}
        )
    return _table(raw_rows)


def check_suffix(filename: str) -> str:
    """The file's suffix (``.xlsx`` or ``.csv``), or :class:`ImportFileError`."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix == ".xls":
        raise ImportFileError(
            _("Old .xls workbooks cannot be read: save the file as .xlsx or as CSV UTF-8.")
        )
    if suffix not in SUFFIXES:
        raise ImportFileError(_("Only .xlsx and .csv files can be imported."))
    return suffix


def too_large_message(size: int) -> str:
    return _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.") % {
        "size": f"{size / 1024 / 1024:.1f}",
        "limit": MAX_BYTES // 1024 // 1024,
    }


def _xlsx_rows(path: Path, limit: int) -> list[list[Any]]:
    import openpyxl

    not_xlsx = _("This is not a valid .xlsx workbook; open it and save it again as .xlsx.")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            parts = len(archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFileError(not_xlsx) from exc
    if unpacked > MAX_UNPACKED or parts > 1000:
        raise ImportFileError(
            _(
                "The workbook unpacks to more than %(max)s MB; it is refused "
                "(save only the list of stakeholders, without images or other sheets)."
            )
            % {"max": MAX_UNPACKED // 1024 // 1024}
        )
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # any malformed workbook: openpyxl raises many kinds
        raise ImportFileError(not_xlsx) from exc
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[Any]] = []
        for cells in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            rows.append(list(cells))
            if len(rows) >= limit:
                break
    except Exception as exc:
        raise ImportFileError(not_xlsx) from exc
    finally:
        workbook.close()
    return rows


def _csv_rows(data: bytes, limit: int) -> list[list[Any]]:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ImportFileError(
            _(
                "The file is not UTF-8: save it as “CSV UTF-8” and import it again "
                "(first invalid byte 0x%(byte)02X on line %(line)s, byte %(column)s)."
            )
            % {"byte": data[exc.start], "line": line, "column": column}
        ) from exc
    if "\x00" in text:
        raise ImportFileError(_("The file contains NUL characters; it is not a CSV text file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    rows: list[list[Any]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            rows.append(cells[:MAX_COLUMNS])
            if len(rows) >= limit:
                break
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV file cannot be read at line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": exc}
        ) from exc
    return rows


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table(raw_rows: list[list[Any]]) -> Table:
    if not raw_rows or all(_blank(cell) for cell in raw_rows[0]):
        raise ImportFileError(_("The first row must hold the column names; it is empty."))
    header_cells = list(raw_rows[0])
    while header_cells and _blank(header_cells[-1]):
        header_cells.pop()
    headers = []
    for index, cell in enumerate(header_cells):
        text = str(cell).strip() if not _blank(cell) else ""
        headers.append(text or _("Column %(n)s") % {"n": index + 1})
    width = len(headers)
    rows = []
    for number, cells in enumerate(raw_rows[1:], start=2):
        cells = (list(cells) + [None] * width)[:width]
        if all(_blank(cell) for cell in cells):
            continue
        rows.append((number, cells))
    if not rows:
        raise ImportFileError(_("The file has column names but no rows of data."))
    return Table(headers=headers, rows=rows)


# --- parsing rows ---------------------------------------------------------------------------


@dataclass
class Preview:
    headers: list[str]
    mapping: list[str]
    rows: list[ImportRow]
    issues: list[RowIssue]
    duplicates: DuplicateCheck = field(default_factory=DuplicateCheck)
    total_rows: int = 0

    @property
    def issues_by_row(self) -> dict[int, list[RowIssue]]:
        out: dict[int, list[RowIssue]] = {}
        for issue in self.issues:
            out.setdefault(issue.row, []).append(issue)
        return out

    @property
    def error_rows(self) -> int:
        return len({issue.row for issue in self.issues})


def parse_rows(
    table: Table, mapping: Sequence[str], mission: Mission
) -> tuple[list[ImportRow], list[RowIssue]]:
    """Every row as an :class:`ImportRow`, and the problems of each cell (row and column)."""
    columns = {key: index for index, key in enumerate(mapping) if key}
    header_of = {key: table.headers[index] for key, index in columns.items()}
    rows, issues = [], []
    parser = _RowParser(mission)
    for number, cells in table.rows:
        values = {key: cells[index] for key, index in columns.items()}
        row, problems = parser.parse(number, values)
        rows.append(row)
        issues += [RowIssue(number, header_of.get(key, key), message) for key, message in problems]
    return rows, issues


def build_preview(table: Table, mapping: Sequence[str], mission: Mission) -> Preview:
    """Rows, their problems and the duplicates (two queries), for the preview page."""
    rows, issues = parse_rows(table, mapping, mission)
    parsed = [row for row in rows if row.organisation.get("name")]
    return Preview(
        headers=table.headers,
        mapping=list(mapping),
        rows=rows,
        issues=issues,
        duplicates=check_duplicates(mission, parsed),
        total_rows=len(rows),
    )


def name_column(table: Table, mapping: Sequence[str]) -> str:
    return table.headers[mapping.index("name")] if "name" in mapping else "name"


class _RowParser:
    def __init__(self, mission: Mission) -> None:
        self.mission = mission
        self.types = _choice_lookup(PartnerType)
        self.places = _choice_lookup(MeetingPlace)
        self.url = URLValidator()

    def parse(self, number: int, values: dict[str, Any]) -> tuple[ImportRow, list[tuple[str, str]]]:
        problems: list[tuple[str, str]] = []
        text: dict[str, str] = {}
        for key, raw in values.items():
            message = _formula_problem(key, raw)
            if message:
                problems.append((key, message))
                text[key] = ""
                continue
            text[key] = _as_text(raw)
            limit = TARGETS_BY_KEY[key].max_length
            if limit and len(text[key]) > limit:
                problems.append((key, _("Too long: at most %(max)s characters.") % {"max": limit}))
        for key in REQUIRED:
            if not text.get(key) and not any(k == key for k, _m in problems):
                problems.append((key, _("This value is required.")))

        fields: dict[str, Any] = {
            name: text.get(name, "")
            for name in ("description", "needs", "address", "postcode", "city", "availability")
        }
        fields["keywords"] = _split(text.get("keywords", ""))
        fields["programmes"] = _split(text.get("programmes", ""))
        if text.get("type"):
            fields["type"] = self.types.get(_key(text["type"]))
            if fields["type"] is None:
                problems.append(("type", self._unknown(text["type"], PartnerType)))
        if text.get("meeting_place"):
            place = self.places.get(_key(text["meeting_place"]))
            if place is None:
                problems.append(
                    ("meeting_place", self._unknown(text["meeting_place"], MeetingPlace))
                )
            else:
                fields["meeting_place"] = place
        languages, bad = _languages(text.get("languages", ""))
        fields["languages"] = languages
        if bad:
            problems.append(("languages", _language_message(bad)))
        if text.get("profile_language"):
            profile, bad = _languages(text["profile_language"])
            if bad or len(profile) != 1:
                problems.append(
                    ("profile_language", _language_message(bad or [text["profile_language"]]))
                )
            else:
                fields["profile_language"] = profile[0]
        elif languages:
            fields["profile_language"] = languages[0]
        problems += self._coordinates(values, text, fields)
        days, day_problems = self._days(values.get("available_days"))
        fields["available_days"] = days
        problems += [("available_days", message) for message in day_problems]

        organisation = {"name": text.get("name", ""), "website": "", "country": ""}
        if text.get("website"):
            website = text["website"]
            if "://" not in website:
                website = f"https://{website}"
            try:
                self.url(website)
                organisation["website"] = website
            except ValidationError:
                problems.append(
                    ("website", _("“%(value)s” is not a web address.") % {"value": text["website"]})
                )
        if text.get("country"):
            if re.fullmatch(r"[A-Za-z]{2}", text["country"]):
                organisation["country"] = text["country"].upper()
            else:
                problems.append(("country", _("Give the two-letter country code, e.g. CA.")))

        contact = None
        if any(text.get(key) for key in ("contact_name", "contact_email", "contact_phone")):
            contact = {
                "name": text.get("contact_name", ""),
                "role": text.get("contact_role", ""),
                "email": text.get("contact_email", ""),
                "phone": text.get("contact_phone", ""),
            }
            if not contact["name"]:
                problems.append(("contact_name", _("A contact needs a name.")))
            if contact["email"]:
                try:
                    validate_email(contact["email"])
                except ValidationError:
                    problems.append(
                        (
                            "contact_email",
                            _("“%(value)s” is not an e-mail address.")
                            % {"value": contact["email"]},
                        )
                    )
        return ImportRow(number, organisation, fields, contact), problems

    def _unknown(self, value: str, choices: Any) -> str:
        return _("Unknown value “%(value)s”; use one of: %(choices)s.") % {
            "value": value,
            "choices": ", ".join(str(label) for label in choices.labels),
        }

    def _coordinates(
        self, raw: dict[str, Any], text: dict[str, str], fields: dict[str, Any]
    ) -> list[tuple[str, str]]:
        problems = []
        limits = {"latitude": 90, "longitude": 180}
        for key, limit in limits.items():
            fields[key] = None
            value = raw.get(key)
            if _blank(value) or not text.get(key):
                continue
            if isinstance(value, bool):
                number = None
            elif isinstance(value, int | float):
                number = float(value)
            else:
                cleaned = text[key].replace(",", ".")
                try:
                    number = float(cleaned) if is_plain_number(cleaned) else None
                except ValueError:
                    number = None
            if number is None:
                problems.append((key, _("“%(value)s” is not a number.") % {"value": text[key]}))
            elif not -limit <= number <= limit:
                problems.append(
                    (
                        key,
                        _("%(value)s is out of range (−%(limit)s to %(limit)s).")
                        % {"value": text[key], "limit": limit},
                    )
                )
            else:
                fields[key] = number
        has_lat = not _blank(raw.get("latitude"))
        has_lon = not _blank(raw.get("longitude"))
        if has_lat != has_lon:
            missing = "longitude" if has_lat else "latitude"
            problems.append((missing, _("Give both latitude and longitude, or neither.")))
        return problems

    def _days(self, value: Any) -> tuple[list[str], list[str]]:
        if _blank(value):
            return [], []
        items: list[Any]
        if isinstance(value, dt.datetime | dt.date):
            items = [value]
        else:
            items = [part for part in re.split(r"[;,\n]+", str(value)) if part.strip()]
        days, problems = [], []
        mission = self.mission
        for item in items:
            day = _date(item)
            if day is None:
                problems.append(
                    _("“%(value)s” is not a date; write it as YYYY-MM-DD, e.g. %(example)s.")
                    % {"value": str(item).strip(), "example": mission.start.isoformat()}
                )
            elif not mission.start <= day <= mission.end:
                problems.append(
                    _("%(day)s is not a day of the mission (%(start)s – %(end)s).")
                    % {
                        "day": day.isoformat(),
                        "start": date_format(mission.start),
                        "end": date_format(mission.end),
                    }
                )
            elif day.isoformat() not in days:
                days.append(day.isoformat())
        return sorted(days), problems


def _formula_problem(key: str, raw: Any) -> str:
    if not isinstance(raw, str):
        return ""
    stripped = raw.lstrip(" ")
    if not (is_formula_like(raw) or is_formula_like(stripped)):
        return ""
    if key in NUMERIC and is_plain_number(stripped.replace(",", ".")):
        return ""
    if key == "contact_phone" and _PHONE.match(stripped.strip()):
        return ""
    return _(
        "The cell starts with “%(char)s” and would run as a formula in a spreadsheet; "
        "remove that character."
    ) % {"char": {"\t": "TAB", "\r": "CR"}.get(stripped[:1], stripped[:1])}


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _split(text: str) -> list[str]:
    separator = ";" if ";" in text else ","
    return [part.strip() for part in text.split(separator) if part.strip()]


def _languages(text: str) -> tuple[list[str], list[str]]:
    codes, bad = [], []
    for part in re.split(r"[;,/ ]+", text):
        key = _key(part)
        if not key:
            continue
        code = _LANGUAGE_NAMES.get(key, key if re.fullmatch(r"[a-z]{2}", key) else None)
        if code is None:
            bad.append(part.strip())
        elif code not in codes:
            codes.append(code)
    return codes, bad


def _language_message(bad: list[str]) -> str:
    return _("Unknown language “%(value)s”; use two-letter codes such as en, fr.") % {
        "value": ", ".join(bad)
    }


def _date(item: Any) -> dt.date | None:
    if isinstance(item, dt.datetime):
        return item.date()
    if isinstance(item, dt.date):
        return item
    text = str(item).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _choice_lookup(choices: Any) -> dict[str, str]:
    """Codes, English and French labels (and each half of "A / B" labels) → code."""
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[_key(value)] = value
        for language in ("en", "fr"):
            with translation.override(language):
                text = str(label)
            lookup.setdefault(_key(text), value)
            for part in text.split("/"):
                lookup.setdefault(_key(part), value)
    return lookup


# --- the uploaded file between the steps ----------------------------------------------------

STALE_AFTER = dt.timedelta(days=1)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def uploads_dir() -> Path:
    """``<data dir>/imports``, readable by the server's user only."""
    from django.conf import settings

    directory = Path(settings.CONFIG.data_dir) / "imports"
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def upload_path(token: str, suffix: str) -> Path:
    """Where the upload of ``token`` is kept; tokens and suffixes come from the session."""
    if not _TOKEN.match(token) or suffix not in SUFFIXES:
        raise ImportFileError(_("The uploaded file is no longer available; upload it again."))
    return uploads_dir() / f"{token}{suffix}"


def store_upload(chunks: Any, suffix: str) -> tuple[str, Path]:
    """Write an uploaded file under a fresh random token; returns the token and the path.

    Files older than a day are removed on the way (abandoned imports).
    """
    import secrets

    purge_stale_uploads()
    token = secrets.token_urlsafe(24)
    path = upload_path(token, suffix)
    written = 0
    with open(path, "xb") as handle:
        for chunk in chunks:
            written += len(chunk)
            if written > MAX_BYTES:
                break
            handle.write(chunk)
    if written > MAX_BYTES:
        path.unlink(missing_ok=True)
        raise ImportFileError(too_large_message(written))
    path.chmod(0o600)
    return token, path


def discard_upload(token: str, suffix: str) -> None:
    with contextlib.suppress(ImportFileError):
        upload_path(token, suffix).unlink(missing_ok=True)


def purge_stale_uploads(now: dt.datetime | None = None) -> int:
    """Delete uploads older than :data:`STALE_AFTER`; returns how many."""
    limit = (now or dt.datetime.now(dt.UTC)).timestamp() - STALE_AFTER.total_seconds()
    removed = 0
    for path in uploads_dir().iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
