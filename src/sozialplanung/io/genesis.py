"""Read GENESIS flat files (Destatis, Regionalstatistik, Zensus 2022, state databases).

Two layouts occur: the current long "ffcsv" (one value per row, ``value`` with
``value_variable_code``) and the older wide flat file (one ``CODE__Label__Einheit`` column
per measure, footer lines after the data). Both describe each row by numbered
classification variables. The regional one (KREISE, GEMEIN, DLAND, GEO… of the Zensus
2022 …) gives the area key. Every other classification becomes part of the variable code,
``ERWP10|GES=GESM``, so combinations are never summed by accident; a classification whose
attribute code is empty is the total over it ("Insgesamt") and adds nothing to the code.
Rows whose regional attribute code is empty are totals over all areas and are skipped;
Germany as a whole (DINSG, attribute "DG") gets the area key "0".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sozialplanung.io.area_files import Problem, clean_text
from sozialplanung.io.observation_cells import (
    GERMAN,
    ROW,
    Grid,
    ObservationFile,
    ObservationRow,
    VariableInfo,
    cell,
    decimal_mark,
    finish,
    parse_area_key,
    parse_period,
    parse_value,
    quality_flag,
)

LONG = "genesis-long"
WIDE = "genesis-wide"
_LONG_START = ("statistics_code", "statistics_label", "time_code", "time_label", "time")
_WIDE_START = ("statistik_code", "statistik_label", "zeit_code", "zeit_label", "zeit")
REGIONAL_CODES = frozenset({"DINSG", "DLAND", "REGBEZ", "KREISE", "GEMEIN", "GEMVB"})
REGIONAL_PREFIXES = ("GEO",)  # Zensus 2022: GEOGM1, GEOGM4, GEOLK4, GEOBL1 …
GERMANY, GERMANY_KEY = ("DINSG", "DG"), "0"  # Germany as a whole has no digit key
_LONG_VARIABLE = re.compile(r"^(\d+)_variable_code$")
_WIDE_VARIABLE = re.compile(r"^(\d+)_merkmal_code$")
# A data row starts with a statistics code such as 13211 or 1000A; footer lines do not.
_STATISTICS_CODE = re.compile(r"^\d{4}[0-9A-Z]*$")


def detect_layout(header: list[str]) -> str | None:
    """ "genesis-long", "genesis-wide" or None for a header of another kind of table."""
    lowered = tuple(name.strip().lower() for name in header)
    if lowered[:5] == _LONG_START and {"value", "value_variable_code"} <= set(lowered):
        return LONG
    if lowered[:5] == _WIDE_START and any("__" in name for name in header):
        return WIDE
    return None


def is_regional(code: str) -> bool:
    return code in REGIONAL_CODES or code.startswith(REGIONAL_PREFIXES)


@dataclass(frozen=True)
class _Classification:
    """Column positions of one numbered classification variable."""

    code: int
    label: int
    attribute_code: int
    attribute_label: int


def read_genesis(grid: Grid, layout: str) -> ObservationFile:
    """Read a grid whose header ``detect_layout`` recognised."""
    reader = _LongReader(grid) if layout == LONG else _WideReader(grid)
    return reader.read()


class _Reader:
    """Shared row handling; subclasses know where values and their names are."""

    layout = ""
    time_column = ""

    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self.index = {name.strip().lower(): i for i, name in enumerate(grid.header)}
        self.problems: list[Problem] = []
        self.rows: list[ObservationRow] = []
        self.variables: dict[str, VariableInfo] = {}
        self.areas: dict[str, str] = {}
        self.classifications = self._classifications()
        self.width = 0  # cells a data row needs at least; set by subclasses

    def _classifications(self) -> list[_Classification]:
        raise NotImplementedError

    def _values(self, line: int, cells: list[Any], key: str, period: str, dims: tuple) -> None:
        raise NotImplementedError

    def report(self, line: int, column: str, reason: str) -> None:
        self.problems.append(Problem(line, column, reason, ROW))

    def data_rows(self) -> list[tuple[int, list[Any]]]:
        """Rows up to the last data row; footer lines after it are dropped silently."""
        reasons = [self._not_data(cells) for _, cells in self.grid.rows]
        last = max((i for i, reason in enumerate(reasons) if not reason), default=-1)
        rows = []
        for (line, cells), reason in zip(self.grid.rows[: last + 1], reasons, strict=False):
            if reason:
                self.report(line, "", f"Zeile passt nicht zum GENESIS-Format: {reason}")
            else:
                rows.append((line, cells))
        return rows

    def _not_data(self, cells: list[Any]) -> str:
        """Why a row is no data row ("" if it is one)."""
        if len(cells) < self.width:
            return f"{len(cells)} statt {len(self.grid.header)} Spalten"
        code = clean_text(cells[0])
        if not code:
            return "Statistik-Code in der ersten Spalte fehlt"
        if not _STATISTICS_CODE.match(code):
            return f"„{code}“ ist kein Statistik-Code (z. B. 13211)"
        return ""

    def read(self) -> ObservationFile:
        time_column = self.grid.header[self.index[self.time_column]]
        for line, cells in self.data_rows():
            try:
                period = parse_period(cell(cells, self.index[self.time_column]))
            except ValueError as exc:
                self.report(line, time_column, str(exc))
                period = ""
            area = self._area(line, cells)
            if area is None or not period:
                continue
            self._values(line, cells, area, period, self._dimensions(cells))
        return finish(
            self.layout, self.rows, self.problems, self.variables, self.areas, self.grid.name
        )

    def _area(self, line: int, cells: list[Any]) -> str | None:
        """The row's area key; None if it is a total row or has a problem (reported)."""
        regional = [c for c in self.classifications if is_regional(clean_text(cell(cells, c.code)))]
        if not regional:
            first = self.grid.header[self.classifications[0].code] if self.classifications else ""
            self.report(
                line, first, "Zeile hat kein regionales Merkmal (z. B. KREISE, GEMEIN, DLAND)"
            )
            return None
        place = regional[0]
        code = clean_text(cell(cells, place.code))
        key = clean_text(cell(cells, place.attribute_code))
        label = clean_text(cell(cells, place.attribute_label))
        if not key and label:
            return None  # "Insgesamt" over all areas
        if (code, key) == GERMANY:
            key = GERMANY_KEY
        try:
            key = parse_area_key(key)
        except ValueError as exc:
            self.report(line, self.grid.header[place.attribute_code], str(exc))
            return None
        if label:
            self.areas.setdefault(key, label)
        return key

    def _dimensions(self, cells: list[Any]) -> tuple[tuple[str, str], ...]:
        """(code part, label) of every non-regional classification with a specific attribute."""
        parts = []
        for c in self.classifications:
            code = clean_text(cell(cells, c.code))
            attribute = clean_text(cell(cells, c.attribute_code))
            if code and attribute and not is_regional(code):
                label = clean_text(cell(cells, c.attribute_label)) or attribute
                parts.append((f"{code}={attribute}", label))
        return tuple(parts)

    def text(self, cells: list[Any], name: str) -> str:
        """The cell of the named column as text; "" if the file has no such column."""
        return clean_text(cell(cells, self.index[name])) if name in self.index else ""

    def add(
        self,
        line: int,
        column: str,
        where: tuple[str, str],
        measure: VariableInfo,
        dims: tuple,
        value: tuple[float | None, str],
    ) -> None:
        """Record one value of ``measure`` (code, label, unit) at ``where`` (area, period)."""
        variable = "|".join([measure.code, *(part for part, _ in dims)])
        label = measure.label
        if dims:
            label = f"{label} ({', '.join(text for _, text in dims)})"
        self.variables.setdefault(variable, VariableInfo(variable, label, measure.unit))
        self.rows.append(ObservationRow(line, column, *where, variable, *value))


