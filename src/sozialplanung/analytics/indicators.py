"""Indicators computed from counts: rates and change over time.

A rate for a larger area is the ratio of the summed numerator to the summed denominator (the
ratio of totals, Cochran, *Sampling Techniques*, 3rd ed. 1977, § 6.1), never the mean of the
rates of its parts: the mean weights a village of 300 like a town of 30,000. So callers harmonise
and aggregate numerator and denominator first (:mod:`~sozialplanung.analytics.harmonise`,
:mod:`~sozialplanung.analytics.aggregate`) and call :func:`ratio` last.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from sozialplanung.analytics.tables import describe_keys


def ratio(numerator: ArrayLike, denominator: ArrayLike, factor: float = 1.0) -> np.ndarray:
    """Elementwise ``numerator / denominator * factor``, e.g. SGB II unemployed per 100 aged 15–64.

    NaN where either input is NaN or the denominator is 0: a rate without a population is
    undefined, not infinite. Emits no floating-point warnings.
    """
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    result = np.full(np.broadcast_shapes(num.shape, den.shape), np.nan)
    np.divide(num, den, out=result, where=den != 0)
    return result * factor


def change(
    values_by_period: ArrayLike,
    periods: Sequence[object],
    base_period: object,
    kind: Literal["absolute", "percent"],
) -> np.ndarray:
    """Change of each value against the base period's value in the same row.

    Parameters
    ----------
    values_by_period
        Shape ``(n, t)``: one row per area, one column per period in the order of ``periods``.
    periods
        The column labels; ``base_period`` must be among them.
    kind
        ``"absolute"``: :math:`x_t - x_b`; ``"percent"``: :math:`(x_t - x_b) / x_b \\cdot 100`,
        NaN where the base value is 0 or NaN.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, t)``; the base column is 0 where its value is known.
    """
    values = np.asarray(values_by_period, dtype=float)
    periods = list(periods)
    if values.ndim != 2 or values.shape[1] != len(periods):
        raise ValueError(
            f"Values of shape {values.shape} do not fit {len(periods)} periods: "
            "need one column per period"
        )
    if base_period not in periods:
        raise ValueError(
            f"Base period {base_period!r} is not among the periods {describe_keys(periods)}"
        )
    base = values[:, [periods.index(base_period)]]
    difference = values - base
    if kind == "absolute":
        return difference
    if kind == "percent":
        return ratio(difference, base, 100.0)
    raise ValueError(f"Unknown kind of change {kind!r}; use 'absolute' or 'percent'")
