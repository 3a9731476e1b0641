"""How long it takes to get from one place to another, estimated from coordinates.

Pure Python, no Django: agendas use it for "leave at" times. The planner has its own estimate
(``planner/options.py``); the two are kept apart so that neither package depends on the other.
"""

from __future__ import annotations

import math

#: Average door-to-door speed in town (taxi or public transport), in km/h.
SPEED_KMH = 30.0
#: Minutes added to every trip: finding a taxi, the lift, the reception desk.
BUFFER_MINUTES = 10
#: Places closer than this (in km) are the same place: no travel at all.
SAME_PLACE_KM = 0.05

EARTH_RADIUS_KM = 6371.0088

Point = tuple[float, float]  # (latitude, longitude) in degrees


def distance_km(a: Point, b: Point) -> float:
    """Great-circle (haversine) distance between two points, in kilometres."""
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def travel_minutes(
    a: Point | None,
    b: Point | None,
    *,
    speed_kmh: float = SPEED_KMH,
    buffer_minutes: int = BUFFER_MINUTES,
) -> int | None:
    """Whole minutes to travel from ``a`` to ``b``: distance / speed, rounded up, plus a buffer.

    None when either place has no coordinates (unknown, not zero); 0 for the same place.
    """
    if a is None or b is None:
        return None
    km = distance_km(a, b)
    if km < SAME_PLACE_KM:
        return 0
    return math.ceil(km / speed_kmh * 60) + buffer_minutes
