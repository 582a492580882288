"""The regionalisation problem of a county, gathered from the database for the analytics layer.

Base areas are today's municipalities with their stored neighbourships; attributes are indicator
values (computed from numerator and denominator like everywhere else) and, if asked for, log
population density. The analytics layer (``sozialplanung.analytics.regions*``) does the rest.
"""

import math
from dataclasses import dataclass

import numpy as np
import shapely
from django.utils.translation import gettext as _

from sozialplanung.analytics.geometry import dissolve, project_equal_area
from sozialplanung.analytics.regions import RegionProblem, coordinate_attributes, quality
from sozialplanung.web.areas.models import Area, Level, Neighbourship
from sozialplanung.web.monitoring.compute import (
    current_municipalities,
    indicator_for,
    successors_to,
)
from sozialplanung.web.monitoring.models import Indicator


class ProblemError(ValueError):
    """The data cannot form a problem (missing values, no neighbours); the message says why."""


@dataclass
class Setup:
    """A problem together with the municipalities its rows stand for."""

    municipalities: list[Area]
    problem: RegionProblem
    attribute_names: list[str]

    @property
    def keys(self) -> list[str]:
        return [a.key for a in self.municipalities]

    def geometries(self) -> np.ndarray | None:
        """Boundaries in metres (equal-area), for compactness; None if any is missing."""
        if not all(a.geometry for a in self.municipalities):
            return None
        return project_equal_area([shape_of(a) for a in self.municipalities])

    def association_ids(self) -> list[int | None]:
        return association_ids(self.municipalities)

    def measure(self, labels) -> dict:
        """Quality measures of a partition, ready to store as JSON."""
        return quality(self.problem, labels, self.geometries(), self.association_ids())

    def attribute_rows(self) -> dict[str, list[float]]:
        """The raw attribute values per municipality key, as the scheme keeps them."""
        rows = self.problem.attributes
        return {key: [float(v) for v in row] for key, row in zip(self.keys, rows, strict=True)}


def shape_of(area: Area) -> shapely.Geometry:
    return shapely.from_geojson(area.geometry)


def association_ids(municipalities: list[Area]) -> list[int | None]:
    """Each municipality's administrative association, None where it belongs to none."""
    return [
        a.parent_id if a.parent and a.parent.level == Level.ASSOCIATION else None
        for a in municipalities
    ]


def attribute_matrix(
    municipalities: list[Area], indicators: list[Indicator], year: int, density: bool
) -> tuple[np.ndarray, list[str]]:
    """One column per indicator (value in ``year``) plus log density; missing values refused."""
    columns, names = [], []
    chains = successors_to(municipalities) if indicators else {}
    for indicator in indicators:
        result = indicator_for(indicator, year, municipalities, chains)
        missing = [a.name for a, v in zip(municipalities, result.value, strict=True) if v != v]
        if missing:
            raise ProblemError(
                _(
                    "%(indicator)s has no value in %(year)d for %(count)d municipalities "
                    "(%(names)s)."
                )
                % {
                    "indicator": indicator.name,
                    "year": year,
                    "count": len(missing),
                    "names": ", ".join(missing[:5]) + (" …" if len(missing) > 5 else ""),
                }
            )
        columns.append(result.value.astype(float))
        names.append(indicator.name)
    if density:
        bad = [a.name for a in municipalities if not a.population or not a.area_km2]
        if bad:
            raise ProblemError(
                _("Population density needs population and area of every municipality: %(names)s.")
                % {"names": ", ".join(bad[:5])}
            )
        columns.append(np.array([math.log(a.population / a.area_km2) for a in municipalities]))
        names.append(_("population density (log)"))
    if not columns:
        raise ProblemError(_("Choose at least one attribute for the similarity within spaces."))
    return np.column_stack(columns), names


def association_groups(municipalities: list[Area]) -> tuple[tuple[int, ...], ...]:
    """Indices of the municipalities of each association with more than one member."""
    groups: dict[int, list[int]] = {}
    for i, association in enumerate(association_ids(municipalities)):
        if association is not None:
            groups.setdefault(association, []).append(i)
    return tuple(tuple(g) for g in groups.values() if len(g) > 1)


