"""Planning regions for thousands of areas: growth construction and tabu search.

The heuristic companion of :mod:`.regions_exact`: fast enough for all municipalities of a Land,
without a proof of optimality. It solves the :class:`~.regions.RegionProblem` in two phases.

*Construction.* With ``p=None`` (max-p; Duque, Anselin & Rey 2012, "The max-p-regions problem",
*Journal of Regional Science* 52(3), 397-419) regions grow from random seeds by adjacent areas
(random ones, or breadth first in every other construction, for rounder regions) until they
reach the population floor, finishing with the adjacent area that overshoots the floor least,
so no region holds more people than it needs; areas left over ("enclaves") join the neighbouring
region whose heterogeneity grows least. This is repeated many times and the partitions with the
most regions (then the lowest heterogeneity) are kept, as in Wei, Rey & Knaap (2021), "Efficient
regionalization for spatially explicit neighborhood delineation", *IJGIS* 35(1), 135-151. With
a given p, p seeds spread out by farthest-point sampling on the adjacency graph, and the region
with the smallest population repeatedly absorbs the adjacent area that raises heterogeneity
least. A repair step then moves border areas until floor, ceiling and cannot-link hold.

*Improvement.* The automatic zoning procedure (AZP; Openshaw 1977, "A geographical solution to
scale and aggregation problems in region-building, partitioning and spatial modelling",
*Trans. IBG* 2(4), 459-472) moves border areas to a neighbouring region while both stay
contiguous and within bounds and the heterogeneity falls; a tabu search (Openshaw & Rao 1995,
"Algorithms for reengineering 1991 census geography", *Environment and Planning A* 27(3),
425-446) then takes the best admissible move even if it is worse, forbids moving an area back
for a few steps (tenure) unless that yields a new best (aspiration), and keeps the best
partition seen. Under tight floors few single moves are admissible, so the tabu search relaxes
floor and ceiling into a penalty whose weight adapts to how long the search stays infeasible
(strategic oscillation; Glover & Hao 2011, "The case for strategic oscillation", *Annals of
Operations Research* 183, 163-173) and only feasible partitions can become the best.
Heterogeneity is updated in O(m) per move from per-region sums of the standardised attributes:
``H = Σ_i |z_i|² - Σ_r |Σ_{i∈r} z_i|² / n_r``.

Must-link groups are merged into super-areas before the search (a group whose areas do not
touch is joined along a shortest path of areas, which restricts the search but keeps regions
contiguous); cannot-link pairs are never put into one region.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from sozialplanung.analytics.regions import (
    RegionInfeasibleError,
    RegionProblem,
    RegionResult,
    heterogeneity,
)
from sozialplanung.analytics.regions_search import _Search, _Units


class HeuristicRegions:
    """Regions by growth construction, AZP descent and tabu search (max-p or p-regions).

    Build with :meth:`from_problem`, run :meth:`solve`. After solving:

    Attributes
    ----------
    labels_ : ndarray of int, shape (n,)
        Region of each area, numbered 0..k-1 in order of the first area of each region.
    objective_ : float
        Heterogeneity (:func:`~.regions.heterogeneity`) of ``labels_``.
    seconds_ : float
        Wall time of the solve.
    result_ : RegionResult
        All of the above with status ("heuristic", or "time_limit" if the limit cut the
        search short) and the parameters used; ``gap`` is None, there is no bound.
    """

    def __init__(self, problem: RegionProblem):
        self.problem = problem

    @classmethod
    def from_problem(cls, problem: RegionProblem) -> HeuristicRegions:
        return cls(problem)

    def solve(
        self,
        seed: int = 2016,
        iterations: int | None = None,
        time_limit: float = 60.0,
        starts: int = 8,
        constructions: int = 100,
    ) -> HeuristicRegions:
        """Search and keep the best partition found; returns self.

        Parameters
        ----------
        seed : int
            Seed of ``numpy.random.default_rng``; equal seeds give equal results.
        iterations : int, optional
            Tabu moves without a new best after which one start ends; default
            ``max(200, number of units // 4)``.
        time_limit : float
            Seconds after which the best partition so far is returned.
        starts : int
            Constructed partitions improved by descent and tabu search.
        constructions : int
            Random growths drawn for max-p, of which the ``starts`` best are improved.

        Raises
        ------
        RegionInfeasibleError
            If p exceeds the number of units left after merging must-link groups.
        ValueError
            If no start reached a partition meeting all constraints (in German).
        """
        started = time.perf_counter()
        problem = self.problem
        rng = np.random.default_rng(seed)
        units = _Units(problem)
        if problem.p is not None and problem.p > units.n:
            raise RegionInfeasibleError(
                f"unlösbar (infeasible): p = {problem.p} Regionen, aber nach Zusammenfassen der "
                f"must_link-Gruppen bleiben nur {units.n} Gebietseinheiten."
            )
        patience = iterations if iterations is not None else max(200, units.n // 4)
        tenure = int(np.clip(round(np.sqrt(units.n) / 2), 3, 25))
        search = _Search(units, problem, rng, started + time_limit)

        best_labels, best_key = None, None
        improved = 0
        for labels in self._constructions(search, starts, constructions):
            regions = int(labels.max()) + 1
            if improved == starts or (best_key is not None and -regions > best_key[0]):
                break  # max-p: starts come best first; fewer regions can never win
            search.load(labels)
            if not search.repair():
                continue
            improved += 1
            search.descend()
            labels, value = search.tabu(patience, tenure)
            key = (-search.k, value)
            if best_key is None or key < best_key:
                best_labels, best_key = labels, key
            if search.expired():
                break
        if best_labels is None:
            limit = " (Zeitlimit erreicht)" if search.timed_out else ""
            raise ValueError(
                "Keine Einteilung gefunden, die Untergrenze, Obergrenze, Zusammenhang und die "
                f"Verknüpfungsregeln zugleich erfüllt{limit}; die Bedingungen sind womöglich "
                "unerfüllbar – lockern Sie sie oder prüfen Sie es mit dem exakten Verfahren."
            )
        area_labels = _first_appearance(best_labels[units.of_area])
        self.labels_ = area_labels
        self.objective_ = heterogeneity(problem, area_labels)
        self.seconds_ = time.perf_counter() - started
        parameters: dict[str, Any] = {
            "seed": seed,
            "iterations": patience,
            "time_limit": time_limit,
            "starts": starts,
            "tenure": tenure,
            "p": problem.p,
            "regions": int(area_labels.max()) + 1,
        }
        if problem.p is None:
            parameters["constructions"] = constructions
        self.result_ = RegionResult(
            labels=area_labels,
            objective=self.objective_,
            method="heuristic max-p" if problem.p is None else "heuristic p-regions",
            status="time_limit" if search.timed_out else "heuristic",
            gap=None,
            seconds=self.seconds_,
            parameters=parameters,
        )
        return self

    def _constructions(self, search: _Search, starts: int, constructions: int):
        """Yield start partitions, best first for max-p; more than ``starts`` for failed repairs."""
        p = self.problem.p
        if p is not None:
            for attempt in range(4 * starts):
                if attempt and search.expired():
                    return
                labels = search.grow_p(p)
                if labels is not None:
                    yield labels
            return
        drawn: dict[bytes, tuple[int, float, np.ndarray]] = {}
        for attempt in range(constructions):
            if attempt and search.expired():
                break
            labels = search.grow_max_p(compact=attempt % 2 == 1)
            if labels is None:
                continue
            search.load(labels)
            canonical = _first_appearance(labels)
            drawn[canonical.tobytes()] = (-search.k, search.objective(), labels)
        for _, _, labels in sorted(drawn.values(), key=lambda item: (item[0], item[1])):
            yield labels


def _first_appearance(labels: np.ndarray) -> np.ndarray:
    """Renumber regions 0..k-1 in order of their first element."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))
    return order[inverse].astype(np.int64)
