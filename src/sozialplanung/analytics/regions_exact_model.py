"""The HiGHS side of :mod:`.regions_exact`: column layout, loading, rows and graph bounds.

Split from :mod:`.regions_exact`, which solves the p-regions model (its rows are formulated in
:mod:`.regions_exact_formulation`); this module only moves numbers in and out of HiGHS and
computes the path bounds used to fix variables.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import highspy
import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import shortest_path

from sozialplanung.analytics.highs import new_highs
from sozialplanung.analytics.regions import RegionProblem
from sozialplanung.analytics.regions_exact_cuts import Separator


def hop_distances(problem: RegionProblem) -> np.ndarray:
    """Number of edges on a shortest path between each pair of areas (inf across components)."""
    n, edges = problem.n, problem.edges
    graph = sparse.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    return shortest_path(graph.tocsr(), directed=False, unweighted=True)


def lightest_paths(problem: RegionProblem) -> np.ndarray:
    """Least population on any path between two areas, both ends included (node-weighted)."""
    n, pop = problem.n, problem.population
    result = np.full((n, n), math.inf)
    for source in range(n):
        best = result[source]
        best[source] = pop[source]
        heap = [(pop[source], source)]
        while heap:
            d, u = heapq.heappop(heap)
            if d > best[u]:
                continue
            for v in problem.neighbours[u]:
                if d + pop[v] < best[v]:
                    best[v] = d + pop[v]
                    heapq.heappush(heap, (best[v], int(v)))
    return result


def highs_instance(model: MipModel, integer: bool, threads: int, seconds: float, mip_gap: float):
    """Load a model into a silent HiGHS instance (as LP relaxation unless integer)."""
    # HiGHS keeps one global thread scheduler; a different thread count needs a fresh one.
    highspy.Highs.resetGlobalScheduler(True)
    h = new_highs()
    h.setOptionValue("time_limit", max(seconds, 0.01))
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    h.setOptionValue("threads", int(threads))
    h.addVars(model.n_cols, np.zeros(model.n_cols), np.array(model.upper, dtype=float))
    h.changeColsCost(model.n_cols, np.arange(model.n_cols), np.array(model.cost, dtype=float))
    if integer:
        columns = np.array(model.integer, dtype=np.int32)
        kinds = np.full(len(columns), highspy.HighsVarType.kInteger)
        h.changeColsIntegrality(len(columns), columns, kinds)
    add_rows(h, model.rows)
    return h


def add_rows(h, rows: list) -> None:
    """Append rows given as (coefficients by column, lower, upper) to a HiGHS model."""
    inf = highspy.kHighsInf
    starts, index, value, lower, upper = [], [], [], [], []
    for coefs, lo, up in rows:
        starts.append(len(index))
        index.extend(coefs)
        value.extend(coefs.values())
        lower.append(lo if math.isfinite(lo) else -inf)
        upper.append(up if math.isfinite(up) else inf)
    h.addRows(
        len(rows),
        np.array(lower, dtype=float),
        np.array(upper, dtype=float),
        len(index),
        np.array(starts, dtype=np.int32),
        np.array(index, dtype=np.int32),
        np.array(value, dtype=float),
    )


def x_matrix(model: MipModel, values: np.ndarray) -> np.ndarray:
    """Dense n x n assignment values from a column vector (0 where fixed)."""
    x = np.zeros(model.x.shape)
    mask = model.x >= 0
    x[mask] = np.asarray(values)[model.x[mask]]
    return x


def proof_slack(upper: float, mip_gap: float) -> float:
    """How far a lower bound may stay below the incumbent cost and still prove it optimal."""
    return max(1e-6, mip_gap * abs(upper)) if math.isfinite(upper) else -math.inf


@dataclass
class RootResult:
    """What the root rounds found: cuts, lower bound, x_ij fixed at 0 (mask) and at 1 (pairs)."""

    cuts: list[Separator]
    bound: float | None
    forbidden: np.ndarray
    forced: list[tuple[int, int]]
    prices: np.ndarray | None = None  # duals of the area rows and the count row (fixed p)


@dataclass
class MipModel:
    """Column layout of one MIP: x[i, j] column index (-1 if fixed to 0) and the row data."""

    x: np.ndarray
    n_cols: int
    cost: list[float]
    upper: list[float]
    integer: list[int]
    rows: list[tuple[dict[int, float], float, float]]
    flow: dict[tuple[int, int, int], int] = field(default_factory=dict)  # (j, u, v) -> column

    def add_row(self, coefs: dict[int, float], lower: float, upper: float) -> None:
        self.rows.append((coefs, lower, upper))

    def new_col(self, cost: float, upper: float, integer: bool) -> int:
        self.cost.append(cost)
        self.upper.append(upper)
        if integer:
            self.integer.append(self.n_cols)
        self.n_cols += 1
        return self.n_cols - 1
