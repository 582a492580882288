"""Exact p-regions: optimal against brute force on small grids, constraints, errors, real data."""

import json
import time
from importlib import resources

import numpy as np
import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from shapely.geometry import shape

from sozialplanung.analytics.geometry import area_km2, shared_borders
from sozialplanung.analytics.regions import (
    RegionInfeasibleError,
    RegionProblem,
    heterogeneity,
    pmedian_cost,
    validate,
)
from sozialplanung.analytics.regions_exact import ExactRegions


def grid_edges(rows: int, cols: int) -> np.ndarray:
    """Rook adjacency of a rows × cols grid numbered row by row."""
    edges = [(r * cols + c, r * cols + c + 1) for r in range(rows) for c in range(cols - 1)]
    edges += [(r * cols + c, (r + 1) * cols + c) for r in range(rows - 1) for c in range(cols)]
    return np.array(edges).reshape(-1, 2)


def partitions(n: int, k: int | None):
    """Every partition of range(n) as labels numbered by first appearance (into k blocks)."""
    labels = [0] * n

    def extend(i: int, used: int):
        if i == n:
            if k is None or used == k:
                yield np.array(labels)
            return
        for label in range(min(used + 1, k or n)):
            labels[i] = label
            yield from extend(i + 1, max(used, label + 1))

    yield from extend(1, 1)


def connected(members: set[int], edges: np.ndarray) -> bool:
    """Breadth-first search inside members, written independently of the module under test."""
    start = next(iter(members))
    seen, frontier = {start}, [start]
    while frontier:
        a = frontier.pop()
        for u, v in edges:
            for x, y in ((u, v), (v, u)):
                if x == a and y in members and y not in seen:
                    seen.add(y)
                    frontier.append(y)
    return seen == members


def feasible(problem: RegionProblem, labels: np.ndarray) -> bool:
    for r in range(labels.max() + 1):
        members = np.flatnonzero(labels == r)
        pop = problem.population[members].sum()
        if not problem.floor <= pop <= problem.ceiling:
            return False
        if not connected(set(members.tolist()), problem.edges):
            return False
    if any(len({labels[a] for a in group}) > 1 for group in problem.must_link):
        return False
    return all(labels[a] != labels[b] for a, b in problem.cannot_link)


def medoid_cost(problem: RegionProblem, labels: np.ndarray) -> float:
    z = problem.standardised
    total = 0.0
    for r in range(labels.max() + 1):
        block = z[labels == r]
        total += min(((block - centre) ** 2).sum() for centre in block)
    return total


def brute_force(problem: RegionProblem) -> tuple[int, float] | None:
    """(number of regions, least p-median cost) over all feasible partitions, or None."""
    best = None
    for labels in partitions(problem.n, problem.p):
        if feasible(problem, labels):
            key = (-(labels.max() + 1), medoid_cost(problem, labels))
            best = key if best is None or key < best else best
    return None if best is None else (-best[0], best[1])


def random_problem(seed: int, rows: int, cols: int, **kwargs) -> RegionProblem:
    rng = np.random.default_rng(seed)
    n = rows * cols
    return RegionProblem(
        attributes=rng.normal(size=(n, 2)),
        population=rng.integers(1, 20, n).astype(float),
        edges=grid_edges(rows, cols),
        **kwargs,
    )


def drawn_problem(seed: int, rows: int, cols: int, **kwargs) -> RegionProblem | None:
    """A random problem for property tests, or None when counting alone proves it unsolvable."""
    try:
        return random_problem(seed, rows, cols, **kwargs)
    except RegionInfeasibleError:
        event("infeasible by counting")
        return None


# --- synthetic: optimal against brute force ---------------------------------------------


@pytest.mark.parametrize("contiguity", ["columns", "flow"])
@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize(
    ("rows", "cols", "p", "floor"), [(3, 3, 2, 10), (3, 3, 3, 10), (2, 4, 3, 10), (3, 3, 4, 4)]
)
def test_it_finds_the_brute_force_optimum_on_small_grids(seed, rows, cols, p, floor, contiguity):
    problem = random_problem(seed, rows, cols, p=p, floor=float(floor))
    model = ExactRegions.from_problem(problem, contiguity).solve()
    assert model.status_ == "optimal" and model.gap_ == 0.0
    assert model.objective_ == pytest.approx(brute_force(problem)[1])
    assert validate(problem, model.labels_) == []


def test_the_shortest_path_variant_is_contiguous_but_may_miss_the_optimum():
    # A ring of 8 areas around a hole; areas 0 and 4 are alike, as are 2 and 6.
    ring = np.array([(i, (i + 1) % 8) for i in range(8)])
    values = np.array([0.0, 5, 10, 5, 0.1, 5, 10.1, 5])
    problem = RegionProblem(values[:, None], np.ones(8), ring, p=2, floor=2)
    exact = ExactRegions.from_problem(problem).solve()
    restricted = ExactRegions.from_problem(problem, "shortest_path").solve()
    assert validate(problem, restricted.labels_) == []
    assert exact.objective_ == pytest.approx(brute_force(problem)[1])
    assert restricted.objective_ >= exact.objective_ - 1e-9


