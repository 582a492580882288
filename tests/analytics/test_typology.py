import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from sozialplanung.analytics.typology import (
    AVERAGE_PROFILE,
    MIN_STABILITY,
    describe_type,
    type_name,
    typology,
)

NAMES = ["SGB-II-Quote", "Kaufkraft", "Altenquotient", "Jugendquotient"]
POLARITY = [-1, +1, 0, 0]
ORIENTATION = dict(zip(NAMES, POLARITY, strict=True))
FAST = {"bootstrap": 4}  # stability needs only a few resamples to be tested


def blobs(centers=4, n=80, seed=7):
    """Well-separated groups of areas: small spread around centres far apart."""
    return make_blobs(
        n_samples=n, centers=centers, n_features=4, cluster_std=0.4, random_state=seed
    )


# Synthetic data: groups that are there must be found


@pytest.mark.parametrize("method", ["ward", "kmeans"])
@pytest.mark.parametrize("centers", [3, 4])
def test_well_separated_groups_are_found_with_their_number(method, centers):
    X, truth = blobs(centers)
    result = typology(X, NAMES, POLARITY, method=method, **FAST)
    assert result.k == centers
    assert adjusted_rand_score(truth, result.labels) == 1.0
    assert result.method == method


@pytest.mark.parametrize("method", ["ward", "kmeans"])
def test_clear_groups_are_stable_and_well_separated(method):
    result = typology(*blobs()[:1], NAMES, POLARITY, method=method, **FAST)
    assert result.silhouette > 0.7
    assert result.stability == 1.0


def test_type_one_is_the_type_with_the_most_need():
    # Three groups: poor (high SGB II, low purchasing power), middle, well-off; each with its
    # own age structure, since standardising would blow pure noise up to the signal's scale.
    centres = [[3, -3, 2, -2], [0, 0, -2, 2], [-3, 3, 0, 0]]
    X, truth = make_blobs(n_samples=60, centers=centres, cluster_std=0.3, random_state=1)
    result = typology(X, NAMES, POLARITY, **FAST)
    assert result.k == 3
    assert result.labels[truth == 0].tolist() == [1] * (truth == 0).sum()
    assert result.labels[truth == 2].tolist() == [3] * (truth == 2).sum()
    assert result.profiles.loc[1, "SGB-II-Quote"] > 1
    assert result.profiles.loc[3, "Kaufkraft"] > 1


@pytest.mark.parametrize("method", ["ward", "kmeans"])
def test_reordering_the_areas_reorders_their_types_and_nothing_else(method):
    X, _ = blobs()
    order = np.random.default_rng(3).permutation(len(X))
    result = typology(X, NAMES, POLARITY, method=method, **FAST)
    shuffled = typology(X[order], NAMES, POLARITY, method=method, **FAST)
    back = np.empty_like(order)
    back[order] = np.arange(len(order))
    assert shuffled.labels[back].tolist() == result.labels.tolist()
    pd.testing.assert_frame_equal(shuffled.profiles, result.profiles)
    assert shuffled.descriptions == result.descriptions


@pytest.mark.parametrize("method", ["ward", "kmeans"])
def test_the_same_seed_gives_the_same_typology(method):
    X = np.random.default_rng(5).normal(size=(40, 4))
    first = typology(X, NAMES, POLARITY, method=method, **FAST)
    second = typology(X, NAMES, POLARITY, method=method, **FAST)
    assert first.labels.tolist() == second.labels.tolist()
    pd.testing.assert_frame_equal(first.candidates, second.candidates)


def test_indicators_are_standardised_so_their_units_do_not_matter():
    X, _ = blobs()
    in_other_units = X * [100, 0.01, 1, 1e3] + [5, -2, 0, 7]
    assert (
        typology(in_other_units, NAMES, POLARITY, **FAST).labels.tolist()
        == typology(X, NAMES, POLARITY, **FAST).labels.tolist()
    )


def test_type_profiles_are_mean_z_scores_of_their_areas():
    X, _ = blobs()
    result = typology(X, NAMES, POLARITY, **FAST)
    z = (X - X.mean(axis=0)) / X.std(axis=0, ddof=1)
    for t in range(1, result.k + 1):
        np.testing.assert_allclose(result.profiles.loc[t], z[result.labels == t].mean(axis=0))
    assert result.profiles.index.name == "Typ"
    assert result.profiles.columns.tolist() == NAMES
    assert result.sizes.tolist() == np.bincount(result.labels)[1:].tolist()


# Choosing the number of types


def test_every_k_in_the_range_is_scored():
    result = typology(*blobs()[:1], NAMES, POLARITY, k_range=range(2, 6), **FAST)
    assert result.candidates.index.tolist() == [2, 3, 4, 5]
    assert result.candidates.columns.tolist() == ["silhouette", "stability", "within_ss"]
    assert result.candidates["within_ss"].is_monotonic_decreasing


