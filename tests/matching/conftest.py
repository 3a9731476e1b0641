from __future__ import annotations

import pytest

from trademission.matching.profiles import ProfileSet, profiles_from_dict

SMES = [
    {
        "id": "thermo",
        "name": "ThermoVision",
        "languages": ["en", "fr"],
        "description": "We design uncooled thermal cameras for night-time surveillance.",
        "partner_types_sought": ["system integrators", "distributors"],
    },
    {
        "id": "chiffre",
        "name": "Chiffre",
        "description": "Nous développons des solutions de chiffrement et de cybersécurité "
        "pour les infrastructures critiques.",
        "partner_types_sought": ["agences gouvernementales"],
    },
    {
        "id": "skywatch",
        "name": "SkyWatch",
        "languages": ["en"],
        "description": "Radio sensors that detect rogue drones around airports.",
        "partner_types_sought": ["prime contractors"],
    },
    {
        "id": "medic",
        "name": "StopBleed",
        "languages": ["en"],
        "description": "Tourniquets and haemostatic dressings that stop massive bleeding.",
        "partner_types_sought": ["distributors"],
    },
]
STAKEHOLDERS = [
    {
        "id": "fire",
        "name": "Service incendie",
        "type": "utilisateur final",
        "languages": ["fr"],
        "description": "Le service de sécurité incendie cherche des caméras infrarouges pour "
        "voir à travers la fumée.",
    },
    {
        "id": "grid",
        "name": "Hydro",
        "type": "end user",
        "languages": ["en", "fr"],
        "description": "Operator of the electrical grid seeking protection against cyber "
        "attacks on its SCADA systems.",
    },
    {
        "id": "prime",
        "name": "BigPrime",
        "type": "prime contractor",
        "languages": ["en"],
        "description": "Tier-1 defence integrator building counter-UAS systems for airports.",
    },
    {
        "id": "optics",
        "name": "Optics Distribution",
        "type": "distributor",
        "languages": ["en"],
        "description": "Distributes thermal imaging cameras and night vision devices.",
    },
    {
        "id": "bakery",
        "name": "Bakery",
        "type": "end user",
        "languages": ["en"],
        "description": "Industrial bakery seeking packaging machines.",
    },
    {
        "id": "ministry",
        "name": "Ministère",
        "type": "ministère",
        "languages": ["fr"],
        "description": "Le ministère veut protéger ses réseaux contre les cyberattaques.",
    },
]


def profile_set(**extra: object) -> ProfileSet:
    return profiles_from_dict({"smes": SMES, "stakeholders": STAKEHOLDERS, **extra})


@pytest.fixture
def profiles() -> ProfileSet:
    return profile_set()
