"""The search machinery of the regionalisation heuristic: units, moves, descent and tabu search.

Split from :mod:`sozialplanung.analytics.regions_heuristic`, which builds and runs it.
"""

from __future__ import annotations

import time
from collections import deque

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path

from sozialplanung.analytics.regions import BOUND_TOLERANCE as _EPS
from sozialplanung.analytics.regions import RegionProblem, _fmt


def _root(parent: list[int], a: int) -> int:
    while parent[a] != a:
        parent[a] = parent[parent[a]]
        a = parent[a]
    return a


def _union(parent: list[int], a: int, b: int) -> None:
    ra, rb = _root(parent, a), _root(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)


def _connecting_path(neighbours, start: set[int], goal: set[int], avoid: set[int]) -> list[int]:
    """Areas on a shortest path from the set ``start`` to the set ``goal`` outside ``avoid``."""
    previous = {a: -1 for a in start}
    queue = deque(sorted(start))
    while queue:
        a = queue.popleft()
        for b in neighbours[a].tolist():
            if b in previous or b in avoid:
                continue
            previous[b] = a
            if b in goal:
                path = []
                while b != -1:
                    path.append(b)
                    b = previous[b]
                return path
            queue.append(b)
    return []


def _contiguous_groups(problem: RegionProblem) -> np.ndarray:
    """Super-area id of each area: must-link groups, each joined into one contiguous piece."""
    parent = list(range(problem.n))
    partners: dict[int, set[int]] = {}
    for a, b in problem.cannot_link:
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    for group in problem.must_link:
        for a in group[1:]:
            _union(parent, group[0], a)
    changed = True
    while changed:
        changed = False
        members: dict[int, list[int]] = {}
        for a in range(problem.n):
            members.setdefault(_root(parent, a), []).append(a)
        for group in members.values():
            if len(group) < 2:
                continue
            inside = set(group)
            reached = {group[0]}
            queue = deque([group[0]])
            while queue:
                a = queue.popleft()
                for b in problem.neighbours[a].tolist():
                    if b in inside and b not in reached:
                        reached.add(b)
                        queue.append(b)
            if len(reached) < len(inside):
                avoid = set().union(*(partners.get(a, set()) for a in group))
                path = _connecting_path(problem.neighbours, reached, inside - reached, avoid)
                if not path:
                    raise ValueError(
                        f"Die must_link-Gruppe {problem._list(group)} lässt sich nicht ohne "
                        "Gebiete verbinden, die von ihr getrennt sein sollen (cannot_link)."
                    )
                for a in path:
                    _union(parent, group[0], a)
                changed = True
                break  # groups may have merged: regroup before checking the next one
    roots = np.array([_root(parent, a) for a in range(problem.n)])
    return np.unique(roots, return_inverse=True)[1]


class _Units:
    """The problem on super-areas (units): sizes, sums and adjacency as the search needs them."""

    def __init__(self, problem: RegionProblem):
        z = problem.standardised
        self.of_area = _contiguous_groups(problem)
        n_units = int(self.of_area.max()) + 1
        self.n = n_units
        self.count = np.bincount(self.of_area, minlength=n_units).astype(float)
        self.pop = np.bincount(self.of_area, weights=problem.population, minlength=n_units)
        self.s1 = np.zeros((n_units, z.shape[1]))
        np.add.at(self.s1, self.of_area, z)
        self.s2 = np.bincount(self.of_area, weights=(z**2).sum(axis=1), minlength=n_units)
        pairs = self.of_area[problem.edges] if problem.edges.size else np.zeros((0, 2), int)
        pairs = pairs[pairs[:, 0] != pairs[:, 1]]
        pairs = np.unique(np.sort(pairs, axis=1), axis=0).reshape(-1, 2)
        self.src = np.concatenate([pairs[:, 0], pairs[:, 1]])
        self.dst = np.concatenate([pairs[:, 1], pairs[:, 0]])
        self.neighbours: list[list[int]] = [[] for _ in range(n_units)]
        for a, b in pairs.tolist():
            self.neighbours[a].append(b)
            self.neighbours[b].append(a)
        self.graph = csr_matrix(
            (np.ones(self.src.size), (self.src, self.dst)), shape=(n_units, n_units)
        )
        self.partners: list[list[int]] = [[] for _ in range(n_units)]
        for a, b in problem.cannot_link:
            ua, ub = int(self.of_area[a]), int(self.of_area[b])
            if ua == ub:
                raise ValueError(
                    f"{problem.area_name(a)} und {problem.area_name(b)} sollen getrennt sein, "
                    "liegen aber auf dem kürzesten Weg, der eine must_link-Gruppe verbindet; "
                    "die Heuristik kann das nicht trennen (das exakte Verfahren schon)."
                )
            self.partners[ua].append(ub)
            self.partners[ub].append(ua)
        heavy = np.flatnonzero(self.pop > problem.ceiling + _EPS)
        if heavy.size:
            areas = np.flatnonzero(self.of_area == heavy[0])
            raise ValueError(
                f"Die zusammengefasste must_link-Gruppe {problem._list(areas)} hat "
                f"{_fmt(self.pop[heavy[0]])} Einwohner, mehr als die Obergrenze "
                f"{_fmt(problem.ceiling)}."
            )


