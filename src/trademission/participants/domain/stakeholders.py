"""The stakeholder directory of a mission: create, edit, delete, import.

Identity of an organisation. Two names are the same organisation when their normalised forms
are equal (case, accents, punctuation and legal suffixes such as "Inc." or "Ltée" ignored), or
when both give the same website (host without ``www.`` plus path) and the words of one name
all appear in the other ("CAE" and "CAE Canada" on https://www.cae.com). A shared website alone
is not enough: "National Research Council Canada – Montreal" and "– Ottawa" share
nrc.canada.ca and are two entries.

A new stakeholder reuses the existing ``Organisation`` (kind stakeholder) with the same
identity instead of creating a second row; a second entry for the same organisation in one
mission is refused.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trademission.missions.enums import OrganisationKind
from trademission.missions.models import Mission, Organisation
from trademission.participants.models import ContactPerson, Stakeholder

LEGAL_SUFFIXES = {
    "inc",
    "incorporated",
    "ltd",
    "ltee",
    "limited",
    "llc",
    "corp",
    "corporation",
    "co",
    "sa",
    "sas",
    "sarl",
    "gmbh",
    "plc",
    "ulc",
    "lp",
}

#: Fields of ``Stakeholder`` that the directory edits (the organisation's are separate).
STAKEHOLDER_FIELDS = (
    "type",
    "description",
    "needs",
    "profile_language",
    "keywords",
    "programmes",
    "address",
    "postcode",
    "city",
    "latitude",
    "longitude",
    "languages",
    "availability",
    "available_days",
    "meeting_place",
)
CONTACT_FIELDS = ("name", "role", "email", "phone", "language")


def normalise_name(name: str) -> str:
    """``"Hydro-Québec Inc."`` → ``"hydro quebec"``: the key two spellings share."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("&", " and ")
    words = re.sub(r"[^\w]+", " ", plain).split()
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def website_key(url: str) -> str:
    """``"https://www.CAE.com/defense/"`` → ``"cae.com/defense"``; empty for no website."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    host = (parts.hostname or "").casefold().removeprefix("www.")
    if not host:
        return ""
    path = parts.path.rstrip("/").casefold()
    return f"{host}{path}"


def same_organisation(name_a: str, site_a: str, name_b: str, site_b: str) -> bool:
    """The identity rule of the module docstring, on normalised names and website keys."""
    if name_a and name_a == name_b:
        return True
    if not site_a or site_a != site_b:
        return False
    words_a, words_b = set(name_a.split()), set(name_b.split())
    return bool(words_a) and bool(words_b) and (words_a <= words_b or words_b <= words_a)


@dataclass
class _Entry:
    key: Any
    name: str
    site: str


class IdentityIndex:
    """Finds an organisation by the identity rule among many, without a query per lookup."""

    def __init__(self) -> None:
        self._by_name: dict[str, list[_Entry]] = {}
        self._by_site: dict[str, list[_Entry]] = {}

    def add(self, key: Any, name: str, website: str) -> None:
        entry = _Entry(key, normalise_name(name), website_key(website))
        self._by_name.setdefault(entry.name, []).append(entry)
        if entry.site:
            self._by_site.setdefault(entry.site, []).append(entry)

    def find(self, name: str, website: str) -> Any | None:
        norm, site = normalise_name(name), website_key(website)
        for entry in self._by_name.get(norm, []):
            return entry.key
        for entry in self._by_site.get(site, []) if site else []:
            if same_organisation(norm, site, entry.name, entry.site):
                return entry.key
        return None


def stakeholder_organisations() -> IdentityIndex:
    """All organisations of kind stakeholder, by identity (one query)."""
    index = IdentityIndex()
    rows = Organisation.objects.filter(kind=OrganisationKind.STAKEHOLDER).values_list(
        "pk", "name", "website"
    )
    for pk, name, website in rows.order_by("pk"):
        index.add(pk, name, website)
    return index


def mission_entries(mission: Mission, *, exclude: int | None = None) -> IdentityIndex:
    """The mission's stakeholders by the identity of their organisation (one query)."""
    index = IdentityIndex()
    rows = mission.stakeholders.exclude(pk=exclude).values_list(
        "pk", "organisation__name", "organisation__website"
    )
    for pk, name, website in rows.order_by("pk"):
        index.add(pk, name, website)
    return index


def _duplicate_error(mission: Mission, pk: int) -> ValidationError:
    existing = Stakeholder.objects.select_related("organisation").get(pk=pk)
    return ValidationError(
        {
            "name": _(
                "%(name)s is already in this mission's stakeholder directory; "
                "edit that entry instead."
            )
            % {"name": existing.organisation.name}
        },
        code="duplicate",
    )


