"""The CP-SAT model: one Boolean per (meeting, start, venue) option, one ``add_*`` per rule.

Every variable is named after what it means (``x[m3@40/tables]``, ``busy[b7@41]``), so a
solver log or an infeasibility core can be read by a person.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from trademission.planner.options import Index, Option, distinct_times, timeline
from trademission.planner.problem import ONLINE

Lit = cp_model.IntVar
Expr = cp_model.LinearExprT


@dataclass
class Model:
    cp: cp_model.CpModel
    index: Index
    x: dict[str, list[tuple[Option, Lit]]]
    busy: dict[str, dict[int, Lit]] = field(default_factory=dict)
    breaks: dict[str, cp_model.LinearExpr] = field(default_factory=dict)
    lowest_breaks: Lit | None = None
    ends: dict[str, dict[int, Lit]] = field(default_factory=dict)
    breaks_lower_bound: int = 0
    broken: dict[str, Lit] = field(default_factory=dict)
    # "no break" means "consecutive grains" (one day, one-grain meetings, no journeys): the
    # benchmark's shape, where the cuts, windows and solver choices were measured
    contiguous: bool = False

    def held_weight(self) -> cp_model.LinearExpr:
        meetings = self.index.meetings
        return cp_model.LinearExpr.weighted_sum(
            [v for m, opts in self.x.items() for _, v in opts],
            [meetings[m].weight for m, opts in self.x.items() for _ in opts],
        )

    def total_breaks(self) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.sum(list(self.breaks.values()))


def add_options(model: Model) -> None:
    """Hard: a meeting is held at most once; a required (must-have) meeting exactly once."""
    for mid, opts in model.x.items():
        lits = [v for _, v in opts]
        if model.index.meetings[mid].required:
            model.cp.add_exactly_one(lits)
        elif len(lits) > 1:
            model.cp.add_at_most_one(lits)


def _occupancy(model: Model, pid: str) -> dict[int, list[Lit]]:
    """Literals keeping a participant busy at each grain, the minimum pause included."""
    cal = model.index.problem.calendar
    pause = model.index.pause(pid)
    cover: dict[int, list[Lit]] = defaultdict(list)
    for mid in model.index.by_participant.get(pid, ()):
        for opt, lit in model.x[mid]:
            close = cal.to_global(opt.day, cal.days[opt.day].close)
            for t in range(opt.start, min(opt.end + pause, close)):
                cover[t].append(lit)
    return cover


def add_no_overlap(model: Model) -> None:
    """Hard: a participant attends one meeting at a time and rests ``min_pause`` after each.

    Also defines ``busy[p@t]``, which the break count is built on.
    """
    for pid in model.index.by_participant:
        busy: dict[int, Lit] = {}
        for t, lits in sorted(_occupancy(model, pid).items()):
            if len(lits) == 1:
                busy[t] = lits[0]
                continue
            b = model.cp.new_bool_var(f"busy[{pid}@{t}]")
            # "b or none" as one exactly-one: clauses the SAT search can learn from
            model.cp.add_exactly_one([b.Not(), *lits])
            busy[t] = b
        model.busy[pid] = busy


def add_tables(model: Model) -> None:
    """Hard: no more meetings at a venue at once than it has tables."""
    for venue in model.index.problem.venues:
        if venue.tables is None:
            continue
        cover: dict[int, list[Lit]] = defaultdict(list)
        for opts in model.x.values():
            for opt, lit in opts:
                if opt.venue == venue.id:
                    for t in range(opt.start, opt.end):
                        cover[t].append(lit)
        for lits in cover.values():
            if len(lits) > venue.tables:
                model.cp.add(cp_model.LinearExpr.sum(lits) <= venue.tables)


def add_table_occupancy(model: Model) -> None:
    """Redundant: with one venue of T tables and meetings of q people each, at most q * T
    people are busy at any grain.

    The same fact as the table rule, but stated on the participants' ``busy`` literals, which
    the break windows set: a choice of windows that overfills a grain fails at once instead of
    after the meetings are placed. Measured on the benchmark: finding tic-14crafc's break-free
    plan went from 15 s to 0.3 s, tic-13crafc's 4-break plan from over 30 s to 0.5 s.
    """
    index = model.index
    venue = index.only_venue()
    sizes = {len(m.participants) for m in index.meetings.values()}
    if venue is None or len(sizes) != 1 or any(index.pause(p) for p in index.by_participant):
        return
    tables = index.venues[venue].tables
    if tables is None:
        return
    most = sizes.pop() * tables
    cover: dict[int, list[Lit]] = defaultdict(list)
    for busy in model.busy.values():
        for t, lit in busy.items():
            cover[t].append(lit)
    for lits in cover.values():
        if len(lits) > most:
            model.cp.add(cp_model.LinearExpr.sum(lits) <= most)


def add_max_per_day(model: Model) -> None:
    """Hard: a participant attends at most ``max_per_day`` meetings a day."""
    for p in model.index.problem.participants:
        if p.max_per_day is None:
            continue
        per_day: dict[int, list[Lit]] = defaultdict(list)
        for mid in model.index.by_participant.get(p.id, ()):
            for opt, lit in model.x[mid]:
                per_day[opt.day].append(lit)
        for lits in per_day.values():
            if len(lits) > p.max_per_day:
                model.cp.add(cp_model.LinearExpr.sum(lits) <= p.max_per_day)


def add_precedences(model: Model) -> None:
    """Hard: when both are held, every meeting in ``after`` ends before this one starts."""
    for mid, opts in model.x.items():
        for before in model.index.meetings[mid].after:
            if before not in model.x:
                continue
            for opt, lit in opts:
                late = [v.Not() for o, v in model.x[before] if o.end > opt.start]
                if late:
                    model.cp.add_bool_and(late).only_enforce_if(lit)


def add_travel(model: Model) -> None:
    """Hard: between consecutive meetings at different venues a participant can travel.

    The pause is already kept by ``add_no_overlap``; only the extra travel grains are added,
    as one implication per option: "held here, then nothing starts elsewhere too soon".
    """
    index = model.index
    longest = max(index.gap_grains.values(), default=0)
    for pid, mids in index.by_participant.items():
        physical = [
            (o, v) for m in mids for o, v in model.x[m] if index.venues[o.venue].kind != ONLINE
        ]
        if longest == 0 or len({o.venue for o, _ in physical}) < 2:
            continue
        by_start: dict[int, list[tuple[str, Lit]]] = defaultdict(list)
        for o, v in physical:
            by_start[o.start].append((o.venue, v))
        for o, v in physical:
            o_end = o.end + index.pause(pid)
            too_soon = [
                w
                for s in range(o_end, o_end + longest)
                for venue, w in by_start.get(s, ())
                if venue != o.venue and s < o.end + index.travel(o.venue, venue)
            ]
            if too_soon:
                model.cp.add_bool_and([w.Not() for w in too_soon]).only_enforce_if(v)


def add_breaks(model: Model) -> None:
    """Soft (objective 2): a break is an idle gap between two meetings on the same day.

    Along each day's timeline (lunch breaks left out, so lunch is not a break):
    ``seen[t]`` = some meeting at or before t; a break ends at t when the participant is busy
    at t, idle just before, and was busy earlier that day. Every term is a non-negative
    literal, which keeps the bound of core-based search meaningful.
    """
    problem = model.index.problem
    days = range(len(problem.calendar.days))
    lines = {d: timeline(problem, d) for d in days}
    for pid, busy in model.busy.items():
        if not busy:
            continue
        terms: list[Lit] = []
        for d in days:
            day_busy = [busy.get(t) for t in lines[d]]
            if any(b is not None for b in day_busy):  # no meeting that day: no break
                terms.extend(_break_ends(model, pid, day_busy, lines[d], d))
        model.breaks[pid] = cp_model.LinearExpr.sum(terms)


def _break_ends(
    model: Model, pid: str, day_busy: list[Lit | None], grains: list[int], day: int
) -> list[Lit]:
    cp = model.cp
    ends: list[Lit] = []
    seen: Lit | None = None
    prev: Lit | None = None
    straight = _straight_arrivals(model, pid, grains, day)
    for t, b in zip(grains, day_busy, strict=True):
        if b is not None and seen is not None:
            # no literal for t - 1 (nothing can be there: unavailable, or every meeting of a
            # small move's model fixed elsewhere) means idle just before
            before = [] if prev is None else [prev]
            e = cp.new_bool_var(f"break[{pid}@{t}]")
            arrivals = straight.get(t)
            if arrivals is None:
                cp.add_bool_or([e, b.Not(), *before, seen.Not()])
            else:  # per meeting start: not a break when it comes straight from the last venue
                for lit, came_straight in arrivals:
                    cp.add_bool_or([e, lit.Not(), *before, seen.Not(), *came_straight])
                    for last in came_straight:  # exact, for the fairness bound
                        cp.add_bool_or([e.Not(), lit.Not(), last.Not()])
            cp.add_implication(e, b)
            if prev is not None:
                cp.add_implication(e, prev.Not())
            cp.add_implication(e, seen)
            ends.append(e)
            model.ends.setdefault(pid, {})[t] = e
        # seen after t is the running OR: seen_t = seen_{t-1} or busy_t
        if b is not None:
            seen = b if seen is None else _or(cp, f"seen[{pid}@{t}]", seen, b)
        prev = b
    return ends


def _straight_arrivals(
    model: Model, pid: str, grains: list[int], day: int
) -> dict[int, list[tuple[Lit, list[Lit]]]]:
    """For each grain where a meeting may start after a journey: (that start, the held
    options it would come straight from). The journey is idle by the grain but not a break:
    the participant leaves the last meeting and goes directly to the next one.

    Only this day's options (measured: over every day's, per day, this was 60 % of the time
    to build a small move's model in the search by day)."""
    index = model.index
    pause = index.pause(pid)
    if not index.gap_grains:
        return {}
    mine = [
        (o, v) for m in index.by_participant.get(pid, ()) for o, v in model.x[m] if o.day == day
    ]
    on_line = set(grains)
    by_end: dict[int, list[tuple[Option, Lit]]] = defaultdict(list)
    for o, v in mine:
        by_end[o.end].append((o, v))
    out: dict[int, list[tuple[Lit, list[Lit]]]] = {}
    longest = max(index.gap_grains.values())
    for o2, v2 in mine:
        if o2.start not in on_line:
            continue
        came: list[Lit] = []
        for end in range(o2.start - longest, o2.start - pause):
            for o1, v1 in by_end.get(end, ()):
                need = index.travel(o1.venue, o2.venue)  # a journey longer than the pause
                if need <= pause or end + need > o2.start:
                    continue
                if not any(g in on_line for g in range(end + need, o2.start)):
                    came.append(v1)
        out.setdefault(o2.start, []).append((v2, came))
    return {t: arrivals for t, arrivals in out.items() if any(c for _, c in arrivals)}


