"""Set-partitioning p-regions: the column search against brute force, the solver against the
brute-force optimum of all partitions."""

import itertools
import math
import time
import types
from pathlib import Path

import numpy as np
import pytest
from tests.analytics.test_regions_exact import (
    brute_force,
    connected,
    feasible,
    grid_edges,
    medoid_cost,
    partitions,
    random_problem,
)

from sozialplanung.analytics import regions_partition as partition
from sozialplanung.analytics import regions_pricing as pricing
from sozialplanung.analytics.regions import validate
from sozialplanung.analytics.regions_columns import connected_sets, improve_set
from sozialplanung.analytics.regions_exact import RegionSolveError
from sozialplanung.analytics.regions_master import (
    Columns,
    Master,
    Units,
    fix_by_reduced_cost,
    solve_master,
)
from sozialplanung.analytics.regions_partition import PartitionSolver, Round
from sozialplanung.analytics.regions_subset_rows import SubsetRows, separate


def csr(count: int, pairs) -> tuple[np.ndarray, np.ndarray]:
    lists = [[] for _ in range(count)]
    for a, b in pairs:
        lists[a].append(b)
        lists[b].append(a)
    indptr = np.r_[0, np.cumsum([len(x) for x in lists])].astype(np.int64)
    return indptr, np.array([v for x in lists for v in x], dtype=np.int64)


NO_CUTS = (np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))


def every_set(start, weight, pop, floor, ceiling, edges, conflicts, cuts=(), penalty=()) -> dict:
    """Weight of every connected set around start within the bounds, by plain enumeration
    (plus the penalty of each cut, a triple of units, of which it holds two or more)."""
    count, found = len(weight), {}
    others = [u for u in range(count) if u != start]
    for size in range(len(others) + 1):
        for rest in itertools.combinations(others, size):
            members = {start, *rest}
            if not connected(members, edges):
                continue
            if any(a in members and b in members for a, b in conflicts):
                continue
            people = pop[list(members)].sum()
            if floor <= people <= ceiling:
                held = [len(members & set(t)) >= 2 for t in cuts]
                charge = sum(s for h, s in zip(held, penalty, strict=True) if h)
                found[frozenset(members)] = weight[list(members)].sum() + charge
    return found


@pytest.mark.parametrize("seed", range(12))
def test_the_search_finds_exactly_the_sets_below_the_threshold_and_the_lightest(seed):
    rng = np.random.default_rng(seed)
    edges = grid_edges(3, 4)
    count = 12
    weight, pop = rng.normal(size=count), rng.integers(1, 10, count).astype(float)
    floor = float(rng.integers(0, 30))
    ceiling = float(rng.integers(20, 60)) if seed % 3 == 0 else np.inf
    conflicts = [(0, 5), (3, 10)] if seed % 2 else []
    start, threshold = int(rng.integers(count)), float(rng.normal(0, 2))
    truth = every_set(start, weight, pop, floor, ceiling, edges, conflicts)
    arguments = (start, weight, pop, floor, ceiling, *csr(count, edges), *csr(count, conflicts))

    members, starts, weights, complete, _ = connected_sets(
        *arguments, threshold, False, -1, -1, *NO_CUTS
    )
    found = {
        frozenset(members[starts[k] : starts[k + 1]].tolist()): weights[k]
        for k in range(len(weights))
    }
    assert complete and len(found) == len(weights)
    assert found.keys() == {s for s, w in truth.items() if w <= threshold}
    assert all(found[s] == pytest.approx(truth[s]) for s in found)

    *_, weights, complete, _ = connected_sets(*arguments, threshold, True, -1, -1, *NO_CUTS)
    below = [w for w in truth.values() if w < threshold]
    assert complete
    assert (weights[-1] if len(weights) else None) == pytest.approx(min(below, default=None))


