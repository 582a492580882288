"""The column side of :mod:`.regions_partition`: searches at prices, and what they prove.

A pricing round searches every centre for the region of least reduced cost at some prices
(:func:`.regions_columns.connected_sets`, in threads). Its columns go to the master, and its
per-centre minima give the Lagrangian bound :class:`Bound`. :meth:`Pricing.enumerate`
searches the same way for every column below a threshold: the proof's candidates. Subset-row
cuts (:mod:`.regions_subset_rows`) enter both as charges.
"""

from __future__ import annotations

import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from sozialplanung.analytics.regions import RegionProblem
from sozialplanung.analytics.regions_columns import connected_sets, improve_set
from sozialplanung.analytics.regions_master import Columns, Master, Units
from sozialplanung.analytics.regions_subset_rows import SubsetRows

GENERATION_STEPS = 20_000  # per centre, once a round's bound cannot beat the best one


@dataclass
class Bound:
    """A Lagrangian lower bound with the prices and per-centre minima it came from."""

    value: float
    prices: np.ndarray  # area prices, the count-row price, then the cut prices
    minima: np.ndarray  # lower bound on the least reduced cost of each centre's columns
    steps: np.ndarray  # search steps each centre took for them
    subgradient: np.ndarray  # of the bound at ``prices``: 1 - cover of each row by the p chosen


class Watch:
    """Whether a pricing round's bound can still beat the best one, as its searches end.

    The bound is ``constant`` plus the p least per-centre minima, so the sets found so far
    give it a ceiling (a centre not searched yet counts 0, its most). Once that ceiling is
    not above ``best``, the round can only bring columns: the centres still to come get
    GENERATION_STEPS each instead of a full search. At the master's own prices the bound
    is often far below the best (-1.2 against 35.5 for p = 8 on the demo county), and such
    a round's full search took 16 s, most of it proving that a few centres' least reduced
    cost was what it found.
    """

    def __init__(self, constant: float, mu: float, n: int, p: int, best: float) -> None:
        self.constant, self.mu, self.p, self.best = constant, mu, p, best
        self.ceiling = np.zeros(n)  # of each centre's minimum: the lightest set found
        self.cap: int | None = None

    def seen(self, centre: int, weights: np.ndarray) -> None:
        if len(weights):
            self.ceiling[centre] = min(self.ceiling[centre], weights[-1] - self.mu)
        if self.constant + np.sort(self.ceiling)[: self.p].sum() <= self.best + 1e-9:
            self.cap = GENERATION_STEPS


