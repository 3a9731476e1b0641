"""Which places belong to the same metropolitan area.

An itinerary names the city the delegation stays in ("Montreal"), while stakeholders give
their own municipality ("Longueuil", "Kanata"). Meetings there are still in that city's area.
"""

from __future__ import annotations

import unicodedata

METRO_AREAS: dict[str, set[str]] = {
    "montreal": {
        "montreal",
        "laval",
        "longueuil",
        "boucherville",
        "brossard",
        "dorval",
        "mirabel",
        "saint-laurent",
        "varennes",
        "pointe-claire",
        "westmount",
        "mont-royal",
        "saint-hubert",
        "kirkland",
        "lachine",
        "anjou",
        "mascouche",
        "terrebonne",
        "boisbriand",
        "blainville",
        "sainte-anne-de-bellevue",
        "saint-jean-sur-richelieu",
    },
    "ottawa": {"ottawa", "gatineau", "kanata", "nepean", "orleans", "gloucester", "hull"},
    "abu dhabi": {"abu dhabi"},
    "dubai": {"dubai"},
    "singapore": {"singapore"},
}


def normalise(city: str) -> str:
    decomposed = unicodedata.normalize("NFKD", city.casefold().strip())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def area_of(city: str) -> str:
    key = normalise(city)
    for area, members in METRO_AREAS.items():
        if key in members:
            return area
    return key


def same_area(a: str, b: str) -> bool:
    return area_of(a) == area_of(b)
