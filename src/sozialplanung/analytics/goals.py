"""Track the goals of a poverty-prevention strategy against a straight target path.

Each goal names an indicator, a baseline (year, value) and a target (year, value). The county's
revision of the strategy (Fortschreibung) judges a goal by comparing the latest observed value
with the straight line from baseline to target: a goal is *on track* when it has covered at least
the share of the way that the elapsed share of the period asks for, *reached* once the value has
arrived at the target. :func:`track_goal` does exactly that and returns the path for charts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["GoalStatus", "Tracking", "progress_series", "target_path", "track_goal"]

HOLD_FLOOR = 1e-9  # smallest reference level of a hold goal, so a baseline of 0 still has a band


class GoalStatus(StrEnum):
    """Status of a goal at the latest observed year."""

    REACHED = "reached"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NO_DATA = "no_data"


@dataclass(frozen=True)
class Tracking:
    """The status of one goal and the figures behind it.

    ``expected_value`` is the target path at ``latest_year`` (the target beyond the target year);
    ``progress`` the share of the way from baseline (0) to target (1) covered, None for hold
    goals; ``path`` one (year, value) point per year from baseline to target year.
    """

    status: GoalStatus
    latest_year: int | None
    latest_value: float | None
    expected_value: float | None
    progress: float | None
    path: tuple[tuple[int, float], ...]


def _missing(value: float | None) -> bool:
    return value is None or math.isnan(value)


def target_path(
    baseline_year: int, baseline_value: float, target_year: int, target_value: float
) -> list[tuple[int, float]]:
    """The straight path from baseline to target, one point per year, both ends included."""
    if target_year <= baseline_year:
        raise ValueError(f"target year {target_year} must lie after baseline year {baseline_year}")
    values = np.linspace(baseline_value, target_value, target_year - baseline_year + 1)
    return [(baseline_year + i, float(v)) for i, v in enumerate(values)]


def progress_series(values: ArrayLike, *, baseline_value: float, target_value: float) -> np.ndarray:
    """Share of the way from baseline to target for every value (NaN stays NaN; all NaN if hold)."""
    values = np.asarray(values, dtype=float)
    if target_value == baseline_value:
        return np.full(values.shape, np.nan)
    return (values - baseline_value) / (target_value - baseline_value)


def _series(years: ArrayLike, values: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    years, values = np.asarray(years, dtype=float), np.asarray(values, dtype=float)
    if years.ndim != 1 or values.ndim != 1 or len(years) != len(values):
        raise ValueError(
            f"years and values must be 1-d and of equal length, got {years.shape}, {values.shape}"
        )
    if not np.all(np.isfinite(years) & (years == np.round(years))):
        raise ValueError(f"years must be whole numbers, got {years.tolist()}")
    years = years.astype(int)
    unique, counts = np.unique(years, return_counts=True)
    if np.any(counts > 1):
        raise ValueError(f"duplicate years in the series: {unique[counts > 1].tolist()}")
    return years, values


def track_goal(
    years: ArrayLike,
    values: ArrayLike,
    *,
    baseline_year: int,
    baseline_value: float | None,
    target_year: int,
    target_value: float | None,
    tolerance: float = 0.05,
) -> Tracking:
    """Judge a goal by its latest observation after the baseline year against the target path.

    Missing values (None/NaN) are ignored. A missing ``baseline_value`` is taken from the series'
    baseline year. Direction follows from target vs baseline. ``tolerance`` is in shares of the
    way: on track when ``progress >= expected_progress - tolerance``, where the expected progress
    is the elapsed share of the period, capped at 1; reached when ``progress >= 1``.

    Hold goals (target equal to baseline) have no progress; they are judged symmetrically: the
    latest value must stay within ``tolerance * max(|baseline|, HOLD_FLOOR)`` of the baseline,
    which counts as on track before the target year and as reached from the target year on;
    outside that band, in either direction, the goal is behind.
    """
    if target_year <= baseline_year:
        raise ValueError(f"target year {target_year} must lie after baseline year {baseline_year}")
    if tolerance < 0:
        raise ValueError(f"tolerance must not be negative, got {tolerance}")
    years, values = _series(years, values)
    observed = ~np.isnan(values)
    if _missing(baseline_value):
        at_baseline = observed & (years == baseline_year)
        baseline_value = float(values[at_baseline][0]) if at_baseline.any() else None
    if _missing(baseline_value) or _missing(target_value):
        return Tracking(GoalStatus.NO_DATA, None, None, None, None, ())
    path = tuple(target_path(baseline_year, baseline_value, target_year, target_value))
    after = observed & (years > baseline_year)
    if not after.any():
        return Tracking(GoalStatus.NO_DATA, None, None, None, None, path)

    i = np.flatnonzero(after)[np.argmax(years[after])]
    latest_year, latest_value = int(years[i]), float(values[i])
    expected_value = path[min(latest_year, target_year) - baseline_year][1]

    if target_value == baseline_value:
        band = tolerance * max(abs(baseline_value), HOLD_FLOOR)
        if abs(latest_value - baseline_value) > band:
            status = GoalStatus.BEHIND
        elif latest_year >= target_year:
            status = GoalStatus.REACHED
        else:
            status = GoalStatus.ON_TRACK
        return Tracking(status, latest_year, latest_value, expected_value, None, path)

    progress = (latest_value - baseline_value) / (target_value - baseline_value)
    expected_progress = min((latest_year - baseline_year) / (target_year - baseline_year), 1.0)
    if progress >= 1:
        status = GoalStatus.REACHED
    elif progress >= expected_progress - tolerance:
        status = GoalStatus.ON_TRACK
    else:
        status = GoalStatus.BEHIND
    return Tracking(status, latest_year, latest_value, expected_value, progress, path)
