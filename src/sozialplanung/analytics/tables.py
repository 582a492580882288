"""The boundary between tidy observations (area, period, variable, value) and matrices.

Harmonising and aggregating work on matrices with one row per area, because a sparse matrix
product does for all 10,800 German municipalities at once what a merge and a groupby do row by
row. These helpers convert in both directions and look keys up with readable errors.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

OBSERVATION_COLUMNS = ["area", "period", "variable", "value"]

_SHOWN = 10  # offending keys named in an error message; the rest are counted


def describe_keys(keys: Sequence[object]) -> str:
    """Name the first few keys and count the rest, so an error message stays readable."""
    keys = list(keys)
    shown = ", ".join(repr(key) for key in keys[:_SHOWN])
    rest = len(keys) - _SHOWN
    return f"{shown} and {rest} more" if rest > 0 else shown


def positions(wanted: Sequence[object], keys: Sequence[object], *, what: str) -> np.ndarray:
    """Row index in ``keys`` of each of ``wanted``; ValueError naming the ones not among ``keys``.

    ``what`` names the kind of key in the message, e.g. ``"old area"``.
    """
    index = unique_index(keys, what=what)
    found = index.get_indexer(pd.Index(wanted))
    if (found < 0).any():
        unknown = pd.unique(np.asarray(wanted, dtype=object)[found < 0])
        raise ValueError(f"Unknown {what} key(s): {describe_keys(unknown)}")
    return found


def unique_index(keys: Sequence[object], *, what: str) -> pd.Index:
    """Keys as an index for fast look-up; ValueError naming keys that occur twice."""
    index = pd.Index(keys)
    if not index.is_unique:
        raise ValueError(f"Duplicate {what} key(s): {describe_keys(index[index.duplicated()])}")
    return index


def to_matrix(frame: pd.DataFrame, area_order: Sequence[str]) -> tuple[np.ndarray, pd.MultiIndex]:
    """Spread long observations into one row per area and one column per (variable, period).

    Parameters
    ----------
    frame
        Columns ``area``, ``period``, ``variable``, ``value``; at most one row per
        (area, period, variable).
    area_order
        The rows of the result. Every area of ``frame`` must be among them; an area without
        observations gets a row of NaN.

    Returns
    -------
    matrix
        Float array of shape ``(len(area_order), n_variable * n_period)``; NaN where nothing
        was observed.
    columns
        ``MultiIndex`` named ``(variable, period)``, both sorted, variables outermost, so that
        ``matrix[:, columns.get_loc(variable)]`` is one variable's periods in order.
    """
    missing = [column for column in OBSERVATION_COLUMNS if column not in frame.columns]
    if missing:
        raise ValueError(f"Observations lack column(s): {', '.join(missing)}")
    rows = positions(frame["area"], area_order, what="area")
    variable_codes, variables = _sorted_codes(frame["variable"])
    period_codes, periods = _sorted_codes(frame["period"])
    n_columns = len(variables) * len(periods)
    cells = rows * n_columns + variable_codes * len(periods) + period_codes
    size = len(area_order) * n_columns
    if cells.size and np.bincount(cells, minlength=size).max() > 1:
        counts = frame.value_counts(["area", "period", "variable"])
        twice = [
            f"{area}/{period}/{variable}" for area, period, variable in counts[counts > 1].index
        ]
        raise ValueError(f"More than one value for (area/period/variable): {describe_keys(twice)}")
    matrix = np.full(size, np.nan)
    matrix[cells] = frame["value"].to_numpy(dtype=float, na_value=np.nan)
    columns = pd.MultiIndex.from_product([variables, periods], names=["variable", "period"])
    return matrix.reshape(len(area_order), n_columns), columns


def _sorted_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes numbering the distinct values in sorted order.

    Factorising unsorted and then sorting the few distinct values is about twice as fast on
    millions of rows as ``pd.factorize(sort=True)`` on pandas' string dtype.
    """
    codes, uniques = pd.factorize(values.to_numpy())
    if (codes < 0).any():
        raise ValueError(f"Observations lack a {values.name} in {int((codes < 0).sum())} row(s)")
    order = np.argsort(np.asarray(uniques), kind="stable")
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order))
    return rank[codes], pd.Index(np.asarray(uniques)[order])


def from_matrix(
    matrix: np.ndarray, area_keys: Sequence[str], columns: pd.MultiIndex
) -> pd.DataFrame:
    """Long observations (area, period, variable, value) from a matrix; NaN cells are left out.

    The inverse of :func:`to_matrix`: ``columns`` holds (variable, period) pairs.
    """
    matrix = np.asarray(matrix, dtype=float)
    if matrix.shape != (len(area_keys), len(columns)):
        raise ValueError(
            f"Matrix of shape {matrix.shape} does not fit {len(area_keys)} areas "
            f"× {len(columns)} columns"
        )
    known_rows, known_columns = np.nonzero(~np.isnan(matrix))
    return pd.DataFrame(
        {
            "area": np.asarray(area_keys, dtype=object)[known_rows],
            "period": columns.get_level_values("period")[known_columns],
            "variable": columns.get_level_values("variable")[known_columns],
            "value": matrix[known_rows, known_columns],
        }
    )
