"""A composite social index (Sozialindex) from an (areas × indicators) array.

**Higher index = more social need (a worse situation)**, as German social indices usually read;
rank 1 is the area with the highest need. The index chains the steps of the OECD/JRC *Handbook
on Constructing Composite Indicators* (Nardo et al. 2008, Part 1, steps 3–6): imputation,
outlier treatment, normalisation, weighting, aggregation. Each step is a plain function in
:mod:`sozialplanung.analytics.composite_steps`, re-exported here; :class:`IndexSettings` picks
one variant per step so that a sensitivity analysis can vary them one at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy.stats import rankdata

from sozialplanung.analytics.composite_steps import (
    AGGREGATIONS,
    IMPUTATIONS,
    NORMALISATIONS,
    WEIGHTINGS,
    aggregate,
    as_matrix,
    impute,
    kurtosis,
    needs_treatment,
    normalise,
    rescale_for_geometric,
    skewness,
    weights,
    winsorise,
)

__all__ = [
    "AGGREGATIONS",
    "IMPUTATIONS",
    "NORMALISATIONS",
    "WEIGHTINGS",
    "IndexResult",
    "IndexSettings",
    "aggregate",
    "composite_index",
    "impute",
    "kurtosis",
    "needs_treatment",
    "need_ranks",
    "normalise",
    "rescale_for_geometric",
    "skewness",
    "weights",
    "winsorise",
]


@dataclass(frozen=True)
class IndexSettings:
    """One choice per construction step; the defaults give the common German Sozialindex.

    ``reference`` holds the county value of every indicator, needed only for the ``distance``
    normalisation; ``expert_weights`` one weight per indicator, needed only for ``expert``.
    """

    imputation: Literal["none", "mean", "regression"] = "none"
    winsorise: bool = True
    normalisation: Literal["zscore", "minmax", "rank", "distance"] = "zscore"
    weights: Literal["equal", "expert", "pca"] = "equal"
    expert_weights: tuple[float, ...] | None = None
    aggregation: Literal["arithmetic", "geometric"] = "arithmetic"
    reference: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        for what, value, choices in (
            ("imputation", self.imputation, IMPUTATIONS),
            ("normalisation", self.normalisation, NORMALISATIONS),
            ("weighting", self.weights, WEIGHTINGS),
            ("aggregation", self.aggregation, AGGREGATIONS),
        ):
            if value not in choices:
                raise ValueError(f"unknown {what} {value!r}; use one of {', '.join(choices)}")


@dataclass(frozen=True)
class IndexResult:
    """The index of every area and what went into it.

    ``values`` (n,) higher = more need, NaN for an area without any known indicator;
    ``ranks`` (n,) 1 = highest need, ties share their average rank, NaN where the value is;
    ``normalised`` (n, k) the oriented, normalised indicators before aggregation;
    ``weights`` (k,) summing to 1; ``imputed`` and ``winsorised`` (n, k) where values were
    filled in or pulled in; ``settings`` the choices made.
    """

    values: np.ndarray
    ranks: np.ndarray
    normalised: np.ndarray
    weights: np.ndarray
    imputed: np.ndarray
    winsorised: np.ndarray
    settings: IndexSettings


def composite_index(
    X: ArrayLike, polarity: ArrayLike, settings: IndexSettings | None = None
) -> IndexResult:
    """Combine the indicators of every area into one need index.

    Parameters
    ----------
    X
        Raw indicator values, one row per area and one column per indicator; NaN = missing.
    polarity
        Per indicator ``+1`` if higher values are better (e.g. employment rate), ``-1`` if
        higher values are worse (e.g. child poverty rate).
    settings
        The method of each step (:class:`IndexSettings`); the defaults when omitted.

    Steps: impute → winsorise (COINr rule, on the raw values) → normalise towards need →
    weights → aggregate (geometric aggregation first rescales every indicator to [1, 100]).
    """
    settings = settings or IndexSettings()
    data = as_matrix(X)
    filled, imputed = impute(data, settings.imputation)
    if settings.winsorise:
        treated, winsorised = winsorise(filled)
    else:
        treated, winsorised = filled, np.zeros(filled.shape, dtype=bool)
    Z = normalise(treated, settings.normalisation, polarity, settings.reference)
    w = weights(Z, settings.weights, settings.expert_weights)
    inputs = rescale_for_geometric(Z) if settings.aggregation == "geometric" else Z
    values = aggregate(inputs, w, settings.aggregation)
    return IndexResult(values, need_ranks(values), Z, w, imputed, winsorised, settings)


def need_ranks(values: ArrayLike) -> np.ndarray:
    """Rank 1 for the highest value, average ranks for ties, NaN stays unranked.

    Values that agree to 10 decimals count as tied, so that the same index computed in another
    row order (and so with other rounding) ranks the same.
    """
    data = np.asarray(values, dtype=float)
    ranks = np.full(data.shape, np.nan)
    known = ~np.isnan(data)
    ranks[known] = rankdata(-np.round(data[known], 10))
    return ranks