@pytest.mark.parametrize("seed", range(12))
def test_the_search_charges_each_cut_a_set_holds_two_areas_of_and_bounds_it_exactly(seed):
    rng = np.random.default_rng(seed)
    edges, count = grid_edges(3, 4), 12
    weight, pop = rng.normal(size=count), rng.integers(1, 10, count).astype(float)
    cuts = [tuple(rng.choice(count, 3, replace=False).tolist()) for _ in range(4 + 2 * seed)]
    penalty = rng.exponential(1.0, len(cuts))
    start, floor, threshold = int(rng.integers(count)), float(rng.integers(0, 30)), 0.0
    truth = every_set(start, weight, pop, floor, np.inf, edges, [], cuts, penalty)
    lists = [[k for k, t in enumerate(cuts) if u in t] for u in range(count)]
    of_cut = (
        np.r_[0, np.cumsum([len(x) for x in lists])].astype(np.int64),
        np.array([k for x in lists for k in x], dtype=np.int64),
    )
    arguments = (start, weight, pop, floor, np.inf, *csr(count, edges), *csr(count, []))

    members, starts, weights, complete, _ = connected_sets(
        *arguments, threshold, False, -1, -1, *of_cut, penalty
    )
    found = {
        frozenset(members[starts[k] : starts[k + 1]].tolist()): weights[k]
        for k in range(len(weights))
    }
    assert complete and found.keys() == {s for s, w in truth.items() if w <= threshold}
    assert all(found[s] == pytest.approx(truth[s]) for s in found)
    *_, weights, _, _ = connected_sets(*arguments, np.inf, True, -1, -1, *of_cut, penalty)
    assert weights[-1] == pytest.approx(min(truth.values()))


@pytest.mark.parametrize("name", ["p6", "p8"])
def test_the_longest_proofs_of_a_run_on_the_demo_county_stay_short(name):
    """The longest pricing searches of 60-s runs on the demo county; both find nothing below
    their threshold. p6 (centre unit 24, 50 cuts) took 3,996,001 steps when the search
    branched on the lightest candidate first, 18,225 on the heaviest either way (14,005 with
    the rebates below). p8 (centre
    unit 5, 150 cuts) took 17,874,609 steps on the heaviest while the bound paid every cut's
    rebate at once (a constant of -5.7), 741 when it pays them as a level reaches the cut."""
    case = np.load(Path(__file__).parent / "data" / f"pricing_search_demo_{name}.npz")
    arguments = [
        int(case["start"]),
        *(case[k] for k in ("weight", "population")),
        float(case["floor"]),
        float(case["ceiling"]),
        *(case[k] for k in ("indptr", "indices", "conflict_indptr", "conflict_indices")),
    ]
    cuts = [case[k] for k in ("cut_indptr", "cut_indices", "cut_penalty")]
    threshold = float(case["threshold"])
    *_, weights, complete, steps = connected_sets(*arguments, threshold, True, -1, -1, *cuts)
    assert complete and len(weights) == 0 and steps < 100_000
    # the least set lies above the threshold, and the search at it finds just that
    *_, lightest, complete, _ = connected_sets(*arguments, np.inf, True, -1, -1, *cuts)
    assert complete and lightest[-1] > threshold
    *_, weights, complete, _ = connected_sets(*arguments, lightest[-1] + 1e-9, False, -1, -1, *cuts)
    assert complete and min(weights) == pytest.approx(lightest[-1])


def test_the_search_stops_at_the_set_limit():
    edges = grid_edges(3, 3)
    arguments = (4, np.zeros(9), np.ones(9), 0.0, np.inf, *csr(9, edges), *csr(9, []))
    members, starts, weights, complete, _ = connected_sets(*arguments, 1.0, False, -1, 5, *NO_CUTS)
    assert not complete and len(weights) == 5 and len(starts) == 6


