"""Measure the meeting-plan optimiser; prints one row per instance.

    python benchmarks/planner.py                      # b2bsp + mission + brokerage
    python benchmarks/planner.py --suite b2bsp --only forum-13 tic-12 --time-limit 60
    python benchmarks/planner.py --suite brokerage --tables binding --time-limit 60
    python benchmarks/planner.py --suite large --time-limit 300
    python benchmarks/planner.py --suite b2bsp --perturb 1 2   # variants the paper does not have

The b2bsp instances are read from ../shared/benchmarks/b2bsp (skipped when absent);
published optima at d = 2 are from Bofill et al., JAIR 74 (2022).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

from trademission.planner import Problem, Result, read_dzn, solve, validate
from trademission.planner.generator import binding_tables, brokerage, mission
from trademission.planner.greedy import greedy_plan
from trademission.planner.options import build_index, timeline
from trademission.planner.problem import Placement
from trademission.planner.validate import count_breaks

B2BSP = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "b2bsp"
PUBLISHED = {  # total breaks at d = 2, and MaxSAT seconds (JAIR 2022, Table 5)
    "forum-13": (0, 2.5),
    "forum-13crafb": (6, 23.3),
    "forum-13crafc": (1, 2.3),
    "forum-14": (2, 5.1),
    "forumt-14": (5, 0.5),
    "forumt-14crafc": (5, 0.9),
    "forumt-14crafd": (4, 0.4),
    "forumt-14crafe": (5, 0.6),
    "tic-12": (0, 0.1),
    "tic-12crafc": (0, 0.3),
    "tic-13": (0, 0.4),
    "tic-13crafb": (0, 0.4),
    "tic-13crafc": (4, 5.8),
    "tic-14crafa": (0, 1.0),
    "tic-14crafc": (0, 0.8),
    "tic-14crafd": (0, 0.8),
    "ticf-13crafa": (0, 2.2),
    "ticf-13crafb": (3, 22.3),
    "ticf-13crafc": (1, 3.7),
    "ticf-14crafa": (0, 7.6),
}


def _row(*cells: object) -> None:
    print(" | ".join(f"{c}" for c in cells), flush=True)


def _check(problem: Problem, result: Result, fairness: int | None) -> str:
    if not result.placements:
        return "-"
    return "valid" if not validate(problem, result.plan, fairness=fairness) else "INVALID"


def perturb(problem: Problem, seed: int) -> Problem:
    """A variant the paper does not have, the same for a seed on every run: 20 % of the
    participants lose a slot where the greedy plan of the original leaves them idle, 5 % of the
    meetings are fixed to their slot in it, and 5 precedences follow its order (so the greedy
    plan's meetings still fit; whether a fair plan exists is the planner's to find)."""
    rng = random.Random(seed)
    # the simple greedy: the variants stay the same when the planner's greedy changes
    slot = {m: o.start for m, o in greedy_plan(build_index(problem), compact=False).placed.items()}
    busy = {(q, t) for m, t in slot.items() for q in _people(problem, m)}
    people = list(problem.participants)
    for i in rng.sample(range(len(people)), len(people) // 5):
        idle = [t for t in timeline(problem, 0) if (people[i].id, t) not in busy]
        if idle:
            t = rng.choice(idle)
            people[i] = replace(people[i], unavailable=(*people[i].unavailable, (t, t + 1)))
    meetings = list(problem.meetings)
    for i in rng.sample(range(len(meetings)), max(1, len(meetings) // 20)):
        if meetings[i].id in slot:
            meetings[i] = replace(meetings[i], fixed_start=slot[meetings[i].id])
    for _ in range(5):
        a, b = rng.sample(range(len(meetings)), 2)
        if slot.get(meetings[b].id, 0) > slot.get(meetings[a].id, 0):
            a, b = b, a
        if slot.get(meetings[b].id, 0) < slot.get(meetings[a].id, 0):
            meetings[a] = replace(meetings[a], after=(*meetings[a].after, meetings[b].id))
    return replace(problem, participants=tuple(people), meetings=tuple(meetings))


def _people(problem: Problem, meeting: str) -> tuple[str, ...]:
    return next(m.participants for m in problem.meetings if m.id == meeting)


def run_b2bsp(args: argparse.Namespace) -> None:
    files = sorted(B2BSP.glob("*.original.dzn")) if B2BSP.is_dir() else []
    if not files:
        print(f"b2bsp: no instances in {B2BSP}, skipped")
        return
    _row("instance", "status", "breaks", "bound", "seconds", "published", "MaxSAT s", "plan")
    total, solved, proven = 0.0, 0, 0
    for path, seed in ((p, s) for p in files for s in args.perturb or [0]):
        name = path.name.split(".")[0]
        if args.only and name not in args.only:
            continue
        problem = read_dzn(path)
        if seed:
            problem, name = perturb(problem, seed), f"{name}~{seed}"
        result = solve(
            problem, time_limit=args.time_limit, workers=args.workers, fairness=args.fairness
        )
        total += result.seconds
        best, maxsat = ("-", "-") if seed else PUBLISHED.get(name, ("?", "?"))
        solved += result.status.value == "OPTIMAL" and result.objectives.get("breaks") == best
        proven += result.status.value in ("OPTIMAL", "INFEASIBLE")
        _row(
            name,
            result.status.value,
            result.objectives.get("breaks", "-"),
            result.bound.get("breaks", "-"),
            f"{result.seconds:.1f}",
            best,
            maxsat,
            _check(problem, result, args.fairness),
        )
    if args.perturb:
        print(f"b2bsp variants: {proven} proven optimal or infeasible; total {total:.1f} s")
        return
    print(
        f"b2bsp: {solved} proven optimal and equal to the published optimum; "
        f"total {total:.1f} s (published MaxSAT total 81.0 s)"
    )


def run_mission(args: argparse.Namespace) -> None:
    _row(
        "mission",
        "status",
        "meetings held",
        "weight",
        "bound",
        "breaks",
        "bound",
        "travel min",
        "seconds",
        "plan",
    )
    for seed in range(1, args.seeds + 1):
        problem = mission(seed)
        d = args.mission_fairness
        result = solve(problem, time_limit=args.time_limit, workers=args.workers, fairness=d)
        _row(
            problem.name,
            result.status.value,
            result.objectives.get("meetings_held"),
            result.objectives.get("meetings"),
            result.bound.get("meetings"),
            result.objectives.get("breaks"),
            result.bound.get("breaks", "-"),
            result.objectives.get("travel_minutes"),
            f"{result.seconds:.1f}",
            _check(problem, result, d),
        )


def _greedy_figures(problem: Problem, compact: bool) -> tuple[int, int]:
    """Held and breaks of a greedy plan: the simple one (the yardstick since the first
    session) or the planner's own, which looks at the breaks each option adds."""
    index = build_index(problem)
    state = greedy_plan(index, compact=compact)
    placed = [Placement(m, o.start, o.venue) for m, o in state.placed.items()]
    return len(placed), sum(count_breaks(problem, index.meetings, placed).values())


