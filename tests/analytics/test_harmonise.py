import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sozialplanung.analytics.harmonise import conversion_matrix, harmonise

# Three old municipalities a, b, c merge into M; d is unchanged; e cedes a quarter of its
# territory (and people) to d and the rest becomes f.
OLD = ["a", "b", "c", "d", "e"]
NEW = ["M", "d", "f"]
PAIRS = pd.DataFrame(
    {
        "old": ["a", "b", "c", "d", "e", "e"],
        "new": ["M", "M", "M", "d", "d", "f"],
        "weight": [1.0, 1.0, 1.0, 1.0, 0.25, 0.75],
    }
)


def pairs(*rows):
    return pd.DataFrame(rows, columns=["old", "new", "weight"])


def test_the_matrix_holds_each_weight_at_new_row_and_old_column():
    assert conversion_matrix(OLD, NEW, PAIRS).toarray().tolist() == [
        [1, 1, 1, 0, 0],
        [0, 0, 0, 1, 0.25],
        [0, 0, 0, 0, 0.75],
    ]


def test_a_merger_adds_up_and_a_split_shares_by_weight():
    unemployed = np.array([[10, 11], [20, 21], [30, 31], [100, 101], [40, 80]], dtype=float)
    result = harmonise(unemployed, conversion_matrix(OLD, NEW, PAIRS))
    assert result.tolist() == [[60, 63], [110, 121], [30, 60]]


def test_one_variable_may_be_a_flat_vector():
    result = harmonise([1.0, 2.0, 3.0, 4.0, 8.0], conversion_matrix(OLD, NEW, PAIRS))
    assert result.tolist() == [6, 6, 6]


def test_an_unknown_part_makes_the_merged_municipality_unknown():
    values = np.array([[1.0, 1.0], [np.nan, 2.0], [3.0, 3.0], [4.0, 4.0], [8.0, np.nan]])
    result = harmonise(values, conversion_matrix(OLD, NEW, PAIRS))
    np.testing.assert_array_equal(result, [[np.nan, 6], [6, np.nan], [6, np.nan]])


def test_a_key_missing_from_the_key_lists_is_named():
    with pytest.raises(ValueError, match=r"Unknown old area key\(s\): 'x'"):
        conversion_matrix(["a"], ["A"], pairs(("a", "A", 1.0), ("x", "A", 1.0)))
    with pytest.raises(ValueError, match=r"Unknown new area key\(s\): 'B'"):
        conversion_matrix(["a"], ["A"], pairs(("a", "B", 1.0)))


def test_weights_of_an_old_area_must_sum_to_one():
    with pytest.raises(ValueError, match=r"sum to 1: 'b' \(sum 0\.9\)"):
        conversion_matrix(["a", "b"], ["A"], pairs(("a", "A", 1.0), ("b", "A", 0.9)))


def test_rounding_noise_in_the_weights_is_accepted():
    matrix = conversion_matrix(["a"], ["A", "B"], pairs(("a", "A", 0.1), ("a", "B", 0.9 + 1e-12)))
    assert matrix.shape == (2, 1)


def test_an_old_area_without_pairs_would_vanish_and_is_refused():
    with pytest.raises(ValueError, match=r"would be lost: 'b'"):
        conversion_matrix(["a", "b"], ["A"], pairs(("a", "A", 1.0)))


@pytest.mark.parametrize("weight", [0.0, -0.5, 1.5, np.nan])
def test_a_weight_outside_zero_to_one_is_named(weight):
    with pytest.raises(ValueError, match=r"\(0, 1\].*'a'"):
        conversion_matrix(["a"], ["A"], pairs(("a", "A", weight)))


def test_duplicate_keys_are_refused():
    with pytest.raises(ValueError, match=r"Duplicate old area key\(s\): 'a'"):
        conversion_matrix(["a", "a"], ["A"], pairs(("a", "A", 1.0)))


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="lack column.*weight"):
        conversion_matrix(["a"], ["A"], pd.DataFrame({"old": ["a"], "new": ["A"]}))


def test_values_that_do_not_fit_the_matrix_are_refused():
    with pytest.raises(ValueError, match="need 5 rows"):
        harmonise(np.ones((4, 2)), conversion_matrix(OLD, NEW, PAIRS))


@st.composite
def conversions(draw):
    """Random key tables: every old area goes to one or two new areas, shares summing to 1."""
    n_old = draw(st.integers(1, 12))
    n_new = draw(st.integers(1, 8))
    rows = []
    for old in range(n_old):
        first = draw(st.integers(0, n_new - 1))
        second = draw(st.integers(0, n_new - 1))
        share = draw(st.sampled_from([1.0, 0.5, 0.25, 0.1, 1 / 3]))
        if share == 1.0 or first == second:
            rows.append((f"o{old}", f"n{first}", 1.0))
        else:
            rows += [(f"o{old}", f"n{first}", share), (f"o{old}", f"n{second}", 1 - share)]
    old_keys = [f"o{i}" for i in range(n_old)]
    new_keys = [f"n{i}" for i in range(n_new)]
    counts = draw(arrays(float, (n_old, 3), elements=st.integers(0, 100_000).map(float)))
    return conversion_matrix(old_keys, new_keys, pairs(*rows)), counts


@given(conversions())
def test_harmonising_conserves_the_total_over_all_areas(conversion):
    matrix, counts = conversion
    result = harmonise(counts, matrix)
    reached = matrix.sum(axis=1) > 0  # a new area no old area feeds holds no information
    np.testing.assert_allclose(result[reached].sum(axis=0), counts.sum(axis=0))
    assert np.isnan(result[~reached]).all()


@given(conversions(), st.data())
def test_a_new_area_is_unknown_exactly_when_a_contributor_is(conversion, data):
    matrix, counts = conversion
    unknown = data.draw(arrays(bool, counts.shape))
    counts[unknown] = np.nan
    result = harmonise(counts, matrix)
    contributors = matrix.toarray() > 0
    expected_unknown = (contributors @ unknown > 0) | ~contributors.any(axis=1)[:, None]
    np.testing.assert_array_equal(np.isnan(result), expected_unknown)