def test_it_reports_heterogeneity_and_the_shared_result():
    problem = random_problem(7, 3, 3, p=3)
    model = ExactRegions.from_problem(problem).solve()
    result = model.result_
    assert result.objective == pytest.approx(heterogeneity(problem, model.labels_))
    assert result.model_objective == pytest.approx(pmedian_cost(problem, model.labels_))
    assert model.objective_ == pytest.approx(pmedian_cost(problem, model.labels_, model.centres_))
    assert (result.status, result.gap, result.method) == ("optimal", 0.0, "exact-pmedian-columns")
    assert result.parameters["p"] == 3 and len(result.parameters["centres"]) == 3
    assert sorted(set(model.labels_.tolist())) == [0, 1, 2]


def test_max_p_first_maximises_the_number_of_regions_then_minimises_cost():
    problem = random_problem(3, 2, 4, p=None, floor=25.0)
    model = ExactRegions.from_problem(problem).solve()
    count, cost = brute_force(problem)
    assert model.labels_.max() + 1 == count
    assert model.objective_ == pytest.approx(cost)
    assert model.result_.parameters["max_p"] is True


# --- synthetic: constraints --------------------------------------------------------------


def test_it_respects_floor_and_ceiling():
    problem = random_problem(11, 3, 3, p=3, floor=25.0, ceiling=45.0)
    model = ExactRegions.from_problem(problem).solve()
    pops = [problem.population[model.labels_ == r].sum() for r in range(3)]
    assert all(25 <= pop <= 45 for pop in pops)
    assert model.objective_ == pytest.approx(brute_force(problem)[1])


def test_it_keeps_must_link_groups_together_and_cannot_link_pairs_apart():
    problem = random_problem(5, 3, 3, p=3, must_link=((0, 2, 1), (6, 7)), cannot_link=((4, 5),))
    model = ExactRegions.from_problem(problem).solve()
    labels = model.labels_
    assert labels[0] == labels[1] == labels[2] and labels[6] == labels[7]
    assert labels[4] != labels[5]
    assert model.objective_ == pytest.approx(brute_force(problem)[1])


def test_it_raises_quickly_when_contiguity_makes_the_floor_unreachable():
    # A star: the centre's region takes all but one leaf, and a lone leaf is below the floor.
    star = np.array([(0, 1), (0, 2), (0, 3)])
    problem = RegionProblem(np.arange(4.0), np.array([1.0, 5, 5, 5]), star, p=2, floor=6.0)
    start = time.perf_counter()
    with pytest.raises(RegionInfeasibleError, match="keine Einteilung in 2 zusammenhängende"):
        ExactRegions.from_problem(problem).solve(time_limit=2)
    assert time.perf_counter() - start < 2.5


def test_it_rejects_an_unknown_contiguity_model():
    with pytest.raises(ValueError, match="'tree'"):
        ExactRegions(random_problem(0, 2, 2, p=2), contiguity="tree")


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    shape_=st.sampled_from([(1, 4), (2, 2), (2, 3), (1, 6), (2, 4)]),
    p=st.integers(1, 4),
    floor_share=st.floats(0, 1.2),
    ceiling_share=st.one_of(st.none(), st.floats(0.3, 1.5)),
)
# HiGHS 1.16 mispriced the heuristic's start under presolve here and stopped at a worse partition.
@example(seed=4, shape_=(2, 3), p=4, floor_share=0.5, ceiling_share=None)
def test_any_solution_is_an_optimal_contiguous_partition_within_bounds(
    seed, shape_, p, floor_share, ceiling_share
):
    rows, cols = shape_
    rng = np.random.default_rng(seed)
    n = rows * cols
    p = min(p, n)
    population = rng.integers(1, 20, n).astype(float)
    fair = population.sum() / p
    ceiling = np.inf if ceiling_share is None else max(fair * ceiling_share, 1.0)
    try:
        problem = RegionProblem(
            rng.normal(size=(n, 2)),
            population,
            grid_edges(rows, cols),
            p=p,
            floor=min(fair * floor_share, ceiling),
            ceiling=ceiling,
        )
    except RegionInfeasibleError:
        event("infeasible by counting")
        return
    expected = brute_force(problem)
    try:
        model = ExactRegions.from_problem(problem).solve(time_limit=20)
    except RegionInfeasibleError:
        event("infeasible, proven by the solver")
        assert expected is None
        return
    event("solved")
    assert validate(problem, model.labels_) == []
    assert expected is not None and model.objective_ == pytest.approx(expected[1])


