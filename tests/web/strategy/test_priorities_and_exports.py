"""The priority list (ranking, saved lists, the weights page) and the PDF and XLSX exports."""

import datetime as dt
from io import BytesIO

import numpy as np
import pytest
from openpyxl import load_workbook

from sozialplanung.web.reports.services import page_count
from sozialplanung.web.strategy import priorities
from sozialplanung.web.strategy.models import PriorityList

pytestmark = pytest.mark.django_db

DEMO_ORDER = ["M4", "M1", "M2", "M3", "M7", "M5"]  # default weights, demo social index
FILE_NAME = "strategie-armutspraeventionsstrategie-des-saale-orla-kreises-version-1"
NEED_ONLY = {"need": 10, "reach": 0, "cost": 0, "evidence": 0, "sustainability": 0}


def _ranks(result) -> list[tuple[str, int]]:
    return [(row["code"], row["rank"]) for row in result["rows"]]


def test_a_measure_missing_a_value_is_listed_apart_with_what_is_missing(v1):
    result = priorities.ranking(priorities.assess(v1), priorities.DEFAULT_WEIGHTS)
    assert result["apart"] == [
        {
            "code": "M6",
            "title": "Evaluationsinstrument für Maßnahmen entwickeln und anwenden",
            "missing": ["Reichweite", "Kosten je Person"],
        }
    ]
    assert "M6" not in [row["code"] for row in result["rows"]]


def test_the_ranked_measures_have_the_ranks_one_to_n(v1):
    result = priorities.ranking(priorities.assess(v1), priorities.DEFAULT_WEIGHTS)
    assert [row["code"] for row in result["rows"]] == DEMO_ORDER
    assert [row["rank"] for row in result["rows"]] == [1, 2, 3, 4, 5, 6]
    assert result["need_source"] == "Sozialindex Saale-Orla-Kreis (Demo) 2014"
    for row in result["rows"]:
        assert sum(row["contributions"]) == pytest.approx(row["total"], abs=1e-3)
        assert 1 <= row["rank_low"] <= row["rank"] <= row["rank_high"] <= 6


def test_the_reach_is_the_target_group_and_the_cost_is_per_person_to_be_reached(v1):
    assessment = priorities.assess(v1)
    lotsen = [m.number for m in assessment.measures].index(4)
    # Measure 4: 900 people in the target group, 300 to reach, 130.000 € in all.
    assert assessment.values[lotsen][1:].tolist() == [900.0, 130000 / 300, 2.0, 1.0]


def test_scaling_all_weights_keeps_the_ranks(v1):
    assessment = priorities.assess(v1)
    weights = priorities.DEFAULT_WEIGHTS
    tripled = {key: 3 * weight for key, weight in weights.items()}
    base, scaled = priorities.ranking(assessment, weights), priorities.ranking(assessment, tripled)
    assert _ranks(scaled) == _ranks(base)
    assert [r["total"] for r in scaled["rows"]] == [r["total"] for r in base["rows"]]
    assert [(r["rank_low"], r["rank_high"]) for r in scaled["rows"]] == [
        (r["rank_low"], r["rank_high"]) for r in base["rows"]
    ]


def test_a_saved_list_keeps_its_result_after_a_measure_changes(leader_client, v1, saved_list):
    stored = saved_list.result
    assert _ranks(stored) == list(zip(DEMO_ORDER, range(1, 7), strict=True))
    lotsen = v1.measures.get(number=4)
    lotsen.evidence, lotsen.target_group_size = 0, 10
    lotsen.save()
    fresh = priorities.ranking(priorities.assess(v1), saved_list.weights)
    assert fresh["rows"][0]["code"] != "M4"
    saved_list.refresh_from_db()
    assert saved_list.result == stored
    response = leader_client.get(f"/planung/prioritaetenliste/{saved_list.pk}/")
    assert [row["code"] for row in response.context["table"]["rows"]] == DEMO_ORDER
    page = response.content.decode()
    assert "Noch nicht freigegeben." in page and "Diese Prioritätenliste freigeben" in page


