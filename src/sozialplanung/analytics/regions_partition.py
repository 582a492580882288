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
   reduced cost :math:`\\sum_{i \\in R} (d_{ij} - \\pi_i) - \\mu`, found by the bounded
   search of :mod:`.regions_columns`. Dual prices are smoothed towards those of the best
   bound (Wentges 1997, *Int. Trans. Operational Research* 4(2), 151-162).
2. **Bound.** For any prices, :math:`L = \\sum_i \\pi_i + p\\mu + ` the sum of the p least
   per-centre minima of the reduced cost (each centre serves one region) is a lower bound on
   the optimum (Lagrangian relaxation of the partition rows).
3. **Proof by enumeration.** With an upper bound U (the heuristic's partition, or the integer
   master over the columns generated), a region of centre c can belong to a solution cheaper
   than U only if its reduced cost is at most :math:`U - L + \\min(m_c, m_{(p)})`, where
   :math:`m_c` is c's minimum and :math:`m_{(p)}` the p-th least minimum. All such columns are
   enumerated and the integer master over them is solved by HiGHS: its optimum is the optimum
   (the "reduced cost column fixing" of Baldacci, Christofides & Mingozzi 2008, *Math.
   Programming* 115, 351-385). When that set would be too large, a smaller threshold
   :math:`\\Delta < U - L` is tried: a solution found within :math:`L + \\Delta` is proven
   optimal just the same.

