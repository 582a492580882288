"""Rank the measures of a poverty-prevention strategy by several weighted criteria.

A county scores each measure on criteria such as need in the targeted social spaces, reach,
cost per person reached, evidence level and sustainability, and weights them. :func:`score`
is the simple additive (weighted-sum) value model of multi-attribute value theory (Belton &
Stewart 2002, ch. 5): every criterion is rescaled onto a *local scale* from 0 (the worst
measure on it) to 1 (the best), and the total is the weighted sum

    V(a) = Σ_j w_j · v_j(a),   v_j(a) = (x_aj − min_j) / (max_j − min_j),   Σ_j w_j = 1,

with ``v_j`` reversed (``1 − v_j``) where lower raw values are better. Every term ``w_j · v_j``
is reported, so the planner sees why a measure ranks where it does. Because the scale is local,
adding or removing a measure can change the scores of the others.

:func:`weight_sensitivity` asks how much the ranking depends on the weights: it draws many
weight vectors around the planner's (or uniformly over all weights) and reports each measure's
spread of ranks and its first-rank acceptability, as in stochastic multicriteria acceptability
analysis (SMAA; Lahdelma & Salminen 2001).

References
----------
Belton, V. & Stewart, T. J. (2002). *Multiple Criteria Decision Analysis: An Integrated
Approach*. Kluwer, Boston, ch. 5 (value functions, local scales, additive aggregation).
Lahdelma, R. & Salminen, P. (2001). SMAA-2: Stochastic multicriteria acceptability analysis for
group decision making. *Operations Research* 49(3), 444–454 (rank acceptability indices).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["Criterion", "Scores", "Sensitivity", "score", "weight_sensitivity"]

CONSTANT_VALUE = 0.5  # normalised value of a criterion on which all measures are equal
ALPHA_FLOOR = 0.01  # smallest Dirichlet parameter, so a zero weight is drawn near 0 but not always
TIE_DECIMALS = 10  # totals agreeing to this many decimals share a rank


@dataclass(frozen=True)
class Criterion:
    """One criterion of the assessment; ``higher_is_better=False`` for e.g. cost per person."""

    name: str
    higher_is_better: bool = True


@dataclass(frozen=True)
class Scores:
    """The weighted-sum score of every measure and its breakdown.

    ``total`` (m,) in [0, 1], higher is better; ``contributions`` (m, k) the terms
    ``weight × normalised value``, each row summing to ``total``; ``rank`` (m,) 1 = best, tied
    totals share the smallest of their ranks; ``normalised`` (m, k) the values on the local 0..1
    scale, 1 = best measure on that criterion; ``weights`` (k,) the weights, summing to 1.
    """

    total: np.ndarray
    contributions: np.ndarray
    rank: np.ndarray
    normalised: np.ndarray
    weights: np.ndarray


@dataclass(frozen=True)
class Sensitivity:
    """How stable each measure's rank is when the weights vary.

    Per measure (m,): ``rank_low`` and ``rank_high`` the 5 % and 95 % quantiles of its rank
    (rank_low is the better end), ``median_rank``, ``share_first`` the share of draws in which it
    ranks first (ties included; SMAA's first-rank acceptability), ``share_same_rank`` the share
    of draws in which it keeps ``nominal_rank``, its rank under the planner's weights.
    ``ranks`` (samples, m) and ``weights`` (samples, k) hold every draw, for plotting.
    """

    rank_low: np.ndarray
    rank_high: np.ndarray
    median_rank: np.ndarray
    share_first: np.ndarray
    share_same_rank: np.ndarray
    nominal_rank: np.ndarray
    ranks: np.ndarray
    weights: np.ndarray


def score(values: ArrayLike, criteria: Sequence[Criterion], weights: ArrayLike) -> Scores:
    """Score and rank the measures with the additive value model (Belton & Stewart 2002, ch. 5).

    Parameters
    ----------
    values
        Raw criterion values, one row per measure and one column per criterion.
    criteria
        One :class:`Criterion` per column, giving the direction of preference.
    weights
        One weight ≥ 0 per criterion, not all 0; they are rescaled to sum to 1.

    A criterion on which all measures are equal cannot tell them apart; every measure gets the
    midpoint 0.5 of the scale on it (whichever the direction), so its weight adds the same
    ``0.5 × weight`` to every total and changes no rank.
    """
    normalised = _normalised(_checked_values(values, criteria), criteria)
    w = _checked_weights(weights, len(criteria))
    contributions = normalised * w
    total = contributions.sum(axis=1)
    return Scores(total, contributions, _min_ranks(total[None, :])[0], normalised, w)


def weight_sensitivity(
    values: ArrayLike,
    criteria: Sequence[Criterion],
    weights: ArrayLike,
    samples: int = 2000,
    concentration: float | None = 20.0,
    seed: int = 2016,
) -> Sensitivity:
    """Rank the measures under many random weight vectors and summarise each measure's ranks.

    Parameters
    ----------
    values, criteria, weights
        As for :func:`score`; ``weights`` are the planner's.
    samples
        Number of weight vectors drawn.
    concentration
        The weights are drawn from a Dirichlet distribution with mean equal to the planner's
        normalised weights ``w`` and parameters ``α_j = concentration × w_j``, floored at
        ``ALPHA_FLOOR`` (0.01) because a Dirichlet needs α > 0: a criterion the planner gave
        weight 0 then mostly draws a weight near 0 and only rarely a noticeable one. Larger
        values keep the draws closer to ``w`` (variance ``w_j (1 − w_j) / (Σα + 1)``).
        ``None`` draws uniformly over all weight vectors (α all 1), the SMAA case of no weight
        information (Lahdelma & Salminen 2001).
    seed
        Seed of the random generator; the same seed gives the same result.

    All draws are scored with one matrix product and ranked with one sort along the rows.
    """
    nominal = score(values, criteria, weights)
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer) or samples < 1:
        raise ValueError(f"samples muss eine ganze Zahl ≥ 1 sein, ist {samples!r}.")
    if concentration is None:
        alpha = np.ones(len(criteria))
    elif not np.isfinite(concentration) or concentration <= 0:
        raise ValueError(f"concentration muss > 0 oder None sein, ist {concentration!r}.")
    else:
        alpha = np.maximum(concentration * nominal.weights, ALPHA_FLOOR)
    drawn = np.random.default_rng(seed).dirichlet(alpha, size=samples)
    ranks = _min_ranks(drawn @ nominal.normalised.T)
    return Sensitivity(
        rank_low=np.quantile(ranks, 0.05, axis=0, method="inverted_cdf"),
        rank_high=np.quantile(ranks, 0.95, axis=0, method="inverted_cdf"),
        median_rank=np.median(ranks, axis=0),
        share_first=(ranks == 1).mean(axis=0),
        share_same_rank=(ranks == nominal.rank).mean(axis=0),
        nominal_rank=nominal.rank,
        ranks=ranks,
        weights=drawn,
    )


def _checked_values(values: ArrayLike, criteria: Sequence[Criterion]) -> np.ndarray:
    data = np.asarray(values, dtype=float)
    if data.ndim != 2 or data.shape[0] < 1 or data.shape[1] < 1:
        raise ValueError(
            f"values muss eine Tabelle Maßnahmen × Kriterien sein, hat die Form {data.shape}."
        )
    if len(criteria) != data.shape[1]:
        raise ValueError(
            f"values hat {data.shape[1]} Spalten, aber es gibt {len(criteria)} Kriterien."
        )
    bad = np.argwhere(~np.isfinite(data))
    if bad.size:
        row, column = bad[0]
        raise ValueError(
            f"Wert fehlt oder ist nicht endlich ({data[row, column]}): Maßnahme in Zeile {row}, "
            f"Kriterium {criteria[column].name!r}."
        )
    return data


def _checked_weights(weights: ArrayLike, k: int) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    if w.shape != (k,):
        raise ValueError(
            f"weights hat die Form {w.shape}, erwartet ({k},) – ein Gewicht je Kriterium."
        )
    if not np.all(np.isfinite(w)) or np.any(w < 0) or not np.any(w > 0):
        raise ValueError(f"Gewichte müssen ≥ 0 sein und dürfen nicht alle 0 sein: {w.tolist()}")
    return w / w.sum()


def _normalised(data: np.ndarray, criteria: Sequence[Criterion]) -> np.ndarray:
    """Min–max onto 0..1 per column, 1 = best measure; constant columns become 0.5."""
    low, high = data.min(axis=0), data.max(axis=0)
    span = high - low
    scaled = (data - low) / np.where(span > 0, span, 1.0)
    better_high = np.array([c.higher_is_better for c in criteria])
    oriented = np.where(better_high, scaled, 1.0 - scaled)
    return np.where(span > 0, oriented, CONSTANT_VALUE)


def _min_ranks(totals: np.ndarray) -> np.ndarray:
    """Ranks along the rows of a 2-D array, 1 = highest; ties share the smallest rank.

    Totals are rounded to ``TIE_DECIMALS`` first, so that rounding noise does not split ties.
    """
    rows, m = totals.shape
    keys = -np.round(totals, TIE_DECIMALS)
    order = np.argsort(keys, axis=1, kind="stable")
    ordered = np.take_along_axis(keys, order, axis=1)
    starts = np.ones((rows, m), dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    first = np.flatnonzero(starts)  # each row starts a group, so groups never span rows
    sizes = np.diff(first, append=rows * m)
    ranked = np.repeat(first % m + 1, sizes).reshape(rows, m)
    ranks = np.empty((rows, m), dtype=int)
    np.put_along_axis(ranks, order, ranked, axis=1)
    return ranks
