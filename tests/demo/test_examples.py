"""The seeded example figures: consistent with the real totals, plausible, reproducible."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sozialplanung
from sozialplanung.demo.examples import (
    BANDS,
    COLUMNS,
    EXAMPLE_NOTE,
    REFERENCE,
    REFERENCE_YEARS,
    VARIABLE_CODES,
    generate_examples,
    write_examples,
)
from sozialplanung.io.observation_files import read_observation_file

DATA = Path(sozialplanung.__file__).parent / "demo" / "data"


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    return pd.read_csv(DATA / "bevoelkerung_gv_2009_2021.csv")


@pytest.fixture(scope="module")
def unemployed() -> pd.DataFrame:
    return pd.read_csv(DATA / "arbeitslose_ba_2009_2015.csv")


@pytest.fixture(scope="module")
def examples(population, unemployed) -> pd.DataFrame:
    return generate_examples(population, sgb2_unemployed=unemployed)


@pytest.fixture(scope="module")
def with_totals(examples, population) -> pd.DataFrame:
    """The examples next to the real population of each row."""
    real = population.assign(ags=population["ags"].astype(str))[["ags", "stand", "bevoelkerung"]]
    return examples.merge(real, on=["ags", "stand"], validate="one_to_one")


def assert_identities(frame: pd.DataFrame, people: pd.Series) -> None:
    """The identities of the catalogue's age groups and sub-groups, row by row."""
    f = frame
    under_65 = f.population_under_20 + f.population_20_64
    aged_15_19 = f.population_under_20 - f.population_under_15
    assert (under_65 + f.population_65_plus == people).all()
    assert (f.population_15_64 == f.population_20_64 + aged_15_19).all()
    assert (f.population_under_15 <= f.population_under_20).all()
    assert (f.population_80_plus <= f.population_65_plus).all()
    assert (f.sgb2_beneficiaries_under_65 <= under_65).all()
    assert (f.sgb2_children_under_15 <= f.population_under_15).all()
    assert (f.sgb2_children_under_15 <= f.sgb2_beneficiaries_under_65).all()
    assert (f.basic_income_65_plus <= f.population_65_plus).all()
    assert (f.people_in_need_of_care <= f.population_65_plus).all()
    assert (f.households_with_children <= f.population_under_20).all()
    assert (f.single_parent_households <= f.households_with_children).all()
    for code in VARIABLE_CODES:
        assert f[code].dtype == np.int64, code
        assert (f[code] >= 0).all(), code


# --- shape and reproducibility ----------------------------------------------------------------


def test_it_gives_one_row_per_municipality_and_date(examples, population):
    assert list(examples.columns) == list(COLUMNS)
    expected = set(zip(population["ags"].astype(str), population["stand"], strict=True))
    assert set(zip(examples["ags"], examples["stand"], strict=True)) == expected
    assert len(examples) == len(population)


def test_the_same_seed_gives_identical_examples(population, unemployed, examples):
    again = generate_examples(population, seed=2016, sgb2_unemployed=unemployed)
    pd.testing.assert_frame_equal(again, examples)


def test_another_seed_changes_the_values(population, unemployed, examples):
    other = generate_examples(population, seed=7, sgb2_unemployed=unemployed)
    for code in ("population_65_plus", "sgb2_beneficiaries_under_65", "people_in_need_of_care"):
        changed = (other[code] != examples[code]).mean()
        assert changed > 0.5, code


def test_the_order_of_the_input_rows_does_not_matter(population, unemployed, examples):
    shuffled = population.sample(frac=1.0, random_state=1)
    pd.testing.assert_frame_equal(generate_examples(shuffled, sgb2_unemployed=unemployed), examples)


def test_it_accepts_dates_and_text_keys(population, examples):
    typed = population.assign(
        stand=pd.to_datetime(population["stand"]), ags=population["ags"].astype(str)
    )
    without_unemployment = generate_examples(population)
    pd.testing.assert_frame_equal(generate_examples(typed), without_unemployment)
    assert without_unemployment["stand"].tolist() == examples["stand"].tolist()


# --- consistency --------------------------------------------------------------------------------


def test_the_counts_keep_the_identities_of_the_real_population(with_totals):
    assert_identities(with_totals, with_totals["bevoelkerung"])


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        keys=st.tuples(
            st.sampled_from(["16075002", "16075046", "16075098", "16075136", "09162000"]),
            st.integers(2005, 2025),
        ),
        values=st.integers(0, 60_000),
        min_size=1,
        max_size=25,
    ),
    st.integers(0, 2**32 - 1),
)
def test_the_identities_hold_for_any_population(cells, seed):
    population = pd.DataFrame(
        [
            {"ags": ags, "stand": f"{year}-12-31", "bevoelkerung": n}
            for (ags, year), n in cells.items()
        ]
    )
    frame = generate_examples(population, seed=seed)
    people = frame.merge(population, on=["ags", "stand"])["bevoelkerung"]
    assert_identities(frame, people)


