"""Reads of the stakeholder directory, in a fixed number of queries whatever the rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Lower

from trademission.meetings.models import Match, Meeting, MeetingRequest
from trademission.missions.models import Mission
from trademission.participants.models import ContactPerson, Participation, Stakeholder

#: Sort keys of the directory → ORDER BY (the second term keeps pages stable).
SORTS: dict[str, tuple[Any, ...]] = {
    "name": (Lower("organisation__name"), "pk"),
    "type": (F("type"), Lower("organisation__name"), "pk"),
    "city": (Lower("city"), Lower("organisation__name"), "pk"),
    "matches": (F("n_matches"), Lower("organisation__name"), "pk"),
}


@dataclass(frozen=True)
class DirectoryFilter:
    q: str = ""
    city: str = ""
    type: str = ""
    language: str = ""
    has_contact: str = ""  # "", "yes", "no"
    sort: str = "name"  # a key of SORTS, "-" in front for descending


def _count(model: Any, field: str = "stakeholder") -> Coalesce:
    """How many rows of ``model`` point at the stakeholder: a subquery, no join fan-out."""
    counts = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def stakeholder_directory(mission: Mission, options: DirectoryFilter) -> QuerySet[Stakeholder]:
    """The mission's stakeholders, filtered and sorted, with ``n_matches`` and ``has_contacts``.

    Rows carry their organisation; the query is the same for one row or five thousand.
    """
    qs = mission.stakeholders.select_related("organisation").annotate(
        n_matches=_count(Match),
        has_contacts=Exists(ContactPerson.objects.filter(stakeholder=OuterRef("pk"))),
    )
    if options.q.strip():
        for word in options.q.split():
            qs = qs.filter(
                Q(organisation__name__icontains=word)
                | Q(needs__icontains=word)
                | Q(keywords__icontains=word)
            )
    if options.city:
        qs = qs.filter(city__iexact=options.city)
    if options.type:
        qs = qs.filter(type=options.type)
    if options.language:
        # Codes are two letters in a JSON list, so the text match cannot hit another code.
        qs = qs.filter(languages__icontains=options.language[:2])
    if options.has_contact == "yes":
        qs = qs.filter(has_contacts=True)
    elif options.has_contact == "no":
        qs = qs.filter(has_contacts=False)
    key = options.sort.lstrip("-")
    order = SORTS.get(key, SORTS["name"])
    if options.sort.startswith("-") and key in SORTS:
        order = (order[0].desc(), *order[1:])
    return qs.order_by(*order)


def directory_choices(mission: Mission) -> dict[str, list[Any]]:
    """The values the directory's filters offer: cities and languages in use (two queries)."""
    cities = sorted(
        set(mission.stakeholders.order_by().values_list("city", flat=True).distinct()),
        key=str.casefold,
    )
    languages: set[str] = set()
    for row in mission.stakeholders.order_by().values_list("languages", flat=True).distinct():
        languages.update(code for code in row or [] if isinstance(code, str))
    return {"cities": cities, "languages": sorted(languages)}


def stakeholder_detail(mission: Mission, pk: int) -> Stakeholder:
    """One entry with its organisation, contacts and match count (raises DoesNotExist)."""
    return (
        mission.stakeholders.select_related("organisation", "mission")
        .prefetch_related(Prefetch("contacts", queryset=ContactPerson.objects.order_by("name")))
        .annotate(
            n_matches=_count(Match),
            n_meetings=_count(Meeting, "host"),
            n_requests=_count(MeetingRequest),
        )
        .get(pk=pk)
    )


def stakeholders_for_export(mission: Mission, *, with_contacts: bool) -> QuerySet[Stakeholder]:
    """Every entry of the mission for the spreadsheet export (two queries with contacts)."""
    qs = mission.stakeholders.select_related("organisation").order_by("organisation__name", "pk")
    if with_contacts:
        qs = qs.prefetch_related(
            Prefetch("contacts", queryset=ContactPerson.objects.order_by("name", "pk"))
        )
    return qs


#: At most this many rows answer a search by name.
SEARCH_LIMIT = 20


def stakeholder_candidates(
    mission: Mission, *, exclude_matched_for: Participation | None = None
) -> QuerySet[Stakeholder]:
    """The mission's stakeholders by name with their organisation, for a form to pick one.

    ``exclude_matched_for`` leaves out those that already have a match of any kind (suggested,
    wished, excluded, ...) with that participation.
    """
    qs = mission.stakeholders.select_related("organisation")
    if exclude_matched_for is not None:
        qs = qs.exclude(matches__participation=exclude_matched_for)
    return qs.order_by(Lower("organisation__name"), "pk")


def search_stakeholders(
    mission: Mission,
    q: str,
    *,
    exclude_matched_for: Participation | None = None,
    limit: int = SEARCH_LIMIT,
) -> list[Stakeholder]:
    """At most ``limit`` candidates whose organisation name contains ``q`` (one query).

    An empty ``q`` finds nothing rather than the first rows of thousands.
    """
    q = q.strip()
    if not q:
        return []
    qs = stakeholder_candidates(mission, exclude_matched_for=exclude_matched_for)
    return list(qs.filter(organisation__name__icontains=q)[:limit])


def stakeholders_named(
    candidates: QuerySet[Stakeholder], name: str, *, limit: int = 2
) -> list[Stakeholder]:
    """The candidates whose organisation is exactly ``name`` (case-insensitive), at most ``limit``.

    Two rows are enough to tell "ambiguous" from "found" without reading more.
    """
    name = name.strip()
    if not name:
        return []
    return list(candidates.filter(organisation__name__iexact=name)[:limit])
