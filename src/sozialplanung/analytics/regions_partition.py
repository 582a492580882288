"""Exact p-regions as set partitioning over connected regions: column generation, then a proof.

The compact model of :mod:`.regions_exact` has a weak linear relaxation (its root bound stays
3-19 % below the optimum on the demo county for p = 5-8), so HiGHS's branch-and-bound cannot
close the gap in a minute. Written over *columns* - a connected region R within the population
bounds together with its centre area j, costing :math:`\\sum_{i \\in R} d_{ij}` - the same
p-median problem reads

.. math:: \\min \\sum_k c_k \\lambda_k \\quad \\text{s.t.} \\quad \\sum_{k \\ni i} \\lambda_k = 1
   \\; \\forall i, \\quad \\sum_k \\lambda_k = p, \\quad \\lambda_k \\in \\{0, 1\\},

whose relaxation is within about 1 % of the optimum there (Mehrotra, Johnson & Nemhauser
1998, "An optimization based heuristic for political districting", *Management Science*
44(8), 1100-1114, solved districting this way). Contiguity, bounds, must-link (areas merged
into units) and cannot-link live inside the columns, so the master problem is tiny.

1. **Column generation.** The relaxation is solved over a growing set of columns; the dual
   prices :math:`\\pi_i, \\mu` of the current one ask, per centre j, for the region of least
   reduced cost :math:`\\sum_{i \\in R} (d_{ij} - \\pi_i) - \\mu`. A cheap descent from the
   master's columns (:func:`.regions_columns.improve_set`) answers first; only when it finds
   nothing does the exact bounded search of :mod:`.regions_columns` run, at prices smoothed
   towards those of the best bound (Wentges 1997, *Int. Trans. Operational Research* 4(2),
   151-162), with a weight that follows the bound's subgradient and falls after mispricings
   (Pessoa, Sadykov, Uchoa & Vanderbeck 2018, *INFORMS J. Computing* 30(2), 339-360). The
   first prices are the duals of the compact model's LP after a few rounds of separator cuts
   (:meth:`.regions_exact.ExactRegions.root`): they start the bound where that LP ends
   instead of near zero. The searches live in :mod:`.regions_pricing`.
2. **Bound.** For any prices, :math:`L = \\sum_i \\pi_i + p\\mu + ` the sum of the p least
   per-centre minima of the reduced cost (each centre serves one region) is a lower bound on
   the optimum (Lagrangian relaxation of the partition rows). Only the p least minima count,
   so the centres that were cheapest last round are searched first and the others only below
   the p-th least minimum found. Once the minima found show that a round's bound cannot beat
   the best one (at the master's own prices it often lies far below), the centres still to
   come are searched briefly, for columns only.
3. **Proof by enumeration.** With an upper bound U (the heuristic's partition, or the integer
   master over the columns generated), a region of centre c can belong to a solution cheaper
   than U only if its reduced cost is at most :math:`U - L + \\min(m_c, m_{(p)})`, where
   :math:`m_c` is c's minimum and :math:`m_{(p)}` the p-th least minimum. All such columns are
   enumerated; of those covering the same areas only the cheapest stays, the relaxation over
   them drops those whose reduced cost exceeds U minus its value, and the integer master over
   the rest is solved by HiGHS: its optimum is the optimum
   (the "reduced cost column fixing" of Baldacci, Christofides & Mingozzi 2008, *Math.
   Programming* 115, 351-385). This is tried on the way, whenever the bound has closed 30 %
   of the gap left at the last attempt, with a step budget of sixteen pricing rounds (and
   each centre sixteen times its own steps there: the first that needs more ends it). When
   too many columns qualify, the final proof tries a smaller threshold :math:`\\Delta < U - L`:
   a solution found within :math:`L + \\Delta` is proven optimal just the same, and if there is
   none, :math:`L + \\Delta` is a lower bound; it keeps narrowing such levels between the
   highest one proven empty and the lowest one found crowded. The cheapest columns of a
   crowded level join the integer master over the generated ones: a better U may be there.
4. **Cuts.** Once the master's value has stood still for STALL_ROUNDS exact rounds (or its
   relaxation is solved), the subset-row cuts its solution breaks are added
   (:mod:`.regions_subset_rows`): of any three areas, at most one region holds two. Their
   prices charge the column search for each cut a region holds two areas of, and enter the
   bound as :math:`\\sum_k \\sigma_k`. The enumeration prices columns the same way.

Measured on the 59 municipalities of the demo county (floor 8,000, 2 threads, 60 s, the
heuristic's partition as start; ``benchmarks/regionalisation.py`` on 5952ab1): p = 4-8 are
proven optimal in 4.9, 4.9, 12.0, 33.0 and 23.6 s (p = 7 in 20-22 s on other runs); with
the administrative associations kept together, p = 4-8 in 2-4 s. Without cuts the
relaxation leaves a gap that no amount of time closes: for p = 8 its value is 37.4211 and
nothing costs 37.9953 or less (18,643 columns within 0.57 of it, integer master empty),
while the optimum costs 39.7178. Three or four rounds of cuts close that gap for p = 6-8.
That fits in the minute since the column search branches on its heaviest candidate and
pays cut rebates per reach level (:mod:`.regions_columns`; its steps fell 20-30-fold), the
relaxations run without presolve, an attempt on the way may search sixteen rounds' steps,
and the integer masters that can only lower U first drop the columns no cheaper partition
can hold. Of a 60-s run for p = 8 (22-28 s), the pricing rounds take 7-9 s, the relaxations
4-7 s, the enumerations 4-5 s and the integer masters 2-3 s, after 1.8 s of heuristic start
and 3 s of root cut rounds.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from sozialplanung.analytics.regions import RegionProblem, medoid
from sozialplanung.analytics.regions_exact import ExactRegions, RegionSolveError
from sozialplanung.analytics.regions_master import (
    Columns,
    Master,
    fix_by_reduced_cost,
    solve_master,
)
from sozialplanung.analytics.regions_pricing import GENERATION_STEPS, Bound, Pricing
from sozialplanung.analytics.regions_subset_rows import separate

SMOOTHING = 0.8  # Wentges: first weight of the best-bound prices in the prices searched with
ENUMERATION_LIMIT = 2_000_000  # never more columns than this in one integer master
ATTEMPT_LIMIT = 50_000  # nor in one on the way
GENERATION_SHARE = 0.85  # share of the time for column generation; the proof gets the rest
ROOT_SHARE = 0.05  # share of the time for the compact model's cut rounds (the first prices)
ATTEMPT_RATIO = 0.7  # a new attempt on the way once U - L is this share of the last one's
ATTEMPT_STEPS = 16  # an attempt on the way may search this many times the bound's pricing
ATTEMPT_SHARE = 0.05  # at most this share of the time for one integer master on the way
FINEST_LEVEL_STEP = 0.05  # the proof stops when the next level is within this share of U - L
CUTS_PER_ROUND = 50  # subset-row cuts added at once, the most violated first
PROMISING_COLUMNS = 5_000  # of a crowded enumeration, the cheapest, tried in the integer master
PROMISING_SHARE = 0.1  # of the time left for that integer master
STALL_ROUNDS = 3  # cuts are added once the master's value has not moved for this many rounds


@dataclass
class Round:
    """The state after one exact pricing round: best bound, master value, relaxation solved."""

    bound: Bound
    master: Master
    solved: bool
    converged: bool = False  # the master's value stood still (or it was solved): cuts added

    @property
    def lp_value(self) -> float:
        return self.master.value


@dataclass
class Incumbent:
    """The best partition known: its cost and its columns among ``columns``."""

    cost: float
    columns: Columns
    chosen: np.ndarray


@dataclass
class PartitionResult:
    labels: np.ndarray
    centres: np.ndarray
    objective: float
    bound: float
    status: str  # "optimal" or "time_limit"
    log: dict = field(default_factory=dict)


class PartitionSolver(Pricing):
    """Column generation and enumeration for one p-regions problem (see module docstring)."""

    def __init__(self, problem: RegionProblem, p: int, threads: int = 2) -> None:
        super().__init__(problem, p, threads)
        # trace: (seconds, master value, best bound) per exact round; attempts: see _prove
        self.log: dict = {"rounds": 0, "trace": [], "attempts": []}
        self.best: Incumbent | None = None
        self.lower = -math.inf  # proven by an enumeration that found nothing below it
        # (bound, level): the cost level whose columns were too many at that bound
        self.crowded = (-math.inf, math.inf)
        self.begin = time.perf_counter()

    # -- generation ------------------------------------------------------------------------
    def generate(self, deadline: float, start: np.ndarray | None = None) -> Iterator[Round]:
        """Column generation until the master's relaxation is solved (or time is up).

        Each round first asks the cheap descent of :meth:`_improve` for columns; only when it
        finds none does the exact search run, at prices between the best bound's and the
        master's (Wentges smoothing; ``start`` prices are searched with first). Yields after
        every exact round, so the caller can try a proof on the way.
        """
        n, p = self.problem.n, self.p
        best = None if start is None else self._price(start, start, deadline)[1]
        alpha, mispriced, smoothing = SMOOTHING, 0, SMOOTHING
        values: list[float] = []  # of the master after each exact round since the last cuts
        exact_next = False
        while time.perf_counter() < deadline:
            self.log["rounds"] += 1
            master = solve_master(
                self.columns,
                n,
                p,
                False,
                self.threads,
                deadline - time.perf_counter(),
                artificial=None if self.best else self._artificial_cost(),
                cuts=self.cuts.coefficients(self.columns, n) if len(self.cuts) else None,
            )
            if self._improve(master):
                continue
            search = master.duals
            if best is not None and alpha > 0:
                search = alpha * self._padded(best.prices) + (1 - alpha) * master.duals
            # (after a cut-short round that found nothing, a full one: else the same again)
            beat = -math.inf if best is None or exact_next else best.value
            added, bound = self._price(master.duals, search, deadline, beat)
            complete = math.isfinite(bound.value)  # every centre searched to its end
            exact_next = not added and not complete
            if best is not None and complete:
                # Pessoa et al. 2018: smooth less while the bound rises towards the master's
                # prices, more when it falls away from them (a round cut short has not found
                # each centre's least column, so it tells no direction).
                if self._padded(bound.subgradient) @ (master.duals - search) > 0:
                    smoothing = max(0.0, smoothing - 0.1)
                else:
                    smoothing = min(0.99, smoothing + 0.1 * (1 - smoothing))
            improved = best is None or bound.value > best.value + 1e-9
            if improved:
                best = bound
            seconds = round(time.perf_counter() - self.begin, 1)
            self.log["trace"].append((seconds, round(master.value, 4), round(best.value, 4)))
            solved = master.value - best.value <= 1e-7 * max(1.0, abs(master.value))
            solved = solved or (not added and alpha == 0 and complete)
            values.append(master.value)
            stalled = len(values) > STALL_ROUNDS and values[-STALL_ROUNDS - 1] - values[-1] <= (
                1e-6 * max(1.0, abs(values[-1]))
            )
            if (solved or stalled) and self._cut(master):
                yield Round(best, master, False, converged=True)
                alpha, mispriced, smoothing, values = SMOOTHING, 0, SMOOTHING, []
                continue
            yield Round(best, master, solved)
            if solved:
                return
            # After k mispricings in a row (nothing new), search closer to the master's own
            # prices: alpha = 1 - (k + 1)(1 - a), reaching them after a few (Pessoa et al.);
            # with k = 0 this is a itself.
            mispriced = 0 if added else mispriced + 1
            alpha = max(0.0, 1.0 - (mispriced + 1) * (1.0 - smoothing))

    def _cut(self, master: Master) -> bool:
        """Add the subset-row cuts the relaxation's solution breaks; whether there were any.

        Nothing is cut once the relaxation cannot beat the best partition known: that proves it.
        """
        if master.value >= self.upper - 1e-9 * max(1.0, abs(self.upper)):
            return False
        real = master.chosen < len(self.columns.members)
        members = [self.columns.members[k] for k in master.chosen[real]]
        found = separate(members, master.values[real], self.problem.n, self.cuts, CUTS_PER_ROUND)
        if not len(found):
            return False
        self.cuts.add(found)
        self.log.setdefault("cuts", []).append(len(found))  # per round of separation
        return True

    def _artificial_cost(self) -> float:
        return 10.0 * (float(self.distance.sum()) + 1.0)

    # -- proof -----------------------------------------------------------------------------
    def labels_of(self, columns: Columns, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Area labels (numbered by lowest area) and centres of the chosen columns."""
        order = sorted(chosen.tolist(), key=lambda k: columns.members[k].min())
        labels = np.empty(self.problem.n, dtype=int)
        for r, k in enumerate(order):
            labels[columns.members[k]] = r
        return labels, np.array([columns.centres[k] for k in order])

    def add_partition(self, columns: Columns, labels: np.ndarray) -> Incumbent:
        """Add a partition's regions, with their medoids as centres, to ``columns``."""
        z, chosen, total = self.problem.standardised, [], 0.0
        for r in range(int(labels.max()) + 1):
            areas = np.flatnonzero(labels == r)
            centre = int(areas[medoid(z, areas)[0]])
            cost = float(self.distance[areas, centre].sum())
            columns.add(centre, areas, cost)
            chosen.append(columns.find(centre, areas))
            total += cost
        return Incumbent(total, columns, np.array(chosen))

    # -- the whole solve -------------------------------------------------------------------
    def solve(self, incumbent: np.ndarray | None, time_limit: float) -> PartitionResult:
        """Generate columns, trying the proof on the way; best known partition on time-out.

        The compact model's cut rounds (:meth:`.regions_exact.ExactRegions.root`) give the
        first prices. After an exact round whose bound has closed 30 % of the gap left at the
        last attempt, the integer master over the generated columns may lower U and the proof is
        tried with about two rounds' search steps; once the relaxation is solved (or its share
        of the time is used) the proof may use all the time left, as many steps as the pricing
        rounds' measured speed allows, so the limit holds up to the difference in speed between
        the two searches.
        """
        begin = self.begin = time.perf_counter()
        deadline = begin + time_limit
        if incumbent is not None:
            self.best = self.add_partition(self.columns, incumbent)
        exact = ExactRegions(self.problem)
        root = exact.root(self.p, begin + ROOT_SHARE * time_limit, self.threads, self.upper)
        bound, proven, tried = None, False, math.inf
        searched = 0  # columns the integer master has seen
        for state in self.generate(begin + GENERATION_SHARE * time_limit, root.prices):
            bound = state.bound
            if state.lp_value < self.upper - 1e-9 and len(self.columns.costs) > 1.2 * searched:
                searched = len(self.columns.costs)
                self._integer_master(self.columns, deadline, ATTEMPT_SHARE * time_limit)
            # (cuts added trigger a try too, but not one at the same gap as the last)
            due = state.converged and self.upper - bound.value < tried
            if state.solved or due or self.upper - bound.value <= ATTEMPT_RATIO * tried:
                tried = self.upper - bound.value
                proven = self._prove(bound, deadline, not state.solved)
                if proven or state.solved:
                    break
        if not proven and bound is not None and time.perf_counter() < deadline:
            proven = self._prove(bound, deadline, False)
        if self.best is None:
            raise RegionSolveError(
                "Zeitlimit erreicht, bevor eine zulässige Einteilung gefunden wurde; "
                "Zeitlimit erhöhen oder Bedingungen lockern."
            )
        labels, centres = self.labels_of(self.best.columns, self.best.chosen)
        self.log["seconds"] = time.perf_counter() - begin
        return PartitionResult(
            labels,
            centres,
            self.upper,
            self.upper if proven else max(bound.value if bound else -math.inf, self.lower),
            "optimal" if proven else "time_limit",
            self.log,
        )

    @property
    def upper(self) -> float:
        return math.inf if self.best is None else self.best.cost

    def _closed(self, lower: float) -> bool:
        upper = self.upper
        return math.isfinite(upper) and upper - lower <= 1e-9 * max(1.0, abs(upper))

    def _integer_master(
        self, columns: Columns, deadline: float, seconds: float, fix: bool = True
    ) -> Master | None:
        """Solve the integer master over ``columns``; keep its partition if it beats U.

        Only a partition cheaper than U is of use, so the columns that cannot be in one go
        first (:func:`.regions_master.fix_by_reduced_cost`, unless ``fix`` is False because
        the caller did so): on the pools of a crowded enumeration (p = 7 and 8 on the demo
        county, 7,500-8,500 columns) the integer master then took 0.2-1.1 s instead of
        1.1-2.6 s, with the same optimum. Its regions join the generated columns too: the
        relaxation then always holds a partition, which it needs once the artificial columns
        are gone.
        """
        n, p = self.problem.n, self.p
        until = min(deadline, time.perf_counter() + seconds)  # (the fixing's time counts too)
        if fix and self.best is not None:  # (U's columns are among them: they stay)
            left = until - time.perf_counter()
            fixed = fix_by_reduced_cost(columns, n, p, self.upper, self.threads, left)
            columns = columns if fixed is None else fixed
        found = solve_master(columns, n, p, True, self.threads, until - time.perf_counter())
        if found is not None and found.value < self.upper:
            self.best = Incumbent(found.value, columns, found.chosen)
            self.columns.add_from(columns, found.chosen)
        return found

    def _promising(self, found: Columns, deadline: float) -> None:
        """Solve the integer master over the generated columns and ``found``: those of least
        reduced cost that a crowded enumeration found.

        Column generation brings the columns the relaxation needs; the best partition may
        need others, and a crowded level's cheapest are the likeliest.
        """
        pool = Columns().add_from(self.columns, range(len(self.columns.costs)))
        pool.add_from(found, range(len(found.costs)))  # (U's regions are generated ones)
        left = deadline - time.perf_counter()
        self._integer_master(pool, deadline, PROMISING_SHARE * left)

    def _prove(self, bound: Bound, deadline: float, attempt: bool) -> bool:
        """Enumerate the columns that can beat U and solve the integer master over them.

        The proof tries cost levels between the lower bound and U, first U itself. When a
        level has too many columns (it is crowded), the next try goes a quarter of the way up
        from the lower bound; when the integer master finds nothing up to a level, that level
        becomes the lower bound and the next try goes halfway up to the crowded one. A later
        call at the same bound starts halfway too instead of repeating a level that a full
        search found crowded (at a higher bound that level has fewer columns, so it starts
        at U again). An ``attempt`` on the way gets ATTEMPT_STEPS times the bound's pricing
        steps, each centre that many times its own (plus GENERATION_STEPS): the centres that
        searched longest go first, and when one of them runs out the level is crowded, found
        so after a fraction of the budget. Sixteen times, not two: the level that proves
        p = 7 on the demo county (2,000-6,000 columns) was found crowded by a budget of two
        at 29 s and proven at 41 s; with sixteen, p = 6 was proven in 17 and 24 s (two runs),
        p = 7 in 23-29 s and p = 8 in 31-33 s (three runs), with two in 33-34, 44-47 and
        37-38 s. An attempt
        stops at its first level, crowded or empty: a lower level would only raise
        the lower bound by less than the next pricing rounds do (on the demo county, p = 6,
        such tries took 14 s of a 60-s run). Otherwise each level may use half the time left,
        so that a crowded one leaves time for a lower one, until the step up to the next
        level is below FINEST_LEVEL_STEP of U - L. The first crowded level's cheapest columns
        go to :meth:`_promising`: they may hold a better partition.
        """
        low = max(self.lower, bound.value)
        if self._closed(low):
            return True
        if not math.isfinite(bound.value):  # no pricing round has finished: nothing to fix by
            return False
        high, crowded = self.upper, self.crowded[0] >= bound.value and low < self.crowded[1]
        if crowded:
            high = min(high, self.crowded[1])
        step = 1 / 2  # of the way from the lower bound to the crowded level
        promising_tried = False
        while True:
            level = low + (high - low) * step if crowded else high
            start = time.perf_counter()
            if start >= deadline or level - low < FINEST_LEVEL_STEP * (self.upper - bound.value):
                return False
            delta = level - bound.value
            seconds = (deadline - start) / 2  # the rest for a lower level if this is crowded
            budget, caps = self.steps_per_second * seconds, None
            if attempt:  # (but never past the deadline: rounds with cut prices are long)
                budget = min(ATTEMPT_STEPS * bound.steps.sum(), budget)
                caps = ATTEMPT_STEPS * bound.steps + GENERATION_STEPS
            most = ATTEMPT_LIMIT if attempt else ENUMERATION_LIMIT
            enumerated, complete = self.enumerate(
                bound, delta, most, budget, PROMISING_COLUMNS, caps, deadline
            )
            # (when, how long, threshold, columns enumerated or None)
            self.log["attempts"].append(
                (
                    round(start - self.begin, 1),
                    round(time.perf_counter() - start, 1),
                    round(delta, 4),
                    len(enumerated.costs) if complete else None,
                )
            )
            if not complete:
                if not promising_tried:  # (a lower level's would be the same)
                    promising_tried = True
                    self._promising(enumerated, deadline)
                # (an attempt's budget is too small to tell whether the level is crowded)
                if attempt or not math.isfinite(level):
                    return False
                high, crowded, step = level, True, 1 / 4
                self.crowded = (bound.value, level)
                continue
            self.log["enumerated"] = len(enumerated.costs)
            left = deadline - time.perf_counter()
            within = min(self.upper, level)  # the cost this try can prove
            n, p = self.problem.n, self.p
            kept = fix_by_reduced_cost(enumerated, n, p, within, self.threads, left)
            if kept is None:  # relaxation not solved in time: nothing fixed
                kept = enumerated
            self.log["kept"] = len(kept.costs)
            if self.best is not None:  # so that the integer master has a solution at U
                kept.add_from(self.best.columns, self.best.chosen)
            found = self._integer_master(kept, deadline, math.inf, fix=False)
            if found is None or not found.optimal:
                return False
            if found.value <= within + 1e-9:
                return True
            # every partition costing at most ``within`` was there: none exists
            self.lower = low = max(self.lower, within)
            if attempt:
                return False
            high, step = min(self.upper, high), 1 / 2