def _and(cp: cp_model.CpModel, name: str, a: Lit, b: Lit) -> Lit:
    v = cp.new_bool_var(name)
    cp.add_bool_or([v, a.Not(), b.Not()])
    cp.add_implication(v, a)
    cp.add_implication(v, b)
    return v


def _or(cp: cp_model.CpModel, name: str, a: Lit, b: Lit) -> Lit:
    v = cp.new_bool_var(name)
    cp.add_bool_or([v.Not(), a, b])
    cp.add_implication(a, v)
    cp.add_implication(b, v)
    return v


def _contiguity_is_no_break(model: Model) -> bool:
    """One day, one-grain meetings and no journeys between venues: the shape where "no break"
    means "the meetings fill consecutive grains", which the redundant cuts below rely on
    (with journeys, meetings three grains apart can be break-free)."""
    problem = model.index.problem
    return (
        len(problem.calendar.days) == 1
        and all(m.duration == 1 for m in problem.meetings)
        and not any(model.index.gap_grains.values())
    )


def add_break_redundancy(model: Model) -> None:
    """Redundant (no effect on the optimum): cuts that make break reasoning propagate.

    A participant can be busy for at most ``n`` grains a day (durations plus pauses), so being
    busy at two grains further apart than ``n`` means a break ends somewhere between them.
    Without this clause CP-SAT only learns it one grain at a time.
    """
    problem = model.index.problem
    if not model.contiguous:
        return  # measured on one-day, one-slot events; elsewhere it costs more than it saves
    for pid, busy in model.busy.items():
        mids = model.index.by_participant.get(pid, ())
        n = sum(model.index.meetings[m].duration + model.index.pause(pid) for m in mids)
        ends = model.ends.get(pid, {})
        for d in range(len(problem.calendar.days)):
            line = [t for t in timeline(problem, d) if t in busy]
            pos = {t: i for i, t in enumerate(timeline(problem, d))}
            for i, t in enumerate(line):
                for t2 in line[i + 1 :]:
                    if pos[t2] - pos[t] + 1 > n:
                        between = [ends[u] for u in ends if t < u <= t2]
                        model.cp.add_bool_or([busy[t].Not(), busy[t2].Not(), *between])
        if all(model.index.meetings[m].required for m in mids) and not model.index.pause(pid):
            model.cp.add(cp_model.LinearExpr.sum(list(busy.values())) == n)
            _full_blocks(model, pid, busy, n)


