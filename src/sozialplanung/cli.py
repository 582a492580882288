"""The ``sozialplanung`` command: run the app, set up the database, load data."""

import datetime as dt
import signal
import sys
from pathlib import Path

import click

from sozialplanung.cli_directory import directory
from sozialplanung.cli_report import report
from sozialplanung.cli_support import with_django

LEVELS = ["state", "county", "association", "municipality"]


class IsoDate(click.ParamType):
    name = "JJJJ-MM-TT"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(
                f"„{value}“ ist kein Datum im Format JJJJ-MM-TT (z. B. 2024-01-01).", param, ctx
            )


DATE = IsoDate()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sozialplanung")
def cli() -> None:
    """Sozialplanung: integrierte Sozialplanung und Armutsprävention.

    Die Einstellungen kommen aus der Umgebung: DATABASE_URL (Standard: SQLite im
    Datenverzeichnis), SOZIALPLANUNG_DATA_DIR, SECRET_KEY, ALLOWED_HOSTS, DEBUG.
    """


@cli.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Adresse, an der der Server lauscht."
)
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port."
)
@click.option(
    "--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="Arbeits-Threads."
)
@click.option(
    "--processes",
    default=1,
    show_default=True,
    type=click.IntRange(1, 32),
    help="Server-Prozesse, die sich den Port teilen (mehr als einer nur unter Linux/macOS); "
    "auf einem Server etwa einer je CPU-Kern.",
)
@click.option(
    "--worker/--no-worker",
    default=True,
    show_default=True,
    help="Den Hintergrund-Worker für lange Aufträge mitstarten.",
)
@with_django
def serve(host: str, port: int, threads: int, processes: int, worker: bool) -> None:
    """Die Web-Anwendung starten (WSGI-Server waitress, statische Dateien inklusive).

    Beispiel:

    \b
        sozialplanung serve --port 8000
    """
    from django.conf import settings
    from django.core.management import call_command
    from waitress import serve as waitress_serve

    if not settings.DEBUG:
        call_command("collectstatic", interactive=False, verbosity=0)
    from sozialplanung.web.wsgi import application  # after collectstatic: WhiteNoise indexes files

    click.echo(f"Sozialplanung läuft auf http://{host}:{port}/  (beenden mit Strg+C)")
    click.echo(
        f"Datenbank: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
        f"Datenverzeichnis: {settings.DATA_DIR}"
    )
    background = _start_worker() if worker else None
    # A service manager stops with SIGTERM: end like Ctrl+C, so the worker is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        if processes > 1:
            _serve_forked(application, host, port, threads, processes)
        else:
            waitress_serve(
                application, host=host, port=port, threads=threads, ident="sozialplanung"
            )
    except OSError as error:
        raise click.ClickException(
            f"Kann nicht auf {host}:{port} starten ({error.strerror}). Läuft die Anwendung schon? "
            "Sonst einen anderen Port wählen: --port 8001"
        ) from None
    finally:
        if background is not None:
            background.terminate()
            background.wait(timeout=10)


def _serve_forked(application, host: str, port: int, threads: int, processes: int) -> None:
    """Several waitress processes on one listening socket: Python code runs on every core.

    The socket is bound once, then each child process accepts from it (pre-fork, as gunicorn
    does); the parent waits and ends the children when it is stopped.
    """
    import contextlib
    import os
    import socket

    from django.db import connections
    from waitress import serve as waitress_serve

    if not hasattr(os, "fork"):
        raise click.ClickException("--processes über 1 braucht Linux oder macOS.")
    listener = socket.create_server((host, port), backlog=1024)
    connections.close_all()  # each child opens its own database connections
    children = []
    for _ in range(processes):
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
            waitress_serve(application, sockets=[listener], threads=threads, ident="sozialplanung")
            os._exit(0)
        children.append(pid)
    click.echo(f"{processes} Server-Prozesse mit je {threads} Threads.")
    try:
        for pid in children:
            os.waitpid(pid, 0)
    finally:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        listener.close()


def _start_worker():
    """The background worker as a child process that ends with the web server."""
    import subprocess

    click.echo("Hintergrund-Worker für lange Aufträge läuft.")
    return subprocess.Popen([sys.executable, "-m", "sozialplanung", "worker"])


@cli.command()
@click.option(
    "--interval",
    default=1.0,
    show_default=True,
    type=float,
    help="Sekunden zwischen zwei Blicken in die Warteschlange.",
)
@with_django
def worker(interval: float) -> None:
    """Lange Aufträge (z. B. Prüfungen, Indexberechnungen) im Hintergrund abarbeiten.

    Läuft, bis er beendet wird; `sozialplanung serve` startet ihn selbst mit.

    Beispiel:

    \b
        sozialplanung worker
    """
    from django.core.management import call_command

    call_command("db_worker", interval=interval, verbosity=0)


