"""The master side of :mod:`.regions_partition`: units, the column store and the HiGHS master
problem over it."""

from __future__ import annotations

from dataclasses import dataclass, field

import highspy
import numpy as np
from scipy import sparse

from sozialplanung.analytics.highs import new_highs
from sozialplanung.analytics.regions import RegionProblem


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
    index: dict = field(default_factory=dict)  # (centre, member bytes) -> position

    def add(self, centre: int, areas: np.ndarray, cost: float) -> bool:
        """Append a column unless it is there already; whether it was new."""
        key = (centre, areas.tobytes())
        if key in self.index:
            return False
        self.index[key] = len(self.costs)
        self.centres.append(centre)
        self.members.append(areas)
        self.costs.append(cost)
        return True

    def add_from(self, other: Columns, indices) -> Columns:
        """Add the columns at ``indices`` of ``other``; returns self."""
        for k in indices:
            self.add(other.centres[k], other.members[k], other.costs[k])
        return self

    def find(self, centre: int, areas: np.ndarray) -> int:
        return self.index[(centre, areas.tobytes())]

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
    duals: np.ndarray  # prices of the n area rows, the count row, then the cut rows
    optimal: bool = True  # False if the time limit stopped HiGHS first
    values: np.ndarray = field(default_factory=lambda: np.empty(0))  # of the chosen columns


PRESOLVE_COLUMNS = 10_000  # above this many, the integer master runs without presolve
PRESOLVE_SECONDS = 2.0  # nor with less time than this


def solve_master(
    columns: Columns,
    n: int,
    p: int,
    integer: bool,
    threads: int,
    seconds: float,
    artificial: float | None = None,
    cuts: sparse.csr_matrix | None = None,
) -> Master | None:
    """Solve the master LP or integer program over ``columns``; None if infeasible.

    ``artificial`` adds a slack column of that cost to every row, so the relaxation is
    feasible before any region covers all areas (its prices then steer the first search).
    ``cuts`` (cut-by-column, see :mod:`.regions_subset_rows`) adds rows of at most 1.
    HiGHS's presolve does not look at the clock: on 55,000 enumerated columns it ran 21 s
    past a 5 s limit. Its branch-and-bound does, and alone it was as fast there (7.0 s
    against 8.5 s on 14,700 columns), so large integer masters run without presolve, and
    so do those with little time (on 6,300 columns it took 1.7 s of a 0.5-s limit).
    Relaxations always do: a run of the column generation solves 150-200 of them, and on the
    last of a p = 7 run (2,233 columns, 200 cut rows) the dual simplex took 0.09 s without
    presolve and 0.18 s with it (458 and 427 iterations, same value); for the demo county,
    p = 7, the relaxations of a 60-s run took 6.5 s instead of 12-24 s.
    """
    a = columns.matrix(n)
    costs = np.asarray(columns.costs, dtype=float)
    upper = np.ones(a.shape[1])
    rows = n + 1 + (0 if cuts is None else cuts.shape[0])
    if cuts is not None:
        a = sparse.vstack([a, cuts], format="csc")
    if artificial is not None:
        slack = sparse.identity(rows, format="csc")[:, : n + 1]
        a = sparse.hstack([a, slack], format="csc")
        costs = np.r_[costs, np.full(n + 1, artificial)]
        upper = np.r_[upper, np.ones(n), p]
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = a.shape[1], rows
    lp.col_cost_ = costs
    lp.col_lower_ = np.zeros(a.shape[1])
    lp.col_upper_ = upper
    lp.row_lower_ = np.r_[np.ones(n), p, np.full(rows - n - 1, -highspy.kHighsInf)]
    lp.row_upper_ = np.r_[np.ones(n), p, np.ones(rows - n - 1)].astype(float)
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
    if not integer or a.shape[1] > PRESOLVE_COLUMNS or seconds < PRESOLVE_SECONDS:
        h.setOptionValue("presolve", "off")
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
    duals = np.zeros(rows) if integer else np.asarray(solution.row_dual)
    optimal = status == highspy.HighsModelStatus.kOptimal
    value = float(np.dot(costs[chosen], x[chosen]))
    return Master(value, chosen, duals, optimal, x[chosen])


def fix_by_reduced_cost(
    columns: Columns, n: int, p: int, upper: float, threads: int, seconds: float
) -> Columns | None:
    """The columns that can belong to an integer solution costing at most ``upper``.

    Of columns covering the same areas only the cheapest is kept (the enumeration finds a
    region once per centre in it). Then the relaxation over them is solved: any partition
    costs at least its value plus the reduced cost of each of its columns, so a column whose
    reduced cost exceeds ``upper`` minus that value can go. On 55,532 columns enumerated for
    p = 6 on the demo county this left 14,692 and the integer master took 7.8 s instead of
    20.6 s. None if the relaxation is infeasible (then no partition exists among them) or
    was not solved within ``seconds`` (then nothing can be fixed).
    """
    cheapest: dict[bytes, int] = {}
    for k, (areas, cost) in enumerate(zip(columns.members, columns.costs, strict=True)):
        key = areas.tobytes()
        if key not in cheapest or cost < columns.costs[cheapest[key]]:
            cheapest[key] = k
    distinct = Columns().add_from(columns, cheapest.values())
    relaxed = solve_master(distinct, n, p, False, threads, seconds)
    if relaxed is None or not relaxed.optimal:
        return None
    reduced = np.asarray(distinct.costs) - distinct.matrix(n).T @ relaxed.duals
    fits = reduced <= upper - relaxed.value + 1e-7 * max(1.0, abs(upper))
    return Columns().add_from(distinct, np.flatnonzero(fits))
