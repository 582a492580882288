"""Reading plain CSV/XLSX statistics tables: real shared tables, layouts, numbers, problems."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

import sozialplanung
from sozialplanung.io.area_files import AreaFileError
from sozialplanung.io.observation_files import (
    Mapping,
    ObservationFileError,
    ObservationRow,
    VariableInfo,
    load_mapping,
    read_observation_file,
)

DEMO_DATA = Path(sozialplanung.__file__).parent / "demo" / "data"
# The shared extracts, as the project ships them in its demo data (see QUELLEN.md there).
SHIPPED = {
    "sok_gemeinden_arbeitslose_ba_2009_2015.csv": "arbeitslose_ba_2009_2015.csv",
    "sok_gemeinden_bev_destatis_gv_2009_2021.csv": "bevoelkerung_gv_2009_2021.csv",
    "sok_gemeinden_zensus2022_gerda.csv": "zensus2022_gemeinden.csv",
    "thueringen_kreise_arbeitslose_regionalstatistik_13211-02-05-4.csv": (
        "arbeitslose_regionalstatistik_13211-02-05-4_thueringen.csv"
    ),
    "thueringen_kreise_inkar_1995_2022_gerda.csv": "inkar_kreise_thueringen_1995_2022.csv",
}


def shared(name: str) -> Path:
    return DEMO_DATA / SHIPPED[name]


def _csv(tmp_path: Path, text: str, name: str = "tabelle.csv", encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _problems(path: Path, mapping: Mapping | None = None) -> list[str]:
    with pytest.raises(ObservationFileError) as info:
        read_observation_file(path, mapping)
    return [str(p) for p in info.value.problems]


def _values(path: Path, mapping: Mapping | None = None) -> list[tuple]:
    table = read_observation_file(path, mapping)
    return [(r.area_key, r.period, r.variable, r.value, r.flag) for r in table.rows]


# --- real shared tables -----------------------------------------------------------------


def test_it_reads_the_federal_agency_table_of_unemployed_per_municipality():
    table = read_observation_file(shared("sok_gemeinden_arbeitslose_ba_2009_2015.csv"))
    assert table.layout == "wide"
    assert len(table.variables) == 30 and "name" not in table.variables
    assert len(table.rows) == 516 * 30
    assert table.rows[0] == ObservationRow(2, "sgb2u3_total", "16075", "2009", "sgb2u3_total", 4698)
    assert table.variables["sgb2_total"] == VariableInfo("sgb2_total", "", "")
    assert table.areas["16075"] == "Saale-Orla-Kreis"
    assert table.areas["16075002"] == "Birkenhügel"
    birkenhuegel = {r.variable: r for r in table.rows if r.line == 446}
    assert birkenhuegel["sgb2u3_total"].value == 14
    assert birkenhuegel["sgb2u3_age15_20"] == ObservationRow(
        446, "sgb2u3_age15_20", "16075002", "2015", "sgb2u3_age15_20", None, "missing"
    )
    assert sum(r.flag == "missing" for r in table.rows) == 1184


def test_a_zensus_table_without_period_column_asks_for_fixed_period():
    path = shared("sok_gemeinden_zensus2022_gerda.csv")
    [problem] = _problems(path)
    assert problem.startswith("Spalte für den Zeitraum fehlt")
    assert "fixed_period" in problem and "„ags“, „municipality_name“" in problem


def test_a_zensus_table_reads_with_fixed_period():
    path = shared("sok_gemeinden_zensus2022_gerda.csv")
    table = read_observation_file(path, Mapping(fixed_period="2022-05-15"))
    assert len(table.rows) == 59 * 14
    assert {r.period for r in table.rows} == {"2022-05-15"}
    assert table.areas["16075085"] == "Pößneck, Stadt"
    by_cell = {(r.area_key, r.variable): r for r in table.rows}
    assert by_cell["16075006", "population_census22"].value == 569.0
    assert by_cell["16075016", "share_foreign_census22"].flag == "missing"
    assert sum(r.flag == "missing" for r in table.rows) == 79


def test_a_county_indicator_table_with_empty_cells_reads_them_as_missing():
    table = read_observation_file(shared("thueringen_kreise_inkar_1995_2022_gerda.csv"))
    assert table.layout == "wide" and table.areas == {}
    assert len(table.rows) == 616 * 30
    first = {r.variable: r for r in table.rows if r.line == 2}
    assert first["share_65plus"] == ObservationRow(
        2, "share_65plus", "16051", "1995", "share_65plus", 13.73
    )
    assert first["share_primary_sector"].value is None
    assert first["share_primary_sector"].flag == "missing"
    assert sum(r.flag == "missing" for r in table.rows) == 5283


def test_the_regionalstatistik_extract_keeps_decimal_points():
    table = read_observation_file(
        shared("thueringen_kreise_arbeitslose_regionalstatistik_13211-02-05-4.csv")
    )
    by_cell = {(r.area_key, r.period, r.variable): r.value for r in table.rows}
    assert by_cell["16075", "2009", "alq_alle_zivil"] == 9.7
    assert by_cell["16075", "2009", "alo_schwerbehindert"] == 202.0


# --- XLSX ------------------------------------------------------------------------------


def _population_rows(day: str, keys: set[str]) -> list[dict[str, str]]:
    with shared("sok_gemeinden_bev_destatis_gv_2009_2021.csv").open(encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["stand"] == day and r["ags"] in keys]


def test_a_wide_xlsx_reads_the_named_sheet_with_sheet_rows_and_date_cells(tmp_path):
    rows = _population_rows("2019-12-31", {"16075085", "16075098"})
    book = openpyxl.Workbook()
    book.active.title = "Hinweise"
    book.active["A1"] = "Quelle: Statistisches Bundesamt (Destatis), Gemeindeverzeichnis"
    sheet = book.create_sheet("Daten")
    sheet.append([])  # the table starts in row 2, as planners' sheets often do
    sheet.append(["Stand", "AGS", "Name", "Bevölkerung", "Fläche km²"])
    for row in rows:
        sheet.append(
            [
                datetime(2019, 12, 31),
                row["ags"],
                row["name"],
                int(row["bevoelkerung"]),
                float(row["flaeche_km2"]),
            ]
        )
    path = tmp_path / "bevoelkerung.xlsx"
    book.save(path)

    table = read_observation_file(path, Mapping(sheet="Daten"))
    assert table.layout == "wide"
    assert [(r.line, r.column, r.area_key, r.period, r.value) for r in table.rows] == [
        (3, "Bevölkerung", "16075085", "2019-12-31", 11842.0),
        (3, "Fläche km²", "16075085", "2019-12-31", 24.43),
        (4, "Bevölkerung", "16075098", "2019-12-31", 8947.0),
        (4, "Fläche km²", "16075098", "2019-12-31", 108.21),
    ]
    assert table.areas == {"16075085": "Pößneck, Stadt", "16075098": "Schleiz, Stadt"}


def test_a_long_xlsx_reads_text_numbers_in_german_format(tmp_path):
    rows = _population_rows("2019-12-31", {"16075085"})
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Gemeindeschlüssel", "Jahr", "Merkmal", "Wert"])
    for row in rows:
        sheet.append(
            [row["ags"], 2019, "bevoelkerung", f"{int(row['bevoelkerung']):,}".replace(",", ".")]
        )
        sheet.append([row["ags"], 2019, "maennlich", int(row["maennlich"])])
        sheet.append([row["ags"], 2019, "weiblich", "."])
    path = tmp_path / "lang.xlsx"
    book.save(path)

    table = read_observation_file(path)
    assert table.layout == "long"
    assert [(r.line, r.column, r.variable, r.value, r.flag) for r in table.rows] == [
        (2, "Wert", "bevoelkerung", 11842.0, ""),
        (3, "Wert", "maennlich", 5688.0, ""),
        (4, "Wert", "weiblich", None, "suppressed"),
    ]
    assert {r.period for r in table.rows} == {"2019"}


def test_a_missing_sheet_is_named_with_the_sheets_the_file_has(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Tabelle1"
    path = tmp_path / "mappe.xlsx"
    book.save(path)
    assert _problems(path, Mapping(sheet="Daten")) == [
        "Das Tabellenblatt „Daten“ fehlt. Die Datei hat die Blätter „Tabelle1“."
    ]


def test_a_broken_xlsx_is_reported_as_unreadable(tmp_path):
    path = _csv(tmp_path, "kein zip", name="kaputt.xlsx")
    [problem] = _problems(path)
    assert "lässt sich nicht als Excel-Datei (.xlsx) lesen" in problem


# --- layouts and column detection -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "area", "period"),
    [
        ("AGS;Jahr;einwohner\n16075085;2019;11842\n", "AGS", "Jahr"),
        ("Gemeindeschlüssel;Stichtag;einwohner\n16075085;31.12.2019;11842\n", None, None),
        ("county_code,year,alo\n16075,2009,4698\n", "county_code", "year"),
        ("ARS\tZeit\teinwohner\n160750085085\t2019\t11842\n", "ARS", "Zeit"),
        ("Regionalschlüssel;Stand;einwohner\n160750085085;2019-12-31;11842\n", None, None),
    ],
)
def test_it_finds_area_and_period_columns_by_their_usual_names(tmp_path, text, area, period):
    table = read_observation_file(_csv(tmp_path, text))
    [row] = table.rows
    assert row.area_key in {"16075085", "16075", "160750085085"}
    assert row.period in {"2019", "2009", "2019-12-31"}
    assert row.value in {11842.0, 4698.0}
    explicit = Mapping(area=area, period=period) if area else None
    assert read_observation_file(_csv(tmp_path, text), explicit).rows == [row]


def test_a_long_table_names_variable_and_value_and_may_give_a_unit(tmp_path):
    path = _csv(
        tmp_path,
        "ags;jahr;merkmal;wert;einheit\n"
        "16075085;2019;bevoelkerung;11.842;Anzahl\n"
        "16075085;2019;flaeche;24,43;km²\n",
    )
    table = read_observation_file(path)
    assert table.layout == "long"
    assert [(r.variable, r.value, r.column) for r in table.rows] == [
        ("bevoelkerung", 11842.0, "wert"),
        ("flaeche", 24.43, "wert"),
    ]
    assert table.variables["flaeche"] == VariableInfo("flaeche", "", "km²")


def test_wide_variables_and_skip_choose_the_columns(tmp_path):
    text = "ags;jahr;name;bevoelkerung;maennlich;weiblich\n16075085;2019;Pößneck;11842;5688;6154\n"
    only = read_observation_file(_csv(tmp_path, text), Mapping(variables=("weiblich",)))
    assert [r.variable for r in only.rows] == ["weiblich"]
    skipped = read_observation_file(_csv(tmp_path, text), Mapping(skip=("maennlich",)))
    assert [r.variable for r in skipped.rows] == ["bevoelkerung", "weiblich"]


def test_leading_zeros_of_keys_are_kept(tmp_path):
    path = _csv(tmp_path, "ags;jahr;einwohner\n01001000;2019;90164\n")
    assert read_observation_file(path).rows[0].area_key == "01001000"


def test_windows_1252_files_are_read(tmp_path):
    path = _csv(tmp_path, "ags;jahr;name;wert_ä\n16075085;2019;Pößneck;1\n", encoding="cp1252")
    table = read_observation_file(path)
    assert table.areas == {"16075085": "Pößneck"} and table.rows[0].variable == "wert_ä"


# --- numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "delimiter", "expected"),
    [
        (["1.234,5", "12"], ";", [1234.5, 12.0]),
        (["1.234", "12"], ";", [1234.0, 12.0]),  # ambiguous: German default of ';' files
        (["1.234", "12.5"], ";", [1.234, 12.5]),  # the column shows dot decimals
        (['"1.234"', "12"], ",", [1.234, 12.0]),  # ',' files default to dot decimals
        (['"1,5"', "2"], ",", [1.5, 2.0]),  # ... unless the column shows decimal commas
        (["1.234.567", "1.234"], ",", [1234567.0, 1234.0]),  # only German has two dots
        (['"1,234.5"', "1.5"], ",", [1234.5, 1.5]),
        (["1 234", "-3,5"], ";", [1234.0, -3.5]),
        (["\u22123,5", "+2"], ";", [-3.5, 2.0]),
    ],
)
def test_numbers_are_read_by_the_format_the_column_shows(tmp_path, cells, delimiter, expected):
    d = delimiter
    text = f"ags{d}jahr{d}wert\n" + "".join(f"16075{i}{d}2019{d}{c}\n" for i, c in enumerate(cells))
    assert [v[3] for v in _values(_csv(tmp_path, text))] == expected


def test_a_number_against_the_column_format_is_reported(tmp_path):
    path = _csv(tmp_path, "ags;jahr;wert\n1;2019;12,5\n2;2019;1.234,5\n3;2019;12.5\n")
    assert _problems(path) == [
        "Zeile 4, Spalte „wert“: Zahl „12.5“ passt nicht zum Zahlenformat der Spalte "
        "(Dezimalkomma wie in 1.234,5)"
    ]


@pytest.mark.parametrize(
    ("cell", "value", "flag"),
    [
        (".", None, "suppressed"),
        ("-", None, "suppressed"),
        ("x", None, "suppressed"),
        ("/", None, "suppressed"),
        ("...", None, "suppressed"),
        ("–", None, "suppressed"),
        ("*", None, "suppressed"),
        ("", None, "missing"),
        ("   ", None, "missing"),
        ("12,5p", 12.5, "estimated"),
        ("12,5 s", 12.5, "estimated"),
        ("(12,5)", 12.5, "estimated"),
        ("12,5r", 12.5, ""),
        ("12,5e", 12.5, ""),
        ("0", 0.0, ""),
    ],
)
def test_marks_of_official_statistics(tmp_path, cell, value, flag):
    path = _csv(tmp_path, f"ags;jahr;wert\n16075;2019;{cell}\n")
    assert _values(path)[0][3:] == (value, flag)


# --- problems ---------------------------------------------------------------------------


def test_every_wrong_cell_is_reported_with_line_and_column(tmp_path):
    path = _csv(
        tmp_path,
        "ags;jahr;einwohner;flaeche\n"
        "16075085;2019;11842;24,43\n"
        ";2019;1;1\n"
        "16075-085;2019;1;1\n"
        "16075098;2019/20;1;1\n"
        "16075098;1850;1;1\n"
        "16075098;2019;viele;k.A\n"
        "16075085;2019;11842;24,43\n"
        "16075046;31.02.2019;1;1\n",
    )
    assert _problems(path) == [
        "Zeile 3, Spalte „ags“: Gebietsschlüssel fehlt",
        "Zeile 4, Spalte „ags“: Gebietsschlüssel „16075-085“ darf nur Ziffern enthalten",
        "Zeile 5, Spalte „jahr“: Zeitangabe „2019/20“ ist weder ein Jahr (z. B. 2019) noch ein "
        "Datum (z. B. 31.12.2019 oder 2019-12-31)",
        "Zeile 6, Spalte „jahr“: Jahr in „1850“ liegt nicht zwischen 1900 und 2100",
        "Zeile 7, Spalte „einwohner“: „viele“ ist keine Zahl und kein bekanntes Zeichen für "
        "gesperrte oder fehlende Werte (. - x / … *)",
        "Zeile 7, Spalte „flaeche“: „k.A“ ist keine Zahl und kein bekanntes Zeichen für "
        "gesperrte oder fehlende Werte (. - x / … *)",
        "Zeile 8, Spalte „einwohner“: Wert für Gebiet „16075085“, Zeitraum „2019“ und Variable "
        "„einwohner“ kommt doppelt vor (Zeile 2 und 8)",
        "Zeile 8, Spalte „flaeche“: Wert für Gebiet „16075085“, Zeitraum „2019“ und Variable "
        "„flaeche“ kommt doppelt vor (Zeile 2 und 8)",
        "Zeile 9, Spalte „jahr“: Datum „31.02.2019“ gibt es nicht",
    ]


def test_the_error_is_one_line_and_counts_the_other_problems(tmp_path):
    path = _csv(tmp_path, "ags;jahr;wert\n;2019;1\n;2019;1\nx;2019;1\n")
    with pytest.raises(AreaFileError) as info:
        read_observation_file(path)
    assert isinstance(info.value, ObservationFileError)
    assert str(info.value) == (
        "Zeile 2, Spalte „ags“: Gebietsschlüssel fehlt (und 2 weitere Probleme)"
    )


def test_a_long_row_without_variable_is_reported(tmp_path):
    path = _csv(tmp_path, "ags;jahr;variable;value\n16075;2019;;1\n16075;2019;alo;x\n")
    assert _problems(path) == ["Zeile 2, Spalte „variable“: Variable fehlt"]


def test_columns_named_in_the_mapping_must_exist(tmp_path):
    path = _csv(tmp_path, "ags;jahr;wert\n16075;2019;1\n")
    columns = "Die Datei hat die Spalten „ags“, „jahr“, „wert“."
    assert _problems(path, Mapping(area="gkz", variables=("alo",), skip=("name",))) == [
        f"Die Spalte „name“ aus der Zuordnung fehlt. {columns}",
        f"Die Spalte „gkz“ aus der Zuordnung fehlt. {columns}",
        f"Die Spalte „alo“ aus der Zuordnung fehlt. {columns}",
    ]


def test_a_long_mapping_needs_both_variable_and_value(tmp_path):
    path = _csv(tmp_path, "ags;jahr;merkmal;betrag\n16075;2019;alo;1\n")
    [problem] = _problems(path, Mapping(variable="merkmal"))
    assert problem.startswith("Spalte für den Wert fehlt: erwartet „value“, „wert“")
    table = read_observation_file(path, Mapping(variable="merkmal", value="betrag"))
    assert _values(path, Mapping(variable="merkmal", value="betrag")) == [
        ("16075", "2019", "alo", 1.0, "")
    ]
    assert table.layout == "long"


def test_a_table_without_area_column_lists_its_columns(tmp_path):
    path = _csv(tmp_path, "gebiet;jahr;wert\nSaale-Orla-Kreis;2019;1\n")
    [problem] = _problems(path)
    assert problem.startswith("Spalte für den Gebietsschlüssel fehlt: erwartet zum Beispiel „ags“")
    assert "Die Datei hat die Spalten „gebiet“, „jahr“, „wert“." in problem


def test_fixed_period_and_a_period_column_contradict_each_other(tmp_path):
    path = _csv(tmp_path, "ags;jahr;wert\n16075;2019;1\n")
    [problem] = _problems(path, Mapping(fixed_period="2022-05-15"))
    assert problem.startswith("Die Datei hat die Zeitspalte „jahr“")
    assert _values(path, Mapping(fixed_period="2022-05-15", skip=("jahr",))) == [
        ("16075", "2022-05-15", "wert", 1.0, "")
    ]


def test_a_bad_fixed_period_is_reported(tmp_path):
    path = _csv(tmp_path, "ags;wert\n16075;1\n")
    assert _problems(path, Mapping(fixed_period="Mai 2022")) == [
        "fixed_period: Zeitangabe „Mai 2022“ ist weder ein Jahr (z. B. 2019) noch ein Datum "
        "(z. B. 31.12.2019 oder 2019-12-31)"
    ]


def test_duplicate_and_unnamed_columns_are_reported(tmp_path):
    path = _csv(tmp_path, "ags;jahr;wert;Wert;\n16075;2019;1;2;3\n")
    assert _problems(path) == [
        "Die Spalte „Wert“ kommt mehrfach vor.",
        "Spalte Nr. 5 hat keine Überschrift, enthält aber Werte.",
    ]


def test_cells_beyond_the_header_are_reported(tmp_path):
    path = _csv(tmp_path, "ags;jahr;wert\n16075;2019;1;7\n16076;2019;2;\n")
    assert _problems(path) == ["Zeile 2: Zeile hat mehr Zellen als die Kopfzeile Spalten"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("werte.ods", b"x", "Das Dateiformat „.ods“ wird nicht unterstützt."),
        ("alt.xls", b"x", "Ältere .xls-Dateien bitte in Excel als .xlsx speichern."),
        ("leer.csv", b"\n\n", "Die Datei „leer.csv“ ist leer."),
        ("kopf.csv", b"ags;jahr;wert\n", "Die Datei „kopf.csv“ enthält keine Werte."),
    ],
)
def test_unreadable_files_give_one_clear_problem(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    [problem] = _problems(path)
    assert message in problem


def test_a_missing_file_is_reported(tmp_path):
    assert _problems(tmp_path / "fehlt.csv") == ["Die Datei „fehlt.csv“ wurde nicht gefunden."]


# --- mapping files ----------------------------------------------------------------------


def test_a_mapping_file_sets_every_field(tmp_path):
    path = tmp_path / "zuordnung.toml"
    path.write_text(
        'area = "ags"\nperiod = "jahr"\nvariable = "merkmal"\nvalue = "wert"\n'
        'variables = ["a", "b"]\nfixed_period = "2022-05-15"\nsheet = "Daten"\n'
        'skip = ["name"]\n',
        encoding="utf-8",
    )
    assert load_mapping(path) == Mapping(
        "ags", "jahr", "merkmal", "wert", ("a", "b"), "2022-05-15", "Daten", ("name",)
    )


def test_a_mapping_file_with_unknown_or_wrong_entries_is_rejected(tmp_path):
    path = tmp_path / "zuordnung.toml"
    path.write_text('gebiet = "ags"\nskip = "name"\narea = 5\n', encoding="utf-8")
    with pytest.raises(ObservationFileError) as info:
        load_mapping(path)
    assert [str(p) for p in info.value.problems] == [
        "zuordnung.toml: Unbekannter Eintrag „gebiet“. Erlaubt sind: area, period, variable, "
        "value, variables, fixed_period, sheet, skip.",
        'zuordnung.toml: „skip“ muss eine Liste von Spaltennamen sein, z. B. ["a", "b"].',
        "zuordnung.toml: „area“ muss ein Text in Anführungszeichen sein.",
    ]


def test_a_mapping_file_that_is_not_toml_is_rejected(tmp_path):
    path = tmp_path / "zuordnung.toml"
    path.write_text("area = ags\n", encoding="utf-8")
    with pytest.raises(ObservationFileError, match="ist kein gültiges TOML"):
        load_mapping(path)
