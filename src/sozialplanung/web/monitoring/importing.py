"""Importing observation tables: read, check every cell against the database, then store at once.

The flow is preview → confirm: ``preview_import`` reads and checks the file and changes nothing;
``confirm_import`` stores a clean preview in one transaction.
"""

import datetime as dt
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from sozialplanung.io.area_files import AreaFileError, Problem
from sozialplanung.io.observation_files import (
    Mapping,
    ObservationFile,
    ObservationFileError,
    ObservationRow,
    read_observation_file,
)
from sozialplanung.web.areas.models import Area
from sozialplanung.web.areas.services import file_checksum

from .models import ImportBatch, Observation, Variable

IGNORE = "-"  # variable map value meaning "leave this column out"


@dataclass(frozen=True)
class ImportSpec:
    """How to read one table: column mapping, variable names and the table's provenance."""

    mapping: Mapping = field(default_factory=Mapping)
    variables: dict[str, str] = field(default_factory=dict)  # file code → variable code or "-"
    territorial_vintage: dt.date | None = None
    # Tables stitched from several publications: the vintage per year overrides the one above.
    vintage_by_year: dict[int, dt.date] = field(default_factory=dict)
    attribution: str = ""
    attribution_url: str = ""
    is_example: bool = False
    break_years: tuple[int, ...] = ()  # first years after a break in the series (e.g. rebasing)
    ignore_unmapped: bool = False  # leave out file variables without a catalogue variable


def load_spec(path: Path) -> ImportSpec:
    """Read an import specification (TOML): mapping keys plus [variables] and provenance."""
    try:
        with Path(path).open("rb") as stream:
            data = tomllib.load(stream)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise AreaFileError([Problem(None, "", f"Zuordnungsdatei nicht lesbar: {error}")]) from None
    variables = data.pop("variables", {})
    vintage = data.pop("territorial_vintage", None)
    by_year = _vintages_by_year(data.pop("territorial_vintages", {}))
    provenance = {
        k: data.pop(k) for k in ("attribution", "attribution_url", "is_example") if k in data
    }
    breaks = tuple(int(year) for year in data.pop("break_years", ()))
    ignore_unmapped = bool(data.pop("ignore_unmapped", False))
    if "skip" in data:
        data["skip"] = tuple(data["skip"])
    try:
        mapping = Mapping(**data)
    except TypeError:
        known = ", ".join(Mapping.__dataclass_fields__)
        raise AreaFileError(
            [
                Problem(
                    None, "", f"Unbekannter Eintrag in der Zuordnungsdatei; möglich sind: {known}"
                )
            ]
        ) from None
    if isinstance(vintage, str):
        vintage = dt.date.fromisoformat(vintage)
    return ImportSpec(
        mapping=mapping,
        variables=variables,
        territorial_vintage=vintage,
        vintage_by_year=by_year,
        break_years=breaks,
        ignore_unmapped=ignore_unmapped,
        **provenance,
    )


def _vintages_by_year(table: dict) -> dict[int, dt.date]:
    """``{"2009-2013" = 2013-12-31, "2014" = …}`` → one date per year."""
    by_year = {}
    for years, day in table.items():
        first, _, last = str(years).partition("-")
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
        for year in range(int(first), int(last or first) + 1):
            by_year[year] = day
    return by_year


@dataclass
class Preview:
    """What an import would do, and every reason it cannot."""

    file_name: str
    checksum: str
    table: ObservationFile
    spec: ImportSpec
    problems: list[Problem]
    cells: list[tuple[ObservationRow, Variable, Area]]
    already_imported: ImportBatch | None = None
    replaced: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and self.already_imported is None

    def summary(self) -> dict:
        years = sorted({_year(row.period) for row, _, _ in self.cells})
        return {
            "values": sum(1 for row, _, _ in self.cells if row.value is not None),
            "flagged": sum(1 for row, _, _ in self.cells if row.value is None),
            "areas": len({area.pk for _, _, area in self.cells}),
            "variables": sorted({variable.name for _, variable, _ in self.cells}),
            "years": f"{years[0]}–{years[-1]}"
            if len(years) > 1
            else str(years[0])
            if years
            else "",
            "replaced": self.replaced,
        }


def preview_import(path: Path, spec: ImportSpec, *, file_name: str | None = None) -> Preview:
    """Read the file and check it against variables and areas; AreaFileError if unreadable."""
    path = Path(path)
    checksum = file_checksum(path)
    try:
        table, problems = read_observation_file(path, spec.mapping), []
    except ObservationFileError as error:
        if error.partial is None:
            raise
        table, problems = error.partial, list(error.problems)
    preview = Preview(file_name or path.name, checksum, table, spec, problems, [])
    preview.already_imported = ImportBatch.objects.filter(
        checksum=checksum, status=ImportBatch.Status.IMPORTED
    ).first()
    if not spec.attribution:
        preview.problems.append(
            Problem(
                None,
                "",
                "Quelle und Lizenz fehlen: bitte angeben, woher die "
                "Zahlen stammen (z. B. „© Statistisches Bundesamt (Destatis)“).",
            )
        )
    variables = _resolve_variables(table, spec, preview.problems)
    areas = _resolve_areas(table.rows, spec)
    for row in table.rows:
        code = variables.get(row.variable)
        if code is None:
            continue  # ignored column, or its problem is reported once in _resolve_variables
        area = areas.get((row.area_key, _reference_day(row.period, spec)))
        if area is None:
            preview.problems.append(
                Problem(
                    row.line,
                    row.column,
                    f"Gebiet „{row.area_key}“ ist für "
                    f"den Gebietsstand {_reference_day(row.period, spec):%d.%m.%Y} nicht bekannt",
                    "Zeile",
                )
            )
            continue
        preview.cells.append((row, code, area))
    preview.problems = sorted(
        _dedupe(preview.problems), key=lambda p: (p.number is not None, p.number or 0)
    )
    preview.replaced = _count_existing(preview.cells)
    return preview