def test_a_saved_lists_weights_are_shown_in_the_order_of_the_criteria(leader_client, saved_list):
    """PostgreSQL's jsonb sorts the stored keys (cost first); the page must not follow that."""
    response = leader_client.get(f"/planung/prioritaetenliste/{saved_list.pk}/")
    assert response.context["table"]["weights"] == [
        ("Bedarf", 3),
        ("Reichweite", 2),
        ("Kosten je Person", 2),
        ("Evidenz", 2),
        ("Nachhaltigkeit", 1),
    ]
    page = response.content.decode()
    assert (
        "<p>Gewichte: Bedarf 3, Reichweite 2, Kosten je Person 2, Evidenz 2, Nachhaltigkeit 1</p>"
        in page
    )


def test_the_priorities_page_ranks_by_need_alone_when_only_need_has_weight(leader_client, v1):
    assessment = priorities.assess(v1)
    needs = {
        m.code: row[0]
        for m, row in zip(assessment.measures, assessment.values, strict=True)
        if not np.isnan(row).any()
    }
    neediest = max(needs, key=needs.get)
    assert neediest == "M4"
    response = leader_client.get(f"/planung/strategie/{v1.pk}/prioritaeten/", NEED_ONLY)
    assert response.status_code == 200
    rows = response.context["table"]["rows"]
    assert rows[0]["code"] == neediest and rows[0]["rank"] == 1
    assert rows[0]["total_text"] == "100,0"
    # Scores follow need only: never higher below a measure with more need.
    ranked_needs = [row["values"][0] for row in rows]
    assert ranked_needs == sorted(ranked_needs, reverse=True)
    assert response.context["table"]["weights"][0] == ("Bedarf", 10.0)
    assert "Diese Liste zur Freigabe speichern" not in response.content.decode()  # leaders


def test_all_weights_zero_shows_the_form_error_and_the_default_ranking(leader_client, v1):
    zero = dict.fromkeys(NEED_ONLY, 0)
    response = leader_client.get(f"/planung/strategie/{v1.pk}/prioritaeten/", zero)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Mindestens ein Kriterium braucht ein Gewicht über 0."
    ]
    assert "Mindestens ein Kriterium braucht ein Gewicht über 0." in response.content.decode()
    assert [row["code"] for row in response.context["table"]["rows"]] == DEMO_ORDER


def test_a_weight_above_ten_is_rejected(leader_client, v1):
    response = leader_client.get(
        f"/planung/strategie/{v1.pk}/prioritaeten/", NEED_ONLY | {"need": 11}
    )
    assert list(response.context["form"].errors) == ["need"]


def test_a_planner_saves_a_list_for_approval(planner_client, v1):
    page = planner_client.get(f"/planung/strategie/{v1.pk}/prioritaeten/", NEED_ONLY)
    assert "Diese Liste zur Freigabe speichern" in page.content.decode()
    response = planner_client.post(
        f"/planung/strategie/{v1.pk}/prioritaeten/", NEED_ONLY | {"title": "Nur Bedarf"}
    )
    saved = PriorityList.objects.get(title="Nur Bedarf")
    assert response.status_code == 302
    assert response["Location"] == f"/planung/prioritaetenliste/{saved.pk}/"
    assert saved.strategy == v1 and saved.created_by.username == "test-planner"
    assert saved.weights == {k: float(v) for k, v in NEED_ONLY.items()}
    assert saved.result["rows"][0]["code"] == "M4" and saved.approved_at is None


def test_a_leader_posting_weights_saves_nothing(leader_client, v1):
    response = leader_client.post(
        f"/planung/strategie/{v1.pk}/prioritaeten/", NEED_ONLY | {"title": "Leitung"}
    )
    assert response.status_code == 200
    assert not PriorityList.objects.filter(title="Leitung").exists()
    assert PriorityList.objects.count() == 1


@pytest.fixture
def workbook(leader_client, v1):
    response = leader_client.get(f"/planung/strategie/{v1.pk}/massnahmen.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="{FILE_NAME}-massnahmen.xlsx"'
    )
    return load_workbook(BytesIO(response.content))


