"""The CLI reference in Markdown, generated from each command's ``--help`` so it cannot drift.

``scripts/cli-reference`` writes it to ``docs/cli.md`` (``make docs``); ``tests/test_docs.py``
checks that the committed file is still what this function returns.
"""

from collections.abc import Iterator

import click
from click.testing import CliRunner

from sozialplanung.cli import cli

PROG_NAME = "sozialplanung"
WIDTH = 100  # fixed, so the output does not depend on the terminal it is generated in


def command_paths(
    command: click.Command = cli, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    """Every command path below ``command``, itself first, in the order click lists them."""
    yield path
    if isinstance(command, click.Group):
        ctx = click.Context(command, info_name=path[-1] if path else PROG_NAME)
        for name in command.list_commands(ctx):
            yield from command_paths(command.get_command(ctx, name), (*path, name))


def help_text(path: tuple[str, ...]) -> str:
    """Exactly what ``sozialplanung <path> --help`` prints."""
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name=PROG_NAME, terminal_width=WIDTH)
    if result.exit_code != 0:
        raise RuntimeError(f"{PROG_NAME} {' '.join(path)} --help failed: {result.output}")
    return result.output


def heading(path: tuple[str, ...]) -> str:
    return "## " + " ".join((PROG_NAME, *path))


def render_reference() -> str:
    """The whole reference: a title, one sentence, then each command's help text."""
    parts = [
        f"# Befehlszeile `{PROG_NAME}`",
        "",
        "Alle Befehle mit ihrer Hilfe, wie `--help` sie ausgibt; erzeugt mit `make docs` "
        "(`scripts/cli-reference`), nicht von Hand bearbeiten.",
    ]
    for path in command_paths():
        parts += ["", heading(path), "", "```text", help_text(path).rstrip("\n"), "```"]
    return "\n".join(parts) + "\n"