class _LongReader(_Reader):
    """ffcsv: ``value``, ``value_unit``, ``value_variable_code``, ``value_variable_label``."""

    layout = LONG
    time_column = "time"

    def __init__(self, grid: Grid) -> None:
        super().__init__(grid)
        self.width = self.index["value_variable_code"] + 1
        value_index = self.index["value"]
        values = [cell(cells, value_index) for _, cells in grid.rows]
        self.decimal = decimal_mark(values, GERMAN)

    def _classifications(self) -> list[_Classification]:
        found = []
        for name in self.index:
            match = _LONG_VARIABLE.match(name)
            if match:
                n = match[1]
                found.append(
                    _Classification(
                        self.index[name],
                        self.index.get(f"{n}_variable_label", self.index[name]),
                        self.index.get(f"{n}_variable_attribute_code", self.index[name]),
                        self.index.get(f"{n}_variable_attribute_label", self.index[name]),
                    )
                )
        return found

    def _values(self, line: int, cells: list[Any], key: str, period: str, dims: tuple) -> None:
        column = self.grid.header[self.index["value"]]
        code = clean_text(cell(cells, self.index["value_variable_code"]))
        if not code:
            self.report(line, "value_variable_code", "Variablencode fehlt")
            return
        measure = VariableInfo(
            code, self.text(cells, "value_variable_label"), self.text(cells, "value_unit")
        )
        try:
            number, flag = parse_value(cell(cells, self.index["value"]), self.decimal)
        except ValueError as exc:
            self.report(line, column, str(exc))
            return
        if not flag:
            flag = quality_flag(self.text(cells, "value_q"))
        self.add(line, column, (key, period), measure, dims, (number, flag))