@pytest.mark.parametrize("seed", range(6))
def test_the_descent_walks_connected_sets_within_bounds_to_a_local_minimum(seed):
    rng = np.random.default_rng(seed)
    edges = grid_edges(3, 3)
    pop = rng.integers(1, 6, 9).astype(float)
    cost = rng.random((9, 9))
    cost = cost + cost.T
    np.fill_diagonal(cost, 0.0)
    price = rng.random(9) * 2
    conflicts = [(0, 8)]
    floor, ceiling = 8.0, 20.0

    def value(members):  # least distance to one of its own areas, minus the prices
        members = sorted(members)
        return cost[members][:, members].sum(axis=0).min() - price[members].sum()

    truth = {}
    for unit in range(9):
        truth.update(every_set(unit, np.zeros(9), pop, floor, ceiling, edges, conflicts))
    start = min(truth, key=len)
    arguments = (cost, np.arange(9), price, pop, floor, ceiling, *csr(9, edges))
    members, starts, weights, centres = improve_set(
        np.array(sorted(start), dtype=np.int64), *arguments, *csr(9, conflicts), 50
    )
    sets = [frozenset(members[starts[k] : starts[k + 1]].tolist()) for k in range(len(weights))]
    assert all(s in truth for s in sets)
    assert all(w == pytest.approx(value(s)) for s, w in zip(sets, weights, strict=True))
    assert all(
        c in s and cost[sorted(s), c].sum() - price[sorted(s)].sum() == pytest.approx(w)
        for s, w, c in zip(sets, weights, centres, strict=True)
    )
    assert list(weights) == sorted(weights, reverse=True) and weights[0] < value(start)
    last = sets[-1]
    neighbours = [t for t in truth if len(t ^ last) == 1]
    assert all(value(t) >= weights[-1] - 1e-9 for t in neighbours)


def test_units_merge_must_link_groups_and_map_cannot_link_pairs_onto_them():
    problem = random_problem(5, 3, 3, p=3, must_link=((0, 1, 2),), cannot_link=((4, 5),))
    units = Units.of(problem)
    assert len(units.population) == 7
    assert units.population[units.of_area[0]] == problem.population[:3].sum()
    assert sorted(units.areas[units.of_area[0]].tolist()) == [0, 1, 2]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize(
    ("rows", "cols", "p", "floor", "links"),
    [
        (3, 3, 2, 10, {}),
        (3, 3, 3, 10, {}),
        (2, 4, 3, 10, {}),
        (3, 3, 4, 4, {}),
        (3, 3, 3, 0, {"must_link": ((0, 2, 1), (6, 7)), "cannot_link": ((4, 5),)}),
    ],
)
def test_the_solver_proves_the_brute_force_optimum(seed, rows, cols, p, floor, links):
    problem = random_problem(seed, rows, cols, p=p, floor=float(floor), **links)
    solved = PartitionSolver(problem, p).solve(None, time_limit=30.0)
    assert solved.status == "optimal"
    assert solved.objective == pytest.approx(brute_force(problem)[1])
    assert solved.bound == pytest.approx(solved.objective)
    assert validate(problem, solved.labels) == []


@pytest.mark.parametrize(
    ("seed", "rows", "cols", "p", "floor"),
    [(7, 3, 3, 2, 10), (9, 3, 3, 3, 10), (10, 3, 4, 3, 10), (19, 3, 3, 3, 10), (6, 3, 3, 4, 4)],
)
def test_with_subset_row_cuts_the_solver_still_proves_the_brute_force_optimum(
    seed, rows, cols, p, floor, monkeypatch
):
    # No proof on the way (an attempt gets no steps): these small cases are proven by the
    # first attempts otherwise, before the relaxation needs its cuts.
    monkeypatch.setattr(partition, "ATTEMPT_STEPS", 0)
    problem = random_problem(seed, rows, cols, p=p, floor=float(floor))
    solved = PartitionSolver(problem, p).solve(None, time_limit=30.0)
    assert solved.log["cuts"]  # these relaxations are fractional where a cut sees it
    optimum = brute_force(problem)[1]
    assert solved.status == "optimal"
    assert solved.objective == pytest.approx(optimum)
    assert all(bound <= optimum + 1e-4 for _, _, bound in solved.log["trace"])  # (rounded)
    assert validate(problem, solved.labels) == []


def every_column(problem, floor: float, sign: float = 1.0) -> Columns:
    """Every connected region of at least ``floor`` with each of its areas as centre, costing
    ``sign`` times its p-median cost."""
    edges, every = [tuple(e) for e in problem.edges], Columns()
    for centre in range(problem.n):
        weight = problem.distances[:, centre]
        for members, cost in every_set(
            centre, weight, problem.population, floor, np.inf, edges, []
        ).items():
            every.add(centre, np.array(sorted(members)), sign * float(cost))
    return every


