"""Seeded example figures (Beispieldaten) for the monitoring variables that public data lack.

Public sources give the demo county's real municipal population totals and, for 2009–2015, its
real registered unemployed, but no municipal age groups, SGB II benefit counts, basic income in
old age, family households or people in need of care. ``generate_examples`` fills these with
plausible *invented* counts that agree with the real totals, so every indicator of the catalogue
can be shown in the demo. They are example data, not official statistics: import them with
``is_example = true`` and ``EXAMPLE_NOTE`` as attribution, so the product labels them.

Method
------
1. **Character per municipality.** Each municipality key gets a fixed set of standard normal
   deviates from ``numpy.random.default_rng((seed, key))``: how old or young, how poor, how
   care-dependent it is compared with the county. A municipality keeps its character over the
   years; each (key, year) adds a small deviation from ``default_rng((seed, key, year))``, and a
   per-key trend lets places age slightly faster or slower (about ±5 % over twelve years).
   Seeding per key makes the result independent of the order of the input rows.
2. **Shares around a county profile.** A municipal share is the county reference value of that
   year (``REFERENCE``, linearly interpolated between the reference years) times
   ``exp(sigma * z)``. Within each reference date the shares are then rescaled so that the
   population-weighted county mean equals the reference, and finally clipped to ``BANDS``.
3. **Counts.** ``round(share × real population)``, with the identities of the catalogue kept
   exactly: under 15 and 15–19 are rounded separately and give under 20; 65+ is rounded;
   20–64 — always the largest group — takes the rest, so under 20 + 20–64 + 65+ equals the real
   population; 15–64 = 20–64 + 15–19; 80+ is a share of the 65+ count, so 80+ ≤ 65+. Every
   sub-group is a rounded share of its own group, and children in SGB II households never
   exceed the SGB II beneficiaries (they are counted among them as Sozialgeld recipients).
   Small municipalities get small counts (0, 1, 2): realistic, and disclosure control's job.

Reference values (county level; all but the 65+ share are rounded orders of magnitude, not
official figures for the county):

=================================  ===============  ============================================
quantity                           2009 → 2021      source of the order of magnitude
=================================  ===============  ============================================
65+ of population                  23.7 → 28.1 %    **real**: INKAR (BBSR), ``a_bev65um`` for
                                                    16075 (``data/inkar_kreise_…csv``)
80+ of population                  5.8 → 7.9 %      Destatis Regionalstatistik 12411 / TLS
                                                    Bevölkerungsfortschreibung, Thuringia
under 15 of population             11.2 → 12.3 %    same; low after the birth slump of the 1990s
15–19 of population                3.6, 3.0 (2011)  same; the 1991–1995 cohorts were under half
                                   → 4.0 %          the size of those before 1990
20–64 of population                61.5 → 55.6 %    the rest
SGB II beneficiaries under 65      10.5 → 6.6 %     BA Statistik, SGB-II-Quoten nach Kreisen
of the under-65 population                          (Thuringian rural counties)
children under 15 in SGB II        × 1.6 of the     BA Statistik: child SGB II rates are about
households                         rate above       1.5–1.8 times the overall rate
basic income (SGB XII, 4. Kap.)    1.0 → 1.7 %      Destatis, Grundsicherungsstatistik: eastern
of 65+                                              rates well below the German 3 %
households with children under 18  under-18 / 1.6   Mikrozensus: about 1.6 minors per household
                                                    with minors; under 18 ≈ under 15 + 3/5 of
                                                    15–19
single parents of those households 21.5 %           Mikrozensus, eastern Germany 20–25 %
people in need of care of 65+      12.5 → 19.5 %    TLS / Destatis Pflegestatistik; the step
                                                    after 2017 follows the new Pflegegrade
=================================  ===============  ============================================

**SGB II and real unemployment.** Where ``sgb2_unemployed`` gives a municipality's real SGB II
unemployed for the year of a reference date, the municipal SGB II rate follows them through the
monotone link ``((u + c) / (ū + c)) ** 0.7``: ``u`` is SGB II unemployed per inhabitant, ``ū`` the
same for all given municipalities of that year, ``c = ū / 4`` keeps places with no unemployed
above zero. Years without data use the key's mean link over the years it has; keys without any
data draw their level at random. Basic income in old age, single parents and (through the SGB II
rate) poor children follow the same poverty level more weakly; care need rises with the share of
the very old among the 65+ (elasticity 0.8).
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pandas as pd

EXAMPLE_NOTE = (
    "Beispieldaten: mit festem Startwert erzeugt aus den echten Einwohnerzahlen, "
    "keine amtlichen Zahlen (sozialplanung.demo.examples)"
)
DEFAULT_SEED = 2016
VARIABLE_CODES = (
    "population_under_20",
    "population_20_64",
    "population_65_plus",
    "population_80_plus",
    "population_15_64",
    "population_under_15",
    "sgb2_beneficiaries_under_65",
    "sgb2_children_under_15",
    "basic_income_65_plus",
    "single_parent_households",
    "households_with_children",
    "people_in_need_of_care",
)
COLUMNS = ("ags", "stand", *VARIABLE_CODES)

REFERENCE_YEARS = (2009, 2011, 2014, 2016, 2019, 2021)
# County shares per reference year (see the table in the module docstring).
REFERENCE = {
    "under_15": (0.112, 0.114, 0.118, 0.120, 0.123, 0.123),  # of the population
    "aged_15_19": (0.036, 0.030, 0.030, 0.033, 0.037, 0.040),  # of the population
    "65_plus": (0.2369, 0.2388, 0.2467, 0.2554, 0.2725, 0.2812),  # of the population (INKAR)
    "80_plus": (0.058, 0.060, 0.064, 0.067, 0.074, 0.079),  # of the population
    "sgb2": (0.105, 0.095, 0.088, 0.083, 0.070, 0.066),  # of the under-65 population
    "basic_income": (0.010, 0.011, 0.012, 0.013, 0.015, 0.017),  # of 65+
    "care": (0.125, 0.130, 0.140, 0.150, 0.180, 0.195),  # of 65+
}
CHILD_SGB2_FACTOR = 1.6  # child SGB II rate ÷ overall SGB II rate
MINORS_PER_FAMILY = 1.6  # minors per household with minors
SINGLE_PARENT_SHARE = 0.215  # of households with minors
UNEMPLOYMENT_ELASTICITY = 0.7
CARE_ELASTICITY = 0.8  # care rate against the 80+ share of the 65+

# Municipal values are clipped to these bands: (low, high) of the named denominator.
BANDS = {
    "under_15": (0.07, 0.18),  # of the population
    "aged_15_19": (0.015, 0.07),  # of the population
    "65_plus": (0.15, 0.42),  # of the population
    "80_of_65": (0.15, 0.45),  # 80+ of 65+
    "sgb2": (0.03, 0.20),  # SGB II beneficiaries of the under-65 population
    "child_sgb2": (0.04, 0.32),  # children in SGB II households of under 15
    "basic_income": (0.003, 0.05),  # of 65+
    "minors_per_family": (1.4, 1.8),  # under-18 proxy ÷ households with children
    "single_parent": (0.18, 0.25),  # of households with children
    "care": (0.10, 0.28),  # of 65+
}

_CHARACTER = (
    "old",
    "young",
    "old_trend",
    "young_trend",
    "very_old",
    "poverty",
    "child_poverty",
    "basic_income",
    "care",
    "family_size",
    "single_parent",
)
_YEARLY = ("old", "young", "teen", "very_old", "poverty")


def generate_examples(
    population: pd.DataFrame,
    seed: int = DEFAULT_SEED,
    sgb2_unemployed: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Example counts for ``VARIABLE_CODES`` per municipality and date, consistent with the totals.

    ``population`` needs ``stand``, ``ags`` and ``bevoelkerung`` (real totals, one row per
    municipality and date); ``sgb2_unemployed`` optionally ``year``, ``key`` and ``sgb2_total``.
    Returns one row per input row, sorted by ``stand`` and ``ags``, with the columns ``COLUMNS``:
    ``ags`` and ISO ``stand`` as text, integer counts. The same input and seed give the same
    frame; dates outside 2009–2021 use the nearest reference year's profile.
    """
    rows = _prepare(population)
    if rows.empty:
        return pd.DataFrame({column: pd.Series(dtype=_dtype(column)) for column in COLUMNS})
    keys = rows["ags"].to_numpy()
    years = rows["year"].to_numpy()
    people = rows["bevoelkerung"].to_numpy()
    char = _draws(keys, None, seed, _CHARACTER)
    yearly = _draws(keys, years, seed, _YEARLY)
    ref = {name: np.interp(years, REFERENCE_YEARS, values) for name, values in REFERENCE.items()}
    stands = rows["stand"].to_numpy()
    age, ageing = _age_groups(people, stands, years, ref, char, yearly)
    poverty = _poverty_level(rows, sgb2_unemployed, char, yearly)
    counts = age | _social_counts(age, ageing, stands, ref, poverty, char)
    frame = pd.DataFrame({"ags": rows["ags"], "stand": rows["stand"]})
    for code in VARIABLE_CODES:
        frame[code] = counts[code].astype(np.int64)
    return frame.reset_index(drop=True)


