"""Docs are tested: the CLI reference is current, every setting is documented, links resolve."""

import re
from pathlib import Path

import pytest

from sozialplanung.cli_reference import command_paths, heading, render_reference

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "src" / "sozialplanung" / "web"
CLI_MD = ROOT / "docs" / "cli.md"
README = ROOT / "README.md"
OPERATOR_GUIDE = ROOT / "docs" / "betrieb.md"

ENV_READ = re.compile(
    r'(?:(?:os\.environ\.get|os\.getenv|env_bool|env_list)\(|os\.environ\[)\s*"([A-Z][A-Z0-9_]*)"'
)
# The standard platform locations of the default data directory: explained in the operator guide,
# but not settings of this application, so the README's short table leaves them out.
PLATFORM_VARIABLES = {"XDG_DATA_HOME", "LOCALAPPDATA"}
# Markdown links and images: [text](target) — the target up to a space, ")" or "#".
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>#]*)")


def environment_variables() -> set[str]:
    names = set()
    for source in (WEB / "settings.py", WEB / "env.py"):
        text = source.read_text(encoding="utf-8")
        names |= set(ENV_READ.findall(text))
        if '"SOZIALPLANUNG_DATA_DIR"' in text:
            names.add("SOZIALPLANUNG_DATA_DIR")
    return names


def table_rows(markdown: str) -> str:
    return "\n".join(line for line in markdown.splitlines() if line.lstrip().startswith("|"))


def test_cli_reference_is_current():
    assert CLI_MD.read_text(encoding="utf-8") == render_reference(), (
        "docs/cli.md is out of date: run make docs"
    )


@pytest.mark.parametrize("path", list(command_paths()), ids=lambda p: " ".join(p) or "(group)")
def test_every_command_has_a_heading_in_the_cli_reference(path):
    headings = CLI_MD.read_text(encoding="utf-8").splitlines()
    assert heading(path) in headings, f"{heading(path)!r} missing from docs/cli.md: run make docs"


def test_settings_read_some_environment_variables():
    # Guards the regular expression: if it stopped matching, the next test could not fail.
    assert {"DATABASE_URL", "SECRET_KEY", "SOZIALPLANUNG_DATA_DIR"} <= environment_variables()


@pytest.mark.parametrize("name", sorted(environment_variables() - PLATFORM_VARIABLES))
def test_every_setting_is_in_the_readme_configuration_table(name):
    documented = f"`{name}`" in table_rows(README.read_text(encoding="utf-8"))
    assert documented, (
        f"{name} is read in web/settings.py or web/env.py but missing from the table in README.md"
    )


@pytest.mark.parametrize("name", sorted(environment_variables()))
def test_every_setting_is_in_the_operator_guide(name):
    documented = f"`{name}`" in table_rows(OPERATOR_GUIDE.read_text(encoding="utf-8"))
    assert documented, (
        f"{name} is read in web/settings.py or web/env.py but missing from the table in "
        "docs/betrieb.md"
    )


def markdown_files() -> list[Path]:
    return [README, *sorted((ROOT / "docs").glob("*.md"))]


def relative_links(document: Path) -> list[str]:
    targets = LINK.findall(document.read_text(encoding="utf-8"))
    return [t for t in targets if t and not re.match(r"^[a-z][a-z0-9+.-]*:", t, re.IGNORECASE)]


@pytest.mark.parametrize("document", markdown_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_point_to_existing_files(document):
    broken = [t for t in relative_links(document) if not (document.parent / t).exists()]
    assert not broken, f"{document.relative_to(ROOT)} links to missing files: {broken}"
