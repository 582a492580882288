"""Shared p-regions vocabulary: problem checks, validation messages, objectives, quality."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from sozialplanung.analytics.regions import (
    RegionInfeasibleError,
    RegionProblem,
    coordinate_attributes,
    heterogeneity,
    pmedian_cost,
    polsby_popper,
    quality,
    standardise,
    validate,
)


def grid_edges(rows: int, cols: int) -> np.ndarray:
    """Rook adjacency of a rows × cols grid numbered row by row."""
    edges = []
    for r in range(rows):
        for c in range(cols):
            i = r * cols + c
            if c + 1 < cols:
                edges.append((i, i + 1))
            if r + 1 < rows:
                edges.append((i, i + cols))
    return np.array(edges)


def path_problem(**kwargs) -> RegionProblem:
    """Six areas in a row 0-1-2-3-4-5 with attribute = index and population 10 each."""
    options = {
        "attributes": np.arange(6.0)[:, None],
        "population": np.full(6, 10.0),
        "edges": np.array([(i, i + 1) for i in range(5)]),
        "p": 2,
    }
    return RegionProblem(**{**options, **kwargs})


# --- standardise -------------------------------------------------------------------------


def test_standardise_gives_zero_mean_unit_sample_sd_and_zero_for_constants():
    z = standardise(np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]]))
    np.testing.assert_allclose(z[:, 0], [-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(z[:, 1], 0.0)


def test_problem_standardises_one_dimensional_attributes_as_one_column():
    assert path_problem().standardised.shape == (6, 1)


# --- problem checks ----------------------------------------------------------------------


def test_it_normalises_edges_to_sorted_unique_pairs():
    problem = RegionProblem(np.zeros((3, 1)), np.ones(3), [(1, 0), (0, 1), (2, 1)], p=1)
    np.testing.assert_array_equal(problem.edges, [[0, 1], [1, 2]])
    assert [list(n) for n in problem.neighbours] == [[1], [0, 2], [1]]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"population": np.ones(5)}, "(5,)"),
        ({"population": np.array([1.0, -2, 1, 1, 1, 1])}, "[-2.0]"),
        ({"edges": np.array([(0, 1), (4, 6)])}, "[[4, 6]]"),
        ({"edges": np.array([(0, 1), (3, 3)])}, "[[3, 3]]"),
        ({"p": 0}, "p = 0"),
        ({"p": 7}, "p = 7"),
        ({"floor": 50.0, "ceiling": 40.0}, "Untergrenze 50 ist größer als Obergrenze 40"),
        ({"names": ("a", "b")}, "2 Einträge"),
        ({"must_link": ((0, 9),)}, "(0, 9)"),
        ({"cannot_link": ((2, 2),)}, "(2, 2)"),
    ],
)
def test_it_rejects_malformed_input_naming_the_numbers(kwargs, fragment):
    with pytest.raises(ValueError, match=None) as error:
        path_problem(**kwargs)
    assert fragment in str(error.value)


def test_it_rejects_nan_attributes():
    with pytest.raises(ValueError, match="NaN"):
        RegionProblem(np.array([[1.0], [np.nan]]), np.ones(2), [(0, 1)], p=1)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"ceiling": 9.0}, "Gebiet 0 hat 10 Einwohner, mehr als die Obergrenze 9"),
        ({"p": 4, "floor": 16.0}, "60 < 4 Regionen × Untergrenze 16 = 64"),
        ({"p": 2, "ceiling": 25.0}, "60 > 2 Regionen × Obergrenze 25 = 50"),
        ({"p": 3, "must_link": ((0, 1, 2),), "ceiling": 25.0}, "30 Einwohner"),
        ({"must_link": ((0, 3),), "cannot_link": ((3, 0),)}, "Gebiet 3 und Gebiet 0"),
    ],
)
def test_it_proves_simple_infeasibility_up_front(kwargs, fragment):
    with pytest.raises(RegionInfeasibleError, match="infeasible") as error:
        path_problem(**kwargs)
    assert fragment in str(error.value)


def test_it_explains_a_disconnected_graph_with_too_few_regions():
    with pytest.raises(RegionInfeasibleError, match="3 Teile, aber p = 2"):
        RegionProblem(np.zeros((5, 1)), np.ones(5), [(0, 1), (2, 3)], p=2)


def test_it_rejects_a_separated_part_below_the_floor():
    with pytest.raises(RegionInfeasibleError, match=r"\{Gebiet 4\} hat nur 1 Einwohner"):
        RegionProblem(np.zeros((5, 1)), np.ones(5), [(0, 1), (1, 2), (2, 3)], p=2, floor=1.5)


def test_max_p_needs_the_floor_reachable_at_all():
    with pytest.raises(RegionInfeasibleError, match="60 < 1 Regionen"):
        path_problem(p=None, floor=61.0)


# --- validate ----------------------------------------------------------------------------


def test_a_valid_solution_has_no_messages():
    problem = path_problem(floor=20.0, ceiling=40.0, must_link=((0, 1),), cannot_link=((0, 5),))
    assert validate(problem, np.array([0, 0, 0, 1, 1, 1])) == []


def test_validate_reports_a_wrong_number_of_labels():
    assert validate(path_problem(), np.array([0, 1])) == [
        "Keine Zerlegung: 2 Labels für 6 Gebiete."
    ]


def test_validate_reports_gaps_in_the_label_numbers():
    messages = validate(path_problem(p=None), np.array([0, 0, 0, 2, 2, 2]))
    assert messages == ["Keine Zerlegung: die Regionen [1] sind leer (Labels 0..k-1)."]


def test_validate_names_a_split_region_and_its_parts():
    problem = path_problem(names=("A", "B", "C", "D", "E", "F"))
    messages = validate(problem, np.array([0, 1, 1, 0, 0, 1]))
    assert "Region 0 ist nicht zusammenhängend: Teile {A} und {D, E}." in messages
    assert "Region 1 ist nicht zusammenhängend: Teile {B, C} und {F}." in messages


def test_validate_reports_population_bounds_with_value_and_bound():
    problem = path_problem(floor=20.0, ceiling=40.0)
    assert validate(problem, np.array([0, 1, 1, 1, 1, 1])) == [
        "Region 0 hat 10 Einwohner, weniger als die Untergrenze 20.",
        "Region 1 hat 50 Einwohner, mehr als die Obergrenze 40.",
    ]


def test_validate_accepts_bounds_met_up_to_float_rounding():
    # A floor of 30 reached as 0.1 + 0.2 + ... in floats must not be reported as missed.
    labels = np.array([0, 0, 0, 1, 1, 1])
    assert validate(path_problem(floor=30.0 + 1e-12), labels) == []
    assert validate(path_problem(ceiling=30.0 - 1e-12), labels) == []
    assert validate(path_problem(floor=20.0 + 1e-6), np.array([0, 0, 1, 1, 1, 1])) != []


def test_validate_reports_a_split_must_link_group():
    problem = path_problem(must_link=((2, 3),))
    assert validate(problem, np.array([0, 0, 0, 1, 1, 1])) == [
        "must_link-Gruppe {Gebiet 2, Gebiet 3} ist auf die Regionen [0, 1] verteilt."
    ]


def test_validate_reports_a_cannot_link_pair_together():
    problem = path_problem(cannot_link=((0, 2),))
    assert validate(problem, np.array([0, 0, 0, 1, 1, 1])) == [
        "Gebiet 0 und Gebiet 2 liegen beide in Region 0, sollen aber getrennt sein."
    ]


def test_validate_reports_a_missed_number_of_regions():
    assert validate(path_problem(p=3), np.array([0, 0, 0, 1, 1, 1])) == ["2 Regionen statt p = 3."]


# --- objectives --------------------------------------------------------------------------


def test_heterogeneity_is_the_within_region_sum_of_squares_of_z_scores():
    problem = path_problem()
    z = problem.standardised[:, 0]  # (0..5 - 2.5) / sd
    expected = 2 * ((z[:3] - z[:3].mean()) ** 2).sum()
    assert heterogeneity(problem, np.array([0, 0, 0, 1, 1, 1])) == pytest.approx(expected)
    # One region: total sum of squares of z-scores is n - 1 per column.
    assert heterogeneity(problem, np.zeros(6, dtype=int)) == pytest.approx(5.0)


def test_pmedian_cost_uses_given_centres_or_the_medoids():
    problem = path_problem()
    labels = np.array([0, 0, 0, 1, 1, 1])
    step = problem.standardised[1, 0] - problem.standardised[0, 0]
    assert pmedian_cost(problem, labels) == pytest.approx(4 * step**2)
    assert pmedian_cost(problem, labels, centres=[0, 3]) == pytest.approx(10 * step**2)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.floats(-100, 100), min_size=6, max_size=6),
    labels=st.lists(st.integers(0, 2), min_size=6, max_size=6),
)
def test_heterogeneity_never_exceeds_the_pmedian_cost(values, labels):
    # The mean minimises the sum of squares, so no centre area can do better.
    problem = RegionProblem(np.array(values)[:, None], np.ones(6), grid_edges(2, 3), p=None)
    labels = np.array(labels)
    assert heterogeneity(problem, labels) <= pmedian_cost(problem, labels) + 1e-9


# --- quality -----------------------------------------------------------------------------


def test_polsby_popper_of_a_square_is_pi_over_four():
    assert polsby_popper(box(0, 0, 2, 2)) == pytest.approx(math.pi / 4)


def test_quality_reports_balance_compactness_and_split_groups():
    problem = path_problem()
    squares = [box(i, 0, i + 1, 1) for i in range(6)]
    labels = np.array([0, 0, 0, 1, 1, 2])
    result = quality(problem, labels, geometries=squares, groups=[7, 7, 8, 8, -1, 9])
    assert result["n_regions"] == 3
    assert (result["population_min"], result["population_max"]) == (10.0, 30.0)
    assert result["population_cv"] == pytest.approx(np.std([30, 20, 10]) / 20)
    rectangle_3x1 = 4 * math.pi * 3 / 8**2
    assert result["compactness"] == pytest.approx(
        [rectangle_3x1, 4 * math.pi * 2 / 36, math.pi / 4]
    )
    assert result["compactness_min"] == pytest.approx(rectangle_3x1)
    assert result["split_groups"] == 1  # group 8 spans regions 0 and 1; -1 is ignored
    assert result["heterogeneity"] == pytest.approx(heterogeneity(problem, labels))


def test_quality_leaves_out_what_it_was_not_given():
    result = quality(path_problem(), np.zeros(6, dtype=int))
    assert result["compactness_mean"] is None and result["split_groups"] is None


# --- weights and compactness -------------------------------------------------------------


def test_a_weight_scales_a_column_in_every_distance():
    plain = path_problem()
    doubled = path_problem(weights=(2.0,))
    labels = np.array([0, 0, 0, 1, 1, 1])
    assert heterogeneity(doubled, labels) == pytest.approx(2 * heterogeneity(plain, labels))


@pytest.mark.parametrize("weights", [(1.0, 1.0), (-1.0,), (float("nan"),), (0.0,)])
def test_bad_weights_are_refused(weights):
    with pytest.raises(ValueError, match="weights"):
        path_problem(weights=weights)


def test_coordinate_columns_keep_geographic_distances_isotropic():
    rng = np.random.default_rng(3)
    xy = rng.uniform(0, 1, (30, 2)) * [40_000, 10_000]  # a long, narrow territory in metres
    columns, weights = coordinate_attributes(xy, weight=1.5)
    edges = [(i, i + 1) for i in range(29)]
    z = RegionProblem(columns, np.ones(30), edges, p=2, weights=weights).standardised
    squared = ((z[:, None, :] - z[None, :, :]) ** 2).sum(axis=2)
    euclidean = ((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)
    mask = euclidean > 0
    ratio = squared[mask] / euclidean[mask]
    assert ratio == pytest.approx(np.full(ratio.shape, ratio[0]))
    assert weights[0] + weights[1] == pytest.approx(3.0)
