"""Published worked examples of the Human Development Index (HDI), recomputed step by step.

Two published calculations are checked number by number:

1. **Mozambique National Human Development Report 2000**, Technical Notes, "Illustration of the
   HDI methodology" (SARDC / Eduardo Mondlane University / UNDP, © UNDP 2000; online as
   http://www.sardc.net/HDev/MHDR2000/Eng/TechNotes/8.html). The HDI of that time, worked for
   Germany, China and Mozambique: goalposts life expectancy 25–85 years, adult literacy 0–100 %,
   combined gross enrolment 0–100 %, GDP per capita 100–40,000 PPP$ on a log scale; education
   index = (2 · literacy index + 1 · enrolment index) / 3; HDI = simple average of the three
   dimension indices. Every index is printed to 3 decimals. (The source's line for Mozambique's
   life expectancy index shows the numerator as "44.8", a copy of China's line; 42.3 - 25 = 17.3
   and its printed result 0.288 = 17.3/60 are what is checked.)
2. **UNDP Human Development Report 2020**, Technical notes, Technical note 1 (HDI), the worked
   example (as transcribed at https://pdf4pro.com/view/technical-notes-united-nations-
   development-programme-79ae81.html; it names the World Bank's 2020 WDI and 2017 PPP $):
   income index = (ln 3,829 - ln 100) / (ln 75,000 - ln 100) = 0.5506 and
   HDI = (0.6971 · 0.3447 · 0.5506)^(1/3) = 0.510. Only these lines of the example were found,
   so the life expectancy and education inputs of that example are not recomputed.

How our functions reproduce fixed goalposts: :func:`normalise` ``minmax`` scales by the data
range of each column, so the two goalposts are appended as two extra rows ("areas"); as long
as every real value lies within its goalposts, the column minimum and maximum then *are* the
goalposts. The log scale of income is applied to the column before normalising.

Direction: our normalisation points towards need (``o = -polarity · x``). Passing polarity -1
keeps the raw direction, so the min-max score is the HDI's achievement index × 100. With the
honest polarity +1 ("more life expectancy is better") the score is the shortfall
100 · (1 - index); as the old HDI is an arithmetic mean, the need index is then exactly
100 · (1 - HDI), which the third test checks through :func:`composite_index`.

The HDR 2020 HDI (geometric mean) is checked with :func:`aggregate` directly, not through
:func:`composite_index`: that function rescales each column to [1, 100] over the data range
before a geometric aggregation, and it aggregates need-oriented shortfalls, so it cannot return
the published HDI (see the report of this test module).
"""

import numpy as np
import pytest

from sozialplanung.analytics.composite import (
    IndexSettings,
    aggregate,
    composite_index,
    need_ranks,
    normalise,
)

# Mozambique NHDR 2000, Technical Notes p. 8: Germany, China, Mozambique.
# Columns: life expectancy (years), adult literacy (%), combined gross enrolment ratio (%),
# real GDP per capita (PPP$).
MHDR_2000_DATA = np.array(
    [
        [77.2, 99.0, 88.1, 21_260.0],
        [69.8, 82.9, 68.9, 3_130.0],
        [42.3, 39.5, 32.0, 740.0],
    ]
)
MHDR_2000_GOALPOSTS = np.array(
    [
        [25.0, 0.0, 0.0, 100.0],  # minimum
        [85.0, 100.0, 100.0, 40_000.0],  # maximum
    ]
)
# Published results, 3 decimals, one row per country.
PUBLISHED_LIFE_EXPECTANCY_INDEX = [0.870, 0.747, 0.288]
PUBLISHED_ADULT_LITERACY_INDEX = [0.990, 0.829, 0.395]
PUBLISHED_ENROLMENT_INDEX = [0.881, 0.689, 0.320]
PUBLISHED_GDP_INDEX = [0.895, 0.575, 0.334]
PUBLISHED_EDUCATION_INDEX = [0.954, 0.782, 0.370]
PUBLISHED_HDI_2000 = [0.906, 0.701, 0.331]
THREE_DECIMALS = 5e-4

ACHIEVEMENT = [-1, -1, -1, -1]  # keep the raw direction: score = achievement index × 100
BETTER_IS_HIGHER = [1, 1, 1, 1]  # the honest polarity: score = shortfall × 100