# --- plausibility -------------------------------------------------------------------------------


def within(count, denominator, band) -> bool:
    """Is a rounded share of its denominator inside the band (allowing the rounding)?"""
    low, high = band
    return bool(
        np.all(count >= low * denominator - 0.5 - 1e-9)
        and np.all(count <= high * denominator + 0.5 + 1e-9)
    )


def test_municipal_shares_lie_in_the_documented_bands(with_totals):
    f = with_totals
    people = f["bevoelkerung"]
    under_65 = f.population_under_20 + f.population_20_64
    aged_15_19 = f.population_under_20 - f.population_under_15
    under_18 = f.population_under_15 + 0.6 * aged_15_19
    assert within(f.population_under_15, people, BANDS["under_15"])
    assert within(aged_15_19, people, BANDS["aged_15_19"])
    assert within(f.population_65_plus, people, BANDS["65_plus"])
    assert within(f.population_80_plus, f.population_65_plus, BANDS["80_of_65"])
    assert within(f.sgb2_beneficiaries_under_65, under_65, BANDS["sgb2"])
    uncapped = f.sgb2_children_under_15 < f.sgb2_beneficiaries_under_65
    children = f.sgb2_children_under_15[uncapped]
    assert within(children, f.population_under_15[uncapped], BANDS["child_sgb2"])
    assert within(f.basic_income_65_plus, f.population_65_plus, BANDS["basic_income"])
    low, high = BANDS["minors_per_family"]
    assert within(f.households_with_children, under_18, (1 / high, 1 / low))
    assert within(f.single_parent_households, f.households_with_children, BANDS["single_parent"])
    assert within(f.people_in_need_of_care, f.population_65_plus, BANDS["care"])


COUNTY_BANDS = [  # the orders of magnitude of the module docstring, for the county as a whole
    ("population_under_15", "population", 0.10, 0.135),
    ("population_under_20", "population", 0.14, 0.175),
    ("population_20_64", "population", 0.55, 0.62),
    ("population_65_plus", "population", 0.23, 0.29),
    ("population_80_plus", "population", 0.055, 0.085),
    ("sgb2_beneficiaries_under_65", "under_65", 0.06, 0.12),
    ("sgb2_children_under_15", "population_under_15", 0.10, 0.20),
    ("basic_income_65_plus", "population_65_plus", 0.009, 0.03),  # small counts round down
    ("single_parent_households", "households_with_children", 0.18, 0.25),
    ("people_in_need_of_care", "population_65_plus", 0.12, 0.20),
]


@pytest.mark.parametrize(("code", "denominator", "low", "high"), COUNTY_BANDS)
def test_county_totals_follow_the_reference_profile(with_totals, code, denominator, low, high):
    totals = (
        with_totals.assign(
            population=with_totals["bevoelkerung"],
            under_65=with_totals.population_under_20 + with_totals.population_20_64,
        )
        .groupby("stand")[[code, denominator]]
        .sum()
    )
    share = totals[code] / totals[denominator]
    assert share.between(low, high).all(), share.round(4).to_dict()


def test_the_county_65_plus_share_is_the_real_inkar_value(with_totals):
    totals = with_totals.groupby("stand")[["population_65_plus", "bevoelkerung"]].sum()
    generated = (totals["population_65_plus"] / totals["bevoelkerung"]).to_numpy()
    inkar = pd.read_csv(DATA / "inkar_kreise_thueringen_1995_2022.csv")
    county = inkar[(inkar["county_code"] == 16075) & inkar["year"].isin(REFERENCE_YEARS)]
    real = county.sort_values("year")["share_65plus"].to_numpy() / 100
    np.testing.assert_allclose(REFERENCE["65_plus"], real, atol=1e-6)
    np.testing.assert_allclose(generated, real, atol=0.001)


def test_the_old_age_and_care_shares_rise_over_the_years(with_totals):
    totals = with_totals.groupby("stand")[
        ["population_65_plus", "population_80_plus", "people_in_need_of_care", "bevoelkerung"]
    ].sum()
    for share in (
        totals.population_65_plus / totals.bevoelkerung,
        totals.population_80_plus / totals.bevoelkerung,
        totals.people_in_need_of_care / totals.population_65_plus,
    ):
        assert share.is_monotonic_increasing


