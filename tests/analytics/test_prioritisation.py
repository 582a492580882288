import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sozialplanung.analytics.prioritisation import Criterion, score, weight_sensitivity

# Three measures checked with pencil and paper. Columns: need in the targeted social spaces,
# reach (people), cost per person reached (lower is better).
CRITERIA = [
    Criterion("Bedarf im Sozialraum"),
    Criterion("Reichweite"),
    Criterion("Kosten je erreichter Person", higher_is_better=False),
]
MEASURES = np.array(
    [
        [10.0, 100.0, 50.0],  # normalised 0, 0, 1
        [20.0, 300.0, 150.0],  # normalised 0.5, 1, 0
        [30.0, 200.0, 100.0],  # normalised 1, 0.5, 0.5
    ]
)
WEIGHTS = [2.0, 1.0, 1.0]


@st.composite
def problems(draw, min_weight=0.01):
    """Small integer tables (so differences never drown in rounding) with positive weights."""
    m = draw(st.integers(2, 6))
    k = draw(st.integers(1, 5))
    cell = st.integers(0, 20).map(float)
    values = np.array(
        draw(st.lists(st.lists(cell, min_size=k, max_size=k), min_size=m, max_size=m))
    )
    criteria = [Criterion(f"c{j}", draw(st.booleans())) for j in range(k)]
    weights = draw(st.lists(st.floats(min_weight, 10.0), min_size=k, max_size=k))
    return values, criteria, np.array(weights)


def with_dominant_first_row(values, criteria, draw):
    """Make measure 0 better or equal to measure 1 on every criterion, strictly on one."""
    k = values.shape[1]
    gains = np.array(draw(st.lists(st.integers(0, 5), min_size=k, max_size=k)))
    gains[draw(st.integers(0, k - 1))] += 1
    direction = np.array([1.0 if c.higher_is_better else -1.0 for c in criteria])
    dominated = values.copy()
    dominated[0] = values[1] + direction * gains
    return dominated


# The model by hand -------------------------------------------------------------------------------


def test_it_scores_the_hand_example():
    result = score(MEASURES, CRITERIA, WEIGHTS)

    assert result.weights.tolist() == [0.5, 0.25, 0.25]
    np.testing.assert_allclose(
        result.contributions, [[0.0, 0.0, 0.25], [0.25, 0.25, 0.0], [0.5, 0.125, 0.125]]
    )
    np.testing.assert_allclose(result.total, [0.25, 0.5, 0.75])
    assert result.rank.tolist() == [3, 2, 1]


def test_tied_measures_share_the_smallest_rank():
    result = score([[1.0], [2.0], [2.0], [0.0]], [Criterion("Bedarf")], [1.0])

    assert result.rank.tolist() == [3, 1, 1, 4]


def test_a_criterion_on_which_all_measures_are_equal_adds_half_its_weight_to_every_measure():
    values = np.column_stack([MEASURES[:, 0], [7.0, 7.0, 7.0]])
    for higher_is_better in (True, False):
        criteria = [Criterion("Bedarf"), Criterion("Evidenz", higher_is_better)]

        result = score(values, criteria, [1.0, 1.0])

        assert result.contributions[:, 1].tolist() == [0.25, 0.25, 0.25]
        assert result.rank.tolist() == [3, 2, 1]


def test_a_single_measure_ranks_first():
    result = score([[3.0, 4.0]], [Criterion("a"), Criterion("b")], [1.0, 3.0])

    assert result.rank.tolist() == [1]
    assert result.total.tolist() == [0.5]


# Properties --------------------------------------------------------------------------------------


@given(problems(), st.floats(1e-3, 1e3))
def test_scaling_all_weights_changes_no_rank(problem, factor):
    values, criteria, weights = problem

    assert np.array_equal(
        score(values, criteria, weights).rank, score(values, criteria, weights * factor).rank
    )


@given(problems())
def test_contributions_sum_to_the_total(problem):
    result = score(*problem)

    np.testing.assert_allclose(result.contributions.sum(axis=1), result.total, atol=1e-12)
    assert np.all((result.total >= 0) & (result.total <= 1 + 1e-12))


@given(st.data())
def test_a_dominating_measure_ranks_better_under_every_positive_weighting(data):
    values, criteria, weights = data.draw(problems())
    values = with_dominant_first_row(values, criteria, data.draw)

    rank = score(values, criteria, weights).rank

    assert rank[0] < rank[1]


@settings(max_examples=30, deadline=None)
@given(st.data(), st.sampled_from([20.0, None]))
def test_a_dominating_measure_never_ranks_worse_in_any_sensitivity_draw(data, concentration):
    values, criteria, weights = data.draw(problems())
    values = with_dominant_first_row(values, criteria, data.draw)

    result = weight_sensitivity(values, criteria, weights, samples=200, concentration=concentration)

    assert np.all(result.ranks[:, 0] <= result.ranks[:, 1])
    normalised = score(values, criteria, weights).normalised
    lead = result.weights @ (normalised[0] - normalised[1])
    assert np.all(result.ranks[lead > 1e-9, 0] < result.ranks[lead > 1e-9, 1])


@given(problems(), st.data())
def test_reversing_a_criterion_reverses_the_order_of_its_contributions(problem, data):
    values, criteria, weights = problem
    j = data.draw(st.integers(0, len(criteria) - 1))
    flipped = list(criteria)
    flipped[j] = Criterion(criteria[j].name, not criteria[j].higher_is_better)

    before = score(values, criteria, weights).contributions[:, j]
    after = score(values, flipped, weights).contributions[:, j]

    assert np.array_equal(
        np.sign(after[:, None] - after[None, :]), -np.sign(before[:, None] - before[None, :])
    )