@pytest.mark.parametrize("seed", range(4))
def test_reduced_cost_fixing_keeps_every_column_a_partition_up_to_the_limit_needs(seed):
    problem = random_problem(seed, 3, 3, p=3, floor=10.0)
    n, every = problem.n, every_column(problem, 10.0)
    optimum = brute_force(problem)[1]
    kept = fix_by_reduced_cost(every, n, 3, optimum, 2, 10.0)
    assert len(kept.costs) < len(every.costs)
    assert len({m.tobytes() for m in kept.members}) == len(kept.costs)  # cheapest centre only
    assert solve_master(kept, n, 3, True, 2, 10.0).value == pytest.approx(optimum)
    below = fix_by_reduced_cost(every, n, 3, optimum - 1e-3, 2, 10.0)
    found = solve_master(below, n, 3, True, 2, 10.0) if below.costs else None
    assert found is None or found.value > optimum - 1e-3


@pytest.mark.parametrize("seed", range(3))
def test_the_integer_master_fixes_only_columns_no_partition_cheaper_than_u_needs(seed):
    problem = random_problem(seed, 3, 3, p=3, floor=10.0)
    n, every = problem.n, every_column(problem, 10.0)
    dearest = every_column(problem, 10.0, sign=-1.0)  # its optimum: the worst start
    solver = PartitionSolver(problem, 3)
    worst = solve_master(dearest, n, 3, True, 2, 10.0)
    solver.best = solver.add_partition(solver.columns, solver.labels_of(dearest, worst.chosen)[0])
    optimum = brute_force(problem)[1]
    assert solver.upper > optimum + 1e-3
    solver._integer_master(every, math.inf, 10.0)
    assert solver.upper == pytest.approx(optimum)
    assert validate(problem, solver.labels_of(solver.best.columns, solver.best.chosen)[0]) == []


def partition_costs(problem) -> dict:
    """Every feasible partition of a small problem into three regions, by its cost."""
    return {
        medoid_cost(problem, labels): labels
        for labels in partitions(problem.n, 3)
        if feasible(problem, labels)
    }


def started_from_the_worst_partition(seed: int):
    """A 3×3 solver whose U is the worst feasible partition (so U - L is wide), the bound of
    its first exact round and the brute-force optimum."""
    problem = random_problem(seed, 3, 3, p=3, floor=10.0)
    costs = partition_costs(problem)
    solver = PartitionSolver(problem, 3)
    solver.best = solver.add_partition(solver.columns, costs[max(costs)])
    bound = next(solver.generate(time.perf_counter() + 30.0)).bound
    return solver, bound, min(costs)


def test_an_enumeration_that_finds_nothing_below_its_threshold_proves_that_threshold(
    monkeypatch,
):
    """Too many columns within U - L: the proof retries within a quarter of it; when nothing
    lies there, L plus that quarter is a lower bound, never above the optimum."""
    monkeypatch.setattr(partition, "ENUMERATION_LIMIT", 40)
    # (the cheapest columns of a crowded level may find the optimum here: not this test's point)
    monkeypatch.setattr(PartitionSolver, "_promising", lambda *_: None)
    raised = 0
    for seed in range(6):
        solver, bound, optimum = started_from_the_worst_partition(seed)
        solver._prove(bound, time.perf_counter() + 30.0, False)
        assert solver.lower <= optimum + 1e-9
        raised += solver.lower > bound.value
    assert raised


def test_a_crowded_levels_cheapest_columns_go_to_the_integer_master_once(monkeypatch):
    """The proof hands the first crowded level's cheapest columns to _promising, once."""
    monkeypatch.setattr(partition, "ENUMERATION_LIMIT", 40)
    monkeypatch.setattr(partition, "PROMISING_COLUMNS", 7)
    handed = []
    monkeypatch.setattr(PartitionSolver, "_promising", lambda _, found, __: handed.append(found))
    solver, bound, _ = started_from_the_worst_partition(1)
    solver._prove(bound, time.perf_counter() + 30.0, False)
    assert sum(count is None for *_, count in solver.log["attempts"]) >= 2  # crowded levels
    assert [len(found.costs) for found in handed] == [7]


