"""Fewest breaks by MaxSAT, raced beside CP-SAT on benchmark-shaped events.

Why: on the 21-22-slot b2bsp instances CP-SAT proves the bound within seconds but does not
find the plan at it, while core-guided MaxSAT (RC2 over CaDiCaL, from python-sat) finds and
proves it in 12-70 s on one core. The encoding is the paper's "imp12" viewpoint: a literal
per (meeting, slot), one per (participant, slot) that is busy, and two redundant
cardinalities that make unit propagation see the tables and the windows: at most 2 * tables
people busy in a slot (imp1), and exactly n busy slots for a participant with n meetings
(imp2). A break ending at a slot is a soft literal; the fairness bound caps each
participant's breaks at d, as if someone had none (see ``Spec.cap``).

It runs in a child process, which can be killed at the deadline (RC2 cannot be interrupted)
and uses a core of its own beside CP-SAT's workers.

Where the optimum lies above the LP bound (b2bsp variants with fixed meetings and forbidden
slots), neither RC2 nor CP-SAT gets near it in a minute: CP-SAT's plans stay at 16-21 breaks.
A linear search from above on the same encoding (``improve_spec``: "fewer breaks than the
best plan", again and again, on CaDiCaL) found plans with 4-8 in 30-60 s on one core, so a
second child runs it for the last part of the time and hands on every plan it finds.
"""

from __future__ import annotations

import itertools
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from trademission.planner.options import Index, timeline

Starts = dict[str, int]
Answer = tuple[int, Starts | None]  # breaks, and the plan (None: none below the given bound)
Report = Callable[[int, Starts | None, bool], None]  # breaks, plan, proven optimal


@dataclass(frozen=True)
class Spec:
    """What the child needs, as plain data (it is pickled to the child)."""

    slots: tuple[int, ...]
    meetings: dict[str, tuple[tuple[str, ...], tuple[int, ...], tuple[str, ...]]]
    venue: str
    tables: int | None
    fairness: int | None
    # with a fairness bound d, the encoding caps everyone's breaks at d: the fair plans with
    # someone at no break, which is everyone when someone has a single meeting. Otherwise
    # the plans left out break everyone, at least ``cap`` (the participants) breaks in all,
    # so an optimum found here is the event's own only up to ``cap``
    cap: int | None = None


def spec_of(index: Index) -> Spec | None:
    """The event as a MaxSAT problem, or None when it is not of the shape encoded here: one
    day, one venue, two-person one-grain must-have meetings, no journeys, pauses or daily
    limits."""
    problem = index.problem
    venue = index.only_venue()
    counts = {pid: len(mids) for pid, mids in index.by_participant.items() if mids}
    shaped = (
        len(problem.calendar.days) == 1
        and venue is not None
        and all(
            m.duration == 1 and m.required and len(m.participants) == 2
            for m in index.meetings.values()
        )
        and not any(index.gap_grains.values())
        and not any(index.pause(p) for p in counts)
        and all(
            p.max_per_day is None or p.max_per_day >= counts.get(p.id, 0)
            for p in problem.participants
        )
    )
    if not shaped or venue is None or not index.meetings:
        return None
    return Spec(
        slots=tuple(timeline(problem, 0)),
        meetings={
            mid: (m.participants, tuple(o.start for o in index.options[mid]), m.after)
            for mid, m in index.meetings.items()
        },
        venue=venue,
        tables=index.venues[venue].tables,
        fairness=problem.fairness,
        cap=None if problem.fairness is None or 1 in counts.values() else len(counts),
    )


def proven(spec: Spec, breaks: int) -> bool:
    """Is an optimum of the encoding the event's own? (see ``Spec.cap``)"""
    return spec.cap is None or breaks <= spec.cap