def _organisation_for(
    mission: Mission, organisation: dict[str, Any], *, current: Organisation | None = None
) -> Organisation:
    """The shared organisation row: the current one updated, an existing one, or a new one."""
    name = organisation["name"].strip()
    website = organisation.get("website", "") or ""
    country = (organisation.get("country") or mission.country).upper()
    if current is not None:
        current.name, current.website, current.country = name, website, country
        current.full_clean()
        current.save(update_fields=["name", "website", "country"])
        return current
    existing_pk = stakeholder_organisations().find(name, website)
    if existing_pk is not None:
        return Organisation.objects.get(pk=existing_pk)
    org = Organisation(
        name=name,
        website=website,
        country=country,
        kind=OrganisationKind.STAKEHOLDER,
        city=organisation.get("city", ""),
    )
    org.full_clean()
    org.save()
    return org


def _apply_contacts(stakeholder: Stakeholder, contacts: Sequence[dict[str, Any]]) -> None:
    """Create, update or delete the stakeholder's contact persons.

    Each item has the contact fields, optionally ``id`` (an existing contact of this
    stakeholder) and ``delete``.
    """
    existing = {c.pk: c for c in stakeholder.contacts.all()}
    for item in contacts:
        pk = item.get("id")
        contact = existing.get(pk) if pk else None
        if pk and contact is None:
            raise ValidationError(_("This contact person belongs to another stakeholder."))
        if item.get("delete"):
            if contact is not None:
                contact.delete()
            continue
        if contact is None:
            contact = ContactPerson(stakeholder=stakeholder)
        for name in CONTACT_FIELDS:
            if name in item:
                setattr(contact, name, item[name] or ("en" if name == "language" else ""))
        contact.full_clean()
        contact.save()


@transaction.atomic
def create_stakeholder(
    mission: Mission,
    *,
    organisation: dict[str, Any],
    fields: dict[str, Any],
    contacts: Sequence[dict[str, Any]] = (),
) -> Stakeholder:
    """Add an organisation to the mission's stakeholder directory.

    ``organisation`` has ``name``, ``website`` and ``country``; ``fields`` the stakeholder
    fields (``STAKEHOLDER_FIELDS``). Writes: an ``Organisation`` row unless one with the same
    identity exists (then it is reused unchanged), the ``Stakeholder`` row, its contacts.
    Raises ``ValidationError`` (code ``duplicate``, on ``name``) when the organisation is
    already in the mission.
    """
    duplicate = mission_entries(mission).find(organisation["name"], organisation.get("website"))
    if duplicate is not None:
        raise _duplicate_error(mission, duplicate)
    org = _organisation_for(mission, organisation)
    stakeholder = Stakeholder(mission=mission, organisation=org)
    _set_fields(stakeholder, fields)
    stakeholder.full_clean()
    stakeholder.save()
    _apply_contacts(stakeholder, contacts)
    return stakeholder


@transaction.atomic
def update_stakeholder(
    stakeholder: Stakeholder,
    *,
    organisation: dict[str, Any],
    fields: dict[str, Any],
    contacts: Sequence[dict[str, Any]] = (),
) -> Stakeholder:
    """Change a stakeholder entry, its organisation's name/website/country and its contacts.

    Writes: the ``Organisation`` row (shared with the organisation's entries in other
    missions), the ``Stakeholder`` row, contact rows created, changed or deleted. Raises
    ``ValidationError`` (code ``duplicate``) when the new name or website is that of another
    entry of the mission.
    """
    mission = stakeholder.mission
    duplicate = mission_entries(mission, exclude=stakeholder.pk).find(
        organisation["name"], organisation.get("website")
    )
    if duplicate is not None:
        raise _duplicate_error(mission, duplicate)
    _organisation_for(mission, organisation, current=stakeholder.organisation)
    _set_fields(stakeholder, fields)
    stakeholder.full_clean()
    stakeholder.save()
    _apply_contacts(stakeholder, contacts)
    return stakeholder


def _set_fields(stakeholder: Stakeholder, fields: dict[str, Any]) -> None:
    for name in STAKEHOLDER_FIELDS:
        if name in fields:
            setattr(stakeholder, name, fields[name])
    if fields.get("available_days") is not None:
        stakeholder.available_days = [str(day) for day in fields["available_days"]]


@transaction.atomic
def delete_stakeholder(stakeholder: Stakeholder) -> dict[str, int]:
    """Remove an entry from the directory.

    Deletes the ``Stakeholder`` row with its contact persons, links, matches, meeting
    requests and the meetings it hosts (database cascade). The shared ``Organisation`` row
    stays. Returns the number of rows deleted per model label.
    """
    _total, per_model = stakeholder.delete()
    return dict(per_model)


# --- import -----------------------------------------------------------------------------


@dataclass
class ImportRow:
    """One row of an import file, already parsed and checked on its own."""

    number: int  # the row number in the file (the header is row 1)
    organisation: dict[str, Any]
    fields: dict[str, Any]
    contact: dict[str, Any] | None = None


@dataclass
class RowIssue:
    row: int
    column: str
    message: str


