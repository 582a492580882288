"""Statistical disclosure control for published indicator values.

A published rate with a published population gives its numerator away, so the numerators are
the cells to protect: municipalities sum into associations and the county, small numerators are
hidden (primary), and further cells are hidden until no hidden count can be recomputed or bounded
narrowly from the published ones (secondary, proven by the LP audit in ``analytics``).
"""

import numpy as np
from django.conf import settings

from sozialplanung.analytics.disclosure import (
    Relation,
    hierarchy_relations,
    primary_rates,
    secondary_suppression,
)

from .compute import IndicatorResult
from .models import Variable


def threshold() -> int:
    return getattr(settings, "DISCLOSURE_THRESHOLD", 3)


# A second partition of the smallest areas (social spaces): the level, and each small area's
# key (pk) mapped to the pk of the overlay area it adds up into.
Overlay = tuple[IndicatorResult, dict[int, int]]


def protect(levels: list[IndicatorResult], overlays: list[Overlay] = ()) -> list[np.ndarray]:
    """Which values of each level must not be published; levels run from small to large areas.

    Each area adds up into its nearest ancestor on a larger level; each overlay area (a social
    space) is the sum of its smallest areas, and the largest level the sum of the overlay areas,
    so differences between the two partitions cannot reveal a hidden count. Values delivered as
    rates by their source (not additive) were protected by that source and only hidden where
    missing. Returns one mask per level, then one per overlay.
    """
    indicator = levels[0].indicator
    every = [*levels, *(level for level, _ in overlays)]
    if indicator.numerator.kind != Variable.Kind.COUNT:
        return [np.zeros(len(level.areas), dtype=bool) for level in every]
    cells = np.concatenate([level.numerator for level in every])
    denominators = np.full(cells.shape, np.inf)  # only counts of persons can be too small
    denominator = indicator.denominator
    if denominator and denominator.kind == Variable.Kind.COUNT and not indicator.change_years:
        denominators = np.concatenate([level.denominator for level in every])
    offsets = np.cumsum([0] + [len(level.areas) for level in every])
    known = ~np.isnan(cells)
    # A total over an unknown part is itself unknown, so only complete relations bind.
    relations = [r for r in _relations(levels, overlays) if all(known[c] for c in r.cells)]
    values = np.where(known, cells, 0.0)
    primary = primary_rates(
        values, np.where(np.isnan(denominators), np.inf, denominators), threshold()
    )
    primary &= known
    result = secondary_suppression(values, relations, primary, protection=threshold())
    hidden = result.suppressed
    return [hidden[offsets[i] : offsets[i + 1]] for i in range(len(every))]


def _relations(levels: list[IndicatorResult], overlays: list[Overlay]) -> list[Relation]:
    """Every "total = sum of parts" the published levels and overlays state together."""
    parents = _parents(levels)
    parents += [None] * sum(len(level.areas) for level, _ in overlays)
    relations = hierarchy_relations(parents)
    offset = sum(len(level.areas) for level in levels)
    smallest = {area.pk: i for i, area in enumerate(levels[0].areas)}
    top = offset - len(levels[-1].areas)  # the largest level: one area (the county)
    for level, member_of in overlays:
        position = {area.pk: offset + i for i, area in enumerate(level.areas)}
        parts: dict[int, list[int]] = {cell: [] for cell in position.values()}
        for small, big in member_of.items():
            if small in smallest and big in position:
                parts[position[big]].append(smallest[small])
        relations += [Relation(total, tuple(p)) for total, p in parts.items() if p]
        if len(levels[-1].areas) == 1 and len(levels) > 1:
            relations.append(Relation(top, tuple(position.values())))
        offset += len(level.areas)
    return relations


def audit_publication(
    levels: list[IndicatorResult], hidden: list[np.ndarray], overlays: list[Overlay] = ()
) -> dict:
    """What an attacker can learn about each hidden count from everything published together.

    Returns the number of hidden cells and the narrowest feasible interval among them (LP audit);
    the publication is protected when that width reaches the threshold.
    """
    from sozialplanung.analytics.disclosure import audit_intervals

    cells = np.concatenate([level.numerator for level in [*levels, *(o for o, _ in overlays)]])
    suppressed = np.concatenate(hidden)
    if np.isnan(cells).any() or not suppressed.any():
        return {"hidden": int(suppressed.sum()), "narrowest": None, "protected": True}
    relations = _relations(levels, overlays)
    lower, upper = audit_intervals(cells, relations, suppressed)
    narrowest = float(np.min(upper[suppressed] - lower[suppressed]))
    return {
        "hidden": int(suppressed.sum()),
        "narrowest": narrowest,
        "protected": narrowest >= threshold(),
    }


def _parents(levels: list[IndicatorResult]) -> list[int | None]:
    """Each cell's parent: the nearest ancestor shown on any larger level (flat cell indices).

    A municipality outside every association adds up directly into the county.
    """
    offsets = np.cumsum([0] + [len(level.areas) for level in levels])
    position = {}
    for number, level in enumerate(levels):
        for i, area in enumerate(level.areas):
            position[(number, area.pk)] = offsets[number] + i
    parents: list[int | None] = [None] * int(offsets[-1])
    for number, level in enumerate(levels[:-1]):
        for i, area in enumerate(level.areas):
            for ancestor in area.ancestors():
                cell = next(
                    (
                        position[(larger, ancestor.pk)]
                        for larger in range(number + 1, len(levels))
                        if (larger, ancestor.pk) in position
                    ),
                    None,
                )
                if cell is not None:
                    parents[offsets[number] + i] = int(cell)
                    break
    return parents
