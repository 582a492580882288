import numpy as np
import pytest

from sozialplanung.analytics.disclosure_audit import Relation, audit_intervals, is_protected

# A county (cell 0) of two associations (1, 2); association 1 has municipalities 3 and 4.
COUNTY = np.array([30.0, 12.0, 18.0, 2.0, 10.0])
COUNTY_RELATIONS = [Relation(0, (1, 2)), Relation(1, (3, 4))]


def hide(*cells, size=COUNTY.size):
    mask = np.zeros(size, dtype=bool)
    mask[list(cells)] = True
    return mask


def test_published_cells_are_known_exactly():
    lower, upper = audit_intervals(COUNTY, COUNTY_RELATIONS, hide(3, 4))
    assert lower[[0, 1, 2]].tolist() == upper[[0, 1, 2]].tolist() == [30, 12, 18]


def test_a_lone_hidden_part_is_recomputed_from_its_total():
    lower, upper = audit_intervals(COUNTY, COUNTY_RELATIONS, hide(3))
    assert (lower[3], upper[3]) == (2, 2)


def test_two_hidden_parts_range_from_zero_to_what_the_total_leaves():
    lower, upper = audit_intervals(COUNTY, COUNTY_RELATIONS, hide(3, 4))
    assert lower[[3, 4]].tolist() == [0, 0]
    assert upper[[3, 4]].tolist() == [12, 12]


def test_hidden_cells_are_bounded_through_nested_relations():
    # With both associations hidden only the county total (30) caps municipality 3, and the
    # published municipality 4 (10) keeps association 1 at 10 or more.
    lower, upper = audit_intervals(COUNTY, COUNTY_RELATIONS, hide(1, 2, 3))
    assert (lower[3], upper[3]) == (0, 20)
    assert (lower[1], upper[1]) == (10, 30)


def test_a_hidden_total_with_a_hidden_part_is_unbounded_above():
    lower, upper = audit_intervals(COUNTY, [Relation(1, (3, 4))], hide(1, 3))
    assert (lower[3], upper[3]) == (0, np.inf)
    assert (lower[1], upper[1]) == (10, np.inf)


def test_a_hidden_cell_in_no_relation_can_be_any_count():
    lower, upper = audit_intervals([5.0, 1.0], [], [False, True])
    assert (lower[1], upper[1]) == (0, np.inf)


def test_is_protected_compares_every_hidden_interval_with_the_protection_level():
    assert is_protected(COUNTY, COUNTY_RELATIONS, hide(3, 4), protection=12)
    assert not is_protected(COUNTY, COUNTY_RELATIONS, hide(3, 4), protection=13)
    assert not is_protected(COUNTY, COUNTY_RELATIONS, hide(3), protection=3)
    assert is_protected(COUNTY, COUNTY_RELATIONS, hide(), protection=3)


def test_it_rejects_values_that_break_a_relation():
    with pytest.raises(ValueError, match="does not hold: total 30 but parts sum to 31"):
        audit_intervals([30.0, 12.0, 19.0, 2.0, 10.0], COUNTY_RELATIONS, hide(3, 4))


def test_it_rejects_negative_or_missing_values():
    with pytest.raises(ValueError, match=r"cells \[1, 2\]"):
        audit_intervals([1.0, -1.0, np.nan], [], [True, False, False])


def test_it_rejects_relations_pointing_outside_the_table():
    with pytest.raises(ValueError, match="outside 0..1"):
        audit_intervals([1.0, 1.0], [Relation(0, (1, 2))], [False, False])


def test_it_rejects_a_mask_of_another_shape():
    with pytest.raises(ValueError, match="suppressed has shape"):
        audit_intervals(COUNTY, COUNTY_RELATIONS, [True])
