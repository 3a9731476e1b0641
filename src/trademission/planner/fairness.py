"""The fairness bound on the large-event path: leaving meetings out where it needs that.

With a bound d, every participant of a requested meeting may have at most the fewest breaks
anyone has + d (``validate._check_fairness``). The large path's greedy and its search for
meetings ignore it; its break phase judges each move on (breaks above that cap, summed over
participants; breaks in all) (``repair.Tally``), so the plan becomes fair before it loses
breaks. Moves alone cannot help someone whose free slots lie in more runs than the cap
allows: with the meetings it holds it has more breaks than that. ``FairSlots`` (brokerage
events) then leaves out as many of its meetings as that forces, first those shared with
another such participant; where the moves stop helping, a whole block of consecutive
meetings (one off a block leaves the gap). ``make_fair`` does the same on any plan, the last
resort when the time is up. Meetings left out are held again where that adds no excess.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from trademission.planner.greedy import State
from trademission.planner.options import Index
from trademission.planner.problem import Placement
from trademission.planner.repair import FREE, Slots, Tally
from trademission.planner.validate import count_breaks


def tally(index: Index, state: State) -> Tally[str]:
    """Breaks of every participant of a requested meeting in the state's plan."""
    placements = [Placement(m, o.start, o.venue) for m, o in state.placed.items()]
    per = count_breaks(index.problem, index.meetings, placements)
    return Tally(per, index.problem.fairness)


def breaks_of(index: Index, state: State, people: set[str]) -> dict[str, int]:
    """Breaks of these participants in the state's plan, counted as ``validate`` does."""
    mids = {m for p in people for m in index.by_participant.get(p, ()) if m in state.placed}
    placed = [Placement(m, state.placed[m].start, state.placed[m].venue) for m in mids]
    per = count_breaks(index.problem, {m: index.meetings[m] for m in mids}, placed)
    return {p: per.get(p, 0) for p in people}


def blocks(index: Index, state: State, pid: str) -> list[list[str]]:
    """The participant's held meetings, in runs of a day with no break between them."""
    mine = sorted(
        (state.placed[m].start, m) for m in index.by_participant.get(pid, ()) if m in state.placed
    )
    out: list[list[str]] = []
    for _, mid in mine:
        prev = out[-1][-1] if out else None
        if prev is None or state.placed[prev].day != state.placed[mid].day:
            out.append([mid])
            continue
        pair = {m: index.meetings[m] for m in (prev, mid)}
        at = [Placement(m, state.placed[m].start, state.placed[m].venue) for m in pair]
        if count_breaks(index.problem, pair, at)[pid]:
            out.append([mid])
        else:
            out[-1].append(mid)
    return out


def make_fair(index: Index, state: State, fair: Tally[str]) -> dict[str, str]:
    """The last resort: while anyone is over the bound, leave out the block of their
    meetings (no must-have) that lowers the excess at the least weight; when no such block
    is left, each over the bound keeps its cap + 1 heaviest blocks only (the plan shrinks,
    so this ends, unfair only if must-haves make it so). Then each meeting left out is held
    again where it fits without adding excess. Returns those still left out, with why."""
    dropped: dict[str, str] = {}
    trim = False
    while fair.excess():
        changed = False
        for pid in fair.over():
            cap = fair.cap()
            if cap is None or fair.per[pid] <= cap:
                continue
            if trim:
                for block in _surplus(index, state, pid, cap):
                    _drop(index, state, fair, block, pid, dropped)
                    changed = True
                continue
            best = _best_block(index, state, fair, pid)
            if best is not None and best[0][0] < fair.excess():
                _drop(index, state, fair, best[1], pid, dropped)
                changed = True
        if not changed and trim:
            break
        trim = not changed
    rng = random.Random(0)
    for mid in sorted(dropped, key=lambda _: rng.random()):
        people = set(index.meetings[mid].participants)
        for o in index.options[mid]:
            if not state.fits(mid, o):
                continue
            state.place(mid, o)
            if fair.keep(breaks_of(index, state, people), gain=index.meetings[mid].weight):
                del dropped[mid]
                break
            state.remove(mid)
    return dropped


def _surplus(index: Index, state: State, pid: str, cap: int) -> list[list[str]]:
    """pid's blocks beyond the cap + 1 heaviest (those with a must-have count as heaviest)."""
    weight = {m: index.meetings[m].weight for m in index.by_participant.get(pid, ())}
    ranked = sorted(
        blocks(index, state, pid),
        key=lambda b: (any(index.meetings[m].required for m in b), sum(weight[m] for m in b)),
        reverse=True,
    )
    return [b for b in ranked[cap + 1 :] if not any(index.meetings[m].required for m in b)]