class Pricing:
    """The column side of :class:`.regions_partition.PartitionSolver`: searches at prices.

    Holds the problem's unit graph, the columns generated and the cuts added so far, and what
    the last pricing round measured (its speed, each centre's minimum) to plan the next.
    """

    def __init__(self, problem: RegionProblem, p: int, threads: int = 2) -> None:
        self.problem, self.p, self.threads = problem, p, threads
        self.distance = problem.distances
        self.units = units = Units.of(problem)
        # What both column searches take about the unit graph, in their argument order.
        self.graph = (
            units.population,
            float(problem.floor),
            float(problem.ceiling),
            units.indptr,
            units.indices,
            units.conflict_indptr,
            units.conflict_indices,
        )
        # Attribute distance of each unit's areas to each centre area (the descent's costs).
        self.unit_cost = np.zeros((len(units.population), problem.n))
        np.add.at(self.unit_cost, units.of_area, self.distance)
        self.columns = Columns()
        self.cuts = SubsetRows()
        self.steps_per_second = 1e6  # of the search over all threads; measured by each round
        self.minima = np.zeros(problem.n)  # of the last pricing round, to order the next

    # -- columns -------------------------------------------------------------------------
    def _search(
        self,
        prices,
        thresholds,
        best_only,
        set_limit,
        budget=None,
        centres=None,
        watch=None,
        caps=None,
        deadline=math.inf,
    ):
        """Run the column search for every centre (or those in ``centres``, in that order).

        ``budget`` caps the search steps of all centres together, and ``set_limit`` (unless
        negative) the sets they find: each starts with what the finished ones left, so at
        most one search per thread runs past them. ``caps`` caps each centre's steps, and
        once one search has hit its cap the others stop too. Before ``deadline``, each search
        gets the steps its thread can take until then at the speed of those finished: the
        pricing rounds' speed, which sets ``budget``, can be far off (on the demo county a
        final proof's enumeration given 3.7 s ran 11.7 s). ``watch`` (see
        :class:`Watch`) sees each search as it ends and may cap the steps of those to come.
        Returns (centre, members, starts, weights, complete, steps) per centre.
        """
        units, n = self.units, self.problem.n
        weights = np.zeros((len(units.population), n))
        np.add.at(weights, units.of_area, self.distance - prices[:n, None])
        penalty = self._penalty(prices)
        cut_indptr, cut_indices = self.cuts.of_units(units.of_area, len(units.population))
        left, sets_left, capped, taken = [budget], [set_limit], [False], [0]
        lock = threading.Lock()
        began = time.perf_counter()

        def allowed(centre: int) -> int:
            """The steps a search may take: the least of the limits that apply (-1: none)."""
            limits = [] if left[0] is None else [max(int(left[0]), 0)]
            now = time.perf_counter()
            if now >= deadline:
                limits.append(0)
            elif taken[0] and math.isfinite(deadline):
                speed = taken[0] / max(now - began, 1e-6) / self.threads  # per thread
                limits.append(int(speed * (deadline - now)))
            if watch is not None and watch.cap is not None:
                limits.append(watch.cap)
            if caps is not None:
                limits.append(0 if capped[0] else int(caps[centre]))
            return min(limits, default=-1)

        def one(centre: int):
            with lock:
                limit = allowed(centre)
                most = -1  # sets: no limit
                if set_limit >= 0:
                    # one set more than is left tells the caller that there were too many
                    most = sets_left[0] + 1
                    if most <= 0:  # too many already: stop at once
                        limit, most = 0, 1
            found = connected_sets(
                units.of_area[centre],
                np.ascontiguousarray(weights[:, centre]),
                *self.graph,
                float(thresholds[centre]),
                best_only,
                limit,
                most,
                cut_indptr,
                cut_indices,
                penalty,
            )
            with lock:
                taken[0] += found[4]
                if left[0] is not None:
                    left[0] -= found[4]
                sets_left[0] -= len(found[2])
                capped[0] = capped[0] or (caps is not None and not found[3])
                if watch is not None:
                    watch.seen(centre, found[2])
            return centre, *found

        with ThreadPoolExecutor(self.threads) as pool:
            return list(pool.map(one, range(n) if centres is None else centres))

    def _column(self, centre: int, units: np.ndarray) -> tuple[np.ndarray, float]:
        """The sorted areas of a found unit set and their p-median cost around ``centre``."""
        areas = np.sort(np.concatenate([self.units.areas[u] for u in units]))
        return areas, float(self.distance[areas, centre].sum())

    def _penalty(self, prices: np.ndarray) -> np.ndarray:
        """The charge of each cut at ``prices`` (cuts added after them are free)."""
        n = self.problem.n
        penalty = np.zeros(len(self.cuts))
        penalty[: len(prices) - n - 1] = np.maximum(-prices[n + 1 :], 0.0)
        return penalty

    def _padded(self, prices: np.ndarray) -> np.ndarray:
        return np.r_[prices, np.zeros(self.problem.n + 1 + len(self.cuts) - len(prices))]

    def _reduced_cost(self, areas: np.ndarray, cost: float, prices: np.ndarray) -> float:
        n = self.problem.n
        paid = prices[areas].sum() + prices[n]
        return cost - paid + self.cuts.charge(areas, self._penalty(prices))

    @staticmethod
    def _sets(members, starts):
        return [members[starts[k] : starts[k + 1]] for k in range(len(starts) - 1)]

    def _improve(self, master: Master) -> int:
        """Heuristic pricing: descend from the master's chosen columns; count of columns added."""
        units, n = self.units, self.problem.n
        duals = master.duals
        price = np.bincount(units.of_area, weights=duals[:n], minlength=len(units.population))
        real = master.chosen[master.chosen < len(self.columns.members)]  # not the artificial
        seeds = [np.unique(units.of_area[self.columns.members[k]]) for k in real]

        def one(seed):
            return improve_set(
                seed.astype(np.int64), self.unit_cost, units.of_area, price, *self.graph, 50
            )

        added = 0
        with ThreadPoolExecutor(self.threads) as pool:
            for members, starts, weights, centres in pool.map(one, seeds):
                for k, found in enumerate(self._sets(members, starts)):
                    if weights[k] - duals[n] >= -1e-9:
                        continue
                    areas, cost = self._column(int(centres[k]), found)
                    if self._reduced_cost(areas, cost, duals) < -1e-9:
                        added += self.columns.add(int(centres[k]), areas, cost)
        return added

    def _price(self, lp_prices, search_prices, deadline: float = math.inf, best=-math.inf):
        """One exact pricing round at ``search_prices``: the new columns (those negative at the
        master's prices ``lp_prices``) and the Lagrangian bound of ``search_prices``, which is
        -inf if the round had to stop at ``deadline`` (as many steps as the last round's speed
        allows) before every search was complete, or if it could not beat ``best`` (then the
        searches still to come were cut short, see :class:`Watch`).

        Only the p least minima enter the bound, so the centres that were cheapest last round
        are searched first and the others only below the p-th least minimum found: the bound
        is the same, the search much shorter, and a centre whose search finds nothing there
        keeps that threshold as its (lower bound on the) minimum.
        """
        n, p = self.problem.n, self.p
        mu = search_prices[n]
        begin = time.perf_counter()

        def budget():  # each thread's search may use all of it: so share it out
            left = deadline - time.perf_counter()
            return None if math.isinf(left) else self.steps_per_second * left / self.threads

        constant = search_prices[:n].sum() + p * mu + search_prices[n + 1 :].sum()
        watch = Watch(constant, mu, n, p, best)
        order = np.argsort(self.minima, kind="stable")
        first = self._search(
            search_prices, np.full(n, mu), True, -1, budget(), order[: 2 * p], watch
        )
        least = np.sort([min(f[3][-1] - mu, 0.0) if len(f[3]) else 0.0 for f in first])[p - 1]
        found = first + self._search(
            search_prices, np.full(n, mu + least), True, -1, budget(), order[2 * p :], watch
        )
        steps = np.zeros(n)
        for f in found:
            steps[f[0]] = f[5]
        # A round that ran into the deadline ended with searches of no budget, whose set-up
        # took the time, not their steps: the speed it shows would starve the final proof.
        if time.perf_counter() < deadline:
            self.steps_per_second = steps.sum() / max(time.perf_counter() - begin, 1e-3)
        added, minima, lightest = 0, np.zeros(n), {}
        minima[order[2 * p :]] = least
        for centre, members, starts, weights, _, _ in found:
            if len(weights):
                minima[centre] = min(weights[-1] - mu, 0.0)
            for units in self._sets(members, starts):
                areas, cost = self._column(centre, units)
                lightest[centre] = areas
                if self._reduced_cost(areas, cost, lp_prices) < -1e-9:
                    added += self.columns.add(centre, areas, cost)
        value = constant + np.sort(minima)[:p].sum()
        if not all(f[4] for f in found):
            value = -math.inf
        self.minima = minima
        subgradient = np.r_[np.ones(n), float(p), np.ones(len(self.cuts))]
        for centre in np.argsort(minima, kind="stable")[:p]:
            if minima[centre] < 0 and centre in lightest:
                subgradient[lightest[centre]] -= 1.0
                subgradient[n] -= 1.0
                subgradient[n + 1 :] -= self.cuts.held(lightest[centre])
        return added, Bound(float(value), search_prices.copy(), minima, steps, subgradient)

    def enumerate(
        self,
        bound: Bound,
        delta: float,
        set_limit: int,
        budget: float | None,
        keep: int = 0,
        caps: np.ndarray | None = None,
        deadline: float = math.inf,
    ) -> tuple[Columns, bool]:
        """Every column that can be in a solution costing at most bound + delta, and whether
        that is all of them.

        Not all if more than ``set_limit`` of them, or if the search needs more than
        ``budget`` steps (or one centre more than its ``caps``, or time up to ``deadline``:
        see :meth:`_search`); then only the ``keep`` of
        least reduced cost among those found are returned. The centres that took longest in
        the bound's pricing are searched first.
        """
        p, mu = self.p, bound.prices[self.problem.n]
        pth = np.sort(bound.minima)[p - 1]
        thresholds = mu + delta + np.minimum(bound.minima, pth)
        order = np.argsort(-bound.steps, kind="stable")
        found = self._search(
            bound.prices, thresholds, False, set_limit, budget, order, caps=caps, deadline=deadline
        )
        counts = [len(f[3]) for f in found]
        complete = sum(counts) <= set_limit and all(f[4] for f in found)
        if complete:
            picked = ((i, k) for i, count in enumerate(counts) for k in range(count))
        else:  # the cheapest first (the search's weights are the reduced costs plus mu)
            offsets = np.cumsum([0, *counts])
            flat = np.argsort(np.concatenate([f[3] for f in found]), kind="stable")[:keep]
            owner = np.searchsorted(offsets, flat, side="right") - 1
            picked = zip(owner, flat - offsets[owner], strict=True)
        columns = Columns()
        for i, k in picked:
            centre, members, starts = found[i][:3]
            columns.add(centre, *self._column(centre, members[starts[k] : starts[k + 1]]))
        return columns, complete
