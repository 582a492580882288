"""Writes to the areas domain: validated, all-or-nothing imports of areas and conversion keys."""

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import shapely
from django.db import transaction
from django.db.models import Q

from sozialplanung.analytics.geometry import area_km2, dissolve, shared_borders
from sozialplanung.io.area_files import AreaFileError, AreaRecord, FieldMap, Problem, read_area_file
from sozialplanung.io.conversion_files import ConversionRecord, read_conversion_file

from .models import HIERARCHY, KEY_LENGTHS, Area, AreaImport, ConversionKey, Level, Neighbourship


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def import_area_file(
    path: Path,
    *,
    level: str,
    vintage: dt.date,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    fields: FieldMap | None = None,
    source_crs: str | None = None,
    attribution: str = "",
    attribution_url: str = "",
    population_note: str = "",
    user=None,
    file_name: str | None = None,
) -> AreaImport:
    """Read, validate and import one area file; on AreaFileError nothing is changed."""
    records = read_area_file(
        path,
        fields=fields or FieldMap(),
        source_crs=source_crs,
        key_length=KEY_LENGTHS.get(Level(level)),
    )
    return import_areas(
        records,
        level=level,
        vintage=vintage,
        valid_from=valid_from,
        valid_to=valid_to,
        file_name=file_name or path.name,
        checksum=file_checksum(path),
        attribution=attribution,
        attribution_url=attribution_url,
        population_note=population_note,
        user=user,
    )


