"""The steps of a composite social index, each a plain function over an (areas × indicators) array.

Missing values are NaN throughout. The order of the steps and their names follow the OECD/JRC
*Handbook on Constructing Composite Indicators* (Nardo et al. 2008, Part 1, steps 3 to 6:
imputation, multivariate analysis, normalisation, weighting and aggregation); where a step has
several published variants, the one COINr (Becker et al., the JRC's R package) implements is
taken and named. :mod:`sozialplanung.analytics.composite` chains them into one index.

Direction: every normalised value points towards **more social need** (a worse situation),
as German social indices usually do. An indicator's polarity says how its raw values read:
``+1`` higher is better (e.g. employment rate), ``-1`` higher is worse (e.g. SGB II rate);
normalisation multiplies by ``-polarity`` so both end up "higher = more need".
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.stats import rankdata

IMPUTATIONS = ("none", "mean", "regression")
NORMALISATIONS = ("zscore", "minmax", "rank", "distance")
WEIGHTINGS = ("equal", "expert", "pca")
AGGREGATIONS = ("arithmetic", "geometric")

# COINr's defaults for outlier treatment (``Treat()``, ``winsorise()``, ``check_SkewKurt()``).
SKEW_THRESHOLD = 2.0
KURTOSIS_THRESHOLD = 3.5
LIMIT_TOLERANCE = 1e-9
MAX_WINSORISED = 5


def as_matrix(X: ArrayLike) -> np.ndarray:
    """``X`` as a float (areas × indicators) array; a 1-D input is one indicator."""
    data = np.array(X, dtype=float)
    if data.ndim == 1:
        data = data[:, None]
    if data.ndim != 2:
        raise ValueError(f"expected an (areas × indicators) array, got {data.ndim} dimensions")
    return data


def impute(X: ArrayLike, method: str = "none") -> tuple[np.ndarray, np.ndarray]:
    """Fill missing values; return the filled array and where values were filled in.

    ``none`` keeps NaN: aggregation then averages each area over its available indicators
    with the weights re-normalised to sum to one (COINr's ``a_amean``/``a_gmean`` skip NA the
    same way). ``mean`` fills with the indicator's mean ("unconditional mean imputation").
    ``regression`` predicts the missing value of an indicator by ordinary least squares on the
    indicators that are complete for every area ("regression imputation"); where no other
    indicator is complete, or no more areas are known than the regression has coefficients,
    it falls back to the mean. Both follow the Handbook (2008), Part 2, "Imputation of missing
    data".
    """
    if method not in IMPUTATIONS:
        raise ValueError(_unknown("imputation", method, IMPUTATIONS))
    data = as_matrix(X)
    missing = np.isnan(data)
    if method == "none" or not missing.any():
        return data, np.zeros(data.shape, dtype=bool)
    empty = np.flatnonzero(missing.all(axis=0))
    if empty.size:
        raise ValueError(f"indicator column(s) {empty.tolist()} have no value to impute from")
    filled = data.copy()
    means = np.nanmean(data, axis=0)
    complete = ~missing.any(axis=0)
    for j in np.flatnonzero(missing.any(axis=0)):
        rows = missing[:, j]
        if method == "mean":
            filled[rows, j] = means[j]
        else:
            filled[rows, j] = _regression_fill(data, j, rows, complete, means[j])
    return filled, missing


def _regression_fill(
    data: np.ndarray, j: int, rows: np.ndarray, complete: np.ndarray, mean: float
) -> np.ndarray:
    predictors = data[:, complete]
    known = ~rows
    if predictors.shape[1] == 0 or known.sum() <= predictors.shape[1] + 1:
        return np.full(rows.sum(), mean)
    design = np.column_stack([np.ones(data.shape[0]), predictors])
    coefficients, *_ = np.linalg.lstsq(design[known], data[known, j], rcond=None)
    return design[rows] @ coefficients


def skewness(x: ArrayLike) -> float:
    """Sample skewness G1 = sqrt(n(n-1))/(n-2) · m3/m2^1.5, NaN ignored; NaN below 3 values.

    The adjusted Fisher–Pearson coefficient that Excel's ``SKEW`` and COINr's ``skew()``
    compute (COINr documents it as e1071's ``type = 2``); equal to
    ``scipy.stats.skew(x, bias=False)``. A constant vector has skewness 0.
    """
    values = _known(x)
    n = values.size
    if n < 3:
        return float("nan")
    deviations = values - values.mean()
    m2 = np.mean(deviations**2)
    if m2 == 0:
        return 0.0
    g1 = np.mean(deviations**3) / m2**1.5
    return float(g1 * np.sqrt(n * (n - 1)) / (n - 2))


def kurtosis(x: ArrayLike) -> float:
    """Sample *excess* kurtosis G2, NaN ignored; NaN below 4 values.

    G2 = ((n+1)·(g2) + 6)·(n-1)/((n-2)(n-3)) with g2 = m4/m2² - 3: Excel's ``KURT`` and COINr's
    ``kurt()`` (e1071 ``type = 2``), equal to ``scipy.stats.kurtosis(x, bias=False)``. A normal
    sample gives about 0, so COINr's threshold 3.5 applies to the excess over the normal.
    A constant vector has kurtosis 0.
    """
    values = _known(x)
    n = values.size
    if n < 4:
        return float("nan")
    deviations = values - values.mean()
    m2 = np.mean(deviations**2)
    if m2 == 0:
        return 0.0
    g2 = np.mean(deviations**4) / m2**2 - 3.0
    return float(((n + 1) * g2 + 6.0) * (n - 1) / ((n - 2) * (n - 3)))


def _known(x: ArrayLike) -> np.ndarray:
    values = np.asarray(x, dtype=float).ravel()
    return values[~np.isnan(values)]


def needs_treatment(x: ArrayLike) -> bool:
    """True when |skewness| ≥ 2 **and** excess kurtosis ≥ 3.5 (COINr's ``check_SkewKurt`` fails).

    The JRC/COIN rule of thumb: an indicator passes if either statistic is within its limit.
    Too few values to compute both statistics count as passing.
    """
    skew, kurt = skewness(x), kurtosis(x)
    if np.isnan(skew) or np.isnan(kurt):
        return False
    # Floating sums depend on the order of the areas; a statistic that lies on a limit in exact
    # arithmetic (three equal values and one other give a skewness of exactly 2) must not pass
    # or fail by the order of the rows.
    return (
        abs(skew) >= SKEW_THRESHOLD - LIMIT_TOLERANCE
        and kurt >= KURTOSIS_THRESHOLD - LIMIT_TOLERANCE
    )


def winsorise(X: ArrayLike, max_points: int = MAX_WINSORISED) -> tuple[np.ndarray, np.ndarray]:
    """Pull in outliers as COINr's ``winsorise()`` does; return the treated array and what changed.

    For each indicator, while :func:`needs_treatment` holds and fewer than ``max_points`` values
    were changed: on the side the skewness points to (high if skewness ≥ 0, else low), every
    value equal to the extreme is set to the next value inward. Ties move together, so one step
    can change several values (and the total can then exceed ``max_points`` by the tie). NaN is
    left alone. Rule and defaults (|skew| 2, kurtosis 3.5, at most 5 points) are the JRC's
    practice as coded in COINr ``Treat()``/``winsorise()``. COINr then log-transforms
    indicators that still fail; that second stage is not done here.
    """
    data = as_matrix(X)
    treated = data.copy()
    changed = np.zeros(data.shape, dtype=bool)
    for j in range(data.shape[1]):
        column = treated[:, j]
        while changed[:, j].sum() < max_points and needs_treatment(column):
            high_side = skewness(column) >= 0
            extreme = np.nanmax(column) if high_side else np.nanmin(column)
            at_extreme = column == extreme
            rest = column[~np.isnan(column) & ~at_extreme]
            if rest.size == 0:
                break
            column[at_extreme] = rest.max() if high_side else rest.min()
            changed[at_extreme, j] = True
    return treated, changed


def normalise(
    X: ArrayLike,
    method: str,
    polarity: ArrayLike,
    reference: ArrayLike | None = None,
) -> np.ndarray:
    """Bring indicators onto one scale pointing towards more need; NaN stays NaN.

    With ``o = -polarity · x`` (the indicator oriented so that higher = more need):

    - ``zscore``: ``(o - mean) / sd`` with the sample sd (ddof = 1); mean 0, sd 1 per indicator.
    - ``minmax``: ``100 · (o - min) / (max - min)``, on **0 to 100** as COINr's ``n_minmax``
      default.
    - ``rank``: average ranks of ``o`` (ties share the mean rank) scaled to **0 to 1** by
      ``(rank - 1) / (n - 1)``.
    - ``distance``: relative distance to a reference value such as the county's,
      ``-polarity · (x - ref) / |ref|`` (for a positive reference the same as ``x/ref - 1``);
      0 means "as the county", 0.25 means a quarter worse than the county.

    Formulas from the Handbook (2008), Part 2, "Normalisation of data" (ranking,
    standardisation, min-max, distance to a reference). An indicator that does not vary gets
    the middle of the scale (z = 0, 50, 0.5), so it adds nothing to the differences between
    areas.
    """
    data = as_matrix(X)
    signs = _polarity(polarity, data.shape[1])
    if method == "distance":
        return _distance(data, signs, reference)
    oriented = data * -signs
    if method == "zscore":
        return _zscores(oriented)
    if method == "minmax":
        return _minmax(oriented, 0.0, 100.0)
    if method == "rank":
        return _scaled_ranks(oriented)
    raise ValueError(_unknown("normalisation", method, NORMALISATIONS))


def _polarity(polarity: ArrayLike, k: int) -> np.ndarray:
    signs = np.asarray(polarity, dtype=float).ravel()
    if signs.size != k:
        raise ValueError(f"{signs.size} polarities given for {k} indicators")
    if not np.isin(signs, (-1.0, 1.0)).all():
        raise ValueError(f"polarity must be +1 (higher is better) or -1, got {signs.tolist()}")
    return signs


def _zscores(oriented: np.ndarray) -> np.ndarray:
    counts = (~np.isnan(oriented)).sum(axis=0)
    centred = oriented - _nanmean(oriented)
    sd = np.sqrt(np.nansum(centred**2, axis=0) / np.maximum(counts - 1, 1))
    # Test flatness on the values, not on sd: the float mean of equal values can miss them by
    # an ulp, leaving an sd of 1e-14 that would blow rounding noise up to z = ±0.8.
    flat = _is_flat(oriented)
    sd[flat] = 1.0
    z = centred / sd
    z[:, flat] = np.where(np.isnan(oriented[:, flat]), np.nan, 0.0)
    return z


def _is_flat(data: np.ndarray) -> np.ndarray:
    """Per column: True when all known values are equal (or none is known)."""
    known = ~np.isnan(data)
    low = np.where(known, data, np.inf).min(axis=0)
    high = np.where(known, data, -np.inf).max(axis=0)
    return ~(high > low)


def _nanmean(data: np.ndarray) -> np.ndarray:
    counts = (~np.isnan(data)).sum(axis=0)
    sums = np.nansum(data, axis=0)
    return np.divide(sums, counts, out=np.full(data.shape[1], np.nan), where=counts > 0)


def _minmax(oriented: np.ndarray, low: float, high: float) -> np.ndarray:
    """Column-wise linear map of the known values onto ``[low, high]``; flat columns → midpoint."""
    known = ~np.isnan(oriented)
    filled_low = np.where(known, oriented, np.inf).min(axis=0)
    filled_high = np.where(known, oriented, -np.inf).max(axis=0)
    span = filled_high - filled_low
    flat = ~(span > 0)
    scaled = low + (high - low) * (oriented - filled_low) / np.where(flat, 1.0, span)
    scaled[:, flat] = np.where(known[:, flat], (low + high) / 2, np.nan)
    return scaled


def _scaled_ranks(oriented: np.ndarray) -> np.ndarray:
    scaled = np.full(oriented.shape, np.nan)
    for j in range(oriented.shape[1]):
        known = ~np.isnan(oriented[:, j])
        m = known.sum()
        if m == 1:
            scaled[known, j] = 0.5
        elif m > 1:
            scaled[known, j] = (rankdata(oriented[known, j]) - 1) / (m - 1)
    return scaled


def _distance(data: np.ndarray, signs: np.ndarray, reference: ArrayLike | None) -> np.ndarray:
    if reference is None:
        raise ValueError("distance normalisation needs the reference value of every indicator")
    ref = np.asarray(reference, dtype=float).ravel()
    if ref.size != data.shape[1]:
        raise ValueError(f"{ref.size} reference values given for {data.shape[1]} indicators")
    if not (np.isfinite(ref) & (ref != 0)).all():
        raise ValueError(f"reference values must be finite and non-zero, got {ref.tolist()}")
    return -signs * (data - ref) / np.abs(ref)


def weights(Z: ArrayLike, method: str = "equal", expert: ArrayLike | None = None) -> np.ndarray:
    """One weight per indicator, non-negative and summing to 1.

    ``equal``: 1/k each. ``expert``: the given weights, checked (length k, finite, ≥ 0, not
    all 0) and divided by their sum. ``pca``: from a principal components analysis of the
    correlation matrix of ``Z`` over the areas with every indicator known. Components with
    eigenvalue > 1 are kept (the largest if none is); each contributes its squared loadings
    scaled to unit sum (the squared eigenvector entries) times its share of the variance
    explained by the kept components::

        w_j = Σ_k λ_k · v_jk² / Σ_k λ_k

    A simplified form of the Handbook (2008), Part 2, "Weights based on principal components
    analysis or factor analysis" (TAI example, Tables 16–17), which in addition varimax-rotates
    the factors and assigns each indicator only to the factor it loads on most. PCA weights
    reward indicators that move together with others; they are a data-driven proposal to be
    discussed, not a measure of importance.
    """
    data = as_matrix(Z)
    k = data.shape[1]
    if method == "equal":
        return np.full(k, 1.0 / k)
    if method == "expert":
        return _expert_weights(expert, k)
    if method == "pca":
        return _pca_weights(data)
    raise ValueError(_unknown("weighting", method, WEIGHTINGS))


def _expert_weights(expert: ArrayLike | None, k: int) -> np.ndarray:
    if expert is None:
        raise ValueError("expert weighting needs expert_weights, one per indicator")
    given = np.asarray(expert, dtype=float).ravel()
    if given.size != k:
        raise ValueError(f"{given.size} expert weights given for {k} indicators")
    if not np.isfinite(given).all() or (given < 0).any() or given.sum() <= 0:
        raise ValueError(f"expert weights must be finite, ≥ 0 and not all 0, got {given.tolist()}")
    return given / given.sum()


def _pca_weights(data: np.ndarray) -> np.ndarray:
    k = data.shape[1]
    if k == 1:
        return np.ones(1)
    complete = data[~np.isnan(data).any(axis=1)]
    if complete.shape[0] < 3:
        raise ValueError(
            f"PCA weights need at least 3 areas with every indicator known, got {complete.shape[0]}"
        )
    flat = _is_flat(complete)
    if flat.any():
        columns = np.flatnonzero(flat).tolist()
        raise ValueError(f"PCA weights need indicators that vary; column(s) {columns} are constant")
    eigenvalues, eigenvectors = np.linalg.eigh(np.corrcoef(complete, rowvar=False))
    # Kaiser's "eigenvalue > 1" with a margin: an eigenvalue of exactly 1 (common in small,
    # symmetric tables) must not flip in and out with rounding; tied top eigenvalues are kept
    # together, since their eigenvectors are only defined as a space.
    kept = eigenvalues > 1.0 + 1e-9
    if not kept.any():
        kept = eigenvalues >= eigenvalues.max() - 1e-9
    contributions = eigenvectors[:, kept] ** 2 @ eigenvalues[kept]
    return contributions / contributions.sum()


def rescale_for_geometric(Z: ArrayLike) -> np.ndarray:
    """Min-max each indicator onto **[1, 100]** so a geometric mean is defined.

    The geometric mean needs positive values; COINr's aggregation vignette normalises with
    ``n_minmax(l_u = c(1, 100))`` before ``a_gmean`` for this reason. Applied to any
    normalisation, so the geometric index always reads on the 1–100 scale.
    """
    return _minmax(as_matrix(Z), 1.0, 100.0)


def aggregate(Z: ArrayLike, w: ArrayLike, method: str = "arithmetic") -> np.ndarray:
    """Weighted mean of each area's available indicators; NaN for an area with none.

    ``arithmetic``: Σ w_j z_j / Σ w_j over the known z_j (linear, fully compensatory).
    ``geometric``: Π z_j^(w_j / Σ w_j) over the known z_j, which needs every known z_j > 0
    (see :func:`rescale_for_geometric`); a poor value on one indicator is compensated less.
    Weights are re-normalised per area over its known indicators, as COINr's ``a_amean`` and
    ``a_gmean`` do. Handbook (2008), Part 2, "Aggregation methods" (additive, geometric).
    """
    data = as_matrix(Z)
    w = np.asarray(w, dtype=float).ravel()
    if w.size != data.shape[1]:
        raise ValueError(f"{w.size} weights given for {data.shape[1]} indicators")
    known = ~np.isnan(data)
    total = known @ w
    has_weight = total > 0
    if method == "arithmetic":
        sums = np.where(known, data, 0.0) @ w
    elif method == "geometric":
        if (data[known] <= 0).any():
            raise ValueError("geometric aggregation needs positive values; rescale to [1, 100]")
        sums = np.where(known, np.log(np.where(known, data, 1.0)), 0.0) @ w
    else:
        raise ValueError(_unknown("aggregation", method, AGGREGATIONS))
    mean = np.divide(sums, total, out=np.full(data.shape[0], np.nan), where=has_weight)
    return np.exp(mean) if method == "geometric" else mean


def _unknown(what: str, method: str, choices: tuple[str, ...]) -> str:
    return f"unknown {what} {method!r}; use one of {', '.join(choices)}"
