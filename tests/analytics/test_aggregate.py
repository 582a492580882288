import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sozialplanung.analytics.aggregate import (
    aggregate,
    aggregate_with_coverage,
    membership_matrix,
)

MUNICIPALITIES = ["m1", "m2", "m3", "m4"]
ASSOCIATION_OF = {"m1": "VG Nord", "m2": "VG Nord", "m3": "VG Süd", "m4": "VG Süd"}
ASSOCIATIONS = ["VG Nord", "VG Süd"]


def test_membership_marks_each_municipality_in_its_association():
    matrix = membership_matrix(MUNICIPALITIES, ASSOCIATION_OF, ASSOCIATIONS)
    assert matrix.toarray().tolist() == [[1, 1, 0, 0], [0, 0, 1, 1]]


def test_parents_may_be_given_in_the_order_of_the_children():
    matrix = membership_matrix(MUNICIPALITIES, ["VG Süd", None, "VG Süd", "VG Nord"], ASSOCIATIONS)
    assert matrix.toarray().tolist() == [[0, 0, 0, 1], [1, 0, 1, 0]]


def test_a_municipality_outside_every_space_is_counted_nowhere():
    matrix = membership_matrix(MUNICIPALITIES, {"m1": "VG Nord", "m3": "VG Süd"}, ASSOCIATIONS)
    assert aggregate([1.0, 10.0, 100.0, 1000.0], matrix).tolist() == [1, 100]


def test_mapping_entries_for_other_municipalities_are_ignored():
    mapping = {**ASSOCIATION_OF, "elsewhere": "Other county"}
    assert membership_matrix(MUNICIPALITIES, mapping, ASSOCIATIONS).shape == (2, 4)


def test_a_parent_missing_from_the_parent_keys_is_named():
    with pytest.raises(ValueError, match=r"Unknown parent key\(s\): 'VG Süd'"):
        membership_matrix(MUNICIPALITIES, ASSOCIATION_OF, ["VG Nord"])


def test_a_parent_sequence_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="3 parents given for 4 children"):
        membership_matrix(MUNICIPALITIES, ["VG Nord"] * 3, ASSOCIATIONS)


def test_totals_add_the_members_for_every_column():
    values = np.array([[1, 2], [3, 4], [5, 6], [7, 8]], dtype=float)
    matrix = membership_matrix(MUNICIPALITIES, ASSOCIATION_OF, ASSOCIATIONS)
    assert aggregate(values, matrix).tolist() == [[4, 6], [12, 14]]


def test_one_unknown_member_makes_the_total_unknown():
    values = np.array([[1, 2], [np.nan, 4], [5, 6], [7, 8]])
    matrix = membership_matrix(MUNICIPALITIES, ASSOCIATION_OF, ASSOCIATIONS)
    np.testing.assert_array_equal(aggregate(values, matrix), [[np.nan, 6], [12, 14]])


def test_a_parent_without_members_has_no_total():
    matrix = membership_matrix(["m1"], {"m1": "A"}, ["A", "B"])
    np.testing.assert_array_equal(aggregate([5.0], matrix), [5, np.nan])


def test_coverage_gives_partial_totals_and_the_share_known():
    values = np.array([[1, np.nan], [np.nan, np.nan], [5, 6], [7, 8]])
    matrix = membership_matrix(MUNICIPALITIES, ASSOCIATION_OF, ASSOCIATIONS)
    totals, coverage = aggregate_with_coverage(values, matrix)
    np.testing.assert_array_equal(totals, [[1, np.nan], [12, 14]])
    np.testing.assert_array_equal(coverage, [[0.5, 0], [1, 1]])


def test_coverage_of_a_parent_without_members_is_unknown():
    matrix = membership_matrix(["m1"], {"m1": "A"}, ["A", "B"])
    totals, coverage = aggregate_with_coverage([5.0], matrix)
    np.testing.assert_array_equal(totals, [5, np.nan])
    np.testing.assert_array_equal(coverage, [1, np.nan])


def test_values_that_do_not_fit_the_membership_are_refused():
    matrix = membership_matrix(MUNICIPALITIES, ASSOCIATION_OF, ASSOCIATIONS)
    with pytest.raises(ValueError, match="need 4 rows, one per child"):
        aggregate(np.ones((3, 2)), matrix)


@st.composite
def partitions(draw):
    """Counts for some municipalities and a partition of them into spaces."""
    n_children = draw(st.integers(1, 30))
    n_parents = draw(st.integers(1, n_children))
    parent_of = draw(
        st.lists(st.integers(0, n_parents - 1), min_size=n_children, max_size=n_children)
    )
    children = [f"m{i}" for i in range(n_children)]
    parents = [f"s{i}" for i in range(n_parents)]
    matrix = membership_matrix(children, [f"s{p}" for p in parent_of], parents)
    counts = draw(arrays(float, (n_children, 4), elements=st.integers(0, 10**6).map(float)))
    return matrix, counts


@given(partitions())
def test_the_parts_of_a_partition_add_up_to_the_grand_total(partition):
    matrix, counts = partition
    totals = aggregate(counts, matrix)
    np.testing.assert_allclose(np.nansum(totals, axis=0), counts.sum(axis=0))


@given(partitions(), st.data())
def test_coverage_is_the_share_of_known_members(partition, data):
    matrix, counts = partition
    counts[data.draw(arrays(bool, counts.shape))] = np.nan
    totals, coverage = aggregate_with_coverage(counts, matrix)
    members = matrix.toarray()
    known = ~np.isnan(counts)
    with np.errstate(invalid="ignore"):
        np.testing.assert_allclose(coverage, (members @ known) / members.sum(axis=1)[:, None])
    complete = coverage == 1
    np.testing.assert_array_equal(totals[complete], aggregate(counts, matrix)[complete])