def relative_share(frame: pd.DataFrame, code: str) -> pd.DataFrame:
    """A municipality's share of the population against the county's, one column per date."""
    share = frame[code] / frame["bevoelkerung"]
    county = frame.groupby("stand")[code].transform("sum") / frame.groupby("stand")[
        "bevoelkerung"
    ].transform("sum")
    return frame.assign(relative=share / county).pivot(
        index="ags", columns="stand", values="relative"
    )


@pytest.mark.parametrize("code", ["population_65_plus", "population_under_15"])
def test_a_municipality_keeps_its_character_over_the_years(with_totals, code):
    sizeable = with_totals[with_totals["bevoelkerung"] >= 200]  # rounding blurs smaller ones
    relative = relative_share(sizeable, code).dropna()  # the 44 of them there on every date
    assert len(relative) >= 40
    first, last = relative.columns[0], relative.columns[-1]
    assert relative["2014-12-31"].corr(relative["2016-12-31"], method="spearman") > 0.85
    assert relative[first].corr(relative[last], method="spearman") > 0.7
    assert np.median(np.abs(np.log(relative[last] / relative[first]))) < 0.08


def test_sgb2_examples_follow_the_real_sgb2_unemployment(with_totals, unemployed):
    real = unemployed.assign(
        ags=unemployed["key"].astype(str), stand=unemployed["year"].astype(str)
    )
    rows = with_totals.assign(year=with_totals["stand"].str[:4])
    rows = rows.merge(real, left_on=["ags", "year"], right_on=["ags", "stand"], suffixes=("", "_"))
    rows = rows[rows["bevoelkerung"] >= 100]
    assert len(rows) > 190  # 2009, 2011 and 2014
    example_rate = rows.sgb2_beneficiaries_under_65 / (
        rows.population_under_20 + rows.population_20_64
    )
    real_rate = rows.sgb2_total / rows.bevoelkerung
    assert example_rate.corr(real_rate, method="spearman") > 0.8


def test_child_poverty_goes_with_sgb2_beneficiaries(with_totals):
    f = with_totals[with_totals["bevoelkerung"] >= 1000]
    beneficiaries = f.sgb2_beneficiaries_under_65 / (f.population_under_20 + f.population_20_64)
    children = f.sgb2_children_under_15 / f.population_under_15
    assert beneficiaries.corr(children, method="spearman") > 0.8


# --- the file -----------------------------------------------------------------------------------


def test_the_csv_round_trips_through_pandas(examples, tmp_path):
    path = tmp_path / "beispieldaten.csv"
    write_examples(examples, path)
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(COLUMNS)
    back = pd.read_csv(path, dtype={"ags": str, "stand": str})
    pd.testing.assert_frame_equal(back, examples, check_dtype=False)


def test_the_monitoring_import_reads_the_csv(examples, tmp_path):
    path = tmp_path / "beispieldaten.csv"
    write_examples(examples, path)
    read = read_observation_file(path)
    assert set(read.variables) == set(VARIABLE_CODES)
    assert len(read.rows) == len(examples) * len(VARIABLE_CODES)
    assert {row.period for row in read.rows} == set(examples["stand"])
    first = next(r for r in read.rows if r.variable == "population_65_plus")
    assert first.value == examples.loc[0, "population_65_plus"]


def test_the_note_labels_the_figures_as_example_data():
    assert EXAMPLE_NOTE.startswith("Beispieldaten")
    assert "keine amtlichen Zahlen" in EXAMPLE_NOTE


# --- errors -------------------------------------------------------------------------------------


def test_it_names_missing_population_columns():
    with pytest.raises(ValueError, match="bevoelkerung"):
        generate_examples(pd.DataFrame({"ags": ["16075002"], "stand": ["2021-12-31"]}))


@pytest.mark.parametrize("people", [-1, 2.5, None])
def test_it_rejects_an_impossible_population(people):
    frame = pd.DataFrame({"ags": ["16075002"], "stand": ["2021-12-31"], "bevoelkerung": [people]})
    with pytest.raises(ValueError, match="16075002"):
        generate_examples(frame)


def test_it_rejects_a_municipality_twice_on_one_date():
    frame = pd.DataFrame(
        {"ags": ["16075002"] * 2, "stand": ["2021-12-31"] * 2, "bevoelkerung": [100, 101]}
    )
    with pytest.raises(ValueError, match="mehrfach"):
        generate_examples(frame)


def test_writing_names_a_missing_column(examples, tmp_path):
    with pytest.raises(ValueError, match="people_in_need_of_care"):
        write_examples(examples.drop(columns="people_in_need_of_care"), tmp_path / "x.csv")


def test_an_empty_population_gives_an_empty_table():
    empty = pd.DataFrame({"ags": [], "stand": [], "bevoelkerung": []})
    assert list(generate_examples(empty).columns) == list(COLUMNS)