@cli.command()
@with_django
def migrate() -> None:
    """Die Datenbank anlegen oder auf den neuesten Stand bringen.

    Beispiel:

    \b
        sozialplanung migrate
    """
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    click.echo("Datenbank ist auf dem neuesten Stand.")


@cli.command("load-demo")
@with_django
def load_demo() -> None:
    """Den Demo-Landkreis (Saale-Orla-Kreis, echte amtliche Daten) und Demo-Konten laden.

    Mehrfaches Ausführen ändert nichts doppelt. Nur zum Ausprobieren, nicht auf einem
    Produktivsystem verwenden: die Demo-Konten haben bekannte Passwörter.

    Beispiel:

    \b
        sozialplanung load-demo
    """
    from sozialplanung.demo.loader import DEMO_PASSWORD, DEMO_USERS
    from sozialplanung.demo.loader import load_demo as load

    click.echo("Lade den Demo-Landkreis Saale-Orla-Kreis …")
    load(report=click.echo)
    click.echo("Demo-Konten (Benutzer / Passwort / Rolle):")
    for username, _name, role in DEMO_USERS:
        click.echo(f"  {username:<9} / {DEMO_PASSWORD} / {role.label}")


@cli.command()
@click.argument("username")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["administrator", "planner", "leader", "provider"]),
    help="administrator, planner (Planungskoordination), leader (Leitung) oder provider (Träger).",
)
@click.option(
    "--password",
    prompt="Passwort",
    hide_input=True,
    confirmation_prompt="Passwort wiederholen",
    help="Passwort; ohne Angabe wird danach gefragt.",
)
@click.option("--email", default="", help="E-Mail-Adresse.")
@with_django
def createuser(username: str, role: str, password: str, email: str) -> None:
    """Ein Benutzerkonto mit einer Rolle anlegen (oder Passwort und Rolle neu setzen).

    Beispiel:

    \b
        sozialplanung createuser m.muster --role planner
    """
    from django.core.exceptions import ValidationError

    from sozialplanung.web.accounts.roles import Role
    from sozialplanung.web.accounts.services import user_create_or_update

    try:
        user_create_or_update(username=username, password=password, role=Role(role), email=email)
    except ValidationError as error:
        raise click.ClickException("Passwort abgelehnt: " + " ".join(error.messages)) from None
    click.echo(f"Konto „{username}“ mit der Rolle {Role(role).label} ist bereit.")


@cli.group()
def areas() -> None:
    """Gebiete (Land, Kreis, Verwaltungsgemeinschaft, Gemeinde) und Umsteigeschlüssel."""


@areas.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--level", required=True, type=click.Choice(LEVELS), help="Ebene der Gebiete in der Datei."
)
@click.option(
    "--vintage",
    required=True,
    type=DATE,
    help="Gebietsstand: Datum, dessen Grenzen die Datei zeigt.",
)
@click.option("--valid-from", type=DATE, help="Gültig ab (Standard: der Gebietsstand).")
@click.option("--valid-to", type=DATE, help="Gültig bis (leer: heute noch gültig).")
@click.option("--key-field", help="Spalte mit dem amtlichen Schlüssel (Standard: AGS, key …).")
@click.option("--name-field", help="Spalte mit dem Namen (Standard: GEN, name …).")
@click.option(
    "--population-field", help="Spalte mit der Einwohnerzahl (Standard: EWZ, population …)."
)
@click.option("--crs", help="Koordinatensystem, falls die Datei keines angibt (z. B. EPSG:25832).")
@click.option(
    "--attribution", default="", help="Quelle und Lizenz, wie sie auf Karten stehen soll."
)
@with_django
def areas_import(
    file: Path,
    level: str,
    vintage,
    valid_from,
    valid_to,
    key_field,
    name_field,
    population_field,
    crs,
    attribution,
) -> None:
    """Gebiete aus GeoJSON, GeoPackage, Shapefile (auch gezippt) oder CSV importieren.

    Die ganze Datei wird geprüft; bei einem Fehler wird nichts gespeichert. Ein erneuter
    Import derselben Gebiete für denselben Zeitraum aktualisiert sie.

    Beispiel:

    \b
        sozialplanung areas import gemeinden.geojson --level municipality --vintage 2024-01-01
    """
    from sozialplanung.io.area_files import FieldMap
    from sozialplanung.web.areas.services import import_area_file

    batch = import_area_file(
        file,
        level=level,
        vintage=vintage,
        valid_from=valid_from,
        valid_to=valid_to,
        fields=FieldMap(key=key_field, name=name_field, population=population_field),
        source_crs=crs,
        attribution=attribution,
    )
    click.echo(
        f"{file.name}: {batch.created_count} Gebiete neu, {batch.updated_count} aktualisiert "
        f"(Gebietsstand {vintage:%d.%m.%Y})."
    )


