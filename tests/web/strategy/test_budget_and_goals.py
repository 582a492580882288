"""Budget sums in German money format, the forms' checks, and goals judged against their path."""

from decimal import Decimal

import pytest

from sozialplanung.analytics.goals import GoalStatus
from sozialplanung.web.monitoring.models import Indicator
from sozialplanung.web.strategy import presentation, tracking
from sozialplanung.web.strategy.forms import BudgetFormSet, GoalForm, MeasureForm
from sozialplanung.web.strategy.models import BudgetLine, Goal, Measure, Strategy

pytestmark = pytest.mark.django_db

SOURCES = ["Europäischer Sozialfonds (ESF)", "Land", "Landkreis", "Gemeinde", "Dritte"]


@pytest.fixture
def small_strategy(v1) -> Strategy:
    """Two measures with budget lines of two years, one year and source shared."""
    strategy = Strategy.objects.create(county=v1.county, title="Kleine Strategie")
    first = Measure.objects.create(strategy=strategy, number=1, title="Erste")
    second = Measure.objects.create(strategy=strategy, number=2, title="Zweite")
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(measure=first, year=2024, source="esf", amount=Decimal("10000")),
            BudgetLine(measure=first, year=2024, source="county", amount=Decimal("2500")),
            BudgetLine(measure=second, year=2024, source="esf", amount=Decimal("0.45")),
            BudgetLine(measure=second, year=2025, source="third_party", amount=Decimal("1234.56")),
        ]
    )
    return strategy


def test_the_budget_table_sums_per_year_per_source_and_overall(small_strategy):
    table = presentation.budget_table(small_strategy)
    assert table.sources == SOURCES
    assert table.rows == [
        (
            "2024",
            ["10.000,45 €", "0,00 €", "2.500,00 €", "0,00 €", "0,00 €"],
            "12.500,45 €",
        ),
        ("2025", ["0,00 €", "0,00 €", "0,00 €", "0,00 €", "1.234,56 €"], "1.234,56 €"),
    ]
    assert table.totals == ["10.000,45 €", "0,00 €", "2.500,00 €", "0,00 €", "1.234,56 €"]
    assert table.total == "13.735,01 €"


def test_a_measures_budget_sums_only_its_own_lines(small_strategy):
    table = presentation.measure_budget(small_strategy.measures.get(number=1))
    assert table.rows == [
        ("2024", ["10.000,00 €", "0,00 €", "2.500,00 €", "0,00 €", "0,00 €"], "12.500,00 €")
    ]
    assert table.total == "12.500,00 €"


def test_a_strategy_without_budget_lines_sums_to_zero(v1):
    empty = Strategy.objects.create(county=v1.county, title="Leer")
    table = presentation.budget_table(empty)
    assert (table.rows, table.total) == ([], "0,00 €")
    assert table.totals == ["0,00 €"] * 5


def test_the_budget_page_shows_the_demos_total_per_version(leader_client, v1, v2):
    page = leader_client.get(f"/planung/strategie/{v1.pk}/budget/").content.decode()
    assert "<strong>402.500,00 €</strong>" in page
    assert '<th scope="row">2020</th>' in page and "141.500,00 €" in page
    # Version 2 drops the campaign (16.500 €) and adds Kita social work (76.000 €).
    page = leader_client.get(f"/planung/strategie/{v2.pk}/budget/").content.decode()
    assert "<strong>462.000,00 €</strong>" in page


def _measure_data(**changes) -> dict:
    data = {
        "number": "9",
        "title": "Schulsozialarbeit",
        "status": "planned",
        "evidence": "1",
        "sustainability": "0",
        "start": "2024-08-01",
        "end": "2025-07-31",
    }
    return {**data, **changes}


def test_a_measure_cannot_end_before_it_starts(v2):
    form = MeasureForm(_measure_data(end="2024-07-31"), strategy=v2)
    assert not form.is_valid()
    assert form.errors == {"end": ["Das Ende darf nicht vor dem Beginn liegen."]}
    assert MeasureForm(_measure_data(end="2024-08-01"), strategy=v2).is_valid()


