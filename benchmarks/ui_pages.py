"""Server time of a mission's list pages on a large generated mission.

    python benchmarks/ui_pages.py [--smes 500] [--stakeholders 5000] [--runs 7]

Builds (seeded) a mission with ``--smes`` selected SMEs, ``--stakeholders`` stakeholders with
contacts, and ten matches per SME, in a throwaway SQLite database under a temporary directory
(or in the database of ``DATABASE_URL`` when it is set: use an empty one). Then requests every
page of :data:`PAGES` in-process with Django's test client as the mission's coordinator: one
warm-up, then ``--runs`` timed requests each. Prints the median and the maximum server time,
the number of SQL queries and the response size, with the machine's core count. Target: every
page under 500 ms; the exit status is 1 when one is slower (median) or does not answer 200.

To add a page, append a line to :data:`PAGES` (a label, the URL name in the ``control``
namespace and a query string); if it needs rows the generator does not make yet, add them to
:func:`generate`.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from typing import Any

from page_timing import measure, setup_django

#: (label, URL name taking ``mission``, query string)
PAGES: list[tuple[str, str, str]] = [
    ("Overview", "control:mission", ""),
    ("Stakeholders", "control:stakeholders", ""),
    ("Stakeholders, last page", "control:stakeholders", "?page=last"),
    ("Stakeholders, search", "control:stakeholders", "?q=radar+sensors"),
    ("Stakeholders, by matches", "control:stakeholders", "?sort=-matches"),
    (
        "Stakeholders, filtered",
        "control:stakeholders",
        "?city=Ottawa&language=fr&has_contact=yes&type=end_user",
    ),
    ("Stakeholder search box (htmx)", "control:stakeholders_search", "?q=stakeholder+01"),
]
#: Pages of one row: (label, URL name, keyword, "participation" or "stakeholder"); the
#: first SME's or stakeholder's id is filled in.
ROW_PAGES: list[tuple[str, str, str, str]] = [
    ("Recommendations of one SME", "control:recommendations_sme", "participation", "participation"),
    (
        "Recommendations of a stakeholder",
        "control:recommendations_stakeholder",
        "stakeholder",
        "stakeholder",
    ),
    ("Application of one SME", "control:selection_detail", "pk", "participation"),
    ("Profile of one SME", "control:profiling_sme", "pk", "participation"),
    ("Stakeholder detail", "control:stakeholders_detail", "pk", "stakeholder"),
    ("Agenda of one SME", "control:agendas_sme", "participation", "participation"),
]
PAGES += [
    ("Applications", "control:selection", ""),
    ("Applications by score", "control:selection", "?sort=score"),
    ("Profiling", "control:profiling", ""),
    ("Recommendations", "control:recommendations", ""),
    ("Recommendations by stakeholder", "control:recommendations_stakeholders", ""),
    ("Invitations", "control:invitations", ""),
    ("Agendas", "control:agendas", ""),
    ("Agendas of stakeholders", "control:agendas_stakeholders", ""),
]
TARGET_MS = 500.0

WORDS = (  # noqa: SIM905 (a sentence reads better than a list of 40 strings)
    "radar sensors infrared optronics simulation training cyber secure communications satellite "
    "autonomy drones robotics logistics maintenance composites batteries hydrogen photonics "
    "artificial intelligence software integration testing certification naval airborne armoured "
    "surveillance border security emergency response medical energy grid rail ports quantum"
).split()
CITIES = ["Montreal", "Ottawa", "Laval", "Longueuil", "Gatineau", "Kanata", "Dorval", "Mirabel"]
TYPES = [
    "prime_contractor",
    "integrator",
    "government_agency",
    "research_organisation",
    "university",
    "association",
    "investor",
    "end_user",
    "distributor",
]


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate(n_smes: int, n_stakeholders: int, seed: int = 7) -> tuple[Any, Any]:
    """The mission and its coordinator; rows written with bulk_create."""
    import datetime as dt

    from django.contrib.auth import get_user_model

    from trademission.meetings.models import Match
    from trademission.missions.models import (
        ItineraryStop,
        Membership,
        Mission,
        Organisation,
        Project,
        ProjectPartner,
    )
    from trademission.participants.models import ContactPerson, Participation, Sme, Stakeholder

    rng = random.Random(seed)
    cluster = Organisation.objects.create(name="Bench cluster", kind="cluster", country="FR")
    project = Project.objects.create(
        name="Bench project", slug="bench", start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31)
    )
    ProjectPartner.objects.create(project=project, organisation=cluster, is_coordinator=True)
    user = get_user_model().objects.create_user("bench", password="bench-password-1")
    Membership.objects.create(user=user, organisation=cluster)
    mission = Mission.objects.create(
        project=project,
        name="Bench mission",
        slug="bench-mission",
        country="CA",
        timezone="America/Toronto",
        start=dt.date(2023, 5, 29),
        end=dt.date(2023, 6, 2),
    )
    ItineraryStop.objects.create(
        mission=mission, city="Montreal", start=dt.date(2023, 5, 29), end=dt.date(2023, 5, 30)
    )
    ItineraryStop.objects.create(
        mission=mission, city="Ottawa", start=dt.date(2023, 5, 31), end=dt.date(2023, 6, 2)
    )
    smes = Sme.objects.bulk_create(
        Sme(name=f"SME {i:04d}", cluster=cluster, country="FR", description=_text(rng, 40))
        for i in range(n_smes)
    )
    participations = Participation.objects.bulk_create(
        Participation(mission=mission, sme=sme, status="selected") for sme in smes
    )
    orgs = Organisation.objects.bulk_create(
        (
            Organisation(name=f"Stakeholder {i:05d}", kind="stakeholder", country="CA")
            for i in range(n_stakeholders)
        ),
        batch_size=1000,
    )
    stakeholders = Stakeholder.objects.bulk_create(
        (
            Stakeholder(
                mission=mission,
                organisation=org,
                type=rng.choice(TYPES),
                city=rng.choice(CITIES),
                needs=_text(rng, 30),
                description=_text(rng, 20),
                keywords=rng.sample(WORDS, 4),
                languages=rng.choice([["en"], ["fr"], ["en", "fr"], ["fr", "en"]]),
                latitude=45 + rng.random(),
                longitude=-75 + rng.random(),
            )
            for org in orgs
        ),
        batch_size=1000,
    )
    ContactPerson.objects.bulk_create(
        (
            ContactPerson(stakeholder=s, name=f"Person {s.pk}-{k}", email=f"p{s.pk}.{k}@x.ca")
            for s in stakeholders
            if rng.random() < 0.7
            for k in range(rng.randint(1, 2))
        ),
        batch_size=1000,
    )
    Match.objects.bulk_create(
        (
            Match(mission=mission, participation=p, stakeholder=s, score=rng.random())
            for p in participations
            for s in rng.sample(stakeholders, min(10, len(stakeholders)))
        ),
        batch_size=1000,
    )
    return mission, user


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smes", type=int, default=500)
    parser.add_argument("--stakeholders", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)

    tmp = tempfile.mkdtemp(prefix="trademission-bench-")
    setup_django(tmp)
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    started = time.perf_counter()
    mission, user = generate(args.smes, args.stakeholders)
    built = time.perf_counter() - started
    client = Client()
    client.force_login(user)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"{args.smes} SMEs, {args.stakeholders} stakeholders, {args.smes * 10} matches "
        f"(built in {built:.1f} s); {engine}; {cores} core(s); {args.runs} runs per page"
    )
    print(f"{'page':32} {'status':>6} {'queries':>7} {'KB':>6} {'median ms':>9} {'max ms':>8}")
    failed = False
    per_page = 50
    last = max(1, -(-args.stakeholders // per_page))
    first = {
        "participation": mission.participations.order_by("pk").first().pk,
        "stakeholder": mission.stakeholders.order_by("pk").first().pk,
    }
    urls = [
        (label, reverse(name, kwargs={"mission": mission.slug}) + query.replace("last", str(last)))
        for label, name, query in PAGES
    ] + [
        (label, reverse(name, kwargs={"mission": mission.slug, keyword: first[kind]}))
        for label, name, keyword, kind in ROW_PAGES
    ]
    for label, url in urls:
        row = measure(client, url, args.runs)
        slow = row["median"] > TARGET_MS or row["status"] != 200
        failed |= slow
        print(
            f"{label:32} {row['status']:>6} {row['queries']:>7} {row['kb']:>6.0f} "
            f"{row['median']:>9.1f} {row['max']:>8.1f}{'  ← over target' if slow else ''}"
        )
    print(f"target: median under {TARGET_MS:.0f} ms per page")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
