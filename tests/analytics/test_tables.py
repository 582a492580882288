import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sozialplanung.analytics.tables import from_matrix, to_matrix

OBSERVATIONS = pd.DataFrame(
    {
        "area": ["b", "a", "a", "b", "a"],
        "period": [2021, 2020, 2021, 2020, 2020],
        "variable": ["unemployed", "unemployed", "unemployed", "population", "population"],
        "value": [4.0, 1.0, 2.0, 30.0, 10.0],
    }
)


def test_rows_follow_the_area_order_and_columns_pair_variable_with_period():
    matrix, columns = to_matrix(OBSERVATIONS, ["a", "b", "c"])
    assert list(columns) == [
        ("population", 2020),
        ("population", 2021),
        ("unemployed", 2020),
        ("unemployed", 2021),
    ]
    assert columns.names == ["variable", "period"]
    np.testing.assert_array_equal(
        matrix, [[10, np.nan, 1, 2], [30, np.nan, np.nan, 4], [np.nan] * 4]
    )


def test_one_variable_is_a_slice_of_columns_in_period_order():
    matrix, columns = to_matrix(OBSERVATIONS, ["a", "b"])
    np.testing.assert_array_equal(matrix[:, columns.get_loc("unemployed")], [[1, 2], [np.nan, 4]])


def test_an_area_outside_the_order_is_named():
    with pytest.raises(ValueError, match=r"Unknown area key\(s\): 'b'"):
        to_matrix(OBSERVATIONS, ["a"])


def test_two_values_for_one_cell_are_named():
    doubled = pd.concat([OBSERVATIONS, OBSERVATIONS.iloc[[0]]])
    with pytest.raises(ValueError, match="More than one value.*'b/2021/unemployed'"):
        to_matrix(doubled, ["a", "b"])


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="lack column.*value"):
        to_matrix(OBSERVATIONS.drop(columns="value"), ["a", "b"])


def test_a_row_without_a_variable_is_refused():
    frame = OBSERVATIONS.assign(variable=["unemployed", None, "unemployed", None, "population"])
    with pytest.raises(ValueError, match="lack a variable in 2 row"):
        to_matrix(frame, ["a", "b"])


def test_back_to_long_format_leaves_out_unknown_cells():
    matrix, columns = to_matrix(OBSERVATIONS, ["a", "b", "c"])
    long = from_matrix(matrix, ["a", "b", "c"], columns)
    assert list(long.columns) == ["area", "period", "variable", "value"]
    assert len(long) == len(OBSERVATIONS)


def test_a_matrix_that_does_not_fit_the_keys_is_refused():
    _, columns = to_matrix(OBSERVATIONS, ["a", "b"])
    with pytest.raises(ValueError, match="does not fit 3 areas"):
        from_matrix(np.ones((2, 4)), ["a", "b", "c"], columns)


cells = st.tuples(st.sampled_from("abcd"), st.integers(2018, 2022), st.sampled_from("xyz"))


@given(st.dictionaries(cells, st.integers(0, 1000).map(float), max_size=40))
def test_long_to_matrix_and_back_returns_the_same_observations(observed):
    frame = pd.DataFrame(
        [(area, period, variable, value) for (area, period, variable), value in observed.items()],
        columns=["area", "period", "variable", "value"],
    )
    matrix, columns = to_matrix(frame, list("abcd"))
    back = from_matrix(matrix, list("abcd"), columns)
    key = ["area", "period", "variable"]
    pd.testing.assert_frame_equal(
        back.sort_values(key).reset_index(drop=True),
        frame.sort_values(key).reset_index(drop=True),
        check_dtype=False,
    )