Measured on the 59 municipalities of the demo county (floor 8,000, 2 threads, 60 s):
p = 5 is proven optimal in 54 s with the heuristic's partition as start (30 rounds to solve
the relaxation, then 54 columns to enumerate); stopping the rounds after 20 s (bound 36.79
of 37.635) and enumerating 29,864 columns took 29 s. For p = 6-8 a round takes about 4 s and
the bound rises slowly (p = 6: 35.15 after 43 s against the heuristic's 39.34), so the
threshold admits too many columns; this solver is therefore not yet what
:class:`.regions_exact.ExactRegions` runs.
"""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import highspy
import numpy as np
from scipy import sparse

from sozialplanung.analytics.highs import new_highs
from sozialplanung.analytics.regions import RegionProblem, medoid
from sozialplanung.analytics.regions_columns import connected_sets
from sozialplanung.analytics.regions_exact import RegionSolveError

SMOOTHING = 0.8  # Wentges: weight of the best-bound prices in the prices searched with
ENUMERATION_LIMIT = 2_000_000  # never more columns than this in one integer master
GENERATION_SHARE = 0.7  # share of the time for column generation; the proof gets the rest


@dataclass
class Units:
    """Areas merged into must-link units, with the unit graph the column search walks."""

    of_area: np.ndarray  # unit of each area
    population: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    conflict_indptr: np.ndarray
    conflict_indices: np.ndarray
    areas: list[np.ndarray] = field(default_factory=list)

    @classmethod
    def of(cls, problem: RegionProblem) -> Units:
        of_area = problem.must_link_groups
        count = int(of_area.max()) + 1
        population = np.bincount(of_area, weights=problem.population, minlength=count)
        edges = of_area[problem.edges] if len(problem.edges) else np.empty((0, 2), int)
        # RegionProblem already rejects a cannot-link pair inside one must-link group.
        conflicts = of_area[np.asarray(problem.cannot_link, dtype=int).reshape(-1, 2)]
        return cls(
            of_area,
            population,
            *_csr(count, edges[edges[:, 0] != edges[:, 1]]),
            *_csr(count, conflicts),
            [np.flatnonzero(of_area == u) for u in range(count)],
        )


def _csr(count: int, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric adjacency lists (deduplicated) as CSR index arrays."""
    pairs = np.unique(np.sort(pairs, axis=1), axis=0) if len(pairs) else pairs.reshape(0, 2)
    both = np.r_[pairs, pairs[:, ::-1]]
    matrix = sparse.csr_matrix((np.ones(len(both)), (both[:, 0], both[:, 1])), shape=(count, count))
    matrix.sort_indices()
    return matrix.indptr.astype(np.int64), matrix.indices.astype(np.int64)


@dataclass
class Columns:
    """The generated regions: centre area and member areas of each, with its cost."""

    centres: list[int] = field(default_factory=list)
    members: list[np.ndarray] = field(default_factory=list)
    costs: list[float] = field(default_factory=list)
    seen: set = field(default_factory=set)

    def add(self, centre: int, areas: np.ndarray, cost: float) -> bool:
        key = (centre, areas.tobytes())
        if key in self.seen:
            return False
        self.seen.add(key)
        self.centres.append(centre)
        self.members.append(areas)
        self.costs.append(cost)
        return True

    def matrix(self, n: int) -> sparse.csc_matrix:
        """Area-by-column incidence, with the count row (all ones) as row n."""
        lengths = np.array([len(m) for m in self.members], dtype=int)
        rows = np.concatenate([*self.members, np.full(len(self.members), n)]).astype(int)
        cols = np.r_[np.repeat(np.arange(len(lengths)), lengths), np.arange(len(lengths))]
        data = np.ones(len(rows))
        return sparse.csc_matrix((data, (rows, cols)), shape=(n + 1, len(lengths)))


@dataclass
class Master:
    """Solution of the set-partitioning master over some columns."""

    value: float
    chosen: np.ndarray  # column indices with positive value
    duals: np.ndarray  # prices of the n area rows and, last, of the count row


def solve_master(
    columns: Columns,
    n: int,
    p: int,
    integer: bool,
    threads: int,
    seconds: float,
    artificial: float | None = None,
) -> Master | None:
    """Solve the master LP or integer program over ``columns``; None if infeasible.

    ``artificial`` adds a slack column of that cost to every row, so the relaxation is
    feasible before any region covers all areas (its prices then steer the first search).
    """
    a = columns.matrix(n)
    costs = np.asarray(columns.costs, dtype=float)
    upper = np.ones(a.shape[1])
    if artificial is not None:
        a = sparse.hstack([a, sparse.identity(n + 1, format="csc")], format="csc")
        costs = np.r_[costs, np.full(n + 1, artificial)]
        upper = np.r_[upper, np.ones(n), p]
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = a.shape[1], n + 1
    lp.col_cost_ = costs
    lp.col_lower_ = np.zeros(a.shape[1])
    lp.col_upper_ = upper
    lp.row_lower_ = lp.row_upper_ = np.r_[np.ones(n), p].astype(float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * a.shape[1]
    h = new_highs()
    h.setOptionValue("threads", threads)
    h.setOptionValue("time_limit", max(seconds, 0.1))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return None
    solution = h.getSolution()
    if integer and h.getInfo().primal_solution_status != 2:
        return None
    x = np.asarray(solution.col_value)
    chosen = np.flatnonzero(x > (0.5 if integer else 1e-9))
    duals = np.zeros(n + 1) if integer else np.asarray(solution.row_dual)
    return Master(float(np.dot(costs[chosen], x[chosen])), chosen, duals)


@dataclass
class Bound:
    """A Lagrangian lower bound with the prices and per-centre minima it came from."""

    value: float
    prices: np.ndarray  # area prices, then the count-row price
    minima: np.ndarray  # lower bound on the least reduced cost of each centre's columns


@dataclass
class PartitionResult:
    labels: np.ndarray
    centres: np.ndarray
    objective: float
    bound: float
    status: str  # "optimal" or "time_limit"
    log: dict = field(default_factory=dict)


class PartitionSolver:
    """Column generation and enumeration for one p-regions problem (see module docstring)."""

    def __init__(self, problem: RegionProblem, p: int, threads: int = 2) -> None:
        self.problem, self.p, self.threads = problem, p, threads
        self.distance = problem.distances
        self.units = Units.of(problem)
        self.columns = Columns()
        self.log: dict = {"rounds": 0}
        self.steps_per_second = 1e6  # of the search over all threads; measured by each round

    # -- columns -------------------------------------------------------------------------
    def _search(self, prices, thresholds, best_only, set_limit, step_limit=-1):
        """Run the column search for every centre; list of (centre, members, weights, complete)."""
        units, n = self.units, self.problem.n
        weights = np.zeros((len(units.population), n))
        np.add.at(weights, units.of_area, self.distance - prices[:n, None])

        def one(centre: int):
            found = connected_sets(
                units.of_area[centre],
                np.ascontiguousarray(weights[:, centre]),
                units.population,
                float(self.problem.floor),
                float(self.problem.ceiling),
                units.indptr,
                units.indices,
                units.conflict_indptr,
                units.conflict_indices,
                float(thresholds[centre]),
                best_only,
                step_limit,
                set_limit,
            )
            return centre, *found

        with ThreadPoolExecutor(self.threads) as pool:
            return list(pool.map(one, range(n)))

    def _column(self, centre: int, units: np.ndarray) -> tuple[np.ndarray, float]:
        """The sorted areas of a found unit set and their p-median cost around ``centre``."""
        areas = np.sort(np.concatenate([self.units.areas[u] for u in units]))
        return areas, float(self.distance[areas, centre].sum())

    @staticmethod
    def _sets(members, starts):
        return [members[starts[k] : starts[k + 1]] for k in range(len(starts) - 1)]

    # -- generation ------------------------------------------------------------------------
    def _price(self, lp_prices, search_prices):
        """One exact pricing round at ``search_prices``: the new columns (those negative at the
        master's prices ``lp_prices``) and the Lagrangian bound of ``search_prices``."""
        n, p = self.problem.n, self.p
        mu = search_prices[-1]
        begin = time.perf_counter()
        found = self._search(search_prices, np.full(n, mu), True, -1)
        steps = sum(int(f[5]) for f in found)
        self.steps_per_second = steps / max(time.perf_counter() - begin, 1e-3)
        added, minima = 0, np.zeros(n)
        for centre, members, starts, weights, _, _ in found:
            if len(weights):
                minima[centre] = min(weights[-1] - mu, 0.0)
            for units in self._sets(members, starts):
                areas, cost = self._column(centre, units)
                if cost - lp_prices[areas].sum() - lp_prices[-1] < -1e-9:
                    added += self.columns.add(centre, areas, cost)
        value = search_prices[:n].sum() + p * mu + np.sort(minima)[:p].sum()
        return added, Bound(float(value), search_prices.copy(), minima)

    def generate(
        self, deadline: float, upper: float, start: np.ndarray | None = None
    ) -> tuple[Bound | None, float]:
        """Column generation until the master's relaxation is solved (or time is up).

        ``start`` prices (areas, then the count row) are searched with first; then the prices
        searched with lie between the best bound's and the master's (Wentges smoothing).
        Returns the best bound and the last value of the relaxed master.
        """
        n, p = self.problem.n, self.p
        best = None if start is None else self._price(start, start)[1]
        alpha, lp_value = SMOOTHING, math.inf
        while time.perf_counter() < deadline:
            self.log["rounds"] += 1
            master = solve_master(
                self.columns,
                n,
                p,
                False,
                self.threads,
                deadline - time.perf_counter(),
                artificial=None if self.columns.costs else self._artificial_cost(),
            )
            lp_value = master.value
            search = master.duals
            if best is not None and alpha > 0:
                search = alpha * best.prices + (1 - alpha) * master.duals
            added, bound = self._price(master.duals, search)
            if best is None or bound.value > best.value:
                best = bound
            if upper - best.value <= 1e-9 * max(1.0, abs(upper)) or (
                lp_value - best.value <= 1e-7 * max(1.0, abs(lp_value))
            ):
                break
            if added:
                alpha = SMOOTHING
            elif alpha > 0:
                alpha = 0.0  # nothing new at the smoothed prices: search at the master's
            else:
                break  # nothing new at the master's prices: the relaxation is solved
        return best, lp_value

    def _artificial_cost(self) -> float:
        return 10.0 * (float(self.distance.sum()) + 1.0)

    # -- proof -----------------------------------------------------------------------------
    def enumerate(
        self, bound: Bound, delta: float, set_limit: int, seconds: float
    ) -> Columns | None:
        """Every column that can be in a solution costing at most bound + delta (or None if
        more than ``set_limit`` of them, or the search would take longer than ``seconds`` at
        the pricing rounds' speed)."""
        p, mu = self.p, bound.prices[-1]
        pth = np.sort(bound.minima)[p - 1]
        thresholds = mu + delta + np.minimum(bound.minima, pth)
        steps = max(1000, int(self.steps_per_second * seconds / self.problem.n))
        found = self._search(bound.prices, thresholds, False, set_limit, steps)
        if sum(len(f[3]) for f in found) > set_limit or not all(f[4] for f in found):
            return None
        columns = Columns()
        for centre, members, starts, *_ in found:
            for units in self._sets(members, starts):
                columns.add(centre, *self._column(centre, units))
        return columns

    def labels_of(self, columns: Columns, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Area labels (numbered by lowest area) and centres of the chosen columns."""
        order = sorted(chosen.tolist(), key=lambda k: columns.members[k].min())
        labels = np.empty(self.problem.n, dtype=int)
        for r, k in enumerate(order):
            labels[columns.members[k]] = r
        return labels, np.array([columns.centres[k] for k in order])

    def add_partition(self, columns: Columns, labels: np.ndarray) -> tuple[float, np.ndarray]:
        """Add a partition's regions with their medoids as centres.

        Returns its p-median cost and starting prices for the search: each area's distance to
        its centre, so the prices already pay for this partition.
        """
        z, total = self.problem.standardised, 0.0
        prices = np.zeros(self.problem.n + 1)
        for r in range(int(labels.max()) + 1):
            areas = np.flatnonzero(labels == r)
            position, cost = medoid(z, areas)
            centre = int(areas[position])
            columns.add(centre, areas, float(self.distance[areas, centre].sum()))
            prices[areas] = self.distance[areas, centre]
            total += cost
        return total, prices

    # -- the whole solve -------------------------------------------------------------------
    def solve(self, incumbent: np.ndarray | None, time_limit: float) -> PartitionResult:
        """Generate, enumerate, solve the integer master; best known partition on time-out.

        An enumeration attempt gets as many search steps as the pricing rounds made in the
        time left, so the limit holds up to the speed difference between the two searches.
        """
        n, p, begin = self.problem.n, self.p, time.perf_counter()
        deadline = begin + time_limit
        upper, start, best = math.inf, None, None
        if incumbent is not None:
            upper, start = self.add_partition(self.columns, incumbent)
            best = (self.columns, np.arange(len(self.columns.costs)))
        bound, _ = self.generate(begin + GENERATION_SHARE * time_limit, upper, start)
        found = solve_master(self.columns, n, p, True, self.threads, deadline - time.perf_counter())
        if found is not None and found.value < upper:
            upper, best = found.value, (self.columns, found.chosen)
        proven = bound is not None and upper - bound.value <= 1e-9 * max(1.0, abs(upper))
        delta = math.inf if bound is None else upper - bound.value
        while not proven and bound is not None and time.perf_counter() < deadline:
            left = deadline - time.perf_counter()
            enumerated = self.enumerate(bound, delta, ENUMERATION_LIMIT, left)
            if enumerated is None:
                delta /= 4  # too many columns: prove within a smaller threshold
                continue
            if best is not None:
                self.add_partition(enumerated, self.labels_of(*best)[0])
            self.log["enumerated"] = len(enumerated.costs)
            left = deadline - time.perf_counter()
            found = solve_master(enumerated, n, p, True, self.threads, left)
            if found is not None and found.value < upper:
                upper, best = found.value, (enumerated, found.chosen)
            proven = found is not None and found.value <= bound.value + delta + 1e-9
            break
        if best is None:
            raise RegionSolveError(
                "Zeitlimit erreicht, bevor eine zulässige Einteilung gefunden wurde; "
                "Zeitlimit erhöhen oder Bedingungen lockern."
            )
        labels, centres = self.labels_of(*best)
        self.log["seconds"] = time.perf_counter() - begin
        return PartitionResult(
            labels,
            centres,
            float(upper),
            float(upper if proven else (bound.value if bound else -math.inf)),
            "optimal" if proven else "time_limit",
            self.log,
        )