def test_the_chosen_k_has_the_best_silhouette_among_the_stable_ones():
    X = np.random.default_rng(11).uniform(size=(60, 4))
    candidates = typology(X, NAMES, POLARITY, **FAST).candidates
    stable = candidates[candidates["stability"] >= MIN_STABILITY]
    pool = stable if len(stable) else candidates
    assert typology(X, NAMES, POLARITY, **FAST).k == pool["silhouette"].idxmax()


def test_a_given_k_is_used_and_alone_scored():
    result = typology(*blobs()[:1], NAMES, POLARITY, k=3, **FAST)
    assert result.k == 3
    assert result.candidates.index.tolist() == [3]


def test_without_bootstrap_stability_is_unknown_and_silhouette_decides():
    result = typology(*blobs(3)[:1], NAMES, POLARITY, bootstrap=0)
    assert np.isnan(result.stability)
    assert result.k == 3


def test_uniform_noise_still_gives_a_valid_typology():
    X = np.random.default_rng(2016).uniform(size=(100, 4))
    result = typology(X, NAMES, POLARITY, **FAST)
    assert 2 <= result.k <= 7
    assert result.silhouette < 0.5  # no real structure, and the score says so
    assert sorted(set(result.labels)) == list(range(1, result.k + 1))
    assert len(result.descriptions) == len(result.type_names) == result.k


def test_a_group_at_the_average_is_described_as_average():
    centres = [[3, -3, 3, -3], [0, 0, 0, 0], [-3, 3, -3, 3]]
    X, _ = make_blobs(n_samples=90, centers=centres, cluster_std=0.3, random_state=4)
    result = typology(X, NAMES, POLARITY, **FAST)
    assert result.k == 3
    assert result.descriptions[1] == AVERAGE_PROFILE
    assert result.type_names[1] == "Typ 2: durchschnittliches Profil"


# Missing values and small inputs


def test_missing_values_take_the_indicator_mean_and_are_reported():
    X, _ = blobs()
    gappy = X.copy()
    gappy[[0, 5], 1] = np.nan
    gappy[9, 3] = np.nan
    filled = np.where(np.isnan(gappy), np.nanmean(gappy, axis=0), gappy)
    result = typology(gappy, NAMES, POLARITY, **FAST)
    assert result.imputed == {"Kaufkraft": 2, "Jugendquotient": 1}
    assert result.labels.tolist() == typology(filled, NAMES, POLARITY, **FAST).labels.tolist()
    assert not result.profiles.isna().any().any()


def test_complete_data_reports_nothing_imputed():
    assert typology(*blobs()[:1], NAMES, POLARITY, **FAST).imputed == {}


def test_an_indicator_without_any_value_is_named():
    X, _ = blobs()
    X[:, 2] = np.nan
    with pytest.raises(ValueError, match="No area has a value for: Altenquotient"):
        typology(X, NAMES, POLARITY)


def test_a_constant_indicator_does_not_influence_the_types():
    X, _ = blobs()
    constant = X.copy()
    constant[:, 3] = 42.0
    result = typology(constant, NAMES, POLARITY, **FAST)
    assert (result.profiles["Jugendquotient"] == 0).all()


@pytest.mark.parametrize("method", ["ward", "kmeans"])
def test_three_areas_form_two_types(method):
    X = np.array([[0.0, 0, 0, 0], [0.1, 0, 0, 0], [5, 5, 5, 5]])
    result = typology(X, NAMES, POLARITY, method=method, **FAST)
    assert result.k == 2
    assert result.candidates.index.tolist() == [2]
    assert result.labels[0] == result.labels[1] != result.labels[2]


def test_k_beyond_the_distinct_profiles_is_not_tried():
    X = np.array([[0.0, 0, 0, 0]] * 3 + [[1.0, 1, 1, 1]] * 3 + [[2.0, 0, 0, 0]] * 3)
    assert typology(X, NAMES, POLARITY, **FAST).candidates.index.tolist() == [2, 3]


def test_fewer_than_three_areas_are_refused():
    with pytest.raises(ValueError, match="at least 3 areas, got 2"):
        typology(np.eye(2, 4), NAMES, POLARITY)


@pytest.mark.parametrize("k", [1, 3])
def test_k_must_lie_between_two_and_one_less_than_the_areas(k):
    with pytest.raises(ValueError, match=rf"k = {k} types for 3 areas: need 2 ≤ k ≤ 2"):
        typology(np.eye(3, 4), NAMES, POLARITY, k=k)


def test_identical_areas_are_refused():
    with pytest.raises(ValueError, match="All 5 areas have the same profile"):
        typology(np.ones((5, 4)), NAMES, POLARITY)


def test_an_unknown_method_is_named():
    with pytest.raises(ValueError, match="Unknown method 'dbscan'"):
        typology(np.eye(5, 4), NAMES, POLARITY, method="dbscan")


def test_names_and_polarities_must_match_the_columns():
    with pytest.raises(ValueError, match="4 indicators, 3 names and 4 polarities"):
        typology(np.eye(5, 4), NAMES[:3], POLARITY)


def test_polarity_must_be_a_direction():
    with pytest.raises(ValueError, match=r"Polarity must be \+1, -1 or 0"):
        typology(np.eye(5, 4), NAMES, [2, 1, 0, 0])


