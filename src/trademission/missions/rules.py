"""Who may do what on a mission: the one place UI, API and tasks ask.

Each permission names the roles that hold it. ``user.has_perm("missions.<name>", mission)``
works through django-rules, and ``may(user, name, mission)`` is the same question without it.
"""

from __future__ import annotations

from typing import Any

import rules

from trademission.missions.domain.queries.access import role_on
from trademission.missions.enums import Role

C, P, A = Role.COORDINATOR, Role.PARTNER_STAFF, Role.ADVISOR

PERMISSIONS: dict[str, frozenset[str]] = {
    # see the organiser pages of the mission
    "view_mission": frozenset({C, P, A}),
    # itinerary, venues, programme, meeting calendar, selection criteria
    "change_setup": frozenset({C}),
    # read applications and score them; decide selected / waiting list / declined
    "score_applications": frozenset({C, P, A}),
    "decide_applications": frozenset({C, P}),
    # advisor profiling: notes, expectations, wishes, exclusions
    "profile_smes": frozenset({C, P, A}),
    # stakeholder directory: create, edit, import, export
    "change_stakeholders": frozenset({C, A}),
    # recommendations: accept, reject, add, prioritise, recompute
    "curate_matches": frozenset({C, A}),
    # personal data of contact persons
    "view_sme_contacts": frozenset({C, P, A}),
    "view_stakeholder_contacts": frozenset({C, A}),
    # give a contact person their data, erase it on request
    "manage_personal_data": frozenset({C}),
    # invitations and the meeting plan
    "send_invitations": frozenset({C, A}),
    "change_plan": frozenset({C, A}),
    "publish_plan": frozenset({C}),
}


def may(user: Any, permission: str, mission: Any) -> bool:
    if permission not in PERMISSIONS:
        raise KeyError(f"Unknown permission {permission!r}")
    role = role_on(user, mission)
    return role is not None and role in PERMISSIONS[permission]


def _predicate(permission: str) -> Any:
    @rules.predicate(name=permission)
    def check(user: Any, mission: Any) -> bool:
        return mission is not None and may(user, permission, mission)

    return check


for _name in PERMISSIONS:
    rules.add_perm(f"missions.{_name}", _predicate(_name))