def _with_goalposts(data: np.ndarray, goalposts: np.ndarray) -> np.ndarray:
    """Append the goalpost rows and put income on the log scale (log10, as the source)."""
    assert (data >= goalposts[0]).all() and (data <= goalposts[1]).all()
    rows = np.vstack([data, goalposts])
    rows[:, 3] = np.log10(rows[:, 3])
    return rows


def _mhdr_2000_dimension_indices() -> np.ndarray:
    rows = _with_goalposts(MHDR_2000_DATA, MHDR_2000_GOALPOSTS)
    return normalise(rows, "minmax", ACHIEVEMENT)[:3] / 100


def test_minmax_over_goalpost_rows_gives_the_published_dimension_indices():
    """MHDR 2000: life expectancy 0.870/0.747/0.288, literacy 0.990/0.829/0.395, enrolment
    0.881/0.689/0.320, GDP (log) 0.895/0.575/0.334 for Germany/China/Mozambique."""
    indices = _mhdr_2000_dimension_indices()

    assert indices[:, 0] == pytest.approx(PUBLISHED_LIFE_EXPECTANCY_INDEX, abs=THREE_DECIMALS)
    assert indices[:, 1] == pytest.approx(PUBLISHED_ADULT_LITERACY_INDEX, abs=THREE_DECIMALS)
    assert indices[:, 2] == pytest.approx(PUBLISHED_ENROLMENT_INDEX, abs=THREE_DECIMALS)
    assert indices[:, 3] == pytest.approx(PUBLISHED_GDP_INDEX, abs=THREE_DECIMALS)


def test_weighted_arithmetic_aggregation_gives_the_published_education_index_and_hdi():
    """MHDR 2000: education = [2 · literacy + 1 · enrolment] / 3 = 0.954/0.782/0.370;
    HDI = (life expectancy + education + GDP) / 3 = 0.906/0.701/0.331."""
    indices = _mhdr_2000_dimension_indices()

    education = aggregate(indices[:, [1, 2]], [2, 1], "arithmetic")
    dimensions = np.column_stack([indices[:, 0], education, indices[:, 3]])
    hdi = aggregate(dimensions, [1, 1, 1], "arithmetic")

    assert education == pytest.approx(PUBLISHED_EDUCATION_INDEX, abs=THREE_DECIMALS)
    assert hdi == pytest.approx(PUBLISHED_HDI_2000, abs=THREE_DECIMALS)


def test_need_index_in_one_call_is_the_published_hdi_shortfall():
    """The old HDI is linear, so the two stages flatten to the weights 1/3, 2/9, 1/9, 1/3
    (ratio 3:2:1:3) and the need-oriented min-max index is 100 · (1 - HDI). Winsorising is off:
    it would move the goalpost rows. Mozambique has the highest need, Germany the lowest."""
    rows = _with_goalposts(MHDR_2000_DATA, MHDR_2000_GOALPOSTS)
    settings = IndexSettings(
        winsorise=False, normalisation="minmax", weights="expert", expert_weights=(3, 2, 1, 3)
    )

    result = composite_index(rows, BETTER_IS_HIGHER, settings)

    shortfall = 100 * (1 - np.array(PUBLISHED_HDI_2000))
    assert result.values[:3] == pytest.approx(shortfall, abs=100 * THREE_DECIMALS)
    assert result.values[3:].tolist() == pytest.approx([100, 0])  # the goalpost rows
    assert need_ranks(result.values[:3]).tolist() == [3, 2, 1]


def test_log_income_over_goalpost_rows_gives_the_hdr_2020_income_index():
    """HDR 2020, Technical note 1 example: (ln 3,829 - ln 100) / (ln 75,000 - ln 100) =
    0.5506 (4 decimals)."""
    rows = np.log([[3_829.0], [100.0], [75_000.0]])

    income_index = normalise(rows, "minmax", [-1])[0, 0] / 100

    assert income_index == pytest.approx(0.5506, abs=5e-5)


def test_geometric_aggregation_gives_the_hdr_2020_hdi():
    """HDR 2020, Technical note 1 example: HDI = (0.6971 · 0.3447 · 0.5506)^(1/3) = 0.510,
    the equally weighted geometric mean of the life expectancy, education and income indices."""
    dimension_indices = [[0.6971, 0.3447, 0.5506]]

    hdi = aggregate(dimension_indices, [1, 1, 1], "geometric")

    assert hdi[0] == pytest.approx(0.510, abs=THREE_DECIMALS)
