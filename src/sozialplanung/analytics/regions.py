"""Planning regions: group contiguous areas into p regions of similar areas.

Shared vocabulary of the exact solver (:mod:`.regions_exact`) and the heuristic
(:mod:`.regions_heuristic`): a :class:`RegionProblem` states areas, attributes, rook adjacency
and constraints; both solvers return a :class:`RegionResult`; :func:`validate` lists every
violated rule in German and :func:`quality` measures a solution. The problem is the p-regions
problem of Duque, Church & Middleton (2011), "The p-regions problem", *Geographical Analysis*
43(1), 104-126, extended by population bounds and must-/cannot-link constraints; ``p=None``
asks for as many regions as the constraints allow (max-p, Duque, Anselin & Rey 2012).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike

#: Slack on population bounds, so that float sums of counts meeting a bound exactly pass.
BOUND_TOLERANCE = 1e-9


class RegionInfeasibleError(ValueError):
    """The constraints admit no regionalisation (the message says which ones, in German)."""


def standardise(attributes: ArrayLike) -> np.ndarray:
    """Return column z-scores (ddof=1); a constant column becomes 0 instead of NaN."""
    values = np.asarray(attributes, dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    mean = values.mean(axis=0)
    std = values.std(axis=0, ddof=1) if values.shape[0] > 1 else np.zeros(values.shape[1])
    safe = np.where(std > 0, std, 1.0)
    return np.where(std > 0, (values - mean) / safe, 0.0)


def coordinate_attributes(xy: ArrayLike, weight: float) -> tuple[np.ndarray, tuple[float, float]]:
    """Centroid coordinates as two attribute columns, with weights for compact regions.

    Standardising x and y separately would stretch the shorter axis of the territory; the
    weights ``weight · var_x / s²`` and ``weight · var_y / s²`` (s² the mean of both variances)
    undo that, so the pair adds ``weight · (squared distance / s²)`` to every squared distance.
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    variances = xy.var(axis=0, ddof=1) if len(xy) > 1 else np.ones(2)
    mean = float(variances.mean()) or 1.0
    return xy, (weight * float(variances[0]) / mean, weight * float(variances[1]) / mean)


