import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sozialplanung.analytics.status_dynamics import (
    DYNAMICS_CLASSES,
    DYNAMICS_LABELS_DE,
    STATUS_CLASSES,
    STATUS_LABELS_DE,
    dynamics_classes,
    standardise,
    status_classes,
    status_dynamics,
)

# Five areas, three status indicators: SGB II rate and child poverty rate (higher is worse),
# employment rate (higher is better). Values chosen by hand so every z-score is -1, 0 or +1.
NOW = np.array(
    [
        [8.0, 20.0, 70.0],
        [12.0, 30.0, 60.0],
        [10.0, 30.0, 65.0],
        [12.0, 25.0, 60.0],
        [8.0, 20.0, 70.0],
    ]
)
CHANGE = np.array(
    [
        [1.0, 2.0, -3.0],
        [1.0, 0.0, 3.0],
        [0.0, 2.0, 0.0],
        [-1.0, -2.0, 3.0],
        [-1.0, -2.0, -3.0],
    ]
)
POLARITY = [-1, -1, 1]


def test_the_hand_built_example_is_classed_as_worked_out_by_hand():
    """Not from a publication. Status: the mean of oriented z-scores is [-1, 1, 1/3, 2/3, -1]
    (mean 0, sd √(8/9)), standardised [-3, 3, 1, 2, -3] / √8. Dynamics: the z-scores of the
    changes average to [1, 0, 1/3, -1, -1/3] (mean 0, sd √(5/9)), standardised
    [3, 0, 1, -3, -1] / √5. Cut at -1, +1, +1.5 and at ±1."""
    result = status_dynamics(NOW, NOW - CHANGE, POLARITY)

    np.testing.assert_allclose(
        result.status_index, np.array([-3, 3, 1, 2, -3]) / np.sqrt(8), atol=1e-12
    )
    np.testing.assert_allclose(
        result.dynamics_index, np.array([3, 0, 1, -3, -1]) / np.sqrt(5), atol=1e-12
    )
    assert result.status_class.tolist() == ["high", "low", "medium", "medium", "high"]
    assert result.dynamics_class.tolist() == [
        "negative",
        "stable",
        "stable",
        "positive",
        "stable",
    ]
    assert result.matrix().to_dict(orient="index") == {
        "high": {"positive": 0, "stable": 1, "negative": 1},
        "medium": {"positive": 1, "stable": 1, "negative": 0},
        "low": {"positive": 0, "stable": 1, "negative": 0},
        "very_low": {"positive": 0, "stable": 0, "negative": 0},
    }


def test_the_matrix_lists_classes_in_mss_order():
    matrix = status_dynamics(NOW, NOW - CHANGE, POLARITY).matrix()

    assert matrix.index.tolist() == ["high", "medium", "low", "very_low"]
    assert matrix.columns.tolist() == ["positive", "stable", "negative"]


def test_a_rising_rate_of_a_higher_is_worse_indicator_counts_as_worsening():
    before = np.array([[10.0], [10.0], [10.0], [10.0]])
    now = np.array([[10.0], [10.0], [10.0], [14.0]])

    result = status_dynamics(now, before, [-1])

    assert result.dynamics_index[3] > 1 and result.dynamics_class[3] == "negative"


def test_a_value_on_a_cut_point_goes_to_the_class_nearer_the_average():
    assert status_classes([-1.0, 1.0, 1.5]).tolist() == ["medium", "medium", "low"]
    assert dynamics_classes([-1.0, 1.0]).tolist() == ["stable", "stable"]


def test_missing_index_values_get_no_class():
    assert status_classes([np.nan, 0.0]).tolist() == [None, "medium"]
    assert dynamics_classes([np.nan]).tolist() == [None]


def test_thresholds_must_rise_and_fit_the_classes():
    with pytest.raises(ValueError, match="3 increasing thresholds for 4 classes"):
        status_classes([0.0], thresholds=(1.0, -1.0, 1.5))
    with pytest.raises(ValueError, match="2 increasing thresholds for 3 classes"):
        dynamics_classes([0.0], thresholds=(-1.0, 0.0, 1.0))


def test_every_class_has_a_german_label():
    assert [STATUS_LABELS_DE[c] for c in STATUS_CLASSES] == [
        "hoch",
        "mittel",
        "niedrig",
        "sehr niedrig",
    ]
    assert [DYNAMICS_LABELS_DE[c] for c in DYNAMICS_CLASSES] == ["positiv", "stabil", "negativ"]


def test_standardising_gives_mean_0_and_sd_1_and_keeps_gaps():
    z = standardise([1.0, 2.0, np.nan, 6.0])

    assert np.nanmean(z) == pytest.approx(0.0) and np.nanstd(z, ddof=1) == pytest.approx(1.0)
    assert np.isnan(z[2])


def test_an_index_equal_everywhere_up_to_rounding_standardises_to_0():
    assert standardise([0.1 + 0.2, 0.3, 0.3]).tolist() == [0.0, 0.0, 0.0]


def test_earlier_and_current_values_must_have_the_same_shape():
    with pytest.raises(ValueError, match="differ"):
        status_dynamics(NOW, NOW[:4], POLARITY)


# Invariants -----------------------------------------------------------------------------------

index_values = st.lists(st.floats(-5, 5, allow_nan=False), min_size=1, max_size=50)
cut_points = st.lists(st.floats(-3, 3, allow_nan=False), unique=True)


@settings(max_examples=50, deadline=None)
@given(index_values, cut_points.filter(lambda c: len(c) == 3).map(sorted))
def test_status_classes_agree_with_their_thresholds(values, cuts):
    low, middle, high = cuts
    rules = {
        "high": lambda z: z < low,
        "medium": lambda z: low <= z <= middle,
        "low": lambda z: middle < z <= high,
        "very_low": lambda z: z > high,
    }

    for value, code in zip(values, status_classes(values, cuts), strict=True):
        assert rules[code](value)


@settings(max_examples=50, deadline=None)
@given(index_values, cut_points.filter(lambda c: len(c) == 2).map(sorted))
def test_dynamics_classes_agree_with_their_thresholds(values, cuts):
    low, high = cuts
    rules = {
        "positive": lambda z: z < low,
        "stable": lambda z: low <= z <= high,
        "negative": lambda z: z > high,
    }

    for value, code in zip(values, dynamics_classes(values, cuts), strict=True):
        assert rules[code](value)


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_matrix_counts_every_area_once(data):
    n, k = data.draw(st.integers(3, 30)), data.draw(st.integers(1, 3))
    value = st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 1))
    now = np.array(data.draw(st.lists(value, min_size=n * k, max_size=n * k))).reshape(n, k)
    before = np.array(data.draw(st.lists(value, min_size=n * k, max_size=n * k))).reshape(n, k)
    polarity = data.draw(st.lists(st.sampled_from([-1, 1]), min_size=k, max_size=k))

    result = status_dynamics(now, before, polarity)

    assert result.matrix().to_numpy().sum() == n
    assert set(result.status_class) <= set(STATUS_CLASSES)
    assert set(result.dynamics_class) <= set(DYNAMICS_CLASSES)
