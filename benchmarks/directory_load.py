"""Directory under load: 5,000 services on PostgreSQL, 50 concurrent clients, p95 and errors.

Measures what families see when many search at once: the public search (/angebote/) and the
service pages, served by the production WSGI server (``sozialplanung serve``: waitress,
4 processes of 2 threads, DEBUG off) from a PostgreSQL database, driven by locust from this
machine's loopback. One run:

1. a fresh database (sozialplanung_bench_directory), migrated, with the demo county and its
   directory; then 5,000 synthetic services (seeded, so every run has the same ones: German
   names, descriptions of 20–60 words, 1–3 life situations, 1–2 locations near the
   municipality centres with addresses, opening hours, languages, costs, ages), imported through
   the same validated HSDS import as any file (the import time is printed);
2. the server on a free port, without the background worker;
3. locust, headless, with the user of ``directory_locustfile.py`` (text search, life
   situation, place and radius, page 2, service pages; 0.5–2 s between clicks): 15 s to warm
   the server up (not counted), then the measured ``-u 50 -r 50 -t 60s``;
4. per request type: requests, failures, median, p95, p99, requests/s; then PASS/FAIL against
   the issue's target (p95 under 200 ms, no errors). No peer is named: only the target.

After the import the script runs ANALYZE, as autovacuum would within a minute on a production
database (it may be off on a development server, leaving the planner with wrong row counts).

Server, load generator and database share this machine's CPUs: the figures include that.
Two threads per process: a thread waiting for the database must win Python's interpreter
lock back from the threads of its process, so fewer threads in more processes answer sooner
(measured here: 2 processes of 8 threads p95 240–300 ms, 4 of 4 270 ms, 4 of 2 170–200 ms).

Run: ``.venv/bin/python benchmarks/directory_load.py`` (``--keep`` leaves the database,
``--reuse`` measures again on it without a new import)
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

DATABASE = "sozialplanung_bench_directory"
SERVER = "postgresql://postgres@127.0.0.1:5432"
BIN = Path(sys.executable).parent
HERE = Path(__file__).resolve().parent
TARGET_P95_MS = 200
# A server in service has long opened its database connections, compiled its templates and read
# what it keeps per process; the measured minute follows a short unmeasured one for that.
WARM_UP_SECONDS = 15
SEED = 20260
NAMESPACE = uuid.UUID("3b7d1e0a-5c55-4f7e-9d0b-8a1f6e2c4d90")

KINDS = ["Beratung", "Treff", "Hilfe", "Kurs", "Sprechstunde", "Gruppe", "Café", "Werkstatt",
         "Begleitung", "Förderung", "Lotsendienst", "Sportangebot"]  # fmt: skip
FOR = ["Familien", "Eltern", "Kinder", "Jugendliche", "Alleinerziehende", "Schwangere",
       "Väter", "Großeltern", "Zugewanderte", "Pflegende", "Schulkinder", "Babys"]  # fmt: skip
DESCRIPTION_WORDS = (
    "wir bieten offene vertrauliche kostenfreie Unterstützung bei Fragen rund um Erziehung "
    "Schule Ausbildung Arbeit Wohnung Geld Gesundheit Sprache Freizeit Anträge Behörden "
    "Kita Hort Ferien Spiel Sport Musik Natur Kochen Lernen Hausaufgaben Bewerbung Schulden "
    "Trennung Streit Sucht Krise Pflege Behinderung Inklusion Nachbarschaft Ehrenamt "
    "Begegnung Austausch Gespräch Termin Anmeldung telefonisch persönlich vor Ort mit "
    "erfahrenen Fachkräften und Ehrenamtlichen im Landkreis für alle Generationen"
)
FILLER = DESCRIPTION_WORDS.split()
STREETS = ["Hauptstraße", "Bahnhofstraße", "Schulstraße", "Markt", "Lindenweg", "Gartenstraße",
           "Kirchplatz", "Am Anger", "Bergstraße", "Wiesenweg"]  # fmt: skip
LANGUAGES = ["Englisch", "Arabisch", "Russisch", "Ukrainisch", "Türkisch", "Polnisch"]
DAYS = ["MO", "TU", "WE", "TH", "FR"]
COLUMNS = ["Request Count", "Failure Count", "50%", "95%", "99%", "Requests/s"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--processes", type=int, default=4, help="server processes (serve --processes)"
    )
    parser.add_argument("--threads", type=int, default=2, help="threads per server process")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the database a --keep run left (migrated, no new import); implies --keep",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sp-bench-directory-"))
    os.environ |= {"DATABASE_URL": f"{SERVER}/{DATABASE}", "DEBUG": "0",
                   "SOZIALPLANUNG_DATA_DIR": str(work / "data")}  # fmt: skip
    args.keep = args.keep or args.reuse
    if not args.reuse:
        admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)", f"CREATE DATABASE {DATABASE}")
    server = None
    try:
        for command in ("migrate",) if args.reuse else ("migrate", "load-demo"):
            subprocess.run([BIN / "sozialplanung", command], check=True, stdout=subprocess.DEVNULL)
        vocabulary = import_services(args.services, load=not args.reuse)
        (work / "vocabulary.json").write_text(json.dumps(vocabulary), encoding="utf-8")
        port = free_port()
        server = start_server(port, work / "server.log", args.processes, args.threads)
        run_locust(port, args.users, WARM_UP_SECONDS, work, "warm-up")
        rows = run_locust(port, args.users, args.seconds, work, "load")
        report(rows, args, work / "server.log")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not args.keep:
            admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"\nDatenbank {DATABASE} bleibt; Protokolle in {work}")


def admin(*statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def import_services(count: int, load: bool = True) -> dict:
    """Build ``count`` synthetic services as one HSDS dataset, import it, return the vocabulary.

    Without ``load`` the same (seeded) dataset is only built, for a database that holds it.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sozialplanung.web.settings")
    import django

    django.setup()
    from django.db import connections

    from sozialplanung.io.hsds import Dataset
    from sozialplanung.web.areas.selectors import municipalities_in, site_county
    from sozialplanung.web.directory.hsds_import import import_dataset
    from sozialplanung.web.directory.search import centre
    from sozialplanung.web.directory.taxonomy import TAXONOMY_ID, life_situations

    places = [(m, centre(m)) for m in municipalities_in(site_county()) if m.geometry]
    codes = [term.code for term in life_situations()]
    dataset = Dataset(synthetic(count, places, codes, TAXONOMY_ID))
    rows = sum(len(dataset.rows(t)) for t in dataset.tables)
    if not load:
        return vocabulary(dataset, places, codes)
    start = time.perf_counter()
    imported = import_dataset(dataset, example=True)
    seconds = time.perf_counter() - start
    print(
        f"Import: {imported['services']:,} Angebote, {rows:,} HSDS-Zeilen in einem Aufruf von "
        f"import_dataset: {seconds:.1f} s ({1000 * seconds / count:.1f} ms je Angebot)"
    )
    with connections["default"].cursor() as cursor:  # what autovacuum does soon after an import
        cursor.execute("ANALYZE")
    connections.close_all()
    return vocabulary(dataset, places, codes)


