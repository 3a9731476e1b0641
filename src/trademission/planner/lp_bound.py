"""Upper bound on the weighted meetings held: the LP relaxation, solved by HiGHS.

HiGHS's interior-point method without crossover solves a 1,000-participant, 6,000-request
event in seconds where dual simplex takes many minutes; without crossover the value is
only near-optimal, so the dual objective bound (valid for any dual-feasible point) is used.
CP-SAT's own bound on such models stays at slots x tables and proves nothing.
"""

from __future__ import annotations

import math
import os
import sys
from collections import defaultdict

import highspy
import numpy as np

from trademission.planner.options import Index


def _quiet_highs() -> highspy.Highs:
    """HiGHS prints a banner from C++ on creation: silence file descriptor 1 meanwhile."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            return highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _rows(index: Index) -> tuple[list[int], list[list[int]], list[float]]:
    """Column ids and row structure: meetings, participant-grains, venue-grains, days."""
    cal = index.problem.calendar
    col_meeting: list[int] = []
    rows: dict[tuple[object, ...], list[int]] = defaultdict(list)
    caps: dict[tuple[object, ...], float] = {}
    tables = {v.id: v.tables for v in index.problem.venues}
    limits = {p.id: p.max_per_day for p in index.problem.participants}
    col = 0
    for mi, (mid, opts) in enumerate(index.options.items()):
        m = index.meetings[mid]
        for o in opts:
            col_meeting.append(mi)
            rows[("m", mid)].append(col)
            caps[("m", mid)] = 1.0
            for pid in m.participants:
                close = cal.to_global(o.day, cal.days[o.day].close)
                for t in range(o.start, min(o.end + index.pause(pid), close)):
                    rows[("p", pid, t)].append(col)
                    caps[("p", pid, t)] = 1.0
                if limits.get(pid) is not None:
                    rows[("d", pid, o.day)].append(col)
                    caps[("d", pid, o.day)] = float(limits[pid] or 0)
            cap = tables.get(o.venue)
            if cap is not None:
                for t in range(o.start, o.end):
                    rows[("v", o.venue, t)].append(col)
                    caps[("v", o.venue, t)] = float(cap)
            col += 1
    keys = [k for k, cols in rows.items() if len(cols) > caps[k]]
    return col_meeting, [rows[k] for k in keys], [caps[k] for k in keys]


def lp_upper_bound(index: Index, *, time_limit: float = 120.0) -> float:
    """The LP optimum of weighted meetings held, rounded down when weights are integers."""
    return lp_relaxation(index, time_limit=time_limit)[0]


def lp_relaxation(
    index: Index, *, time_limit: float = 120.0
) -> tuple[float, dict[str, list[float]]]:
    """The bound and the LP value of every option (a guide for rounding)."""
    col_meeting, rows, caps = _rows(index)
    weights = [m.weight for m in index.meetings.values()]
    n = len(col_meeting)
    if n == 0:
        return 0.0, {}
    h = _quiet_highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("solver", "ipm")
    h.setOptionValue("run_crossover", "off")
    h.setOptionValue("time_limit", float(time_limit))
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.array([-float(weights[mi]) for mi in col_meeting])
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.ones(n)
    lp.row_lower_ = np.full(len(rows), -highspy.kHighsInf)
    lp.row_upper_ = np.array(caps, dtype=float)
    starts = np.cumsum([0] + [len(r) for r in rows])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = np.array([c for r in rows for c in r], dtype=np.int32)
    lp.a_matrix_.value_ = np.ones(int(starts[-1]))
    h.passModel(lp)
    h.run()
    solution = h.getSolution()
    y = np.maximum(0.0, -np.array(solution.row_dual, dtype=float))
    values = list(solution.col_value)
    guide: dict[str, list[float]] = {}
    col = 0
    for mid, opts in index.options.items():
        guide[mid] = values[col : col + len(opts)]
        col += len(opts)
    return _dual_bound(lp, y, np.array(caps, dtype=float), -lp.col_cost_), guide


def _dual_bound(lp: highspy.HighsLp, y: np.ndarray, caps: np.ndarray, w: np.ndarray) -> float:
    """Weak duality: any y >= 0 gives caps.y + sum(max(0, w - A'y)) >= the LP optimum.

    This makes the bound rigorous although the interior point stops short of a vertex.
    """
    starts = np.asarray(lp.a_matrix_.start_)
    cols = np.asarray(lp.a_matrix_.index_)
    row_of = np.repeat(np.arange(len(caps)), np.diff(starts))
    aty = np.zeros(len(w))
    np.add.at(aty, cols, y[row_of] if len(y) else np.zeros(0))
    value = float(caps @ y + np.maximum(0.0, w - aty).sum())
    return math.floor(value + 1e-6)
