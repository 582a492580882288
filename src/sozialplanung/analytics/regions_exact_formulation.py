"""The compact p-regions MIP of :mod:`.regions_exact`: which areas may share a centre, and
the rows that make a region a feasible one (assignment, bounds, links, contiguity).

Split from :mod:`.regions_exact`, which solves the model (start, root cuts, max-p stages);
:mod:`.regions_exact_model` moves its numbers in and out of HiGHS.
"""

from __future__ import annotations

import math

import numpy as np

from sozialplanung.analytics.regions import RegionProblem
from sozialplanung.analytics.regions_exact_cuts import Separator
from sozialplanung.analytics.regions_exact_model import MipModel, hop_distances, lightest_paths


def separator_row(model: MipModel, cut: Separator) -> tuple | None:
    """The row of a separator cut: x_ij at most the sum over the separator's x_kj."""
    i, j, separator = cut
    x = model.x
    if x[i, j] < 0:
        return None
    others = [int(x[k, j]) for k in separator if x[k, j] >= 0]
    return {int(x[i, j]): 1.0, **dict.fromkeys(others, -1.0)}, -math.inf, 0.0


def allowed_pairs(problem: RegionProblem, p: int | None) -> np.ndarray:
    """Pairs (i, j) that can share a region (i assigned to centre j), by exact reasoning."""
    n = problem.n
    hops = hop_distances(problem)
    max_areas = n - (p or 1) + 1
    allowed = hops + 1 <= max_areas
    if math.isfinite(problem.ceiling):
        allowed &= lightest_paths(problem) <= problem.ceiling
    for a, b in problem.cannot_link:
        allowed[a, b] = allowed[b, a] = False
    # Must-linked areas share every centre: keep a pair only if the whole group may.
    groups = problem.must_link_groups
    for g in np.unique(groups):
        members = np.flatnonzero(groups == g)
        if members.size > 1:
            common = allowed[members].all(axis=0)
            allowed[members] = common
    np.fill_diagonal(allowed, True)
    return allowed


def build_model(
    problem: RegionProblem,
    contiguity: str,
    p: int | None,
    goal: str,
    cuts: list[Separator] = (),
    forbidden: np.ndarray | None = None,
    forced: list[tuple[int, int]] = (),
    flow: bool = True,
) -> MipModel:
    """Assemble columns and rows; goal "cost" minimises d·x, "count" maximises centres.

    ``forbidden`` and ``forced`` are x_ij proven 0 and 1 by the root's reduced-cost fixing.
    """
    n, pop = problem.n, problem.population
    allowed = allowed_pairs(problem, p)
    if forbidden is not None:
        allowed &= ~forbidden
        allowed[:, ~np.diag(allowed)] = False  # no centre, no members
    dist = problem.distances
    model = MipModel(np.full((n, n), -1), 0, [], [], [], [])
    for i, j in zip(*np.nonzero(allowed), strict=True):
        cost = float(dist[i, j]) if goal == "cost" else (-1.0 if i == j else 0.0)
        model.x[i, j] = model.new_col(cost, 1.0, integer=True)
    x = model.x
    for i in range(n):
        model.add_row({int(x[i, j]): 1.0 for j in np.flatnonzero(x[i] >= 0)}, 1, 1)
    if p is not None:
        model.add_row({int(x[j, j]): 1.0 for j in np.flatnonzero(np.diag(x) >= 0)}, p, p)
    for i, j in forced:
        model.add_row({int(x[i, j]): 1.0}, 1, 1)
    for j in np.flatnonzero(np.diag(x) >= 0):
        members = np.flatnonzero(x[:, j] >= 0)
        for i in members[members != j]:
            model.add_row({int(x[i, j]): 1.0, int(x[j, j]): -1.0}, -math.inf, 0)
        load = {int(x[i, j]): float(pop[i]) for i in members if i != j}
        if problem.floor > 0:
            row = dict(load)
            row[int(x[j, j])] = float(pop[j]) - problem.floor
            model.add_row(row, 0, math.inf)
        if math.isfinite(problem.ceiling):
            row = dict(load)
            row[int(x[j, j])] = float(pop[j]) - problem.ceiling
            model.add_row(row, -math.inf, 0)
    for group in problem.must_link:
        for a, b in zip(group[:-1], group[1:], strict=True):
            for j in np.flatnonzero((x[a] >= 0) | (x[b] >= 0)):
                row = {int(x[a, j]): 1.0} if x[a, j] >= 0 else {}
                if x[b, j] >= 0:
                    row[int(x[b, j])] = -1.0
                model.add_row(row, 0, 0)
    for a, b in problem.cannot_link:
        for j in np.flatnonzero((x[a] >= 0) & (x[b] >= 0)):
            if j not in (a, b):
                model.add_row(
                    {int(x[a, j]): 1.0, int(x[b, j]): 1.0, int(x[j, j]): -1.0}, -math.inf, 0
                )
    if contiguity != "shortest_path":
        _add_neighbour_rows(problem, model)
        if flow:
            _add_flow(problem, model, p)
        for cut in cuts:
            row = separator_row(model, cut)
            if row is not None:
                model.add_row(*row)
    else:
        _add_shortest_path(problem, model)
    return model


def _add_flow(problem: RegionProblem, model: MipModel, p: int | None) -> None:
    """Per-centre flow contiguity (see :class:`.regions_exact.ExactRegions`)."""
    x = model.x
    capacity = float(problem.n - (p or 1))
    for j in range(problem.n):
        members = np.flatnonzero(x[:, j] >= 0)
        if members.size <= 1:
            continue
        inflow: dict[int, dict[int, float]] = {int(v): {} for v in members if v != j}
        outflow: dict[int, dict[int, float]] = {int(v): {} for v in members}
        for u in members.tolist():
            for v in problem.neighbours[u].tolist():
                if v == j or x[v, j] < 0:
                    continue
                f = model.new_col(0.0, capacity, integer=False)
                model.flow[(j, u, v)] = f
                outflow[u][f] = -1.0
                inflow[v][f] = 1.0
        for v, arcs in inflow.items():
            # Net inflow equals x_vj: v keeps one unit if it belongs to j's region.
            model.add_row({**arcs, **outflow[v], int(x[v, j]): -1.0}, 0, 0)
            model.add_row({**arcs, int(x[v, j]): -capacity}, -math.inf, 0)


def _add_neighbour_rows(problem: RegionProblem, model: MipModel) -> None:
    """A member other than the centre has a neighbour in its region (length-1 separator)."""
    x = model.x
    for i, j in zip(*np.nonzero(x >= 0), strict=True):
        if i != j:
            near = [int(x[k, j]) for k in problem.neighbours[i] if x[k, j] >= 0]
            model.add_row({int(x[i, j]): 1.0, **dict.fromkeys(near, -1.0)}, -math.inf, 0)


def _add_shortest_path(problem: RegionProblem, model: MipModel) -> None:
    """Members need a neighbour strictly closer to the centre in the same region."""
    x = model.x
    hops = hop_distances(problem)
    for j in range(problem.n):
        for i in np.flatnonzero(x[:, j] >= 0):
            if i == j:
                continue
            closer = [
                int(x[k, j])
                for k in problem.neighbours[i]
                if hops[k, j] < hops[i, j] and x[k, j] >= 0
            ]
            model.add_row({int(x[i, j]): 1.0, **dict.fromkeys(closer, -1.0)}, -math.inf, 0)