@areas.command("conversion")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--old-vintage", required=True, type=DATE, help="Datum des alten Gebietsstands.")
@click.option("--new-vintage", required=True, type=DATE, help="Datum des neuen Gebietsstands.")
@click.option(
    "--effective", required=True, type=DATE, help="Datum, an dem die Änderung wirksam wurde."
)
@click.option(
    "--level", default="municipality", show_default=True, type=click.Choice(LEVELS), help="Ebene."
)
@with_django
def areas_conversion(file: Path, old_vintage, new_vintage, effective, level) -> None:
    """Umsteigeschlüssel (alter Schlüssel → neuer Schlüssel, Gewicht) importieren.

    Die Datei nennt nur Änderungen; unveränderte Gebiete werden mit Gewicht 1 ergänzt.

    Beispiel:

    \b
        sozialplanung areas conversion fusionen.csv --old-vintage 2016-12-31 \\
            --new-vintage 2024-01-01 --effective 2019-01-01
    """
    from sozialplanung.web.areas.services import import_conversion_file

    count = import_conversion_file(
        file,
        level=level,
        old_vintage=old_vintage,
        new_vintage=new_vintage,
        effective_date=effective,
    )
    click.echo(f"{count} Umsteigeschlüssel gespeichert.")


@areas.command("list")
@with_django
def areas_list() -> None:
    """Die gespeicherten Gebietsstände auflisten.

    Beispiel:

    \b
        sozialplanung areas list
    """
    from sozialplanung.web.areas.selectors import vintages

    for row in vintages():
        until = f"{row['valid_to']:%d.%m.%Y}" if row["valid_to"] else "heute"
        click.echo(
            f"{row['level_label']:<28} Stand {row['vintage']:%d.%m.%Y}  gültig "
            f"{row['valid_from']:%d.%m.%Y}–{until}  {row['count']:>5} Gebiete"
        )


@cli.group()
def data() -> None:
    """Statistische Tabellen (Beobachtungen) für das Sozialmonitoring."""


@data.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    "mapping_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Zuordnungsdatei (TOML): Spalten, Variablen, Gebietsstand, Quelle.",
)
@click.option("--attribution", help="Quelle und Lizenz der Zahlen (sonst aus der Zuordnungsdatei).")
@click.option("--vintage", type=DATE, help="Gebietsstand der Schlüssel in der Datei (JJJJ-MM-TT).")
@click.option(
    "--ignore-unmapped",
    is_flag=True,
    help="Spalten ohne zugeordnete Variable auslassen statt sie als Problem zu melden.",
)
@click.option("--dry-run", is_flag=True, help="Nur prüfen und zusammenfassen, nichts speichern.")
@with_django
def data_import(file: Path, mapping_file, attribution, vintage, ignore_unmapped, dry_run) -> None:
    """Eine Tabelle (CSV, XLSX, GENESIS-Flatfile) prüfen und importieren.

    Die ganze Datei wird geprüft; jedes Problem wird mit Zeile, Spalte und Grund
    genannt, und bei einem Problem wird nichts gespeichert.

    Beispiel:

    \b
        sozialplanung data import 13211-02-05-4.csv --attribution "© Regionalstatistik"
    """
    from dataclasses import replace

    from sozialplanung.io.area_files import AreaFileError
    from sozialplanung.web.monitoring.importing import (
        ImportSpec,
        confirm_import,
        load_spec,
        preview_import,
    )

    spec = load_spec(mapping_file) if mapping_file else ImportSpec()
    if attribution:
        spec = replace(spec, attribution=attribution)
    if vintage:
        spec = replace(spec, territorial_vintage=vintage)
    if ignore_unmapped:
        spec = replace(spec, ignore_unmapped=True)
    preview = preview_import(file, spec)
    if preview.problems:
        for problem in preview.problems:
            click.echo(f"{file.name}: {problem}", err=True)
        raise click.ClickException(
            f"Nicht importiert, nichts geändert: {len(preview.problems)} Problem(e) in {file.name}."
        )
    if preview.already_imported is not None:
        raise click.ClickException(
            f"{file.name} wurde bereits am {preview.already_imported.created_at:%d.%m.%Y} "
            "importiert (gleiche Prüfsumme); nichts geändert."
        )
    info = preview.summary()
    click.echo(
        f"{file.name}: {info['values']} Werte, {info['flagged']} gesperrt oder fehlend, "
        f"{info['areas']} Gebiete, Jahre {info['years']}, ersetzt {info['replaced']}."
    )
    if dry_run:
        click.echo("Probelauf: nichts gespeichert.")
        return
    try:
        batch = confirm_import(preview)
    except AreaFileError as error:
        raise click.ClickException(f"Nicht importiert, nichts geändert: {error}") from None
    click.echo(f"Importiert als Lieferung {batch.pk}.")


cli.add_command(report)
cli.add_command(directory)


def main() -> None:
    cli(prog_name="sozialplanung")


if __name__ == "__main__":
    sys.exit(main())
