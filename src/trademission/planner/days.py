"""Fewest breaks on events of several days: re-place a few meetings around a break, or all
the meetings of one day or two, with everything else fixed.

Breaks are counted per participant and day, so once the other days are fixed, re-placing the
meetings of a day is an exact sub-problem, and a model of one day is small, where the
five-day model of the whole mission took about 5 s to presolve and then improved slowly (55
breaks after 10 s). docs/planner.md ("Events of several days") has the measurements.
"""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from itertools import combinations
from typing import Literal

from ortools.sat.python import cp_model

from trademission.planner.model import Model, build_model
from trademission.planner.options import Index, Option
from trademission.planner.phases import (
    Placed,
    Progress,
    Run,
    StopFn,
    _Watch,
    hint,
    placed_of,
    run_solver,
)
from trademission.planner.problem import Placement, Plan
from trademission.planner.repair import Tally
from trademission.planner.validate import count_breaks, validate

Days = tuple[int, ...]
Score = tuple[int, int]
FIRST = 1.5  # seconds for a whole neighbourhood's first try
AROUND = 8  # meetings a small move frees (measured on the mission: 8 best of 6, 8, 10, 12, 14)
GROW = 4  # more meetings in a small move after each 5 without gain (seeds 6 and 10 then proven)
SMALL_SECONDS = 0.5  # for a small move (0.3 was worse); most are solved well within it
WEEK_SECONDS = 1.0  # for a meeting held by moving its participants' meetings on any day
SMALL_PAIR = 40  # meetings that could be on either day: a pair that small is always tried
STALL = 10  # small moves in a row without gain before a whole neighbourhood (see docs)


def applicable(index: Index) -> bool:
    return len(index.problem.calendar.days) > 1


def fewest_breaks(run: Run) -> bool:
    """Improve ``run.placed`` until no break is left (then the plan is optimal: no plan has
    fewer than 0), every whole neighbourhood is settled (then it returns True), or time is up.

    Mostly small moves: about ``AROUND`` meetings around a participant with a break, on its
    day (or, one time in three, on its day and another day they can move to), re-placed for
    ``SMALL_SECONDS``, kept when the breaks do not rise; one per worker side by side, on
    different days (a small move solves as fast on one worker as on two). Measured on the
    mission's busiest day: 21 breaks to 1 in 3 s, where re-placing the whole day left 7-11.
    After ``STALL`` small moves in a row without gain, a whole neighbourhood: a day with a
    break or a pair of days, the least tried first (a pair counts as tried once more than a
    day; most breaks first), for ``FIRST`` seconds, twice as long each time it comes back; one
    solved to optimality is settled until one of its days changes.
    """
    with ThreadPoolExecutor(max(1, run.workers)) as pool:  # CP-SAT lets go of the GIL
        return _Search(run, pool).run()


