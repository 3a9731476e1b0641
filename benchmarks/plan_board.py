"""Server time of the plan board: the demo mission and a generated brokerage event.

    python benchmarks/plan_board.py [--smes 500] [--stakeholders 500] [--meetings 6000] [--runs 7]

1. The demo (``trademission demo --with-plan``): the Canada mission's plan is built with the
   optimiser (10 s), then the board of each of its five days is requested, by SME and by
   stakeholder. Target: ≤ 300 ms server time.
2. A generated event of ``--smes`` + ``--stakeholders`` participants (1,000 by default) and
   ``--meetings`` meetings (6,000) over two days, half at the hosts' premises (with travel legs
   between them), half at a trade-show hall; rows inserted in bulk. The board is requested
   as served (100 rows a page) and, to show the cost of the whole day at once, with every row
   on one page. Target: ≤ 2 s.

Everything runs in a throwaway SQLite database under a temporary directory (or in the database
of ``DATABASE_URL`` when set: use an empty one). Requests go through Django's test client as
the coordinator: one warm-up, then ``--runs`` timed requests. Prints median and maximum
server time, SQL queries and response size, with the machine's core count; the exit status
is 1 when a median is over its target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from typing import Any

from page_timing import measure, setup_django

DEMO_TARGET_MS = 300.0
EVENT_TARGET_MS = 2000.0


def generate(n_smes: int, n_stakeholders: int, n_meetings: int, seed: int = 11) -> Any:
    """A two-day brokerage event; returns the mission and its coordinator."""
    from django.contrib.auth import get_user_model

    from trademission.meetings.models import Meeting, MissionPlan
    from trademission.missions.models import (
        ItineraryStop,
        Membership,
        Mission,
        Organisation,
        Project,
        ProjectPartner,
        Venue,
    )
    from trademission.participants.models import Participation, Sme, Stakeholder

    rng = random.Random(seed)
    tz_name = "America/Toronto"
    cluster = Organisation.objects.create(name="Event cluster", kind="cluster", country="FR")
    project = Project.objects.create(
        name="Event project", slug="event", start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31)
    )
    ProjectPartner.objects.create(project=project, organisation=cluster, is_coordinator=True)
    user = get_user_model().objects.create_user("event", password="event-password-1")
    Membership.objects.create(user=user, organisation=cluster)
    mission = Mission.objects.create(
        project=project,
        name="Brokerage event",
        slug="brokerage-event",
        country="CA",
        timezone=tz_name,
        start=dt.date(2023, 5, 31),
        end=dt.date(2023, 6, 1),
        meeting_day_start=dt.time(9),
        meeting_day_end=dt.time(17, 30),
        lunch_start=dt.time(12, 30),
        lunch_end=dt.time(13),
        time_grain=15,
    )
    ItineraryStop.objects.create(
        mission=mission, city="Ottawa", start=mission.start, end=mission.end
    )
    hall = Venue.objects.create(
        mission=mission,
        name="Hall",
        kind="trade_show",
        city="Ottawa",
        tables=400,
        latitude=45.33,
        longitude=-75.66,
    )
    MissionPlan.objects.create(mission=mission)
    smes = Sme.objects.bulk_create(
        Sme(name=f"SME {i:04d}", cluster=cluster, country="FR", description="x")
        for i in range(n_smes)
    )
    participations = Participation.objects.bulk_create(
        Participation(mission=mission, sme=sme, status="selected") for sme in smes
    )
    orgs = Organisation.objects.bulk_create(
        (
            Organisation(name=f"Host {i:04d}", kind="stakeholder", country="CA")
            for i in range(n_stakeholders)
        ),
        batch_size=1000,
    )
    hosts = Stakeholder.objects.bulk_create(
        (
            Stakeholder(
                mission=mission,
                organisation=org,
                type="end_user",
                city="Ottawa",
                latitude=45.3 + rng.random() / 5,
                longitude=-75.8 + rng.random() / 5,
            )
            for org in orgs
        ),
        batch_size=1000,
    )
    import zoneinfo

    tz = zoneinfo.ZoneInfo(tz_name)
    slots = []  # 30-minute slots of both days, lunch left out
    for day in mission.days:
        at = dt.datetime.combine(day, dt.time(9), tzinfo=tz)
        while at.time() < dt.time(17, 30):
            if not dt.time(12, 30) <= at.time() < dt.time(13):
                slots.append(at)
            at += dt.timedelta(minutes=30)
    per_sme = -(-n_meetings // n_smes)
    rows, links = [], []
    k = 0
    for j in range(per_sme):
        for i, participation in enumerate(participations):
            if k == n_meetings:
                break
            start = slots[(i + 3 * j) % len(slots)]
            host = hosts[(i * 7 + j * 13) % len(hosts)]
            rows.append(
                Meeting(
                    mission=mission,
                    host=host,
                    venue=hall if k % 2 else None,
                    start=start,
                    end=start + dt.timedelta(minutes=25),
                )
            )
            links.append(participation)
            k += 1
    meetings = Meeting.objects.bulk_create(rows, batch_size=1000)
    through = Meeting.participations.through
    through.objects.bulk_create(
        (
            through(meeting_id=m.pk, participation_id=p.pk)
            for m, p in zip(meetings, links, strict=True)
        ),
        batch_size=2000,
    )
    return mission, user


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smes", type=int, default=500)
    parser.add_argument("--stakeholders", type=int, default=500)
    parser.add_argument("--meetings", type=int, default=6000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)

    tmp = tempfile.mkdtemp(prefix="trademission-board-")
    setup_django(tmp)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from trademission.meetings.domain.queries import plan_board
    from trademission.meetings.models import Meeting
    from trademission.missions.demo.loader import build_demo_plan, load_demo
    from trademission.missions.models import Mission

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"{engine}; {cores} core(s); {args.runs} runs per page (median / max of server time)")
    header = f"{'page':44} {'status':>6} {'queries':>7} {'KB':>6} {'median ms':>9} {'max ms':>8}"
    failed = False

    def report(label: str, row: dict[str, Any], target: float) -> None:
        nonlocal failed
        slow = row["median"] > target or row["status"] != 200
        failed |= slow
        print(
            f"{label:44} {row['status']:>6} {row['queries']:>7} {row['kb']:>6.0f} "
            f"{row['median']:>9.1f} {row['max']:>8.1f}{'  ← over target' if slow else ''}"
        )

    # 1. the demo mission
    started = time.perf_counter()
    load_demo()
    planned = build_demo_plan(time_limit=10)
    demo = Mission.objects.get(slug="canada-2023")
    print(
        f"\nDemo: {planned['placed']} of {planned['requests']} meetings planned "
        f"(demo and plan built in {time.perf_counter() - started:.1f} s)"
    )
    print(header)
    client = Client()
    client.force_login(get_user_model().objects.get(username="coordinator"))
    board = reverse("control:plan_board", kwargs={"mission": demo.slug})
    for day, date in enumerate(demo.days):
        for view in ("smes", "stakeholders"):
            row = measure(client, f"{board}?day={day}&view={view}", args.runs)
            report(f"demo {date:%a %d %b}, by {view}", row, DEMO_TARGET_MS)
    print(f"target: median ≤ {DEMO_TARGET_MS:.0f} ms")

    # 2. the generated event
    started = time.perf_counter()
    mission, user = generate(args.smes, args.stakeholders, args.meetings)
    count = Meeting.objects.filter(mission=mission).count()
    print(
        f"\nEvent: {args.smes} SMEs + {args.stakeholders} stakeholders = "
        f"{args.smes + args.stakeholders} participants, {count} meetings over 2 days "
        f"(inserted in {time.perf_counter() - started:.1f} s)"
    )
    print(header)
    client = Client()
    client.force_login(user)
    board = reverse("control:plan_board", kwargs={"mission": mission.slug})
    for view in ("smes", "stakeholders"):
        row = measure(client, f"{board}?day=0&view={view}", args.runs)
        report(f"event day 1, by {view} (100 rows a page)", row, EVENT_TARGET_MS)
    served = plan_board.ROWS_PER_PAGE
    plan_board.ROWS_PER_PAGE = 100_000  # the whole day on one page
    try:
        for view in ("smes", "stakeholders"):
            row = measure(client, f"{board}?day=0&view={view}", args.runs)
            report(f"event day 1, by {view}, every row", row, EVENT_TARGET_MS)
    finally:
        plan_board.ROWS_PER_PAGE = served
    print(f"target: median ≤ {EVENT_TARGET_MS:.0f} ms")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
