"""Personal data of contact persons: give a person their data, erase it on request."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from trademission.participants.models import ContactPerson


def export_contact(contact: ContactPerson) -> dict[str, Any]:
    """Everything stored about one contact person, as a JSON-ready dict (reads only).

    A contact person has no other personal data elsewhere: meetings and matches refer to
    the organisation, not to the person.
    """
    party: dict[str, Any]
    if contact.stakeholder_id is not None:
        stakeholder = contact.stakeholder
        party = {
            "kind": "stakeholder",
            "organisation": stakeholder.organisation.name,
            "mission": stakeholder.mission.name,
        }
    else:
        party = {"kind": "sme", "organisation": contact.sme.name if contact.sme else ""}
    return {
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "person": {
            "name": contact.name,
            "role": contact.role,
            "email": contact.email,
            "phone": contact.phone,
            "preferred_language": contact.language,
            "consent_at": contact.consent_at.isoformat() if contact.consent_at else None,
        },
        "held_for": party,
    }


@transaction.atomic
def erase_contact(contact: ContactPerson) -> None:
    """Erase a contact person: deletes the ``ContactPerson`` row (nothing else refers to it)."""
    contact.delete()
