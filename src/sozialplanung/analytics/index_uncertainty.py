"""How robust is the ranking of a composite need index? Monte Carlo and Sobol analysis.

A composite index rests on choices nobody can prove right: how indicators are normalised,
weighted and aggregated, and whether missing values are imputed. Following the JRC approach
(Saisana, Saltelli & Tarantola 2005; OECD/JRC 2008, step 7; COINr ``get_sensitivity``), each
replication draws one combination of these choices, recomputes the index and ranks the areas.
The spread of an area's ranks over the replications is its uncertainty (uncertainty analysis,
:func:`monte_carlo_ranks`); how much of the variation of the ranking each choice causes is its
variance-based sensitivity index (sensitivity analysis, :func:`sobol_sensitivity`).

The pipeline of one replication, on values oriented so that higher means more need:

1. imputation: ``none`` (an area is scored on its known indicators, the weights renormalised
   over them) or ``mean`` (a missing value becomes the indicator's mean);
2. normalisation per indicator: ``zscore`` (mean 0, sample standard deviation 1), ``minmax``
   (onto [0, 1]) or ``rank`` (percentile rank, ties averaged, rank / number of known values);
3. weights: equal weights, each multiplied by U(1 − spread, 1 + spread), renormalised to sum 1;
4. aggregation: ``arithmetic`` (weighted mean) or ``geometric`` (weighted geometric mean of the
   normalised values rescaled onto [1, 10], since a geometric mean needs positive values).
   Because z-scores and min-max values are both affine in the raw values, they coincide after
   that rescaling; under the geometric mean only ``rank`` differs from them.

The work is batched: the normalised table is computed once per (normalisation, imputation,
aggregation) and the scores of all replications sharing it come from one matrix product with
their weight vectors; ranks of all replications come from one ``argsort`` along the rows.

References
----------
Saisana, M., Saltelli, A. & Tarantola, S. (2005). Uncertainty and sensitivity analysis
techniques as tools for the quality assessment of composite indicators. *J. R. Stat. Soc. A*
168(2), 307–323, doi:10.1111/j.1467-985X.2005.00350.x.
OECD/JRC (2008). *Handbook on Constructing Composite Indicators*, OECD Publishing, step 7.
Becker, W. et al. (2022). COINr: an R package for developing composite indicators. *JOSS*
7(78), 4567 (``get_sensitivity``: median rank and 5–95 % rank quantiles; the mean absolute rank
change against the nominal ranking as the output of the sensitivity analysis).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

NORMALISATIONS = ("zscore", "minmax", "rank")
AGGREGATIONS = ("arithmetic", "geometric")
IMPUTATIONS = ("none", "mean")
NOMINAL = {"normalisation": "zscore", "aggregation": "arithmetic", "imputation": "none"}
FACTOR_LABELS = {
    "normalisation": "Normierung",
    "aggregation": "Aggregation",
    "imputation": "Imputation fehlender Werte",
    "weights": "Gewichte",
}
SOBOL_COLUMNS = ("S1", "S1_conf", "ST", "ST_conf")
GEOMETRIC_RANGE = (1.0, 10.0)  # positive rescaling before the geometric mean
TIE_DECIMALS = 12  # scores equal to 12 decimals are ties (normalised scores are of order 1–100)
_CHUNK = 256  # replications scored at once: bounds the (chunk × areas) temporaries


@dataclass(frozen=True)
class UncertaintyResult:
    """Ranks of every area in every replication (rank 1 = highest need) and their summary.

    ``rank_interval`` holds the 5 % and 95 % percentiles (linear interpolation, as R's default
    ``quantile`` that COINr uses); ``choices`` has one row per replication with the drawn
    ``normalisation``, ``aggregation``, ``imputation`` and one ``weight_<indicator>`` column per
    indicator (weights summing to 1).
    """

    median_rank: np.ndarray  # (n_areas,)
    rank_interval: np.ndarray  # (n_areas, 2)
    ranks: np.ndarray  # (replications, n_areas), float32: averaged ties give halves
    choices: pd.DataFrame
    nominal_rank: np.ndarray  # (n_areas,): equal weights, zscore, arithmetic, no imputation


@dataclass(frozen=True)
class SensitivityResult:
    """Sobol indices of the mean absolute rank shift, and that shift for every model run.

    ``indices`` has the columns ``factor``, ``label`` (German), ``S1``, ``S1_conf``, ``ST``,
    ``ST_conf``; ``*_conf`` is the half-width of the bootstrap confidence interval.
    """

    indices: pd.DataFrame
    rank_shift: np.ndarray  # (n_runs,)
    nominal_rank: np.ndarray  # (n_areas,)


@dataclass(frozen=True)
class _Draws:
    """Choices of a batch of replications, as positions in the option tuples, and weights."""

    normalisation: np.ndarray  # (r,) int
    aggregation: np.ndarray  # (r,) int
    imputation: np.ndarray  # (r,) int
    weights: np.ndarray  # (r, k), rows sum to 1

    def rows(self, selection: slice) -> _Draws:
        return _Draws(
            self.normalisation[selection],
            self.aggregation[selection],
            self.imputation[selection],
            self.weights[selection],
        )


def monte_carlo_ranks(
    X: ArrayLike,
    polarity: ArrayLike,
    *,
    replications: int = 1000,
    seed: int = 2016,
    weight_spread: float = 0.25,
    normalisations: Sequence[str] = NORMALISATIONS,
    aggregations: Sequence[str] = AGGREGATIONS,
    imputations: Sequence[str] = IMPUTATIONS,
) -> UncertaintyResult:
    """Ranks of the areas under randomly drawn index choices (uncertainty analysis).

    Each replication draws independently and uniformly one normalisation, one aggregation and
    one imputation from the given options, and weights ``(1/k) · U(1 − s, 1 + s)`` renormalised
    to sum 1 (COINr's "noisy weights"); see the module docstring for the pipeline. Areas are
    ranked by descending index, 1 = highest need, ties averaged.

    Parameters
    ----------
    X
        Indicator values, shape ``(n_areas, n_indicators)``, NaN where missing; a DataFrame's
        column names name the weight columns of ``choices``. Every area needs one known value,
        every indicator two.
    polarity
        Per indicator ``+1`` if a higher value is better (less need), ``-1`` if it is worse.
    replications, seed
        Number of Monte Carlo replications and the seed of ``numpy.random.default_rng``.
    weight_spread
        ``s`` in [0, 1): the relative perturbation of each weight.
    normalisations, aggregations, imputations
        The alternatives drawn from; a single option fixes that choice.

    Returns
    -------
    UncertaintyResult
    """
    values, names = _oriented_values(X, polarity)
    options = _checked_options(normalisations, aggregations, imputations)
    _check_spread(weight_spread)
    if replications < 1:
        raise ValueError(f"replications must be at least 1, got {replications}")
    rng = np.random.default_rng(seed)
    k = values.shape[1]
    multipliers = rng.uniform(1 - weight_spread, 1 + weight_spread, size=(replications, k))
    draws = _Draws(
        normalisation=rng.integers(len(options[0]), size=replications),
        aggregation=rng.integers(len(options[1]), size=replications),
        imputation=rng.integers(len(options[2]), size=replications),
        weights=multipliers / multipliers.sum(axis=1, keepdims=True),
    )
    ranks = _ranks(values, options, draws)
    median = np.median(ranks, axis=0).astype(float)
    interval = np.percentile(ranks, [5, 95], axis=0).T.astype(float)
    choices = pd.DataFrame(
        {
            "normalisation": np.asarray(options[0])[draws.normalisation],
            "aggregation": np.asarray(options[1])[draws.aggregation],
            "imputation": np.asarray(options[2])[draws.imputation],
        }
    )
    weights = pd.DataFrame(draws.weights, columns=[f"weight_{name}" for name in names])
    return UncertaintyResult(
        median_rank=median,
        rank_interval=interval,
        ranks=ranks,
        choices=pd.concat([choices, weights], axis=1),
        nominal_rank=_nominal_rank(values),
    )


def sobol_sensitivity(
    X: ArrayLike,
    polarity: ArrayLike,
    *,
    n_base: int = 256,
    seed: int = 2016,
    weight_spread: float = 0.25,
    normalisations: Sequence[str] = NORMALISATIONS,
    aggregations: Sequence[str] = AGGREGATIONS,
    imputations: Sequence[str] = IMPUTATIONS,
    weights_as_group: bool = True,
    num_resamples: int = 100,
    conf_level: float = 0.95,
) -> SensitivityResult:
    """First-order and total Sobol indices of the ranking's mean absolute rank shift.

    The output of one model run is :math:`\\bar R = \\frac{1}{n} \\sum_c |r_c - r_c^0|`, the
    mean absolute shift of the areas' ranks against the nominal ranking (the "average shift in
    ranks" of Saisana et al. 2005; the target of COINr's ``get_sensitivity``). Its variance is
    apportioned to the uncertain inputs, each a uniform factor on [0, 1]: a discrete choice
    takes option ``floor(u · m)`` of its ``m`` options (equal bins, as COINr's ``cut``), and
    weight ``j`` is multiplied by ``1 − s + 2 s u_j``, so the inputs follow the same
    distributions as in :func:`monte_carlo_ranks`. Every indicator weight is perturbed on its
    own, but the ``k`` weight factors form one SALib group "Gewichte": one index for the
    weighting as a whole, and ``n_base · 6`` runs whatever ``k``. ``weights_as_group=False``
    reports one factor per weight instead, at ``n_base · (k + 5)`` runs; worth it for a few
    indicators only.

    Design and estimators are SALib's: a scrambled Sobol' sequence with Saltelli's cross
    sampling (``n_base · (d + 2)`` runs for ``d`` factors, no second order), the estimators of
    Saltelli et al. (2010) and bootstrap confidence intervals.

    Parameters
    ----------
    X, polarity, seed, weight_spread, normalisations, aggregations, imputations
        As in :func:`monte_carlo_ranks`; ``seed`` seeds both the sequence and the bootstrap.
    n_base
        Base sample size ``N``; a power of 2 keeps the Sobol' sequence balanced.
    weights_as_group
        One factor for all weights (default) or one per indicator.
    num_resamples, conf_level
        Bootstrap resamples and confidence level of ``S1_conf`` and ``ST_conf``.

    Returns
    -------
    SensitivityResult

    Raises
    ------
    ValueError
        If no drawn choice changes the ranking: there is no variance to apportion.

    References
    ----------
    Sobol', I. M. (2001). Global sensitivity indices for nonlinear mathematical models and
    their Monte Carlo estimates. *Math. Comput. Simul.* 55, 271–280.
    Saltelli, A. et al. (2010). Variance based sensitivity analysis of model output. Design and
    estimator for the total sensitivity index. *Comput. Phys. Commun.* 181(2), 259–270.
    Herman, J. & Usher, W. (2017). SALib: an open-source Python library for sensitivity
    analysis. *JOSS* 2(9), 97.
    """
    values, names = _oriented_values(X, polarity)
    options = _checked_options(normalisations, aggregations, imputations)
    _check_spread(weight_spread)
    k = values.shape[1]
    factors = ["normalisation", "aggregation", "imputation"]
    weight_factors = [f"weight_{name}" for name in names]
    groups = factors + (["weights"] * k if weights_as_group else weight_factors)
    problem = {
        "num_vars": 3 + k,
        "names": factors + weight_factors,
        "bounds": [[0.0, 1.0]] * (3 + k),
        "groups": groups,
    }
    unit = sobol_sample.sample(problem, n_base, calc_second_order=False, seed=seed)
    draws = _draws_from_unit(unit, options, weight_spread)
    nominal = _nominal_rank(values)
    shift = np.abs(_ranks(values, options, draws) - nominal).mean(axis=1, dtype=float)
    if np.ptp(shift) == 0:
        raise ValueError(
            f"the mean rank shift is {shift[0]:g} in all {shift.size} runs: no choice changes the "
            "ranking, so there is no variance to apportion; widen weight_spread or the options"
        )
    result = sobol_analyze.analyze(
        problem,
        shift,
        calc_second_order=False,
        num_resamples=num_resamples,
        conf_level=conf_level,
        seed=seed,
    )
    factor_names = list(dict.fromkeys(groups))  # SALib reports groups in first-seen order
    labels = [
        FACTOR_LABELS.get(factor, f"Gewicht {factor.removeprefix('weight_')}")
        for factor in factor_names
    ]
    indices = pd.DataFrame(
        {
            "factor": factor_names,
            "label": labels,
            **{key: np.asarray(result[key], dtype=float) for key in SOBOL_COLUMNS},
        }
    )
    return SensitivityResult(indices=indices, rank_shift=shift, nominal_rank=nominal)


def _oriented_values(X: ArrayLike, polarity: ArrayLike) -> tuple[np.ndarray, list[str]]:
    """Values turned so that higher means more need, after checking shape and coverage."""
    names = [str(c) for c in X.columns] if isinstance(X, pd.DataFrame) else None
    values = np.asarray(X, dtype=float)
    if values.ndim != 2 or values.shape[0] < 2 or values.shape[1] < 1:
        raise ValueError(f"X must be (n_areas ≥ 2, n_indicators ≥ 1), got shape {values.shape}")
    n, k = values.shape
    signs = np.asarray(polarity, dtype=float).ravel()
    if signs.shape != (k,):
        raise ValueError(f"polarity has {signs.size} entries for {k} indicators")
    if not np.isin(signs, (-1.0, 1.0)).all():
        wrong = sorted({float(sign) for sign in signs} - {-1.0, 1.0})
        raise ValueError(f"polarity must be +1 or -1, got {wrong}")
    if np.isinf(values).any():
        raise ValueError(f"{int(np.isinf(values).sum())} infinite values in X")
    known = ~np.isnan(values)
    empty_areas = np.flatnonzero(~known.any(axis=1))
    if empty_areas.size:
        raise ValueError(f"areas without any known indicator (rows {empty_areas[:10].tolist()})")
    sparse_indicators = np.flatnonzero(known.sum(axis=0) < 2)
    if sparse_indicators.size:
        raise ValueError(
            f"indicators with fewer than 2 known values (columns {sparse_indicators.tolist()})"
        )
    return values * -signs, names or [str(j) for j in range(k)]


def _checked_options(
    normalisations: Sequence[str], aggregations: Sequence[str], imputations: Sequence[str]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    checked = []
    for what, given, known in (
        ("normalisation", normalisations, NORMALISATIONS),
        ("aggregation", aggregations, AGGREGATIONS),
        ("imputation", imputations, IMPUTATIONS),
    ):
        given = (given,) if isinstance(given, str) else tuple(given)
        unknown = [option for option in given if option not in known]
        if unknown or not given:
            raise ValueError(f"unknown {what} {unknown or given}; use some of {', '.join(known)}")
        checked.append(given)
    return tuple(checked)


def _check_spread(weight_spread: float) -> None:
    if not 0 <= weight_spread < 1:
        raise ValueError(f"weight_spread must lie in [0, 1), got {weight_spread}")


def _draws_from_unit(unit: np.ndarray, options: tuple, weight_spread: float) -> _Draws:
    """Map a sample on [0, 1]^(3 + k) to choices: equal bins for options, linear for weights."""

    def option(column: int, count: int) -> np.ndarray:
        return np.minimum((unit[:, column] * count).astype(int), count - 1)

    multipliers = 1 - weight_spread + 2 * weight_spread * unit[:, 3:]
    return _Draws(
        normalisation=option(0, len(options[0])),
        aggregation=option(1, len(options[1])),
        imputation=option(2, len(options[2])),
        weights=multipliers / multipliers.sum(axis=1, keepdims=True),
    )


def _nominal_rank(values: np.ndarray) -> np.ndarray:
    """Ranks under equal weights, z-scores, arithmetic mean and no imputation."""
    options = ((NOMINAL["normalisation"],), (NOMINAL["aggregation"],), (NOMINAL["imputation"],))
    k = values.shape[1]
    zero = np.zeros(1, dtype=int)
    draws = _Draws(zero, zero, zero, np.full((1, k), 1 / k))
    return _ranks(values, options, draws)[0].astype(float)


def _ranks(values: np.ndarray, options: tuple, draws: _Draws) -> np.ndarray:
    """Ranks (replications × areas, float32), 1 = highest index, ties averaged."""
    tables = {}
    ranks = np.empty((draws.weights.shape[0], values.shape[0]), dtype=np.float32)
    for start in range(0, ranks.shape[0], _CHUNK):
        chunk = draws.rows(slice(start, start + _CHUNK))
        scores = _scores(values, options, chunk, tables)
        ranks[start : start + _CHUNK] = _average_ranks(-scores, dtype=np.float32)
    return ranks


def _scores(values: np.ndarray, options: tuple, draws: _Draws, tables: dict) -> np.ndarray:
    """Index values of a batch of replications: one matrix product per distinct pipeline."""
    scores = np.empty((draws.weights.shape[0], values.shape[0]))
    combos = np.stack([draws.normalisation, draws.aggregation, draws.imputation], axis=1)
    for combo in np.unique(combos, axis=0):
        rows = np.flatnonzero((combos == combo).all(axis=1))
        key = tuple(choices[c] for choices, c in zip(options, combo, strict=True))
        if key not in tables:
            tables[key] = _transformed(values, *key)
        filled, known = tables[key]
        weights = draws.weights[rows]
        numerator = weights @ filled.T
        scores[rows] = numerator if known is None else numerator / (weights @ known.T)
    return np.round(scores, TIE_DECIMALS)


def _transformed(
    values: np.ndarray, normalisation: str, aggregation: str, imputation: str
) -> tuple[np.ndarray, np.ndarray | None]:
    """The table whose weighted mean is the index, NaN set to 0, and the known mask (if any).

    For the geometric mean the table holds the logarithms of the rescaled values: the weighted
    mean of logs is the log of the weighted geometric mean and ranks the same.
    """
    table = values
    if imputation == "mean":
        table = np.where(np.isnan(values), np.nanmean(values, axis=0), values)
    table = _normalised(table, normalisation)
    if aggregation == "geometric":
        low, high = GEOMETRIC_RANGE
        table = np.log(low + (high - low) * _normalised(table, "minmax"))
    known = ~np.isnan(table)
    if known.all():
        return table, None
    return np.where(known, table, 0.0), known.astype(float)


def _normalised(values: np.ndarray, method: str) -> np.ndarray:
    """Column-wise normalisation ignoring NaN; a constant column becomes 0 (z, min-max)."""
    if method == "rank":
        ranks = _average_ranks(values.T).T  # NaN sort last and do not disturb the known ranks
        known = ~np.isnan(values)
        return np.where(known, ranks / known.sum(axis=0), np.nan)
    if method == "zscore":
        centre, scale = np.nanmean(values, axis=0), np.nanstd(values, axis=0, ddof=1)
    else:
        centre = np.nanmin(values, axis=0)
        scale = np.nanmax(values, axis=0) - centre
    return (values - centre) / np.where(scale > 0, scale, 1.0)


def _average_ranks(values: np.ndarray, dtype: type = float) -> np.ndarray:
    """Ranks 1..n along the rows of a 2-D array, ascending, ties averaged; one argsort in all.

    NaN sort last and each gets a rank of its own (callers mask them). Much faster than
    ``scipy.stats.rankdata(axis=1)`` for many rows.
    """
    rows, n = values.shape
    order = np.argsort(values, axis=1)
    ordered = np.take_along_axis(values, order, axis=1)
    starts = np.ones((rows, n), dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    if starts.all():
        ranked = np.broadcast_to(np.arange(1, n + 1, dtype=dtype), (rows, n))
    else:
        first = np.flatnonzero(starts)  # each row starts a group, so groups never span rows
        sizes = np.diff(first, append=rows * n)
        average = first % n + 1 + (sizes - 1) / 2
        ranked = np.repeat(average.astype(dtype), sizes).reshape(rows, n)
    ranks = np.empty((rows, n), dtype=dtype)
    np.put_along_axis(ranks, order, ranked, axis=1)
    return ranks
