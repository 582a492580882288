"""Goal tracking: each goal's indicator over the years, on its areas, against its target path.

The indicator is computed for today's municipalities, and the municipalities in the goal's
social spaces (or the whole county) are summed before dividing, as everywhere in monitoring.
The judgement itself (reached, on track, behind) is ``analytics.goals.track_goal``.
"""

from dataclasses import dataclass

import numpy as np

from sozialplanung.analytics.goals import GoalStatus, Tracking, track_goal
from sozialplanung.web.areas.models import Area, Level
from sozialplanung.web.monitoring.compute import (
    aggregate_result,
    available_years,
    current_municipalities,
    indicator_for,
    successors_to,
)
from sozialplanung.web.monitoring.disclose import threshold
from sozialplanung.web.spaces.selectors import space_areas

from .models import Goal


@dataclass
class GoalTrack:
    goal: Goal
    years: list[int]
    values: list[float | None]  # None: missing or too small a count to publish
    tracking: Tracking | None  # None: the goal has no indicator, baseline or target
    note: str = ""


def track(
    goal: Goal,
    county: Area,
    municipalities: list[Area] | None = None,
    space_of: dict[int, int] | None = None,
) -> GoalTrack:
    """The goal's series and status; municipalities and the spaces' membership can be passed
    in when tracking many goals."""
    if not goal.tracked:
        return GoalTrack(goal, [], [], None)
    municipalities = municipalities or current_municipalities(county)
    if space_of is None:
        space_of = space_areas(county)[1]
    members = members_of(goal.areas.all(), municipalities, space_of)
    indicator = goal.indicator
    additive = indicator.numerator.is_additive and (
        indicator.denominator is None or indicator.denominator.is_additive
    )
    if not additive and len(members) < len(municipalities):
        return GoalTrack(goal, [], [], _no_data(goal), note="not_additive")
    chains = successors_to(municipalities)
    parent_of = {pk: county.pk for pk in members}
    years, values = [], []
    for year in available_years(indicator):
        result = indicator_for(indicator, year, municipalities, chains)
        total = aggregate_result(result, [county], parent_of=parent_of)
        value = float(total.value[0])
        small = not np.isnan(total.numerator[0]) and total.numerator[0] < threshold()
        years.append(year)
        values.append(
            None if np.isnan(value) or (small and indicator.numerator.is_additive) else value
        )
    tracking = track_goal(
        years,
        [np.nan if v is None else v for v in values],
        baseline_year=goal.baseline_year,
        baseline_value=goal.baseline_value,
        target_year=goal.target_year,
        target_value=goal.target_value,
    )
    return GoalTrack(goal, years, values, tracking)


def members_of(areas, municipalities: list[Area], space_of: dict[int, int]) -> set[int]:
    """The pks of the municipalities in the given areas (themselves, an ancestor or their social
    space), or of all municipalities when no area is given: whom a goal or measure is for."""
    wanted = {a.pk for a in areas}
    if not wanted:
        return {m.pk for m in municipalities}
    return {
        m.pk
        for m in municipalities
        if m.pk in wanted
        or space_of.get(m.pk) in wanted
        or any(a.pk in wanted for a in m.ancestors())
    }


def _no_data(goal: Goal) -> Tracking:
    return Tracking(GoalStatus.NO_DATA, None, None, None, None, ())


def dashboard(goals, county: Area) -> list[GoalTrack]:
    """Every goal of a strategy with its tracking, computing the municipalities once."""
    municipalities = current_municipalities(county)
    space_of = space_areas(county)[1]
    return [track(goal, county, municipalities, space_of) for goal in goals]


def spaces_level_areas(county: Area) -> list[Area]:
    """The areas a goal or measure can name: adopted social spaces, else the municipalities."""
    spaces, _member_of = space_areas(county)
    if spaces:
        return spaces
    return list(Area.objects.filter(level=Level.MUNICIPALITY, key__startswith=county.key))
