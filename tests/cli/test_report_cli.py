"""``sozialplanung report``: PDFs in the output folder, each kept as a run with its checksum."""

import hashlib

import pytest
from click.testing import CliRunner

from sozialplanung.cli import cli
from sozialplanung.cli_report import TOPICS
from sozialplanung.web.monitoring.models import Topic
from sozialplanung.web.reports.models import ReportRun

pytestmark = pytest.mark.django_db


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_the_topic_choices_are_the_catalogue_topics():
    assert Topic.values == TOPICS


def test_the_social_report_lands_in_the_folder_with_its_checksum(tmp_path):
    result = run("report", "social-report", "--out", str(tmp_path), "--date", "2026-12-02")
    assert result.exit_code == 0, result.output
    (path,) = tmp_path.glob("*.pdf")
    assert path.name == "social_report-sozialbericht-2026-12-02.pdf"
    data = path.read_bytes()
    run_ = ReportRun.objects.get()
    assert hashlib.sha256(data).hexdigest() == run_.checksum
    assert f"{run_.pages} Seiten" in result.output and run_.pages >= 10


def test_a_topic_sheet_is_two_pages(tmp_path):
    result = run(
        "report", "topic-sheet", "work_income", "--out", str(tmp_path), "--date", "2026-12-02"
    )
    assert result.exit_code == 0, result.output
    assert ReportRun.objects.get().pages == 2
    assert (tmp_path / "topic_sheet-arbeit-und-einkommen-2026-12-02.pdf").read_bytes()[
        :4
    ] == b"%PDF"


def test_profiles_of_chosen_areas(tmp_path):
    result = run(
        "report", "profiles", "--area", "16075085", "--area", "16075098", "--out", str(tmp_path)
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert [n[:8] for n in names] == ["16075085", "16075098"]
    assert "poessneck" in names[0]


def test_an_unknown_area_is_a_one_line_error_and_renders_nothing(tmp_path):
    result = run("report", "profiles", "--area", "99999999", "--out", str(tmp_path))
    assert result.exit_code != 0
    assert "99999999" in result.output and "Traceback" not in result.output
    assert not ReportRun.objects.exists()
    assert not list(tmp_path.glob("*.pdf"))