def write_examples(frame: pd.DataFrame, path: Path | str) -> None:
    """Write the examples as the wide CSV that the monitoring import reads.

    Comma-separated, UTF-8, header ``COLUMNS``; raises ValueError if the frame lacks a column.
    """
    missing = [column for column in COLUMNS if column not in frame.columns]
    if missing:
        raise ValueError(f"Beispieldaten ohne Spalten: {', '.join(missing)}")
    frame.loc[:, list(COLUMNS)].to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


# --- input ------------------------------------------------------------------------------------


def _dtype(column: str) -> str:
    return "str" if column in ("ags", "stand") else "int64"


def _prepare(population: pd.DataFrame) -> pd.DataFrame:
    """Checked rows with text keys, ISO dates, the year and integer populations, sorted."""
    missing = {"stand", "ags", "bevoelkerung"} - set(population.columns)
    if missing:
        raise ValueError(f"Bevölkerungstabelle ohne Spalten: {', '.join(sorted(missing))}")
    stand = pd.to_datetime(population["stand"].astype(str), format="ISO8601")
    people = pd.to_numeric(population["bevoelkerung"], errors="coerce")
    rows = pd.DataFrame(
        {
            "ags": population["ags"].astype(str).str.strip().to_numpy(),
            "stand": stand.dt.strftime("%Y-%m-%d").to_numpy(),
            "year": stand.dt.year.to_numpy(),
            "bevoelkerung": people.to_numpy(),
        }
    )
    fractional = rows["bevoelkerung"].notna() & (rows["bevoelkerung"] % 1 != 0)
    bad = rows[rows["bevoelkerung"].isna() | (rows["bevoelkerung"] < 0) | fractional]
    if not bad.empty:
        listed = ", ".join(
            f"{r.ags} ({r.stand}): {r.bevoelkerung}" for r in bad.head(5).itertuples()
        )
        raise ValueError(f"Einwohnerzahl muss eine ganze Zahl ≥ 0 sein: {listed}")
    twice = rows[rows.duplicated(["ags", "stand"], keep=False)]
    if not twice.empty:
        listed = ", ".join(sorted({f"{r.ags} ({r.stand})" for r in twice.itertuples()})[:5])
        raise ValueError(f"Gemeinde und Stichtag mehrfach: {listed}")
    rows["bevoelkerung"] = rows["bevoelkerung"].astype(np.int64)
    return rows.sort_values(["stand", "ags"], kind="stable").reset_index(drop=True)


