"""Load the Saale-Orla-Kreis demo through the normal import services; safe to run again."""

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sozialplanung.demo.directory import load_demo_directory
from sozialplanung.demo.examples import EXAMPLE_NOTE, generate_examples, write_examples
from sozialplanung.demo.strategy import load_demo_strategy
from sozialplanung.io.area_files import FieldMap
from sozialplanung.io.observation_files import Mapping
from sozialplanung.web.accounts.roles import Role
from sozialplanung.web.accounts.services import user_create_or_update
from sozialplanung.web.areas.models import AreaImport, Level
from sozialplanung.web.areas.services import (
    file_checksum,
    import_area_file,
    import_conversion_file,
)
from sozialplanung.web.monitoring.catalogue import install_catalogue
from sozialplanung.web.monitoring.importing import (
    ImportSpec,
    confirm_import,
    load_spec,
    preview_import,
)
from sozialplanung.web.monitoring.models import Indicator, Variable

DATA = Path(__file__).parent / "data"
MERGER_DATE = dt.date(2019, 1, 1)
BKG = (
    "© GeoBasis-DE / BKG 2024 (Daten verändert); "
    "Einwohnerzahlen © Statistisches Bundesamt (Destatis)"
)
DESTATIS = "© Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV-ISys"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"
VG250_POPULATION = (
    "VG250-EW des BKG, Einwohnerzahl © Destatis; Stichtag in der Quelle nicht angegeben "
    "(vermutlich 31.12.2023)"
)


@dataclass(frozen=True)
class AreaFile:
    name: str
    level: Level
    vintage: dt.date
    valid_from: dt.date
    valid_to: dt.date | None = None
    attribution: str = BKG
    population_note: str = ""


def _destatis(day: str) -> str:
    return f"{DESTATIS}, Stand {day}"


# The county's territorial history: the GV directories show 76 municipalities at the end of 2009,
# 74 in 2011, 72 from 2014 and 59 since the 2019 mergers; the employment agency's tables add the
# 73 of 2013. Validity runs from each state until the day before the next known one.
AREA_FILES = [
    AreaFile(
        "land_thueringen.csv",
        Level.STATE,
        dt.date(2024, 1, 1),
        dt.date(1990, 10, 3),
        attribution="Amtlicher Gemeindeschlüssel, Destatis",
    ),
    AreaFile(
        "kreis_vg250ew_2024.geojson",
        Level.COUNTY,
        dt.date(2024, 1, 1),
        dt.date(1994, 7, 1),
        population_note=VG250_POPULATION,
    ),
    AreaFile(
        "kreise_thueringen_2021.csv",
        Level.COUNTY,
        dt.date(2021, 12, 31),
        dt.date(1994, 7, 1),
        attribution=_destatis("31.12.2019"),
    ),
    AreaFile(
        "verwaltungsgemeinschaften_2020.csv",
        Level.ASSOCIATION,
        dt.date(2020, 12, 31),
        MERGER_DATE,
        attribution=_destatis("31.12.2020"),
    ),
    AreaFile(
        "gemeinden_vg250ew_2024.geojson",
        Level.MUNICIPALITY,
        dt.date(2024, 1, 1),
        MERGER_DATE,
        population_note=VG250_POPULATION,
    ),
    AreaFile(
        "gemeinden_2016.csv",
        Level.MUNICIPALITY,
        dt.date(2016, 12, 31),
        dt.date(2014, 1, 1),
        valid_to=MERGER_DATE - dt.timedelta(days=1),
        attribution=_destatis("31.12.2016"),
        population_note="Destatis, Gemeindeverzeichnis, Bevölkerung am 31.12.2016",
    ),
    AreaFile(
        "gemeinden_2013.csv",
        Level.MUNICIPALITY,
        dt.date(2013, 12, 31),
        dt.date(2012, 12, 31),
        valid_to=dt.date(2013, 12, 31),
        attribution="Abgeleitet aus Destatis GV 2011/2014 und Statistik der BA 2013",
    ),
    AreaFile(
        "gemeinden_2011.csv",
        Level.MUNICIPALITY,
        dt.date(2011, 12, 31),
        dt.date(2011, 12, 31),
        valid_to=dt.date(2012, 12, 30),
        attribution=_destatis("31.12.2011"),
        population_note="Destatis, Gemeindeverzeichnis, Bevölkerung am 31.12.2011",
    ),
    AreaFile(
        "gemeinden_2009.csv",
        Level.MUNICIPALITY,
        dt.date(2009, 12, 31),
        dt.date(2009, 12, 31),
        valid_to=dt.date(2011, 12, 30),
        attribution=_destatis("31.12.2009"),
        population_note="Destatis, Gemeindeverzeichnis, Bevölkerung am 31.12.2009",
    ),
]

