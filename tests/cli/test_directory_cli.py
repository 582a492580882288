"""``sozialplanung directory export/import``: HSDS files on the command line."""

import pytest
from click.testing import CliRunner

from sozialplanung.cli import cli
from sozialplanung.io.hsds import read_tabular, write_json
from sozialplanung.web.directory.hsds_export import export_dataset
from sozialplanung.web.directory.models import Service

pytestmark = pytest.mark.django_db(transaction=False)


def test_the_directory_exports_and_imports_on_the_command_line(tmp_path):
    out = tmp_path / "angebote.zip"
    result = CliRunner().invoke(cli, ["directory", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(read_tabular(out.read_bytes()).rows("services")) == 21
    result = CliRunner().invoke(cli, ["directory", "import", str(out), "--example"])
    assert result.exit_code == 0, result.output
    assert "21 Angebote" in result.output and Service.objects.count() == 21


def test_a_bad_file_is_refused_with_its_problems_and_changes_nothing(tmp_path):
    dataset = export_dataset()
    dataset.rows("services")[0]["status"] = "offen"
    bad = tmp_path / "angebote.json"
    bad.write_bytes(write_json(dataset))
    result = CliRunner().invoke(cli, ["directory", "import", str(bad)])
    assert result.exit_code == 1
    assert "Nicht importiert, nichts geändert" in result.output and "offen" in result.output
    assert Service.objects.filter(status="active").count() == 21
