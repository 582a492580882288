import numpy as np
import pytest

from sozialplanung.analytics.coverage import coverage


def test_rates_are_offers_per_ten_thousand_of_the_target_population():
    result = coverage([[2, 0], [1, 3]], [[4_000, 1_000], [10_000, 3_000]])
    assert result.rates.tolist() == [[5.0, 0.0], [1.0, 10.0]]
    # All areas together: 3 offers for 14,000 and 3 for 4,000.
    assert result.overall == pytest.approx([3 / 14_000 * 10_000, 3 / 4_000 * 10_000])


def test_an_area_without_an_offer_or_far_below_the_overall_rate_is_a_gap():
    result = coverage([[2, 0], [1, 3]], [[4_000, 1_000], [10_000, 3_000]])
    # (1, 0): 1.0 per 10,000 against 2.14 overall: below half of it.
    assert result.gaps.tolist() == [[False, True], [True, False]]
    assert not coverage([[2, 0], [1, 3]], [[4_000, 1_000], [10_000, 3_000]], share=0.4).gaps[1, 0]


def test_an_area_without_population_has_no_rate_and_no_gap():
    result = coverage([[0], [2]], [[0], [5_000]])
    assert np.isnan(result.rates[0, 0]) and not result.gaps[0, 0]
    assert result.overall.tolist() == [4.0]


def test_shapes_and_signs_are_checked():
    with pytest.raises(ValueError, match="dieselbe Form"):
        coverage([[1, 2]], [[1]])
    with pytest.raises(ValueError, match="negativ"):
        coverage([[-1]], [[10]])
