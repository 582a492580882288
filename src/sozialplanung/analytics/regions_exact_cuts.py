"""Cuts, bounds and fixings for :mod:`.regions_exact`: what keeps its MIP small and its bound high.

Split from :mod:`.regions_exact`, which builds the model and runs HiGHS. Everything here is
exact: separator inequalities hold for every contiguous region, and a variable is fixed only
if a valid lower bound proves that no solution at most as costly as a known one uses it.
"""

from __future__ import annotations

from collections import deque

import highspy
import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

from sozialplanung.analytics.regions import RegionProblem, medoid

Separator = tuple[int, int, list[int]]  # (i, j, S): x_ij <= sum of x_kj over k in S


def violated_separators(problem: RegionProblem, x: np.ndarray, eps: float = 1e-4) -> list:
    """Find i-j vertex separators S with x_ij > sum_{k in S} x_kj in a fractional solution.

    For each centre j and member i, a minimum i-j vertex cut with node weights x_kj is a
    maximum flow on the node-split graph (in-copy k -> out-copy n + k with capacity x_kj);
    capacities are scaled to integers for scipy.
    """
    n, edges = problem.n, problem.edges
    scale, big = 1e6, 2**30
    tails = np.concatenate([np.arange(n), n + edges[:, 0], n + edges[:, 1]])
    heads = np.concatenate([n + np.arange(n), edges[:, 1], edges[:, 0]])
    cuts: list[Separator] = []
    for j in np.flatnonzero(np.diag(x) > eps):
        weights = np.rint(np.clip(x[:, j], 0, 1) * scale).astype(np.int64)
        for i in np.flatnonzero(x[:, j] > eps):
            if i == j or j in problem.neighbours[i]:
                continue
            capacity = np.concatenate([weights, np.full(2 * len(edges), big)])
            capacity[[i, j]] = big
            graph = sparse.csr_matrix(
                (capacity.astype(np.int32), (tails, heads)), shape=(2 * n, 2 * n)
            )
            flow = maximum_flow(graph, n + j, i)
            if flow.flow_value >= x[i, j] * scale - 100:
                continue
            residual = graph - flow.flow
            residual.data[residual.data < 0] = 0
            residual.eliminate_zeros()
            reached = np.zeros(2 * n, dtype=bool)
            reached[breadth_first_order(residual, n + j, return_predecessors=False)] = True
            separator = np.flatnonzero(reached[:n] & ~reached[n:])
            cuts.append((int(i), int(j), [int(k) for k in separator if k not in (i, j)]))
    return cuts


def lagrangian_fixing(h: highspy.Highs, incumbent: float) -> tuple[float, np.ndarray, np.ndarray]:
    """Lower bound of a solved LP and the columns no solution costing at most ``incumbent`` uses.

    Reduced-cost fixing (e.g. Nemhauser & Wolsey 1988, II.2.5.1), made safe against solver
    tolerances: the bound is recomputed as the Lagrangian dual value of the LP's row duals
    (clipped to the valid sign), which is a valid lower bound for any multipliers. Forcing a
    column from its bound at 0 to 1 raises that bound by its reduced cost r (and from 1 to 0 by
    -r); where this exceeds the incumbent cost, the column is fixed. Returns the bound and two
    boolean masks over the columns: fixed at 0, fixed at 1.
    """
    lp = h.getLp()
    y = np.array(h.getSolution().row_dual)
    lower, upper = np.array(lp.row_lower_), np.array(lp.row_upper_)
    y[(y > 0) & ~np.isfinite(lower)] = 0.0
    y[(y < 0) & ~np.isfinite(upper)] = 0.0
    matrix = lp.a_matrix_
    a = sparse.csc_matrix(
        (matrix.value_, matrix.index_, matrix.start_), shape=(lp.num_row_, lp.num_col_)
    )
    reduced = np.array(lp.col_cost_) - a.T @ y
    col_lower, col_upper = np.array(lp.col_lower_), np.array(lp.col_upper_)
    rows = np.where(y > 0, y * np.where(np.isfinite(lower), lower, 0.0), 0.0)
    rows += np.where(y < 0, y * np.where(np.isfinite(upper), upper, 0.0), 0.0)
    cols = np.where(reduced > 0, reduced * col_lower, reduced * col_upper)
    bound = float(rows.sum() + cols.sum())
    slack = incumbent - bound + 1e-7 * max(1.0, abs(incumbent))
    at_zero = (col_lower == 0) & (col_upper >= 1) & (reduced > slack)
    at_one = (col_lower == 0) & (col_upper == 1) & (-reduced > slack)
    return bound, at_zero, at_one


def tree_flows(problem: RegionProblem, labels: np.ndarray, centres: np.ndarray) -> dict:
    """Flow of the contiguity model that serves a partition: (centre, u, v) -> units on u->v.

    Each region sends one unit from its centre to every other member along a breadth-first
    tree inside the region, so an arc carries the size of the subtree below it.
    """
    flows: dict[tuple[int, int, int], float] = {}
    for region, centre in enumerate(centres.tolist()):
        inside = labels == region
        parent, order, queue = {centre: -1}, [], deque([centre])
        while queue:
            u = queue.popleft()
            order.append(u)
            for v in problem.neighbours[u].tolist():
                if inside[v] and v not in parent:
                    parent[v] = u
                    queue.append(v)
        below = dict.fromkeys(order, 1.0)
        for v in reversed(order[1:]):
            below[parent[v]] += below[v]
            flows[(centre, parent[v], v)] = below[v]
    return flows


def _connected(problem: RegionProblem, members: np.ndarray) -> bool:
    inside = set(members.tolist())
    start = next(iter(inside))
    seen, stack = {start}, [start]
    while stack:
        for v in problem.neighbours[stack.pop()].tolist():
            if v in inside and v not in seen:
                seen.add(v)
                stack.append(v)
    return len(seen) == len(inside)


def polish_pmedian(problem: RegionProblem, labels: np.ndarray, tol: float = 1e-6) -> np.ndarray:
    """Move single border areas between regions while the p-median cost falls (best move first).

    The heuristic minimises heterogeneity; this descent on the cost the MIP minimises gives a
    lower incumbent, hence more reduced-cost fixing. Moves keep every constraint; areas in a
    must-link group stay put.
    """
    labels = labels.copy()
    z, pop = problem.standardised, problem.population
    linked = {a for group in problem.must_link for a in group}
    partners: dict[int, set[int]] = {}
    for a, b in problem.cannot_link:
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    k = int(labels.max()) + 1
    cost = [medoid(z, np.flatnonzero(labels == r))[1] for r in range(k)]
    while True:
        best = (tol, None)
        for i in range(problem.n):
            a = int(labels[i])
            source = np.flatnonzero(labels == a)
            if i in linked or source.size == 1:
                continue
            rest = source[source != i]
            if pop[rest].sum() < problem.floor - 1e-9 or not _connected(problem, rest):
                continue
            rest_cost = medoid(z, rest)[1]
            for b in set(labels[problem.neighbours[i]].tolist()) - {a}:
                target = np.append(np.flatnonzero(labels == b), i)
                if pop[target].sum() > problem.ceiling + 1e-9:
                    continue
                if partners.get(i, set()) & set(target.tolist()):
                    continue
                target_cost = medoid(z, target)[1]
                gain = cost[a] + cost[b] - rest_cost - target_cost
                if gain > best[0]:
                    best = (gain, (i, a, b, rest_cost, target_cost))
        if best[1] is None:
            return labels
        i, a, b, cost[a], cost[b] = best[1]
        labels[i] = b
