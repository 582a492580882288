"""Harmonise, aggregate and recompute rates for all German municipalities: matrices vs. pandas.

The work of one monitoring update at national scale: counts for 11,000 municipalities of an old
territorial state (60 months × 10 numerators and 10 denominators) are carried to today's 10,800
municipalities (300 merged into 100, a few ceding part of their territory), summed to 400 counties
and to 400 social spaces, and 10 rates per 100 are recomputed at all three levels. The peer is
the same work done the usual pandas way on a long DataFrame (merge, multiply, groupby, unstack).

Run: ``.venv/bin/python benchmarks/aggregation.py``
"""

from __future__ import annotations

import resource

import numpy as np
import pandas as pd
from timing import median_seconds

from sozialplanung.analytics.aggregate import aggregate, membership_matrix
from sozialplanung.analytics.harmonise import conversion_matrix, harmonise
from sozialplanung.analytics.indicators import ratio
from sozialplanung.analytics.tables import to_matrix

SEED = 2026
N_MUNICIPALITIES = 10_800  # today's state
N_MERGED_OLD, N_MERGED_NEW = 300, 100  # three old municipalities form each new one
N_CEDING = 20  # unchanged municipalities that cede a share of their territory to a neighbour
N_PERIODS = 60  # months
N_RATES = 10  # each rate has its own numerator and denominator: 20 variables
N_COUNTIES = N_SPACES = 400
MISSING_SHARE = 0.005
RUNS = 5
TARGET_SECONDS = 2.0

NUMERATORS = [f"num_{i:02d}" for i in range(N_RATES)]
DENOMINATORS = [f"den_{i:02d}" for i in range(N_RATES)]
PERIODS = [year * 100 + month for year in range(2021, 2026) for month in range(1, 13)]


def synthetic_input(rng: np.random.Generator) -> dict:
    """Keys, conversion pairs, two partitions and counts shaped like the German monitoring."""
    codes = 1_000_000 + rng.choice(16_000_000, N_MUNICIPALITIES + N_MERGED_OLD, replace=False)
    keys = np.array([f"{code:08d}" for code in codes], dtype=object)
    new_keys = keys[:N_MUNICIPALITIES]
    unchanged = new_keys[: N_MUNICIPALITIES - N_MERGED_NEW]
    merged_into = np.repeat(new_keys[N_MUNICIPALITIES - N_MERGED_NEW :], 3)
    dissolved = keys[N_MUNICIPALITIES:]
    old_keys = np.concatenate([unchanged, dissolved])

    weight = np.ones(unchanged.size)
    ceding = rng.choice(unchanged.size, N_CEDING, replace=False)
    share = rng.uniform(0.05, 0.3, N_CEDING)
    weight[ceding] = 1 - share
    receiving = unchanged[(ceding + 1) % unchanged.size]
    pairs = pd.DataFrame(
        {
            "old": np.concatenate([unchanged, dissolved, unchanged[ceding]]),
            "new": np.concatenate([unchanged, merged_into, receiving]),
            "weight": np.concatenate([weight, np.ones(N_MERGED_OLD), share]),
        }
    )

    # Inhabitants: median about 1,700, a long tail up to the big cities.
    inhabitants = np.clip(rng.lognormal(np.log(1700), 1.3, old_keys.size), 50, 3.7e6)
    trend = 1 + rng.normal(0, 0.02, (old_keys.size, 1)) * np.linspace(0, 1, N_PERIODS)
    population_share = rng.uniform(0.05, 0.65, N_RATES)  # e.g. aged 15–64, under 18, ...
    case_rate = rng.uniform(0.01, 0.12, N_RATES)  # e.g. SGB II unemployed per person
    denominators, numerators = [], []
    for j in range(N_RATES):
        expected = inhabitants[:, None] * trend * population_share[j]
        denominators.append(rng.poisson(expected).astype(float))
        dispersion = 20.0
        mean = expected * case_rate[j] * rng.lognormal(0, 0.3, (old_keys.size, 1))
        numerators.append(rng.negative_binomial(dispersion, dispersion / (dispersion + mean)))
    # Columns as to_matrix lays them out: variables sorted (den_*, num_*), periods inside.
    values = np.concatenate(denominators + numerators, axis=1).astype(float)
    values[rng.random(values.shape) < MISSING_SHARE] = np.nan

    return {
        "old_keys": old_keys,
        "new_keys": new_keys,
        "pairs": pairs,
        "values": values,
        "county_of": random_partition(rng, new_keys, "K", N_COUNTIES),
        "space_of": random_partition(rng, new_keys, "S", N_SPACES),
    }


def random_partition(rng: np.random.Generator, keys: np.ndarray, prefix: str, n: int) -> dict:
    """Each key to one of ``n`` parents, every parent getting at least one key."""
    parent = np.concatenate([np.arange(n), rng.integers(0, n, keys.size - n)])
    rng.shuffle(parent)
    return {key: f"{prefix}{p:03d}" for key, p in zip(keys, parent, strict=True)}


