"""Large-neighbourhood search on breaks: free the meetings around a few participants, fix
everything else, and let CP-SAT re-place the freed meetings with fewest breaks.

Why: on the benchmark the window cuts (model.add_break_windows) prove the optimum's bound
within seconds, but the full-model search rarely finds the plan at that bound; the paper's
best plans have a handful of breaks among 50-80 participants, so the repair is local. Each
neighbourhood starts from a participant with a break, adds the people they meet (and theirs),
and grows when several attempts in a row bring nothing.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from trademission.planner.model import Model
from trademission.planner.travel import Placed, breaks_by_person

SUB_SECONDS = 0.5  # one neighbourhood: most solve to optimality in well under a second


def _neighbourhood(model: Model, seed: str, size: int, rng: random.Random) -> set[str]:
    """The meetings of the seed participant, then of the people they meet, breadth first,
    until about ``size`` meetings are free."""
    index = model.index
    chosen, frontier, freed = {seed}, [seed], set(index.by_participant.get(seed, ()))
    while frontier and len(freed) < size:
        pid = frontier.pop(0)
        partners = [
            q for m in index.by_participant.get(pid, ()) for q in index.meetings[m].participants
        ]
        rng.shuffle(partners)
        for q in partners:
            if q not in chosen and len(freed) < size:
                chosen.add(q)
                frontier.append(q)
                freed.update(index.by_participant.get(q, ()))
    return freed


def _slot_neighbourhood(
    model: Model, placed: Placed, seed: str, width: int, rng: random.Random
) -> set[str]:
    """Every meeting in a few grains, one of them where the seed participant is busy: lets
    whole rows of the timetable swap, which moving one person's meetings cannot do when
    tables or partners are full."""
    index = model.index
    own = [placed[m][0] for m in index.by_participant.get(seed, ()) if m in placed]
    grains = sorted({s for s, _ in placed.values()})
    if not grains:
        return set()
    anchor = rng.choice(own or grains)
    chosen = {anchor, *rng.sample(grains, min(len(grains), width - 1))}
    return {m for m, (s, _) in placed.items() if s in chosen}


def polish(
    model: Model,
    placed: Placed,
    best: int,
    lower: int,
    deadline: float,
    stop: Callable[[], bool] | None = None,
    seed: int = 0,
) -> tuple[Placed, int]:
    """Improve ``placed`` (with ``best`` breaks) until it reaches ``lower`` or time runs out."""
    cp, index = model.cp, model.index
    expr = model.total_breaks()
    rng = random.Random(seed)
    people = [p for p, mids in index.by_participant.items() if len(mids) > 1]
    size, fails = 16, 0
    while best > lower and time.monotonic() < deadline - 0.2 and not (stop and stop()):
        per_person = breaks_by_person(index, placed)
        broken = [p for p in people if per_person.get(p, 0)]
        start = rng.choice(broken or people)
        if rng.random() < 0.5:
            freed = _neighbourhood(model, start, size, rng)
        else:
            freed = _slot_neighbourhood(model, placed, start, max(2, size // 8), rng)
        fixed = [
            v
            for mid, opts in model.x.items()
            if mid not in freed
            for o, v in opts
            if placed.get(mid) == (o.start, o.venue)
        ]
        pin, cap = cp.add_bool_and(fixed), cp.add(expr <= best)
        cp.clear_hints()  # type: ignore[no-untyped-call]  # untyped in ortools' stubs
        for mid, opts in model.x.items():
            for o, v in opts:
                cp.add_hint(v, placed.get(mid) == (o.start, o.venue))
        cp.minimize(expr)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = min(
            SUB_SECONDS, max(0.05, deadline - time.monotonic())
        )
        solver.parameters.random_seed = rng.randrange(1 << 30)
        status = solver.solve(cp)
        cp.clear_objective()  # type: ignore[no-untyped-call]
        pin.proto.clear_bool_and()  # drop the temporary constraints again
        cap.proto.clear_linear()
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            value = round(solver.objective_value)
            placed = {
                mid: (o.start, o.venue)
                for mid, opts in model.x.items()
                for o, v in opts
                if solver.boolean_value(v)
            }
            if value < best:
                best, fails = value, 0
                continue
        fails += 1
        if status == cp_model.OPTIMAL and fails >= 3 and size < len(model.x):
            size, fails = min(len(model.x), size + 4), 0
        elif status != cp_model.OPTIMAL and size > 8:
            size -= 2
    return placed, best