@dataclass
class DuplicateCheck:
    """Rows that name an organisation already in the mission, or named earlier in the file."""

    in_mission: dict[int, str] = field(default_factory=dict)  # row → existing entry's name
    in_file: dict[int, int] = field(default_factory=dict)  # row → earlier row number
    reused: set[int] = field(default_factory=set)  # rows that reuse an existing organisation

    def rows(self) -> set[int]:
        return set(self.in_mission) | set(self.in_file)

    def issues(self, column: str) -> list[RowIssue]:
        out = [
            RowIssue(
                row,
                column,
                _("Duplicate: %(name)s is already in this mission's directory.") % {"name": name},
            )
            for row, name in self.in_mission.items()
        ]
        out += [
            RowIssue(
                row,
                column,
                _("Duplicate of row %(first)s of this file.") % {"first": first},
            )
            for row, first in self.in_file.items()
        ]
        return sorted(out, key=lambda issue: issue.row)


def check_duplicates(mission: Mission, rows: Iterable[ImportRow]) -> DuplicateCheck:
    """Which rows are duplicates, against the mission's entries and within the file.

    Two queries however many rows there are.
    """
    entries = mission_entries(mission)
    names = {
        pk: name
        for pk, name in mission.stakeholders.values_list("pk", "organisation__name").iterator()
    }
    organisations = stakeholder_organisations()
    seen = IdentityIndex()
    result = DuplicateCheck()
    for row in rows:
        name, website = row.organisation["name"], row.organisation.get("website", "")
        existing = entries.find(name, website)
        if existing is not None:
            result.in_mission[row.number] = names[existing]
            continue
        earlier = seen.find(name, website)
        if earlier is not None:
            result.in_file[row.number] = earlier
            continue
        seen.add(row.number, name, website)
        if organisations.find(name, website) is not None:
            result.reused.add(row.number)
    return result


class ImportRejected(Exception):
    """Nothing was imported; ``issues`` says why, row by row."""

    def __init__(self, issues: list[RowIssue]) -> None:
        super().__init__(f"{len(issues)} problem(s)")
        self.issues = issues


@dataclass
class ImportResult:
    created: int
    skipped: list[int]  # row numbers of duplicates skipped
    organisations_reused: int


@transaction.atomic
def import_stakeholders(
    mission: Mission,
    rows: Sequence[ImportRow],
    *,
    issues: Sequence[RowIssue] = (),
    skip_duplicates: bool = False,
    duplicate_column: str = "name",
) -> ImportResult:
    """Add the rows of an import file to the directory: all of them or none.

    ``issues`` are the problems found while reading the file; any of them rejects the whole
    import. Duplicates (see :func:`check_duplicates`, checked again here inside the
    transaction) reject it too unless ``skip_duplicates``, when they are left out and
    reported. Writes: new ``Organisation`` rows (existing ones with the same identity are
    reused), one ``Stakeholder`` per row, a ``ContactPerson`` per row that names one. Raises
    :class:`ImportRejected` and writes nothing when the import is refused.
    """
    problems = list(issues)
    duplicates = check_duplicates(mission, rows)
    if not skip_duplicates:
        problems += duplicates.issues(duplicate_column)
    if problems:
        raise ImportRejected(sorted(problems, key=lambda issue: issue.row))
    skipped = sorted(duplicates.rows())
    wanted = [row for row in rows if row.number not in duplicates.rows()]

    organisations = stakeholder_organisations()
    new_orgs: dict[int, Organisation] = {}
    org_ids: dict[int, int] = {}
    for row in wanted:
        existing = organisations.find(row.organisation["name"], row.organisation.get("website"))
        if existing is not None:
            org_ids[row.number] = existing
            continue
        new_orgs[row.number] = Organisation(
            name=row.organisation["name"],
            website=row.organisation.get("website", ""),
            country=(row.organisation.get("country") or mission.country).upper(),
            city=row.fields.get("city", ""),
            kind=OrganisationKind.STAKEHOLDER,
        )
    created_orgs = Organisation.objects.bulk_create(list(new_orgs.values()), batch_size=500)
    for number, org in zip(new_orgs, created_orgs, strict=True):
        org_ids[number] = org.pk

    entries = []
    for row in wanted:
        stakeholder = Stakeholder(mission=mission, organisation_id=org_ids[row.number])
        _set_fields(stakeholder, row.fields)
        entries.append(stakeholder)
    created = Stakeholder.objects.bulk_create(entries, batch_size=500)
    contacts = [
        ContactPerson(
            stakeholder=stakeholder,
            **{name: row.contact.get(name) or "" for name in CONTACT_FIELDS if name != "language"},
            language=row.contact.get("language") or row.fields.get("profile_language") or "en",
        )
        for row, stakeholder in zip(wanted, created, strict=True)
        if row.contact
    ]
    ContactPerson.objects.bulk_create(contacts, batch_size=500)
    return ImportResult(
        created=len(created),
        skipped=skipped,
        organisations_reused=len(wanted) - len(new_orgs),
    )