def test_a_better_partition_among_promising_columns_becomes_the_best_and_is_generated():
    """The integer master over the generated columns and the promising ones keeps a better
    partition, and its regions join the generated columns (so the relaxation holds one)."""
    solver, bound, optimum = started_from_the_worst_partition(1)
    costs = partition_costs(solver.problem)
    found = Columns()
    solver.add_partition(found, costs[optimum])
    solver.add_partition(found, costs[max(costs)])  # the worst again: nothing new there
    solver._promising(found, time.perf_counter() + 30.0)
    assert solver.upper == pytest.approx(optimum)
    for k in solver.best.chosen:
        areas = solver.best.columns.members[k]
        assert (solver.best.columns.centres[k], areas.tobytes()) in solver.columns.index


@pytest.mark.parametrize("seed", range(6))
def test_the_proof_narrows_down_between_an_empty_and_a_crowded_level(monkeypatch, seed):
    """Each level tried lies above every level proven empty and below every crowded one, the
    lower bound never passes the optimum, and a second call at the same bound does not start
    at the crowded level again."""
    monkeypatch.setattr(partition, "ENUMERATION_LIMIT", 40)
    solver, bound, optimum = started_from_the_worst_partition(seed)
    empty, crowded = bound.value, solver.upper + 1.0
    proven = solver._prove(bound, time.perf_counter() + 30.0, False)
    for _, _, delta, count in solver.log["attempts"]:
        level = bound.value + delta
        assert empty + 1e-3 < level < crowded - 1e-3  # (the log rounds to 1e-4)
        if count is None:
            crowded = level
        elif not proven or level < optimum:
            empty = max(empty, min(level, solver.upper))
    assert solver.lower <= optimum + 1e-9
    if proven:
        assert solver.upper == pytest.approx(optimum)
        return
    tried = len(solver.log["attempts"])
    solver._prove(bound, time.perf_counter() + 30.0, False)
    again = solver.log["attempts"][tried:]
    assert not again or bound.value + again[0][2] < crowded - 1e-9


def test_a_given_partition_bounds_the_search_and_is_never_beaten_by_a_worse_one():
    problem = random_problem(2, 3, 4, p=3, floor=15.0)
    first = PartitionSolver(problem, 3).solve(None, time_limit=30.0)
    again = PartitionSolver(problem, 3).solve(first.labels, time_limit=30.0)
    assert again.status == "optimal"
    assert again.objective == pytest.approx(first.objective)


def test_no_time_and_no_start_gives_a_clear_message_not_a_claim_of_infeasibility():
    problem = random_problem(1, 3, 3, p=2, floor=10.0)
    with pytest.raises(RegionSolveError, match="Zeitlimit"):
        PartitionSolver(problem, 2).solve(None, time_limit=0.0)


def test_an_attempt_on_the_way_stops_at_its_first_crowded_level(monkeypatch):
    """Lower levels would only raise the lower bound, which the next pricing rounds do too;
    and an attempt's small budget cannot tell a crowded level, so none is remembered."""
    monkeypatch.setattr(partition, "ATTEMPT_LIMIT", 1)
    solver, bound, _ = started_from_the_worst_partition(0)
    assert not solver._prove(bound, time.perf_counter() + 30.0, True)
    assert [count for *_, count in solver.log["attempts"]] == [None]
    assert solver.crowded == (-math.inf, math.inf) and solver.lower == -math.inf