def test_a_measure_form_offers_only_the_goals_of_its_version(v1, v2):
    offered = MeasureForm(strategy=v2).fields["goals"].queryset
    assert {g.guideline.strategy_id for g in offered} == {v2.pk}
    assert offered.count() == 6
    goal_of_v1 = Goal.objects.get(guideline__strategy=v1, guideline__number=1, number=1)
    form = MeasureForm(_measure_data(goals=[goal_of_v1.pk]), strategy=v2)
    assert not form.is_valid() and list(form.errors) == ["goals"]


def _budget_data(*lines) -> dict:
    data = {
        "budget_lines-TOTAL_FORMS": str(len(lines)),
        "budget_lines-INITIAL_FORMS": "0",
        "budget_lines-MIN_NUM_FORMS": "0",
        "budget_lines-MAX_NUM_FORMS": "1000",
    }
    for i, (year, source, amount) in enumerate(lines):
        data |= {
            f"budget_lines-{i}-year": str(year),
            f"budget_lines-{i}-source": source,
            f"budget_lines-{i}-amount": amount,
        }
    return data


def test_the_measure_page_rejects_an_end_before_the_start_and_saves_nothing(planner_client, v2):
    response = planner_client.post(
        f"/planung/strategie/{v2.pk}/massnahme/neu/",
        _measure_data(end="2023-12-31") | _budget_data((2024, "county", "5000")),
    )
    assert response.status_code == 200
    assert "Das Ende darf nicht vor dem Beginn liegen." in response.content.decode()
    assert not v2.measures.filter(number=9).exists()
    assert not BudgetLine.objects.filter(measure__strategy=v2, year=2024).exists()


def test_a_negative_budget_line_is_rejected_and_nothing_is_saved(planner_client, v2):
    formset = BudgetFormSet(
        _budget_data((2024, "county", "-100.00")), instance=Measure(strategy=v2)
    )
    assert not formset.is_valid()
    # The amount field says it, in German, before the database's check constraint would.
    assert formset.errors[0] == {"amount": ["Dieser Wert muss größer oder gleich 0 sein."]}
    response = planner_client.post(
        f"/planung/strategie/{v2.pk}/massnahme/neu/",
        _measure_data() | _budget_data((2024, "esf", "8000"), (2024, "county", "-100.00")),
    )
    assert response.status_code == 200
    budget = response.context["budget"]
    assert budget.errors[0] == {} and list(budget.errors[1]) == ["amount"]
    assert not v2.measures.filter(number=9).exists()
    assert not BudgetLine.objects.filter(amount__lt=0).exists()
    assert not BudgetLine.objects.filter(measure__strategy=v2, year=2024).exists()


def test_a_measure_with_its_budget_lines_is_saved_on_the_draft(planner_client, v2):
    response = planner_client.post(
        f"/planung/strategie/{v2.pk}/massnahme/neu/",
        _measure_data() | _budget_data((2024, "esf", "8000"), (2025, "county", "1500.50")),
    )
    measure = v2.measures.get(number=9)
    assert response.status_code == 302
    assert response["Location"] == f"/planung/strategie/massnahme/{measure.pk}/"
    assert sorted(measure.budget_lines.values_list("year", "source", "amount")) == [
        (2024, "esf", Decimal("8000.00")),
        (2025, "county", Decimal("1500.50")),
    ]
    assert presentation.measure_budget(measure).total == "9.500,50 €"


