"""Read statistical tables a county brings into one normalised list of observations.

GENESIS flat files (long "ffcsv" and the older wide layout) are recognised by their header
and read by ``genesis``. Any other CSV or XLSX table is read in one of two layouts:

- wide: one row per area (and period), one column per variable;
- long: one row per value, with a column naming the variable and a value column.

The area and period columns are found by their usual names unless a ``Mapping`` names them;
a table without a period column (a Zensus table) needs ``fixed_period``. Every cell is
checked and every problem collected before ``ObservationFileError`` is raised. How numbers
are read is described in ``observation_cells``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from sozialplanung.io import genesis
from sozialplanung.io.area_files import Problem, clean_text
from sozialplanung.io.observation_cells import (
    ROW,
    Grid,
    ObservationFile,
    ObservationFileError,
    ObservationRow,
    VariableInfo,
    cell,
    decimal_mark,
    file_problem,
    finish,
    listing,
    parse_area_key,
    parse_period,
    parse_value,
    read_grid,
)

__all__ = [
    "Mapping",
    "ObservationFile",
    "ObservationFileError",
    "ObservationRow",
    "VariableInfo",
    "load_mapping",
    "read_observation_file",
]

# Usual column names, compared after ``_normalise`` (lower case, ä → ae, spaces → _).
CANDIDATES: dict[str, tuple[str, ...]] = {
    "area": (
        "ags",
        "ars",
        "gemeindeschluessel",
        "kreisschluessel",
        "regionalschluessel",
        "gebietsschluessel",
        "schluessel",
        "key",
        "county_code",
        "municipality_code",
        "kreis_code",
        "gemeinde_code",
        "gkz",
        "kennziffer",
        "kreis",
    ),
    "period": (
        "year",
        "jahr",
        "stand",
        "stichtag",
        "period",
        "periode",
        "zeit",
        "zeitraum",
        "berichtsjahr",
        "datum",
        "date",
        "time",
    ),
    "name": (
        "name",
        "gen",
        "gemeindename",
        "gemeinde",
        "municipality_name",
        "county_name",
        "kreisname",
        "gebietsname",
        "bezeichnung",
    ),
    "variable": ("variable", "merkmal", "indikator", "indicator", "kennzahl", "variable_code"),
    "value": ("value", "wert"),
    "unit": ("unit", "einheit"),
}
LABELS = {
    "area": "den Gebietsschlüssel",
    "period": "den Zeitraum",
    "variable": "die Variable",
    "value": "den Wert",
}


@dataclass(frozen=True)
class Mapping:
    """Which file columns mean what; None or empty means: detect from the usual names.

    ``variables`` picks the variable columns of a wide table (default: all others);
    ``fixed_period`` is the period of a table without a period column;
    ``sheet`` names the XLSX sheet (default: the first); ``skip`` lists columns to ignore.
    """

    area: str | None = None
    period: str | None = None
    variable: str | None = None
    value: str | None = None
    variables: tuple[str, ...] = ()
    fixed_period: str | None = None
    sheet: str | None = None
    skip: tuple[str, ...] = ()


_TEXT_FIELDS = {"area", "period", "variable", "value", "fixed_period", "sheet"}
_LIST_FIELDS = {"variables", "skip"}


def load_mapping(path: Path) -> Mapping:
    """Read a Mapping from a small TOML file with the field names as keys.

    Example::

        area = "ags"
        fixed_period = "2022-05-15"
        skip = ["municipality_name"]
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise file_problem(f"Die Zuordnungsdatei „{path.name}“ wurde nicht gefunden.") from None
    except (OSError, UnicodeDecodeError):
        raise file_problem(f"Die Zuordnungsdatei „{path.name}“ lässt sich nicht lesen.") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise file_problem(
            f"Die Zuordnungsdatei „{path.name}“ ist kein gültiges TOML: {exc}"
        ) from None
    allowed = [f.name for f in fields(Mapping)]
    problems = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in allowed:
            reason = f"Unbekannter Eintrag „{key}“. Erlaubt sind: {', '.join(allowed)}."
        elif key in _TEXT_FIELDS and not isinstance(value, str):
            reason = f"„{key}“ muss ein Text in Anführungszeichen sein."
        elif key in _LIST_FIELDS and not (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            reason = f'„{key}“ muss eine Liste von Spaltennamen sein, z. B. ["a", "b"].'
        else:
            values[key] = tuple(value) if key in _LIST_FIELDS else value
            continue
        problems.append(Problem(None, "", f"{path.name}: {reason}"))
    if problems:
        raise ObservationFileError(problems)
    return Mapping(**values)


def read_observation_file(path: Path, mapping: Mapping | None = None) -> ObservationFile:
    """Read a GENESIS flat file or a CSV/XLSX table; raises ObservationFileError with all problems.

    The mapping applies to plain tables; GENESIS files describe themselves.
    """
    path = Path(path)
    mapping = mapping or Mapping()
    grid = read_grid(path, mapping.sheet)
    if not grid.header:
        raise file_problem(f"Die Datei „{path.name}“ ist leer.")
    layout = genesis.detect_layout(grid.header)
    if layout is not None:
        return genesis.read_genesis(grid, layout)
    return _read_table(grid, mapping)


# --- plain tables ---------------------------------------------------------------------


def _normalise(name: str) -> str:
    text = name.strip().lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    return "_".join(text.replace("-", " ").split())


@dataclass(frozen=True)
class _Columns:
    """Positions of the roles in the header; None where the file has no such column."""

    area: int
    period: int | None
    fixed_period: str | None
    name: int | None
    variable: int | None
    value: int | None
    unit: int | None
    variables: tuple[int, ...]

    @property
    def is_long(self) -> bool:
        return self.variable is not None


def _resolve(grid: Grid, mapping: Mapping) -> _Columns:
    """Map roles to columns, raising with every missing or contradictory column at once."""
    header = grid.header
    problems: list[str] = []
    by_name: dict[str, int] = {}
    for i, name in enumerate(header):
        if not name:
            if any(clean_text(cell(cells, i)) for _, cells in grid.rows):
                problems.append(f"Spalte Nr. {i + 1} hat keine Überschrift, enthält aber Werte.")
        elif _normalise(name) in by_name:
            problems.append(f"Die Spalte „{name}“ kommt mehrfach vor.")
        else:
            by_name[_normalise(name)] = i
    columns = listing(name for name in header if name)

    def explicit(name: str) -> int | None:
        if _normalise(name) not in by_name:
            problems.append(
                f"Die Spalte „{name}“ aus der Zuordnung fehlt. Die Datei hat die Spalten {columns}."
            )
            return None
        return by_name[_normalise(name)]

    skipped = {explicit(name) for name in mapping.skip} - {None}

    def find(role: str) -> int | None:
        given = getattr(mapping, role, None)
        if given is not None:
            return explicit(given)
        for candidate in CANDIDATES[role]:
            if by_name.get(candidate) is not None and by_name[candidate] not in skipped:
                return by_name[candidate]
        return None

    def wanted(role: str) -> str:
        return ", ".join(f"„{c}“" for c in CANDIDATES[role][:6]) + " …"

    area = find("area")
    if area is None and mapping.area is None:
        problems.append(
            f"Spalte für {LABELS['area']} fehlt: erwartet zum Beispiel {wanted('area')} "
            f"Die Datei hat die Spalten {columns}. Bitte in der Zuordnung „area“ angeben."
        )
    period = find("period")
    fixed = _fixed_period(mapping, period, header, problems)
    if period is None and mapping.fixed_period is None and mapping.period is None:
        problems.append(
            f"Spalte für {LABELS['period']} fehlt: erwartet zum Beispiel {wanted('period')} "
            f"Die Datei hat die Spalten {columns}. Hat die Tabelle nur einen Stichtag (etwa den "
            "Zensus 2022), bitte in der Zuordnung „fixed_period“ angeben, z. B. "
            'fixed_period = "2022-05-15".'
        )
    long_wanted = mapping.variable is not None or mapping.value is not None
    variable = value = None
    if long_wanted or not mapping.variables:
        variable, value = find("variable"), find("value")
        for role, found in (("variable", variable), ("value", value)):
            if long_wanted and found is None and getattr(mapping, role) is None:
                problems.append(
                    f"Spalte für {LABELS[role]} fehlt: erwartet {wanted(role)} "
                    f"Die Datei hat die Spalten {columns}."
                )
        if variable is None or value is None:
            variable = value = None
    name = find("name")
    used = {area, period, name, variable, value} | skipped
    if mapping.variables:
        chosen = tuple(i for i in (explicit(v) for v in mapping.variables) if i is not None)
    else:
        chosen = tuple(i for i, n in enumerate(header) if n and i not in used)
    if variable is None and not chosen and not problems:
        problems.append(
            f"Die Datei hat außer Gebiet und Zeitraum keine Spalten mit Werten: {columns}."
        )
    if problems:
        raise ObservationFileError([Problem(None, "", reason) for reason in problems])
    assert area is not None
    return _Columns(area, period, fixed, name, variable, value, find("unit"), chosen)


def _fixed_period(
    mapping: Mapping, period: int | None, header: list[str], problems: list[str]
) -> str | None:
    if mapping.fixed_period is None:
        return None
    if period is not None:
        problems.append(
            f"Die Datei hat die Zeitspalte „{header[period]}“ und die Zuordnung gibt zusätzlich "
            "„fixed_period“ an. Bitte nur eines von beiden verwenden (oder die Spalte mit "
            "„skip“ ausschließen)."
        )
        return None
    try:
        return parse_period(mapping.fixed_period)
    except ValueError as exc:
        problems.append(f"fixed_period: {exc}")
        return None


def _read_table(grid: Grid, mapping: Mapping) -> ObservationFile:
    columns = _resolve(grid, mapping)
    header = grid.header
    if not grid.rows:
        raise file_problem(f"Die Datei „{grid.name}“ enthält keine Werte.")
    value_columns = (columns.value,) if columns.is_long else columns.variables
    decimals = {
        i: decimal_mark((cell(cells, i) for _, cells in grid.rows), grid.decimal_default)
        for i in value_columns
    }
    problems: list[Problem] = []
    rows: list[ObservationRow] = []
    variables: dict[str, VariableInfo] = {}
    areas: dict[str, str] = {}

    def report(line: int, column: int | None, reason: str) -> None:
        problems.append(Problem(line, header[column] if column is not None else "", reason, ROW))

    for line, cells in grid.rows:
        if len(cells) > len(header) and any(clean_text(c) for c in cells[len(header) :]):
            report(line, None, "Zeile hat mehr Zellen als die Kopfzeile Spalten")
        try:
            key = parse_area_key(cell(cells, columns.area))
        except ValueError as exc:
            report(line, columns.area, str(exc))
            key = ""
        period = columns.fixed_period or ""
        if columns.period is not None:
            try:
                period = parse_period(cell(cells, columns.period))
            except ValueError as exc:
                report(line, columns.period, str(exc))
        if key and columns.name is not None and clean_text(cell(cells, columns.name)):
            areas.setdefault(key, clean_text(cell(cells, columns.name)))
        if columns.is_long:
            measures = [(columns.value, clean_text(cell(cells, columns.variable)))]
            if not measures[0][1]:
                report(line, columns.variable, "Variable fehlt")
                continue
        else:
            measures = [(i, header[i]) for i in columns.variables]
        for i, variable in measures:
            try:
                number, flag = parse_value(cell(cells, i), decimals[i])
            except ValueError as exc:
                report(line, i, str(exc))
                continue
            if key and period:
                rows.append(ObservationRow(line, header[i], key, period, variable, number, flag))
                unit = clean_text(cell(cells, columns.unit)) if columns.unit is not None else ""
                variables.setdefault(variable, VariableInfo(variable, "", unit))
    layout = "long" if columns.is_long else "wide"
    return finish(layout, rows, problems, variables, areas, grid.name)
