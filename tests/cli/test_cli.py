"""The sozialplanung command: plain help, one-line errors, no tracebacks, nothing half-done."""

import json

import pytest
from click.testing import CliRunner

from sozialplanung.cli import cli
from sozialplanung.web.areas.models import Area

COMMANDS = [
    ["serve"],
    ["worker"],
    ["migrate"],
    ["load-demo"],
    ["createuser"],
    ["areas"],
    ["areas", "import"],
    ["areas", "conversion"],
    ["areas", "list"],
]


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_explains_itself(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_a_bad_date_is_a_one_line_error():
    result = run("areas", "import", "README.md", "--level", "municipality", "--vintage", "1.1.2024")
    assert result.exit_code == 2
    assert "kein Datum im Format JJJJ-MM-TT" in result.output
    assert "Traceback" not in result.output


@pytest.mark.django_db
def test_a_broken_geojson_exits_non_zero_and_changes_nothing(tmp_path):
    path = tmp_path / "kaputt.geojson"
    features = [
        {
            "type": "Feature",
            "properties": {"AGS": "16075999", "GEN": "Irgendwo"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]],
            },
        }
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    before = list(Area.objects.order_by("pk").values_list("pk", "key", "name", "geometry"))

    result = run("areas", "import", str(path), "--level", "municipality", "--vintage", "2030-01-01")

    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: Nicht importiert, nichts geändert: Objekt 1")
    assert "Ungültige Geometrie" in lines[0]
    assert list(Area.objects.order_by("pk").values_list("pk", "key", "name", "geometry")) == before


@pytest.mark.django_db
def test_a_file_that_is_not_geojson_is_refused_in_one_line(tmp_path):
    path = tmp_path / "gemeinden.geojson"
    path.write_text("{ das ist kein JSON")
    result = run("areas", "import", str(path), "--level", "municipality", "--vintage", "2030-01-01")
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_a_missing_file_is_named():
    result = run(
        "areas", "import", "gibt-es-nicht.geojson", "--level", "county", "--vintage", "2024-01-01"
    )
    assert result.exit_code == 2
    assert "gibt-es-nicht.geojson" in result.output


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing_the_second_time():
    before = Area.objects.count()
    result = run("load-demo")
    assert result.exit_code == 0, result.output
    assert "schon geladen" in result.output
    assert "planung" in result.output and "leitung" in result.output
    assert Area.objects.count() == before


@pytest.mark.django_db
def test_createuser_refuses_a_weak_password():
    result = run("createuser", "m.muster", "--role", "planner", "--password", "123")
    assert result.exit_code == 1
    assert "Passwort abgelehnt" in result.output


@pytest.mark.django_db
def test_createuser_gives_the_role(django_user_model):
    result = run("createuser", "m.muster", "--role", "leader", "--password", "Saale-Orla-2026!")
    assert result.exit_code == 0, result.output
    user = django_user_model.objects.get(username="m.muster")
    assert list(user.groups.values_list("name", flat=True)) == ["leader"]
    assert not user.is_staff


@pytest.mark.django_db
def test_areas_list_shows_both_vintages():
    result = run("areas", "list")
    assert result.exit_code == 0
    assert "31.12.2016" in result.output and "01.01.2024" in result.output
