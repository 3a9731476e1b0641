"""Lexicographic solving: meetings held, then (when re-planning) moves, then breaks.

Each phase is one CP-SAT solve on the same model; the previous phase's optimum becomes a
constraint and its solution the hint of the next, so a phase never undoes the one before.
A greedy plan hints the first phase. Large events go to ``large.py`` instead.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from trademission.planner.explain import explain_unplaced, required_without_options
from trademission.planner.greedy import State, greedy_plan
from trademission.planner.model import Model, build_model
from trademission.planner.options import Index, build_index
from trademission.planner.problem import Placement, Plan, Problem, Result, Status
from trademission.planner.validate import count_breaks


@dataclass(frozen=True)
class Progress:
    phase: str
    objective: float
    bound: float
    seconds: float


ProgressFn = Callable[[Progress], None]
StopFn = Callable[[], bool]


class _Watch(cp_model.CpSolverSolutionCallback):
    """Reports every improving solution and stops the search when asked to."""

    def __init__(self, phase: str, t0: float, progress: ProgressFn | None, stop: StopFn | None):
        super().__init__()
        self.phase, self.t0, self.progress, self.stop = phase, t0, progress, stop

    def on_solution_callback(self) -> None:
        if self.progress is not None:
            self.progress(
                Progress(
                    self.phase,
                    self.objective_value,
                    self.best_objective_bound,
                    time.monotonic() - self.t0,
                )
            )
        if self.stop is not None and self.stop():
            self.stop_search()


def _run(
    model: Model, phase: str, limit: float, workers: int, watch: _Watch
) -> tuple[cp_model.CpSolver, int]:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, limit)
    solver.parameters.num_workers = workers
    if phase == "breaks" and workers >= 2:
        # core-based search proves break bounds the way MaxSAT solvers do
        solver.parameters.subsolvers.extend(["core", "default_lp"][:workers])
    done = threading.Event()

    def poll() -> None:
        while not done.wait(0.2):
            if watch.stop is not None and watch.stop():
                solver.stop_search()
                return

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    try:
        status = solver.solve(model.cp, watch)
    finally:
        done.set()
    return solver, status


def _hint(model: Model, placed: dict[str, tuple[int, str]]) -> None:
    model.cp.clear_hints()
    for mid, opts in model.x.items():
        for o, v in opts:
            model.cp.add_hint(v, placed.get(mid) == (o.start, o.venue))


def _placed(model: Model, solver: cp_model.CpSolver) -> dict[str, tuple[int, str]]:
    return {
        mid: (o.start, o.venue)
        for mid, opts in model.x.items()
        for o, v in opts
        if solver.boolean_value(v)
    }


def _keep(model: Model, previous: Plan | None) -> cp_model.LinearExpr | None:
    """Pin pinned/published meetings; return the number of other previous meetings moved."""
    if previous is None:
        return None
    kept = []
    for p in previous.placements:
        opts = model.x.get(p.meeting, [])
        same = [v for o, v in opts if (o.start, o.venue) == (p.start, p.venue)]
        if p.meeting in previous.pinned | previous.published and same:
            model.cp.add(same[0] == 1)
        kept.extend(same)
    return len(previous.placements) - cp_model.LinearExpr.sum(kept)


@dataclass
class _Run:
    index: Index
    model: Model
    t0: float
    deadline: float
    workers: int
    progress: ProgressFn | None
    stop: StopFn | None
    placed: dict[str, tuple[int, str]]
    objectives: dict[str, float]
    bound: dict[str, float]
    optimal: bool = True
    infeasible: bool = False

    def phase(self, name: str, expr: cp_model.LinearExprT, maximise: bool, share: float) -> bool:
        """Optimise one objective, then freeze it at the value found; False when cut short."""
        cp = self.model.cp
        cp.clear_objective()
        cp.maximize(expr) if maximise else cp.minimize(expr)
        _hint(self.model, self.placed)
        left = self.deadline - time.monotonic()
        watch = _Watch(name, self.t0, self.progress, self.stop)
        solver, status = _run(self.model, name, left * share, self.workers, watch)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self.optimal = False
            self.infeasible = status == cp_model.INFEASIBLE
            return False
        self.placed = _placed(self.model, solver)
        value = round(solver.objective_value)
        self.objectives[name] = value
        self.bound[name] = round(solver.best_objective_bound)
        self.optimal &= status == cp_model.OPTIMAL
        cp.add(expr >= value if maximise else expr <= value)
        return True


def solve(
    problem: Problem,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    fairness: int | None = None,
    previous_plan: Plan | None = None,
    progress: ProgressFn | None = None,
    stop: StopFn | None = None,
) -> Result:
    """Plan the problem's meetings; see docs/planner.md for the objectives and the phases."""
    t0 = time.monotonic()
    d = problem.fairness if fairness is None else fairness
    index = build_index(problem)
    missing = required_without_options(index)
    if missing:
        return _infeasible(problem, missing, t0)
    start = _start_state(index, previous_plan)
    greedy = greedy_plan(index, start)
    if _is_large(index):
        from trademission.planner.large import solve_large

        return solve_large(index, greedy, t0 + time_limit, workers, d, progress, stop, t0)
    model = build_model(index, d)
    run = _Run(
        index, model, t0, t0 + time_limit, workers, progress, stop,
        {m: (o.start, o.venue) for m, o in greedy.placed.items()}, {}, {},
    )
    return _phases(run, previous_plan, d)


