import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sozialplanung.analytics.classify import METHODS, classify


def test_quantiles_put_about_equally_many_values_in_each_class():
    result = classify(np.arange(1, 11), "quantiles", k=5)
    assert np.bincount(result.classes).tolist() == [2, 2, 2, 2, 2]
    assert result.breaks[-1] == 10


def test_equal_intervals_have_equal_width():
    result = classify([0, 1, 2, 3, 10], "equal_interval", k=5)
    assert np.allclose(np.diff([result.lower, *result.breaks]), 2.0)


def test_natural_breaks_separate_clear_groups():
    result = classify([1, 2, 3, 50, 51, 52, 100, 101], "natural_breaks", k=3)
    assert result.classes.tolist() == [0, 0, 0, 1, 1, 1, 2, 2]


def test_manual_breaks_are_used_and_the_maximum_closes_the_last_class():
    result = classify([5, 15, 25, 40], "manual", breaks=[10, 20])
    assert result.breaks.tolist() == [10, 20, 40]
    assert result.classes.tolist() == [0, 1, 2, 2]


def test_missing_values_get_no_class():
    assert classify([1.0, np.nan, 3.0], "quantiles", k=2).classes.tolist() == [0, -1, 1]


def test_repeated_values_give_fewer_classes():
    assert len(classify([5, 5, 5, 5], "quantiles", k=4).breaks) == 1


def test_an_unknown_method_is_named():
    with pytest.raises(ValueError, match="unknown method 'random'"):
        classify([1, 2], "random")


@settings(max_examples=60, deadline=None)
@given(
    # Indicator values carry a few decimals; subnormal floats would only test float rounding.
    st.lists(
        st.floats(0, 1e6, allow_nan=False).map(lambda x: round(x, 3)), min_size=1, max_size=120
    ),
    st.integers(1, 7),
    st.sampled_from(METHODS[:3]),
)
def test_every_value_lies_within_its_class(values, k, method):
    result = classify(values, method, k=k)
    data = np.asarray(values)
    bounds = np.asarray(result.bounds())
    assert np.all(np.diff(result.breaks) >= 0)
    assert np.all(data <= bounds[result.classes, 1] + 1e-9)
    assert np.all((result.classes == 0) | (data > bounds[result.classes, 0] - 1e-9))
