"""Indicator values for today's areas, computed from stored observations.

Counts observed on an earlier territorial state are carried to today's municipalities through the
conversion keys, summed to larger areas, and only then divided: rates are never averaged.
The arithmetic lives in ``sozialplanung.analytics``; this module fetches and arranges the data.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from sozialplanung.analytics.aggregate import aggregate, membership_matrix
from sozialplanung.analytics.harmonise import conversion_matrix, harmonise
from sozialplanung.analytics.indicators import ratio
from sozialplanung.web.areas.models import Area, ConversionKey, Level

from .models import Indicator, Observation, Variable


@dataclass
class Series:
    """One variable's values on the target areas for one year, with where they came from."""

    values: np.ndarray
    batches: list[set[int]]
    harmonised: np.ndarray  # True where conversion keys carried the value across a merger


@dataclass
class IndicatorResult:
    """An indicator for one year on a list of areas (all of one level), plus its reference."""

    indicator: Indicator
    year: int
    areas: list[Area]
    value: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray | None
    batches: list[set[int]]
    harmonised: np.ndarray
    example_batches: set[int] = field(default_factory=set)

    @cached_property
    def example(self) -> np.ndarray:
        """Areas whose value rests on example data (generated, not official)."""
        return np.array([bool(b & self.example_batches) for b in self.batches], dtype=bool)


def current_municipalities(county: Area, day: dt.date | None = None) -> list[Area]:
    day = day or dt.date.today()
    return list(
        Area.objects.filter(level=Level.MUNICIPALITY, key__startswith=county.key)
        .valid_on(day)
        .select_related("parent__parent__parent")  # ancestors() without a query per area
        .order_by("key")
    )


def successors_to(targets: list[Area]) -> dict[int, list[tuple[int, float]]]:
    """For every area that leads into a target through conversion keys: its target shares."""
    target_ids = {a.pk for a in targets}
    links: dict[int, list[tuple[int, float]]] = {}
    for old, new, weight in ConversionKey.objects.values_list("old_area", "new_area", "weight"):
        links.setdefault(old, []).append((new, weight))
    resolved: dict[int, list[tuple[int, float]]] = {pk: [(pk, 1.0)] for pk in target_ids}

    def resolve(area: int, depth: int = 0) -> list[tuple[int, float]]:
        if area in resolved:
            return resolved[area]
        shares: dict[int, float] = {}
        if depth < 20:
            for new, weight in links.get(area, []):
                for target, share in resolve(new, depth + 1):
                    shares[target] = shares.get(target, 0.0) + weight * share
        resolved[area] = list(shares.items())
        return resolved[area]

    for area in list(links):
        resolve(area)
    return {area: shares for area, shares in resolved.items() if shares}


def variable_on_targets(variable: Variable, year: int, targets: list[Area], chains: dict) -> Series:
    """The variable's values for ``year`` on ``targets`` (today's areas of one level)."""
    rows = list(
        Observation.objects.filter(variable=variable, year=year).values_list(
            "area_id", "value", "batch_id", "area__valid_from", "area__level"
        )
    )
    target_ids = [a.pk for a in targets]
    index = {pk: i for i, pk in enumerate(target_ids)}
    level = targets[0].level if targets else None
    direct = [r for r in rows if r[0] in index]
    if not variable.is_additive or not rows:
        return _direct(direct, index, len(targets))
    # Use the newest territorial state the year is recorded on, so nothing is counted twice.
    candidates = [r for r in rows if r[4] == level and r[0] in chains]
    if not candidates:
        return _direct(direct, index, len(targets))
    newest = max(r[3] for r in candidates)
    recorded = {r[0]: r for r in candidates if r[3] == newest}
    # Every area of that state feeding the targets must be known, else the sum is incomplete.
    state = Area.objects.filter(level=level, valid_from=newest).values_list("pk", flat=True)
    sources = [pk for pk in state if pk in chains]
    pairs = pd.DataFrame(
        [(old, new, w) for old in sources for new, w in chains[old] if new in index],
        columns=["old", "new", "weight"],
    )
    sources = sorted(set(pairs["old"]))
    values = np.array(
        [
            recorded[pk][1] if pk in recorded and recorded[pk][1] is not None else np.nan
            for pk in sources
        ]
    )
    pairs = _renormalise(pairs)
    matrix = conversion_matrix(sources, target_ids, pairs)
    result = harmonise(values, matrix)
    batches = [set() for _ in targets]
    for old, new in zip(pairs["old"], pairs["new"], strict=True):
        if old in recorded:
            batches[index[new]].add(recorded[old][2])
    # "Converted" means the figure includes areas under another key, i.e. a real merger.
    keys = dict(Area.objects.filter(pk__in=sources).values_list("pk", "key"))
    target_keys = {a.pk: a.key for a in targets}
    moved_targets = {
        new
        for old, new in zip(pairs["old"], pairs["new"], strict=True)
        if keys[old] != target_keys[new]
    }
    moved = np.array([pk in moved_targets for pk in target_ids], dtype=bool)
    return Series(result, batches, moved)


