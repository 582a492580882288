"""Read key conversion tables (e.g. municipality mergers) as CSV.

Time series break when municipalities merge or split; a conversion table maps old
keys to new keys with weights so old figures can be carried over to today's areas.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sozialplanung.io.area_files import (
    AreaFileError,
    Problem,
    file_error,
    find_column,
    read_csv_table,
)

COLUMNS: dict[str, tuple[str, ...]] = {
    "old_key": ("old_key", "old_ags", "alt"),
    "new_key": ("new_key", "new_ags", "neu"),
    "weight": ("weight", "gewicht"),
    "basis": ("basis", "evidence", "grundlage"),
}
REQUIRED = ("old_key", "new_key")
WEIGHT_TOLERANCE = 1e-6
ROW = "Zeile"


@dataclass(frozen=True)
class ConversionRecord:
    """One old key → new key share; ``number`` is the line in the file (header = 1)."""

    number: int
    old_key: str
    new_key: str
    weight: float = 1.0
    basis: str = ""


def parse_weight(text: str) -> float:
    """Parse a share in (0, 1]; empty means the whole area (1.0), '0,5' is allowed."""
    text = text.strip()
    if not text:
        return 1.0
    value = float(text.replace(",", "."))
    if not math.isfinite(value) or not 0 < value <= 1:
        raise ValueError(text)
    return value


def read_conversion_file(path: Path) -> list[ConversionRecord]:
    """Read and check a conversion table; raises AreaFileError listing every problem."""
    path = Path(path)
    if path.suffix.lower() not in {".csv", ".txt"}:
        raise file_error(
            f"Das Dateiformat „{path.suffix or path.name}“ wird nicht unterstützt. "
            "Bitte eine CSV-Datei verwenden."
        )
    header, rows = read_csv_table(path)
    columns = {attr: find_column(header, None, names) for attr, names in COLUMNS.items()}
    listing = ", ".join(f"„{c}“" for c in header) or "keine"
    missing = [
        Problem(
            None,
            "",
            f"Spalte „{COLUMNS[attr][0]}“ fehlt (auch möglich: "
            f"{', '.join(COLUMNS[attr][1:])}). Die Datei hat die Spalten {listing}.",
        )
        for attr in REQUIRED
        if columns[attr] is None
    ]
    if missing:
        raise AreaFileError(missing)
    if not rows:
        raise file_error(f"Die Datei „{path.name}“ enthält keine Zuordnungen.")

    problems: list[Problem] = []
    records: list[ConversionRecord] = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in rows:

        def cell(attr: str, row: dict[str, str] = row) -> str:
            column = columns[attr]
            return (row.get(column) or "").strip() if column else ""

        keys_ok = True
        for attr, label in (("old_key", "Alter Schlüssel"), ("new_key", "Neuer Schlüssel")):
            value = cell(attr)
            reason = ""
            if not value:
                reason = f"{label} fehlt"
            elif not value.isdigit() or not value.isascii():
                reason = f"{label} „{value}“ darf nur Ziffern enthalten"
            if reason:
                problems.append(Problem(number, columns[attr] or "", reason, ROW))
                keys_ok = False
        try:
            weight = parse_weight(cell("weight"))
        except ValueError:
            problems.append(
                Problem(
                    number,
                    columns["weight"] or "",
                    f"Gewicht „{cell('weight')}“ muss eine Zahl größer 0 und höchstens 1 sein",
                    ROW,
                )
            )
            continue
        if not keys_ok:
            continue
        pair = (cell("old_key"), cell("new_key"))
        if pair in seen:
            problems.append(
                Problem(
                    number,
                    "",
                    f"Zuordnung {pair[0]} → {pair[1]} kommt doppelt vor "
                    f"(Zeile {seen[pair]} und {number})",
                    ROW,
                )
            )
            continue
        seen[pair] = number
        records.append(ConversionRecord(number, pair[0], pair[1], weight, cell("basis")))

    problems.extend(_check_splits(records))
    if problems:
        raise AreaFileError(problems)
    return records


def _check_splits(records: list[ConversionRecord]) -> list[Problem]:
    """An old area split among several new ones must be shared out completely."""
    by_old: dict[str, list[ConversionRecord]] = defaultdict(list)
    for record in records:
        by_old[record.old_key].append(record)
    problems = []
    for old_key, parts in by_old.items():
        if len(parts) < 2:
            continue
        total = sum(part.weight for part in parts)
        if abs(total - 1.0) > WEIGHT_TOLERANCE:
            shown = f"{total:.6g}".replace(".", ",")
            lines = ", ".join(str(part.number) for part in parts)
            problems.append(
                Problem(
                    parts[0].number,
                    "",
                    f"Die Gewichte für den alten Schlüssel {old_key} ergeben zusammen "
                    f"{shown} statt 1 (Zeilen {lines})",
                    ROW,
                )
            )
    return problems
