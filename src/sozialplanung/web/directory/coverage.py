"""Coverage for planners: published offers per life situation per social space against need.

Each life situation has a target population from monitoring (children under 15 for childcare,
people aged 65 and over for care …), summed over the space's municipalities for the latest year
on file. ``analytics.coverage`` turns counts and populations into rates and gaps.
"""

import json
from dataclasses import dataclass

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from shapely.geometry import shape

from sozialplanung.analytics.coverage import Coverage, coverage
from sozialplanung.reports.maps import LegendClass, MapArea, choropleth
from sozialplanung.web.areas.models import Area
from sozialplanung.web.monitoring.compute import (
    current_municipalities,
    successors_to,
    variable_on_targets,
)
from sozialplanung.web.monitoring.models import Observation, Variable
from sozialplanung.web.spaces.selectors import space_areas

from .models import ServiceAtLocation
from .search import public_services
from .taxonomy import life_situations

# Whom each life situation is for, as a variable of the catalogue.
TARGET_POPULATION = {
    "schwangerschaft-geburt": "population_under_15",
    "kinderbetreuung": "population_under_15",
    "schule": "population_under_15",
    "ausbildung-arbeit": "population_15_64",
    "geld-leistungen": "population",
    "gesundheit": "population",
    "beratung": "population_under_20",
    "freizeit": "population_under_20",
    "behinderung": "population",
    "pflege-alter": "population_65_plus",
    "wohnen": "population",
    "migration": "population",
}
GAP_PALETTE = ["#e8f1ef", "#f6d7c3", "#e89a6b", "#b8461b"]  # 0, 1–2, 3–4, 5+ gaps


@dataclass
class CoverageView:
    spaces: list[Area]
    terms: list
    result: Coverage
    variables: dict[str, tuple[str, int | None]]  # code → (variable name, year)
    map_svg: str


def coverage_view(county: Area) -> CoverageView | None:
    spaces, space_of = space_areas(county)
    if not spaces:
        return None
    terms = list(life_situations())
    index = {space.pk: i for i, space in enumerate(spaces)}
    counts = np.zeros((len(spaces), len(terms)))
    term_index = {t.pk: j for j, t in enumerate(terms)}
    places = ServiceAtLocation.objects.filter(
        service__in=public_services(), location__municipality__isnull=False
    ).values_list("service_id", "location__municipality_id")
    spaces_of_service: dict[int, set[int]] = {}
    for service, municipality in places:
        if space_of.get(municipality) in index:
            spaces_of_service.setdefault(service, set()).add(index[space_of[municipality]])
    for service in public_services().filter(pk__in=spaces_of_service).prefetch_related("terms"):
        for term in service.terms.all():
            for i in spaces_of_service[service.pk]:
                counts[i, term_index[term.pk]] += 1
    population, variables = _populations(county, spaces, space_of, terms)
    result = coverage(counts, population)
    return CoverageView(spaces, terms, result, variables, _map(county, spaces, space_of, result))


def _populations(county, spaces, space_of, terms):
    municipalities = current_municipalities(county)
    chains = successors_to(municipalities)
    columns, variables, cache = [], {}, {}
    position = {space.pk: i for i, space in enumerate(spaces)}
    for term in terms:
        code = TARGET_POPULATION.get(term.code, "population")
        if code not in cache:
            variable = Variable.objects.filter(code=code).first()
            year = (
                Observation.objects.filter(variable=variable, value__isnull=False)
                .order_by("-year")
                .values_list("year", flat=True)
                .first()
                if variable
                else None
            )
            totals = np.zeros(len(spaces))
            if year is not None:
                values = variable_on_targets(variable, year, municipalities, chains).values
                for m, value in zip(municipalities, values, strict=True):
                    i = position.get(space_of.get(m.pk))
                    if i is not None and not np.isnan(value):
                        totals[i] += value
            cache[code] = (totals, variable.name if variable else code, year)
        totals, name, year = cache[code]
        columns.append(totals)
        variables[term.code] = (name, year)
    return np.column_stack(columns), variables


def _map(county, spaces, space_of, result: Coverage) -> str:
    gaps = result.gaps.sum(axis=1)
    klass = np.digitize(gaps, [1, 3, 5])
    colour_of = {space.pk: GAP_PALETTE[k] for space, k in zip(spaces, klass, strict=True)}
    name_of = {space.pk: space.name for space in spaces}
    gaps_of = {space.pk: int(g) for space, g in zip(spaces, gaps, strict=True)}
    areas = [
        MapArea(
            m.name,
            shape(json.loads(m.geometry)),
            colour_of[space_of[m.pk]],
            f"{m.name} ({name_of[space_of[m.pk]]}): {gaps_of[space_of[m.pk]]} {_('gaps')}",
        )
        for m in current_municipalities(county)
        if m.geometry and space_of.get(m.pk) in colour_of
    ]
    legend = [
        LegendClass(_("no gap"), GAP_PALETTE[0]),
        LegendClass(_("1 or 2 gaps"), GAP_PALETTE[1]),
        LegendClass(_("3 or 4 gaps"), GAP_PALETTE[2]),
        LegendClass(_("5 gaps or more"), GAP_PALETTE[3]),
    ]
    return choropleth(areas, legend, title=_("Gaps in the offers per social space"), width=420)


def table_rows(view: CoverageView) -> list[dict]:
    """One row per life situation: per space the count, the rate and whether it is a gap."""
    rows = []
    for j, term in enumerate(view.terms):
        name, year = view.variables[term.code]
        cells = [
            {
                "count": int(view.result.counts[i, j]),
                "rate": _rate(view.result.rates[i, j]),
                "gap": bool(view.result.gaps[i, j]),
            }
            for i in range(len(view.spaces))
        ]
        rows.append(
            {
                "term": term,
                "target": f"{name} {year}" if year else name,
                "overall": _rate(view.result.overall[j]),
                "cells": cells,
            }
        )
    return rows


def _rate(value: float) -> str:
    return "–" if np.isnan(value) else number_format(value, 1, use_l10n=True)