def test_indicator_names_must_be_unique():
    with pytest.raises(ValueError, match="repeated: Kaufkraft"):
        typology(np.eye(5, 4), ["Kaufkraft", "Kaufkraft", "a", "b"], POLARITY)


# Descriptions


def profile(**z):
    return pd.Series({name: 0.0 for name in NAMES} | z)


def test_a_description_names_the_departures_strongest_first_with_their_direction():
    text = describe_type(profile(Altenquotient=1.4, **{"SGB-II-Quote": -0.6}), ORIENTATION)
    assert text.startswith(
        "Altenquotient deutlich über dem Durchschnitt, SGB-II-Quote unter dem Durchschnitt"
    )


@pytest.mark.parametrize(
    ("z", "wording"),
    [
        (1.0, "deutlich über dem Durchschnitt"),
        (0.5, "über dem Durchschnitt"),
        (-0.5, "unter dem Durchschnitt"),
        (-2.0, "deutlich unter dem Durchschnitt"),
    ],
)
def test_the_wording_follows_the_size_of_the_departure(z, wording):
    assert describe_type(profile(Jugendquotient=z), ORIENTATION) == f"Jugendquotient {wording}"


def test_small_departures_make_an_average_profile():
    text = describe_type(profile(Altenquotient=0.49, Kaufkraft=-0.3), ORIENTATION)
    assert text == "durchschnittliches Profil ohne ausgeprägte Besonderheiten"


def test_the_threshold_decides_what_counts_as_a_departure():
    assert describe_type(profile(Altenquotient=0.3), ORIENTATION, threshold=0.25) == (
        "Altenquotient über dem Durchschnitt"
    )


def test_at_most_four_indicators_are_named():
    many = pd.Series({f"Indikator {i}": 0.5 + i / 20 for i in range(6)})
    text = describe_type(many, {})
    assert text == ", ".join(f"Indikator {i} über dem Durchschnitt" for i in (5, 4, 3, 2))


def test_an_unfavourable_profile_is_called_a_strained_situation():
    text = describe_type(profile(**{"SGB-II-Quote": 1.5, "Kaufkraft": -1.2}), ORIENTATION)
    assert text == (
        "SGB-II-Quote deutlich über dem Durchschnitt, Kaufkraft deutlich unter dem Durchschnitt;"
        " insgesamt eher belastete Lage"
    )


def test_a_favourable_profile_is_called_a_favourable_situation():
    text = describe_type(profile(**{"SGB-II-Quote": -0.8, "Kaufkraft": 0.9}), ORIENTATION)
    assert text.endswith("; insgesamt eher günstige Lage")


def test_neutral_indicators_do_not_judge_the_situation():
    text = describe_type(profile(Altenquotient=2.5, Jugendquotient=-2.0), ORIENTATION)
    assert "Lage" not in text


@pytest.mark.parametrize(
    ("name", "z", "expected"),
    [
        ("Altenquotient", 0.7, "Typ 2: hoher Altenquotient"),
        ("SGB-II-Quote", 1.3, "Typ 2: sehr hohe SGB-II-Quote"),
        ("Kaufkraft", -0.6, "Typ 2: niedrige Kaufkraft"),
        ("Pro-Kopf-Einkommen", -1.1, "Typ 2: sehr niedriges Pro-Kopf-Einkommen"),
        ("Anteil der Hochbetagten", 0.8, "Typ 2: Anteil der Hochbetagten hoch"),
        ("Pflege", 1.8, "Typ 2: Pflege sehr hoch"),
    ],
)
def test_a_type_is_named_after_its_strongest_departure(name, z, expected):
    assert type_name(2, pd.Series({"Jugendquotient": 0.55, name: z})) == expected


def test_a_type_without_departures_is_named_average():
    assert type_name(4, profile(Kaufkraft=0.2)) == "Typ 4: durchschnittliches Profil"


# Invariants

tenths = st.integers(-50, 50).map(lambda i: i / 10)


@settings(max_examples=15, deadline=None)
@given(
    arrays(float, st.tuples(st.integers(3, 25), st.just(4)), elements=tenths),
    st.sampled_from(["ward", "kmeans"]),
)
def test_every_typology_is_a_consistent_partition(X, method):
    if len(np.unique(X, axis=0)) < 2:
        return  # identical areas are refused, tested above
    result = typology(X, NAMES, POLARITY, method=method, k_range=range(2, 5), bootstrap=3)
    assert sorted(set(result.labels)) == list(range(1, result.k + 1))
    assert result.sizes.sum() == len(X)
    assert -1 <= result.silhouette <= 1
    assert np.isnan(result.stability) or -1 <= result.stability <= 1
    # z-scores average to 0, so the size-weighted type profiles do too.
    np.testing.assert_allclose(result.sizes @ result.profiles.to_numpy(), 0, atol=1e-9)
    need = -(result.profiles[["SGB-II-Quote", "Kaufkraft"]] * [-1, 1]).mean(axis=1)
    assert (need.diff().dropna() <= 1e-9).all()  # type 1 has the most need