def _full_blocks(model: Model, pid: str, busy: dict[int, Lit], n: int) -> None:
    """Without a break, a participant's n meetings fill n consecutive grains: where a block
    starts (ends), the next (previous) n - 1 grains are busy. ``clean`` is "no break at all"."""
    ends = list(model.ends.get(pid, {}).values())
    if n < 2 or not ends:
        return
    cp = model.cp
    broken = cp.new_bool_var(f"has_break[{pid}]")
    model.broken[pid] = broken
    cp.add_bool_or([broken.Not(), *ends])
    for e in ends:
        cp.add_implication(e, broken)
    line = timeline(model.index.problem, 0)
    for i, t in enumerate(line):
        if t not in busy:
            continue
        before = busy.get(line[i - 1]) if i > 0 else None
        after = busy.get(line[i + 1]) if i + 1 < len(line) else None
        for j in range(1, n):
            for edge, other in ((before, i + j), (after, i - j)):
                target = busy.get(line[other]) if 0 <= other < len(line) else None
                clause = [busy[t].Not(), broken] + ([edge] if edge is not None else [])
                cp.add_bool_or([*clause, target] if target is not None else clause)


def _fits_window(domains: list[set[int]], window: list[int]) -> bool:
    """Can every meeting take its own grain of the window?"""
    inside = set(window)
    return distinct_times([d & inside for d in domains]) == len(domains)