class _Search:
    """One partition of the units with per-region sums, and the moves that change it."""

    def __init__(self, units: _Units, problem: RegionProblem, rng, deadline: float):
        self.u = units
        self.floor = problem.floor
        self.ceiling = problem.ceiling
        self.rng = rng
        self.deadline = deadline
        self.timed_out = False
        self.total_s2 = float(units.s2.sum())

    # --- state -----------------------------------------------------------------------------

    def load(self, labels: np.ndarray) -> None:
        """Take a complete assignment of units to regions 0..k-1 and compute the sums."""
        u = self.u
        self.labels = np.asarray(labels, dtype=np.int64).copy()
        self.lab = self.labels.tolist()
        k = int(self.labels.max()) + 1
        self.k = k
        self.n = np.bincount(self.labels, weights=u.count, minlength=k)
        self.pop = np.bincount(self.labels, weights=u.pop, minlength=k)
        self.s1 = np.zeros((k, u.s1.shape[1]))
        np.add.at(self.s1, self.labels, u.s1)
        self.leavable = np.ones(u.n, dtype=bool)
        self.dirty = set(range(k))

    def objective(self) -> float:
        return self.total_s2 - float(((self.s1**2).sum(axis=1) / self.n).sum())

    def move(self, unit: int, target: int) -> None:
        u, source = self.u, self.lab[unit]
        self.lab[unit] = target
        self.labels[unit] = target
        self.n[source] -= u.count[unit]
        self.n[target] += u.count[unit]
        self.pop[source] -= u.pop[unit]
        self.pop[target] += u.pop[unit]
        self.s1[source] -= u.s1[unit]
        self.s1[target] += u.s1[unit]
        # Losing a unit can cut the source anywhere: recompute it before use. Gaining one
        # cannot make a unit of the target a cut vertex, except the only one it attaches to;
        # units that stop being cut vertices stay marked until the target is recomputed.
        self.dirty.add(source)
        self.leavable[unit] = True
        inside = [b for b in u.neighbours[unit] if self.lab[b] == target]
        if len(inside) == 1 and self.n[target] > u.count[unit] + u.count[inside[0]]:
            self.leavable[inside[0]] = False

    def expired(self) -> bool:
        if time.perf_counter() > self.deadline:
            self.timed_out = True
        return self.timed_out

    # --- move evaluation -------------------------------------------------------------------

    def deltas(self, units: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Change of heterogeneity if each unit moves to its target region (vectorised)."""
        u = self.u
        sources = self.labels[units]
        a, c = u.s1[units], u.count[units]
        s_src, s_dst = self.s1[sources], self.s1[targets]
        n_src, n_dst = self.n[sources], self.n[targets]
        rest = n_src - c
        before = (s_src**2).sum(axis=1) / n_src + (s_dst**2).sum(axis=1) / n_dst
        after_src = np.where(rest > 0, ((s_src - a) ** 2).sum(axis=1) / np.maximum(rest, 1), 0)
        after_dst = ((s_dst + a) ** 2).sum(axis=1) / (n_dst + c)
        return before - after_src - after_dst

    def bounds_ok(self, units: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Moves that keep the source non-empty and both regions within floor and ceiling."""
        u = self.u
        sources = self.labels[units]
        w = u.pop[units]
        return (
            (self.n[sources] - u.count[units] > 0)
            & (self.pop[sources] - w >= self.floor - _EPS)
            & (self.pop[targets] + w <= self.ceiling + _EPS)
        )

    def border_moves(self) -> tuple[np.ndarray, np.ndarray]:
        """All (unit, neighbouring region) pairs; each unit at most once per region."""
        u = self.u
        differ = self.labels[u.src] != self.labels[u.dst]
        keys = np.unique(u.src[differ] * self.k + self.labels[u.dst[differ]])
        return keys // self.k, keys % self.k

    def conflicts(self, unit: int, region: int) -> int:
        return sum(self.lab[b] == region for b in self.u.partners[unit])

    def can_leave(self, unit: int) -> bool:
        """Whether the unit's region stays contiguous without it (not an articulation point)."""
        region = self.lab[unit]
        if region in self.dirty:
            self.refresh(region)
        return bool(self.leavable[unit])

    def refresh(self, region: int) -> None:
        """Recompute which units of a region are articulation points (Tarjan, iterative DFS)."""
        self.dirty.discard(region)
        members = np.flatnonzero(self.labels == region)
        self.leavable[members] = True
        if members.size < 3:
            return
        lab, neighbours = self.lab, self.u.neighbours
        root = int(members[0])
        order = {root: 0}
        low = {root: 0}
        root_children = 0
        stack = [(root, -1, iter(neighbours[root]))]
        while stack:
            node, parent, pending = stack[-1]
            for nxt in pending:
                if lab[nxt] != region:
                    continue
                if nxt not in order:
                    order[nxt] = low[nxt] = len(order)
                    stack.append((nxt, node, iter(neighbours[nxt])))
                    break
                if nxt != parent and order[nxt] < low[node]:
                    low[node] = order[nxt]
            else:
                stack.pop()
                if not stack:
                    break
                above = stack[-1][0]
                if low[node] < low[above]:
                    low[above] = low[node]
                if above == root:
                    root_children += 1
                elif low[node] >= order[above]:
                    self.leavable[above] = False
        if root_children > 1:
            self.leavable[root] = False

    def refresh_all(self) -> None:
        for region in list(self.dirty):
            self.refresh(region)

    # --- construction ----------------------------------------------------------------------

    def grow_max_p(self, compact: bool = False) -> np.ndarray | None:
        """Growth to the floor from random seeds, enclaves assigned (max-p).

        Regions take a random frontier unit each step, or with ``compact`` the oldest one
        (breadth first): rounder regions strand fewer enclaves, random ones explore more.
        """
        u, rng = self.u, self.rng
        lab = [-1] * u.n
        k = 0
        for seed in rng.permutation(u.n).tolist():
            if lab[seed] != -1:
                continue
            members, total = [seed], u.pop[seed]
            lab[seed] = k
            blocked = set(u.partners[seed])
            frontier = deque(b for b in u.neighbours[seed] if lab[b] == -1)
            while total < self.floor - _EPS and frontier:
                finishing = [
                    x for x in frontier if lab[x] == -1 and total + u.pop[x] >= self.floor - _EPS
                ]
                if finishing:  # end the region with the least overshoot
                    b = min(finishing, key=lambda x: u.pop[x])
                    frontier.remove(b)
                elif compact:
                    b = frontier.popleft()
                else:
                    pick = int(rng.integers(len(frontier)))
                    frontier[pick], frontier[-1] = frontier[-1], frontier[pick]
                    b = frontier.pop()
                if lab[b] != -1 or b in blocked or total + u.pop[b] > self.ceiling + _EPS:
                    continue
                lab[b] = k
                members.append(b)
                total += u.pop[b]
                blocked.update(u.partners[b])
                frontier.extend(x for x in u.neighbours[b] if lab[x] == -1)
            if total >= self.floor - _EPS:
                k += 1
            else:
                for b in members:
                    lab[b] = -1
        if k == 0:
            return None
        return self.assign_rest(np.array(lab), k)

    def seeds(self, p: int) -> list[int]:
        """p units far apart on the graph: farthest-point sampling from a random start."""
        first = int(self.rng.integers(self.u.n))
        chosen = [first]
        distance = shortest_path(self.u.graph, unweighted=True, indices=first)
        for _ in range(p - 1):
            distance[chosen] = -1
            far = np.flatnonzero(distance == distance.max())
            nxt = int(far[self.rng.integers(far.size)])
            chosen.append(nxt)
            distance = np.minimum(
                distance, shortest_path(self.u.graph, unweighted=True, indices=nxt)
            )
        return chosen

    def grow_p(self, p: int) -> np.ndarray:
        """Grow p regions from spread seeds; the least populated region grows first."""
        u = self.u
        labels = np.full(u.n, -1, dtype=np.int64)
        seeds = self.seeds(p)
        labels[seeds] = np.arange(p)
        self.load_partial(labels, p)
        lab = self.lab
        frontier = [{b for b in u.neighbours[s] if lab[b] == -1} for s in seeds]
        growing = set(range(p))
        while growing:
            region = min(growing, key=lambda r: (self.pop[r] >= self.floor - _EPS, self.pop[r], r))
            options = [
                b
                for b in sorted(frontier[region])
                if lab[b] == -1
                and self.pop[region] + u.pop[b] <= self.ceiling + _EPS
                and not self.conflicts(b, region)
            ]
            if not options:
                growing.discard(region)
                continue
            costs = self.addition_costs(np.array(options), region)
            best = options[int(np.argmin(costs))]
            self.add(best, region)
            frontier[region].discard(best)
            frontier[region].update(b for b in u.neighbours[best] if lab[b] == -1)
        return self.assign_rest(self.labels, p)

    def load_partial(self, labels: np.ndarray, k: int) -> None:
        """Sums of a partial assignment (-1 = not yet assigned)."""
        u = self.u
        self.labels = labels.copy()
        self.lab = self.labels.tolist()
        self.k = k
        done = labels >= 0
        self.n = np.bincount(labels[done], weights=u.count[done], minlength=k)
        self.pop = np.bincount(labels[done], weights=u.pop[done], minlength=k)
        self.s1 = np.zeros((k, u.s1.shape[1]))
        np.add.at(self.s1, labels[done], u.s1[done])

    def add(self, unit: int, region: int) -> None:
        u = self.u
        self.lab[unit] = region
        self.labels[unit] = region
        self.n[region] += u.count[unit]
        self.pop[region] += u.pop[unit]
        self.s1[region] += u.s1[unit]

    def addition_costs(self, units: np.ndarray, regions: np.ndarray | int) -> np.ndarray:
        """Rise of heterogeneity if unassigned units join regions."""
        u = self.u
        s, n = self.s1[regions], self.n[regions]
        grown = s + u.s1[units]
        return (
            u.s2[units] + (s**2).sum(axis=-1) / n - (grown**2).sum(axis=-1) / (n + u.count[units])
        )

    def assign_rest(self, labels: np.ndarray, k: int) -> np.ndarray | None:
        """Give each unassigned unit to the adjacent region it fits best.

        Ceiling and cannot-link are respected while possible and then broken (the repair
        step undoes that); ``None`` if some unit has no assigned region in reach.
        """
        self.load_partial(labels, k)
        u, lab = self.u, self.lab
        pending = [a for a in range(u.n) if lab[a] == -1]
        strict = True
        while pending:
            left = []
            for a in pending:
                regions = sorted({lab[b] for b in u.neighbours[a] if lab[b] != -1})
                if strict:
                    regions = [
                        r
                        for r in regions
                        if self.pop[r] + u.pop[a] <= self.ceiling + _EPS
                        and not self.conflicts(a, r)
                    ]
                if not regions:
                    left.append(a)
                    continue
                costs = self.addition_costs(np.full(len(regions), a), np.array(regions))
                self.add(a, regions[int(np.argmin(costs))])
            if len(left) == len(pending):
                if not strict:
                    return None
                strict = False
            pending = left
        return self.labels.copy()

    # --- repair and improvement ------------------------------------------------------------

    def outside_bounds(self, pop: np.ndarray) -> np.ndarray:
        """Population missing to the floor or exceeding the ceiling (0 within bounds)."""
        return np.maximum(self.floor - pop, 0) + np.maximum(pop - self.ceiling, 0)

    def violation(self) -> tuple[int, float]:
        conflicts = sum(self.conflicts(a, self.lab[a]) for a in range(self.u.n)) // 2
        outside = self.outside_bounds(self.pop)
        return conflicts, float(outside[outside > _EPS].sum())

    def repair(self) -> bool:
        """Move border units until floor, ceiling and cannot-link hold; False if stuck."""
        u = self.u
        for _ in range(4 * u.n + 10):
            conflicts, shortfall = self.violation()
            if conflicts == 0 and shortfall == 0:
                return True
            units, targets = self.border_moves()
            sources = self.labels[units]
            keep = self.n[sources] - u.count[units] > 0
            units, targets, sources = units[keep], targets[keep], sources[keep]
            w = u.pop[units]
            outside = self.outside_bounds
            d_short = (
                outside(self.pop[sources] - w)
                + outside(self.pop[targets] + w)
                - outside(self.pop[sources])
                - outside(self.pop[targets])
            )
            d_conf = np.array(
                [
                    self.conflicts(a, t) - self.conflicts(a, s) if u.partners[a] else 0
                    for a, s, t in zip(
                        units.tolist(), sources.tolist(), targets.tolist(), strict=True
                    )
                ],
                dtype=int,
            )
            d_short = np.where(np.abs(d_short) < _EPS, 0.0, d_short)
            better = (d_conf < 0) | ((d_conf == 0) & (d_short < 0))
            d_het = self.deltas(units, targets)
            order = np.lexsort((d_het, d_short, d_conf))
            for i in order[better[order]].tolist():
                if self.can_leave(int(units[i])):
                    self.move(int(units[i]), int(targets[i]))
                    break
            else:
                return False
        return False

    def admissible(self, unit: int, target: int) -> bool:
        return not self.conflicts(unit, target) and self.can_leave(unit)

    def descend(self) -> None:
        """AZP: visit border units in random order, take any improving admissible move."""
        u = self.u
        improved = True
        while improved and not self.expired():
            improved = False
            differ = self.labels[u.src] != self.labels[u.dst]
            border = np.unique(u.src[differ])
            for unit in self.rng.permutation(border).tolist():
                here = self.lab[unit]
                regions = sorted({self.lab[b] for b in u.neighbours[unit]} - {here})
                if not regions:
                    continue
                units = np.full(len(regions), unit)
                targets = np.array(regions)
                gain = self.deltas(units, targets)
                gain[~self.bounds_ok(units, targets)] = np.inf
                for i in np.argsort(gain, kind="stable").tolist():
                    if gain[i] >= -_EPS:
                        break
                    if self.admissible(unit, regions[i]):
                        self.move(unit, regions[i])
                        improved = True
                        break

    def tabu(self, patience: int, tenure: int) -> tuple[np.ndarray, float]:
        """Best-move tabu search from a feasible partition; returns the best feasible labels.

        Floor and ceiling are relaxed into a penalty whose weight adapts (strategic
        oscillation, Glover & Hao 2011): doubled after a run of moves outside the bounds,
        halved after a run inside. Tight floors otherwise block most single moves, and the
        search could not cross from one feasible partition to a better one.
        """
        current = self.objective()
        best, best_labels = current, self.labels.copy()
        scale = float(self.pop.sum()) / self.k or 1.0  # population of an average region
        weight = base = max(current, 1e-6) / self.k
        outside_now = 0.0
        forbidden: dict[tuple[int, int], int] = {}
        recent: deque[bool] = deque(maxlen=10)
        step = since_best = 0
        while since_best < patience and not self.expired():
            units, targets = self.border_moves()
            self.refresh_all()
            sources = self.labels[units]
            ok = (self.n[sources] - self.u.count[units] > 0) & self.leavable[units]
            units, targets, sources = units[ok], targets[ok], sources[ok]
            gain = self.deltas(units, targets)
            w = self.u.pop[units]
            outside = self.outside_bounds
            d_outside = (
                outside(self.pop[sources] - w)
                + outside(self.pop[targets] + w)
                - outside(self.pop[sources])
                - outside(self.pop[targets])
            ) / scale
            chosen = None
            for i in np.argsort(gain + weight * d_outside, kind="stable").tolist():
                unit, target = int(units[i]), int(targets[i])
                feasible_after = outside_now + d_outside[i] < _EPS
                aspires = feasible_after and current + gain[i] < best - _EPS
                if forbidden.get((unit, target), -1) >= step and not aspires:
                    continue
                if self.admissible(unit, target):
                    chosen = i
                    break
            if chosen is None:
                break
            unit, target = int(units[chosen]), int(targets[chosen])
            forbidden[(unit, self.lab[unit])] = step + tenure + int(self.rng.integers(tenure))
            self.move(unit, target)
            current += float(gain[chosen])
            outside_now = float(self.outside_bounds(self.pop).sum()) / scale
            feasible = outside_now < _EPS
            step += 1
            if feasible and current < best - _EPS:
                best, best_labels = current, self.labels.copy()
                since_best = 0
            else:
                since_best += 1
            recent.append(feasible)
            if len(recent) == recent.maxlen:
                if not any(recent):
                    weight, recent = weight * 2, deque(maxlen=10)
                elif all(recent):
                    weight, recent = max(weight / 2, base / 64), deque(maxlen=10)
        self.load(best_labels)
        return best_labels, self.objective()
