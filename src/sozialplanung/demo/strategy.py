"""The demo county's poverty prevention strategy.

From the county's public description (``context/armutspraevention-saale-orla-kreis.txt``): the
title of the second funding phase 2019–2021, ESF funding, the council's adoption in October 2020
and the five milestones with their planned dates. Everything else — guidelines, goals, measures,
actors, budgets, progress — is invented to show the software and marked as example content.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from sozialplanung.web.areas.models import Area
from sozialplanung.web.areas.selectors import site_county
from sozialplanung.web.monitoring.models import Indicator
from sozialplanung.web.network.models import Actor
from sozialplanung.web.spaces.selectors import space_areas
from sozialplanung.web.strategy import priorities, services
from sozialplanung.web.strategy.models import (
    BudgetLine,
    Goal,
    Guideline,
    Measure,
    Milestone,
    ProgressEntry,
    Strategy,
)

TITLE = "Armutspräventionsstrategie des Saale-Orla-Kreises"
FUNDING_TITLE = (
    "Attraktive Sozialstrukturen im ländlichen Raum – Chancengleichheit durch Vernetzung"
)

# (number, deliverable, planned date) as the county's description gives them.
MILESTONES = [
    (1, "Netzwerkkonzeption „Gut leben und alt werden im SOK“ erarbeiten", dt.date(2019, 9, 30)),
    (2, "„Früher an später denken“ – Sensibilisierung der Bevölkerung", dt.date(2020, 6, 30)),
    (
        3,
        "Transparente Unterstützungsangebote schaffen – Befragung von Familien – "
        "Neugestaltung Elternordner",
        dt.date(2020, 10, 31),
    ),
    (4, "Maßnahmeevaluation – Evaluationsinstrument entwickeln und anwenden", dt.date(2021, 5, 31)),
    (
        5,
        "Themenblätter erstellen und Fortschreibung der Armutspräventionsstrategie",
        dt.date(2021, 12, 31),
    ),
]
MILESTONE_NOTE = (
    "Geplanter Termin laut Projektbeschreibung des Landkreises; der Stand der Umsetzung ist dort "
    "nicht veröffentlicht."
)

COUNTY_OFFICE = "Landratsamt Saale-Orla-Kreis, Planungskoordination"
EXAMPLE_ACTORS = [
    ("Familienzentrum Orlatal e. V. (Beispiel)", Actor.Kind.WELFARE),
    ("Seniorenbüro Oberland (Beispiel)", Actor.Kind.CLUB),
    ("Bildungsträger Saale-Orla (Beispiel)", Actor.Kind.OTHER),
]
PROVIDER_USER, PROVIDER_ACTOR = "traeger", "Familienzentrum Orlatal e. V. (Beispiel)"

GUIDELINES = [
    (1, "Gut aufwachsen: Kinder und Familien stärken"),
    (2, "Teilhabe durch Arbeit und Bildung"),
    (3, "Gut leben und alt werden im Saale-Orla-Kreis"),
    (4, "Hilfen bekannt und erreichbar machen"),
]
# (guideline, number, text, indicator, baseline year, target year, change of the target, spaces)
GOALS = [
    (1, 1, "Weniger Kinder wachsen in Armut auf.", "child_poverty", 2016, 2025, -5.0, "high"),
    (
        1,
        2,
        "Mehr Kinder unter drei Jahren werden betreut.",
        "childcare_under_3",
        2016,
        2024,
        5.0,
        "",
    ),
    (
        2,
        1,
        "Weniger Menschen sind auf Grundsicherung angewiesen.",
        "sgb2_quota",
        2016,
        2025,
        -1.5,
        "",
    ),
    (
        2,
        2,
        "Langzeitarbeitslosigkeit geht zurück.",
        "longterm_unemployed_share",
        2016,
        2025,
        -5.0,
        "",
    ),
    (3, 1, "Altersarmut steigt nicht weiter.", "old_age_basic_income", 2016, 2025, 0.0, "rural"),
    (4, 1, "Familien kennen die Hilfen in ihrer Nähe.", None, None, None, None, ""),
]
# code, title, responsible, goals, start, end, status, target group (size), reach, spaces,
# evidence, sustainability, budget {(year, source): euros}
MEASURES = [
    (1, "Netzwerk „Gut leben und alt werden im SOK“ aufbauen", COUNTY_OFFICE, ["3.1"],
     (2019, 1), (2021, 12), "done", ("Ältere Menschen und ihre Angehörigen", 9000), 600, "",
     2, 2, {(2019, "esf"): 24000, (2020, "esf"): 24000, (2021, "county"): 8000}),
    (2, "Sensibilisierungskampagne „Früher an später denken“", "Seniorenbüro Oberland (Beispiel)",
     ["3.1"], (2019, 10), (2020, 6), "done", ("Menschen zwischen 50 und 65 Jahren", 18000), 2500,
     "", 1, 0, {(2019, "esf"): 6000, (2020, "esf"): 9000, (2020, "county"): 1500}),
    (3, "Familienbefragung und neuer Elternordner", COUNTY_OFFICE, ["4.1", "1.1"],
     (2020, 1), (2020, 10), "done", ("Familien mit Kindern unter 18 Jahren", 11000), 11000, "",
     1, 1, {(2020, "esf"): 18000, (2020, "county"): 4000}),
    (4, "Familienlotsen in den Sozialräumen mit dem höchsten Bedarf", PROVIDER_ACTOR,
     ["1.1", "4.1"], (2020, 1), (2022, 12), "running",
     ("Familien im SGB-II-Bezug mit Kindern", 900), 300, "high", 2, 1,
     {(2020, "esf"): 45000, (2021, "esf"): 45000, (2022, "state"): 30000,
      (2022, "municipality"): 10000}),
    (5, "Coaching für langzeitarbeitslose Eltern", "Bildungsträger Saale-Orla (Beispiel)",
     ["2.1", "2.2", "1.1"], (2020, 4), (2022, 3), "running",
     ("Langzeitarbeitslose Eltern", 1200), 150, "", 3, 0,
     {(2020, "esf"): 40000, (2021, "esf"): 52000, (2022, "third_party"): 12000}),
    (6, "Evaluationsinstrument für Maßnahmen entwickeln und anwenden", COUNTY_OFFICE, [],
     (2020, 11), (2021, 5), "done", ("", None), None, "", 1, 2, {(2021, "esf"): 12000}),
    (7, "Mobile Sozialberatung in den ländlichen Sozialräumen", "Seniorenbüro Oberland (Beispiel)",
     ["3.1", "4.1"], (2022, 1), (2023, 12), "planned",
     ("Ältere Menschen mit geringem Einkommen", 1500), 400, "rural", 1, 1,
     {(2022, "state"): 28000, (2023, "state"): 28000, (2023, "county"): 6000}),
]  # fmt: skip

# The provider's reports on the family guides (date, text, people reached, activities).
PROGRESS = [
    (dt.date(2020, 12, 15), "Zwei Familienlotsinnen eingestellt; Sprechzeiten in Pößneck.", 48, 60),
    (
        dt.date(2021, 6, 30),
        "Sprechzeiten auch in Neustadt; Kooperation mit dem Jobcenter.",
        95,
        140,
    ),
    (dt.date(2021, 12, 15), "Hausbesuche wieder möglich; Elternabende in zwei Kitas.", 80, 120),
]

INTRODUCTION = (
    "Im Jahr 2017 haben die Akteure des sozialen Bereichs an Thementischen Leitlinien für eine "
    "chancengerechte Teilhabe erarbeitet; Arbeitsgruppen haben daraus 2018 Ziele und Maßnahmen "
    "gemacht. Der Kreistag hat die Strategie im Oktober 2020 verabschiedet.\n\n"
    "Leitlinien, Ziele, Maßnahmen, Träger und Budgets dieser Demo sind **Beispielinhalte**; "
    "Titel der Förderphase, Beschlussmonat und Meilensteine stammen aus der öffentlichen "
    "Projektbeschreibung des Landkreises."
)


def load_demo_strategy(report: Callable[[str], None] = print) -> None:
    county = site_county()
    if county is None or Strategy.objects.filter(county=county).exists():
        report("  Strategie: schon geladen" if county else "  Strategie: kein Landkreis")
        return
    with transaction.atomic():
        first = _first_version(county)
        services.adopt(
            strategy=first,
            decided_on=dt.date(2020, 10, 1),
            reference="Nummer und Tag nicht veröffentlicht, als 01.10.2020 erfasst",
        )
        second = _revision(first)
        priorities.save(
            strategy=first,
            title="Prioritäten 2021 (Beispiel)",
            weights=dict(priorities.DEFAULT_WEIGHTS),
            user=None,
        )
    report(
        f"  Strategie: Version {first.version} (beschlossen 10/2020) und Fortschreibung als "
        f"Entwurf (Version {second.version}), {len(MILESTONES)} Meilensteine"
    )


def _first_version(county: Area) -> Strategy:
    strategy = Strategy.objects.create(
        county=county,
        title=TITLE,
        funding_phase="2019–2021 (ESF)",
        funding_title=FUNDING_TITLE,
        introduction=INTRODUCTION,
    )
    for number, title, due in MILESTONES:
        Milestone.objects.create(
            strategy=strategy, number=number, title=title, due=due, note=MILESTONE_NOTE
        )
    actors = _actors()
    spaces = _space_groups(county)
    goals = {}
    for number, title in GUIDELINES:
        guideline = Guideline.objects.create(
            strategy=strategy, number=number, title=title, is_example=True
        )
        for g, n, text, code, base, target, change, where in GOALS:
            if g != number:
                continue
            goal = Goal.objects.create(guideline=guideline, number=n, text=text, is_example=True)
            goal.areas.set(spaces.get(where, []))  # before the target: the baseline is theirs
            if code:
                _set_target(goal, Indicator.objects.get(code=code), base, target, change)
            goals[goal.code] = goal
    for spec in MEASURES:
        _measure(strategy, spec, actors, goals, spaces)
    return strategy


def _set_target(goal: Goal, indicator: Indicator, base: int, target: int, change: float) -> None:
    """Baseline as monitoring shows it (rounded as displayed), target as a change from it."""
    from sozialplanung.web.strategy.tracking import track

    goal.indicator = indicator
    goal.baseline_year, goal.target_year = base, target
    goal.target_value = 0.0  # provisional, so the goal counts as tracked
    goal.save()
    observed = track(goal, goal.guideline.strategy.county)
    baseline = dict(zip(observed.years, observed.values, strict=True)).get(base)
    goal.baseline_value = round(baseline, indicator.decimals) if baseline is not None else None
    goal.target_value = round((goal.baseline_value or 0.0) + change, indicator.decimals)
    goal.save()


def _measure(strategy, spec, actors, goals, spaces) -> Measure:
    (number, title, responsible, goal_codes, start, end, status, (groups, size), reach, where,
     evidence, sustainability, budget) = spec  # fmt: skip
    measure = Measure.objects.create(
        strategy=strategy,
        number=number,
        title=title,
        responsible=actors[responsible],
        target_groups=groups,
        target_group_size=size,
        planned_reach=reach,
        start=dt.date(*start, 1),
        end=_month_end(*end),
        status=status,
        evidence=evidence,
        sustainability=sustainability,
        is_example=True,
    )
    measure.goals.set([goals[code] for code in goal_codes])
    measure.areas.set(spaces.get(where, []))
    bulk_create_with_history(
        [
            BudgetLine(measure=measure, year=year, source=source, amount=Decimal(amount))
            for (year, source), amount in budget.items()
        ],
        BudgetLine,
    )
    return measure


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _actors() -> dict[str, Actor]:
    actors = {
        COUNTY_OFFICE: Actor.objects.get_or_create(
            name=COUNTY_OFFICE, defaults={"kind": Actor.Kind.COUNTY_OFFICE}
        )[0]
    }
    for name, kind in EXAMPLE_ACTORS:
        actors[name] = Actor.objects.get_or_create(
            name=name, defaults={"kind": kind, "is_example": True}
        )[0]
    provider = get_user_model().objects.filter(username=PROVIDER_USER).first()
    if provider is not None:
        actors[PROVIDER_ACTOR].members.add(provider)
    return actors


def _space_groups(county: Area) -> dict[str, list[Area]]:
    """The social spaces a goal or measure names: highest need, and the rural south-east."""
    spaces = {a.name.removeprefix("Sozialraum "): a for a in space_areas(county)[0]}
    pick = lambda *names: [spaces[n] for n in names if n in spaces]  # noqa: E731
    return {
        "high": pick("Pößneck", "Neustadt an der Orla"),
        "rural": pick("Bad Lobenstein", "Rosenthal am Rennsteig"),
    }


def _revision(first: Strategy) -> Strategy:
    """The revision of 12/2021 as a draft: one measure ends, one is added, a target is raised."""
    second = services.revise(strategy=first)
    second.introduction += (
        "\n\nFortschreibung 2021 (Entwurf): Die Kampagne ist abgeschlossen; Kita-Sozialarbeit "
        "kommt hinzu; das Ziel zur Kinderarmut wird verschärft."
    )
    second.save()
    second.measures.get(number=2).delete()
    goal = Goal.objects.get(guideline__strategy=second, guideline__number=1, number=1)
    goal.target_value = round(goal.target_value - 1.0, 1)
    goal.save()
    measure = Measure.objects.create(
        strategy=second,
        number=8,
        title="Kita-Sozialarbeit in Einrichtungen mit vielen Kindern im SGB-II-Bezug",
        responsible=Actor.objects.get(name=PROVIDER_ACTOR),
        target_groups="Kinder von 3 bis 6 Jahren und ihre Eltern",
        target_group_size=700,
        planned_reach=350,
        start=dt.date(2022, 8, 1),
        end=dt.date(2024, 7, 31),
        evidence=Measure.Evidence.OBSERVED,
        sustainability=Measure.Sustainability.PARTLY,
        is_example=True,
    )
    measure.goals.set([goal])
    bulk_create_with_history(
        [
            BudgetLine(measure=measure, year=2022, source="state", amount=Decimal(20000)),
            BudgetLine(measure=measure, year=2023, source="state", amount=Decimal(48000)),
            BudgetLine(measure=measure, year=2023, source="municipality", amount=Decimal(8000)),
        ],
        BudgetLine,
    )
    _progress(first)
    return second


def _progress(strategy: Strategy) -> None:
    provider = get_user_model().objects.filter(username=PROVIDER_USER).first()
    lotsen = strategy.measures.get(number=4)
    for day, text, people, activities in PROGRESS:
        ProgressEntry.objects.create(
            measure=lotsen, author=provider, day=day, text=text,
            people_reached=people, activities=activities,
        )  # fmt: skip