def test_separation_finds_the_triple_that_half_valued_regions_overlap_on_and_no_other():
    # A+B, B+C and C+A at 1/2 each, with areas 0-1 in A, 2 in B, 3-4 in C; area 5 alone.
    members = [np.array([0, 1, 2]), np.array([2, 3, 4]), np.array([0, 1, 3, 4]), np.array([5])]
    values = np.array([0.5, 0.5, 0.5, 1.0])
    found = separate(members, values, 6, SubsetRows(), 50)
    # every triple with one area of each of A, B and C, none other
    assert {tuple(t) for t in found.tolist()} == {(a, 2, c) for a in (0, 1) for c in (3, 4)}
    cuts = SubsetRows()
    cuts.add(found[:1])
    assert separate(members, values, 6, cuts, 50).shape == (3, 3)  # known cuts are not repeated
    columns = Columns()
    for areas in members:
        columns.add(int(areas[0]), areas, 0.0)
    assert cuts.coefficients(columns, 6).toarray().tolist() == [[1.0, 1.0, 1.0, 0.0]]
    assert cuts.charge(np.array([0, 5]), np.array([2.0])) == 0.0
    assert cuts.charge(np.array([0, 2, 5]), np.array([2.0])) == 2.0
    partition = [np.array([0, 1, 2]), np.array([3, 4, 5])]
    assert separate(partition, np.ones(2), 6, SubsetRows(), 50).shape == (0, 3)


def test_a_pricing_round_out_of_time_stops_and_claims_no_bound():
    problem = random_problem(1, 3, 4, p=3, floor=10.0)
    solver = PartitionSolver(problem, 3)
    prices = np.r_[np.full(problem.n, 1.0), 0.0]
    _, bound = solver._price(prices, prices)
    assert math.isfinite(bound.value)
    _, late = solver._price(prices, prices, deadline=time.perf_counter())
    assert late.value == -math.inf
    assert not solver._prove(late, time.perf_counter() + 10.0, False)  # nothing to enumerate by
    assert solver.log["attempts"] == []


def test_a_round_whose_bound_cannot_beat_the_best_only_looks_for_columns(monkeypatch):
    problem = random_problem(2, 6, 6, p=3, floor=80.0)
    prices = np.r_[np.full(problem.n, 1.5), 0.0]
    added, full = PartitionSolver(problem, 3)._price(prices, prices)
    # a best below the round's bound never cuts it short: the same bound, the same search
    _, below = PartitionSolver(problem, 3)._price(prices, prices, best=full.value - 1e-6)
    assert below.value == pytest.approx(full.value)
    assert below.steps.sum() == full.steps.sum()
    # a best far above it: once the sets found show that, the searches left take one step
    monkeypatch.setattr(pricing, "GENERATION_STEPS", 1)
    solver = PartitionSolver(problem, 3)
    found, cut_short = solver._price(prices, prices, best=full.value + 100.0)
    assert cut_short.value == -math.inf
    assert cut_short.steps.sum() < full.steps.sum() / 4
    assert 0 < found < added


def test_the_enumeration_stops_once_all_centres_together_found_too_many():
    problem = random_problem(2, 6, 6, p=3, floor=80.0)
    prices = np.r_[np.full(problem.n, 1.5), 0.0]
    solver = PartitionSolver(problem, 3, threads=2)
    _, bound = solver._price(prices, prices)
    every, complete = solver.enumerate(bound, 4.0, 10**6, None)
    assert complete and len(every.costs) > 30_000
    again, complete = solver.enumerate(bound, 4.0, len(every.costs), None)
    assert complete and again.costs == every.costs
    cheapest, complete = solver.enumerate(bound, 4.0, len(every.costs) - 1, None, keep=10)
    assert not complete

    # what it keeps are the cheapest it found at the bound's prices (it missed a few at most)
    def reduced(columns):
        return np.asarray(columns.costs) - columns.matrix(problem.n).T @ bound.prices

    assert len(cheapest.costs) == 10
    assert set(cheapest.index) <= set(every.index)
    assert reduced(cheapest).max() <= np.sort(reduced(every))[12] + 1e-9
    # the limit is shared: each search starts with what is left, so the two running at
    # once find at most one more than it each, and the rest stop at once
    thresholds = bound.prices[problem.n] + 4.0 + bound.minima
    found = solver._search(bound.prices, thresholds, False, 100)
    assert 100 < sum(len(f[3]) for f in found) <= 2 * 101 + problem.n