def run_brokerage(args: argparse.Namespace, participants: int, requests: int) -> None:
    _row(
        "event",
        "tables",
        "status",
        "held",
        "LP bound",
        "% of bound",
        "breaks",
        "breaks bound",
        "greedy held",
        "greedy breaks",
        "breaks vs greedy",
        "compact greedy held / breaks",
        "breaks vs compact",
        "seconds",
        "max RSS MB",
        "plan",
    )
    for seed in range(1, args.seeds + 1):
        tables = binding_tables(requests, 16) if args.tables == "binding" else None
        problem = brokerage(seed, participants=participants, requests=requests, tables=tables)
        g_held, g_breaks = _greedy_figures(problem, compact=False)
        c_held, c_breaks = _greedy_figures(problem, compact=True)
        result = solve(problem, time_limit=args.time_limit, workers=args.workers)
        held = result.objectives.get("meetings_held", 0)
        bound = result.bound.get("meetings", 0)
        breaks = result.objectives.get("breaks", 0)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        _row(
            problem.name,
            tables or "ample",
            result.status.value,
            held,
            bound,
            f"{100 * held / max(1, bound):.2f}",
            breaks,
            result.bound.get("breaks", "-"),
            g_held,
            g_breaks,
            f"{100 * (breaks - g_breaks) / max(1, g_breaks):+.1f}%",
            f"{c_held} / {c_breaks}",
            f"{100 * (breaks - c_breaks) / max(1, c_breaks):+.1f}%",
            f"{result.seconds:.1f}",
            f"{rss:.0f}",
            _check(problem, result, None),
        )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument(
        "--suite", choices=["b2bsp", "mission", "brokerage", "large", "all"], default="all"
    )
    p.add_argument("--only", nargs="*", help="b2bsp instance names")
    p.add_argument("--time-limit", type=float, default=None)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--fairness", type=int, default=2)
    p.add_argument(
        "--mission-fairness",
        type=int,
        default=None,
        help="mission: a fairness bound d (default none)",
    )
    p.add_argument("--seeds", type=int, default=1)
    p.add_argument("--tables", choices=["ample", "binding"], default="ample")
    p.add_argument(
        "--perturb", type=int, nargs="*", help="b2bsp: seeds of variants (see perturb) instead"
    )
    args = p.parse_args(argv)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"# planner benchmark, {cores} cores available, {args.workers} CP-SAT workers, "
        f"python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M')}"
    )
    defaults = {"b2bsp": 60.0, "mission": 10.0, "brokerage": 60.0, "large": 300.0}
    for suite, fn in (
        ("b2bsp", run_b2bsp),
        ("mission", run_mission),
        ("brokerage", lambda a: run_brokerage(a, 1000, 6000)),
        ("large", lambda a: run_brokerage(a, 3000, 20000)),
    ):
        if args.suite == suite or (args.suite == "all" and suite != "large"):
            limit = args.time_limit
            fn(argparse.Namespace(**{**vars(args), "time_limit": limit or defaults[suite]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