def import_areas(
    records: Sequence[AreaRecord],
    *,
    level: str,
    vintage: dt.date,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    file_name: str,
    checksum: str,
    attribution: str = "",
    attribution_url: str = "",
    population_note: str = "",
    user=None,
) -> AreaImport:
    """Create or update the areas of one level and period in one transaction.

    Re-importing the same file for the same period updates the rows in place, so imports are
    idempotent. Parents are found by official key prefix among larger areas valid at the vintage.
    """
    level = Level(level)
    valid_from = valid_from or vintage
    problems = _check_period(vintage, valid_from, valid_to)
    if not records:
        problems.append(Problem(None, "", "Die Datei enthält keine Gebiete."))
    problems += _check_overlaps(records, level, valid_from, valid_to)
    parents = _resolve_parents(records, level, vintage)
    if problems:
        raise AreaFileError(problems)

    geometries = [r.geometry for r in records]
    sizes = area_km2([g for g in geometries if g is not None]) if any(geometries) else []
    size_of = iter(sizes)
    with transaction.atomic():
        batch = AreaImport.objects.create(
            file_name=file_name,
            checksum=checksum,
            level=level,
            vintage=vintage,
            attribution=attribution,
            attribution_url=attribution_url,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        existing = {a.key: a for a in Area.objects.filter(level=level, valid_from=valid_from)}
        to_create, to_update = [], []
        for record in records:
            area = existing.get(record.key) or Area(
                level=level, key=record.key, valid_from=valid_from
            )
            area.name = record.name
            area.kind = record.kind
            area.regional_key = record.regional_key
            area.parent = parents.get(record.key)
            area.vintage = vintage
            area.valid_to = valid_to
            area.source = batch
            if record.geometry is not None:
                area.geometry = json.dumps(shapely.geometry.mapping(record.geometry))
                area.geometry_derived = False
                area.area_km2 = round(float(next(size_of)), 3)
            if record.population is not None:
                area.population = record.population
                area.population_note = population_note
            (to_update if area.pk else to_create).append(area)
        Area.objects.bulk_create(to_create)
        Area.objects.bulk_update(
            to_update,
            [
                "name",
                "kind",
                "regional_key",
                "parent",
                "vintage",
                "valid_to",
                "source",
                "geometry",
                "geometry_derived",
                "area_km2",
                "population",
                "population_note",
            ],
        )
        batch.created_count, batch.updated_count = len(to_create), len(to_update)
        batch.save(update_fields=["created_count", "updated_count"])
        if any(geometries):
            refresh_neighbours(level, vintage)
            derive_parent_geometries(level, vintage)
    return batch


def _check_period(vintage, valid_from, valid_to) -> list[Problem]:
    if valid_to is not None and valid_to < valid_from:
        return [Problem(None, "", "Das Ende der Gültigkeit liegt vor ihrem Beginn.")]
    if valid_from > vintage or (valid_to is not None and vintage > valid_to):
        return [Problem(None, "", "Der Gebietsstand liegt außerhalb des Gültigkeitszeitraums.")]
    return []


def _check_overlaps(records, level, valid_from, valid_to) -> list[Problem]:
    """An official key may be valid only once at any day on one level."""
    keys = {r.key: r for r in records}
    clashes = Area.objects.filter(level=level, key__in=keys).exclude(valid_from=valid_from)
    clashes = clashes.filter(valid_from__lte=valid_to) if valid_to else clashes
    clashes = clashes.exclude(valid_to__lt=valid_from)
    return [
        Problem(
            keys[a.key].number,
            "Schlüssel",
            f"„{a.key}“ ist schon ab {a.valid_from:%d.%m.%Y} gültig; die Zeiträume überschneiden "
            "sich.",
        )
        for a in clashes
    ]


def _resolve_parents(records, level: Level, vintage: dt.date) -> dict[str, Area]:
    """Nearest larger area whose key prefixes the record's regional or official key."""
    if level not in HIERARCHY:
        return {}
    larger = HIERARCHY[: HIERARCHY.index(level)]
    candidates = {a.key: a for a in Area.objects.filter(level__in=larger).valid_on(vintage)}
    parents = {}
    for record in records:
        for code in (record.regional_key, record.key):
            matches = [k for k in candidates if code and code.startswith(k) and k != code]
            if matches:
                parents[record.key] = candidates[max(matches, key=len)]
                break
    return parents


def refresh_neighbours(level: str, on_date: dt.date) -> int:
    """Recompute shared borders among the areas of one level valid at a date; returns the pairs."""
    areas = [a for a in Area.objects.filter(level=level).valid_on(on_date) if a.geometry]
    Neighbourship.objects.filter(area__in=areas).delete()
    shapes = [shapely.from_geojson(a.geometry) for a in areas]
    links = []
    for i, j, border in shared_borders(shapes):
        links.append(Neighbourship(area=areas[i], neighbour=areas[j], border_km=border))
        links.append(Neighbourship(area=areas[j], neighbour=areas[i], border_km=border))
    Neighbourship.objects.bulk_create(links)
    return len(links) // 2


def derive_parent_geometries(level: str, on_date: dt.date) -> None:
    """Give associations without a boundary of their own the union of their members' boundaries.

    Only associations: they consist of their members by definition, whereas a state or county may
    be on file with just some of its parts.
    """
    children = Area.objects.filter(level=level).valid_on(on_date).exclude(geometry="")
    parents = Area.objects.filter(pk__in=children.values("parent"), level=Level.ASSOCIATION).filter(
        Q(geometry="") | Q(geometry_derived=True)
    )
    for parent in parents:
        members = list(children.filter(parent=parent))
        union = dissolve([shapely.from_geojson(c.geometry) for c in members])
        parent.geometry = json.dumps(shapely.geometry.mapping(union))
        parent.geometry_derived = True
        parent.area_km2 = round(float(area_km2([union])[0]), 3)
        if all(c.population is not None for c in members):
            parent.population = sum(c.population for c in members)
            parent.population_note = "Summe der Mitgliedsgemeinden"
        parent.save()


def import_conversion_file(
    path: Path,
    *,
    level: str = Level.MUNICIPALITY,
    old_vintage: dt.date,
    new_vintage: dt.date,
    effective_date: dt.date,
) -> int:
    """Read, validate and import a conversion key table; returns the number of keys stored."""
    return import_conversion_keys(
        read_conversion_file(path),
        level=level,
        old_vintage=old_vintage,
        new_vintage=new_vintage,
        effective_date=effective_date,
    )


def import_conversion_keys(
    records: Sequence[ConversionRecord],
    *,
    level: str = Level.MUNICIPALITY,
    old_vintage: dt.date,
    new_vintage: dt.date,
    effective_date: dt.date,
) -> int:
    """Store the mapping from one vintage's areas to another's, completing unchanged areas.

    Like an official Umsteigeschlüssel, the file lists only changes; every old area not named in it
    whose key still exists in the new vintage maps to that area with weight 1.
    """
    old = {a.key: a for a in Area.objects.filter(level=level).valid_on(old_vintage)}
    new = {a.key: a for a in Area.objects.filter(level=level).valid_on(new_vintage)}
    problems = []
    if not old or not new:
        problems.append(
            Problem(None, "", "Für einen der beiden Gebietsstände gibt es keine Gebiete.")
        )
    for r in records:
        if r.old_key not in old:
            problems.append(
                Problem(r.number, "alt", f"„{r.old_key}“ gibt es am {old_vintage:%d.%m.%Y} nicht.")
            )
        if r.new_key not in new:
            problems.append(
                Problem(r.number, "neu", f"„{r.new_key}“ gibt es am {new_vintage:%d.%m.%Y} nicht.")
            )
    listed = {r.old_key for r in records}
    unchanged = [k for k in old if k not in listed and k in new]
    orphans = sorted(k for k in old if k not in listed and k not in new)
    problems += [
        Problem(None, "alt", f"„{k}“ ({old[k].name}) hat keinen Nachfolger im neuen Gebietsstand.")
        for k in orphans
    ]
    if problems:
        raise AreaFileError(problems)
    keys = [
        ConversionKey(
            old_area=old[r.old_key],
            new_area=new[r.new_key],
            weight=r.weight,
            effective_date=effective_date,
            basis=r.basis,
        )
        for r in records
    ] + [
        ConversionKey(
            old_area=old[k],
            new_area=new[k],
            weight=1.0,
            effective_date=effective_date,
            basis="unverändert",
        )
        for k in unchanged
    ]
    with transaction.atomic():
        ConversionKey.objects.filter(old_area__in=old.values(), new_area__in=new.values()).delete()
        ConversionKey.objects.bulk_create(keys)
    return len(keys)