def _best_block(
    index: Index, state: State, fair: Tally[str], pid: str
) -> tuple[tuple[int, int, int], list[str]] | None:
    """pid's block of meetings (no must-have) whose loss leaves the least excess, costs
    the least weight, then adds the fewest breaks."""
    best: tuple[tuple[int, int, int], list[str]] | None = None
    for block in blocks(index, state, pid):
        if any(index.meetings[m].required for m in block):
            continue
        key = _without(index, state, fair, block, keep=False)
        if best is None or key < best[0]:
            best = key, block
    return best


def _drop(
    index: Index, state: State, fair: Tally[str], block: list[str], pid: str, out: dict[str, str]
) -> None:
    _without(index, state, fair, block, keep=True)
    for mid in block:
        out[mid] = left_out_reason(mid, pid, fair.d)


def _without(
    index: Index, state: State, fair: Tally[str], block: list[str], keep: bool
) -> tuple[int, int, int]:
    """(excess, weight lost, breaks) with these meetings left out; put back unless keep."""
    where = {m: state.placed[m] for m in block}
    for m in block:
        state.remove(m)
    people = {p for m in block for p in index.meetings[m].participants}
    old = fair.set(breaks_of(index, state, people))
    key = fair.excess(), sum(index.meetings[m].weight for m in block), fair.total
    if not keep:
        fair.set(old)
        for m, o in where.items():
            state.place(m, o)
    return key