def confirm_import(preview: Preview, *, user=None) -> ImportBatch:
    """Store a clean preview in one transaction; existing values for the same cells are replaced."""
    if preview.already_imported is not None:
        raise AreaFileError(
            [
                Problem(
                    None,
                    "",
                    "Diese Datei wurde bereits am "
                    f"{preview.already_imported.created_at:%d.%m.%Y} importiert.",
                )
            ]
        )
    if preview.problems:
        raise AreaFileError(preview.problems)
    spec = preview.spec
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            file_name=preview.file_name,
            checksum=preview.checksum,
            layout=preview.table.layout,
            territorial_vintage=spec.territorial_vintage,
            attribution=spec.attribution,
            attribution_url=spec.attribution_url,
            is_example=spec.is_example,
            status=ImportBatch.Status.IMPORTED,
            created_by=user if user is not None and user.is_authenticated else None,
            rows_total=len(preview.table.rows),
            mapping={"mapping": _mapping_dict(spec.mapping), "variables": spec.variables},
        )
        existing = _existing_observations(preview.cells)
        new, changed = [], []
        for row, variable, area in preview.cells:
            observation = existing.get((variable.pk, area.pk, _year(row.period))) or Observation(
                variable=variable, area=area, year=_year(row.period)
            )
            observation.reference_date = _date_or_none(row.period)
            observation.value = row.value
            observation.flag = row.flag if row.value is None or row.flag == "estimated" else ""
            if observation.value is None and not observation.flag:
                observation.flag = Observation.Flag.MISSING
            observation.break_in_series = observation.year in spec.break_years
            observation.batch = batch
            (changed if observation.pk else new).append(observation)
        Observation.objects.bulk_create(new, batch_size=2000)
        Observation.objects.bulk_update(
            changed,
            ["reference_date", "value", "flag", "break_in_series", "batch"],
            batch_size=2000,
        )
        batch.rows_imported = sum(1 for o in new + changed if o.value is not None)
        batch.rows_suppressed = len(new) + len(changed) - batch.rows_imported
        batch.save(update_fields=["rows_imported", "rows_suppressed"])
    return batch


def _resolve_variables(table: ObservationFile, spec: ImportSpec, problems: list[Problem]) -> dict:
    known = {v.code: v for v in Variable.objects.all()}
    resolved = {}
    for code in sorted({row.variable for row in table.rows}):
        target = spec.variables.get(code, code)
        if target == IGNORE:
            continue
        if target in known:
            resolved[code] = known[target]
            continue
        if spec.ignore_unmapped and code not in spec.variables:
            continue
        first = next(row for row in table.rows if row.variable == code)
        problems.append(
            Problem(
                first.line,
                first.column,
                f"Zu „{code}“ gibt es keine Variable; bitte einer Variable zuordnen oder auslassen",
                "Zeile",
            )
        )
    return resolved


def _resolve_areas(rows, spec: ImportSpec) -> dict[tuple[str, dt.date], Area]:
    """Each (key, day) of the file → the area with that official or regional key valid that day."""
    wanted = {(row.area_key, _reference_day(row.period, spec)) for row in rows}
    keys = {key for key, _ in wanted}
    by_key = defaultdict(list)
    for area in Area.objects.filter(key__in=keys) | Area.objects.filter(regional_key__in=keys):
        by_key[area.key].append(area)
        if area.regional_key:
            by_key[area.regional_key].append(area)
    found = {}
    for key, day in wanted:
        for area in by_key.get(key, []):
            if area.valid_from <= day and (area.valid_to is None or day <= area.valid_to):
                found[(key, day)] = area
                break
    return found


def _existing_observations(cells) -> dict:
    existing = {}
    variables = {variable.pk for _, variable, _ in cells}
    areas = {area.pk for _, _, area in cells}
    years = {_year(row.period) for row, _, _ in cells}
    query = Observation.objects.filter(variable__in=variables, area__in=areas, year__in=years)
    for observation in query:
        existing[(observation.variable_id, observation.area_id, observation.year)] = observation
    return existing


def _count_existing(cells) -> int:
    wanted = {(v.pk, a.pk, _year(row.period)) for row, v, a in cells}
    return sum(1 for key in _existing_observations(cells) if key in wanted)


def _year(period: str) -> int:
    return int(period[:4])


def _date_or_none(period: str) -> dt.date | None:
    return dt.date.fromisoformat(period) if len(period) == 10 else None


def _reference_day(period: str, spec: ImportSpec) -> dt.date:
    """Keys refer to the declared territorial vintage, else to the period's own day (31.12.)."""
    vintage = spec.vintage_by_year.get(_year(period), spec.territorial_vintage)
    if vintage is not None:
        return vintage
    return _date_or_none(period) or dt.date(_year(period), 12, 31)


def _mapping_dict(mapping: Mapping) -> dict:
    return {k: v for k, v in mapping.__dict__.items() if v not in (None, ())}


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, unique = set(), []
    for problem in problems:
        if str(problem) not in seen:
            seen.add(str(problem))
            unique.append(problem)
    return unique