def long_observations(data: dict) -> pd.DataFrame:
    """The same counts as a tidy table, one row per area × period × variable (NaN kept)."""
    variables = DENOMINATORS + NUMERATORS
    n_old, n_columns = data["values"].shape
    return pd.DataFrame(
        {
            "area": np.repeat(data["old_keys"], n_columns),
            "period": np.tile(np.tile(PERIODS, len(variables)), n_old),
            "variable": np.tile(np.repeat(variables, N_PERIODS), n_old),
            "value": data["values"].ravel(),
        }
    )


def with_matrices(values: np.ndarray, columns: pd.MultiIndex, data: dict) -> dict:
    """Our way: conversion and membership matrices, sparse products, rates from the totals."""
    conversion = conversion_matrix(data["old_keys"], data["new_keys"], data["pairs"])
    municipalities = harmonise(values, conversion)
    totals = {"municipality": municipalities}
    for level, parent_of in (("county", data["county_of"]), ("space", data["space_of"])):
        parents = sorted(set(parent_of.values()))
        membership = membership_matrix(data["new_keys"], parent_of, parents)
        totals[level] = aggregate(municipalities, membership)
    num = columns.get_indexer(pd.MultiIndex.from_product([NUMERATORS, PERIODS]))
    den = columns.get_indexer(pd.MultiIndex.from_product([DENOMINATORS, PERIODS]))
    return {level: ratio(sums[:, num], sums[:, den], 100) for level, sums in totals.items()}


def with_pandas(long: pd.DataFrame, data: dict) -> dict:
    """The usual pandas way on the long table; a sum is unknown if any part is (skipna=False)."""
    keys = ["area", "period", "variable"]
    converted = long.merge(data["pairs"], left_on="area", right_on="old")
    converted["value"] = converted["value"] * converted["weight"]
    municipalities = (
        converted.groupby(["new", "period", "variable"])["value"]
        .sum(skipna=False)
        .rename_axis(keys)
        .reset_index()
    )
    rates = {"municipality": pandas_rates(municipalities.set_index(keys)["value"])}
    for level, parent_of in (("county", data["county_of"]), ("space", data["space_of"])):
        membership = pd.DataFrame({"area": list(parent_of), level: list(parent_of.values())})
        totals = (
            municipalities.merge(membership, on="area")
            .groupby([level, "period", "variable"])["value"]
            .sum(skipna=False)
        )
        rates[level] = pandas_rates(totals)
    return rates


def pandas_rates(totals: pd.Series) -> pd.DataFrame:
    """Rates per 100 from totals indexed (unit, period, variable); NaN where a denominator is 0."""
    wide = totals.unstack("variable")
    denominators = wide[DENOMINATORS].mask(wide[DENOMINATORS] == 0)
    return wide[NUMERATORS].div(denominators.to_numpy()).mul(100)


def as_matrix(rates: pd.DataFrame, rows: list[str]) -> np.ndarray:
    """Pandas rates in our layout: one row per unit, columns (rate, period)."""
    wide = rates.unstack("period").reindex(rows)
    return wide.reindex(columns=pd.MultiIndex.from_product([NUMERATORS, PERIODS])).to_numpy()


def main() -> None:
    data = synthetic_input(np.random.default_rng(SEED))
    long = long_observations(data)
    values, columns = to_matrix(long, data["old_keys"])
    assert np.array_equal(values, data["values"], equal_nan=True)

    n_old, n_columns = values.shape
    print(
        f"Input: {n_old:,} old areas → {N_MUNICIPALITIES:,} municipalities "
        f"({len(data['pairs']):,} conversion pairs), {N_PERIODS} periods × "
        f"{2 * N_RATES} variables = {values.size:,} values "
        f"({np.isnan(values).mean():.2%} missing); {N_COUNTIES} counties, {N_SPACES} spaces; "
        f"{N_RATES} rates at 3 levels"
    )

    ours, ours_rates = median_seconds(lambda: with_matrices(values, columns, data), RUNS)
    ours_long, _ = median_seconds(
        lambda: with_matrices(*to_matrix(long, data["old_keys"]), data), RUNS
    )
    theirs, pandas_result = median_seconds(lambda: with_pandas(long, data), RUNS)

    rows = {
        "municipality": list(data["new_keys"]),
        "county": sorted(set(data["county_of"].values())),
        "space": sorted(set(data["space_of"].values())),
    }
    for level, unit_keys in rows.items():
        same = np.allclose(
            ours_rates[level], as_matrix(pandas_result[level], unit_keys), equal_nan=True
        )
        unknown = np.isnan(ours_rates[level]).mean()
        print(f"Same rates as pandas at {level} level: {same} ({unknown:.2%} unknown)")

    print(f"Ours (matrices in, rates out), median of {RUNS}: {ours:.3f} s")
    print(f"Ours incl. to_matrix from the long table:   {ours_long:.3f} s")
    print(f"pandas (long table in, rates out):          {theirs:.3f} s")
    print(
        f"pandas / ours: {theirs / ours:.1f}× ; pandas / ours incl. to_matrix: "
        f"{theirs / ours_long:.1f}×"
    )
    met = "met" if ours_long < TARGET_SECONDS else "NOT met"
    print(f"Target < {TARGET_SECONDS:.0f} s (incl. to_matrix): {met}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"Peak memory of the process: {peak:.1f} GB")


if __name__ == "__main__":
    main()