def _phases(run: _Run, previous: Plan | None, d: int | None) -> Result:
    model, index = run.model, run.index
    moved = _keep(model, previous)
    if all(m.required for m in index.meetings.values()):
        weight = sum(m.weight for m in index.meetings.values())
        run.objectives["meetings"] = run.bound["meetings"] = weight
    elif not run.phase("meetings", model.held_weight(), True, 0.4):
        return _no_plan(run, d)
    if moved is not None and not run.phase("moved", moved, False, 0.3):
        return _no_plan(run, d)
    if model.breaks and not run.phase("breaks", model.total_breaks(), False, 1.0):
        return _no_plan(run, d)
    return _result(run, Status.OPTIMAL if run.optimal else Status.FEASIBLE, previous)


def _is_large(index: Index) -> bool:
    return sum(len(o) for o in index.options.values()) > 60_000


def _start_state(index: Index, previous: Plan | None) -> State:
    """Re-planning starts from the previous plan: every meeting that still fits stays put."""
    state = State(index)
    if previous is None:
        return state
    for p in previous.placements:
        for o in index.options.get(p.meeting, ()):
            if (o.start, o.venue) == (p.start, p.venue) and state.fits(p.meeting, o):
                state.place(p.meeting, o)
                break
    return state


def _no_plan(run: _Run, d: int | None) -> Result:
    status = Status.INFEASIBLE if run.infeasible else Status.UNKNOWN
    return Result(
        status=status,
        plan=Plan(()),
        objectives=run.objectives,
        bound=run.bound,
        gap=1.0,
        seconds=time.monotonic() - run.t0,
        explanation=(f"no plan satisfies every must-have meeting with fairness d={d}",)
        if status is Status.INFEASIBLE
        else (),
    )


def _result(run: _Run, status: Status, previous: Plan | None) -> Result:
    index = run.index
    placements = tuple(Placement(m, s, v) for m, (s, v) in sorted(run.placed.items()))
    plan = Plan(placements, previous.published if previous else frozenset(),
                previous.pinned if previous else frozenset())
    meetings = index.meetings
    breaks = count_breaks(index.problem, meetings, list(placements))
    run.objectives["breaks"] = sum(breaks.values())
    run.objectives["meetings_held"] = len(placements)
    gap = _gap(run.objectives, run.bound)
    moved = int(run.objectives.get("moved", 0))
    return Result(
        status=status,
        plan=plan,
        objectives=dict(run.objectives),
        bound=dict(run.bound),
        gap=gap,
        seconds=time.monotonic() - run.t0,
        unplaced=explain_unplaced(index, plan),
        moved=moved,
    )


def _gap(objectives: dict[str, float], bound: dict[str, float]) -> float:
    gaps = [
        abs(objectives[k] - b) / max(1.0, abs(objectives[k]))
        for k, b in bound.items()
        if k in objectives
    ]
    return max(gaps, default=0.0)


def _infeasible(problem: Problem, reasons: list[str], t0: float) -> Result:
    return Result(
        status=Status.INFEASIBLE,
        plan=Plan(()),
        objectives={},
        bound={},
        gap=1.0,
        seconds=time.monotonic() - t0,
        explanation=tuple(reasons),
    )