# --- real world: the 59 municipalities of the demo county --------------------------------


def demo_county(p: int | None) -> RegionProblem:
    path = resources.files("sozialplanung.demo") / "data" / "gemeinden_vg250ew_2024.geojson"
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    geometries = [shape(f["geometry"]) for f in features]
    population = np.array([f["properties"]["EWZ"] for f in features], dtype=float)
    edges = np.array([(i, j) for i, j, _ in shared_borders(geometries)])
    density = population / area_km2(geometries)
    return RegionProblem(
        np.column_stack([np.log(density), np.log(population)]),
        population,
        edges,
        p=p,
        floor=8000.0,
    )


def test_max_p_out_of_time_keeps_the_heuristic_count_instead_of_failing():
    problem = demo_county(None)
    model = ExactRegions.from_problem(problem).solve(time_limit=4)
    assert model.status_ == "time_limit"
    assert validate(problem, model.labels_) == []
    assert model.labels_.max() + 1 >= 7  # 8 is possible; the heuristic finds it


def test_it_solves_the_demo_county_to_proven_optimality():
    problem = demo_county(4)
    model = ExactRegions.from_problem(problem).solve(time_limit=60)
    assert (model.status_, model.gap_) == ("optimal", 0.0)
    assert validate(problem, model.labels_) == []
    assert model.seconds_ < 60
    # Optimum of this model measured once (p-median cost on z-scores); guards regressions.
    assert model.objective_ == pytest.approx(39.294, abs=1e-3)


# --- warm start and reduced-cost fixing ----------------------------------------------------


def best_partition(problem: RegionProblem) -> np.ndarray:
    """Labels of a least-cost feasible partition, by brute force."""
    feasible_labels = (lab for lab in partitions(problem.n, problem.p) if feasible(problem, lab))
    return min(feasible_labels, key=lambda lab: medoid_cost(problem, lab))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    shape_=st.sampled_from([(2, 3), (3, 3), (2, 4)]),
    p=st.integers(2, 4),
)
@example(seed=2574, shape_=(2, 3), p=4)  # too few people for p regions: refused up front
def test_fixing_against_the_optimum_keeps_the_optimal_partition(seed, shape_, p):
    problem = drawn_problem(seed, *shape_, p=p, floor=8.0)
    if problem is None or brute_force(problem) is None:
        return
    optimum = best_partition(problem)
    model = ExactRegions(problem)
    x, cost = model._incumbent_x(optimum)
    # The tightest legal incumbent: fixing may remove only what costs more than the optimum.
    root = model.root(p, time.perf_counter() + 5, 1, cost)
    rows, cols = np.nonzero(x)
    assert not root.forbidden[rows, cols].any()
    assert all(x[i, j] == 1 for i, j in root.forced)
    assert root.bound <= cost + 1e-6


def test_it_starts_from_given_labels_and_never_returns_worse():
    problem = random_problem(2, 3, 3, p=3, floor=10.0)
    start = best_partition(problem)
    model = ExactRegions(problem).solve(initial_labels=start, time_limit=5)
    assert model.result_.parameters["warm_start"] is True
    assert model.objective_ <= medoid_cost(problem, start) + 1e-9
    assert model.objective_ == pytest.approx(brute_force(problem)[1])


def test_it_is_at_least_as_good_as_the_heuristic_start():
    from sozialplanung.analytics.regions_heuristic import HeuristicRegions

    problem = random_problem(4, 3, 4, p=4, floor=15.0)
    heuristic = HeuristicRegions(problem).solve(seed=2016, time_limit=1)
    model = ExactRegions(problem).solve(time_limit=0.5)  # too short to prove, not to start
    assert model.objective_ <= pmedian_cost(problem, heuristic.labels_) + 1e-9


def test_it_rejects_initial_labels_that_break_a_constraint():
    problem = random_problem(2, 3, 3, p=3, floor=10.0)
    with pytest.raises(ValueError, match="initial_labels verletzen.*Untergrenze"):
        ExactRegions(problem).solve(initial_labels=np.array([0, 1, 2, 2, 2, 2, 2, 2, 2]))


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), p=st.integers(3, 4))
def test_polishing_keeps_a_partition_valid_and_never_raises_its_cost(seed, p):
    from sozialplanung.analytics.regions_exact_cuts import polish_pmedian

    problem = drawn_problem(seed, 3, 3, p=p, floor=10.0, ceiling=70.0, cannot_link=((0, 1),))
    if problem is None:
        return
    start = next((lab for lab in partitions(9, p) if feasible(problem, lab)), None)
    if start is None:
        return
    polished = polish_pmedian(problem, start)
    assert validate(problem, polished) == []
    assert medoid_cost(problem, polished) <= medoid_cost(problem, start) + 1e-9
