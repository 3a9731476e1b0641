"""Fast local search for one-slot, two-party events (brokerage): ejection chains and breaks.

In every slot the held meetings form a matching of the participants free then. An unplaced
meeting is added by an *ejection chain*: put it in a slot, evict the (at most one or two)
meetings of its participants there, move each evicted meeting to another slot, evicting in
turn, until every meeting has a place — the alternating paths of bipartite edge colouring
(Kempe chains) are such chains, but here each step may pick any slot, so unavailability
holes are walked around. Every step is applied and undone on a trail, so a failed search
leaves the plan as it was. On a plateau a random "swap" (the new meeting takes the place
of one of the same weight, which becomes unplaced) lets the search move on.

Breaks are then reduced at the same number and weight of meetings: single meetings move to
slots where both participants are free, whole alternating components of two slots swap
(a Kempe interchange: only the component's path ends change their day), and an unplaced
meeting trades places with a held one of the same weight; each move is kept when it does
not add breaks (accepting some that add one was measured worse). Under a fairness bound d a
move is judged on (breaks above the fewest + d, summed over participants; total breaks),
so the plan becomes fair first, then loses breaks without becoming unfair again.

Applies when every meeting lasts one grain, has two participants, one venue for all its
options, and nobody has a pause, a daily maximum or a precedence; ``large.py`` falls back to
CP-SAT neighbourhoods otherwise.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from trademission.planner.greedy import State
from trademission.planner.options import Index, Option, timeline

FREE = -1
TABU = 20  # meetings swapped in lately that a plateau move may not evict
K = TypeVar("K", bound=Hashable)


def applicable(index: Index) -> bool:
    venues = {o.venue for opts in index.options.values() for o in opts}
    if len(venues) > 1 or any(index.pauses.values()):
        return False
    if any(p.max_per_day is not None for p in index.problem.participants):
        return False
    return all(
        m.duration == 1 and len(set(m.participants)) == 2 and not m.after
        for m in index.meetings.values()
    )


class Tally(Generic[K]):
    """Breaks per participant, judged as (excess, total): excess sums each participant's
    breaks above the fewest anyone has + d (the fairness bound; 0 without one), the way
    ``validate`` counts them, so repairing fairness comes before cutting breaks."""

    def __init__(self, per: dict[K, int], d: int | None) -> None:
        self.per, self.d = per, d
        self.hist = Counter(per.values())
        self.total = sum(per.values())

    def cap(self) -> int | None:
        """Most breaks anyone may have now (None: no bound)."""
        return None if self.d is None or not self.hist else min(self.hist) + self.d

    def excess(self) -> int:
        cap = self.cap()
        return 0 if cap is None else sum((n - cap) * c for n, c in self.hist.items() if n > cap)

    def key(self) -> tuple[int, int]:
        return self.excess(), self.total

    def over(self) -> list[K]:
        cap = self.cap()
        return [] if cap is None else [p for p, n in self.per.items() if n > cap]

    def set(self, after: dict[K, int]) -> dict[K, int]:
        """New counts for some participants (others than those counted are ignored);
        returns the old ones, to undo with."""
        old = {}
        for p, n in after.items():
            was = self.per.get(p)
            if was is None or was == n:
                continue
            old[p] = was
            self.hist[was] -= 1
            if not self.hist[was]:
                del self.hist[was]
            self.hist[n] += 1
            self.per[p] = n
            self.total += n - was
        return old

    def keep(self, after: dict[K, int], gain: int = 0) -> bool:
        """Take the new counts if (excess, weight of meetings lost, total) does not rise,
        ``gain`` the weight the change adds; False: left as it was."""
        if self.d is None and not gain:  # the fast path of the plain break phase
            if sum(after.values()) > sum(self.per.get(p, n) for p, n in after.items()):
                return False
            self.set(after)
            return True
        excess, total = self.key()
        old = self.set(after)
        now = self.excess()
        if now < excess or (now == excess and (gain > 0 or (not gain and self.total <= total))):
            return True
        self.set(old)
        return False


class Slots:
    """Per-participant, per-slot occupancy of a plan, with an undo trail."""

    def __init__(self, index: Index, state: State, seed: int = 0) -> None:
        self.index = index
        self.rng = random.Random(seed)
        starts = sorted({o.start for opts in index.options.values() for o in opts})
        pos = {g: k for k, g in enumerate(starts)}
        self.nslots = len(starts)
        self.mids = list(index.meetings)
        self.pids = list(index.by_participant)
        pnum = {p: i for i, p in enumerate(self.pids)}
        self.ends = [tuple(pnum[p] for p in index.meetings[m].participants) for m in self.mids]
        self.options: list[dict[int, Option]] = [
            {pos[o.start]: o for o in index.options[m]} for m in self.mids
        ]
        self.allowed = [sorted(opts) for opts in self.options]
        self.weight = [index.meetings[m].weight for m in self.mids]
        self.required = [index.meetings[m].required for m in self.mids]
        venues = {o.venue for opts in index.options.values() for o in opts}
        caps = {v.id: v.tables for v in index.problem.venues}
        self.cap: int | None = caps.get(next(iter(venues))) if venues else None
        self.at = [[FREE] * self.nslots for _ in self.pids]
        self.slot = [FREE] * len(self.mids)
        self.members: list[set[int]] = [set() for _ in range(self.nslots)]
        self.trail: list[tuple[int, int]] = []
        self.budget = 10  # search nodes per chain: measured best, the plateau walk does the rest
        self.trade = 0.2  # share of break moves that change which meetings are held (measured)
        self.patience = 1.0  # stop after this many times the time to the last gain
        self.fairness = index.problem.fairness
        self._line = self._lines(starts)
        mnum = {m: i for i, m in enumerate(self.mids)}
        for mid, o in state.placed.items():
            self.move(mnum[mid], pos[o.start])
        self.trail.clear()

    def _lines(self, starts: list[int]) -> list[tuple[int, int]]:
        """(day, position on the day's timeline) of each slot: lunch is not idle time."""
        problem = self.index.problem
        where: dict[int, tuple[int, int]] = {}
        for d in range(len(problem.calendar.days)):
            for i, g in enumerate(timeline(problem, d)):
                where[g] = (d, i)
        return [where[g] for g in starts]

    # --- moves -------------------------------------------------------------------------

    def move(self, m: int, k: int) -> None:
        """Put meeting m in slot k (FREE: unplace it); recorded on the trail."""
        old = self.slot[m]
        if old == k:
            return
        a, b = self.ends[m]
        if old != FREE:
            self.at[a][old] = self.at[b][old] = FREE
            self.members[old].discard(m)
        if k != FREE:
            self.at[a][k] = self.at[b][k] = m
            self.members[k].add(m)
        self.slot[m] = k
        self.trail.append((m, old))

    def undo(self, mark: int) -> None:
        while len(self.trail) > mark:
            m, old = self.trail.pop()
            self.move(m, old)
            self.trail.pop()

    def held(self) -> int:
        return sum(w for w, s in zip(self.weight, self.slot, strict=True) if s != FREE)

    def full(self, k: int) -> bool:
        return self.cap is not None and len(self.members[k]) >= self.cap

    # --- more meetings: ejection chains ------------------------------------------------

    def augment(self, m: int, budget: int = 400, depth: int = 24) -> bool:
        """Place unplaced meeting m, moving others along an ejection chain; False: unchanged."""
        self._nodes = budget
        mark = len(self.trail)
        if self._place(m, {m}, depth):
            return True
        self.undo(mark)
        return False

    def _place(self, h: int, tabu: set[int], depth: int) -> bool:
        self._nodes -= 1
        a, b = self.ends[h]
        at_a, at_b = self.at[a], self.at[b]
        chains: list[tuple[int, int, tuple[int, ...]]] = []
        for k in self.allowed[h]:
            ca, cb = at_a[k], at_b[k]
            if ca == FREE and cb == FREE:
                if not self.full(k):
                    self.move(h, k)
                    return True
                chains.append((1, k, ()))
            elif ca in tabu or cb in tabu:
                continue
            else:
                conf = tuple(c for c in {ca, cb} if c != FREE)
                chains.append((len(conf), k, conf))
        if depth <= 0 or self._nodes <= 0:
            return False
        self.rng.shuffle(chains)
        chains.sort(key=lambda c: c[0])
        for _, k, conf in chains:
            if self._nodes <= 0:
                return False
            if not conf:  # tables full: evict someone else's meeting from slot k
                others = [c for c in self.members[k] if c not in tabu]
                if not others:
                    continue
                conf = (self.rng.choice(others),)
            mark = len(self.trail)
            for c in conf:
                self.move(c, FREE)
                tabu.add(c)
            self.move(h, k)
            if all(self._place(c, tabu, depth - 1) for c in conf):
                return True
            self.undo(mark)
            tabu.difference_update(conf)
        return False

    def swap_in(self, m: int, keep: set[int]) -> int | None:
        """Plateau move: place m in a slot by unplacing one meeting of no more weight."""
        a, b = self.ends[m]
        picks = []
        for k in self.allowed[m]:
            conf = {self.at[a][k], self.at[b][k]} - {FREE}
            if len(conf) == 1:
                (c,) = conf
                if c not in keep and not self.required[c] and self.weight[c] <= self.weight[m]:
                    picks.append((k, c))
            elif not conf and self.full(k):
                others = [c for c in self.members[k] if c not in keep and not self.required[c]]
                others = [c for c in others if self.weight[c] <= self.weight[m]]
                if others:
                    picks.append((k, self.rng.choice(others)))
        if not picks:
            return None
        k, c = self.rng.choice(picks)
        self.move(c, FREE)
        self.move(m, k)
        return c

    def improve_held(
        self,
        until: float,
        bound: float = float("inf"),
        stop: Callable[[], bool] | None = None,
        report: Callable[[], None] | None = None,
    ) -> None:
        """Rounds of ejection chains on every unplaced meeting (heaviest first), each round
        followed by a walk on the plateau: random unplaced meetings swap in for one of their
        conflicts, which then try a chain. Ends at the bound, at ``until``, or when a stretch
        as long as all the rounds before it brought nothing."""
        t0 = time.monotonic()
        best, best_at = self.held(), t0
        best_slots = list(self.slot)
        recent: list[int] = []
        while best < bound and not (stop and stop()):
            now = time.monotonic()
            idle = now - best_at > self.patience * max(2.0, best_at - t0)
            if now >= until or (idle and now - t0 > 5.0):
                break
            unplaced = [m for m, k in enumerate(self.slot) if k == FREE]
            if not unplaced:
                break
            self.rng.shuffle(unplaced)
            unplaced.sort(key=lambda m: (not self.required[m], -self.weight[m]))
            for m in unplaced:
                self.augment(m, self.budget)
            for m in unplaced:
                if self.slot[m] != FREE:
                    continue
                c = self.swap_in(m, set(recent))
                if c is not None:
                    recent = [*recent[-TABU:], m]
                    self.augment(c, self.budget)
            self.trail.clear()
            held = self.held()
            if held > best:
                best, best_at, best_slots = held, time.monotonic(), list(self.slot)
                if report:
                    report()
        if self.held() < best:
            self.restore(best_slots)
        self.trail.clear()

    def restore(self, slots: list[int]) -> None:
        for m, k in enumerate(self.slot):
            if k != FREE and slots[m] != k:
                self.move(m, FREE)
        for m, k in enumerate(slots):
            if k != FREE:
                self.move(m, k)

    # --- fewer breaks at the same meetings: moves and Kempe interchanges ------------------

    def breaks_of(self, p: int) -> int:
        """Idle gaps between consecutive meetings of participant p on a day."""
        n, last = 0, None
        line = self._line
        for k, m in enumerate(self.at[p]):
            if m == FREE:
                continue
            if last is not None and line[k][0] == last[0] and line[k][1] - last[1] > 1:
                n += 1
            last = line[k]
        return n

    def breaks(self) -> int:
        return sum(self.breaks_of(p) for p in range(len(self.pids)))

    def kempe(self, m: int, k2: int) -> list[int] | None:
        """The meetings of m's component in the subgraph of slots (slot of m, k2): swapping
        their two slots keeps every participant's meetings apart. None when a meeting of
        the component is not allowed in its other slot or the tables would overflow."""
        k1 = self.slot[m]
        comp, seen = [m], {m}
        i = 0
        while i < len(comp):
            c = comp[i]
            i += 1
            other = k2 if self.slot[c] == k1 else k1
            if other not in self.options[c]:
                return None
            for p in self.ends[c]:
                n = self.at[p][other]
                if n != FREE and n not in seen:
                    seen.add(n)
                    comp.append(n)
        if self.cap is not None:
            shift = sum(1 if self.slot[c] == k1 else -1 for c in comp)
            if len(self.members[k2]) + shift > self.cap or len(self.members[k1]) - shift > self.cap:
                return None
        return comp

    def interchange(self, comp: list[int], k1: int, k2: int) -> None:
        moves = [(c, k2 if self.slot[c] == k1 else k1) for c in comp]
        for c, _ in moves:
            self.move(c, FREE)
        for c, k in moves:
            self.move(c, k)

    def tally(self) -> Tally[int]:
        """Breaks of every participant of a requested meeting (whom ``validate`` counts)."""
        counted = {p for ends in self.ends for p in ends}
        return Tally({p: self.breaks_of(p) for p in sorted(counted)}, self.fairness)

    def improve_breaks(
        self,
        until: float,
        stop: Callable[[], bool] | None = None,
        report: Callable[[], None] | None = None,
    ) -> Tally[int]:
        """Random Kempe interchanges (a lone meeting moving to a free slot is the smallest),
        kept when the participants whose day changes make (excess, total) no worse; while
        anyone is over the fairness bound, half the moves start at one of their meetings,
        and meetings are left out where nothing else makes the plan fair (``_unfair``)."""
        tally = self.tally()
        placed = [m for m, k in enumerate(self.slot) if k != FREE]
        unplaced = [m for m, k in enumerate(self.slot) if k == FREE]
        if not placed:
            return tally
        t0 = last_fair = time.monotonic()
        best, best_slots = self._key(tally), list(self.slot)
        batch = 0
        while not (stop and stop()) and time.monotonic() < until:
            batch += 1
            unfair: list[int] = []
            if tally.d is not None and (tally.excess() or batch % 10 == 0):
                now = time.monotonic()
                stuck = now - last_fair > 0.1 * (until - t0)
                late = now > t0 + 0.7 * (until - t0)  # time left to hold some meetings again
                again = unplaced if batch % 10 == 0 else []
                changed, shed = self._unfair(tally, again, stuck, late)
                if changed:
                    placed = [m for m, k in enumerate(self.slot) if k != FREE]
                    unplaced = [m for m, k in enumerate(self.slot) if k == FREE]
                if shed:
                    best, best_slots = self._key(tally), list(self.slot)
                unfair = [m for p in tally.over() for m in self.at[p] if m != FREE]
            for _ in range(200):
                if unplaced and self.rng.random() < self.trade:
                    self._trade(unplaced, placed, tally)
                    continue
                pool = unfair if unfair and self.rng.random() < 0.5 else placed
                m = self.rng.choice(pool)
                k1 = self.slot[m]
                k2 = self.rng.choice(self.allowed[m])
                if k1 == FREE or k2 == k1:
                    continue
                comp = self.kempe(m, k2)
                if comp is None:
                    continue
                ends = [p for c in comp for p in self.ends[c]]
                touched = {p for p in ends if ends.count(p) == 1} if len(comp) > 1 else set(ends)
                mark = len(self.trail)
                self.interchange(comp, k1, k2)
                if not tally.keep({p: self.breaks_of(p) for p in touched}):
                    self.undo(mark)
            self.trail.clear()
            key = self._key(tally)
            if key < best:
                if key[0] < best[0]:
                    last_fair = time.monotonic()
                best, best_slots = key, list(self.slot)
                if report:
                    report()
        if self._key(tally) > best:
            self.restore(best_slots)
            tally = self.tally()
        self.trail.clear()
        return tally

    def _key(self, tally: Tally[int]) -> tuple[int, int, int]:
        """What the break phase lowers: only a fairness bound makes it change meetings."""
        held = self.held() if tally.d is not None else 0
        return tally.excess(), -held, tally.total

    # --- fairness: hooks, see fairness.FairSlots -----------------------------------------

    def _unfair(
        self, tally: Tally[int], unplaced: list[int], stuck: bool, late: bool
    ) -> tuple[bool, bool]:
        """Meetings left out or held again for a fairness bound: (changed, some had to go)."""
        return False, False

    def _overfull(self, u: int, tally: Tally[int], more: int = 0) -> bool:
        """Would holding u leave someone more meetings than the bound lets it keep?"""
        return False

    def _trade(self, unplaced: list[int], placed: list[int], tally: Tally[int]) -> None:
        """An unplaced meeting takes the slot of a placed one of its participants (same
        weight, not a must-have), kept when (excess, total) does not rise."""
        i = self.rng.randrange(len(unplaced))
        u = unplaced[i]
        if self.slot[u] != FREE:
            return
        mark = len(self.trail)
        c = self.swap_in(u, set())
        if c is None:
            return
        if self.weight[c] != self.weight[u] or self._overfull(u, tally):
            self.undo(mark)
            return
        touched = {*self.ends[u], *self.ends[c]}
        if not tally.keep({p: self.breaks_of(p) for p in touched}):
            self.undo(mark)
            return
        unplaced[i] = c
        placed[placed.index(c)] = u

    def to_state(self, state: State) -> None:
        """Make the greedy's State hold this plan (meetings that would not fit are left out)."""
        want = {self.mids[m]: self.options[m][k] for m, k in enumerate(self.slot) if k != FREE}
        for mid in [m for m, o in state.placed.items() if want.get(m) != o]:
            state.remove(mid)
        for mid, o in want.items():
            if mid not in state.placed and state.fits(mid, o):
                state.place(mid, o)
