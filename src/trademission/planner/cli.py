"""``trademission plan``: solve a problem file and write the plan.

Exit codes: 0 OPTIMAL, 3 FEASIBLE, 4 INFEASIBLE, 5 UNKNOWN, 2 malformed input or usage.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from trademission.planner.dzn import DznError, grain_to_slot, read_dzn
from trademission.planner.io_json import ProblemError, load_problem, plan_from_json, result_to_json
from trademission.planner.problem import Plan, Problem, Result, Status, objectives_error
from trademission.planner.solve import Progress, solve

EXIT = {Status.OPTIMAL: 0, Status.FEASIBLE: 3, Status.INFEASIBLE: 4, Status.UNKNOWN: 5}
QUIET_SECONDS = 3.0  # progress lines only on runs longer than this


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="trademission plan", description=__doc__)
    p.add_argument("problem", help="PROBLEM.json or a B2BSOP INSTANCE.dzn")
    p.add_argument("--time-limit", type=float, default=60.0, metavar="S")
    p.add_argument("--workers", type=int, default=2, metavar="N")
    p.add_argument(
        "--fairness",
        type=int,
        default=None,
        metavar="D",
        help="max breaks above the fewest (default: the problem's; 2 for .dzn)",
    )
    p.add_argument(
        "--objectives",
        default=None,
        metavar="LIST",
        help="comma-separated, in order: meetings[,breaks][,travel] (default: the problem's)",
    )
    p.add_argument("--previous", metavar="PLAN.json", help="re-plan from this plan")
    p.add_argument("--out", metavar="PLAN.json", help="write the plan here (default: stdout)")
    return p


def _progress(t0: float) -> Any:
    def show(p: Progress) -> None:
        if time.monotonic() - t0 >= QUIET_SECONDS:
            print(
                f"[{p.seconds:7.1f}s] {p.phase}: best {p.objective:g}, bound {p.bound:g}",
                file=sys.stderr,
                flush=True,
            )

    return show


def _load(path: str, previous: str | None) -> tuple[Problem, Plan | None, bool]:
    is_dzn = path.endswith(".dzn")
    problem = read_dzn(path) if is_dzn else load_problem(path)
    plan = None
    if previous:
        try:
            raw = json.loads(Path(previous).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ProblemError(f"{previous}: cannot read plan: {exc}") from None
        plan = plan_from_json(raw, previous)
    return problem, plan, is_dzn


def _output(problem: Problem, result: Result, is_dzn: bool) -> dict[str, Any]:
    out = result_to_json(problem, result)
    if is_dzn:
        at = {p.meeting: grain_to_slot(p.start) for p in result.placements}
        out["slots"] = [at.get(m.id) for m in problem.meetings]
    return out


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        problem, previous, is_dzn = _load(args.problem, args.previous)
    except (DznError, ProblemError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    fairness = args.fairness if args.fairness is not None else (2 if is_dzn else None)
    objectives = tuple(args.objectives.split(",")) if args.objectives else None
    why = objectives_error(objectives) if objectives else None
    if why:
        print(f"error: --objectives {args.objectives}: {why}", file=sys.stderr)
        return 2
    t0 = time.monotonic()
    result = solve(
        problem,
        time_limit=args.time_limit,
        workers=args.workers,
        fairness=fairness,
        previous_plan=previous,
        progress=_progress(t0),
        objectives=objectives,
    )
    text = json.dumps(_output(problem, result, is_dzn), indent=1)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    summary = ", ".join(f"{k}={v:g}" for k, v in result.objectives.items())
    print(
        f"{result.status.value} in {result.seconds:.1f}s: {summary}; bound {result.bound}",
        file=sys.stderr,
    )
    for line in (*result.explanation, *(u.reason for u in result.unplaced[:20])):
        print(f"  {line}", file=sys.stderr)
    return EXIT.get(result.status, 5)