def solve_spec(spec: Spec) -> tuple[int, Starts] | None:
    """The fewest breaks and a plan with them, or None when no plan keeps everyone's breaks
    within the fairness bound (``Spec.cap``: then every fair plan breaks everyone).

    Measured: RC2's time on one instance spans 12 s to over 100 s with the clause order alone
    (forum-13crafc, shuffled clauses); racing two orders on two cores starved CP-SAT, so the
    planner races one."""
    from pysat.examples.rc2 import RC2

    formula, x, _ = _encode(spec)
    # without core exhaustion and minimisation: 94 s against about 116 s for ticf-13crafb and
    # forum-13crafb in three clause orders each (one run each, one process per core)
    with RC2(formula, solver="cadical153", adapt=True, exhaust=False, minz=False, trim=5) as rc2:
        model = rc2.compute()
        if model is None:
            return None
        true = {v for v in model if v > 0}
        return int(rc2.cost), {mid: s for (mid, s), v in x.items() if v in true}


def improve_spec(spec: Spec, below: int, report: Report) -> None:
    """Linear search from above: a plan with fewer than ``below`` breaks, then fewer than
    that one, and so on; each plan is reported, and the last again with ``proven`` once no
    plan has fewer (None when no plan has fewer than ``below``: the plan found elsewhere, at
    ``below``, is optimal).

    Measured on forum-13crafc, ticf-13crafc variants (bound 2, CP-SAT at 17-19 after 60 s):
    from below = 20, plans with 8, 4 and 7 breaks within 31-53 s on one core; RC2 had not
    finished forum-13crafc~1 after 900 s."""
    from pysat.card import ITotalizer
    from pysat.solvers import Solver

    formula, x, top = _encode(spec)
    counted = [-clause[0] for clause in formula.soft]  # true: one more break
    with Solver(name="cadical153", bootstrap_with=formula.hard) as sat:
        rhs: list[int] = []  # rhs[k]: at least k + 1 breaks
        if counted:
            total = ITotalizer(lits=counted, ubound=min(below, len(counted)), top_id=top)
            sat.append_formula(total.cnf.clauses)
            rhs = list(total.rhs)
        fewer, plan = below - 1, None  # each plan has fewer breaks than the last: it ends
        while fewer >= 0:
            if not sat.solve(assumptions=[-rhs[fewer]] if fewer < len(rhs) else []):
                # the answer file holds the last report only: the proof carries the plan
                report(fewer + 1, plan, proven(spec, fewer + 1))
                return
            true = {v for v in sat.get_model() or () if v > 0}
            plan = {mid: s for (mid, s), v in x.items() if v in true}
            breaks = _breaks_of(spec, plan)  # a counted literal may be true without a break
            report(breaks, plan, breaks == 0)
            fewer = breaks - 1


def _breaks_of(spec: Spec, plan: Starts) -> int:
    """Blocks of busy slots after the first, over every participant (as the encoding counts:
    neighbours in ``spec.slots``)."""
    position = {s: i for i, s in enumerate(spec.slots)}
    busy: dict[str, set[int]] = defaultdict(set)
    for mid, s in plan.items():
        for pid in spec.meetings[mid][0]:
            busy[pid].add(position[s])
    return sum(sum(i - 1 not in slots for i in slots) - 1 for slots in busy.values())