def _renormalise(pairs: pd.DataFrame) -> pd.DataFrame:
    """Weights of an old area restricted to the targets (e.g. one county) sum to one again.

    A municipality split across a county border keeps only the shares inside; harmonising the
    county's own municipalities must not fail because of the share that went elsewhere.
    """
    totals = pairs.groupby("old")["weight"].transform("sum")
    return pairs.assign(weight=pairs["weight"] / totals)


def _direct(rows, index: dict[int, int], size: int) -> Series:
    values = np.full(size, np.nan)
    batches = [set() for _ in range(size)]
    for area, value, batch, *_ in rows:
        if value is not None:
            values[index[area]] = value
        batches[index[area]].add(batch)
    return Series(values, batches, np.zeros(size, dtype=bool))


def indicator_for(
    indicator: Indicator, year: int, targets: list[Area], chains: dict | None = None
) -> IndicatorResult:
    """The indicator on ``targets`` for ``year``, from harmonised numerator and denominator."""
    chains = successors_to(targets) if chains is None else chains
    numerator = variable_on_targets(indicator.numerator, year, targets, chains)
    denominator = None
    if indicator.change_years:
        base = variable_on_targets(
            indicator.numerator, year - indicator.change_years, targets, chains
        )
        value = ratio(numerator.values - base.values, base.values, indicator.factor)
        denominator = base
    elif indicator.denominator_id:
        denominator = variable_on_targets(indicator.denominator, year, targets, chains)
        value = ratio(numerator.values, denominator.values, indicator.factor)
    else:
        value = numerator.values * indicator.factor
    batches = [
        n | (d if denominator else set())
        for n, d in zip(
            numerator.batches,
            denominator.batches if denominator else numerator.batches,
            strict=True,
        )
    ]
    return IndicatorResult(
        indicator=indicator,
        year=year,
        areas=targets,
        value=value,
        numerator=numerator.values,
        denominator=denominator.values if denominator else None,
        batches=batches,
        harmonised=numerator.harmonised | (denominator.harmonised if denominator else False),
        example_batches=_example_batches(batches),
    )


def aggregate_result(
    result: IndicatorResult, parents: list[Area], parent_of: dict[int, int] | None = None
) -> IndicatorResult:
    """The indicator on larger areas: numerator and denominator summed, then divided again.

    Each area adds up into its ancestor among ``parents``, or into ``parent_of[area pk]`` for a
    grouping outside the official hierarchy (the social spaces of an adopted scheme).
    """
    indicator = result.indicator
    children = [a.pk for a in result.areas]
    if parent_of is None:
        parent_of = {a.pk: _ancestor_in(a, parents) for a in result.areas}
    membership = membership_matrix(children, parent_of, [p.pk for p in parents])
    additive = indicator.numerator.is_additive and (
        indicator.denominator is None or indicator.denominator.is_additive
    )
    if not additive:
        own = indicator_for(indicator, result.year, parents, chains={})
        return own
    numerator = aggregate(result.numerator, membership)
    denominator = (
        aggregate(result.denominator, membership) if result.denominator is not None else None
    )
    if indicator.change_years:
        value = ratio(numerator - denominator, denominator, indicator.factor)
    elif denominator is not None:
        value = ratio(numerator, denominator, indicator.factor)
    else:
        value = numerator * indicator.factor
    rows = membership.tocsr()
    batches = [
        set().union(*(result.batches[c] for c in rows[[i]].indices)) for i in range(len(parents))
    ]
    harmonised = np.array(
        [bool(result.harmonised[rows[[i]].indices].any()) for i in range(len(parents))]
    )
    return IndicatorResult(
        indicator,
        result.year,
        parents,
        value,
        numerator,
        denominator,
        batches,
        harmonised,
        example_batches=result.example_batches,
    )


def _ancestor_in(area: Area, parents: list[Area]) -> int | None:
    wanted = {p.pk for p in parents}
    for ancestor in area.ancestors():
        if ancestor.pk in wanted:
            return ancestor.pk
    return None


def _example_batches(batches: list[set[int]]) -> set[int]:
    from .models import ImportBatch

    ids = set().union(*batches) if batches else set()
    return set(ImportBatch.objects.filter(pk__in=ids, is_example=True).values_list("pk", flat=True))


def available_years(indicator: Indicator) -> list[int]:
    """Years with numerator observations (and, for changes, a base year on file)."""
    known = Observation.objects.filter(value__isnull=False)
    years = sorted(set(known.filter(variable=indicator.numerator).values_list("year", flat=True)))
    if indicator.change_years:
        years = [y for y in years if y - indicator.change_years in years]
    elif indicator.denominator_id:
        denominators = set(
            known.filter(variable=indicator.denominator).values_list("year", flat=True)
        )
        years = [y for y in years if y in denominators]
    return years
