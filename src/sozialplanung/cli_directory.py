"""``sozialplanung directory``: the directory of offers in and out as Open Referral HSDS 3."""

from pathlib import Path

import click

from sozialplanung.cli_support import with_django


@click.group()
def directory() -> None:
    """Verzeichnis der Unterstützungsangebote (HSDS 3)."""


@directory.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--example", is_flag=True, help="Als Beispielinhalt kennzeichnen.")
@with_django
def directory_import(file: Path, example: bool) -> None:
    """Eine HSDS-Datei (JSON oder ZIP-Datenpaket) ganz oder gar nicht importieren.

    Example:

        sozialplanung directory import angebote-hsds.zip
    """
    from sozialplanung.io.hsds import HsdsError, load
    from sozialplanung.web.directory.hsds_import import import_dataset

    try:
        summary = import_dataset(load(file.read_bytes(), file.name), example=example)
    except HsdsError as error:
        raise click.ClickException(f"Nicht importiert, nichts geändert:\n{error}") from None
    click.echo(
        f"{file.name}: {summary['services']} Angebote, {summary['locations']} Orte, "
        f"{summary['organizations']} Organisationen importiert"
    )


@directory.command("export")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Zieldatei: .json (verschachtelte Angebote) oder .zip (Datenpaket mit CSV).",
)
@with_django
def directory_export(out: Path) -> None:
    """Die veröffentlichten Angebote als HSDS 3 schreiben.

    Example:

        sozialplanung directory export --out angebote-hsds.zip
    """
    from sozialplanung.io.hsds import write_json, write_tabular
    from sozialplanung.web.directory.hsds_export import export_dataset

    if out.suffix not in (".json", ".zip"):
        raise click.ClickException("Die Zieldatei muss auf .json oder .zip enden.")
    dataset = export_dataset()
    out.write_bytes(write_json(dataset) if out.suffix == ".json" else write_tabular(dataset))
    click.echo(f"{out}: {len(dataset.rows('services'))} Angebote")


@directory.command("remind")
@click.option(
    "--base-url",
    default="",
    help="Adresse der Installation für den Link in der E-Mail, z. B. https://sozialplanung.example.de",
)
@with_django
def directory_remind(base_url: str) -> None:
    """Trägerkonten an Einträge erinnern, deren jährliche Prüfung fällig ist (E-Mail).

    Der E-Mail-Versand wird mit SOZIALPLANUNG_EMAIL_BACKEND und EMAIL_HOST … eingestellt;
    ohne Einstellung erscheinen die E-Mails auf der Konsole. Gedacht für einen täglichen Cronjob.

    Example:

        sozialplanung directory remind --base-url https://sozialplanung.example.de
    """
    from sozialplanung.web.directory.review import send_reminders

    sent = send_reminders(base_url=base_url.rstrip("/"))
    click.echo(f"{sent} Erinnerungen verschickt")