@given(problems(), st.data(), st.floats(0.1, 100.0), st.floats(-1000.0, 1000.0))
def test_a_positive_affine_rescaling_of_a_criterion_changes_nothing(problem, data, a, b):
    values, criteria, weights = problem
    j = data.draw(st.integers(0, len(criteria) - 1))
    rescaled = values.copy()
    rescaled[:, j] = a * values[:, j] + b

    before, after = score(values, criteria, weights), score(rescaled, criteria, weights)

    assert np.array_equal(before.rank, after.rank)
    np.testing.assert_allclose(before.contributions, after.contributions, atol=1e-12)


# Weight sensitivity ------------------------------------------------------------------------------


def test_the_same_seed_gives_identical_results_and_another_seed_other_draws():
    first = weight_sensitivity(MEASURES, CRITERIA, WEIGHTS, samples=500)
    again = weight_sensitivity(MEASURES, CRITERIA, WEIGHTS, samples=500)
    other = weight_sensitivity(MEASURES, CRITERIA, WEIGHTS, samples=500, seed=7)

    for field in first.__dataclass_fields__:
        assert np.array_equal(getattr(first, field), getattr(again, field)), field
    assert not np.array_equal(first.weights, other.weights)


def test_the_summaries_describe_the_drawn_ranks():
    result = weight_sensitivity(MEASURES, CRITERIA, WEIGHTS, samples=1000)

    assert result.ranks.shape == (1000, 3)
    np.testing.assert_allclose(result.weights.sum(axis=1), 1.0)
    assert result.nominal_rank.tolist() == [3, 2, 1]
    assert np.all(result.rank_low <= result.median_rank)
    assert np.all(result.median_rank <= result.rank_high)
    assert result.share_first.tolist() == (result.ranks == 1).mean(axis=0).tolist()
    assert result.share_same_rank.tolist() == (result.ranks == [3, 2, 1]).mean(axis=0).tolist()


def test_draws_centre_on_the_planners_weights_or_spread_over_all_weights():
    centred = weight_sensitivity(MEASURES, CRITERIA, WEIGHTS, samples=4000)
    uniform = weight_sensitivity(MEASURES, CRITERIA, WEIGHTS, samples=4000, concentration=None)

    np.testing.assert_allclose(centred.weights.mean(axis=0), [0.5, 0.25, 0.25], atol=0.01)
    np.testing.assert_allclose(uniform.weights.mean(axis=0), [1 / 3] * 3, atol=0.01)
    assert uniform.weights.std(axis=0).min() > 2 * centred.weights.std(axis=0).max()


def test_a_zero_weight_stays_small_in_almost_every_draw():
    result = weight_sensitivity(MEASURES, CRITERIA, [1.0, 1.0, 0.0], samples=2000)

    assert np.mean(result.weights[:, 2] > 0.05) < 0.01


@settings(max_examples=30, deadline=None)
@given(problems(), st.data())
def test_the_best_measure_on_the_only_weighted_criterion_always_ranks_first(problem, data):
    values, criteria, _ = problem
    j = data.draw(st.integers(0, len(criteria) - 1))
    best = values[:, j].max() + 1 if criteria[j].higher_is_better else values[:, j].min() - 1
    values[0, j] = best
    weights = np.eye(len(criteria))[j]

    result = weight_sensitivity(values, criteria, weights, samples=300, concentration=1e6)

    assert result.share_first[0] == 1.0
    assert result.share_same_rank[0] == 1.0


# Errors ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "weights, shown",
    [
        ([-1.0, 1.0, 1.0], "[-1.0, 1.0, 1.0]"),
        ([0, 0, 0], "[0.0, 0.0, 0.0]"),
        ([1, np.nan, 1], "[1.0, nan, 1.0]"),
    ],
)
def test_it_rejects_negative_all_zero_or_missing_weights(weights, shown):
    expected = "Gewichte müssen ≥ 0 sein und dürfen nicht alle 0 sein: " + shown
    with pytest.raises(ValueError, match=re.escape(expected)):
        score(MEASURES, CRITERIA, weights)


def test_it_names_the_measure_and_criterion_of_a_missing_value():
    values = MEASURES.copy()
    values[1, 2] = np.nan

    with pytest.raises(ValueError, match="Zeile 1, Kriterium 'Kosten je erreichter Person'"):
        score(values, CRITERIA, WEIGHTS)


@pytest.mark.parametrize(
    "values, criteria, weights, message",
    [
        (MEASURES, CRITERIA, [1.0, 1.0], r"weights hat die Form \(2,\), erwartet \(3,\)"),
        (MEASURES, CRITERIA[:2], [1.0, 1.0], "values hat 3 Spalten, aber es gibt 2 Kriterien"),
        (MEASURES[:, 0], CRITERIA[:1], [1.0], r"Maßnahmen × Kriterien sein, hat die Form \(3,\)"),
        (np.empty((0, 3)), CRITERIA, WEIGHTS, r"hat die Form \(0, 3\)"),
    ],
)
def test_it_rejects_tables_and_weights_of_the_wrong_shape(values, criteria, weights, message):
    with pytest.raises(ValueError, match=message):
        score(values, criteria, weights)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"samples": 0}, "samples muss eine ganze Zahl ≥ 1 sein"),
        ({"samples": 2.5}, "samples muss eine ganze Zahl ≥ 1 sein"),
        ({"concentration": 0.0}, "concentration muss > 0 oder None sein"),
        ({"concentration": np.inf}, "concentration muss > 0 oder None sein"),
    ],
)
def test_it_rejects_a_bad_sample_size_or_concentration(options, message):
    with pytest.raises(ValueError, match=message):
        weight_sensitivity(MEASURES, CRITERIA, WEIGHTS, **options)
