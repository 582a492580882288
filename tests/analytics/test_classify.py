import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from sozialplanung.analytics.classify import assign_classes, quantile_breaks


def test_five_quantile_classes_split_ten_values_in_pairs():
    values = np.arange(1, 11)
    breaks = quantile_breaks(values, 5)
    assert breaks.tolist() == [2, 4, 6, 8, 10]
    assert assign_classes(values, breaks).tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]


def test_missing_values_get_no_class():
    breaks = quantile_breaks([1.0, np.nan, 3.0], 2)
    assert assign_classes([1.0, np.nan, 3.0], breaks).tolist() == [0, -1, 1]


def test_repeated_values_give_fewer_classes():
    assert quantile_breaks([5, 5, 5, 5], 4).tolist() == [5]


def test_no_values_give_no_breaks():
    assert quantile_breaks([], 5).size == 0


@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=200), st.integers(1, 9))
def test_every_value_lies_at_or_below_its_class_bound(values, k):
    breaks = quantile_breaks(values, k)
    classes = assign_classes(values, breaks)
    assert len(breaks) <= k
    assert np.all(np.diff(breaks) > 0)
    assert np.all(np.asarray(values) <= breaks[classes])
    assert np.all((classes == 0) | (np.asarray(values) > breaks[classes - 1]))