def test_a_budget_line_for_a_year_and_source_shown_on_the_page_twice_is_refused(planner_client, v2):
    """The page posts every existing line: the formset finds the duplicate among them."""
    measure = v2.measures.get(number=4)
    lines = sorted(measure.budget_lines.values_list("pk", "year", "source", "amount"))
    data = _measure_data(number="4", title=measure.title, start="2020-01-01", end="2022-12-31")
    data |= _budget_data(*[(year, source, str(amount)) for _pk, year, source, amount in lines])
    data["budget_lines-INITIAL_FORMS"] = str(len(lines))
    data |= {f"budget_lines-{i}-id": str(pk) for i, (pk, *_rest) in enumerate(lines)}
    data |= {
        "budget_lines-TOTAL_FORMS": str(len(lines) + 1),
        f"budget_lines-{len(lines)}-year": "2020",
        f"budget_lines-{len(lines)}-source": "esf",
        f"budget_lines-{len(lines)}-amount": "5",
    }
    response = planner_client.post(f"/planung/strategie/{v2.pk}/massnahme/{measure.pk}/", data)
    assert response.status_code == 200
    assert list(response.context["budget"].non_form_errors()) == [
        "Bitte die doppelten Daten für year und source korrigieren, das eindeutig sein muss."
    ]
    assert measure.budget_lines.count() == 4


def test_a_budget_line_for_a_year_and_source_already_stored_is_a_form_error(planner_client, v2):
    """A page opened before another planner added the line posts only the new one."""
    measure = v2.measures.get(number=4)
    data = _measure_data(number="4", title=measure.title, start="2020-01-01", end="2022-12-31")
    response = planner_client.post(
        f"/planung/strategie/{v2.pk}/massnahme/{measure.pk}/",
        data | _budget_data((2020, "esf", "5")),
    )
    assert response.status_code == 200
    assert response.context["budget"].errors[0] != {}
    assert measure.budget_lines.get(year=2020, source="esf").amount == Decimal("45000")


DUPLICATES = {
    "leitlinie": {"number": "1", "title": "Doppelt"},
    "meilenstein": {"number": "1", "title": "Doppelt", "due": "2024-01-01", "status": "open"},
    "massnahme": _measure_data(number="4") | _budget_data(),
}


@pytest.mark.parametrize("kind", DUPLICATES)
def test_a_number_already_taken_in_the_version_is_a_form_error(planner_client, v2, kind):
    response = planner_client.post(f"/planung/strategie/{v2.pk}/{kind}/neu/", DUPLICATES[kind])
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["number"]


