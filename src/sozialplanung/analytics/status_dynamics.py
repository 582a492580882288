"""Status and dynamics of areas, after Berlin's *Monitoring Soziale Stadtentwicklung* (MSS).

The MSS (Senatsverwaltung für Stadtentwicklung Berlin, reports 2013–2021; also Hamburg's
*Sozialmonitoring Integrierte Stadtteilentwicklung*) builds two indices from the same index
indicators (MSS 2021: unemployment, transfer receipt, child poverty): a **status index** from
their current values and a **dynamics index** from their change over the two-year period.
Both are z-standardised across the areas and cut into classes at multiples of the standard
deviation: four status classes (hoch, mittel, niedrig, sehr niedrig) and three dynamics classes
(positiv, stabil, negativ), overlaid to 12 groups ("Gesamtindex Soziale Ungleichheit").

Both indices here read like :mod:`sozialplanung.analytics.composite`: **higher = more need**
(status) or **faster worsening** (dynamics). So a *high* status index means a *low* status.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from sozialplanung.analytics.composite import IndexResult, IndexSettings, composite_index
from sozialplanung.analytics.composite_steps import as_matrix

STATUS_CLASSES = ("high", "medium", "low", "very_low")
DYNAMICS_CLASSES = ("positive", "stable", "negative")
STATUS_LABELS_DE = {
    "high": "hoch",
    "medium": "mittel",
    "low": "niedrig",
    "very_low": "sehr niedrig",
}
DYNAMICS_LABELS_DE = {"positive": "positiv", "stable": "stabil", "negative": "negativ"}

# Cut points on the standardised need index (mean 0, sd 1), in standard deviations.
# Status: high below -1, medium -1 … +1, low +1 … +1.5, very low above +1.5.
# Dynamics: positive below -1 (improving faster than the city), stable, negative above +1.
# Source of the method: the MSS classes areas "nach Standardabweichung vom Mittelwert" into four
# status and three dynamics classes (MSS 2019 data sets and maps on daten.berlin.de, tag
# "Monitoring Soziale Stadtentwicklung"; MSS 2013/2015 report summaries on berlin.de). The
# numbers ±1 and 1.5 are this project's defaults in that spirit, not values quoted from an MSS
# method chapter (which the sources at hand did not show): every index definition can set its own.
STATUS_THRESHOLDS = (-1.0, 1.0, 1.5)
DYNAMICS_THRESHOLDS = (-1.0, 1.0)

# The MSS combines z-scores of its index indicators without weights (as far as the sources
# consulted show) and takes areas with extreme values out of the calculation by hand (MSS 2019
# tables page) instead of winsorising them.
MSS_SETTINGS = IndexSettings(winsorise=False)


def status_classes(
    index_values: ArrayLike, thresholds: Sequence[float] = STATUS_THRESHOLDS
) -> np.ndarray:
    """Status class code of every area from its standardised need index; None where NaN.

    ``high`` if z < t0, ``medium`` if t0 ≤ z ≤ t1, ``low`` if t1 < z ≤ t2, ``very_low`` if
    z > t2. A value exactly on a cut point goes to the class nearer the average (a convention
    of this module, not taken from the MSS). German labels in :data:`STATUS_LABELS_DE`.
    """
    return _classify(index_values, thresholds, STATUS_CLASSES)


def dynamics_classes(
    index_values: ArrayLike, thresholds: Sequence[float] = DYNAMICS_THRESHOLDS
) -> np.ndarray:
    """Dynamics class code of every area from its standardised change index; None where NaN.

    ``positive`` (improving faster than the average) if z < t0, ``stable`` if t0 ≤ z ≤ t1,
    ``negative`` (worsening) if z > t1. German labels in :data:`DYNAMICS_LABELS_DE`.
    """
    return _classify(index_values, thresholds, DYNAMICS_CLASSES)


def _classify(
    index_values: ArrayLike, thresholds: Sequence[float], codes: tuple[str, ...]
) -> np.ndarray:
    """Class 0 below the first cut; above it, cut points belong to the class below them."""
    cuts = np.asarray(thresholds, dtype=float)
    if cuts.size != len(codes) - 1 or (np.diff(cuts) <= 0).any():
        raise ValueError(
            f"need {len(codes) - 1} increasing thresholds for {len(codes)} classes, "
            f"got {cuts.tolist()}"
        )
    values = np.asarray(index_values, dtype=float)
    positions = np.where(values < cuts[0], 0, 1 + np.searchsorted(cuts[1:], values, side="left"))
    labels = np.array(codes, dtype=object)[np.clip(positions, 0, len(codes) - 1)]
    labels[np.isnan(values)] = None
    return labels


def standardise(values: ArrayLike) -> np.ndarray:
    """``(v - mean) / sd`` over the known values, sample sd (ddof = 1); all 0 if v is constant.

    Index values are computed, so "constant" allows for rounding: a spread below 1e-12 of the
    values' magnitude counts as none rather than being blown up to z-scores of ±0.7.
    """
    data = np.asarray(values, dtype=float)
    known = data[~np.isnan(data)]
    if known.size < 2 or np.ptp(known) <= 1e-12 * max(1.0, np.abs(known).max()):
        return np.where(np.isnan(data), np.nan, 0.0)
    return (data - known.mean()) / known.std(ddof=1)


@dataclass(frozen=True)
class StatusDynamicsResult:
    """Standardised indices and classes of every area, with the composites behind them."""

    status_index: np.ndarray
    dynamics_index: np.ndarray
    status_class: np.ndarray
    dynamics_class: np.ndarray
    status: IndexResult = field(repr=False)
    dynamics: IndexResult = field(repr=False)

    def matrix(self) -> pd.DataFrame:
        """Number of areas in each (status class, dynamics class) cell, in MSS order.

        Rows high → very_low, columns positive → negative; areas without a class in either
        index are not counted. Map the codes with the ``*_LABELS_DE`` dicts for display.
        """
        counts = pd.crosstab(
            pd.Categorical(self.status_class, categories=STATUS_CLASSES),
            pd.Categorical(self.dynamics_class, categories=DYNAMICS_CLASSES),
            dropna=False,
        )
        counts.index.name, counts.columns.name = "status", "dynamics"
        return counts.reindex(index=STATUS_CLASSES, columns=DYNAMICS_CLASSES, fill_value=0)


def status_dynamics(
    status_X_now: ArrayLike,
    status_X_before: ArrayLike,
    polarity: ArrayLike,
    settings: IndexSettings | None = None,
    status_thresholds: Sequence[float] = STATUS_THRESHOLDS,
    dynamics_thresholds: Sequence[float] = DYNAMICS_THRESHOLDS,
) -> StatusDynamicsResult:
    """Status index of the current values, dynamics index of their change, both classed.

    Parameters
    ----------
    status_X_now, status_X_before
        The status indicators (areas × indicators) at the end and the start of the period,
        rows and columns in the same order.
    polarity
        Per indicator ``+1`` if higher is better, ``-1`` if higher is worse; the change
        ``now - before`` is oriented the same way, so a rising unemployment rate counts as
        worsening.
    settings
        Construction of both composites; :data:`MSS_SETTINGS` (z-scores, equal weights,
        arithmetic mean, no winsorising) when omitted.
    status_thresholds, dynamics_thresholds
        Cut points in standard deviations, see :func:`status_classes` and
        :func:`dynamics_classes`.
    """
    now, before = as_matrix(status_X_now), as_matrix(status_X_before)
    if now.shape != before.shape:
        raise ValueError(f"current values {now.shape} and earlier values {before.shape} differ")
    settings = settings or MSS_SETTINGS
    status = composite_index(now, polarity, settings)
    dynamics = composite_index(now - before, polarity, settings)
    status_z, dynamics_z = standardise(status.values), standardise(dynamics.values)
    return StatusDynamicsResult(
        status_index=status_z,
        dynamics_index=dynamics_z,
        status_class=status_classes(status_z, status_thresholds),
        dynamics_class=dynamics_classes(dynamics_z, dynamics_thresholds),
        status=status,
        dynamics=dynamics,
    )