class _WideReader(_Reader):
    """Older flat file: ``CODE__Label__Einheit`` value columns, ``CODE__Label__q`` quality."""

    layout = WIDE
    time_column = "zeit"

    def __init__(self, grid: Grid) -> None:
        super().__init__(grid)
        self.measures: list[tuple[int, VariableInfo, int | None]] = []
        quality = {}
        for i, name in enumerate(grid.header):
            parts = name.strip().split("__")
            if len(parts) >= 2 and parts[-1].lower() == "q":
                quality["__".join(parts[:-1])] = i
        for i, name in enumerate(grid.header):
            parts = name.strip().split("__")
            if len(parts) < 2 or parts[-1].lower() == "q":
                continue
            label = " ".join(parts[1:-1]).replace("_", " ")
            measure = VariableInfo(parts[0], label, parts[-1].replace("_", " "))
            self.measures.append((i, measure, quality.get("__".join(parts[:-1]))))
        self.width = min((i for i, _, _ in self.measures), default=len(grid.header)) + 1
        self.decimals = {
            i: decimal_mark((cell(cells, i) for _, cells in grid.rows), GERMAN)
            for i, _, _ in self.measures
        }

    def _classifications(self) -> list[_Classification]:
        found = []
        for name in self.index:
            match = _WIDE_VARIABLE.match(name)
            if match:
                n = match[1]
                found.append(
                    _Classification(
                        self.index[name],
                        self.index.get(f"{n}_merkmal_label", self.index[name]),
                        self.index.get(f"{n}_auspraegung_code", self.index[name]),
                        self.index.get(f"{n}_auspraegung_label", self.index[name]),
                    )
                )
        return found

    def _values(self, line: int, cells: list[Any], key: str, period: str, dims: tuple) -> None:
        for i, measure, quality_index in self.measures:
            column = self.grid.header[i].strip()
            try:
                number, flag = parse_value(cell(cells, i), self.decimals[i])
            except ValueError as exc:
                self.report(line, column, str(exc))
                continue
            if quality_index is not None and not flag:
                flag = quality_flag(clean_text(cell(cells, quality_index)))
            self.add(line, column, (key, period), measure, dims, (number, flag))
