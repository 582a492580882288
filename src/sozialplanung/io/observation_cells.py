"""Shared ground of the observation readers: result records, cell parsing and raw grids.

Plain tables (``observation_files``) and GENESIS flat files (``genesis``) both read a file
into a grid of raw cells, parse every cell with the helpers here and report each bad cell
as a ``Problem``, so a planner sees all of them at once.

Number rule (decided per file column, see ``decimal_mark``): a column whose cells include
an unambiguous German number ("1.234,5", "12,5", "1.234.567") uses the decimal comma; one
whose cells include an unambiguous dot-decimal number ("12.5", "1234.5") uses the decimal
point; the majority wins if both occur (the minority cells are reported). Cells like
"1.234" fit both readings; when a column has nothing but such cells, the file decides:
GENESIS files, semicolon or tab separated CSV and text cells in XLSX are German ("1.234"
is 1234), comma separated CSV is dot-decimal ("1.234" is 1.234). XLSX number cells are
taken as they are.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sozialplanung.io.area_files import AreaFileError, Problem, clean_text

ROW = "Zeile"
CSV_SUFFIXES = {".csv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
GERMAN = ","
DOT = "."

# Signs official statistics put in place of a number (Zeichenerklärung of the statistical
# offices, "*" of the Bundesagentur für Arbeit). "-" means "nothing there" in GENESIS but
# is also used for "not published" in county tables, so it is kept as suppressed, not 0.
SUPPRESSION_MARKS = frozenset(
    {".", "..", "...", "…", "-", "–", "—", "x", "X", "/", "*", "k.A.", "k. A.", "n.v."}
)
# Trailing quality letters GENESIS and state offices attach to numbers:
# p = vorläufig, s = geschätzt (both: the value may still change), r = berichtigt,
# e = endgültig (final; "e" does not mean estimated).
ESTIMATED_QUALITY = frozenset({"p", "s", "()"})
KNOWN_QUALITY = ESTIMATED_QUALITY | {"e", "r", ""}

_GERMAN_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$")
_DOT_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_TRAILING_QUALITY = re.compile(r"^(?P<number>.*\d)\s*(?P<quality>[pser])$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
FIRST_YEAR, LAST_YEAR = 1900, 2100


@dataclass(frozen=True)
class ObservationRow:
    """One value of one variable for one area and period, located in the file.

    ``line`` is the line as a spreadsheet shows it (header = 1; the sheet row in XLSX);
    ``period`` is a year ("2019") or an ISO date ("2022-05-15"); ``value`` is None when
    ``flag`` is "suppressed" or "missing"; "estimated" marks provisional or estimated values.
    """

    line: int
    column: str
    area_key: str
    period: str
    variable: str
    value: float | None
    flag: str = ""


@dataclass(frozen=True)
class VariableInfo:
    """What a file declares about a variable; plain tables only give the code."""

    code: str
    label: str = ""
    unit: str = ""


@dataclass(frozen=True)
class ObservationFile:
    """All observations of a file; ``areas`` maps keys to names where the file has names."""

    layout: str
    rows: list[ObservationRow]
    variables: dict[str, VariableInfo]
    areas: dict[str, str]


class ObservationFileError(AreaFileError):
    """Raised with every problem found in an observation file; str() is one line.

    ``partial`` holds the cells that were readable, so a caller can check them further (e.g.
    against known areas) and report all problems of a file at once.
    """

    def __init__(self, problems, partial: ObservationFile | None = None) -> None:
        super().__init__(problems)
        self.partial = partial


def file_problem(reason: str) -> ObservationFileError:
    """An error about the file as a whole."""
    return ObservationFileError([Problem(None, "", reason)])


def listing(names: Iterable[str]) -> str:
    return ", ".join(f"„{name}“" for name in names) or "keine"


# --- raw grids ------------------------------------------------------------------------


@dataclass(frozen=True)
class Grid:
    """A file's header and data rows as raw cells; rows are (line, cells), not padded."""

    name: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]
    decimal_default: str