def test_a_goal_number_already_taken_under_its_guideline_is_a_form_error(planner_client, v2):
    guideline = v2.guidelines.get(number=1)
    response = planner_client.post(
        f"/planung/strategie/{v2.pk}/ziel/neu/", _goal_data(guideline, number="1")
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["__all__"]
    assert guideline.goals.count() == 2


def _goal_data(guideline, **changes) -> dict:
    data = {
        "guideline": str(guideline.pk),
        "number": "3",
        "text": "Weniger Kinder leben im SGB-II-Bezug.",
        "indicator": str(Indicator.objects.get(code="child_poverty").pk),
        "baseline_year": "2020",
        "baseline_value": "14.5",
        "target_year": "2026",
        "target_value": "12.0",
    }
    return {**data, **changes}


@pytest.mark.parametrize("target_year", ["2020", "2019"])
def test_a_goals_target_year_must_lie_after_its_baseline_year(v2, target_year):
    guideline = v2.guidelines.get(number=1)
    form = GoalForm(_goal_data(guideline, target_year=target_year), strategy=v2)
    assert not form.is_valid()
    assert form.errors == {"target_year": ["Das Zieljahr muss nach dem Basisjahr liegen."]}
    assert GoalForm(_goal_data(guideline), strategy=v2).is_valid()


def test_a_goal_with_an_indicator_needs_its_target(v2):
    guideline = v2.guidelines.get(number=1)
    form = GoalForm(_goal_data(guideline, target_value=""), strategy=v2)
    assert not form.is_valid()
    assert form.errors == {
        "target_value": [
            "Ein Ziel mit Indikator braucht ein Basisjahr, ein Zieljahr und einen Zielwert."
        ]
    }


def test_the_goal_page_rejects_a_target_year_before_the_baseline(planner_client, v2):
    guideline = v2.guidelines.get(number=1)
    response = planner_client.post(
        f"/planung/strategie/{v2.pk}/ziel/neu/", _goal_data(guideline, target_year="2018")
    )
    assert response.status_code == 200
    assert "Das Zieljahr muss nach dem Basisjahr liegen." in response.content.decode()
    assert guideline.goals.count() == 2


CHILD_POVERTY_YEARS = [2009, 2011, 2014, 2016, 2019, 2021]


@pytest.fixture
def child_poverty_goal(v1) -> Goal:
    """Goal 1.1 of version 1: child poverty in the two social spaces with the highest need."""
    goal = Goal.objects.get(guideline__strategy=v1, guideline__number=1, number=1)
    assert goal.indicator.code == "child_poverty" and goal.areas.count() == 2
    return goal


def _retarget(goal: Goal, target: float) -> Goal:
    """Baseline from the series (2016), target for 2025."""
    goal.baseline_value = None
    goal.target_value = target
    goal.save()
    return goal


def test_tracking_a_goal_returns_its_series_and_status(child_poverty_goal, v1):
    track = tracking.track(child_poverty_goal, v1.county)
    assert track.years == CHILD_POVERTY_YEARS
    assert all(isinstance(v, float) for v in track.values)
    assert track.values[-1] == pytest.approx(14.3777, abs=1e-4)
    assert track.tracking.latest_year == 2021
    assert track.tracking.latest_value == track.values[-1]
    assert isinstance(track.tracking.status, GoalStatus)
    # The target path runs from the baseline year to the target year, one point per year.
    assert [year for year, _value in track.tracking.path] == list(range(2016, 2026))


def test_a_goal_whose_target_the_latest_value_passed_is_reached(child_poverty_goal, v1):
    track = tracking.track(_retarget(child_poverty_goal, 15.0), v1.county)
    assert track.tracking.status == GoalStatus.REACHED
    assert track.tracking.progress > 1


def test_a_goal_with_a_far_target_is_behind(child_poverty_goal, v1):
    track = tracking.track(_retarget(child_poverty_goal, 2.0), v1.county)
    assert track.tracking.status == GoalStatus.BEHIND
    assert track.tracking.expected_value == pytest.approx(
        track.values[3] + (2.0 - track.values[3]) * 5 / 9
    )


def test_a_goal_halfway_there_after_half_the_time_is_on_track(child_poverty_goal, v1):
    track = tracking.track(_retarget(child_poverty_goal, 11.0), v1.county)
    assert track.tracking.status == GoalStatus.ON_TRACK
    assert 0.5 < track.tracking.progress < 0.6


def test_a_goal_without_an_indicator_is_not_tracked(v1):
    goal = Goal.objects.get(guideline__strategy=v1, guideline__number=4, number=1)
    track = tracking.track(goal, v1.county)
    assert (track.years, track.values, track.tracking) == ([], [], None)


def test_the_goals_page_shows_the_german_status_labels(leader_client, v1):
    response = leader_client.get(f"/planung/strategie/{v1.pk}/ziele/")
    assert response.status_code == 200
    rows = {row["goal"].code: str(row["status_label"]) for row in response.context["rows"]}
    assert rows == {
        "1.1": "auf Kurs",
        "1.2": "erreicht",
        "2.1": "erreicht",
        "2.2": "im Rückstand",
        "3.1": "im Rückstand",
        "4.1": "ohne Zielwert",
    }
    page = response.content.decode()
    for label in ("auf Kurs", "im Rückstand", "erreicht", "ohne Zielwert"):
        assert f">{label}</span>" in page


def test_the_goals_page_shows_behind_once_a_goal_falls_short_of_its_path(
    leader_client, v1, child_poverty_goal
):
    _retarget(child_poverty_goal, 2.0)
    page = leader_client.get(f"/planung/strategie/{v1.pk}/ziele/").content.decode()
    assert page.count('<span class="badge goal-behind">im Rückstand</span>') == 3