def add_break_lower_bounds(model: Model) -> int:
    """Redundant: a participant whose must-have meetings fit in no contiguous window has a
    break whatever the others do. Returns the sum of these bounds, a bound on all breaks.

    One-slot, one-day events only (the benchmark's shape), where grains are slots.
    """
    problem = model.index.problem
    if not model.contiguous:
        return 0
    line = timeline(problem, 0)
    total = 0
    for pid, mids in model.index.by_participant.items():
        meetings = [model.index.meetings[m] for m in mids]
        if len(mids) < 2 or not all(m.required for m in meetings) or model.index.pause(pid):
            continue
        domains = [{o.start for o, _ in model.x[m]} for m in mids]
        n = len(mids)
        if not any(_fits_window(domains, line[a : a + n]) for a in range(len(line) - n + 1)):
            model.cp.add(model.breaks[pid] >= 1)
            total += 1
    return total


def add_break_windows(model: Model) -> None:
    """Redundant: "no break" as a choice of window, which gives the LP relaxation teeth.

    A participant whose n must-have one-grain meetings are all on one day has no break exactly
    when they fill one window of n consecutive grains. One literal per window where the
    meetings can each get their own grain (a bipartite matching: the others are left out),
    and ``has_break`` otherwise. Busy grains lie in the chosen window; the break literals are
    linked to ``has_break`` both ways. Measured on the benchmark: the LP bound over these
    windows proves counts of broken participants the clause reasoning alone never reaches.
    """
    problem = model.index.problem
    if not model.contiguous:
        return
    line = timeline(problem, 0)
    cp = model.cp
    for pid, mids in model.index.by_participant.items():
        meetings = [model.index.meetings[m] for m in mids]
        n = len(mids)
        if n < 2 or not all(m.required for m in meetings) or model.index.pause(pid):
            continue
        busy, ends = model.busy[pid], list(model.ends.get(pid, {}).values())
        broken = model.broken.get(pid)
        if broken is None:
            broken = cp.new_bool_var(f"has_break[{pid}]")
            model.broken[pid] = broken
            cp.add_bool_or([broken.Not(), *ends])
            for e in ends:
                cp.add_implication(e, broken)
        domains = [{o.start for o, _ in model.x[m]} for m in mids]
        windows: list[tuple[list[int], Lit]] = []
        for a in range(len(line) - n + 1):
            grains = line[a : a + n]
            if _fits_window(domains, grains):
                windows.append((grains, cp.new_bool_var(f"window[{pid}@{grains[0]}]")))
        cp.add_exactly_one([broken, *(w for _, w in windows)])
        for grains, w in windows:
            for t in grains:
                cp.add_implication(w, busy[t])
        for t, b in busy.items():
            cp.add_bool_or([b.Not(), broken, *(w for grains, w in windows if t in grains)])


def add_fairness(model: Model, d: int | None) -> None:
    """Hard: no participant's breaks exceed the smallest number of breaks by more than d."""
    if d is None or not model.breaks:
        return
    horizon = max(len(b) for b in model.busy.values()) + 1
    lo = model.cp.new_int_var(0, horizon, "lowest_breaks")
    if any(len(mids) == 1 for mids in model.index.by_participant.values()):
        model.cp.add(lo == 0)  # someone with a single meeting never has a break
    for pid, expr in model.breaks.items():
        if model.index.by_participant.get(pid):
            model.cp.add(expr >= lo)
            model.cp.add(expr <= lo + d)
    model.lowest_breaks = lo


def build_model(index: Index, fairness: int | None, *, with_breaks: bool = True) -> Model:
    cp = cp_model.CpModel()
    x = {
        mid: [(o, cp.new_bool_var(f"x[{mid}@{o.start}/{o.venue}]")) for o in index.options[mid]]
        for mid in index.meetings
    }
    model = Model(cp=cp, index=index, x=x)
    model.contiguous = _contiguity_is_no_break(model)
    add_options(model)
    add_no_overlap(model)
    add_tables(model)
    add_table_occupancy(model)
    add_max_per_day(model)
    add_precedences(model)
    add_travel(model)
    if with_breaks:
        add_breaks(model)
        add_break_redundancy(model)
        model.breaks_lower_bound = add_break_lower_bounds(model)
        add_break_windows(model)
        add_fairness(model, fairness)
    return model