class _Search:
    def __init__(self, run: Run, pool: ThreadPoolExecutor) -> None:
        self.run_, self.pool = run, pool
        self.rng = random.Random(0)  # the same run twice gives the same plan, time allowing
        self.settled: set[Days] = set()
        # solved to optimality since the last gain: sideways small moves unsettle
        # neighbourhoods (their days changed), and on a small event they can do so forever
        self.quiet: set[Days] = set()
        self.tries: dict[Days, int] = defaultdict(int)
        self.score = _score(run.index, run.placed)  # (excess over the fairness bound, breaks)
        self.pairs = _pairs(run.index)
        self.fails = 0
        self.lower = 0  # proven fewest breaks
        self.everyday = tuple(range(len(run.index.problem.calendar.days)))
        problem = run.index.problem
        # with a fairness bound, a neighbourhood of every day proves the optimum only when
        # the fewest breaks anyone has is 0 in every plan (someone has a single meeting):
        # its caps are the current fewest + d
        self.provable = problem.fairness is None or any(
            len(ms) < 2 for ms in run.index.by_participant.values()
        )
        # a whole neighbourhood on a worker the small moves leave idle (breaks on fewer days
        # than workers): its days, their meetings' places when it began, the answer to come
        self.aside: tuple[Days, Placed, Future[tuple[bool, Placed | None]]] | None = None
        self.cancel = threading.Event()

    def run(self) -> bool:
        try:
            return self._run()
        finally:
            self.cancel.set()  # the pool waits for the neighbourhood aside: end it now

    def _run(self) -> bool:
        run = self.run_
        while self.score[1] > self.lower and run.left(1.0) > 0.05 and not (run.stop and run.stop()):
            self._collect()
            if self.score[1] <= self.lower:
                break
            broken = _broken(run.index, run.placed, self.score[0] > 0)
            open_ = {d: people for d, people in broken.items() if not self._settled_day(d)}
            if self.fails < STALL and any(open_.values()):
                if self.aside is None and sum(1 for p in open_.values() if p) < run.workers:
                    self._set_aside(broken)
                self._small(open_)
            elif self.aside is not None:
                self.aside[2].result()  # let it finish before choosing the next one
            elif not self._whole(broken):
                _record(run, self.score, self.lower)
                return True  # no single day nor pair of days can do better
        _record(run, self.score, self.lower)
        return False

    def _set_aside(self, broken: dict[int, list[str]]) -> None:
        """Start the next whole neighbourhood on the idle worker (measured on mission seed 8:
        its last break waited 4 s for ten small moves without gain, then one whole day took
        it out in 0.7 s)."""
        run = self.run_
        days = self._next_whole(broken, days_only=True)  # pairs aside: seed 7 lost 2 of 3 runs
        if days is None:
            return
        seconds = min(run.left(1.0), FIRST * 2 ** self.tries[days])
        self.tries[days] += 1
        cal = run.index.problem.calendar
        before = {m: sv for m, sv in run.placed.items() if cal.day_of(sv[0]) in days}
        stop = self._stopper()
        job = self.pool.submit(_resolve, run, days, seconds, None, 1, stop)
        self.aside = (days, before, job)

    def _stopper(self) -> StopFn:
        user = self.run_.stop
        return lambda: self.cancel.is_set() or bool(user and user())

    def _collect(self) -> None:
        """The neighbourhood aside, once done: adopted as ``_whole`` would when its days have
        not changed meanwhile, else only if it still gains."""
        if self.aside is None or not self.aside[2].done():
            return
        days, before, job = self.aside
        self.aside = None
        run = self.run_
        cal = run.index.problem.calendar
        now = {m: sv for m, sv in run.placed.items() if cal.day_of(sv[0]) in days}
        optimal, moved = job.result()
        if now != before:
            better = _merge(run, [moved] if moved is not None else [], self.score)
            if better is not None and better[1] < self.score:
                self._unsettle(days)
                self._adopt(better)
            return
        self._settle(days, optimal, moved)

    def _settled_day(self, day: int) -> bool:
        """Re-placing all of this day, and each pair of days with it, was optimal since the
        day last changed: no small move on it can gain (a small event spent 5 of its 10 s
        on such moves before the whole-event model proved its optimum)."""
        return (day,) in self.settled and all(n in self.settled for n in self.pairs if day in n)

    def _small(self, broken: dict[int, list[str]]) -> None:
        run = self.run_
        size = AROUND + GROW * (self.fails // 5)  # wider while nothing is gained
        free = max(1, run.workers - (self.aside is not None))  # the pool has a thread each
        picks = _small_neighbourhoods(
            run.index, run.placed, broken, self.pairs, self.rng, free, size, self.settled
        )
        seconds = min(run.left(1.0), SMALL_SECONDS)
        each = max(1, free // len(picks))
        found = list(
            self.pool.map(lambda pick: _resolve(run, pick[0], seconds, pick[1], each), picks)
        )
        better = _merge(run, [moved for _, moved in found if moved is not None], self.score)
        self.fails = 0 if better is not None and better[1] < self.score else self.fails + 1
        if better is not None and better[1] <= self.score:  # sideways too: they unblock
            if better[0] != run.placed:
                self._unsettle(tuple(d for pick in picks for d in pick[0]))
            self._adopt(better)
        for (whole, moving), (optimal, moved) in zip(picks, found, strict=True):
            if moving is None and optimal:  # it freed whole days: as good as ``_whole``
                self.quiet.add(whole)
                if moved is None or all(run.placed[m] == sv for m, sv in moved.items()):
                    self.settled.add(whole)
                    self._prove(whole)

    def _next_whole(self, broken: dict[int, list[str]], days_only: bool = False) -> Days | None:
        """The least tried day or pair with a break, not settled; None when every one is
        settled or solved to optimality since the last gain."""
        per_day = {d: len(people) for d, people in broken.items()}
        candidates: list[Days] = [(d,) for d in per_day] + ([] if days_only else self.pairs)
        todo = [
            n for n in candidates if n not in self.settled and any(per_day.get(d, 0) for d in n)
        ]
        if not todo or all(n in self.quiet for n in todo):
            return None
        tries = self.tries
        return min(todo, key=lambda n: (tries[n] + len(n), -sum(per_day.get(d, 0) for d in n)))

    def _whole(self, broken: dict[int, list[str]]) -> bool:
        """One whole neighbourhood; False when every one is settled."""
        run = self.run_
        self.fails = 0
        days = self._next_whole(broken)
        if days is None:
            return False
        seconds = min(run.left(1.0), FIRST * 2 ** self.tries[days])
        self.tries[days] += 1
        optimal, moved = _resolve(run, days, seconds, None, run.workers)
        self._settle(days, optimal, moved)
        return True

    def _settle(self, days: Days, optimal: bool, moved: Placed | None) -> None:
        """Adopt a whole neighbourhood's result if it gains; solved to optimality, it is
        quiet, and settled when its result is the plan's."""
        better = _merge(self.run_, [moved] if moved is not None else [], self.score)
        if better is not None and better[1] < self.score:
            self._unsettle(days)
            self._adopt(better)
        if optimal:  # even when the validator refused the result (fairness across days)
            self.quiet.add(days)
        if optimal and (moved is None or better is not None):
            self.settled.add(days)
            self._prove(days)

    def _unsettle(self, days: Days) -> None:
        """These days changed: the neighbourhoods with any of them may gain again."""
        self.settled = {n for n in self.settled if not set(n) & set(days)}

    def _prove(self, days: Days) -> None:
        """Every day re-placed to optimality, the result kept: the plan is optimal (a small
        event's search then needs no whole-event model)."""
        if days == self.everyday and self.provable and self.score[0] == 0:
            self.lower = self.score[1]

    def _adopt(self, better: tuple[Placed, Score]) -> None:
        run = self.run_
        gain = better[1] < self.score
        run.placed, self.score = better
        if gain:
            self.quiet.clear()
        if gain and run.progress:
            run.progress(Progress("breaks", self.score[1], 0, time.monotonic() - run.t0))


def replace_movable(run: Run, movable: set[str]) -> None:
    """Re-planning: only these meetings may move (the others stay where the previous plan
    had them); re-place them on every day for the fewest breaks, the rest fixed. The bound is
    the plan's breaks when that is solved to optimality."""
    index = run.index
    everyday = tuple(range(len(index.problem.calendar.days)))
    optimal, moved = True, None
    if movable:
        optimal, moved = _resolve(run, everyday, run.left(1.0), movable, run.workers)
    score = _score(index, run.placed)
    better = _merge(run, [moved] if moved is not None else [], score)
    if better is not None and better[1] <= score:
        run.placed, score = better
    breaks = score[1]
    if run.progress:
        run.progress(
            Progress("breaks", breaks, breaks if optimal else 0, time.monotonic() - run.t0)
        )
    run.objectives["breaks"], run.bound["breaks"] = breaks, breaks if optimal else 0
    run.optimal &= optimal


def _record(run: Run, score: Score, lower: int) -> None:
    total = score[1]
    if run.progress:  # always once, as the whole-event phases do
        run.progress(Progress("breaks", total, lower, time.monotonic() - run.t0))
    run.objectives["breaks"], run.bound["breaks"] = total, lower
    run.optimal &= total == lower


def _score(index: Index, placed: Placed) -> Score:
    """(breaks above the fairness bound, summed over participants; breaks): the plan is
    fair when the first is 0, and becoming fair comes before losing breaks."""
    per = count_breaks(index.problem, index.meetings, _placements(placed))
    return Tally(per, index.problem.fairness).key()


def excess(index: Index, placed: Placed) -> int:
    return _score(index, placed)[0]


def _placements(placed: Placed) -> list[Placement]:
    return [Placement(m, s, v) for m, (s, v) in sorted(placed.items())]


def _pairs(index: Index) -> list[Days]:
    """Pairs of days between which at least half of the meetings could move (days in two
    cities share only the online meetings: measured, such pairs cost a second and gave
    nothing), and any pair of small days (a small two-city event found its last break's move
    there: 1 s instead of 4 s for the whole-event model)."""
    on: dict[int, int] = defaultdict(int)
    both: dict[Days, int] = defaultdict(int)
    for opts in index.options.values():
        days = sorted({o.day for o in opts})
        for d in days:
            on[d] += 1
        for pair in combinations(days, 2):
            both[pair] += 1
    return sorted(
        p
        for p, n in both.items()
        if 2 * n >= max(on[p[0]], on[p[1]]) or on[p[0]] + on[p[1]] <= SMALL_PAIR
    )


def _broken(index: Index, placed: Placed, unfair: bool = False) -> dict[int, list[str]]:
    """Per day, the participants with a break that day (when the plan is unfair, only
    those over the fairness bound)."""
    cal = index.problem.calendar
    by_day: dict[int, Placed] = defaultdict(dict)
    for m, (s, v) in placed.items():
        by_day[cal.day_of(s)][m] = (s, v)
    over = set(
        Tally(
            count_breaks(index.problem, index.meetings, _placements(placed)), index.problem.fairness
        ).over()
        if unfair
        else ()
    )
    out: dict[int, list[str]] = {}
    for d, mine in sorted(by_day.items()):
        counts = count_breaks(index.problem, index.meetings, _placements(mine))
        out[d] = sorted(p for p, n in counts.items() if n and (not unfair or p in over))
    return out


def _small_neighbourhood(
    index: Index,
    placed: Placed,
    broken: dict[int, list[str]],
    pairs: list[Days],
    rng: random.Random,
    size: int,
    settled: set[Days],
) -> tuple[Days, set[str] | None]:
    """A participant with a break (days weighted by their breaks), then the people they meet
    that day, breadth first, until about ``size`` meetings may move. One time in three on
    that day and another, always once the day alone is settled (re-placing all of it was
    optimal, so no move within it can gain; mission seed 7 then found its last two breaks'
    pair moves at once instead of after 3 s of moves on the settled day)."""
    cal = index.problem.calendar
    who = [(d, p) for d, people in broken.items() for p in people]
    day, seed = rng.choice(who)
    other = [n for n in pairs if day in n and n not in settled]
    wider = (day,) in settled or rng.random() < 1 / 3
    days: Days = rng.choice(other) if other and wider else (day,)
    held = [m for m, (s, _) in placed.items() if cal.day_of(s) in days]
    moving = _around(index, held, [seed], set(), size, rng)
    return days, (None if len(moving) == len(held) else moving)


def _around(
    index: Index,
    held: list[str],
    people: list[str],
    moving: set[str],
    size: int,
    rng: random.Random | None = None,
) -> set[str]:
    """``moving`` plus the held meetings of these people, then of the people they meet,
    breadth first (partners in random order with ``rng``), until about ``size``."""
    chosen, frontier = set(people), list(people)
    while frontier and len(moving) < size:
        pid = frontier.pop(0)
        theirs = [m for m in held if pid in index.meetings[m].participants]
        moving.update(theirs)
        partners = [q for m in theirs for q in index.meetings[m].participants if q not in chosen]
        if rng is not None:
            rng.shuffle(partners)
        for q in partners:
            if q not in chosen:
                chosen.add(q)
                frontier.append(q)
    return moving


def hold_more(index: Index, placed: Placed, deadline: float, workers: int) -> Placed:
    """The meetings the greedy plan left out, heaviest first, each put in by re-placing about
    ``AROUND`` meetings around its participants on one of its days (a day at random each
    try), until all are in, none fits, or the deadline. On missions where the greedy plan
    held 149 of 150 meetings, the whole-event model's meetings phase took 4 s and had not
    found the 150th; one of these tries took well under a second."""
    rng = random.Random(0)
    left = sorted(
        (m for m in index.meetings if m not in placed and index.options[m]),
        key=lambda m: (-index.meetings[m].weight, m),
    )
    stale = 0
    while left and stale < 10 * len(left) and time.monotonic() < deadline:
        mid = left.pop(0)
        size = AROUND + GROW * (stale // len(left) if left else stale)  # wider after failures
        done = _hold(index, placed, mid, rng, deadline, workers, size)
        if done == "impossible":
            break  # every meeting was free to move: these cannot all be held
        if done is None:
            left.append(mid)
            stale += 1
        else:
            placed, stale = done, 0
    return placed


def _hold(
    index: Index,
    placed: Placed,
    mid: str,
    rng: random.Random,
    deadline: float,
    workers: int,
    size: int,
) -> Placed | Literal["impossible"] | None:
    """``mid`` held by re-placing about ``size`` meetings around its participants, on one of
    its days or (half the time, and always when ``size`` covers them all) on every day;
    "impossible" when every meeting was free and still not all fit."""
    cal = index.problem.calendar
    week = len(placed) < size or rng.random() < 0.5
    days = (
        set(range(len(cal.days)))
        if week
        else {rng.choice(sorted({o.day for o in index.options[mid]}))}
    )
    held = [m for m, (s, _) in placed.items() if cal.day_of(s) in days]
    moving = _around(index, held, list(index.meetings[mid].participants), {mid}, size)
    sub = _sub_index(index, placed, days, moving, mid)
    model = build_model(sub, None)
    model.cp.add(model.held_weight() == sum(m.weight for m in sub.meetings.values()))
    watch = _Watch("meetings", time.monotonic(), None, None)
    seconds = min(WEEK_SECONDS if week else SMALL_SECONDS, deadline - time.monotonic())
    if seconds <= 0:
        return None
    solver, status = run_solver(model, seconds, workers, watch)
    if status == cp_model.INFEASIBLE and week and len(moving) == len(placed) + 1:
        return "impossible"
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    new = {**placed, **placed_of(model, solver)}
    return None if _breaks_a_rule(index, new) else new


def _small_neighbourhoods(
    index: Index,
    placed: Placed,
    broken: dict[int, list[str]],
    pairs: list[Days],
    rng: random.Random,
    count: int,
    size: int,
    settled: set[Days],
) -> list[tuple[Days, set[str] | None]]:
    """Up to ``count`` small neighbourhoods on different days, to be solved side by side
    (None: every meeting of those days)."""
    picks: list[tuple[Days, set[str] | None]] = []
    for _ in range(count):
        taken = {d for days, _ in picks for d in days}
        left = {d: people for d, people in broken.items() if d not in taken and people}
        if not left:
            break
        apart = [p for p in pairs if not set(p) & taken]
        picks.append(_small_neighbourhood(index, placed, left, apart, rng, size, settled))
    return picks


def _resolve(
    run: Run,
    days: Days,
    seconds: float,
    moving: set[str] | None,
    workers: int,
    stop: StopFn | None = None,
) -> tuple[bool, Placed | None]:
    """Re-place the meetings of these days (only ``moving`` when given): (solved to
    optimality, their new places or None)."""
    index = run.index
    sub = _sub_index(index, run.placed, set(days), moving)
    free = list(sub.meetings)
    if not free:
        return True, None
    model = build_model(sub, None)
    model.cp.add(model.held_weight() == sum(sub.meetings[m].weight for m in free))
    goal = _fairness_caps(run, model, set(days))
    hint(model, {m: run.placed[m] for m in free})
    model.cp.minimize(goal)
    watch = _Watch("breaks", run.t0, None, stop or run.stop)
    solver, status = run_solver(model, seconds, workers, watch)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False, None
    return status == cp_model.OPTIMAL, placed_of(model, solver)


def _merge(run: Run, found: list[Placed], now: Score) -> tuple[Placed, Score] | None:
    """The plan with all these re-placements (on different days) if the validator accepts it
    (fairness aside: the score counts it) and it scores no worse than ``now``, the plan's
    score, else the best one alone."""
    tries = [found] if len(found) < 2 else [found, *([f] for f in found)]
    best: tuple[Placed, Score] | None = None
    for parts in tries:
        placed = dict(run.placed)
        for part in parts:
            placed.update(part)
        if _breaks_a_rule(run.index, placed):
            continue  # never expected: each sub-model keeps every rule of its days
        score = _score(run.index, placed)
        if best is None or score < best[1]:
            best = (placed, score)
        if parts is found and score <= now:
            return best  # fairness across two moves can make the merge worse than one
    return best


def _breaks_a_rule(index: Index, placed: Placed) -> bool:
    """Any rule but fairness (the search's score counts that)."""
    problem = replace(index.problem, fairness=None)
    return bool(validate(problem, Plan(tuple(_placements(placed)))))


def _sub_index(
    index: Index,
    placed: Placed,
    days: set[int],
    moving: set[str] | None = None,
    extra: str | None = None,
) -> Index:
    """The meetings held on these days (and ``extra``, not held yet), their options on these
    days only, in an order that keeps the precedences with the meetings of the other days.
    With ``moving``, the others held on these days keep their place."""
    cal = index.problem.calendar
    free = [m for m, (s, _) in placed.items() if cal.day_of(s) in days]
    free += [extra] if extra is not None else []
    fixed = {m: s for m, (s, _) in placed.items() if cal.day_of(s) not in days}
    later: dict[str, list[str]] = defaultdict(list)  # meeting -> the fixed ones after it
    for m in fixed:
        for before in index.meetings[m].after:
            later[before].append(m)
    options = {
        m: tuple(
            o
            for o in index.options[m]
            if o.day in days
            and _keeps_order(index, m, o, fixed, later.get(m, []))
            and (moving is None or m in moving or m == extra or (o.start, o.venue) == placed[m])
        )
        for m in free
    }
    people: dict[str, list[str]] = defaultdict(list)
    for m in free:
        for pid in index.meetings[m].participants:
            people[pid].append(m)
    return replace(
        index,
        options=options,
        meetings={m: index.meetings[m] for m in free},
        by_participant={pid: tuple(ms) for pid, ms in people.items()},
    )


def _keeps_order(
    index: Index, mid: str, o: Option, fixed: dict[str, int], later: list[str]
) -> bool:
    meetings = index.meetings
    ends_before = all(
        fixed[b] + meetings[b].duration <= o.start for b in meetings[mid].after if b in fixed
    )
    return ends_before and all(o.end <= fixed[c] for c in later)


def _fairness_caps(run: Run, model: Model, days: set[int]) -> cp_model.LinearExprT:
    """With a fairness bound d, nobody may end above the fewest breaks now + d, their breaks
    on the other days counted in: a hard cap when the plan is fair (should the fewest fall,
    the new plan may be unfair: the search's score counts that), else the breaks above the
    cap, to be minimised first. Returns what to minimise."""
    d = run.index.problem.fairness
    if d is None:
        return model.total_breaks()
    index = run.index
    cal = index.problem.calendar
    everyone = count_breaks(index.problem, index.meetings, _placements(run.placed))
    others = {m: sv for m, sv in run.placed.items() if cal.day_of(sv[0]) not in days}
    outside = count_breaks(index.problem, index.meetings, _placements(others))
    tally = Tally(everyone, d)
    cap, fair = tally.cap() or 0, not tally.excess()
    over = []
    for pid, expr in model.breaks.items():
        room = cap - outside.get(pid, 0)
        if fair:
            model.cp.add(expr <= room)
            continue
        above = model.cp.new_int_var(0, len(index.meetings), f"over[{pid}]")
        model.cp.add(above >= expr - room)
        over.append(above)
    if not over:
        return model.total_breaks()
    weight = 1 + sum(len(ms) for ms in index.by_participant.values())  # > any total of breaks
    return weight * cp_model.LinearExpr.sum(over) + model.total_breaks()
