"""Reading GENESIS flat files: the long "ffcsv" and the older wide layout with footer lines.

Fixtures in tests/io/data are real values of Regionalstatistik table 13211-02-05-4 laid out
as GENESIS exports (see the README there); inline tables use real values of the shared
Saale-Orla-Kreis files, or suppression marks where no number is needed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sozialplanung.io.genesis import detect_layout
from sozialplanung.io.observation_files import (
    Mapping,
    ObservationFileError,
    ObservationRow,
    VariableInfo,
    read_observation_file,
)

DATA = Path(__file__).parent / "data"
FFCSV = DATA / "13211-02-05-4_ffcsv.csv"
FLAT_WIDE = DATA / "13211-02-05-4_flat_wide.csv"

LONG_HEAD = (
    "statistics_code;statistics_label;time_code;time_label;time;"
    "1_variable_code;1_variable_label;1_variable_attribute_code;1_variable_attribute_label;"
    "value;value_unit;value_variable_code;value_variable_label"
)
WIDE_HEAD = (
    "Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;"
    "1_Merkmal_Code;1_Merkmal_Label;1_Auspraegung_Code;1_Auspraegung_Label"
)
POPULATION = "12411;Fortschreibung des Bevölkerungsstandes;STAG;Stichtag;31.12.2019"
POESSNECK = "GEMEIN;Gemeinden;16075085;Pößneck, Stadt"


def _write(tmp_path: Path, lines: list[str], name: str = "genesis.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(ObservationFileError) as info:
        read_observation_file(path)
    return [str(p) for p in info.value.problems]


def _unemployed(value: str, key: str = "16075", label: str = "Saale-Orla-Kreis") -> str:
    return (
        "13211;Arbeitsmarktstatistik der Bundesagentur für Arbeit;JAHR;Jahr;2009;"
        f"KREISE;Kreise und kreisfreie Städte;{key};{label};{value};Anzahl;ERWP06;Arbeitslose"
    )


# --- the long ffcsv layout --------------------------------------------------------------


def test_it_reads_the_long_flat_file_of_table_13211_02_05_4():
    table = read_observation_file(FFCSV)
    assert table.layout == "genesis-long"
    assert len(table.rows) == 2 * 5 * 4
    assert table.rows[0] == ObservationRow(2, "value", "16051", "2008", "ERWP06", 13646.0)
    assert table.areas["16075"] == "Saale-Orla-Kreis"
    assert table.areas["16051"] == "Erfurt, krsfr. Stadt"
    by_cell = {(r.area_key, r.period, r.variable): r for r in table.rows}
    assert by_cell["16075", "2009", "ERWP06"].value == 4698
    assert by_cell["16075", "2009", "ERWP10"].value == 9.7
    assert by_cell["16075", "2009", "ERWP10|GES=GESM"].value == 9.2
    assert by_cell["16075", "2009", "ERWP10|GES=GESW"].value == 10.2


def test_rates_by_sex_before_2009_are_suppressed_not_zero():
    table = read_observation_file(FFCSV)
    by_sex = [r for r in table.rows if "|GES=" in r.variable and r.period == "2008"]
    assert len(by_sex) == 10
    assert {(r.value, r.flag) for r in by_sex} == {(None, "suppressed")}


def test_each_classification_attribute_is_its_own_variable_with_label_and_unit():
    table = read_observation_file(FFCSV)
    rate = "Arbeitslosenquote bezogen auf alle zivilen Erwerbspersonen"
    assert table.variables == {
        "ERWP06": VariableInfo("ERWP06", "Arbeitslose", "Anzahl"),
        "ERWP10": VariableInfo("ERWP10", rate, "%"),
        "ERWP10|GES=GESM": VariableInfo("ERWP10|GES=GESM", f"{rate} (männlich)", "%"),
        "ERWP10|GES=GESW": VariableInfo("ERWP10|GES=GESW", f"{rate} (weiblich)", "%"),
    }


def test_two_classifications_combine_in_column_order(tmp_path):
    head = LONG_HEAD.replace(
        "value;",
        "2_variable_code;2_variable_label;2_variable_attribute_code;2_variable_attribute_label;"
        "3_variable_code;3_variable_label;3_variable_attribute_code;3_variable_attribute_label;"
        "value;",
    )
    row = (
        f"{POPULATION};{POESSNECK};ALTX20;Altersgruppen;ALT000B03;unter 3 Jahre;"
        "GES;Geschlecht;GESM;männlich;.;Anzahl;BEVSTD;Bevölkerungsstand"
    )
    table = read_observation_file(_write(tmp_path, [head, row]))
    [observation] = table.rows
    assert observation.variable == "BEVSTD|ALTX20=ALT000B03|GES=GESM"
    assert table.variables[observation.variable].label == (
        "Bevölkerungsstand (unter 3 Jahre, männlich)"
    )


def test_quality_column_marks_provisional_and_estimated_values_but_not_final_ones(tmp_path):
    lines = FFCSV.read_text(encoding="utf-8").splitlines()
    quality = ["value_q"] + ["e", "p", "s", "r"] * 10
    path = _write(tmp_path, [f"{line};{q}" for line, q in zip(lines, quality, strict=True)])
    rows = read_observation_file(path).rows
    assert [r.flag for r in rows[:4]] == ["", "estimated", "suppressed", "suppressed"]
    assert [r.flag for r in rows[20:24]] == ["", "estimated", "estimated", ""]


def test_a_zensus_table_with_12_digit_keys_and_iso_reference_date(tmp_path):
    zensus = "1000A;Bevölkerung kompakt;STAG;Stichtag;2022-05-15;GEOGM4;Gemeinden"
    path = _write(
        tmp_path,
        [
            LONG_HEAD + ";value_q",
            f"{zensus};160755005006;Bodelwitz;569;Anzahl;PRS018;Personen;e",
            f"{zensus};160750085085;Pößneck, Stadt;11832;Anzahl;PRS018;Personen;e",
        ],
    )
    table = read_observation_file(path)
    assert [(r.area_key, r.period, r.value, r.flag) for r in table.rows] == [
        ("160755005006", "2022-05-15", 569.0, ""),
        ("160750085085", "2022-05-15", 11832.0, ""),
    ]


def test_germany_gets_key_0_and_totals_over_all_areas_are_skipped(tmp_path):
    path = _write(
        tmp_path,
        [
            LONG_HEAD,
            _unemployed(".").replace(
                "KREISE;Kreise und kreisfreie Städte;16075;Saale-Orla-Kreis",
                "DINSG;Deutschland;DG;Deutschland",
            ),
            _unemployed(".", key="", label="Insgesamt"),
            _unemployed("4698"),
        ],
    )
    table = read_observation_file(path)
    assert [(r.line, r.area_key, r.value) for r in table.rows] == [
        (2, "0", None),
        (4, "16075", 4698),
    ]
    assert table.areas == {"0": "Deutschland", "16075": "Saale-Orla-Kreis"}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["11.842", "4698"], [11842.0, 4698.0]),  # GENESIS files are German: "." groups
        (["11.842", "9,7"], [11842.0, 9.7]),
        (["9.7", "10.2"], [9.7, 10.2]),  # an English export shows dot decimals
        (["1.234", "9.7"], [1.234, 9.7]),
    ],
)
def test_german_numbers_in_genesis_files(tmp_path, values, expected):
    lines = [LONG_HEAD] + [_unemployed(v, key=f"1607{i}") for i, v in enumerate(values)]
    assert [r.value for r in read_observation_file(_write(tmp_path, lines)).rows] == expected


def test_a_mapping_does_not_change_how_genesis_files_are_read():
    assert read_observation_file(FFCSV, Mapping(area="x", fixed_period="2022")).rows == (
        read_observation_file(FFCSV).rows
    )


# --- the older wide layout --------------------------------------------------------------


def test_it_reads_the_older_wide_flat_file_and_skips_its_footer():
    table = read_observation_file(FLAT_WIDE)
    assert table.layout == "genesis-wide"
    assert len(table.rows) == 3 * 4 * 2
    assert table.rows[:2] == [
        ObservationRow(2, "ERWP06__Arbeitslose__Anzahl", "16051", "2015", "ERWP06", 8605.0),
        ObservationRow(
            2,
            "ERWP10__Arbeitslosenquote_bezogen_auf_alle_zivilen_Erwerbspersonen__Prozent",
            "16051",
            "2015",
            "ERWP10",
            8.0,
        ),
    ]
    assert table.rows[-1].line == 13 and table.rows[-1].value == 5.7
    assert table.variables["ERWP10"] == VariableInfo(
        "ERWP10", "Arbeitslosenquote bezogen auf alle zivilen Erwerbspersonen", "Prozent"
    )


def test_the_windows_1252_flat_file_keeps_its_umlauts():
    assert read_observation_file(FLAT_WIDE).areas["16065"] == "Kyffhäuserkreis"


def test_a_wide_file_with_sex_and_a_german_reference_date(tmp_path):
    head = (
        f"{WIDE_HEAD};2_Merkmal_Code;2_Merkmal_Label;2_Auspraegung_Code;2_Auspraegung_Label;"
        "     BEVSTD__Bevoelkerungsstand__Anzahl"
    )
    path = _write(
        tmp_path,
        [
            head,
            f"{POPULATION};{POESSNECK};GES;Geschlecht;;Insgesamt;11842",
            f"{POPULATION};{POESSNECK};GES;Geschlecht;GESM;männlich;5688",
            f"{POPULATION};{POESSNECK};GES;Geschlecht;GESW;weiblich;6154",
            "__________",
            "© Statistische Ämter des Bundes und der Länder",
        ],
    )
    table = read_observation_file(path)
    assert [(r.column, r.period, r.variable, r.value) for r in table.rows] == [
        ("BEVSTD__Bevoelkerungsstand__Anzahl", "2019-12-31", "BEVSTD", 11842.0),
        ("BEVSTD__Bevoelkerungsstand__Anzahl", "2019-12-31", "BEVSTD|GES=GESM", 5688.0),
        ("BEVSTD__Bevoelkerungsstand__Anzahl", "2019-12-31", "BEVSTD|GES=GESW", 6154.0),
    ]


def test_a_wide_quality_column_belongs_to_its_value_column(tmp_path):
    head = f"{WIDE_HEAD};BEVSTD__Bevoelkerungsstand__Anzahl;BEVSTD__Bevoelkerungsstand__q"
    path = _write(tmp_path, [head, f"{POPULATION};{POESSNECK};11842;p"])
    [row] = read_observation_file(path).rows
    assert (row.variable, row.value, row.flag) == ("BEVSTD", 11842.0, "estimated")


def test_lines_that_break_the_table_before_its_end_are_reported(tmp_path):
    path = _write(
        tmp_path,
        [
            f"{WIDE_HEAD};BEVSTD__Bevoelkerungsstand__Anzahl",
            "__________",
            f"{POPULATION};{POESSNECK};11842",
            "Fußnote",
        ],
    )
    assert _problems(path) == ["Zeile 2: Zeile passt nicht zum GENESIS-Format: 1 statt 10 Spalten"]


# --- problems ---------------------------------------------------------------------------


def test_every_wrong_genesis_cell_is_reported_with_line_and_column(tmp_path):
    path = _write(
        tmp_path,
        [
            LONG_HEAD,
            _unemployed("4698"),
            _unemployed("4698").replace(";2009;", ";2009/10;"),
            _unemployed("1", key="", label=""),
            _unemployed("1", key="16O75"),
            _unemployed("viele", key="16074"),
            _unemployed("4698"),
            _unemployed("1", key="16076").replace("KREISE;", "GES;"),
            _unemployed("1", key="16077").replace(";ERWP06;", ";;"),
        ],
    )
    assert _problems(path) == [
        "Zeile 3, Spalte „time“: Zeitangabe „2009/10“ ist weder ein Jahr (z. B. 2019) noch ein "
        "Datum (z. B. 31.12.2019 oder 2019-12-31)",
        "Zeile 4, Spalte „1_variable_attribute_code“: Gebietsschlüssel fehlt",
        "Zeile 5, Spalte „1_variable_attribute_code“: Gebietsschlüssel „16O75“ darf nur Ziffern "
        "enthalten",
        "Zeile 6, Spalte „value“: „viele“ ist keine Zahl und kein bekanntes Zeichen für gesperrte "
        "oder fehlende Werte (. - x / … *)",
        "Zeile 7, Spalte „value“: Wert für Gebiet „16075“, Zeitraum „2009“ und Variable „ERWP06“ "
        "kommt doppelt vor (Zeile 2 und 7)",
        "Zeile 8, Spalte „1_variable_code“: Zeile hat kein regionales Merkmal (z. B. KREISE, "
        "GEMEIN, DLAND)",
        "Zeile 9, Spalte „value_variable_code“: Variablencode fehlt",
    ]


def test_a_genesis_file_with_only_a_header_has_no_values(tmp_path):
    path = _write(tmp_path, [LONG_HEAD, "__________"])
    assert _problems(path) == ["Die Datei „genesis.csv“ enthält keine Werte."]


@pytest.mark.parametrize(
    ("header", "layout"),
    [
        (LONG_HEAD, "genesis-long"),
        (LONG_HEAD + ";value_q", "genesis-long"),
        (WIDE_HEAD + ";     FLC006__Gebietsflaeche__qkm", "genesis-wide"),
        (WIDE_HEAD, None),  # no measure column
        ("statistics_code;statistics_label;time_code;time_label;time;value", None),
        ("ags;jahr;wert", None),
    ],
)
def test_genesis_files_are_recognised_by_their_header(header, layout):
    assert detect_layout(header.split(";")) == layout


def test_a_data_row_without_statistics_code_is_reported(tmp_path):
    path = _write(
        tmp_path,
        [
            LONG_HEAD,
            _unemployed("1")[5:],
            "Arbeitslose" + _unemployed("1")[5:],
            _unemployed("4698"),
        ],
    )
    assert _problems(path) == [
        "Zeile 2: Zeile passt nicht zum GENESIS-Format: Statistik-Code in der ersten Spalte fehlt",
        "Zeile 3: Zeile passt nicht zum GENESIS-Format: „Arbeitslose“ ist kein Statistik-Code "
        "(z. B. 13211)",
    ]