# (file, old vintage, new vintage, effective date = first day of the new state)
CONVERSION_FILES = [
    (
        "gemeindeaenderungen_2009_2011.csv",
        dt.date(2009, 12, 31),
        dt.date(2011, 12, 31),
        dt.date(2011, 12, 31),
    ),
    (
        "gemeindeaenderungen_2011_2013.csv",
        dt.date(2011, 12, 31),
        dt.date(2013, 12, 31),
        dt.date(2012, 12, 31),
    ),
    (
        "gemeindeaenderungen_2013_2016.csv",
        dt.date(2013, 12, 31),
        dt.date(2016, 12, 31),
        dt.date(2014, 1, 1),
    ),
    ("gemeindefusionen_2019.csv", dt.date(2016, 12, 31), dt.date(2024, 1, 1), MERGER_DATE),
]

# Official tables for the social monitoring, each with its import specification (TOML).
OBSERVATION_FILES = [
    "bevoelkerung_gv_2009_2021.csv",
    "zensus2022_gemeinden.csv",
    "arbeitslose_ba_2009_2015.csv",
    "inkar_kreise_thueringen_1995_2022.csv",
]

EXAMPLE_FILE = "beispieldaten_gemeinden.csv"


def load_examples(report: Callable[[str], None]) -> None:
    """Generate the seeded example table and import it like any table, marked as example data.

    Public data give no municipal age groups, SGB II beneficiaries, basic income in old age,
    households or care figures; the catalogue's indicators for them show these example values,
    labelled "Beispieldaten" wherever they appear.
    """
    population = pd.read_csv(DATA / "bevoelkerung_gv_2009_2021.csv", dtype={"ags": str})
    unemployed = pd.read_csv(DATA / "arbeitslose_ba_2009_2015.csv", dtype={"key": str})
    frame = generate_examples(population, sgb2_unemployed=unemployed)
    spec = ImportSpec(
        mapping=Mapping(area="ags", period="stand"),
        attribution=EXAMPLE_NOTE,
        is_example=True,
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / EXAMPLE_FILE
        write_examples(frame, path)
        preview = preview_import(path, spec)
        if preview.already_imported is not None:
            report(f"  {EXAMPLE_FILE}: schon geladen")
            return
        batch = confirm_import(preview)
    report(f"  {EXAMPLE_FILE}: {batch.rows_imported} Werte (Beispieldaten, mit festem Startwert)")


DEMO_INDEX = "Sozialindex Saale-Orla-Kreis (Demo)"
# Status indicators for 2014, the latest year with unemployment by municipality; the dynamics
# compare with 2009. Child poverty, basic income in old age and single parents rest on example
# data, which the index pages say.
DEMO_INDEX_INDICATORS = [
    "sgb2_unemployment_density",
    "unemployment_density",
    "youth_unemployment_density",
    "child_poverty",
    "old_age_basic_income",
    "single_parents",
]
DEMO_INDEX_YEAR = 2014


def load_demo_index(report: Callable[[str], None]) -> None:
    """An adopted demo index with one computed run, made once."""
    from sozialplanung.web.socialindex.computing import compute_run
    from sozialplanung.web.socialindex.models import IndexComponent, IndexDefinition, IndexRun
    from sozialplanung.web.socialindex.services import definition_adopt

    if IndexDefinition.objects.filter(name=DEMO_INDEX).exists():
        report(f"  {DEMO_INDEX}: schon vorhanden")
        return
    definition = IndexDefinition.objects.create(
        name=DEMO_INDEX,
        description="Status- und Dynamikindex nach dem Vorbild des Berliner Monitorings Soziale "
        "Stadtentwicklung, aus Arbeitslosigkeit, SGB II, Kinderarmut, Grundsicherung im Alter "
        "und Alleinerziehenden.",
    )
    IndexComponent.objects.bulk_create(
        IndexComponent(
            definition=definition, indicator=Indicator.objects.get(code=code), position=i
        )
        for i, code in enumerate(DEMO_INDEX_INDICATORS)
    )
    definition_adopt(definition=definition)
    run = IndexRun.objects.create(definition=definition, year=DEMO_INDEX_YEAR)
    compute_run(run, lambda *_args: None)
    report(f"  {DEMO_INDEX}: berechnet für {DEMO_INDEX_YEAR}")


DEMO_SCHEME = "Sozialräume Saale-Orla-Kreis (Demo)"
# Official figures only (BA unemployment 2014, VG250 density); associations stay together, which
# also lets the exact model prove its optimum in seconds.
DEMO_SCHEME_PARAMETERS = {
    "p": 5,
    "floor": 8000,
    "ceiling": None,
    "keep_associations": True,
    "indicators": [
        "sgb2_unemployment_density",
        "unemployment_density",
        "youth_unemployment_density",
    ],
    "year": 2014,
    "density": True,
    "time_limit": 120,
}


def load_demo_scheme(report: Callable[[str], None]) -> None:
    """An adopted scheme of social spaces, computed by the exact method, made once."""
    from sozialplanung.web.areas.selectors import site_county
    from sozialplanung.web.spaces.models import SpaceScheme
    from sozialplanung.web.spaces.services import compute_scheme, scheme_adopt

    if SpaceScheme.objects.filter(name=DEMO_SCHEME).exists():
        report(f"  {DEMO_SCHEME}: schon vorhanden")
        return
    scheme = SpaceScheme.objects.create(
        name=DEMO_SCHEME,
        county=site_county(),
        method=SpaceScheme.Method.EXACT,
        parameters=DEMO_SCHEME_PARAMETERS,
    )
    compute_scheme(scheme)
    scheme_adopt(scheme=scheme)
    solution = scheme.solution
    report(
        f"  {DEMO_SCHEME}: {scheme.spaces.count()} Sozialräume, exakt berechnet "
        f"({'Optimum bewiesen' if solution['status'] == 'optimal' else 'Zeitlimit'}, "
        f"{solution['seconds']:.1f} s)"
    )


# Demo accounts, one per role. Only for trying the software: never load the demo on a real server.
DEMO_USERS = [
    ("admin", "Demo Administration", Role.ADMINISTRATOR),
    ("planung", "Demo Planungskoordination", Role.PLANNER),
    ("leitung", "Demo Leitung", Role.LEADER),
    ("traeger", "Demo Träger", Role.PROVIDER),
]
DEMO_PASSWORD = "demo"


def load_demo(report: Callable[[str], None] = print) -> None:
    """Import the county's areas, its conversion keys and the demo users."""
    for spec in AREA_FILES:
        path = DATA / spec.name
        if AreaImport.objects.filter(
            checksum=file_checksum(path), level=spec.level, vintage=spec.vintage
        ).exists():
            report(f"  {spec.name}: schon geladen")
            continue
        batch = import_area_file(
            path,
            level=spec.level,
            vintage=spec.vintage,
            valid_from=spec.valid_from,
            valid_to=spec.valid_to,
            fields=FieldMap(),
            attribution=spec.attribution,
            attribution_url=LICENCE_URL,
            population_note=spec.population_note,
        )
        report(f"  {spec.name}: {batch.created_count} neu, {batch.updated_count} aktualisiert")
    for name, old, new, effective in CONVERSION_FILES:
        count = import_conversion_file(
            DATA / name,
            level=Level.MUNICIPALITY,
            old_vintage=old,
            new_vintage=new,
            effective_date=effective,
        )
        report(f"  {name}: {count} Umsteigeschlüssel ({old:%Y} → {new:%Y})")
    install_catalogue(Variable, Indicator)
    for name in OBSERVATION_FILES:
        preview = preview_import(DATA / name, load_spec((DATA / name).with_suffix(".toml")))
        if preview.already_imported is not None:
            report(f"  {name}: schon geladen")
            continue
        batch = confirm_import(preview)
        report(f"  {name}: {batch.rows_imported} Werte, {batch.rows_suppressed} gesperrt/fehlend")
    load_examples(report)
    load_demo_index(report)
    load_demo_scheme(report)
    for username, full_name, role in DEMO_USERS:
        first, _, last = full_name.partition(" ")
        user_create_or_update(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            first_name=first,
            last_name=last,
            check_password=False,
        )
    load_demo_strategy(report)
    load_demo_directory(report)
