"""Area typology: group areas by their indicator profile and describe each type in German.

Areas (municipalities, social spaces) are clustered on standardised indicators with Ward's
method or k-means; the number of types is chosen by silhouette among bootstrap-stable
solutions. Types are numbered by need (type 1 = most need), so the numbering does not depend on
the order of the areas or of the algorithm's clusters, and each type gets a rule-based German
description of the indicators in which it departs from the average.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score

METHODS = ("ward", "kmeans")
MIN_STABILITY = 0.6  # mean ARI a k must reach to be preferred; a convention, see typology()
MAX_FEATURES = 4  # indicators named in one description
AVERAGE_PROFILE = "durchschnittliches Profil ohne ausgeprägte Besonderheiten"

# Grammatical gender of common heads of German indicator names, for "hoher/hohe/hohes …".
_GENDER_BY_SUFFIX = {
    "quotient": "m",
    "anteil": "m",
    "index": "m",
    "saldo": "m",
    "wert": "m",
    "bestand": "m",
    "koeffizient": "m",
    "quote": "f",
    "rate": "f",
    "dichte": "f",
    "zahl": "f",
    "ziffer": "f",
    "kraft": "f",
    "last": "f",
    "dauer": "f",
    "miete": "f",
    "fläche": "f",
    "größe": "f",
    "ung": "f",
    "heit": "f",
    "keit": "f",
    "schaft": "f",
    "ion": "f",
    "tät": "f",
    "einkommen": "n",
    "alter": "n",
    "niveau": "n",
    "volumen": "n",
    "verhältnis": "n",
}
_ENDING = {"m": "er", "f": "e", "n": "es"}


@dataclass(frozen=True)
class TypologyResult:
    """A typology of ``n`` areas on ``m`` indicators.

    Per-type sequences (``profiles`` rows, ``sizes``, ``descriptions``, ``type_names``) are in
    type order: position 0 is type 1.

    Attributes
    ----------
    labels
        Shape ``(n,)``: each area's type, 1 … ``k``; type 1 has the most need.
    k, method
        Number of types and the clustering method (``"ward"`` or ``"kmeans"``).
    profiles
        ``k × m``, index ``Typ`` 1 … ``k``: the mean z-score of each indicator in each type.
    sizes
        Shape ``(k,)``: number of areas per type.
    silhouette
        Mean silhouette width of the chosen solution, in [-1, 1].
    stability
        Mean adjusted Rand index between the full-data types and bootstrap re-clusterings, at
        most 1; NaN when ``bootstrap=0``.
    candidates
        Index ``k`` (every number of types tried), columns ``silhouette``, ``stability`` and
        ``within_ss`` (within-type sum of squared z-score distances to the type mean).
    descriptions
        German description of each type from :func:`describe_type`.
    type_names
        Short German name of each type from :func:`type_name`, e.g. ``"Typ 2: hoher
        Altenquotient"``.
    imputed
        Indicator → number of areas whose missing value was replaced by the indicator's mean;
        only indicators with missing values appear.
    """

    labels: np.ndarray
    k: int
    method: str
    profiles: pd.DataFrame
    sizes: np.ndarray
    silhouette: float
    stability: float
    candidates: pd.DataFrame
    descriptions: list[str]
    type_names: list[str]
    imputed: dict[str, int]


def typology(
    X: ArrayLike,
    names: Sequence[str],
    polarity: Sequence[int],
    *,
    method: Literal["ward", "kmeans"] = "ward",
    k: int | None = None,
    k_range: Sequence[int] = range(2, 8),
    seed: int = 2016,
    bootstrap: int = 50,
) -> TypologyResult:
    """Cluster areas by their standardised indicator profile into ``k`` described types.

    Parameters
    ----------
    X
        Shape ``(n, m)``: one row per area, one column per indicator. Missing values (NaN) are
        replaced by the indicator's mean, i.e. a z-score of 0, and counted in ``imputed``.
    names
        The ``m`` indicator names, as they should appear in the German descriptions.
    polarity
        Per indicator: ``+1`` higher is better (Kaufkraft), ``-1`` higher is worse
        (SGB-II-Quote), ``0`` neutral (Altenquotient). Orders the types by need.
    method
        ``"ward"``: agglomerative clustering minimising the within-type sum of squares at each
        merge (Ward 1963, "Hierarchical grouping to optimize an objective function", *JASA*
        58, 236–244); ``"kmeans"``: Lloyd's k-means with k-means++ starts (Arthur &
        Vassilvitskii 2007), best of 10, seeded with ``seed``.
    k
        Number of types; ``None`` chooses among ``k_range`` (values outside 2 … n − 1 and above
        the number of distinct profiles are skipped).
    seed
        Seeds the bootstrap resamples and k-means, so equal inputs give equal results.
    bootstrap
        Number of resamples for the stability of each ``k``; 0 skips the stability check.

    Returns
    -------
    TypologyResult

    Notes
    -----
    Columns are standardised to z-scores with ``ddof=1``; a constant indicator gets z = 0 and
    so does not influence the types.

    For each ``k`` the mean silhouette width (Rousseeuw 1987, "Silhouettes: a graphical aid to
    the interpretation and validation of cluster analysis", *J. Comput. Appl. Math.* 20,
    53–65) and a bootstrap stability are computed. Stability follows the resampling scheme of
    Hennig (2007, "Cluster-wise assessment of cluster stability", *Comput. Stat. Data Anal.*
    52, 258–271): draw ``n`` areas with replacement, keep each drawn area once (as ``fpc::
    clusterboot`` does by default), recluster them with the same ``k``, and compare with the
    full-data types of the same areas. Hennig scores each cluster by its best Jaccard
    similarity; this simpler variant scores the whole partition by the adjusted Rand index
    (Hubert & Arabie 1985, "Comparing partitions", *J. Classif.* 2, 193–218) and averages
    over resamples, as in stability-based choices of ``k`` (Ben-Hur, Elisseeff & Guyon 2002).

    The chosen ``k`` has the highest silhouette among those with stability ≥ 0.6
    (:data:`MIN_STABILITY`, a convention of this module, not Hennig's Jaccard threshold); if
    none is that stable, the highest silhouette overall. Ties go to the smaller ``k``.

    Types are numbered by need, the mean over non-neutral indicators of ``-polarity × z``
    (type 1 = highest); equal need is broken by the profile, column by column, then by size.
    """
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}; use one of {', '.join(METHODS)}")
    names, polarity = _check_indicators(X, names, polarity)
    z, imputed = _standardise(np.asarray(X, dtype=float), names)
    n = len(z)
    distinct = len(np.unique(z, axis=0))
    if n < 3:
        raise ValueError(f"A typology needs at least 3 areas, got {n}")
    if distinct < 2:
        raise ValueError(f"All {n} areas have the same profile; there is nothing to group")
    tried = _numbers_of_types(k, k_range, n, distinct)

    resamples = np.random.default_rng(seed).integers(0, n, size=(bootstrap, n))
    labels_by_k = {}
    rows = []
    for c in tried:
        labels = _cluster(z, c, method, seed)
        labels_by_k[c] = labels
        rows.append(
            {
                "k": c,
                "silhouette": float(silhouette_score(z, labels)),
                "stability": _stability(z, labels, c, method, seed, resamples),
                "within_ss": _within_ss(z, labels),
            }
        )
    candidates = pd.DataFrame(rows).set_index("k")
    chosen = tried[0] if k is not None else _choose_k(candidates)

    labels, profiles = _number_by_need(z, labels_by_k[chosen], names, polarity)
    orientation = dict(zip(names, polarity, strict=True))
    numbers = profiles.index.tolist()
    return TypologyResult(
        labels=labels,
        k=chosen,
        method=method,
        profiles=profiles,
        sizes=np.bincount(labels, minlength=chosen + 1)[1:],
        silhouette=float(candidates.at[chosen, "silhouette"]),
        stability=float(candidates.at[chosen, "stability"]),
        candidates=candidates,
        descriptions=[describe_type(profiles.loc[t], orientation) for t in numbers],
        type_names=[type_name(t, profiles.loc[t]) for t in numbers],
        imputed=imputed,
    )


def describe_type(profile: pd.Series, polarity: Mapping[str, int], threshold: float = 0.5) -> str:
    """German description of a type from its mean z-scores, strongest departure first.

    Names at most four indicators with ``|z| ≥ threshold``: "deutlich über dem Durchschnitt"
    from z ≥ 1, "über dem Durchschnitt" from ``threshold`` (and "unter …" likewise). When the
    mean of ``-polarity × z`` over the non-neutral indicators reaches ``±threshold``, the
    overall situation is added ("insgesamt eher belastete/günstige Lage").

    Example: ``"Altenquotient deutlich über dem Durchschnitt, SGB-II-Quote unter dem
    Durchschnitt; insgesamt eher günstige Lage"``. Without any departure:
    :data:`AVERAGE_PROFILE`.
    """
    notable = _notable(profile, threshold)
    if notable.empty:
        return AVERAGE_PROFILE
    text = ", ".join(f"{name} {_level(z)}" for name, z in notable.head(MAX_FEATURES).items())
    oriented = [-polarity.get(name, 0) * z for name, z in profile.items() if polarity.get(name)]
    need = float(np.mean(oriented)) if oriented else 0.0
    if need >= threshold:
        return f"{text}; insgesamt eher belastete Lage"
    if need <= -threshold:
        return f"{text}; insgesamt eher günstige Lage"
    return text


def type_name(number: int, profile: pd.Series, threshold: float = 0.5) -> str:
    """Short name from the strongest departure, e.g. ``"Typ 2: hoher Altenquotient"``.

    Adjectives are declined for names whose gender the ending tells ("…quote", "…quotient",
    "…einkommen"); other names get the undeclined form after the name ("Typ 3: Anteil der
    Hochbetagten sehr hoch"). "sehr" marks ``|z| ≥ 1``.
    """
    notable = _notable(profile, threshold)
    if notable.empty:
        return f"Typ {number}: durchschnittliches Profil"
    name, z = next(iter(notable.items()))
    adjective = ("sehr " if abs(z) >= 1 else "") + ("hoch" if z > 0 else "niedrig")
    gender = _gender(name)
    if gender is None:
        return f"Typ {number}: {name} {adjective}"
    stem = adjective.replace("hoch", "hoh")
    return f"Typ {number}: {stem}{_ENDING[gender]} {name}"


def _check_indicators(
    X: ArrayLike, names: Sequence[str], polarity: Sequence[int]
) -> tuple[list[str], list[int]]:
    shape = np.shape(X)
    names, polarity = list(names), [int(p) for p in polarity]
    if len(shape) != 2:
        raise ValueError(f"Indicators of shape {shape} are not a matrix of areas × indicators")
    if not len(names) == len(polarity) == shape[1]:
        raise ValueError(
            f"{shape[1]} indicators, {len(names)} names and {len(polarity)} polarities given: "
            "need one name and one polarity per column"
        )
    if len(set(names)) < len(names):
        duplicates = sorted({name for name in names if names.count(name) > 1})
        raise ValueError(f"Indicator names must be unique; repeated: {', '.join(duplicates)}")
    if any(p not in (-1, 0, 1) for p in polarity):
        raise ValueError(f"Polarity must be +1, -1 or 0 per indicator, got {polarity}")
    return names, polarity


def _standardise(values: np.ndarray, names: list[str]) -> tuple[np.ndarray, dict[str, int]]:
    """Z-scores (ddof=1) with missing values at the column mean; constant columns become 0."""
    if np.isinf(values).any():
        raise ValueError("Indicators must be finite; replace infinite values (a rate over 0?)")
    missing = np.isnan(values)
    empty = [name for name, col in zip(names, missing.T, strict=True) if col.all()]
    if empty:
        raise ValueError(f"No area has a value for: {', '.join(empty)}")
    means = np.nanmean(values, axis=0)
    filled = np.where(missing, means, values)
    spread = filled.std(axis=0, ddof=1) if len(filled) > 1 else np.zeros(filled.shape[1])
    z = np.divide(filled - means, spread, out=np.zeros_like(filled), where=spread > 0)
    counts = missing.sum(axis=0)
    return z, {name: int(c) for name, c in zip(names, counts, strict=True) if c}


def _numbers_of_types(k: int | None, k_range: Sequence[int], n: int, distinct: int) -> list[int]:
    if k is not None:
        if not 2 <= k < n:
            raise ValueError(f"k = {k} types for {n} areas: need 2 ≤ k ≤ {n - 1}")
        if k > distinct:
            raise ValueError(f"k = {k} types but only {distinct} distinct area profiles")
        return [k]
    tried = sorted({int(c) for c in k_range if 2 <= c < n and c <= distinct})
    if not tried:
        raise ValueError(
            f"No k in {list(k_range)} fits {n} areas with {distinct} distinct profiles: "
            f"need 2 ≤ k ≤ {min(n - 1, distinct)}"
        )
    return tried


def _cluster(z: np.ndarray, k: int, method: str, seed: int) -> np.ndarray:
    if method == "ward":
        return AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(z)
    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(z)


def _stability(
    z: np.ndarray, labels: np.ndarray, k: int, method: str, seed: int, resamples: np.ndarray
) -> float:
    """Mean ARI of re-clustered resamples against the full-data labels; see typology()."""
    scores = []
    for draw in resamples:
        areas = np.unique(draw)
        sample = z[areas]
        if len(np.unique(sample, axis=0)) < k:  # too few distinct areas drawn for k types
            continue
        scores.append(adjusted_rand_score(labels[areas], _cluster(sample, k, method, seed)))
    return float(np.mean(scores)) if scores else float("nan")


def _within_ss(z: np.ndarray, labels: np.ndarray) -> float:
    return float(
        sum(((z[labels == c] - z[labels == c].mean(axis=0)) ** 2).sum() for c in set(labels))
    )


def _choose_k(candidates: pd.DataFrame) -> int:
    stable = candidates[candidates["stability"] >= MIN_STABILITY]
    pool = stable if not stable.empty else candidates
    return int(pool["silhouette"].idxmax())  # idxmax takes the first, i.e. the smaller k


def _number_by_need(
    z: np.ndarray, clusters: np.ndarray, names: list[str], polarity: list[int]
) -> tuple[np.ndarray, pd.DataFrame]:
    """Renumber clusters 1 … k by descending need; return the labels and the type profiles."""
    ids = np.unique(clusters)
    means = np.array([z[clusters == c].mean(axis=0) for c in ids])
    sizes = np.array([(clusters == c).sum() for c in ids])
    signs = -np.asarray(polarity, dtype=float)
    oriented = means[:, signs != 0] * signs[signs != 0]
    need = oriented.mean(axis=1) if oriented.size else np.zeros(len(ids))
    # Rounded so that float noise from a different summation order cannot swap equal needs.
    keys = [-sizes, *(-np.round(means, 9).T[::-1]), -np.round(need, 9)]
    order = np.lexsort(keys)
    number_of = np.empty(len(ids), dtype=int)
    number_of[order] = np.arange(1, len(ids) + 1)
    labels = number_of[np.searchsorted(ids, clusters)]
    profiles = pd.DataFrame(
        means[order], index=pd.RangeIndex(1, len(ids) + 1, name="Typ"), columns=names
    )
    return labels, profiles


def _notable(profile: pd.Series, threshold: float) -> pd.Series:
    """The indicators with ``|z| ≥ threshold``, strongest first (ties in the given order)."""
    notable = profile[profile.abs() >= threshold]
    return notable.iloc[np.argsort(-notable.abs().to_numpy(), kind="stable")]


def _level(z: float) -> str:
    side = "über" if z > 0 else "unter"
    return f"{'deutlich ' if abs(z) >= 1 else ''}{side} dem Durchschnitt"


def _gender(name: str) -> str | None:
    """Gender of a one-word (possibly hyphenated) name from its ending, None if unsure."""
    if any(ch.isspace() for ch in name):
        return None
    head = name.rsplit("-", 1)[-1].lower()
    for suffix, gender in _GENDER_BY_SUFFIX.items():
        if head.endswith(suffix):
            return gender
    return None
