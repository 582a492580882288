"""Tests for reading key conversion tables (municipality mergers and splits)."""

from __future__ import annotations

from pathlib import Path

import pytest

import sozialplanung
from sozialplanung.io.area_files import AreaFileError
from sozialplanung.io.conversion_files import ConversionRecord, read_conversion_file

DATA = Path(sozialplanung.__file__).parent / "demo" / "data"


def _csv(tmp_path: Path, text: str, name: str = "umschluesselung.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(AreaFileError) as info:
        read_conversion_file(path)
    return [str(p) for p in info.value.problems]


def test_real_merger_file():
    records = read_conversion_file(DATA / "gemeindefusionen_2019.csv")
    assert len(records) == 14
    assert {r.new_key for r in records} == {"16075136", "16075098", "16075073"}
    assert all(r.weight == 1.0 for r in records)
    assert records[0] == ConversionRecord(2, "16075002", "16075136", 1.0, records[0].basis)
    assert records[0].basis.startswith("new code")
    assert sum(r.new_key == "16075136" for r in records) == 7


def test_split_with_german_decimal_comma(tmp_path):
    path = _csv(tmp_path, "alt;neu;gewicht\n100;200;0,25\n100;300;0,75\n101;200;\n")
    assert read_conversion_file(path) == [
        ConversionRecord(2, "100", "200", 0.25),
        ConversionRecord(3, "100", "300", 0.75),
        ConversionRecord(4, "101", "200", 1.0),
    ]


def test_split_weights_must_sum_to_one(tmp_path):
    path = _csv(tmp_path, "old_key,new_key,weight\n100,200,0.5\n100,300,0.4\n")
    assert _problems(path) == [
        "Zeile 2: Die Gewichte für den alten Schlüssel 100 ergeben zusammen 0,9 statt 1 "
        "(Zeilen 2, 3)"
    ]


def test_all_row_problems_are_collected(tmp_path):
    path = _csv(
        tmp_path,
        "old_ags;new_ags;weight;evidence\n"
        ";200;1;x\n"
        "1a;200;1;x\n"
        "102;200;0;x\n"
        "103;200;1,5;x\n"
        "104;200;abc;x\n"
        "105;200;1;x\n"
        "105;200;1;x\n",
    )
    assert _problems(path) == [
        "Zeile 2, Spalte „old_ags“: Alter Schlüssel fehlt",
        "Zeile 3, Spalte „old_ags“: Alter Schlüssel „1a“ darf nur Ziffern enthalten",
        "Zeile 4, Spalte „weight“: Gewicht „0“ muss eine Zahl größer 0 und höchstens 1 sein",
        "Zeile 5, Spalte „weight“: Gewicht „1,5“ muss eine Zahl größer 0 und höchstens 1 sein",
        "Zeile 6, Spalte „weight“: Gewicht „abc“ muss eine Zahl größer 0 und höchstens 1 sein",
        "Zeile 8: Zuordnung 105 → 200 kommt doppelt vor (Zeile 7 und 8)",
    ]


def test_missing_columns(tmp_path):
    path = _csv(tmp_path, "von,nach\n1,2\n")
    problems = _problems(path)
    assert len(problems) == 2
    assert problems[0].startswith("Spalte „old_key“ fehlt")
    assert "„von“, „nach“" in problems[0]


def test_unreadable_inputs(tmp_path):
    with pytest.raises(AreaFileError, match="nicht gefunden"):
        read_conversion_file(tmp_path / "fehlt.csv")
    with pytest.raises(AreaFileError, match="nicht unterstützt"):
        read_conversion_file(_csv(tmp_path, "x", name="a.xlsx"))
    with pytest.raises(AreaFileError, match="ist leer"):
        read_conversion_file(_csv(tmp_path, "\n\n"))
    with pytest.raises(AreaFileError, match="keine Zuordnungen"):
        read_conversion_file(_csv(tmp_path, "alt;neu\n"))
