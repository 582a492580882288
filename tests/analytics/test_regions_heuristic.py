import itertools
from functools import cache

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sozialplanung.analytics.regions import (
    RegionInfeasibleError,
    RegionProblem,
    heterogeneity,
    validate,
)
from sozialplanung.analytics.regions_heuristic import HeuristicRegions
from sozialplanung.analytics.regions_search import _Search, _Units


def lattice(rows: int, cols: int) -> np.ndarray:
    """Rook adjacency of a rows × cols grid, areas numbered row by row."""
    index = np.arange(rows * cols).reshape(rows, cols)
    across = np.c_[index[:, :-1].ravel(), index[:, 1:].ravel()]
    down = np.c_[index[:-1, :].ravel(), index[1:, :].ravel()]
    return np.concatenate([across, down]).reshape(-1, 2)


def grid_problem(rows, cols, p, seed=0, m=2, population=None, **constraints):
    rng = np.random.default_rng(seed)
    n = rows * cols
    attributes = rng.normal(size=(n, m))
    if population is None:
        population = rng.integers(100, 1000, n).astype(float)
    return RegionProblem(attributes, population, lattice(rows, cols), p, **constraints)


def solve(problem, **options):
    return HeuristicRegions.from_problem(problem).solve(**options)


@cache
def brute_force_optimum(rows, cols, p, seed):
    """Lowest heterogeneity over every valid partition (enumerated as restricted growth strings)."""
    problem = grid_problem(rows, cols, p, seed)
    best = np.inf
    for rest in itertools.product(range(p), repeat=problem.n - 1):
        labels = np.array((0, *rest))
        first = [int(np.argmax(labels == r)) for r in range(p) if (labels == r).any()]
        if first != sorted(first) or len(first) < p:
            continue
        if not validate(problem, labels):
            best = min(best, heterogeneity(problem, labels))
    return best


# Synthetic: valid, reproducible, good


def test_the_same_seed_gives_the_same_regions():
    problem = grid_problem(8, 8, 5, floor=4000)
    first, second = solve(problem, seed=7), solve(problem, seed=7)
    assert np.array_equal(first.labels_, second.labels_)
    assert first.objective_ == second.objective_


@pytest.mark.parametrize(
    "constraints",
    [
        {"p": 4},
        {"p": 6, "floor": 4500, "ceiling": 7000},
        {"p": None, "floor": 5000},
        {"p": None, "floor": 3000, "ceiling": 6000},
        {"p": 3, "must_link": ((0, 63), (20, 21, 22)), "cannot_link": ((0, 7), (56, 63))},
        {"p": None, "floor": 4000, "must_link": ((9, 54),), "cannot_link": ((27, 28),)},
    ],
)
def test_every_result_is_a_valid_partition(constraints):
    problem = grid_problem(8, 8, seed=3, **constraints)
    result = solve(problem, seed=1).result_
    assert validate(problem, result.labels) == []
    assert result.objective == pytest.approx(heterogeneity(problem, result.labels))
    assert result.status == "heuristic" and result.gap is None


@pytest.mark.parametrize("rows, cols, p", [(3, 3, 3), (3, 4, 2), (2, 5, 3)])
def test_small_grids_reach_the_brute_force_optimum_in_most_seeds(rows, cols, p):
    optimum = brute_force_optimum(rows, cols, p, seed=11)
    found = [solve(grid_problem(rows, cols, p, seed=11), seed=s).objective_ for s in range(10)]
    assert min(found) >= optimum - 1e-9
    assert sum(value <= optimum + 1e-9 for value in found) >= 8


def test_max_p_with_a_floor_of_three_areas_forms_about_a_third_as_many_regions():
    problem = grid_problem(9, 9, None, population=np.ones(81), floor=3)
    result = solve(problem, seed=5)
    regions = int(result.labels_.max()) + 1
    assert 0.8 * 27 <= regions <= 27
    assert validate(problem, result.labels_) == []


@pytest.mark.parametrize("seed", range(4))
def test_max_p_reaches_the_proven_largest_number_of_regions(seed):
    from sozialplanung.analytics.regions_exact import ExactRegions

    rng = np.random.default_rng(seed)
    population = rng.integers(1, 10, 12).astype(float)
    problem = grid_problem(3, 4, None, seed=seed, population=population, floor=12.0)
    most = ExactRegions(problem).solve(time_limit=30).labels_.max()
    assert solve(problem, seed=seed).labels_.max() == most


def test_a_must_link_group_whose_areas_do_not_touch_ends_up_in_one_region():
    problem = grid_problem(5, 5, 3, must_link=((0, 24),), cannot_link=((0, 4),))
    labels = solve(problem).labels_
    assert labels[0] == labels[24] != labels[4]
    assert validate(problem, labels) == []


# Invariants of the improvement phase


@settings(max_examples=25, deadline=None)
@given(
    rows=st.integers(2, 6),
    cols=st.integers(2, 6),
    p=st.integers(2, 5),
    seed=st.integers(0, 10_000),
)
def test_descent_and_tabu_search_never_increase_heterogeneity(rows, cols, p, seed):
    assume(p <= rows * cols)  # a 2 × 2 grid cannot hold five regions
    problem = grid_problem(rows, cols, p, seed=seed)
    search = _Search(_Units(problem), problem, np.random.default_rng(seed), deadline=np.inf)
    search.load(search.grow_p(p))
    assert search.repair()
    constructed = search.objective()
    search.descend()
    descended = search.objective()
    labels, searched = search.tabu(patience=50, tenure=3)
    assert descended <= constructed + 1e-9
    assert searched <= descended + 1e-9
    # The incrementally kept objective is the heterogeneity of the labels.
    assert searched == pytest.approx(heterogeneity(problem, labels))


@settings(max_examples=40, deadline=None)
@given(
    rows=st.integers(1, 5),
    cols=st.integers(1, 5),
    data=st.data(),
)
def test_random_small_grids_give_valid_partitions(rows, cols, data):
    n = rows * cols
    population = np.array(data.draw(st.lists(st.integers(0, 500), min_size=n, max_size=n)))
    p = data.draw(st.none() | st.integers(1, n))
    # Floors that a solution always meets: the whole grid for max-p, the smallest area for p.
    top = population.sum() if p is None else population.min()
    floor = data.draw(st.floats(0, 1)) * top
    problem = grid_problem(rows, cols, p, seed=n, population=population, floor=floor)
    result = solve(problem, seed=data.draw(st.integers(0, 100)), starts=2)
    assert validate(problem, result.labels_) == []


# Errors


def test_too_many_regions_for_the_merged_must_link_groups_is_infeasible():
    problem = grid_problem(2, 2, 3, must_link=((0, 1, 2),))
    with pytest.raises(RegionInfeasibleError, match="nur 2 Gebietseinheiten"):
        solve(problem)


def test_constraints_the_heuristic_cannot_meet_raise_a_german_error():
    # On a path, two contiguous regions always join 0 with 1 or 2 with 3.
    edges = np.array([(0, 1), (1, 2), (2, 3)])
    problem = RegionProblem(np.arange(4.0), np.ones(4), edges, 2, cannot_link=((0, 1), (2, 3)))
    with pytest.raises(ValueError, match="Keine Einteilung gefunden"):
        solve(problem)


def test_a_zero_time_limit_still_returns_a_valid_start():
    problem = grid_problem(6, 6, 4, floor=1500)
    result = solve(problem, time_limit=0).result_
    assert result.status == "time_limit"
    assert validate(problem, result.labels) == []
