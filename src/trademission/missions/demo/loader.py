"""Load the Canada 2023 demo (and its sister missions) from the JSON files beside this module.

Idempotent: every row is found by a natural key and updated in place, so running it twice
leaves the same data.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from trademission.meetings.enums import MatchSource
from trademission.meetings.models import Match
from trademission.missions.enums import OrganisationKind, Role
from trademission.missions.models import (
    ItineraryStop,
    Membership,
    Mission,
    MissionMember,
    Organisation,
    ProgrammeItem,
    Project,
    ProjectPartner,
    Venue,
)
from trademission.participants.enums import ParticipationStatus
from trademission.participants.models import (
    AdvisorNote,
    ContactPerson,
    Participation,
    SelectionCriterion,
    Sme,
    Stakeholder,
)

DATA_DIR = Path(__file__).parent / "data"
DEMO_PASSWORD = "trademission-demo"
DEMO_MISSION = "canada-2023"
CRITERIA = [
    ("technology_fit", "Technology fit with the target market", 3),
    ("market_readiness", "Readiness for the market (TRL, certifications)", 2),
    ("export_experience", "Export experience", 1),
    ("commitment", "Commitment and resources for follow-up", 2),
]
DECISIONS = {
    "selected": ParticipationStatus.SELECTED,
    "waitlisted": ParticipationStatus.WAITING_LIST,
    "not_selected": ParticipationStatus.DECLINED,
}
# (username, first, last, organisation key or None, explicit mission role)
USERS = [
    ("coordinator", "Claire", "Martin", "optitec", None),
    ("partner", "Mads", "Jensen", "censec", None),
    ("advisor", "Geneviève", "Tremblay", None, Role.ADVISOR),
    ("delegate", "Lucas", "Bernard", None, Role.SME_DELEGATE),
]


def read(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def load_demo() -> dict[str, int]:
    """Create or update the demo. Side effects: writes organisations, the project, three
    missions with their itineraries, venues and programmes, SMEs, stakeholders, contacts,
    wishes as matches, and the demo users."""
    consortium = read("consortium.json")
    orgs = {o["key"]: _organisation(o) for o in consortium["organisations"]}
    project = _project(consortium["project"], orgs)
    missions = {m["key"]: _mission(m, project) for m in read("missions.json")}
    stakeholders = {}
    for record in read("stakeholders.json"):
        stakeholders[record["key"]] = _stakeholder(record, missions[DEMO_MISSION])
    sme_records = read("smes.json")
    smes = [_sme(record, orgs, missions, stakeholders) for record in sme_records]
    sme_names = {record["key"]: record["name"] for record in sme_records}
    for mission_data in read("missions.json"):
        _programme(mission_data, missions[mission_data["key"]], sme_names)
    _users(orgs, missions[DEMO_MISSION], smes)
    return {
        "missions": len(missions),
        "smes": len(smes),
        "stakeholders": len(stakeholders),
    }


def _organisation(data: dict[str, Any]) -> Organisation:
    org, _ = Organisation.objects.update_or_create(
        name=data["name"],
        kind=data["kind"],
        defaults={
            "short_name": data.get("short_name", ""),
            "country": data["country"],
            "city": data.get("city", ""),
            "website": data.get("website", ""),
            "description": data.get("description", ""),
        },
    )
    return org


def _project(data: dict[str, Any], orgs: dict[str, Organisation]) -> Project:
    project, _ = Project.objects.update_or_create(
        slug=data["key"],
        defaults={
            "name": data["name"],
            "funder": data.get("funder", ""),
            "programme": data.get("programme", ""),
            "start": data["start"],
            "end": data["end"],
            "description": data.get("description", ""),
            "kpi_targets": data.get("kpi_targets", {}),
        },
    )
    for key in data["partners"]:
        ProjectPartner.objects.update_or_create(
            project=project,
            organisation=orgs[key],
            defaults={"is_coordinator": key == data["coordinator"]},
        )
    return project


def _mission(data: dict[str, Any], project: Project) -> Mission:
    mission, _ = Mission.objects.update_or_create(
        slug=data["key"],
        defaults={
            "project": project,
            "name": data["name"],
            "country": data["country"],
            "timezone": data["timezone"],
            "start": data["start"],
            "end": data["end"],
            "status": data.get("status", "planning"),
            "description": data.get("description", ""),
            "meeting_day_start": _time(data.get("meeting_day_start", "09:00")),
            "meeting_day_end": _time(data.get("meeting_day_end", "17:30")),
            "lunch_start": _time(data.get("lunch_start", "12:00")),
            "lunch_end": _time(data.get("lunch_end", "13:30")),
            "default_meeting_minutes": data.get("default_meeting_minutes", 45),
        },
    )
    for stop in data.get("stops", []):
        ItineraryStop.objects.update_or_create(
            mission=mission,
            start=stop["start"],
            defaults={"city": stop["city"], "end": stop["end"]},
        )
    for venue in data.get("venues", []):
        Venue.objects.update_or_create(
            mission=mission,
            name=venue["name"],
            defaults={
                "kind": venue["kind"],
                "address": venue.get("address", ""),
                "city": venue.get("city", ""),
                "latitude": venue.get("latitude"),
                "longitude": venue.get("longitude"),
                "tables": venue.get("tables"),
            },
        )
    for key, label, weight in CRITERIA:
        SelectionCriterion.objects.update_or_create(
            mission=mission, key=key, defaults={"label": label, "weight": weight}
        )
    return mission


def _time(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def _programme(data: dict[str, Any], mission: Mission, sme_names: dict[str, str]) -> None:
    venues = {v["key"]: v["name"] for v in data.get("venues", [])}
    tz = mission.tz
    for item in data.get("programme", []):
        start = dt.datetime.fromisoformat(item["start"]).replace(tzinfo=tz)
        venue = None
        if item.get("venue"):
            venue = mission.venues.get(name=venues[item["venue"]])
        row, _ = ProgrammeItem.objects.update_or_create(
            mission=mission,
            title=item["title"],
            start=start,
            defaults={
                "kind": item["kind"],
                "end": dt.datetime.fromisoformat(item["end"]).replace(tzinfo=tz),
                "venue": venue,
                "for_all": item.get("attendees", "all") == "all",
                "blocks_meetings": item.get("blocking", True),
                "description": item.get("description", ""),
            },
        )
        if item.get("attendees", "all") != "all":
            row.attendees.set(
                mission.participations.filter(
                    sme__name__in=[sme_names[key] for key in item["attendees"]]
                )
            )


def _stakeholder(data: dict[str, Any], mission: Mission) -> Stakeholder:
    org, _ = Organisation.objects.update_or_create(
        name=data["name"],
        kind=OrganisationKind.STAKEHOLDER,
        defaults={
            "country": mission.country,
            "city": data["city"],
            "website": data.get("website", ""),
            "description": data.get("description", ""),
        },
    )
    stakeholder, _ = Stakeholder.objects.update_or_create(
        mission=mission,
        organisation=org,
        defaults={
            "type": data["type"],
            "description": data.get("description", ""),
            "needs": data.get("needs", ""),
            "profile_language": data.get("language_of_profile", "en"),
            "keywords": data.get("keywords", []),
            "programmes": data.get("programmes", []),
            "address": data.get("address", ""),
            "postcode": data.get("postcode", ""),
            "city": data["city"],
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "languages": data.get("languages", []),
            "availability": data.get("availability", ""),
            "available_days": data.get("available_days", []),
            "meeting_place": data.get("meeting_place", "premises"),
        },
    )
    for contact in data.get("contacts", []):
        ContactPerson.objects.update_or_create(
            stakeholder=stakeholder,
            name=contact["name"],
            defaults=_contact_fields(contact, data.get("language_of_profile", "en")),
        )
    return stakeholder


def _contact_fields(contact: dict[str, Any], language: str) -> dict[str, Any]:
    return {
        "role": contact.get("role", ""),
        "email": contact.get("email", ""),
        "phone": contact.get("phone", ""),
        "language": contact.get("language", language),
    }


def _sme(
    data: dict[str, Any],
    orgs: dict[str, Organisation],
    missions: dict[str, Mission],
    stakeholders: dict[str, Stakeholder],
) -> Sme:
    sme, _ = Sme.objects.update_or_create(
        name=data["name"],
        defaults={
            "cluster": orgs[data["cluster"]],
            "country": data["country"],
            "city": data.get("city", ""),
            "website": data.get("website", ""),
            "description": data["description"],
            "profile_language": data.get("language_of_profile", "en"),
            "technologies": data.get("technologies", []),
            "keywords": data.get("keywords", []),
            "trl": data.get("trl"),
            "sectors": data.get("sectors", []),
            "markets": data.get("markets", []),
            "partner_types_sought": data.get("partner_types_sought", []),
            "expectations": data.get("expectations", ""),
            "languages": data.get("languages", []),
            "employees": data.get("employees"),
            "export_controlled": data.get("export_controlled", False),
        },
    )
    for contact in data.get("contacts", []):
        ContactPerson.objects.update_or_create(
            sme=sme,
            name=contact["name"],
            defaults=_contact_fields(contact, data.get("language_of_profile", "en")),
        )
    for mission_key in data.get("missions", []):
        _participation(data, sme, missions[mission_key], stakeholders)
    return sme


def _participation(
    data: dict[str, Any], sme: Sme, mission: Mission, stakeholders: dict[str, Stakeholder]
) -> Participation:
    application = data.get("application", {}).get(mission.slug, {})
    participation, _ = Participation.objects.update_or_create(
        mission=mission,
        sme=sme,
        defaults={
            "status": DECISIONS[application.get("decision", "selected")],
            "scores": application.get("scores", {}),
            "advisor_input": application.get("advisor_input", ""),
        },
    )
    for note in data.get("advisor_notes", []):
        if note["mission"] == mission.slug:
            AdvisorNote.objects.update_or_create(
                participation=participation, date=note["date"], defaults={"text": note["text"]}
            )
    if mission.slug == DEMO_MISSION:
        for key in data.get("wishes", []):
            Match.objects.update_or_create(
                participation=participation,
                stakeholder=stakeholders[key],
                defaults={"mission": mission, "source": MatchSource.WISH},
            )
    return participation


def _users(orgs: dict[str, Organisation], mission: Mission, smes: list[Sme]) -> None:
    user_model = get_user_model()
    delegate_of = mission.participations.order_by("sme__name").first()
    for username, first, last, org_key, role in USERS:
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.eu"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        if org_key:
            Membership.objects.get_or_create(user=user, organisation=orgs[org_key])
        if role:
            MissionMember.objects.update_or_create(
                mission=mission,
                user=user,
                defaults={
                    "role": role,
                    "participation": delegate_of if role == Role.SME_DELEGATE else None,
                },
            )
    admin, created = user_model.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()


def describe_logins() -> str:
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    lines.append("  coordinator  — OPTITEC staff, coordinator of the project")
    lines.append("  partner      — CenSec staff, consortium partner")
    lines.append("  advisor      — the local mission advisor for Canada")
    lines.append("  delegate     — an SME delegate on the Canada mission")
    lines.append("  admin        — site administrator (Django admin at /admin/)")
    return "\n".join(lines)


def build_demo_plan(*, time_limit: float = 10.0) -> dict[str, Any]:
    """Take the Canada mission to a drafted plan: the SMEs' wishes accepted, one request per
    wish, every request accepted by its stakeholder (at the stakeholder's preferred place, on
    its available days), then the optimiser's plan written as meetings (kept if it is there).

    Side effects: updates matches (accepted), writes meeting requests (accepted) and meetings,
    bumps the plan's version. Meetings already planned are kept: this runs the re-planner.
    """
    from django.utils import timezone

    from trademission.meetings.domain.invitations import prepare_requests
    from trademission.meetings.domain.planning import apply_result, build_problem, current_plan
    from trademission.meetings.enums import MatchDecision, RequestStatus
    from trademission.meetings.models import MeetingRequest
    from trademission.planner import Status, solve

    mission = Mission.objects.get(slug=DEMO_MISSION)
    Match.objects.filter(mission=mission, source=MatchSource.WISH).exclude(
        decision=MatchDecision.EXCLUDED
    ).update(decision=MatchDecision.ACCEPTED)
    prepare_requests(mission)
    now = timezone.now()
    for request in (
        MeetingRequest.objects.filter(mission=mission)
        .exclude(status=RequestStatus.ACCEPTED)
        .select_related("stakeholder")
    ):
        request.status = RequestStatus.ACCEPTED
        request.meeting_place = request.stakeholder.meeting_place
        request.answered_at = now
        request.save(update_fields=["status", "meeting_place", "answered_at"])
    problem, mapping = build_problem(mission)
    result = solve(problem, time_limit=time_limit, previous_plan=current_plan(mission, mapping))
    if result.status not in (Status.OPTIMAL, Status.FEASIBLE):
        return {"requests": len(problem.meetings), "placed": 0}
    apply_result(mission, result, mapping, expected_version=mapping.plan_version)
    return {"requests": len(problem.meetings), "placed": len(result.placements)}
