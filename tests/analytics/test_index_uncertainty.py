import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sozialplanung.analytics.index_uncertainty import (
    AGGREGATIONS,
    IMPUTATIONS,
    NORMALISATIONS,
    monte_carlo_ranks,
    sobol_sensitivity,
)


def indicators(seed: int, n: int = 40, k: int = 5, missing: float = 0.05) -> np.ndarray:
    """Skewed, correlated indicator values with a few gaps, every area and indicator covered."""
    rng = np.random.default_rng(seed)
    need = rng.normal(size=(n, 1))
    values = np.exp(0.6 * need + rng.normal(scale=0.7, size=(n, k)))
    gaps = rng.random((n, k)) < missing
    gaps[:, 0] = False  # every area keeps one known value
    gaps[:2] = False  # every indicator keeps two
    values[gaps] = np.nan
    return values


POLARITY = np.array([-1, -1, 1, -1, 1])


def pandas_ranks(X: np.ndarray, polarity: np.ndarray, choices: pd.DataFrame) -> np.ndarray:
    """The replications done one by one the plain pandas way: the specification of the batch."""
    oriented = pd.DataFrame(X * -polarity)
    weight_columns = [c for c in choices.columns if c.startswith("weight_")]
    ranks = []
    for _, choice in choices.iterrows():
        data = oriented.fillna(oriented.mean()) if choice.imputation == "mean" else oriented
        if choice.normalisation == "zscore":
            table = (data - data.mean()) / data.std()
        elif choice.normalisation == "minmax":
            table = (data - data.min()) / (data.max() - data.min())
        else:
            table = data.rank(pct=True)
        if choice.aggregation == "geometric":
            table = np.log(1 + 9 * (table - table.min()) / (table.max() - table.min()))
        weights = choice[weight_columns].to_numpy(dtype=float)
        score = (table * weights).sum(axis=1) / (table.notna() * weights).sum(axis=1)
        ranks.append(score.rank(ascending=False).to_numpy())
    return np.array(ranks)


# Uncertainty analysis: synthetic


def test_the_replications_agree_with_a_plain_pandas_loop():
    X = indicators(3)
    result = monte_carlo_ranks(X, POLARITY, replications=60, seed=7)
    assert set(result.choices.normalisation) == set(NORMALISATIONS)
    assert np.allclose(result.ranks, pandas_ranks(X, POLARITY, result.choices))


def test_the_same_seed_gives_the_same_replications_and_another_seed_does_not():
    X = indicators(1)
    first = monte_carlo_ranks(X, POLARITY, replications=50, seed=11)
    again = monte_carlo_ranks(X, POLARITY, replications=50, seed=11)
    other = monte_carlo_ranks(X, POLARITY, replications=50, seed=12)
    assert np.array_equal(first.ranks, again.ranks)
    pd.testing.assert_frame_equal(first.choices, again.choices)
    assert not first.choices.equals(other.choices)


def test_choices_record_one_row_per_replication_with_weights_summing_to_one():
    result = monte_carlo_ranks(indicators(2), POLARITY, replications=30, weight_spread=0.5)
    assert result.ranks.shape == (30, 40)
    assert result.ranks.dtype == np.float32
    weights = result.choices.filter(like="weight_")
    assert list(weights.columns) == [f"weight_{j}" for j in range(5)]
    assert np.allclose(weights.sum(axis=1), 1)
    # (1 - s) / (k (1 + s)) ≤ w ≤ (1 + s) / (k (1 - s)) after renormalising
    assert weights.to_numpy().min() >= 0.5 / (5 * 1.5) and weights.to_numpy().max() <= 1.5 / 2.5


def test_weight_columns_are_named_after_dataframe_columns():
    X = pd.DataFrame(indicators(2), columns=["sgb2", "alo", "einkommen", "kita", "wohnung"])
    result = monte_carlo_ranks(X, POLARITY, replications=3)
    assert list(result.choices.columns[3:]) == [f"weight_{name}" for name in X.columns]