class FairSlots(Slots):
    """Slots whose break phase also leaves meetings out where a fairness bound needs it
    (and tries to hold them again), remembering for whom."""

    def __init__(self, index: Index, state: State, seed: int = 0) -> None:
        super().__init__(index, state, seed)
        self._runs: list[list[list[int]]] | None = None
        self.left_out: dict[int, int] = {}  # meeting: the participant it was left out for

    def _unfair(
        self, tally: Tally[int], unplaced: list[int], stuck: bool, late: bool
    ) -> tuple[bool, bool]:
        """Participants over the bound who cannot be under it with the meetings they hold
        (their free slots lie in too many runs) lose as many as that forces; anyone over it
        once moves have stopped helping (``stuck``) or ``late`` in the phase loses a block
        that lowers the excess, or, late, all but its cap + 1 largest blocks; then the unplaced
        meetings are held again where that adds no excess. Returns (meetings changed,
        some left out that had to be: the best plan so far was not fair)."""
        cap = tally.cap()
        changed = shed = False
        if cap is not None:
            shed = self._shed_pairs(tally, cap)
        for p in tally.over():
            if cap is None or tally.per[p] <= cap:
                continue
            if self.forced(p) > cap:
                shed |= self._shed(p, cap, tally)
            elif stuck or late:
                if self._drop_block(p, tally):
                    changed = True
                elif late:
                    shed |= self._trim(p, cap, tally)
        for u in unplaced:
            if self.slot[u] == FREE:
                changed |= self._insert(u, tally)
        self.trail.clear()
        return changed or shed, shed

    def forced(self, p: int, more: int = 0) -> int:
        """Fewest breaks p can have holding as many meetings as now (and ``more``): the
        runs of slots in which any of p's meetings may take place, largest first, that
        hold them all."""
        need = sum(m != FREE for m in self.at[p]) + more
        runs = 0
        for run in self._free_runs()[p]:
            if need <= 0:
                break
            need -= len(run)
            runs += 1
        return max(0, runs - 1)

    def _shed_pairs(self, tally: Tally[int], cap: int) -> bool:
        """Meetings between two participants who must both lose some (see ``_shed``) are
        left out first: one meeting then serves both."""
        need = {p: self._excess_meetings(p, cap) for p in tally.over() if self.forced(p) > cap}
        pairs = [
            (self._outside(p, m, cap) + self._outside(q, m, cap), self.rng.random(), m, p, q)
            for p in need
            for m in self.at[p]
            if m != FREE and not self.required[m]
            for q in self.ends[m]
            if q != p and q in need and p < q
        ]
        left: list[int] = []
        for *_, m, p, q in sorted(pairs, reverse=True):
            if need[p] > 0 and need[q] > 0 and self.slot[m] != FREE:
                self.move(m, FREE)
                need[p] -= 1
                need[q] -= 1
                left.append(m)
                self.left_out[m] = p
        tally.set({q: self.breaks_of(q) for m in left for q in self.ends[m]})
        return bool(left)

    def _excess_meetings(self, p: int, cap: int) -> int:
        """How many more meetings p holds than its largest cap + 1 runs of free slots."""
        runs = self._free_runs()[p][: cap + 1]
        return sum(m != FREE for m in self.at[p]) - sum(len(r) for r in runs)

    def _outside(self, p: int, m: int, cap: int) -> bool:
        return not any(self.slot[m] in r for r in self._free_runs()[p][: cap + 1])

    def _overfull(self, u: int, tally: Tally[int], more: int = 0) -> bool:
        """Would holding u (``more``: not held yet) leave one of its participants more
        meetings than its free runs hold under the bound? ``_shed`` would undo it."""
        cap = tally.cap()
        return cap is not None and any(self.forced(q, more) > cap for q in self.ends[u])

    def _shed(self, p: int, cap: int, tally: Tally[int]) -> bool:
        """Leave out the meetings p's largest cap + 1 runs of free slots cannot hold: those
        outside them first, then those whose other participant must lose some too, then
        the lightest; never a must-have."""
        runs = self._free_runs()[p]
        inside = {k for run in runs[: cap + 1] for k in run}
        mine = [m for m in self.at[p] if m != FREE]
        need = len(mine) - len(inside)
        other = {m: next(q for q in self.ends[m] if q != p) for m in mine}
        order = sorted(
            (m for m in mine if not self.required[m]),
            key=lambda m: (
                self.slot[m] in inside,
                self.forced(other[m]) <= cap,
                self.weight[m],
                self.rng.random(),
            ),
        )
        for m in order[:need]:
            self.move(m, FREE)
            self.left_out[m] = p
        touched = {q for m in order[:need] for q in self.ends[m]}
        tally.set({q: self.breaks_of(q) for q in touched})
        return need > 0 and bool(order)

    def _free_runs(self) -> list[list[list[int]]]:
        """Per participant, the runs of consecutive slots any of its meetings may take,
        largest first."""
        if self._runs is not None:
            return self._runs
        free: list[set[int]] = [set() for _ in self.pids]
        for m, ends in enumerate(self.ends):
            for p in ends:
                free[p].update(self.allowed[m])
        self._runs = [
            sorted(self._consecutive((k, k) for k in sorted(slots)), key=len, reverse=True)
            for slots in free
        ]
        return self._runs

    def _blocks(self, p: int) -> list[list[int]]:
        """p's held meetings, in runs with no break between them."""
        return self._consecutive((k, m) for k, m in enumerate(self.at[p]) if m != FREE)

    def _consecutive(self, items: Iterable[tuple[int, int]]) -> list[list[int]]:
        """(slot, value) pairs in slot order, grouped where each slot follows the last one
        on the day's line."""
        groups: list[list[int]] = []
        last = None
        for k, value in items:
            here = self._line[k]
            if last is not None and here == (last[0], last[1] + 1):
                groups[-1].append(value)
            else:
                groups.append([value])
            last = here
        return groups

    def _drop_block(self, p: int, tally: Tally[int]) -> bool:
        """Leave out the block of p's meetings (no must-have) whose loss lowers the excess,
        costing the least weight, then adding the fewest breaks."""
        before = tally.excess()
        best: tuple[tuple[int, int, int], list[int]] | None = None
        for block in self._blocks(p):
            if any(self.required[m] for m in block):
                continue
            mark = len(self.trail)
            for m in block:
                self.move(m, FREE)
            old = tally.set({q: self.breaks_of(q) for m in block for q in self.ends[m]})
            key = (tally.excess(), sum(self.weight[m] for m in block), tally.total)
            tally.set(old)
            self.undo(mark)
            if key[0] < before and (best is None or key < best[0]):
                best = key, block
        if best is None:
            return False
        block = best[1]
        for m in block:
            self.move(m, FREE)
            self.left_out[m] = p
        tally.set({q: self.breaks_of(q) for m in block for q in self.ends[m]})
        return True

    def _trim(self, p: int, cap: int, tally: Tally[int]) -> bool:
        """Leave out p's blocks beyond its cap + 1 largest (never a must-have)."""
        ranked = sorted(self._blocks(p), key=len, reverse=True)
        left = [m for b in ranked[cap + 1 :] for m in b if not self.required[m]]
        for m in left:
            self.move(m, FREE)
            self.left_out[m] = p
        tally.set({q: self.breaks_of(q) for m in left for q in self.ends[m]})
        return bool(left)

    def _insert(self, u: int, tally: Tally[int]) -> bool:
        """Hold unplaced meeting u by an ejection chain, kept when the excess does not rise."""
        if self._overfull(u, tally, 1):
            return False
        mark = len(self.trail)
        if not self.augment(u, self.budget):
            return False
        touched = {q for m, _ in self.trail[mark:] for q in self.ends[m]}
        if tally.keep({q: self.breaks_of(q) for q in touched}, gain=self.weight[u]):
            return True
        self.undo(mark)
        return False

    def why_left_out(self) -> dict[str, str]:
        """The meetings left out for the bound and not held again, with whom they were for."""
        return {
            self.mids[m]: left_out_reason(self.mids[m], self.pids[p], self.fairness)
            for m, p in self.left_out.items()
            if self.slot[m] == FREE
        }


def left_out_reason(mid: str, pid: str, d: int | None) -> str:
    return (
        f"{mid}: left out to keep {pid}'s breaks within {d} of the fewest anyone has"
        f" (fairness bound d = {d})"
    )