def test_the_workbook_has_german_sheets_and_one_row_per_measure(workbook):
    assert workbook.sheetnames == ["Maßnahmen", "Budget"]
    sheet = workbook["Maßnahmen"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Nr.", "Titel", "Beschreibung", "Verantwortlich", "Partner", "Zielgruppen",
        "Personen in der Zielgruppe", "Zu erreichende Personen", "Sozialräume", "Beginn", "Ende",
        "Status", "Ziele", "Evidenz", "Nachhaltigkeit", "Budget (EUR)", "Beispielinhalt",
    )  # fmt: skip
    assert [row[0] for row in rows[1:]] == ["M1", "M2", "M3", "M4", "M5", "M6", "M7"]
    lotsen = rows[4]
    assert lotsen[3] == "Familienzentrum Orlatal e. V. (Beispiel)"
    assert (lotsen[6], lotsen[7]) == (900, 300)
    assert lotsen[11] == "läuft" and lotsen[16] == "ja"
    assert rows[6][6] is None  # measure 6 has no target group size: an empty cell


def test_the_workbooks_dates_are_real_dates(workbook):
    sheet = workbook["Maßnahmen"]
    lotsen = sheet["J5"], sheet["K5"]
    assert [cell.value for cell in lotsen] == [dt.datetime(2020, 1, 1), dt.datetime(2022, 12, 31)]
    assert all(cell.is_date and cell.number_format == "DD.MM.YYYY" for cell in lotsen)


def test_the_workbooks_budget_column_is_the_sum_of_each_measures_lines(workbook, v1):
    sheet = workbook["Maßnahmen"]
    sums = {row[0]: row[15] for row in sheet.iter_rows(min_row=2, values_only=True)}
    expected = {m.code: sum(b.amount for b in m.budget_lines.all()) for m in v1.measures.all()}
    assert sums == {code: float(amount) for code, amount in expected.items()}
    assert sums["M4"] == 130000
    assert sheet["P5"].number_format == '#,##0.00 "€"'
    lines = list(workbook["Budget"].iter_rows(values_only=True))
    assert lines[0] == ("Maßnahme", "Jahr", "Finanzierungsquelle", "Betrag (EUR)")
    assert len(lines) == 1 + 19
    assert [line for line in lines if line[0] == "M4"] == [
        ("M4", 2020, "Europäischer Sozialfonds (ESF)", 45000),
        ("M4", 2021, "Europäischer Sozialfonds (ESF)", 45000),
        ("M4", 2022, "Gemeinde", 10000),
        ("M4", 2022, "Land", 30000),
    ]
    per_measure = {}
    for code, _year, _source, amount in lines[1:]:
        per_measure[code] = per_measure.get(code, 0) + amount
    assert per_measure == sums


def test_the_pdf_export_is_a_pdf_of_several_pages(leader_client, v1):
    response = leader_client.get(f"/planung/strategie/{v1.pk}/strategie.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{FILE_NAME}.pdf"'
    assert response["Content-Disposition"].endswith('.pdf"')
    assert response.content.startswith(b"%PDF")
    assert page_count(response.content) >= 5


def test_the_draft_exports_carry_their_own_version_in_the_file_name(leader_client, v2):
    response = leader_client.get(f"/planung/strategie/{v2.pk}/massnahmen.xlsx")
    name = FILE_NAME.replace("version-1", "version-2")
    assert response["Content-Disposition"] == f'attachment; filename="{name}-massnahmen.xlsx"'
    sheet = load_workbook(BytesIO(response.content))["Maßnahmen"]
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == ["M1", "M3", "M4", "M5", "M6", "M7", "M8"]


def test_the_priorities_page_draws_each_measures_rank_interval(planner_client, v1):
    response = planner_client.get(f"/planung/strategie/{v1.pk}/prioritaeten/")
    table = response.context["table"]
    for row in table["rows"]:
        assert row["rank_low"] <= row["median_rank"] <= row["rank_high"]
    chart = table["chart"]
    assert (
        chart.startswith("<svg") and "Rang, wenn die Gewichte um die gewählten schwanken" in chart
    )
    assert chart in response.content.decode()
