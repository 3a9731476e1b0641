"""Reasons a person understands for meetings that could not be placed."""

from __future__ import annotations

from collections import Counter

from trademission.planner.greedy import State
from trademission.planner.options import Index, Option, distinct_times, venue_allowed
from trademission.planner.problem import ONLINE, Meeting, Plan, Unplaced


def _cities(index: Index, m: Meeting) -> str:
    venues = [index.venues[v] for v in (m.venues or index.venues) if v in index.venues]
    return ", ".join(sorted({v.city for v in venues if v.city and v.kind != ONLINE})) or "-"


def why_no_option(index: Index, m: Meeting) -> str:
    """Why a meeting has no possible start at all, from the first rule that empties it."""
    problem = index.problem
    days = [
        (d, day)
        for d, day in enumerate(problem.calendar.days)
        if any(venue_allowed(problem, m, v, day) for v in problem.venues)
    ]
    if not days:
        return (
            f"{m.id}: its venues are in {_cities(index, m)}, where the delegation never is"
            " (and it may not be held online)"
        )
    where = ", ".join(sorted({day.city for _, day in days if day.city})) or "the planning days"
    if m.fixed_start is not None:
        return f"{m.id}: its fixed start is not a free time of all its participants"
    if m.sessions:
        return f"{m.id}: no common free time in session {'/'.join(m.sessions)} in {where}"
    if m.duration > max(day.close - day.open for _, day in days):
        return f"{m.id}: it lasts longer than any opening hours"
    who = " and ".join(m.participants)
    return f"{m.id}: no common free time of {who} on the days the delegation is in {where}"


def required_without_options(index: Index) -> list[str]:
    return [
        why_no_option(index, m)
        for m in index.meetings.values()
        if m.required and not index.options[m.id]
    ]


def required_overload(index: Index) -> list[str]:
    """Participants whose must-have meetings cannot all get their own time, whatever the
    others do: a proof of infeasibility a person can check by counting."""
    limits = {p.id: p.max_per_day for p in index.problem.participants}
    out = []
    for pid, mids in index.by_participant.items():
        must = [m for m in mids if index.meetings[m].required]
        why = _too_many(index, pid, must, limits.get(pid), "must-have")
        if why:
            out.append(why)
    return out


def overloaded(index: Index) -> bool:
    """Some participant has more requested meetings (with a time left to them) than it can
    hold, by the same count: then no plan holds them all."""
    limits = {p.id: p.max_per_day for p in index.problem.participants}
    return any(
        _too_many(
            index, pid, [m for m in mids if index.options.get(m)], limits.get(pid), "requested"
        )
        for pid, mids in index.by_participant.items()
    )


def _too_many(index: Index, pid: str, mids: list[str], limit: int | None, kind: str) -> str | None:
    """Why ``pid`` cannot hold all of ``mids``, by counting; None when counting cannot tell."""
    if len(mids) < 2:
        return None
    meetings = [index.meetings[m] for m in mids]
    fits = distinct_times(
        [{o.start for o in index.options[m.id]} for m in meetings if m.duration == 1]
    )
    one_grain = sum(m.duration == 1 for m in meetings)
    if fits < one_grain:
        return (
            f"{pid} has {one_grain} {kind} meetings but only {fits} different times"
            " when they could take place (the others are unavailable, forbidden or"
            " outside the meetings' sessions)"
        )
    days = {o.day for m in meetings for o in index.options[m.id]}
    if limit is not None and len(meetings) > limit * len(days):
        return (
            f"{pid} has {len(meetings)} {kind} meetings but at most {limit} a day"
            f" on {len(days)} possible days"
        )
    return None


def _option_blocker(index: Index, state: State, mid: str, o: Option) -> str:
    m = index.meetings[mid]
    cap = state.caps.get(o.venue)
    if cap is not None and any(state.tables[(o.venue, t)] >= cap for t in range(o.start, o.end)):
        return f"all {cap} tables of {o.venue} are taken then"
    for pid in m.participants:
        clash = [state.busy[pid].get(t) for t in state._span(pid, o)]
        other = next((c for c in clash if c is not None), None)
        if other is not None:
            return f"{pid} is in meeting {other} then"
        limit = state.max_day.get(pid)
        if limit is not None and state.per_day[(pid, o.day)] >= limit:
            return f"{pid} already has {limit} meetings that day"
        if not state._travel_ok(pid, o):
            return _travel_reason(index, state, pid, o)
    return "it would break a precedence"


def _travel_reason(index: Index, state: State, pid: str, o: Option) -> str:
    grain = index.problem.calendar.grain_minutes
    for other in index.by_participant.get(pid, ()):
        p = state.placed.get(other)
        if p is None or p.day != o.day or p.venue == o.venue:
            continue
        if p.end <= o.start:
            need, free, a, b = index.travel(p.venue, o.venue), o.start - p.end, p.venue, o.venue
        else:
            need, free, a, b = index.travel(o.venue, p.venue), p.start - o.end, o.venue, p.venue
        if 0 <= free < need:
            return f"travel from {a} to {b} takes {need * grain} min, {free * grain} are free"
    return f"{pid} cannot travel in time"


def explain_unplaced(index: Index, plan: Plan) -> tuple[Unplaced, ...]:
    """For each meeting not in the plan: why none of its options is free in this plan."""
    state = State(index)
    by_id = {p.meeting: p for p in plan.placements}
    for mid, p in by_id.items():
        for o in index.options.get(mid, ()):
            if (o.start, o.venue) == (p.start, p.venue):
                state.place(mid, o)
                break
    out = []
    for mid, m in index.meetings.items():
        if mid in by_id:
            continue
        if not index.options[mid]:
            out.append(Unplaced(mid, why_no_option(index, m)))
            continue
        reasons = Counter(_option_blocker(index, state, mid, o) for o in index.options[mid])
        top = "; ".join(r for r, _ in reasons.most_common(2))
        out.append(Unplaced(mid, f"{mid}: every possible time is taken ({top})"))
    return tuple(out)