def _encode(spec: Spec) -> tuple[Any, dict[tuple[str, int], int], int]:
    """The formula (hard clauses and one soft literal per break), the meeting literals and
    the highest variable used."""
    from pysat.card import CardEnc, EncType
    from pysat.formula import WCNF, IDPool

    pool, formula = IDPool(), WCNF()
    x = {(mid, s): pool.id(("x", mid, s)) for mid, (_, st, _) in spec.meetings.items() for s in st}

    def at_most(lits: list[int], bound: int) -> None:
        if len(lits) > bound:
            enc = CardEnc.atmost(lits=lits, bound=bound, vpool=pool, encoding=EncType.seqcounter)
            formula.extend(enc.clauses)

    for mid, (_, starts, after) in spec.meetings.items():
        lits = [x[mid, s] for s in starts]
        formula.append(lits)  # every meeting is a must-have
        formula.extend([-a, -b] for a, b in itertools.combinations(lits, 2))
        for before in after:  # precedence: nothing of the earlier meeting at or after this
            for s, t in itertools.product(starts, spec.meetings.get(before, ((), (), ()))[1]):
                if t >= s:
                    formula.append([-x[mid, s], -x[before, t]])
    if spec.tables is not None:
        for s in spec.slots:
            at_most([v for (_, t), v in x.items() if t == s], spec.tables)
    busy = _busy(spec, x, pool, formula)
    if spec.tables is not None:  # imp1
        for s in spec.slots:
            at_most([v for (_, t), v in busy.items() if t == s], 2 * spec.tables)
    meetings_of = Counter(p for parts, _, _ in spec.meetings.values() for p in parts)
    busy_of: dict[str, list[int]] = defaultdict(list)
    for (pid, _), v in busy.items():
        busy_of[pid].append(v)
    counted: list[int] = []
    for pid in sorted(meetings_of):  # sorted: the same formula in every process
        if meetings_of[pid] > len(busy_of[pid]):  # more meetings than free slots: no plan
            nothing = pool.id(("none", pid))
            formula.extend([[nothing], [-nothing]])
            continue
        enc = CardEnc.equals(  # imp2
            lits=busy_of[pid], bound=meetings_of[pid], vpool=pool, encoding=EncType.totalizer
        )
        formula.extend(enc.clauses)
        counted.extend(_breaks_counted(spec, pid, busy, pool, formula))
    formula.extend([[-c] for c in counted], weights=[1] * len(counted))
    return formula, x, pool.top


def _busy(
    spec: Spec, x: dict[tuple[str, int], int], pool: Any, formula: Any
) -> dict[tuple[str, int], int]:
    """busy[p, s] <-> one of p's meetings is in slot s; at most one is."""
    lits: dict[tuple[str, int], list[int]] = {}
    for (mid, s), v in x.items():
        for pid in spec.meetings[mid][0]:
            lits.setdefault((pid, s), []).append(v)
    busy = {}
    for key, vs in lits.items():
        b = pool.id(("busy", *key))
        formula.append([-b, *vs])
        formula.extend([-v, b] for v in vs)
        formula.extend([-a, -c] for a, c in itertools.combinations(vs, 2))
        busy[key] = b
    return busy


def _breaks_counted(
    spec: Spec, pid: str, busy: dict[tuple[str, int], int], pool: Any, formula: Any
) -> list[int]:
    """Literals "p has at least k breaks", k = 1, 2, ...: a block of busy slots starts where
    p is busy after an idle (or no) slot, and a totalizer counts the blocks (breaks = blocks
    - 1). With a fairness bound d, "at least d + 1" is false (``Spec.cap``).

    Measured against soft "a break ends here" literals along a "busy earlier" chain (one per
    slot): RC2 found and proved the optimum of forum-13crafb in 10.4-11.8 s instead of 7.5-28.7
    s, of ticf-13crafb in 10.5-24.5 s instead of 28.9-60+ s: far fewer soft literals, and each
    core reads "one of these participants has a break"."""
    from pysat.card import ITotalizer

    starts: list[int] = []
    prev: int | None = None
    for s in spec.slots:
        b = busy.get((pid, s))
        if b is not None:
            if prev is None:
                starts.append(b)
            else:
                start = pool.id(("start", pid, s))
                formula.append([-b, prev, start])
                starts.append(start)
        prev = b
    most = len(starts) - 1 if spec.fairness is None else min(len(starts) - 1, spec.fairness + 1)
    if most < 1:
        return []
    count = ITotalizer(lits=starts, ubound=most + 1, top_id=pool.top)
    pool.top = count.top_id  # the totalizer's own variables: the pool goes on above them
    formula.extend(count.cnf.clauses)
    at_least = list(count.rhs[1 : most + 1])  # rhs[k]: at least k + 1 blocks
    if spec.fairness is not None and spec.fairness + 1 < len(starts):
        formula.append([-at_least.pop()])  # d + 1 breaks: unfair
    return at_least