@pytest.mark.parametrize("normalisation", NORMALISATIONS)
@pytest.mark.parametrize("aggregation", AGGREGATIONS)
@pytest.mark.parametrize("imputation", IMPUTATIONS)
def test_without_uncertainty_every_replication_ranks_alike(normalisation, aggregation, imputation):
    result = monte_carlo_ranks(
        indicators(4),
        POLARITY,
        replications=25,
        weight_spread=0.0,
        normalisations=(normalisation,),
        aggregations=(aggregation,),
        imputations=(imputation,),
    )
    assert (result.ranks == result.ranks[0]).all()
    assert np.array_equal(result.rank_interval[:, 0], result.rank_interval[:, 1])
    if (normalisation, aggregation, imputation) == ("zscore", "arithmetic", "none"):
        assert np.array_equal(result.ranks[0], result.nominal_rank)
        assert np.array_equal(result.median_rank, result.nominal_rank)


def test_an_area_worst_on_every_indicator_ranks_first_in_every_replication():
    X = np.nan_to_num(indicators(5), nan=1.0)  # with gaps, an area with few values may lead
    worst = np.where(POLARITY < 0, np.nanmax(X, axis=0) + 0.01, np.nanmin(X, axis=0) - 0.01)
    X = np.vstack([X[:17], worst, X[17:]])
    result = monte_carlo_ranks(X, POLARITY, replications=200, weight_spread=0.5)
    assert (result.ranks[:, 17] == 1).all()
    assert result.nominal_rank[17] == 1


def test_mean_imputation_keeps_a_dominated_area_behind_one_with_gaps():
    X = indicators(5)
    worst = np.where(POLARITY < 0, np.nanmax(X, axis=0) + 0.01, np.nanmin(X, axis=0) - 0.01)
    X = np.vstack([worst, X])
    result = monte_carlo_ranks(X, POLARITY, replications=100, imputations=("mean",))
    assert (result.ranks[:, 0] == 1).all()


def test_identical_areas_share_their_rank():
    X = indicators(6, missing=0.0)
    X[9] = X[3]
    result = monte_carlo_ranks(X, POLARITY, replications=100)
    assert np.array_equal(result.ranks[:, 3], result.ranks[:, 9])
    assert (result.ranks[:, 3] % 1 == 0.5).all()


# Uncertainty analysis: invariants


@st.composite
def panels(draw):
    """A seeded indicator table with a random share of gaps, and a permutation of its areas."""
    seed = draw(st.integers(0, 2**32 - 1))
    n, k = draw(st.integers(3, 30)), draw(st.integers(1, 5))
    X = indicators(seed, n=n, k=k, missing=draw(st.sampled_from([0.0, 0.1, 0.3])))
    polarity = np.random.default_rng(seed).choice([-1, 1], size=k)
    return X, polarity, np.random.default_rng(seed + 1).permutation(n)


@settings(max_examples=40, deadline=None)
@given(panels())
def test_permuting_the_areas_permutes_median_ranks_and_intervals(panel):
    X, polarity, permutation = panel
    result = monte_carlo_ranks(X, polarity, replications=40, seed=3)
    permuted = monte_carlo_ranks(X[permutation], polarity, replications=40, seed=3)
    assert np.array_equal(permuted.median_rank, result.median_rank[permutation])
    assert np.array_equal(permuted.rank_interval, result.rank_interval[permutation])
    assert np.array_equal(permuted.nominal_rank, result.nominal_rank[permutation])


@settings(max_examples=40, deadline=None)
@given(panels(), st.floats(0, 0.9))
def test_intervals_hold_the_median_and_ranks_sum_as_a_ranking_must(panel, spread):
    X, polarity, _ = panel
    n = X.shape[0]
    result = monte_carlo_ranks(X, polarity, replications=30, weight_spread=spread)
    low, high = result.rank_interval.T
    assert np.all((low <= result.median_rank) & (result.median_rank <= high))
    assert np.all((low >= 1) & (high <= n))
    assert np.allclose(result.ranks.sum(axis=1), n * (n + 1) / 2)


