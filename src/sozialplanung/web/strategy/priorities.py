"""The priority list: each measure's criteria from the database, scored by ``analytics``.

Need is the mean value of the adopted social index in the municipalities the measure is for
(all of them if it names no area); reach is the size of its target group; cost per person is
its whole budget over the people it is to reach; evidence and sustainability are the planner's
ratings. A measure missing a value is listed apart with what is missing, never guessed.
"""

from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sozialplanung.analytics.prioritisation import Criterion, score, weight_sensitivity
from sozialplanung.web.areas.models import Area
from sozialplanung.web.monitoring.compute import current_municipalities
from sozialplanung.web.socialindex.models import IndexResult
from sozialplanung.web.socialindex.selectors import latest_adopted_run
from sozialplanung.web.spaces.selectors import space_areas

from .models import Measure, PriorityList, Strategy
from .tracking import members_of

CRITERIA = {
    "need": (gettext_lazy("Need"), Criterion("need", higher_is_better=True)),
    "reach": (gettext_lazy("Reach"), Criterion("reach", higher_is_better=True)),
    "cost": (gettext_lazy("Cost per person"), Criterion("cost", higher_is_better=False)),
    "evidence": (gettext_lazy("Evidence"), Criterion("evidence", higher_is_better=True)),
    "sustainability": (
        gettext_lazy("Sustainability"),
        Criterion("sustainability", higher_is_better=True),
    ),
}
DEFAULT_WEIGHTS = {"need": 3, "reach": 2, "cost": 2, "evidence": 2, "sustainability": 1}
SENSITIVITY_SAMPLES = 2000


@dataclass
class Assessment:
    """The raw criterion values of the measures (NaN where missing) and how need was read."""

    measures: list[Measure]
    values: np.ndarray  # (measures, criteria) in the order of CRITERIA
    need_source: str  # e.g. "Sozialindex 2023"; empty without an adopted index


def assess(strategy: Strategy) -> Assessment:
    measures = list(strategy.measures.prefetch_related("areas", "budget_lines").order_by("number"))
    need, need_source = _need(strategy.county, measures)
    rows = []
    for measure, need_value in zip(measures, need, strict=True):
        budget = sum(float(b.amount) for b in measure.budget_lines.all())
        reach = measure.planned_reach or measure.target_group_size
        rows.append(
            [
                need_value,
                measure.target_group_size if measure.target_group_size else np.nan,
                budget / reach if reach and budget else np.nan,
                measure.evidence,
                measure.sustainability,
            ]
        )
    return Assessment(measures, np.array(rows, dtype=float).reshape(-1, len(CRITERIA)), need_source)


def _need(county: Area, measures: list[Measure]) -> tuple[list[float], str]:
    """Mean index value of the municipalities each measure is for (higher = more need)."""
    run = latest_adopted_run()
    if run is None:
        return [np.nan] * len(measures), ""
    value_of = dict(
        IndexResult.objects.filter(run=run, value__isnull=False).values_list("area_id", "value")
    )
    municipalities = current_municipalities(county)
    _spaces, space_of = space_areas(county)
    need = []
    for measure in measures:
        members = members_of(measure.areas.all(), municipalities, space_of)
        values = [value_of[m.pk] for m in municipalities if m.pk in members and m.pk in value_of]
        need.append(float(np.mean(values)) if values else np.nan)
    return need, f"{run.definition.name} {run.year}"


def ranking(assessment: Assessment, weights: dict[str, float]) -> dict:
    """Scores, breakdown and rank stability as plain data (it is stored with a saved list)."""
    keys = list(CRITERIA)
    complete = ~np.isnan(assessment.values).any(axis=1)
    ranked = [m for m, ok in zip(assessment.measures, complete, strict=True) if ok]
    apart = [
        {
            "code": m.code,
            "title": m.title,
            "missing": [str(CRITERIA[k][0]) for k, v in zip(keys, row, strict=True) if np.isnan(v)],
        }
        for m, row, ok in zip(assessment.measures, assessment.values, complete, strict=True)
        if not ok
    ]
    result = {"weights": weights, "need_source": assessment.need_source, "rows": [], "apart": apart}
    if len(ranked) < 2:
        return result
    values = assessment.values[complete]
    criteria = [CRITERIA[k][1] for k in keys]
    w = [float(weights.get(k, 0)) for k in keys]
    scores = score(values, criteria, w)
    stability = weight_sensitivity(values, criteria, w, samples=SENSITIVITY_SAMPLES)
    for i, measure in enumerate(ranked):
        result["rows"].append(
            {
                "pk": measure.pk,
                "code": measure.code,
                "title": measure.title,
                "rank": int(scores.rank[i]),
                "total": round(float(scores.total[i]), 4),
                "values": [float(v) for v in values[i]],
                "contributions": [round(float(c), 4) for c in scores.contributions[i]],
                "rank_low": int(stability.rank_low[i]),
                "rank_high": int(stability.rank_high[i]),
                "median_rank": float(stability.median_rank[i]),
                "share_same_rank": round(float(stability.share_same_rank[i]), 3),
            }
        )
    result["rows"].sort(key=lambda row: (row["rank"], row["code"]))
    return result


def save(*, strategy: Strategy, title: str, weights: dict[str, float], user) -> PriorityList:
    result = ranking(assess(strategy), weights)
    return PriorityList.objects.create(
        strategy=strategy, title=title, weights=weights, result=result, created_by=user
    )


@transaction.atomic
def approve(*, priority_list: PriorityList, user) -> PriorityList:
    if priority_list.approved_at:
        raise ValueError(_("This priority list has already been approved."))
    priority_list.approved_by = user
    priority_list.approved_at = timezone.now()
    priority_list.save()
    return priority_list
