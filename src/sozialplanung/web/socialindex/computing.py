"""Computing a run: indicator values from the monitoring, then the analytics, then storage.

Each step is a function of ``sozialplanung.analytics``; this module gathers the inputs for the
county's municipalities, calls the steps in order, reports progress and stores the results.
"""

import numpy as np
from django.db import transaction
from django.urls import reverse

from sozialplanung.analytics.composite import IndexSettings, composite_index
from sozialplanung.analytics.index_uncertainty import monte_carlo_ranks, sobol_sensitivity
from sozialplanung.analytics.status_dynamics import status_dynamics
from sozialplanung.analytics.typology import typology
from sozialplanung.web.areas.selectors import site_county
from sozialplanung.web.monitoring.compute import aggregate_result, indicator_for
from sozialplanung.web.monitoring.models import Indicator
from sozialplanung.web.monitoring.selectors import Context

from .models import IndexDefinition, IndexResult, IndexRun

POLARITY = {Indicator.Polarity.HIGHER_BETTER: 1, Indicator.Polarity.HIGHER_WORSE: -1}


def polarity_of(indicators: list[Indicator]) -> np.ndarray:
    unknown = [i.name for i in indicators if i.polarity not in POLARITY]
    if unknown:
        raise ValueError(
            "Ohne Wirkungsrichtung kann ein Indikator nicht in einen Index: " + ", ".join(unknown)
        )
    return np.array([POLARITY[i.polarity] for i in indicators])


def settings_of(definition: IndexDefinition, components, reference=None) -> IndexSettings:
    """The analytics settings of a definition; ``reference`` holds the county values."""
    return IndexSettings(
        imputation=definition.imputation,
        winsorise=definition.winsorise,
        normalisation=definition.normalisation,
        weights=definition.weighting,
        expert_weights=tuple(c.weight for c in components)
        if definition.weighting == IndexDefinition.Weighting.EXPERT
        else None,
        aggregation=definition.aggregation,
        reference=tuple(float(v) for v in reference) if reference is not None else None,
    )


def indicator_matrix(
    indicators, year: int, context: Context, county=None, spaces: bool = False
) -> tuple[np.ndarray, set[int], np.ndarray]:
    """Areas × indicators for one year on today's municipalities (or the adopted social spaces,
    summed from them), the batches behind it, and the county value of each indicator (the
    reference of "distance to the county value")."""
    columns, batches, county_values = [], set(), []
    for indicator in indicators:
        result = indicator_for(indicator, year, context.municipalities, context.chains)
        if spaces:
            columns.append(aggregate_result(result, context.spaces, context.space_of).value)
        else:
            columns.append(result.value)
        batches |= set().union(*result.batches) if result.batches else set()
        total = aggregate_result(result, [county]).value[0] if county else np.nan
        county_values.append(total)
    return np.column_stack(columns), batches, np.array(county_values)


def compute_run(run: IndexRun, progress) -> dict:
    definition = run.definition
    components = list(definition.components.select_related("indicator__numerator"))
    indicators = [c.indicator for c in components]
    polarity = polarity_of(indicators)
    county = site_county()
    context = Context.for_county(county)
    spaces = run.level == IndexRun.Level.SOCIAL_SPACE
    if spaces and not context.spaces:
        raise ValueError("Es gibt noch kein beschlossenes Sozialraumschema.")
    areas = context.spaces if spaces else context.municipalities
    progress(0.05, "Indikatorwerte")
    X, batches, county_values = indicator_matrix(indicators, run.year, context, county, spaces)
    earlier, _, _ = indicator_matrix(
        indicators, run.year - definition.dynamics_years, context, spaces=spaces
    )
    settings = settings_of(definition, components, county_values)
    index = composite_index(X, polarity, settings)
    progress(0.2, "Status und Dynamik")
    dynamics = None
    if not np.isnan(earlier).all():
        limits = {}
        if definition.status_thresholds:
            limits["status_thresholds"] = tuple(definition.status_thresholds)
        if definition.dynamics_thresholds:
            limits["dynamics_thresholds"] = tuple(definition.dynamics_thresholds)
        dynamics = status_dynamics(X, earlier, polarity, settings, **limits)
    progress(0.3, "Unsicherheit (Monte Carlo)")
    uncertainty = monte_carlo_ranks(X, polarity, replications=definition.replications)
    progress(0.6, "Sensitivität (Sobol)")
    sensitivity = sobol_sensitivity(X, polarity, n_base=64)
    progress(0.8, "Typisierung")
    names = [i.name for i in indicators]
    types = typology(X, names, polarity, method=definition.typology_method, bootstrap=20)
    progress(0.95, "Speichern")
    with transaction.atomic():
        run.results.all().delete()
        IndexResult.objects.bulk_create(
            IndexResult(
                run=run,
                area=area,
                value=_number(index.values[i]),
                rank=_number(index.ranks[i]),
                median_rank=_number(uncertainty.median_rank[i]),
                rank_low=_number(uncertainty.rank_interval[i, 0]),
                rank_high=_number(uncertainty.rank_interval[i, 1]),
                status_class=str(dynamics.status_class[i]) if dynamics else "",
                dynamics_class=str(dynamics.dynamics_class[i]) if dynamics else "",
                type_number=int(types.labels[i]),
            )
            for i, area in enumerate(areas)
        )
        run.summary = {
            "indicators": names,
            "weights": [round(float(w), 4) for w in index.weights],
            "batches": sorted(batches),
            "dynamics_from": run.year - definition.dynamics_years if dynamics else None,
            "sensitivity": _records(sensitivity.indices),
            "typology": {
                "k": int(types.k),
                "method": types.method,
                "silhouette": round(float(types.silhouette), 3),
                "stability": _number(types.stability),
                "names": list(types.type_names),
                "descriptions": list(types.descriptions),
                "sizes": [int(s) for s in types.sizes],
                "profiles": {
                    str(label): {k: round(float(v), 2) for k, v in row.items()}
                    for label, row in types.profiles.iterrows()
                },
            },
        }
        run.save(update_fields=["summary"])
    return {
        "summary": f"{definition.name}, {run.year}: {len(areas)} "
        + ("Sozialräume" if spaces else "Gemeinden"),
        "link": reverse("socialindex:run", args=[run.pk]),
    }


def _number(value) -> float | None:
    value = float(value)
    return None if np.isnan(value) else value


def _records(frame) -> list[dict]:
    return [
        {k: (v if isinstance(v, str) else _number(v)) for k, v in row.items()}
        for row in frame.to_dict(orient="records")
    ]