def _main(argv: list[str]) -> None:
    """Child process: (spec, below) pickled on stdin; every answer, (breaks, plan, proven),
    pickled into the file argv[0], replaced whole each time (the parent never reads half a
    file). RC2 (below None) writes once, at the end: None when no plan is fair."""
    os.nice(2)  # CP-SAT's first round, which settles most events, goes first
    spec, below = pickle.load(sys.stdin.buffer)

    def write(answer: tuple[int, Starts | None, bool] | None) -> None:
        with open(argv[0] + ".part", "wb") as out:
            pickle.dump(answer, out)
        os.replace(argv[0] + ".part", argv[0])

    if below is None:
        found = solve_spec(spec)
        write(None if found is None else (found[0], found[1], proven(spec, found[0])))
    else:
        improve_spec(spec, below, lambda breaks, plan, done: write((breaks, plan, done)))


class Race:
    """A MaxSAT run in a child process (``python -m``: nothing of the parent's main module
    is imported again, unlike multiprocessing's spawn): RC2, or with ``below`` the linear
    search from a plan with that many breaks. ``result()`` polls it for a proven optimum,
    ``take()`` for a better plan."""

    def __init__(self, spec: Spec, below: int | None = None) -> None:
        self.below = below
        self._dir = tempfile.mkdtemp(prefix="trademission-maxsat-")
        self._out = os.path.join(self._dir, "answer.pickle")
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]))
        self._process = subprocess.Popen(
            [sys.executable, "-m", "trademission.planner.maxsat", self._out],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        assert self._process.stdin is not None
        try:
            pickle.dump((spec, below), self._process.stdin)
            self._process.stdin.close()
        except BrokenPipeError:
            pass  # the child died at once: result() stays None
        self._latest: tuple[int, Starts | None, bool] | None = None
        self._seen: tuple[int, int, int] | None = None  # the answer file last read (polled)
        self._taken = below if below is not None else 1 << 30
        self._discarded = False

    def pause(self) -> None:
        """Hold the child (SIGSTOP) while CP-SAT needs every core; ``resume`` goes on."""
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGCONT)

    def discard(self) -> None:
        """Ignore this child's answers from now on (the validator refused one)."""
        self._discarded = True

    def _read(self) -> tuple[int, Starts | None, bool] | None:
        if self._discarded:
            return None
        try:
            stat = os.stat(self._out)
        except FileNotFoundError:
            return None
        # each answer is a new file: a plan and the proof right after it can share an mtime
        seen = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if seen != self._seen:
            with open(self._out, "rb") as f:
                answer = pickle.load(f)
            self._seen, self._latest = seen, answer if isinstance(answer, tuple) else None
        return self._latest

    def result(self) -> Answer | None:
        """(breaks, meeting -> start) once the child proved its optimum, else None; the plan
        is None when the optimum is ``below`` and the plan at it was found elsewhere."""
        latest = self._read()
        if latest is None or not latest[2]:
            return None
        return latest[0], latest[1]

    def news(self) -> bool:
        """A plan better than the last one taken is waiting."""
        latest = self._read()
        return latest is not None and latest[1] is not None and latest[0] < self._taken

    def take(self) -> tuple[int, Starts] | None:
        """The best plan found so far, once: None when there is nothing new."""
        latest = self._read()
        if latest is None or latest[1] is None or latest[0] >= self._taken:
            return None
        self._taken = latest[0]
        return latest[0], latest[1]

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait(timeout=5)
        shutil.rmtree(self._dir, ignore_errors=True)


if __name__ == "__main__":
    _main(sys.argv[1:])
