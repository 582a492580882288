"""``sozialplanung report``: the social report, topic sheets and area profiles as PDF files."""

import datetime as dt
import shutil
from pathlib import Path

import click

from sozialplanung.cli_support import with_django

# monitoring.models.Topic's values, spelled out: click needs them before Django is set up.
TOPICS = [
    "demography",
    "work_income",
    "education",
    "families",
    "old_age",
    "health_care",
    "housing",
    "participation",
]
PROFILE_LEVELS = {"gemeinden": "municipality", "sozialraeume": "social_space"}


def _common(command):
    command = click.option(
        "--out",
        required=True,
        type=click.Path(file_okay=False, path_type=Path),
        help="Verzeichnis für die PDF-Dateien (wird angelegt).",
    )(command)
    return click.option(
        "--date",
        "day",
        type=click.DateTime(["%Y-%m-%d"]),
        help="Datum auf dem Dokument (JJJJ-MM-TT, Standard: heute); gleiche Daten und gleiches "
        "Datum ergeben dieselbe Datei.",
    )(command)


def _county():
    from sozialplanung.web.areas.selectors import site_county

    county = site_county()
    if county is None:
        raise click.ClickException(
            "Kein Landkreis eingerichtet: zuerst Gebiete importieren oder load-demo ausführen."
        )
    return county


def _day(day: dt.datetime | None) -> dt.date:
    return day.date() if day else dt.date.today()


def _save(run, out: Path, prefix: str = "") -> Path:
    """Copy the stored file to ``out`` under its plain name (storage may add a suffix)."""
    out.mkdir(parents=True, exist_ok=True)
    target = out / (prefix + run.parameters["file_name"])
    with run.file.open("rb") as source, target.open("wb") as stream:
        shutil.copyfileobj(source, stream)
    return target


@click.group()
def report() -> None:
    """Sozialbericht, Themenblätter und Gebietsprofile als PDF erzeugen."""


@report.command("social-report")
@_common
@with_django
def social_report(out: Path, day) -> None:
    """Den Sozialbericht des Landkreises erzeugen (alle Themen, Methodenanhang).

    Eigene Texte je Kapitel pflegt die Planung in der Web-Oberfläche; sie kommen mit.

    Beispiel:

    \b
        sozialplanung report social-report --out berichte/
    """
    from sozialplanung.web.reports import services
    from sozialplanung.web.reports.models import Kind

    run = services.render_document(county=_county(), kind=Kind.SOCIAL_REPORT, day=_day(day))
    path = _save(run, out)
    click.echo(f"{path} ({run.pages} Seiten, SHA-256 {run.checksum[:12]}…)")


@report.command("topic-sheet")
@click.argument("topic", type=click.Choice([*TOPICS, "alle"]))
@_common
@with_django
def topic_sheet(topic: str, out: Path, day) -> None:
    """Ein Themenblatt (zwei Seiten) erzeugen, oder mit ``alle`` eines je Thema.

    Beispiel:

    \b
        sozialplanung report topic-sheet work_income --out berichte/
    """
    from sozialplanung.web.reports import services
    from sozialplanung.web.reports.models import Kind

    county = _county()
    for code in TOPICS if topic == "alle" else [topic]:
        try:
            run = services.render_document(
                county=county, kind=Kind.TOPIC_SHEET, day=_day(day), topic=code
            )
        except services.NothingToReport as error:
            click.echo(str(error))
            continue
        click.echo(f"{_save(run, out)} ({run.pages} Seiten)")


@report.command("profiles")
@click.option(
    "--area",
    "keys",
    multiple=True,
    help="Amtlicher Schlüssel eines Gebiets (mehrfach möglich; Standard: alle der Ebene).",
)
@click.option(
    "--level",
    type=click.Choice(list(PROFILE_LEVELS)),
    default="gemeinden",
    show_default=True,
    help="Gemeinden oder Sozialräume des beschlossenen Schemas.",
)
@_common
@with_django
def profiles(keys: tuple[str, ...], level: str, out: Path, day) -> None:
    """Gebietsprofile (ein bis zwei Seiten je Gemeinde oder Sozialraum) erzeugen.

    Beispiel:

    \b
        sozialplanung report profiles --out profile/
        sozialplanung report profiles --area 16075085 --out profile/
    """
    from sozialplanung.web.areas.models import Area
    from sozialplanung.web.reports import services
    from sozialplanung.web.reports.models import Kind

    county = _county()
    areas = list(
        Area.objects.filter(level=PROFILE_LEVELS[level], key__startswith=county.key)
        .current()
        .order_by("name")
    )
    if keys:
        found = {a.key: a for a in areas}
        missing = [k for k in keys if k not in found]
        if missing:
            raise click.ClickException(
                f"Kein aktuelles Gebiet der Ebene {level} mit dem Schlüssel {', '.join(missing)}."
            )
        areas = [found[k] for k in keys]
    if not areas:
        raise click.ClickException(f"Keine Gebiete der Ebene {level} vorhanden.")
    documents = services.profiles(areas, county, day=_day(day))
    with click.progressbar(documents, length=len(areas), label="Profile") as bar:
        for area, document, reading in bar:
            run = services.store_run(document, reading, kind=Kind.PROFILE, area=area)
            _save(run, out, prefix=f"{area.key}-")
    click.echo(f"{len(areas)} Profile in {out}")