def read_grid(path: Path, sheet: str | None = None) -> Grid:
    """Read a CSV (';', ',' or tab) or the first (or named) sheet of an XLSX file."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _read_csv_grid(path)
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx_grid(path, sheet)
    hint = " Ältere .xls-Dateien bitte in Excel als .xlsx speichern." if suffix == ".xls" else ""
    raise file_problem(
        f"Das Dateiformat „{path.suffix or path.name}“ wird nicht unterstützt. "
        f"Möglich sind: .csv, .txt, .xlsx.{hint}"
    )


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise file_problem(f"Die Datei „{path.name}“ wurde nicht gefunden.") from None
    except OSError:
        raise file_problem(f"Die Datei „{path.name}“ lässt sich nicht öffnen.") from None


def sniff_delimiter(line: str) -> str:
    """The most frequent of ';', tab and ',' outside quotes; ties go in that order."""
    outside = re.sub(r'"[^"]*"', "", line)
    counts = {d: outside.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _read_csv_grid(path: Path) -> Grid:
    raw = _read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise file_problem(f"Die Datei „{path.name}“ ist leer.")
    delimiter = sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip() for cell in cells]
            else:
                rows.append((reader.line_num, cells))
    except csv.Error:
        raise file_problem(
            f"Die Datei „{path.name}“ ist keine gültige CSV-Tabelle (Zeile {reader.line_num})."
        ) from None
    default = DOT if delimiter == "," else GERMAN
    return Grid(path.name, header or [], rows, default)


def _read_xlsx_grid(path: Path, sheet: str | None) -> Grid:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if not path.exists():
        raise file_problem(f"Die Datei „{path.name}“ wurde nicht gefunden.")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise file_problem(
            f"Die Datei „{path.name}“ lässt sich nicht als Excel-Datei (.xlsx) lesen. "
            "Ist sie beschädigt oder in einem anderen Format gespeichert?"
        ) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise file_problem(
                f"Das Tabellenblatt „{sheet}“ fehlt. Die Datei hat die Blätter "
                f"{listing(book.sheetnames)}."
            )
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        worksheet.reset_dimensions()  # exporters often write a wrong used range
        header: list[str] | None = None
        rows: list[tuple[int, list[Any]]] = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            cells = [v.strip() if isinstance(v, str) else v for v in values]
            if all(clean_text(cell) == "" for cell in cells):
                continue
            if header is None:
                header = [clean_text(cell) for cell in cells]
            else:
                rows.append((number, cells))
    finally:
        book.close()
    if header is None:
        raise file_problem(f"Die Datei „{path.name}“ ist leer.")
    return Grid(path.name, header, rows, GERMAN)


def cell(cells: Sequence[Any], index: int) -> Any:
    """The cell at ``index``, or "" where a short row ends early."""
    return cells[index] if index < len(cells) else ""


# --- numbers --------------------------------------------------------------------------


def _number_text(text: str) -> tuple[str, str]:
    """Strip spaces, parentheses and a trailing quality letter; returns (core, quality)."""
    core = _SPACES.sub("", text).replace("\u2212", "-")
    quality = ""
    if core.startswith("(") and core.endswith(")"):
        core, quality = core[1:-1], "()"
    match = _TRAILING_QUALITY.match(core)
    if match:
        core, quality = match["number"], quality or match["quality"]
    return core, quality


def decimal_mark(values: Iterable[Any], default: str) -> str:
    """Decide a column's decimal mark from its text cells (see the module docstring)."""
    german = dot = 0
    for value in values:
        if not isinstance(value, str):
            continue
        core, _ = _number_text(value)
        is_german = bool(_GERMAN_NUMBER.match(core))
        is_dot = bool(_DOT_NUMBER.match(core))
        german += is_german and not is_dot
        dot += is_dot and not is_german
    if german == dot:
        return default
    return GERMAN if german > dot else DOT


