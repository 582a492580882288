"""A planner imports a real GENESIS flat file and an XLSX table through the web page."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from sozialplanung.web.monitoring.models import Indicator, Observation
from sozialplanung.web.monitoring.selectors import indicator_view

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parents[2] / "io" / "data"
UPLOAD, CHECK = "/planung/daten/import/", "/planung/daten/import/pruefen/"


def upload(client, name: str, content: bytes, **fields):
    data = {"file": SimpleUploadedFile(name, content), "attribution": "Regionalstatistik", **fields}
    return client.post(UPLOAD, data)


def assign(client, variables: dict[str, str]):
    return client.post(CHECK, {"assign": "1", **{f"var-{k}": v for k, v in variables.items()}})


def genesis_variables(response) -> dict[str, str]:
    chosen = {}
    for code in response.context["unmapped"]:
        if code == "ERWP06":
            chosen[code] = "unemployed"
        elif code == "ERWP10":
            chosen[code] = "unemployment_rate"
        else:
            chosen[code] = "-"  # the rates by sex are not in the catalogue
    return chosen


def test_a_genesis_flat_file_with_a_wrong_cell_is_named_then_imported(planner_client):
    text = (FIXTURES / "13211-02-05-4_ffcsv.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    broken = lines[:]
    broken[1] = broken[1].replace(";13646;", ";13.6x6;")
    upload(planner_client, "13211-02-05-4.csv", "\n".join(broken).encode(), vintage="2021-12-31")
    response = planner_client.get(CHECK)
    response = assign(planner_client, genesis_variables(response))
    problems = [str(p) for p in response.context["problems"]]
    assert problems == [p for p in problems if "Zeile 2" in p and "13.6x6" in p]
    assert len(problems) == 1

    upload(planner_client, "13211-02-05-4.csv", text.encode(), vintage="2021-12-31")
    response = assign(planner_client, genesis_variables(planner_client.get(CHECK)))
    assert response.context["problems"] == []
    assert planner_client.post(CHECK, {"confirm": "1"}).status_code == 302
    rate = Observation.objects.get(
        variable__code="unemployment_rate",
        area__key="16075",
        year=2009,
        batch__file_name="13211-02-05-4.csv",
    )
    assert rate.value == pytest.approx(float(_fixture_value(text, "2009", "16075", "ERWP10")))
    view = indicator_view(Indicator.objects.get(code="unemployment_rate"), 2009, published=True)
    assert view.county.value == pytest.approx(rate.value)
    assert any(b.attribution == "Regionalstatistik" for b in view.batches())


def _fixture_value(text: str, year: str, key: str, code: str) -> str:
    for line in text.splitlines()[1:]:
        cells = line.split(";")
        if cells[4] == year and cells[7] == key and cells[15] == code and cells[11] == "":
            return cells[13].replace(".", "").replace(",", ".")
    raise AssertionError("value not in fixture")


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_table_names_the_wrong_cell_then_imports(planner_client):
    header = ["Gemeindeschlüssel", "Jahr", "Pflegebedürftige"]
    bad = xlsx([header, ["16075085", 2021, 812], ["16075098", 2021, "viele"]])
    upload(planner_client, "pflege.xlsx", bad)
    response = assign(planner_client, {"Pflegebedürftige": "people_in_need_of_care"})
    problems = [str(p) for p in response.context["problems"]]
    assert len(problems) == 1
    assert "Zeile 3" in problems[0] and "Pflegebedürftige" in problems[0] and "viele" in problems[0]

    good = xlsx([header, ["16075085", 2021, 812], ["16075098", 2021, 655]])
    upload(planner_client, "pflege.xlsx", good)
    assign(planner_client, {"Pflegebedürftige": "people_in_need_of_care"})
    assert planner_client.post(CHECK, {"confirm": "1"}).status_code == 302
    assert (
        Observation.objects.get(
            variable__code="people_in_need_of_care", area__key="16075098", year=2021
        ).value
        == 655
    )