def vocabulary(dataset, places: list, codes: list[str]) -> dict:
    """What the locust users pick from: service ids, words, life situations, places."""
    services = [row["id"] for row in dataset.rows("services")]
    return {
        "ids": random.Random(SEED).sample(services, min(500, len(services))),
        "words": KINDS + FOR + [m.name for m, _ in places] + FILLER[10:40],
        "codes": codes,
        "places": [m.key for m, _ in places],
    }


def synthetic(count: int, places: list, codes: list[str], taxonomy: str) -> dict:
    from sozialplanung.io.hsds import TABLES

    rng = random.Random(SEED)
    tables: dict[str, list[dict]] = {table: [] for table in TABLES}

    def add(table: str, **values) -> str:
        values["id"] = str(uuid.uuid5(NAMESPACE, f"{table}/{len(tables[table])}"))
        tables[table].append({**dict.fromkeys(TABLES[table]), **values})
        return values["id"]

    organizations = [
        add("organizations", name=f"Träger {n + 1} e. V.", email=f"info@traeger{n + 1}.example")
        for n in range(max(1, count // 20))
    ]
    for n in range(count):
        area, (lat, lon) = rng.choice(places)
        org, low = rng.choice(organizations), rng.choice([None, None, 0, 3, 6, 12, 16, 18])
        high = rng.choice([None, low + 3, low + 10]) if low is not None else None
        service = add(
            "services", organization_id=org, status="active",
            name=f"{rng.choice(KINDS)} für {rng.choice(FOR)} {area.name} {n + 1}",
            description=" ".join(rng.choices(FILLER, k=rng.randint(20, 60))).capitalize() + ".",
            minimum_age=low, maximum_age=high, email=f"angebot{n + 1}@traeger.example",
        )  # fmt: skip
        for code in rng.sample(codes, rng.randint(1, 3)):
            add("attributes", link_id=service, link_entity="service", link_type="service",
                taxonomy_term_id=f"{taxonomy}-{code}")  # fmt: skip
        for language in ["Deutsch", *rng.sample(LANGUAGES, rng.choice([0, 0, 1, 2]))]:
            add("languages", service_id=service, name=language)
        if rng.random() < 0.6:
            add("cost_options", service_id=service, option="kostenlos", currency="EUR", amount=0.0)
        elif rng.random() < 0.5:
            add("cost_options", service_id=service, option="Beitrag", currency="EUR",
                amount=float(rng.choice([2, 5, 10, 25])))  # fmt: skip
        opens = rng.choice([8, 9, 10, 13, 14, 15])
        closes = opens + rng.choice([2, 3, 4])
        add("schedules", service_id=service, freq="WEEKLY",
            byday=",".join(sorted(rng.sample(DAYS, rng.randint(1, 3)), key=DAYS.index)),
            opens_at=f"{opens:02d}:00", closes_at=f"{closes:02d}:00")  # fmt: skip
        add("phones", service_id=service, number=f"03663 {rng.randint(100000, 999999)}")
        for k in range(rng.choice([1, 1, 2])):
            if k:
                area, (lat, lon) = rng.choice(places)
            location = add(
                "locations", organization_id=org, location_type="physical",
                name=f"{rng.choice(STREETS)} {area.name}",
                latitude=round(lat + rng.gauss(0, 0.008), 5),
                longitude=round(lon + rng.gauss(0, 0.012), 5),
            )  # fmt: skip
            add("addresses", location_id=location, address_type="physical", country="DE",
                address_1=f"{rng.choice(STREETS)} {rng.randint(1, 60)}", city=area.name,
                postal_code=f"07{rng.randint(300, 999)}", state_province="Thüringen")  # fmt: skip
            if rng.random() < 0.3:
                add("accessibility", location_id=location, description="Stufenloser Zugang")
            add("service_at_locations", service_id=service, location_id=location)
    return tables


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int, log: Path, processes: int, threads: int) -> subprocess.Popen:
    command = [BIN / "sozialplanung", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--threads", str(threads), "--processes", str(processes), "--no-worker"]  # fmt: skip
    server = subprocess.Popen(command, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"Server beendet (Code {server.returncode}), siehe {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/angebote/", timeout=10) as r:
                if r.status == 200:
                    print(
                        f"Server: waitress, {processes} Prozess(e) mit je {threads} Threads, "
                        f"Port {port}, DEBUG aus"
                    )
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit(f"Server antwortet nicht, siehe {log}")


def run_locust(port: int, users: int, seconds: int, work: Path, name: str) -> list[dict]:
    command = [BIN / "locust", "-f", HERE / "directory_locustfile.py", "--headless",
               "-u", str(users), "-r", str(users), "-t", f"{seconds}s",
               "--host", f"http://127.0.0.1:{port}", "--csv", work / name,
               "--only-summary"]  # fmt: skip
    env = os.environ | {"SOZIALPLANUNG_BENCH_VOCABULARY": str(work / "vocabulary.json")}
    what = "Aufwärmen (nicht gezählt)" if name == "warm-up" else "Last"
    print(f"{what}: locust, {users} Nutzer, {seconds} s, 0,5–2 s Pause zwischen zwei Klicks …")
    with (work / f"{name}.log").open("w") as log:
        done = subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    if done.returncode not in (0, 1):  # 1: some requests failed, reported below
        sys.exit(f"locust endete mit Code {done.returncode}, siehe {work / 'locust.log'}")
    with (work / f"{name}_stats.csv").open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def report(rows: list[dict], args, server_log: Path) -> None:
    print()
    print(f"{'Anfrage':<20} {'Anzahl':>7} {'Fehler':>7} {'Median':>8} {'p95':>8} {'p99':>8} "
          f"{'Anfr./s':>8}")  # fmt: skip
    for row in sorted(rows, key=lambda r: r["Name"] == "Aggregated"):
        count, failed, median, p95, p99, rps = (row[c] for c in COLUMNS)
        name = "Gesamt" if row["Name"] == "Aggregated" else row["Name"]
        print(f"{name:<20} {int(count):>7,} {int(failed):>7} {median:>5} ms {p95:>5} ms "
              f"{p99:>5} ms {float(rps):>8.1f}")  # fmt: skip
    total = next(r for r in rows if r["Name"] == "Aggregated")
    p95, failed = float(total["95%"]), int(total["Failure Count"])
    met = p95 < TARGET_P95_MS and failed == 0
    queued = [int(line.split()[-1]) for line in server_log.read_text().splitlines()
              if line.startswith("Task queue depth is")]  # fmt: skip
    print(f"\nwaitress: bis zu {max(queued, default=0)} Anfragen warteten auf einen freien Thread")
    print()
    print(f"Ziel ({args.services:,} Angebote, {args.users} Nutzer, {args.seconds} s): "
          f"p95 < {TARGET_P95_MS} ms und keine Fehler")  # fmt: skip
    print(f"Gemessen: p95 {p95:.0f} ms, {failed} Fehler: {'PASS' if met else 'FAIL'}")


if __name__ == "__main__":
    main()
