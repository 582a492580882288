"""Monte Carlo uncertainty of a need index for all German municipalities: batched vs. pandas.

The uncertainty analysis of one index update at national scale: 10,800 municipalities, 20
indicators (rates, some strongly skewed, about 1 % missing), 1,000 replications each drawing
weights, normalisation, aggregation and imputation. Ours batches the replications
(:func:`~sozialplanung.analytics.index_uncertainty.monte_carlo_ranks`); the peer is the
straightforward pandas way, a Python loop over the same drawn replications (DataFrame
normalisation, weighted mean by DataFrame operations, ``.rank()``). Both must give the same
median ranks.

Run: ``.venv/bin/python benchmarks/index_uncertainty.py``
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from timing import median_seconds

from sozialplanung.analytics.index_uncertainty import monte_carlo_ranks

SEED = 2026
N_AREAS = 10_800
N_INDICATORS = 20
N_SKEWED = 8  # lognormal rates with a long upper tail (e.g. SGB II rate of children)
MISSING_SHARE = 0.01
REPLICATIONS = 1_000
RUNS = 3
TARGET_SECONDS = 5.0
PANDAS_BUDGET_SECONDS = 180.0  # beyond this the pandas loop is timed on a subset
PANDAS_SUBSET = 100


def synthetic_input(rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray]:
    """Indicators driven by a latent need, a quarter of them "higher is better"."""
    need = rng.normal(size=(N_AREAS, 1))
    loading = rng.uniform(0.3, 0.9, N_INDICATORS)
    noise = rng.normal(size=(N_AREAS, N_INDICATORS)) * np.sqrt(1 - loading**2)
    latent = need * loading + noise
    polarity = np.where(np.arange(N_INDICATORS) % 4 == 3, 1, -1)  # +1: higher is better
    latent *= -polarity  # a good indicator falls with need
    values = np.empty_like(latent)
    skewed = slice(0, N_SKEWED)
    values[:, skewed] = np.exp(np.log(rng.uniform(2, 12, N_SKEWED)) + 0.7 * latent[:, skewed])
    shares = 1 / (1 + np.exp(-(rng.uniform(-1, 1, N_INDICATORS - N_SKEWED) + latent[:, N_SKEWED:])))
    values[:, N_SKEWED:] = np.round(100 * shares, 1)  # percentages with one decimal: ties
    values[rng.random(values.shape) < MISSING_SHARE] = np.nan
    columns = [f"ind_{j:02d}" for j in range(N_INDICATORS)]
    return pd.DataFrame(values, columns=columns), polarity


def with_pandas(X: pd.DataFrame, polarity: np.ndarray, choices: pd.DataFrame) -> np.ndarray:
    """Replication after replication, the usual pandas way; ranks (replications × areas)."""
    oriented = X * -polarity
    means = oriented.mean()
    weight_columns = [f"weight_{column}" for column in X.columns]
    ranks = np.empty((len(choices), len(X)), dtype=np.float32)
    for i, choice in enumerate(choices.itertuples(index=False)):
        data = oriented.fillna(means) if choice.imputation == "mean" else oriented
        if choice.normalisation == "zscore":
            table = (data - data.mean()) / data.std()
        elif choice.normalisation == "minmax":
            table = (data - data.min()) / (data.max() - data.min())
        else:
            table = data.rank(pct=True)
        if choice.aggregation == "geometric":
            table = np.log(1 + 9 * (table - table.min()) / (table.max() - table.min()))
        weights = pd.Series([getattr(choice, column) for column in weight_columns], index=X.columns)
        score = table.mul(weights).sum(axis=1) / table.notna().mul(weights).sum(axis=1)
        ranks[i] = score.rank(ascending=False, method="average").to_numpy()
    return ranks


def main() -> None:
    X, polarity = synthetic_input(np.random.default_rng(SEED))
    print(
        f"Input: {N_AREAS:,} areas × {N_INDICATORS} indicators ({N_SKEWED} skewed, "
        f"{X.isna().to_numpy().mean():.2%} missing), {REPLICATIONS:,} replications over "
        "3 normalisations × 2 aggregations × 2 imputations × perturbed weights (±25 %)"
    )

    ours, result = median_seconds(
        lambda: monte_carlo_ranks(X, polarity, replications=REPLICATIONS, seed=SEED), RUNS
    )
    print(
        f"ranks array: {result.ranks.shape[0]:,} × {result.ranks.shape[1]:,} "
        f"{result.ranks.dtype} = {result.ranks.nbytes / 1e6:.0f} MB"
    )

    # Probe the pandas loop on a subset first: a full run beyond the budget is extrapolated.
    probe, probe_ranks = median_seconds(
        lambda: with_pandas(X, polarity, result.choices.iloc[:PANDAS_SUBSET]), runs=1
    )
    estimate = probe * REPLICATIONS / PANDAS_SUBSET
    if estimate <= PANDAS_BUDGET_SECONDS:
        runs = RUNS if estimate * RUNS <= PANDAS_BUDGET_SECONDS else 1
        theirs, pandas_ranks = median_seconds(
            lambda: with_pandas(X, polarity, result.choices), runs=runs
        )
        pandas_note = f"all {REPLICATIONS:,} replications, median of {runs} runs"
        ours_ranks = result.ranks
    else:
        theirs, pandas_ranks = estimate, probe_ranks
        pandas_note = (
            f"EXTRAPOLATED linearly from the first {PANDAS_SUBSET} of {REPLICATIONS:,} "
            f"replications ({probe:.2f} s)"
        )
        ours_ranks = result.ranks[:PANDAS_SUBSET]
    same_median = np.allclose(np.median(pandas_ranks, axis=0), np.median(ours_ranks, axis=0))
    same_ranks = np.array_equal(pandas_ranks, ours_ranks)

    print(f"ours   (monte_carlo_ranks, median of {RUNS} runs): {ours:8.2f} s")
    print(f"pandas (loop over replications, {pandas_note}): {theirs:8.2f} s")
    print(f"ratio pandas / ours: {theirs / ours:.1f}×")
    print(
        f"same median ranks over the {len(ours_ranks):,} compared replications: {same_median}; "
        f"every rank identical: {same_ranks}"
    )
    met = "met" if ours < TARGET_SECONDS else "NOT met"
    print(f"target: under {TARGET_SECONDS:.0f} s on this machine: {met}")


if __name__ == "__main__":
    main()
