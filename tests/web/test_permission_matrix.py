"""Every page × every role → the status the role model promises."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from tests.conftest import ROLES, client_for

ANON, ADMIN, PLANNER, LEADER, PROVIDER = ROLES
PUBLIC = dict.fromkeys(ROLES, 200)
LOGGED_IN = {ANON: 302, ADMIN: 200, PLANNER: 200, LEADER: 200, PROVIDER: 200}
PLANNING_READ = {ANON: 302, ADMIN: 200, PLANNER: 200, LEADER: 200, PROVIDER: 403}
PLANNING_WRITE = {ANON: 302, ADMIN: 200, PLANNER: 200, LEADER: 403, PROVIDER: 403}
ADMIN_SITE = {ANON: 302, ADMIN: 200, PLANNER: 302, LEADER: 302, PROVIDER: 302}
# Without an upload in the session, the check page sends importers back to the upload form.
PLANNING_WRITE_STEP = {ANON: 302, ADMIN: 302, PLANNER: 302, LEADER: 403, PROVIDER: 403}
# Whoever may report progress on measures: planners and providers, not leaders.
PROGRESS_REPORTERS = {ANON: 302, ADMIN: 200, PLANNER: 200, LEADER: 403, PROVIDER: 200}

MATRIX = {
    "home": ("/", PUBLIC),
    "areas:map": ("/karte/", PUBLIC),
    "areas:municipalities-geojson": ("/karte/gemeinden.geojson", PUBLIC),
    "areas:detail": ("/gebiet/16075085/", PUBLIC),
    "areas:detail-geojson": ("/gebiet/16075085/karte.geojson", PUBLIC),
    "accounts:login": ("/anmelden/", PUBLIC),
    "accounts:profile": ("/konto/", LOGGED_IN),
    "planning-home": ("/planung/", PLANNING_READ),
    "areas:planning": ("/planung/gebiete/", PLANNING_READ),
    "areas:import": ("/planung/gebiete/import/", PLANNING_WRITE),
    "admin:index": ("/verwaltung/", ADMIN_SITE),
    "monitoring:overview": ("/monitoring/", PUBLIC),
    "monitoring:indicator": ("/monitoring/population/", PUBLIC),
    "monitoring:geojson": ("/monitoring/population/karte.geojson", PUBLIC),
    "monitoring:export": ("/monitoring/population/export.csv", PUBLIC),
    "monitoring:provenance": ("/monitoring/population/herkunft/16075085/2021/", PUBLIC),
    "monitoring:series": ("/monitoring/population/gebiet/16075085/", PUBLIC),
    "monitoring:profile": ("/monitoring/profil/16075085/", PUBLIC),
    "monitoring:topic": ("/monitoring/thema/demography/", PUBLIC),
    "monitoring:catalogue": ("/planung/indikatoren/", PLANNING_READ),
    "monitoring:indicator-new": ("/planung/indikatoren/neu/", PLANNING_WRITE),
    "monitoring:indicator-edit": ("/planung/indikatoren/population/", PLANNING_WRITE),
    "socialindex:list": ("/planung/sozialindex/", PLANNING_READ),
    "socialindex:new": ("/planung/sozialindex/neu/", PLANNING_WRITE),
    "spaces:list": ("/planung/sozialraeume/", PLANNING_READ),
    "spaces:new": ("/planung/sozialraeume/neu/", PLANNING_WRITE),
    "reports:list": ("/planung/berichte/", PLANNING_READ),
    "reports:texts": ("/planung/berichte/texte/", PLANNING_WRITE),
    "reports:html-report": ("/planung/berichte/ansicht/sozialbericht/", PLANNING_READ),
    "reports:html-topic": ("/planung/berichte/ansicht/thema/work_income/", PLANNING_READ),
    "reports:html-profile": ("/planung/berichte/ansicht/profil/16075085/", PLANNING_READ),
    "jobs:list": ("/planung/auftraege/", PLANNING_WRITE),
    "monitoring:upload": ("/planung/daten/import/", PLANNING_WRITE),
    "monitoring:upload-preview": ("/planung/daten/import/pruefen/", PLANNING_WRITE_STEP),
    "directory:search": ("/angebote/", PUBLIC),
    "directory:export-json": ("/angebote/export.json", PUBLIC),
    "directory:export-zip": ("/angebote/export.zip", PUBLIC),
    "directory:folder": ("/angebote/elternordner.pdf", PUBLIC),
    "directory:planning": ("/planung/angebote/", PLANNING_READ),
    "directory:coverage": ("/planung/angebote/versorgung/", PLANNING_READ),
    "directory:review": ("/planung/angebote/pruefen/", PLANNING_WRITE),
    "directory:my-entries": (
        "/angebote-pflegen/",
        {ANON: 302, ADMIN: 200, PLANNER: 403, LEADER: 403, PROVIDER: 200},
    ),
    "strategy:list": ("/planung/strategie/", PLANNING_READ),
    "strategy:new": ("/planung/strategie/neu/", PLANNING_WRITE),
    "strategy:my-measures": ("/planung/strategie/meine-massnahmen/", PROGRESS_REPORTERS),
}
# Reached by POST only, owned by Django itself, or needing a job first (tests/web/jobs).
NOT_PAGES = {
    "reports:file",  # needs a rendered file first (tests/web/reports)
    "accounts:logout",
    "set_language",
    "monitoring:disclosure-audit",
    "jobs:detail",
    "jobs:status",
    # Need an index definition or run: tests/web/socialindex walks them per role.
    "socialindex:detail",
    "socialindex:edit",
    "socialindex:copy",
    "socialindex:adopt",
    "socialindex:run-start",
    "socialindex:run",
    "socialindex:run-geojson",
    "socialindex:run-export",
    # Need a scheme: tests/web/spaces walks them per role.
    "spaces:detail",
    "spaces:map",
    "spaces:compare",
    "spaces:move-check",
    "spaces:move",
    "spaces:rename",
    "spaces:copy",
    "spaces:adopt",
    "spaces:export",
    # Need an offer, a provider's organisation or a proposal: tests/web/directory.
    "directory:detail",
    "directory:entry-new",
    "directory:entry-edit",
    "directory:entry-confirm",
    "directory:review-decide",
    # Need a strategy: tests/web/strategy walks them per role.
    "strategy:detail",
    "strategy:edit",
    "strategy:revise",
    "strategy:adopt",
    "strategy:timeline",
    "strategy:budget",
    "strategy:goals",
    "strategy:compare",
    "strategy:history",
    "strategy:pdf",
    "strategy:xlsx",
    "strategy:priorities",
    "strategy:priority-list",
    "strategy:priority-approve",
    "strategy:item-new",
    "strategy:item-edit",
    "strategy:item-delete",
    "strategy:measure",
}


def _named_routes(resolver: URLResolver, prefix: str = "") -> set[str]:
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            space = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= _named_routes(entry, space)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def test_the_matrix_covers_every_named_page():
    assert _named_routes(get_resolver()) - NOT_PAGES == set(MATRIX) - {"admin:index"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
@pytest.mark.parametrize("name", MATRIX)
def test_each_role_gets_the_promised_status(name, role):
    url, expected = MATRIX[name]
    response = client_for(role).get(url)
    assert response.status_code == expected[role], f"{url} as {role}"
    if expected[role] == 302 and role is None and name != "admin:index":
        assert response["Location"].startswith("/anmelden/?next=")
