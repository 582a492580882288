"""Carry counts from an old territorial state to a new one with a conversion key table.

When municipalities merge or cede territory, a time series on the old state is converted with a
conversion key ("Umsteigeschlüssel"): each old area passes the share ``weight`` of its count to
each new area it became part of, the shares of one old area summing to 1 (BBSR,
*Umsteigeschlüssel zur Konvertierung von Gebietsständen*). Written as a matrix ``C`` with
``C[new, old] = weight``, the counts on the new state are ``C @ X`` for all variables and periods
at once; because every column of ``C`` sums to 1, the total over all areas is conserved.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import sparse

from sozialplanung.analytics.aggregate import aggregate
from sozialplanung.analytics.tables import describe_keys, positions, unique_index

WEIGHT_TOLERANCE = 1e-9


def conversion_matrix(
    old_keys: Sequence[str], new_keys: Sequence[str], pairs: pd.DataFrame
) -> sparse.csr_array:
    """Sparse conversion matrix ``(n_new, n_old)`` holding each weight at [new, old].

    Parameters
    ----------
    old_keys
        Areas of the old state, in the order of the rows of the values to convert.
    new_keys
        Areas of the new state, in the order wanted for the result.
    pairs
        Columns ``old``, ``new``, ``weight``; an unchanged area maps to itself with weight 1.

    Raises
    ------
    ValueError
        Naming the offending keys: a key that is not among ``old_keys``/``new_keys``, a weight
        outside (0, 1], an old area whose weights do not sum to 1 (± 1e-9), or an old area
        without any pair (its counts would silently vanish).
    """
    missing = [column for column in ("old", "new", "weight") if column not in pairs.columns]
    if missing:
        raise ValueError(f"Conversion pairs lack column(s): {', '.join(missing)}")
    old_index = unique_index(old_keys, what="old area")
    columns = positions(pairs["old"], old_index, what="old area")
    rows = positions(pairs["new"], new_keys, what="new area")
    weights = pairs["weight"].to_numpy(dtype=float, na_value=np.nan)

    bad_weight = ~((weights > 0) & (weights <= 1))
    if bad_weight.any():
        raise ValueError(
            "Conversion weights must lie in (0, 1]; not so for old area(s) "
            f"{describe_keys(pd.unique(pairs['old'].to_numpy()[bad_weight]))}"
        )
    n_pairs = np.bincount(columns, minlength=len(old_index))
    if (n_pairs == 0).any():
        raise ValueError(
            "Old area(s) without a conversion pair; their counts would be lost: "
            f"{describe_keys(old_index[n_pairs == 0])}"
        )
    sums = np.bincount(columns, weights=weights, minlength=len(old_index))
    off = np.flatnonzero(np.abs(sums - 1) > WEIGHT_TOLERANCE)
    if off.size:
        named = [f"{old_index[i]!r} (sum {sums[i]:.6g})" for i in off[:10]]
        more = f" and {off.size - 10} more" if off.size > 10 else ""
        raise ValueError(f"Weights of an old area must sum to 1: {', '.join(named)}{more}")

    return sparse.csr_array((weights, (rows, columns)), shape=(len(new_keys), len(old_index)))


def harmonise(values: ArrayLike, matrix: sparse.sparray) -> np.ndarray:
    """Counts on the new territorial state: ``matrix @ values``.

    Only for additive quantities (counts such as unemployed or inhabitants, amounts in euro):
    a share of an old area's count is a meaningful count, a share of its rate is not. Convert
    numerator and denominator and recompute the rate
    (:func:`sozialplanung.analytics.indicators.ratio`).

    Parameters
    ----------
    values
        Shape ``(n_old,)`` or ``(n_old, k)``, rows in the order of ``old_keys``.
    matrix
        From :func:`conversion_matrix`.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_new,)`` or ``(n_new, k)``. A new area's value is NaN when any old area
        contributing to it with a positive weight is NaN (a merged municipality whose parts are
        partly unknown is unknown), and when no old area contributes to it.
    """
    return aggregate(values, matrix)