def test_an_enumeration_stops_at_the_first_centre_that_needs_more_steps_than_its_cap():
    """An attempt gives each centre a few times its steps in the bound's round: a centre
    that needs more shows the level crowded at once, without spending the others' share."""
    problem = random_problem(2, 6, 6, p=3, floor=80.0)
    prices = np.r_[np.full(problem.n, 1.5), 0.0]
    solver = PartitionSolver(problem, 3, threads=1)
    _, bound = solver._price(prices, prices)
    pth = np.sort(bound.minima)[2]
    thresholds = bound.prices[problem.n] + 4.0 + np.minimum(bound.minima, pth)
    steps = np.zeros(problem.n)
    for centre, *_, taken in solver._search(bound.prices, thresholds, False, -1):
        steps[centre] = taken
    every, _ = solver.enumerate(bound, 4.0, 10**6, None)
    roomy, complete = solver.enumerate(bound, 4.0, 10**6, None, caps=steps + 1)
    assert complete and roomy.costs == every.costs
    order = np.argsort(-bound.steps, kind="stable")  # the order the enumeration searches in
    caps = steps + 1
    caps[order[1]] = steps[order[1]] // 2  # the second centre searched runs out
    found = solver._search(bound.prices, thresholds, False, -1, None, order, caps=caps)
    taken = [f[5] for f in found]
    assert [f[4] for f in found[:2]] == [True, False]
    assert taken[:2] == [steps[order[0]], caps[order[1]] + 1]
    assert all(f[4] is False and f[5] <= 1 for f in found[2:])
    _, complete = solver.enumerate(bound, 4.0, 10**6, None, caps=caps)
    assert not complete


def test_an_enumeration_stops_at_its_deadline_whatever_its_step_budget(monkeypatch):
    """The final proof's step budget comes from the pricing rounds' speed, which can be far
    off: the deadline stops the searches still to come, and each after the first gets only
    the steps its thread can take until then at the speed of those finished."""
    problem = random_problem(2, 6, 6, p=3, floor=80.0)
    prices = np.r_[np.full(problem.n, 1.5), 0.0]
    solver = PartitionSolver(problem, 3, threads=1)
    _, bound = solver._price(prices, prices)
    _, complete = solver.enumerate(bound, 4.0, 10**6, None, deadline=time.perf_counter())
    assert not complete
    thresholds = bound.prices[problem.n] + 4.0 + bound.minima
    every = solver._search(bound.prices, thresholds, False, -1)
    order = np.argsort([-f[5] for f in every], kind="stable")  # the longest searches first
    clock = itertools.count()  # one second per look at it: 0 as the search begins
    monkeypatch.setattr(pricing, "time", types.SimpleNamespace(perf_counter=lambda: next(clock)))
    found = solver._search(bound.prices, thresholds, False, -1, None, order, deadline=2.5)
    # the first ran at 1 s, to its end; the second at 2 s, at its speed until 2.5 s; then none
    assert found[0][4] and found[0][5] == every[order[0]][5]
    assert not found[1][4] and found[1][5] == found[0][5] // 4 + 1
    assert all(f[5] <= 1 for f in found[2:])


def test_cuts_added_at_the_gap_of_the_last_attempt_trigger_no_second_one(monkeypatch):
    """Cuts trigger an attempt; but one at the gap the last attempt found crowded, with the
    same bound, would only repeat it (on the demo county, p = 6, twice 5-6 s)."""
    solver, bound, _ = started_from_the_worst_partition(0)
    costs = partition_costs(solver.problem)
    master = Master(math.inf, np.empty(0, dtype=int), np.empty(0))  # (no integer master)
    rounds = [Round(bound, master, False, converged=True)] * 3
    monkeypatch.setattr(PartitionSolver, "generate", lambda *_: iter(rounds))
    proofs = []
    monkeypatch.setattr(
        PartitionSolver, "_prove", lambda _, __, ___, attempt: proofs.append(attempt) or False
    )
    PartitionSolver(solver.problem, 3).solve(costs[max(costs)], 30.0)
    assert proofs == [True, False]  # one attempt on the way, then the final proof