def parse_value(value: Any, decimal: str) -> tuple[float | None, str]:
    """Parse one value cell into (number, flag); raises ValueError with a German reason."""
    if isinstance(value, bool):
        raise ValueError(f"„{value}“ ist keine Zahl")
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None, "missing"
        if not math.isfinite(value):
            raise ValueError(f"„{value}“ ist keine endliche Zahl")
        return float(value), ""
    if isinstance(value, datetime | date):
        raise ValueError(f"„{clean_text(value)}“ ist ein Datum, keine Zahl")
    text = clean_text(value)
    if not text:
        return None, "missing"
    if text in SUPPRESSION_MARKS:
        return None, "suppressed"
    core, quality = _number_text(text)
    pattern, other = (
        (_GERMAN_NUMBER, _DOT_NUMBER) if decimal == GERMAN else (_DOT_NUMBER, _GERMAN_NUMBER)
    )
    if not pattern.match(core):
        if other.match(core):
            example = "1.234,5" if decimal == GERMAN else "1234.5"
            mark = "Dezimalkomma" if decimal == GERMAN else "Dezimalpunkt"
            raise ValueError(
                f"Zahl „{text}“ passt nicht zum Zahlenformat der Spalte ({mark} wie in {example})"
            )
        raise ValueError(
            f"„{text}“ ist keine Zahl und kein bekanntes Zeichen für gesperrte oder fehlende "
            "Werte (. - x / … *)"
        )
    if decimal == GERMAN:
        number = float(core.replace(".", "").replace(",", "."))
    else:
        number = float(core.replace(",", ""))
    return number, quality_flag(quality)


def quality_flag(quality: str) -> str:
    """Flag for a GENESIS quality sign: "estimated" for provisional or estimated values."""
    return "estimated" if quality.strip() in ESTIMATED_QUALITY else ""


# --- periods and keys -----------------------------------------------------------------


def _check_year(year: int, text: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"Jahr in „{text}“ liegt nicht zwischen {FIRST_YEAR} und {LAST_YEAR}")


def _iso(year: int, month: int, day: int, text: str) -> str:
    _check_year(year, text)
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise ValueError(f"Datum „{text}“ gibt es nicht") from None


def parse_period(value: Any) -> str:
    """A year ("2019") or a date (ISO or 31.12.2019) as "2019" or "2019-12-31"."""
    if isinstance(value, datetime):
        return _iso(value.year, value.month, value.day, value.isoformat())
    if isinstance(value, date):
        return _iso(value.year, value.month, value.day, value.isoformat())
    text = clean_text(value)
    if not text:
        raise ValueError("Zeitangabe fehlt")
    if text.isdigit() and len(text) == 4:
        _check_year(int(text), text)
        return text
    if match := _ISO_DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
        return _iso(year, month, day, text)
    if match := _GERMAN_DATE.match(text):
        day, month, year = (int(part) for part in match.groups())
        return _iso(year, month, day, text)
    raise ValueError(
        f"Zeitangabe „{text}“ ist weder ein Jahr (z. B. 2019) noch ein Datum "
        "(z. B. 31.12.2019 oder 2019-12-31)"
    )


def parse_area_key(value: Any) -> str:
    """The area key as written in the file (leading zeros kept); digits only."""
    key = clean_text(value)
    if not key:
        raise ValueError("Gebietsschlüssel fehlt")
    if not (key.isdigit() and key.isascii()):
        raise ValueError(f"Gebietsschlüssel „{key}“ darf nur Ziffern enthalten")
    return key


# --- the result -----------------------------------------------------------------------


def finish(
    layout: str,
    rows: list[ObservationRow],
    problems: list[Problem],
    variables: dict[str, VariableInfo],
    areas: dict[str, str],
    name: str,
) -> ObservationFile:
    """Report duplicate (area, period, variable) cells, raise for any problem, else build."""
    seen: dict[tuple[str, str, str], int] = {}
    for row in rows:
        identity = (row.area_key, row.period, row.variable)
        if identity in seen:
            problems.append(
                Problem(
                    row.line,
                    row.column,
                    f"Wert für Gebiet „{row.area_key}“, Zeitraum „{row.period}“ und Variable "
                    f"„{row.variable}“ kommt doppelt vor ({ROW} {seen[identity]} und {row.line})",
                    ROW,
                )
            )
        else:
            seen[identity] = row.line
    if problems:
        problems.sort(key=lambda p: (p.number is not None, p.number or 0))
        raise ObservationFileError(problems, ObservationFile(layout, rows, variables, areas))
    if not rows:
        raise file_problem(f"Die Datei „{name}“ enthält keine Werte.")
    return ObservationFile(layout, rows, variables, areas)