# Uncertainty analysis: errors


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"polarity": [1, -1]}, "polarity has 2 entries for 5 indicators"),
        ({"polarity": [1, -1, 0, 1, 1]}, r"polarity must be \+1 or -1, got \[0.0\]"),
        ({"normalisations": ("zscore", "log")}, r"unknown normalisation \['log'\]"),
        ({"aggregations": ()}, "unknown aggregation"),
        ({"weight_spread": 1.0}, r"weight_spread must lie in \[0, 1\), got 1.0"),
        ({"replications": 0}, "replications must be at least 1"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    arguments = {"polarity": POLARITY, **kwargs}
    with pytest.raises(ValueError, match=message):
        monte_carlo_ranks(indicators(0), **arguments)


def test_areas_and_indicators_without_values_are_named():
    X = indicators(0)
    X[4] = np.nan
    with pytest.raises(ValueError, match=r"areas without any known indicator \(rows \[4\]\)"):
        monte_carlo_ranks(X, POLARITY)
    X = indicators(0)
    X[1:, 2] = np.nan
    with pytest.raises(ValueError, match=r"fewer than 2 known values \(columns \[2\]\)"):
        monte_carlo_ranks(X, POLARITY)


# Sensitivity analysis


def test_sobol_indices_are_plausible_fractions_of_variance():
    result = sobol_sensitivity(indicators(8, n=30, k=4), POLARITY[:4], n_base=64, seed=5)
    table = result.indices
    assert list(table.factor) == ["normalisation", "aggregation", "imputation", "weights"]
    assert list(table.label) == [
        "Normierung",
        "Aggregation",
        "Imputation fehlender Werte",
        "Gewichte",
    ]
    values = table[["S1", "ST"]].to_numpy()
    assert np.all((values >= -0.1) & (values <= 1.1))
    assert np.all(table.S1 - table.S1_conf - 0.05 <= table.ST)
    assert (table[["S1_conf", "ST_conf"]].to_numpy() >= 0).all()
    assert result.rank_shift.shape == (64 * (4 + 2),)


def test_sobol_analysis_is_reproducible_with_a_seed():
    X = indicators(8, n=20, k=3)
    first = sobol_sensitivity(X, POLARITY[:3], n_base=32, seed=9)
    again = sobol_sensitivity(X, POLARITY[:3], n_base=32, seed=9)
    pd.testing.assert_frame_equal(first.indices, again.indices)


def test_only_the_aggregation_matters_when_normalisation_and_weights_cannot():
    # Both columns permute 1..12 and nothing is missing: z-scores, min-max and percentile ranks
    # are then the same affine map of the values in every column, so they rank alike, and
    # imputation has nothing to fill. Balanced areas (6, 6) beat lopsided ones (1, 12) only
    # under the geometric mean.
    rng = np.random.default_rng(2)
    X = np.column_stack([rng.permutation(12), rng.permutation(12)]) + 1.0
    result = sobol_sensitivity(X, [-1, -1], n_base=64, weight_spread=0.0)
    table = result.indices.set_index("factor")
    assert table.loc["aggregation", "ST"] > 0.9
    assert table.loc["aggregation", "S1"] > 0.9
    assert (table.drop("aggregation").ST.abs() < 0.05).all()


def test_one_factor_per_weight_on_request():
    result = sobol_sensitivity(
        indicators(8, n=20, k=3), POLARITY[:3], n_base=16, weights_as_group=False
    )
    assert list(result.indices.factor[3:]) == ["weight_0", "weight_1", "weight_2"]
    assert list(result.indices.label[3:]) == ["Gewicht 0", "Gewicht 1", "Gewicht 2"]
    assert result.rank_shift.shape == (16 * (6 + 2),)


def test_sobol_analysis_refuses_when_nothing_changes_the_ranking():
    with pytest.raises(ValueError, match="no choice changes the ranking"):
        sobol_sensitivity(
            indicators(8),
            POLARITY,
            n_base=16,
            weight_spread=0.0,
            normalisations=("rank",),
            aggregations=("arithmetic",),
            imputations=("mean",),
        )
