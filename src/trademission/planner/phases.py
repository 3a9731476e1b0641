"""One CP-SAT run per objective, in lexicographic order, on a single model.

Each phase freezes its objective at the value found before the next starts, and hands its
solution on as the next phase's hint. The break phase searches bottom-up (see
``Run.breaks``): on the benchmark, proving "no plan with k breaks" and finding a plan with
k breaks are both easier as pure satisfaction problems than as one optimisation.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ortools.sat.python import cp_model

from trademission.planner import maxsat
from trademission.planner.break_floor import breaks_floor
from trademission.planner.model import Model
from trademission.planner.options import Index
from trademission.planner.polish import polish
from trademission.planner.problem import Placement, Plan
from trademission.planner.validate import validate


@dataclass(frozen=True)
class Progress:
    phase: str
    objective: float
    bound: float
    seconds: float


ProgressFn = Callable[[Progress], None]
StopFn = Callable[[], bool]
Placed = dict[str, tuple[int, str]]
SingleBreak = Literal["found", "nobody", "open"]
NO_LP = ["no_lp", "quick_restart_no_lp"]  # measured: best at finding break-free plans
# of the time: then, if RC2 has not finished, the linear search (maxsat.improve_spec) joins it
# and CP-SAT waits, so that each child has a core; RC2 goes on (it proves the b2bsp crafb
# instances in 10-25 s, and a slower machine must not lose that). Measured on 16 variants,
# 60 s each: with CP-SAT going on beside both children, 10-13 breaks where it now reaches
# 5-6, and the variants proven took 319.6 s in all against 280.7 s
LINEAR_AFTER = 0.3


class _Watch(cp_model.CpSolverSolutionCallback):
    """Reports every improving solution and stops the search when asked to."""

    def __init__(
        self,
        phase: str,
        t0: float,
        progress: ProgressFn | None,
        stop: StopFn | None,
        scale: int = 1,
    ):
        """``scale``: the objective is scale x the phase's value minus a tie-break below
        ``scale`` (see ``Run.phase``); progress shows the phase's value."""
        super().__init__()
        self.phase, self.t0, self.progress, self.stop = phase, t0, progress, stop
        self.scale = scale

    def on_solution_callback(self) -> None:
        if self.progress is not None and self.has_objective():
            seconds = time.monotonic() - self.t0
            value = math.ceil(self.objective_value / self.scale)
            bound = (self.best_objective_bound + self.scale - 1) // self.scale
            self.progress(Progress(self.phase, value, bound, seconds))
        if self.stop is not None and self.stop():
            self.stop_search()

    def has_objective(self) -> bool:
        try:
            return bool(self.objective_value == self.objective_value)
        except RuntimeError:
            return False


def _clear_objective(cp: cp_model.CpModel) -> None:
    cp.clear_objective()  # type: ignore[no-untyped-call]  # untyped in ortools' stubs


def _clear_hints(cp: cp_model.CpModel) -> None:
    cp.clear_hints()  # type: ignore[no-untyped-call]  # untyped in ortools' stubs


def run_solver(
    model: Model,
    limit: float,
    workers: int,
    watch: _Watch,
    subsolvers: list[str] | None = None,
    stop_above: float | None = None,
) -> tuple[cp_model.CpSolver, int]:
    """``stop_above``: end the search as soon as the proven bound passes it."""
    solver = cp_model.CpSolver()
    if stop_above is not None:
        limit_bound = stop_above

        def on_bound(bound: float) -> None:
            if bound > limit_bound + 0.5:
                solver.stop_search()

        solver.best_bound_callback = on_bound
    solver.parameters.max_time_in_seconds = max(0.05, limit)
    solver.parameters.num_workers = workers
    if subsolvers and workers >= 2:
        solver.parameters.subsolvers.extend(subsolvers[:workers])
    elif subsolvers:  # one worker: the named worker's LP level, the rest default
        solver.parameters.linearization_level = 0 if "no_lp" in subsolvers[0] else 2
    done = threading.Event()

    def poll() -> None:  # the callback only runs on solutions; cancel also between them
        while not done.wait(0.2):
            if watch.stop is not None and watch.stop():
                solver.stop_search()
                return

    threading.Thread(target=poll, daemon=True).start()
    try:
        status = int(solver.solve(model.cp, watch))
    finally:
        done.set()
    return solver, status