def _draws(keys, years, seed: int, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Standard normals per row, from a generator seeded by (seed, key[, year])."""
    values = np.empty((len(keys), len(names)))
    cache: dict[tuple[int, ...], np.ndarray] = {}
    for i, key in enumerate(keys):
        entropy = (seed, zlib.crc32(str(key).encode()))
        if years is not None:
            entropy += (int(years[i]),)
        if entropy not in cache:
            cache[entropy] = np.random.default_rng(entropy).standard_normal(len(names))
        values[i] = cache[entropy]
    return {name: values[:, j] for j, name in enumerate(names)}


# --- age groups -------------------------------------------------------------------------------


def _calibrate(share, weight, stands, target) -> np.ndarray:
    """Rescale shares per date so that their weighted mean is the county reference."""
    share = share.copy()
    for stand in np.unique(stands):
        at = stands == stand
        total = np.sum(share[at] * weight[at])
        if total > 0:
            share[at] *= target[at][0] * np.sum(weight[at]) / total
    return share


def _banded(share, band: str) -> np.ndarray:
    return np.clip(share, *BANDS[band])


def _age_groups(people, stands, years, ref, char, yearly) -> tuple[dict, np.ndarray]:
    """Age-group counts adding up to the real population, and the 80+ share of the 65+.

    The share comes back relative to the county's reference, as the care rate depends on it.
    """
    elapsed = years - REFERENCE_YEARS[0]
    old = char["old"]
    young = -0.5 * old + np.sqrt(0.75) * char["young"]  # older places have fewer children
    raw = {
        "65_plus": ref["65_plus"]
        * np.exp(0.10 * old + 0.004 * char["old_trend"] * elapsed + 0.02 * yearly["old"]),
        "under_15": ref["under_15"]
        * np.exp(0.12 * young + 0.004 * char["young_trend"] * elapsed + 0.03 * yearly["young"]),
        "aged_15_19": ref["aged_15_19"] * np.exp(0.12 * young + 0.05 * yearly["teen"]),
    }
    share = {
        name: _banded(_calibrate(value, people, stands, ref[name]), name)
        for name, value in raw.items()
    }
    very_old = ref["80_plus"] / ref["65_plus"] * np.exp(0.10 * char["very_old"])
    very_old *= np.exp(0.03 * yearly["very_old"])
    very_old = _calibrate(
        very_old, share["65_plus"] * people, stands, ref["80_plus"] / ref["65_plus"]
    )
    share["80_of_65"] = _banded(very_old, "80_of_65")

    under_15 = np.minimum(np.rint(share["under_15"] * people), people)
    aged_15_19 = np.minimum(np.rint(share["aged_15_19"] * people), people - under_15)
    under_20 = under_15 + aged_15_19
    over_65 = np.minimum(np.rint(share["65_plus"] * people), people - under_20)
    aged_20_64 = people - under_20 - over_65
    counts = {
        "population_under_20": under_20,
        "population_20_64": aged_20_64,
        "population_65_plus": over_65,
        "population_80_plus": np.rint(share["80_of_65"] * over_65),
        "population_15_64": aged_20_64 + aged_15_19,
        "population_under_15": under_15,
    }
    return counts, share["80_of_65"] / (ref["80_plus"] / ref["65_plus"])


# --- social counts ----------------------------------------------------------------------------


def _poverty_level(rows, sgb2_unemployed, char, yearly) -> np.ndarray:
    """Log factor of each row's SGB II rate against the county (module docstring)."""
    link = np.full(len(rows), np.nan)
    if sgb2_unemployed is not None and not sgb2_unemployed.empty:
        link = _unemployment_link(rows, sgb2_unemployed)
    known = ~np.isnan(link)
    level = np.where(known, np.nan_to_num(link) + 0.10 * char["poverty"], 0.35 * char["poverty"])
    return level + 0.03 * yearly["poverty"]


def _unemployment_link(rows, sgb2_unemployed: pd.DataFrame) -> np.ndarray:
    """``0.7 · log((u + c) / (ū + c))`` per row; the key's mean where its year is missing."""
    missing = {"year", "key", "sgb2_total"} - set(sgb2_unemployed.columns)
    if missing:
        raise ValueError(f"Arbeitslosentabelle ohne Spalten: {', '.join(sorted(missing))}")
    unemployed = pd.DataFrame(
        {
            "year": pd.to_numeric(sgb2_unemployed["year"]).astype(np.int64),
            "ags": sgb2_unemployed["key"].astype(str).str.strip(),
            "sgb2_total": pd.to_numeric(sgb2_unemployed["sgb2_total"], errors="coerce"),
        }
    ).dropna()
    twice = unemployed[unemployed.duplicated(["year", "ags"])]
    if not twice.empty:
        listed = ", ".join(f"{r.ags} ({r.year})" for r in twice.head(5).itertuples())
        raise ValueError(f"Arbeitslose je Gemeinde und Jahr mehrfach: {listed}")
    matched = rows.merge(unemployed, on=["year", "ags"], how="inner")
    matched = matched[matched["bevoelkerung"] > 0]
    totals = matched.groupby("year")[["sgb2_total", "bevoelkerung"]].transform("sum")
    county = totals["sgb2_total"] / totals["bevoelkerung"]
    offset = county / 4
    rate = matched["sgb2_total"] / matched["bevoelkerung"]
    matched["link"] = UNEMPLOYMENT_ELASTICITY * np.log((rate + offset) / (county + offset))
    matched = matched[np.isfinite(matched["link"])]
    by_year = rows.merge(matched[["year", "ags", "link"]], on=["year", "ags"], how="left")["link"]
    by_key = rows["ags"].map(matched.groupby("ags")["link"].mean())
    return by_year.fillna(by_key).to_numpy(dtype=float)


def _social_counts(age, ageing, stands, ref, poverty, char) -> dict[str, np.ndarray]:
    """SGB II, basic income, family and care counts as shares of their age groups."""
    under_65 = age["population_under_20"] + age["population_20_64"]
    over_65 = age["population_65_plus"]
    under_15 = age["population_under_15"]
    sgb2 = _calibrate(ref["sgb2"] * np.exp(poverty), under_65, stands, ref["sgb2"])
    sgb2 = _banded(sgb2, "sgb2")
    child = CHILD_SGB2_FACTOR * sgb2 * np.exp(0.08 * char["child_poverty"])
    child = _banded(child, "child_sgb2")
    relative_poverty = np.log(sgb2 / ref["sgb2"])
    basic = ref["basic_income"] * np.exp(0.3 * relative_poverty + 0.15 * char["basic_income"])
    basic = _banded(_calibrate(basic, over_65, stands, ref["basic_income"]), "basic_income")
    care = ref["care"] * ageing**CARE_ELASTICITY * np.exp(0.08 * char["care"])
    care = _banded(_calibrate(care, over_65, stands, ref["care"]), "care")
    minors = MINORS_PER_FAMILY * np.exp(0.04 * char["family_size"])
    minors = _banded(minors, "minors_per_family")
    single = SINGLE_PARENT_SHARE * np.exp(0.25 * relative_poverty + 0.06 * char["single_parent"])
    single = _banded(single, "single_parent")

    beneficiaries = np.rint(sgb2 * under_65)
    under_18 = under_15 + 0.6 * (age["population_under_20"] - under_15)
    families = np.rint(under_18 / minors)
    return {
        "sgb2_beneficiaries_under_65": beneficiaries,
        "sgb2_children_under_15": np.minimum(np.rint(child * under_15), beneficiaries),
        "basic_income_65_plus": np.rint(basic * over_65),
        "single_parent_households": np.rint(single * families),
        "households_with_children": families,
        "people_in_need_of_care": np.rint(care * over_65),
    }