def pairs_apart(municipalities: list[Area], keys: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    """Every pair of the named municipalities, as cannot-link index pairs."""
    index = [i for i, a in enumerate(municipalities) if a.key in set(keys)]
    return tuple((a, b) for n, a in enumerate(index) for b in index[n + 1 :])


def edges_between(municipalities: list[Area]) -> np.ndarray:
    index = {a.pk: i for i, a in enumerate(municipalities)}
    pairs = Neighbourship.objects.filter(area__in=index, neighbour__in=index).values_list(
        "area_id", "neighbour_id"
    )
    edges = {tuple(sorted((index[a], index[b]))) for a, b in pairs}
    return np.array(sorted(edges), dtype=int).reshape(-1, 2)


def build_setup(
    county: Area,
    *,
    indicators: list[Indicator],
    year: int,
    density: bool,
    p: int | None,
    floor: float,
    ceiling: float | None,
    keep_associations: bool,
    compactness: float = 0.0,
    apart: tuple[str, ...] = (),
) -> Setup:
    """The problem for the county's municipalities today, as the planner specified it.

    ``compactness`` > 0 adds the municipalities' centroids as attributes of that weight, so
    spaces also stay close together (0: similarity alone decides). ``apart`` names (by key)
    municipalities that must each lie in a different space, e.g. towns that anchor a space.
    """
    municipalities = current_municipalities(county)
    if len(municipalities) < 2:
        raise ProblemError(_("The county needs at least two municipalities on file."))
    attributes, names = attribute_matrix(municipalities, indicators, year, density)
    weights = [1.0] * attributes.shape[1]
    if compactness > 0:
        if not all(a.geometry for a in municipalities):
            raise ProblemError(_("Compactness needs the boundary of every municipality."))
        centres = shapely.centroid(project_equal_area([shape_of(a) for a in municipalities]))
        xy, pair = coordinate_attributes(shapely.get_coordinates(centres), compactness)
        attributes = np.column_stack([attributes, xy])
        weights += list(pair)
        names += [_("location (compactness)")]
    edges = edges_between(municipalities)
    if not len(edges):
        raise ProblemError(_("No neighbourships between the municipalities are on file."))
    rules = {"p": p, "floor": floor, "ceiling": ceiling, "keep_associations": keep_associations}
    problem = _region_problem(municipalities, attributes, weights, edges, {**rules, "apart": apart})
    return Setup(municipalities, problem, names)


def _region_problem(municipalities, attributes, weights, edges, rules: dict) -> RegionProblem:
    """The problem on these municipalities under the planner's rules (as a scheme stores them)."""
    ceiling = rules.get("ceiling")
    return RegionProblem(
        attributes=attributes,
        population=np.array([a.population or 0 for a in municipalities], dtype=float),
        edges=edges,
        p=rules.get("p"),
        floor=float(rules.get("floor") or 0),
        ceiling=math.inf if ceiling is None else float(ceiling),
        must_link=association_groups(municipalities) if rules.get("keep_associations") else (),
        cannot_link=pairs_apart(municipalities, tuple(rules.get("apart") or ())),
        names=tuple(a.name for a in municipalities),
        weights=tuple(weights or ()),
    )


def space_boundary(areas: list[Area]) -> shapely.MultiPolygon:
    """The dissolved boundary of a space's municipalities (lon/lat)."""
    return dissolve([shape_of(a) for a in areas if a.geometry])


def setup_of_scheme(scheme) -> Setup:
    """The problem a stored scheme was made for, rebuilt from what the scheme kept.

    Attributes and their weights come from the scheme, not from today's data, so checking an
    edit measures it exactly as the scheme was measured.
    """
    memberships = scheme.memberships.select_related("municipality__parent").order_by(
        "municipality__key"
    )
    municipalities = [m.municipality for m in memberships]
    params = scheme.parameters
    problem = _region_problem(
        municipalities,
        np.array([scheme.attributes[a.key] for a in municipalities], dtype=float),
        params.get("attribute_weights"),
        edges_between(municipalities),
        params,
    )
    return Setup(municipalities, problem, list(params.get("attribute_names", [])))


def labels_of_scheme(scheme, setup: Setup) -> np.ndarray:
    """Space index (0..k-1 by space number) of each municipality of the setup."""
    numbers = sorted(scheme.spaces.values_list("number", flat=True))
    position = {n: i for i, n in enumerate(numbers)}
    space_of = dict(scheme.memberships.values_list("municipality_id", "space__number"))
    return np.array([position[space_of[a.pk]] for a in setup.municipalities], dtype=int)