def hint(model: Model, placed: Placed, seconds: float = 10.0) -> None:
    """Hint every variable, not only the placements: CP-SAT otherwise spends seconds
    completing a partial hint. The auxiliaries follow from the placements by propagation,
    so a copy of the model with the placements fixed solves at once."""
    _clear_hints(model.cp)
    decisions = [
        (v, placed.get(mid) == (o.start, o.venue)) for mid, opts in model.x.items() for o, v in opts
    ]
    fixed = model.cp.clone()
    _clear_objective(fixed)
    for v, value in decisions:
        fixed.add(fixed.get_bool_var_from_proto_index(v.index) == int(value))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = max(0.05, seconds)  # within the run's time
    if solver.solve(fixed) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for i, value in enumerate(solver.response_proto.solution):
            model.cp.add_hint(model.cp.get_int_var_from_proto_index(i), value)
        return
    for v, value in decisions:
        model.cp.add_hint(v, value)


def placed_of(model: Model, solver: cp_model.CpSolver) -> Placed:
    return {
        mid: (o.start, o.venue)
        for mid, opts in model.x.items()
        for o, v in opts
        if solver.boolean_value(v)
    }


@dataclass
class Run:
    index: Index
    model: Model
    t0: float
    deadline: float
    workers: int
    progress: ProgressFn | None
    stop: StopFn | None
    placed: Placed
    objectives: dict[str, float] = field(default_factory=dict)
    bound: dict[str, float] = field(default_factory=dict)
    optimal: bool = True
    infeasible: bool = False
    solved_once: bool = False
    hinted: Placed | None = None
    _probes: dict[str, float] = field(default_factory=dict)  # seconds tried, -1 impossible
    left_out: dict[str, str] = field(default_factory=dict)  # meeting -> why (fairness)

    def left(self, share: float) -> float:
        return max(0.0, self.deadline - time.monotonic()) * share

    def _solve(
        self,
        name: str,
        share: float,
        subsolvers: list[str] | None = None,
        trial: bool = False,
        stop_above: float | None = None,
        hint_plan: bool = True,
        workers: int | None = None,
        scale: int = 1,
    ) -> tuple[cp_model.CpSolver, int]:
        """``scale``: of the objective shown as progress (``phase``'s tie-break)."""
        if hint_plan and self.placed != self.hinted:
            hint(self.model, self.placed, min(10.0, self.left(1.0)))
            self.hinted = dict(self.placed)
        # a satisfaction run has no objective: CP-SAT would report 0 as its value and bound
        shown = self.progress if self.model.cp.has_objective() else None
        watch = _Watch(name, self.t0, shown, self.stop, scale)
        solver, status = run_solver(
            self.model, self.left(share), workers or self.workers, watch, subsolvers, stop_above
        )
        if status == cp_model.INFEASIBLE and not self.solved_once and not trial:
            self.infeasible = True  # a trial bound proved too tight says nothing of the problem
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self.placed = placed_of(self.model, solver)
            self.solved_once = True
        return solver, status

    def phase(
        self,
        name: str,
        expr: cp_model.LinearExprT,
        maximise: bool,
        share: float,
        fewer: tuple[cp_model.LinearExprT, int] | None = None,
    ) -> bool:
        """Optimise one objective top-down, then freeze it; False when no solution was found.

        ``fewer`` (an expression and its largest value), when maximising: kept small as a
        tie-break that never costs the objective, so that the solution handed on is close to
        what the next phase wants (re-planning: the meetings phase keeps moves few)."""
        cp = self.model.cp
        _clear_objective(cp)
        scale = 1 if fewer is None else fewer[1] + 1
        if fewer is not None and maximise:
            cp.maximize(scale * expr - fewer[0])  # type: ignore[operator]
        else:
            cp.maximize(expr) if maximise else cp.minimize(expr)
        solver, status = self._solve(name, share, scale=scale)
        _clear_objective(cp)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self.optimal = False
            return False
        value = round(solver.value(expr))
        self.objectives[name] = value
        bound = solver.best_objective_bound
        # the tie-break lies in [0, scale - 1]: scale x expr <= bound + scale - 1
        self.bound[name] = (round(bound) + scale - 1) // scale if maximise else round(bound)
        self.optimal &= status == cp_model.OPTIMAL
        cp.add(expr >= value if maximise else expr <= value)
        return True

    def _minimise(
        self, expr: cp_model.LinearExprT, lower: int, best: int, share: float, workers: int
    ) -> tuple[int, int]:
        """LP-heavy minimisation from ``lower`` (the ``max_lp`` worker, whose LP over the window
        literals raises the bound): (best found or -1, proven lower bound). It stops once the
        bound rises, so that the "at most k" search runs at the new bound at once.

        Bounded by ``best`` too, so that a solution it finds is never worse than the plan kept.
        """
        cp = self.model.cp
        guards = [cp.add(expr >= lower), cp.add(expr <= best)]
        cp.minimize(expr)
        solver, status = self._solve(
            "breaks",
            share,
            ["max_lp"] if self.model.contiguous else None,  # elsewhere max_lp alone was slow
            lower > 0,
            stop_above=lower,
            workers=workers,
        )
        _clear_objective(cp)
        for guard in guards:
            guard.proto.clear_linear()
        if status == cp_model.INFEASIBLE:
            return -1, 1 << 30
        found = (
            round(solver.objective_value) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else -1
        )
        return found, max(lower, round(solver.best_objective_bound))

    def _slice(self, seconds: float) -> float:
        """The share of the time left that is ``seconds``, at most 30 %."""
        return min(0.3, seconds / max(self.left(1.0), 1e-3))

    def _at_most(
        self,
        expr: cp_model.LinearExprT,
        k: int,
        share: float,
        workers: int | None = None,
        clean: tuple[str, ...] = (),
    ) -> int:
        """An "at most k breaks" satisfaction run; the ``clean`` participants get none."""
        cp = self.model.cp
        guards = [cp.add(expr <= k)] + [cp.add(self.model.broken[p] == 0) for p in clean]
        _clear_hints(cp)  # from scratch, as in the runs that found plans at the bound in 0.3-4 s
        self.hinted = None
        # no LP: measured fastest at finding plans at the bound on the benchmark's shape; on
        # a small two-city event it never proved "at most 0" impossible (20 s), the default
        # workers did in 1 s
        subsolvers = NO_LP if self.model.contiguous else None
        _, status = self._solve("breaks", share, subsolvers, True, hint_plan=False, workers=workers)
        for guard in guards:
            guard.proto.clear_linear()  # drop the trial bounds again
        return int(status)

    def _single_break(self, expr: cp_model.LinearExprT, seconds: float) -> SingleBreak:
        """At a proven bound of 1: who has the one break? One short "at most 1" run per
        participant, everyone else held to no break (nearly the break-free problem, which the
        windows settle in about a second), busiest first; a participant proven impossible is
        not tried again, an undecided one gets twice the time next round (ordering by least
        tried instead spread the time too thin). "nobody" when every participant is proven
        impossible: then no plan has a single break.

        Measured with both cores (the MaxSAT child held meanwhile): forum-13crafc's plan on the
        4th participant asked, 1.8 s in all, ticf-13crafc's on the 4th, 5.9 s with 3 s a
        question, where "at most 1" for everyone at once found nothing in 40 s."""
        broken = self.model.broken
        order = sorted(broken, key=lambda p: -len(self.index.by_participant.get(p, ())))
        end = time.monotonic() + seconds
        for pid in order:
            tried = self._probes.get(pid, 1.0)
            if tried < 0 or time.monotonic() + tried > end or (self.stop and self.stop()):
                continue
            others = tuple(q for q in broken if q != pid)  # all workers: measured 3 s on two
            status = self._at_most(expr, 1, 2 * tried / self.left(1.0), clean=others)
            if status in (cp_model.FEASIBLE, cp_model.OPTIMAL):
                return "found"
            self._probes[pid] = -1.0 if status == cp_model.INFEASIBLE else 2 * tried
        return "nobody" if all(self._probes.get(p, 0) < 0 for p in broken) else "open"

    def breaks(self, expr: cp_model.LinearExprT, upper: int) -> bool:
        """Fewest breaks, bottom-up, in rounds of growing length (2 s, 4 s, ...), each:
        an "at most k" satisfaction run at the proven bound k (no LP: measured fastest at
        finding plans at the bound, which is often the optimum); LP-heavy minimisation, whose
        window cuts raise the bound (when they do, the next round starts at once); and
        large-neighbourhood search around the participants with breaks. On benchmark-shaped
        events a MaxSAT child process (``maxsat.py``) races the rounds once the first one has
        not settled the question; its plan, once proven, ends them. Past ``LINEAR_AFTER`` of
        the time, a linear search from above (``maxsat.improve_spec``) joins it and hands on
        every better plan it finds, and CP-SAT leaves the cores to the two."""
        races: list[maxsat.Race] = []  # RC2, later the linear search beside it
        user_stop = self.stop
        self.stop = lambda: (
            any(r.result() or r.news() for r in races) or bool(user_stop and user_stop())
        )
        try:
            best, lower = self._breaks_rounds(expr, upper, races)
        finally:
            self.stop = user_stop
            for race in races:
                race.stop()
        if best < 0:
            return False
        if not self.solved_once and upper >= 10**6:
            return False  # neither a solver plan nor a fair starting plan
        if self.progress:
            self.progress(Progress("breaks", best, lower, time.monotonic() - self.t0))
        self.objectives["breaks"], self.bound["breaks"] = best, lower
        self.optimal &= lower == best
        self.model.cp.add(expr <= best)
        return True

    def _won(self, races: list[maxsat.Race], best: int, lower: int) -> int | None:
        """The MaxSAT optimum, adopted as the plan, once a race has one that agrees with what
        CP-SAT proved (at least ``lower``) and found (at most ``best``)."""
        race = next((r for r in races if r.result() is not None), None)
        if race is None or (answer := race.result()) is None:
            return None
        breaks, starts = answer
        if starts is None:  # no plan has fewer than ``breaks``: the plan in hand is optimal
            if breaks == best and lower <= best:
                return best
            race.discard()
            return None
        return breaks if self._taken(race, starts, lower <= breaks <= best) else None

    def _taken(self, race: maxsat.Race, starts: dict[str, int], agrees: bool = True) -> bool:
        """A race's plan becomes the run's when it ``agrees`` with what CP-SAT proved and
        the validator accepts it; else the race is discarded: never trust a second encoding
        blindly."""
        venue = self.index.only_venue()
        assert venue is not None  # maxsat.spec_of races one-venue events only
        plan = Plan(tuple(Placement(mid, start, venue) for mid, start in sorted(starts.items())))
        if not agrees or validate(self.index.problem, plan):
            race.discard()
            return False
        self.placed = {p.meeting: (p.start, p.venue) for p in plan.placements}
        self.solved_once = True
        return True

    def _adopt(self, races: list[maxsat.Race], best: int, lower: int) -> int:
        """A better plan from the linear search, once the validator accepts it: its breaks."""
        for race in races:
            found = race.take()
            if found is None or found[0] >= best or not self._taken(race, found[1]):
                continue
            best = found[0]
            if self.progress:
                self.progress(Progress("breaks", best, lower, time.monotonic() - self.t0))
        return best

    def _join_linear(self, races: list[maxsat.Race], spec: maxsat.Spec, best: int) -> None:
        """Past ``LINEAR_AFTER`` of the time with RC2 still running and a plan in hand, the
        linear search starts below it."""
        late = time.monotonic() - self.t0 >= LINEAR_AFTER * (self.deadline - self.t0)
        rc2_only = all(r.below is None for r in races)
        if late and races and rc2_only and best < 10**6 and self.left(1.0) > 2:
            races.append(maxsat.Race(spec, below=best))

    def _asking(self, lower: int) -> bool:
        """At a proven bound of 1, some participant may still have the one break: the
        questions go on even once the linear search has joined. Measured on forum-13crafc~1,
        60 s: when CP-SAT waited with them undecided, the bound stayed at 1 in two runs of
        four; settled, they raise it to 2."""
        fits = self.left(0.3)  # _single_break's most (see _slice)
        open_ = any(0 <= self._probes.get(p, 1.0) <= fits for p in self.model.broken)
        return lower == 1 and open_

    def _breaks_rounds(
        self, expr: cp_model.LinearExprT, upper: int, races: list[maxsat.Race]
    ) -> tuple[int, int]:
        """(best, proven bound); best is -1 when no plan is fair."""
        floor = breaks_floor(self.index, self.objectives.get("meetings", 0))
        best, lower = upper, max(self.model.breaks_lower_bound, floor)
        seconds, workers = 2.0, self.workers
        spec = maxsat.spec_of(self.index)
        while lower < best and self.left(1.0) > 0.1:
            won = self._won(races, best, lower)
            if won is not None:
                return won, won
            best = self._adopt(races, best, lower)
            if spec is not None:
                self._join_linear(races, spec, best)
            if lower >= best:
                break
            if self.stop and self.stop() and not any(r.news() for r in races):
                break  # asked to stop, or a race proved its optimum (taken after the loop)
            linear = any(r.below is not None for r in races)
            if linear and not self._asking(lower):
                time.sleep(0.2)  # the cores are the children's now (see LINEAR_AFTER)
                continue
            if lower == 1 and self.model.broken:
                for race in races:
                    race.pause()  # the questions need every core (measured: 1.8-5.9 s alone)
                who = self._single_break(expr, self.left(self._slice(4 * seconds)))
                for race in races:
                    race.resume()
                if who == "found":
                    best = lower
                    break
                if who == "nobody":
                    lower = 2
                    continue
                if linear:
                    seconds *= 2  # only the questions go on beside the linear search
                    continue
            status = self._at_most(expr, lower, self._slice(seconds), workers)
            if status in (cp_model.FEASIBLE, cp_model.OPTIMAL):
                best = lower
                break
            if spec is not None and not races and self.left(1.0) > 2:
                races.append(maxsat.Race(spec))  # not settled at once: MaxSAT joins in
            if status == cp_model.INFEASIBLE:
                lower += 1
                if self.solved_once or upper < 10**6:
                    continue  # else the minimisation below tells whether any plan is fair
            found, raised = self._minimise(expr, lower, best, self._slice(seconds), workers)
            if found >= 0:
                best = min(best, found)
            if lower < raised < 1 << 30:
                lower = raised
                continue  # a new bound: look for a plan there first
            if raised >= 1 << 30:  # nothing between the proven bound and the best plan
                if best >= upper and upper >= 10**6:
                    self.infeasible = not self.solved_once
                    return -1, lower  # infeasible whatever the number of breaks
                lower = best
            if lower >= best:
                break
            unasked = lower == 1 and self.model.broken and not self._probes
            if (self.solved_once or upper < 10**6) and not unasked:  # the questions come first
                self.placed, best = polish(
                    self.model,
                    self.placed,
                    best,
                    lower,
                    time.monotonic() + self.left(self._slice(seconds)),
                    self.stop,
                )
            seconds *= 2
            if races and self.solved_once:  # past the first round, with a plan in hand,
                workers = max(1, self.workers - 1)  # the MaxSAT child gets a core
            if self.progress:
                self.progress(Progress("breaks", best, lower, time.monotonic() - self.t0))
        won = self._won(races, best, lower)
        return (won, won) if won is not None else (self._adopt(races, best, lower), lower)
