"""Reports: the demo county's social report and 600 area profiles, against the issue's targets.

Sets up a fresh SQLite database in a temporary directory, loads the demo county (59
municipalities, 5 social spaces, the real published figures), then times, the way the CLI
does it (read the figures, lay out, compile with typst, store file and checksum):

1. the social report (target: under 10 s);
2. 600 area profiles (target: under 60 s). The demo county has 64 areas with profiles, so
   the 59 municipalities are rendered again and again until 600 documents are made; each is a
   complete profile PDF. The figures are read once per batch, as the CLI does.

No peer is named for this issue; the script prints the times against the targets.

Run: ``.venv/bin/python benchmarks/reports.py``
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time

PROFILES = 600
DAY = dt.date(2026, 12, 2)


def main() -> None:
    os.environ["SOZIALPLANUNG_DATA_DIR"] = tempfile.mkdtemp(prefix="sp-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sozialplanung.web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from sozialplanung.demo.loader import load_demo
    from sozialplanung.web.areas.models import Area, Level
    from sozialplanung.web.areas.selectors import site_county
    from sozialplanung.web.reports import services
    from sozialplanung.web.reports.models import Kind

    call_command("migrate", verbosity=0)
    load_demo(report=lambda _line: None)
    county = site_county()

    start = time.perf_counter()
    definition = services.definition_for(county)
    document, reading = services.social_report(definition, day=DAY)
    run = services.store_run(document, reading, kind=Kind.SOCIAL_REPORT, definition=definition)
    report_seconds = time.perf_counter() - start
    print(
        f"Sozialbericht: {run.pages} Seiten, {run.file.size / 1e6:.1f} MB, {report_seconds:.2f} s"
    )

    municipalities = list(
        Area.objects.filter(level=Level.MUNICIPALITY, key__startswith=county.key)
        .current()
        .order_by("name")
    )
    start = time.perf_counter()
    made, pages = 0, 0
    while made < PROFILES:
        batch = municipalities[: PROFILES - made]
        for area, profile, profile_reading in services.profiles(batch, county, day=DAY):
            run = services.store_run(profile, profile_reading, kind=Kind.PROFILE, area=area)
            made += 1
            pages += run.pages
    profile_seconds = time.perf_counter() - start
    print(
        f"{made} Gebietsprofile: {pages} Seiten, {profile_seconds:.2f} s "
        f"({1000 * profile_seconds / made:.0f} ms je Profil)"
    )
    print()
    print(f"Ziel Sozialbericht < 10 s: {'erreicht' if report_seconds < 10 else 'VERFEHLT'}")
    print(f"Ziel 600 Profile < 60 s:   {'erreicht' if profile_seconds < 60 else 'VERFEHLT'}")


if __name__ == "__main__":
    main()
