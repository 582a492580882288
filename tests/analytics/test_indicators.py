import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sozialplanung.analytics.aggregate import aggregate, membership_matrix
from sozialplanung.analytics.indicators import change, ratio


def test_ratio_scales_by_the_factor():
    # 46 SGB II unemployed among 2,000 inhabitants aged 15–64: 2.3 per 100
    assert ratio([46.0], [2000.0], 100).tolist() == [2.3]


def test_ratio_is_unknown_without_a_denominator_or_with_a_missing_input():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = ratio([1, 0, np.nan, 1, 2], [0, 0, 4, np.nan, 4], 100)
    np.testing.assert_array_equal(result, [np.nan, np.nan, np.nan, np.nan, 50])


def test_ratio_broadcasts_one_denominator_over_several_numerators():
    assert ratio([[1, 2], [3, 4]], [[10], [20]]).tolist() == [[0.1, 0.2], [0.15, 0.2]]


def test_averaging_rates_is_wrong_for_areas_of_different_size():
    # A town of 30,000 aged 15–64 with 3,000 SGB II unemployed (10 per 100) and a village of
    # 300 with 3 (1 per 100) form one association. Of its 30,300 people 3,003 are unemployed:
    # 9.91 per 100. The mean of the two rates, 5.5, weights the village like the town and
    # would understate the association's problem almost by half.
    unemployed = np.array([3000.0, 3.0])
    population = np.array([30000.0, 300.0])
    association = membership_matrix(["town", "village"], {"town": "A", "village": "A"}, ["A"])

    recomputed = ratio(aggregate(unemployed, association), aggregate(population, association), 100)
    mean_of_rates = ratio(unemployed, population, 100).mean()

    assert recomputed[0] == pytest.approx(3003 / 30300 * 100)
    assert mean_of_rates == pytest.approx(5.5)
    assert recomputed[0] - mean_of_rates > 4


counts = st.integers(1, 10**6).map(float)


@given(st.data(), st.integers(1, 20))
def test_the_rate_after_aggregation_is_the_ratio_of_the_sums(data, n):
    population = data.draw(arrays(float, n, elements=counts))
    cases = data.draw(arrays(float, n, elements=counts)) * 0.01
    everyone = membership_matrix([str(i) for i in range(n)], ["all"] * n, ["all"])
    recomputed = ratio(aggregate(cases, everyone), aggregate(population, everyone), 100)
    assert recomputed[0] == pytest.approx(cases.sum() / population.sum() * 100)


def test_absolute_change_against_the_base_period():
    values = [[100.0, 110.0, 90.0], [5.0, np.nan, 7.0]]
    result = change(values, [2019, 2020, 2021], 2020, "absolute")
    np.testing.assert_array_equal(result, [[-10, 0, -20], [np.nan, np.nan, np.nan]])


def test_percent_change_is_unknown_where_the_base_is_zero_or_missing():
    values = [[100.0, 110.0, 90.0], [0.0, 3.0, 4.0], [np.nan, 1.0, 2.0]]
    result = change(values, [2019, 2020, 2021], 2019, "percent")
    np.testing.assert_allclose(result, [[0, 10, -10], [np.nan] * 3, [np.nan] * 3])


def test_an_unknown_base_period_is_named():
    with pytest.raises(ValueError, match="Base period 2018 is not among the periods 2019, 2020"):
        change([[1.0, 2.0]], [2019, 2020], 2018, "absolute")


def test_an_unknown_kind_of_change_is_refused():
    with pytest.raises(ValueError, match="Unknown kind of change 'ratio'"):
        change([[1.0, 2.0]], [2019, 2020], 2019, "ratio")


def test_values_must_have_one_column_per_period():
    with pytest.raises(ValueError, match="do not fit 3 periods"):
        change([[1.0, 2.0]], [2019, 2020, 2021], 2019, "absolute")