def _components(n: int, edges: np.ndarray) -> np.ndarray:
    """Label connected components of the area graph 0..c-1 (union-find)."""
    parent = np.arange(n)

    def root(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for a, b in edges:
        ra, rb = root(int(a)), root(int(b))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    roots = np.array([root(a) for a in range(n)], dtype=int)
    return np.unique(roots, return_inverse=True)[1]


def _fmt(value: float) -> str:
    """German number format without decimals for people counts: 12.345."""
    return f"{value:,.0f}".replace(",", ".")


@dataclass(frozen=True, eq=False)
class RegionProblem:
    """A p-regions problem on n areas.

    Parameters
    ----------
    attributes : ndarray, shape (n, m)
        Attributes of the areas; z-standardised internally (:func:`standardise`), so every
        column weighs the same in distances and heterogeneity.
    population : ndarray, shape (n,)
        Non-negative population (or another additive size) per area.
    edges : ndarray, shape (e, 2)
        Undirected rook adjacency as index pairs; stored sorted with i < j and deduplicated.
    p : int or None
        Number of regions, 1..n; ``None`` asks for as many regions as possible (max-p).
    floor, ceiling : float
        Minimum and maximum population of every region.
    must_link : tuple of tuples of int
        Groups of areas that must lie in one region (e.g. an administrative association).
    cannot_link : tuple of (int, int)
        Pairs of areas that must lie in different regions.
    names : tuple of str
        Optional area names for messages; empty or length n.
    weights : tuple of float
        Optional weight per attribute column (default 1 each): the standardised column is
        scaled by its square root, so a column of weight 2 counts twice in every squared
        distance. Giving projected centroid coordinates a weight makes regions compact.

    Raises
    ------
    ValueError
        For malformed input, naming the offending numbers.
    RegionInfeasibleError
        (a ``ValueError``) when a simple count already proves that no solution exists.
    """

    attributes: np.ndarray
    population: np.ndarray
    edges: np.ndarray
    p: int | None
    floor: float = 0.0
    ceiling: float = math.inf
    must_link: tuple[tuple[int, ...], ...] = ()
    cannot_link: tuple[tuple[int, int], ...] = ()
    names: tuple[str, ...] = ()
    weights: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        attributes = np.asarray(self.attributes, dtype=float)
        if attributes.ndim == 1:
            attributes = attributes[:, None]
        population = np.asarray(self.population, dtype=float)
        if attributes.ndim != 2 or attributes.shape[0] == 0:
            raise ValueError(f"attributes muss n × m sein, hat die Form {attributes.shape}.")
        n = attributes.shape[0]
        if population.shape != (n,):
            raise ValueError(f"population hat die Form {population.shape}, erwartet ({n},).")
        if not np.all(np.isfinite(attributes)):
            rows = sorted({int(i) for i in np.argwhere(~np.isfinite(attributes))[:, 0]})
            raise ValueError(f"attributes enthält NaN/unendlich in den Zeilen {rows[:10]}.")
        bad = np.flatnonzero(~np.isfinite(population) | (population < 0))
        if bad.size:
            raise ValueError(
                f"population muss endlich und ≥ 0 sein; Gebiete {bad[:10].tolist()} haben "
                f"{population[bad[:10]].tolist()}."
            )
        edges = np.asarray(self.edges).reshape(-1, 2) if np.size(self.edges) else np.zeros((0, 2))
        if edges.size and not np.all(np.equal(np.mod(edges, 1), 0)):
            raise ValueError("edges muss ganzzahlige Gebietsindizes enthalten.")
        edges = edges.astype(int)
        out = np.flatnonzero(((edges < 0) | (edges >= n)).any(axis=1))
        if out.size:
            raise ValueError(
                f"edges verweist auf Gebiete außerhalb 0..{n - 1}: {edges[out[:5]].tolist()}."
            )
        loops = np.flatnonzero(edges[:, 0] == edges[:, 1])
        if loops.size:
            raise ValueError(f"edges enthält Schleifen (i, i): {edges[loops[:5]].tolist()}.")
        edges = np.unique(np.sort(edges, axis=1), axis=0).reshape(-1, 2)
        p = self.p
        if p is not None:
            if isinstance(p, bool) or int(p) != p or not 1 <= p <= n:
                raise ValueError(f"p = {p} liegt nicht in 1..{n} (Anzahl der Gebiete).")
            p = int(p)
        floor, ceiling = float(self.floor), float(self.ceiling)
        if math.isnan(floor) or math.isnan(ceiling) or floor < 0 or ceiling <= 0:
            raise ValueError(f"Untergrenze {floor} muss ≥ 0, Obergrenze {ceiling} > 0 sein.")
        if floor > ceiling:
            raise ValueError(
                f"Untergrenze {_fmt(floor)} ist größer als Obergrenze {_fmt(ceiling)}."
            )
        names = tuple(str(name) for name in self.names)
        if names and len(names) != n:
            raise ValueError(f"names hat {len(names)} Einträge, erwartet 0 oder {n}.")
        weights = tuple(float(w) for w in self.weights) or (1.0,) * attributes.shape[1]
        if len(weights) != attributes.shape[1] or not all(
            math.isfinite(w) and w >= 0 for w in weights
        ):
            raise ValueError(
                f"weights braucht {attributes.shape[1]} endliche Gewichte ≥ 0, nicht {weights}."
            )
        if not any(weights):
            raise ValueError("weights: mindestens ein Merkmal braucht ein Gewicht > 0.")
        must_link = tuple(tuple(int(a) for a in group) for group in self.must_link)
        cannot_link = tuple((int(a), int(b)) for a, b in self.cannot_link)
        for group in must_link:
            if not group or any(not 0 <= a < n for a in group):
                raise ValueError(f"must_link-Gruppe {group} ist leer oder nicht in 0..{n - 1}.")
        for a, b in cannot_link:
            if not (0 <= a < n and 0 <= b < n) or a == b:
                raise ValueError(f"cannot_link-Paar ({a}, {b}) ist ungültig (0..{n - 1}, a ≠ b).")
        for name, value in [
            ("attributes", attributes),
            ("population", population),
            ("edges", edges),
            ("p", p),
            ("floor", floor),
            ("ceiling", ceiling),
            ("must_link", must_link),
            ("cannot_link", cannot_link),
            ("names", names),
            ("weights", weights),
        ]:
            object.__setattr__(self, name, value)
        self._check_counts()

    def _check_counts(self) -> None:
        """Raise RegionInfeasibleError for infeasibility that simple counting proves."""
        total = float(self.population.sum())
        heavy = np.flatnonzero(self.population > self.ceiling + BOUND_TOLERANCE)
        if heavy.size:
            a = int(heavy[0])
            raise RegionInfeasibleError(
                f"unlösbar (infeasible): {self.area_name(a)} hat {_fmt(self.population[a])} "
                f"Einwohner, mehr als die Obergrenze {_fmt(self.ceiling)}."
            )
        k = self.p if self.p is not None else 1
        if total < k * (self.floor - BOUND_TOLERANCE):
            raise RegionInfeasibleError(
                f"unlösbar (infeasible): Gesamtbevölkerung {_fmt(total)} < {k} Regionen × "
                f"Untergrenze {_fmt(self.floor)} = {_fmt(k * self.floor)}."
            )
        if self.p is not None and total > self.p * (self.ceiling + BOUND_TOLERANCE):
            raise RegionInfeasibleError(
                f"unlösbar (infeasible): Gesamtbevölkerung {_fmt(total)} > {self.p} Regionen × "
                f"Obergrenze {_fmt(self.ceiling)} = {_fmt(self.p * self.ceiling)}."
            )
        components = self.components
        n_components = int(components.max()) + 1
        if self.p is not None and self.p < n_components:
            raise RegionInfeasibleError(
                f"unlösbar (infeasible): der Nachbarschaftsgraph zerfällt in {n_components} "
                f"Teile, aber p = {self.p}; jede Region muss zusammenhängen, also p ≥ "
                f"{n_components}."
            )
        for c in range(n_components):
            pop = float(self.population[components == c].sum())
            if pop < self.floor - BOUND_TOLERANCE:
                members = np.flatnonzero(components == c)
                raise RegionInfeasibleError(
                    f"unlösbar (infeasible): der abgetrennte Teil {self._list(members)} hat nur "
                    f"{_fmt(pop)} Einwohner, weniger als die Untergrenze {_fmt(self.floor)}."
                )
        for group in self.must_link:
            if len({int(components[a]) for a in group}) > 1:
                raise RegionInfeasibleError(
                    f"unlösbar (infeasible): must_link-Gruppe {self._list(group)} liegt in "
                    "nicht verbundenen Teilen des Graphen."
                )
            pop = float(self.population[list(set(group))].sum())
            if pop > self.ceiling + BOUND_TOLERANCE:
                raise RegionInfeasibleError(
                    f"unlösbar (infeasible): must_link-Gruppe {self._list(group)} hat "
                    f"{_fmt(pop)} Einwohner, mehr als die Obergrenze {_fmt(self.ceiling)}."
                )
        if self.must_link and self.cannot_link:
            group_of = self.must_link_groups
            for a, b in self.cannot_link:
                if group_of[a] == group_of[b]:
                    raise RegionInfeasibleError(
                        f"unlösbar (infeasible): {self.area_name(a)} und {self.area_name(b)} "
                        "sollen getrennt sein, gehören aber zu einer must_link-Gruppe."
                    )

    @property
    def n(self) -> int:
        """Number of areas."""
        return int(self.attributes.shape[0])

    @cached_property
    def standardised(self) -> np.ndarray:
        """Z-scored, weighted attributes (n × m) used by every distance and by heterogeneity."""
        return standardise(self.attributes) * np.sqrt(np.array(self.weights))

    @cached_property
    def distances(self) -> np.ndarray:
        """Squared attribute distance between every two areas (n × n): the p-median costs."""
        z = self.standardised
        return ((z[:, None, :] - z[None, :, :]) ** 2).sum(axis=2)

    @cached_property
    def neighbours(self) -> tuple[np.ndarray, ...]:
        """Sorted neighbour indices of each area."""
        lists: list[list[int]] = [[] for _ in range(self.n)]
        for a, b in self.edges:
            lists[a].append(int(b))
            lists[b].append(int(a))
        return tuple(np.array(sorted(x), dtype=int) for x in lists)

    @cached_property
    def components(self) -> np.ndarray:
        """Connected component id (0..c-1) of each area in the adjacency graph."""
        return _components(self.n, self.edges)

    @cached_property
    def must_link_groups(self) -> np.ndarray:
        """Id of each area's merged must-link group; areas in no group get their own id."""
        pairs = [(g[0], a) for g in self.must_link for a in g[1:]]
        return _components(self.n, np.array(pairs, dtype=int).reshape(-1, 2))

    def area_name(self, area: int) -> str:
        """Name of an area for messages ("Gebiet 3" without names)."""
        return self.names[area] if self.names else f"Gebiet {area}"

    def _list(self, areas: ArrayLike) -> str:
        names = [self.area_name(int(a)) for a in np.asarray(areas).ravel()]
        return "{" + ", ".join(names[:8]) + (", …" if len(names) > 8 else "") + "}"


@dataclass
class RegionResult:
    """A regionalisation found by a solver.

    ``labels`` numbers regions 0..k-1; ``objective`` is :func:`heterogeneity`, comparable
    across methods; ``model_objective`` is what the method itself optimised (e.g. the p-median
    cost of :mod:`.regions_exact`), to which ``gap`` (relative MIP gap, ``None`` for
    heuristics) refers. ``status`` is "optimal", "time_limit" or "heuristic".
    """

    labels: np.ndarray
    objective: float
    method: str
    status: str
    gap: float | None
    seconds: float
    parameters: dict[str, Any] = field(default_factory=dict)
    model_objective: float | None = None


def _parts(problem: RegionProblem, members: np.ndarray) -> list[np.ndarray]:
    """Split a set of areas into its connected parts in the adjacency graph."""
    inside = set(members.tolist())
    pairs = [(a, b) for a, b in problem.edges.tolist() if a in inside and b in inside]
    index = {a: k for k, a in enumerate(members.tolist())}
    local = np.array([(index[a], index[b]) for a, b in pairs], dtype=int).reshape(-1, 2)
    comp = _components(len(members), local)
    return [members[comp == c] for c in range(int(comp.max()) + 1)]


def validate(problem: RegionProblem, labels: ArrayLike) -> list[str]:
    """Return a German message for every rule the labels break; an empty list means valid."""
    labels = np.asarray(labels)
    if labels.shape != (problem.n,):
        return [f"Keine Zerlegung: {labels.size} Labels für {problem.n} Gebiete."]
    if not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0:
        return ["Keine Zerlegung: Labels müssen ganze Zahlen ≥ 0 sein."]
    messages = []
    used = np.unique(labels)
    if used.size != labels.max() + 1:
        missing = sorted(set(range(int(labels.max()) + 1)) - set(used.tolist()))
        messages.append(f"Keine Zerlegung: die Regionen {missing} sind leer (Labels 0..k-1).")
    for r in used.tolist():
        members = np.flatnonzero(labels == r)
        parts = _parts(problem, members)
        if len(parts) > 1:
            described = " und ".join(problem._list(part) for part in parts)
            messages.append(f"Region {r} ist nicht zusammenhängend: Teile {described}.")
        pop = float(problem.population[members].sum())
        if pop < problem.floor - BOUND_TOLERANCE:
            messages.append(
                f"Region {r} hat {_fmt(pop)} Einwohner, weniger als die Untergrenze "
                f"{_fmt(problem.floor)}."
            )
        if pop > problem.ceiling + BOUND_TOLERANCE:
            messages.append(
                f"Region {r} hat {_fmt(pop)} Einwohner, mehr als die Obergrenze "
                f"{_fmt(problem.ceiling)}."
            )
    for group in problem.must_link:
        regions = sorted({int(labels[a]) for a in group})
        if len(regions) > 1:
            messages.append(
                f"must_link-Gruppe {problem._list(group)} ist auf die Regionen {regions} verteilt."
            )
    for a, b in problem.cannot_link:
        if labels[a] == labels[b]:
            messages.append(
                f"{problem.area_name(a)} und {problem.area_name(b)} liegen beide in Region "
                f"{int(labels[a])}, sollen aber getrennt sein."
            )
    if problem.p is not None and used.size != problem.p:
        messages.append(f"{used.size} Regionen statt p = {problem.p}.")
    return messages


def heterogeneity(problem: RegionProblem, labels: ArrayLike) -> float:
    """Sum over regions of squared deviations of the standardised attributes from the region mean.

    The within-region sum of squares of Duque, Church & Middleton (2011); both solvers
    report it, so their results are comparable.
    """
    labels = np.asarray(labels)
    z = problem.standardised
    total = 0.0
    for r in np.unique(labels):
        block = z[labels == r]
        total += float(((block - block.mean(axis=0)) ** 2).sum())
    return total


def medoid(z: np.ndarray, members: np.ndarray) -> tuple[int, float]:
    """The member of a region closest to all others (squared distances on ``z``), and that cost.

    Returns the position in ``members`` of the medoid and the sum of squared distances of all
    members to it: the best centre of the region in the p-median sense.
    """
    block = z[members]
    costs = ((block[:, None, :] - block[None, :, :]) ** 2).sum(axis=2).sum(axis=0)
    best = int(costs.argmin())
    return best, float(costs[best])


def pmedian_cost(
    problem: RegionProblem, labels: ArrayLike, centres: ArrayLike | None = None
) -> float:
    """Sum of squared attribute distances of each area to its region's centre area.

    This is what :class:`.regions_exact.ExactRegions` minimises. ``centres[r]`` is the centre
    area of region r; by default each region's best centre (its medoid) is used.
    """
    labels = np.asarray(labels)
    z = problem.standardised
    total = 0.0
    for r in np.unique(labels):
        members = np.flatnonzero(labels == r)
        if centres is None:
            total += medoid(z, members)[1]
        else:
            centre = int(np.asarray(centres)[r])
            total += float(((z[members] - z[centre]) ** 2).sum())
    return total


def polsby_popper(geometry: shapely.Geometry) -> float:
    """Compactness 4πA/P² (1 for a disc); needs a projected CRS, lon/lat distorts it."""
    perimeter = float(shapely.length(geometry))
    if perimeter == 0:
        return 0.0
    return 4 * math.pi * float(shapely.area(geometry)) / perimeter**2


def quality(
    problem: RegionProblem,
    labels: ArrayLike,
    geometries: ArrayLike | None = None,
    groups: ArrayLike | None = None,
) -> dict[str, Any]:
    """Measure a regionalisation for comparing solutions.

    Returns heterogeneity, number of regions, region population min/max/cv (ddof=0),
    Polsby-Popper compactness per region and its mean and min (if ``geometries`` in a
    projected CRS are given; Polsby & Popper 1991), and the number of ``groups`` (one id per
    area, e.g. the administrative association; ids None or -1 are ignored) split over more
    than one region.
    """
    labels = np.asarray(labels)
    regions = np.unique(labels)
    pops = np.array([problem.population[labels == r].sum() for r in regions], dtype=float)
    mean = pops.mean()
    result: dict[str, Any] = {
        "heterogeneity": heterogeneity(problem, labels),
        "n_regions": int(regions.size),
        "population_min": float(pops.min()),
        "population_max": float(pops.max()),
        "population_cv": float(pops.std() / mean) if mean > 0 else 0.0,
        "compactness": None,
        "compactness_mean": None,
        "compactness_min": None,
        "split_groups": None,
    }
    if geometries is not None:
        geoms = np.asarray(geometries, dtype=object)
        scores = [polsby_popper(shapely.union_all(geoms[labels == r])) for r in regions]
        result["compactness"] = scores
        result["compactness_mean"] = float(np.mean(scores))
        result["compactness_min"] = float(np.min(scores))
    if groups is not None:
        ids = list(groups)
        by_group: dict[Any, set[int]] = {}
        for area, gid in enumerate(ids):
            if gid is None or (isinstance(gid, int | np.integer) and gid == -1):
                continue
            by_group.setdefault(gid, set()).add(int(labels[area]))
        result["split_groups"] = sum(len(r) > 1 for r in by_group.values())
    return result
