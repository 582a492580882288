"""Importing tables: every wrong cell named, nothing stored on error, duplicates detected."""

import pytest
from click.testing import CliRunner

from sozialplanung.cli import cli
from sozialplanung.web.monitoring.models import ImportBatch, Observation

pytestmark = pytest.mark.django_db
GOOD = "ags;jahr;arbeitslose\n16075085;2021;512\n16075098;2021;301\n"
BAD = "ags;jahr;arbeitslose\n16075085;2021;512\n16075098;2021;drei\n99999999;2021;4\n"


def snapshot():
    return list(Observation.objects.order_by("pk").values_list("pk", "value", "batch_id"))


def write(tmp_path, text, name="tabelle.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def cli_import(path, *extra):
    return CliRunner().invoke(
        cli, ["data", "import", str(path), "--attribution", "Testquelle", *extra]
    )


def mapping(tmp_path):
    return write(tmp_path, '[variables]\narbeitslose = "unemployed"\n', "zuordnung.toml")


def test_the_cli_names_every_problem_and_changes_nothing(tmp_path):
    before = snapshot()
    result = cli_import(write(tmp_path, BAD), "--mapping", str(mapping(tmp_path)))
    assert result.exit_code == 1
    assert "Zeile 3, Spalte „arbeitslose“" in result.output
    assert "„drei“" in result.output
    assert "Zeile 4" in result.output and "99999999" in result.output
    assert snapshot() == before


def test_a_clean_file_is_imported_once(tmp_path):
    path = write(tmp_path, GOOD)
    first = cli_import(path, "--mapping", str(mapping(tmp_path)))
    assert first.exit_code == 0, first.output
    batch = ImportBatch.objects.get(file_name="tabelle.csv")
    assert batch.rows_imported == 2
    assert Observation.objects.get(batch=batch, area__key="16075085").value == 512
    again = cli_import(path, "--mapping", str(mapping(tmp_path)))
    assert again.exit_code == 1
    assert "bereits" in again.output


def test_an_unmapped_column_is_named(tmp_path):
    result = cli_import(write(tmp_path, GOOD))
    assert result.exit_code == 1
    assert "Zu „arbeitslose“ gibt es keine Variable" in result.output


def test_a_source_is_required(tmp_path):
    result = CliRunner().invoke(
        cli, ["data", "import", str(write(tmp_path, GOOD)), "--mapping", str(mapping(tmp_path))]
    )
    assert result.exit_code == 1
    assert "Quelle und Lizenz fehlen" in result.output


def test_the_web_flow_previews_then_imports(planner_client, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("tabelle.csv", BAD.encode())
    response = planner_client.post(
        "/planung/daten/import/", {"file": upload, "attribution": "Testquelle"}, follow=True
    )
    page = response.content.decode()
    assert "arbeitslose" in page  # the column still needs a variable
    response = planner_client.post(
        "/planung/daten/import/pruefen/", {"assign": "1", "var-arbeitslose": "unemployed"}
    )
    problems = [str(p) for p in response.context["problems"]]
    assert any("Zeile 3" in p and "drei" in p for p in problems)
    before = snapshot()
    planner_client.post("/planung/daten/import/pruefen/", {"confirm": "1"})
    assert snapshot() == before  # a file with problems cannot be confirmed

    fixed = SimpleUploadedFile("tabelle.csv", GOOD.encode())
    planner_client.post("/planung/daten/import/", {"file": fixed, "attribution": "Testquelle"})
    planner_client.post(
        "/planung/daten/import/pruefen/", {"assign": "1", "var-arbeitslose": "unemployed"}
    )
    response = planner_client.post("/planung/daten/import/pruefen/", {"confirm": "1"})
    assert response.status_code == 302
    assert ImportBatch.objects.filter(file_name="tabelle.csv", attribution="Testquelle").exists()


def test_unmapped_columns_can_be_left_out_on_purpose(tmp_path):
    path = write(tmp_path, "ags;jahr;arbeitslose;sonstiges\n16075085;2021;512;7\n")
    spec = write(
        tmp_path, 'ignore_unmapped = true\n[variables]\narbeitslose = "unemployed"\n', "z.toml"
    )
    result = cli_import(path, "--mapping", str(spec), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "1 Werte" in result.output
    assert "nichts gespeichert" in result.output
