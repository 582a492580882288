"""Totals of counts over larger areas: municipalities to associations, counties, social spaces.

A membership matrix ``M`` (one row per parent, one column per child, 1 where the child belongs to
the parent) turns child counts ``X`` into parent totals ``M @ X`` for every variable and period
at once. Only additive quantities (counts, amounts) may be summed; a rate is recomputed from the
summed numerator and denominator (:func:`sozialplanung.analytics.indicators.ratio`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse

from sozialplanung.analytics.tables import positions, unique_index


def membership_matrix(
    child_keys: Sequence[str],
    parent_of: Mapping[str, str | None] | Sequence[str | None],
    parent_keys: Sequence[str],
) -> sparse.csr_array:
    """Which child belongs to which parent, as a sparse 0/1 matrix ``(n_parent, n_child)``.

    Parameters
    ----------
    child_keys
        The columns, e.g. municipality keys in the order of the value rows.
    parent_of
        Either a mapping child key → parent key, or a sequence with the parent of each child in
        the order of ``child_keys``. A child without a parent (missing from the mapping, or
        ``None``) is simply counted nowhere, e.g. a municipality outside every social space.
        Mapping entries for children not in ``child_keys`` are ignored, so one mapping for the
        whole country serves any selection of municipalities.
    parent_keys
        The rows. A parent named in ``parent_of`` but not here raises ``ValueError``, because
        its children would otherwise drop out of every total unnoticed.
    """
    children = unique_index(child_keys, what="child")
    if isinstance(parent_of, Mapping):
        parents = [parent_of.get(child) for child in children]
    else:
        parents = list(parent_of)
        if len(parents) != len(children):
            raise ValueError(
                f"{len(parents)} parents given for {len(children)} children; "
                "a sequence must name one parent (or None) per child"
            )
    has_parent = np.array([parent is not None for parent in parents], dtype=bool)
    columns = np.flatnonzero(has_parent)
    rows = positions([parents[i] for i in columns], parent_keys, what="parent")
    return sparse.csr_array(
        (np.ones(columns.size), (rows, columns)), shape=(len(parent_keys), len(children))
    )


def aggregate(values: ArrayLike, membership: sparse.sparray) -> np.ndarray:
    """Parent totals ``membership @ values``; NaN where any member is unknown or there is no member.

    A total that silently leaves out an unknown municipality understates the county, and a rate
    computed from it is wrong without anyone noticing; so an unknown member makes the total
    unknown. Use :func:`aggregate_with_coverage` to show partial totals on purpose.

    Parameters
    ----------
    values
        Counts of shape ``(n_child,)`` or ``(n_child, k)``, e.g. ``k`` = variables × periods.
    membership
        Non-negative sparse matrix ``(n_parent, n_child)``: 0/1 from :func:`membership_matrix`,
        or weights from :func:`sozialplanung.analytics.harmonise.conversion_matrix`. A member is
        a child with a positive entry.

    Returns
    -------
    numpy.ndarray
        Totals of shape ``(n_parent,)`` or ``(n_parent, k)``.
    """
    matrix, data, unknown = _prepare(values, membership)
    members = _members(matrix)
    totals = matrix @ np.where(unknown, 0.0, data)
    if unknown.any():
        totals[members @ unknown.astype(float) > 0] = np.nan
    totals[members.sum(axis=1) == 0] = np.nan
    return totals


def aggregate_with_coverage(
    values: ArrayLike, membership: sparse.sparray
) -> tuple[np.ndarray, np.ndarray]:
    """Partial totals over the known members, and the share of members that were known.

    Parameters are as for :func:`aggregate`.

    Returns
    -------
    totals
        ``membership @ values`` with unknown members left out; NaN where no member is known.
    coverage
        Share in [0, 1] of the membership weight whose value is known (for 0/1 membership the
        share of members), same shape as ``totals``; NaN for a parent without members. A caller
        shows e.g. "partial: 6 of 7 municipalities" where coverage < 1.
    """
    matrix, data, unknown = _prepare(values, membership)
    totals = matrix @ np.where(unknown, 0.0, data)
    known_weight = matrix @ (~unknown).astype(float)
    all_weight = matrix.sum(axis=1).reshape((-1,) + (1,) * (data.ndim - 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        coverage = np.where(all_weight > 0, known_weight / all_weight, np.nan)
    totals[~(known_weight > 0)] = np.nan
    return totals, coverage


def _prepare(
    values: ArrayLike, membership: sparse.sparray
) -> tuple[sparse.csr_array, np.ndarray, np.ndarray]:
    """Check that the shapes fit; return the CSR matrix, the values as float, their NaN mask."""
    matrix = sparse.csr_array(membership)
    data = np.asarray(values, dtype=float)
    if data.ndim not in (1, 2) or data.shape[0] != matrix.shape[1]:
        raise ValueError(
            f"Values of shape {data.shape} do not fit a matrix of shape {matrix.shape}: "
            f"need {matrix.shape[1]} rows, one per child area"
        )
    if matrix.nnz and matrix.data.min() < 0:
        raise ValueError("Membership and conversion weights must not be negative")
    return matrix, data, np.isnan(data)


def _members(matrix: sparse.csr_array) -> sparse.csr_array:
    """0/1 matrix of the same shape: 1 where a child is a member (positive entry)."""
    return (matrix > 0).astype(float)
