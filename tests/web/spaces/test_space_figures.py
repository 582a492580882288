"""Monitoring on the adopted social spaces: summed from numerators and denominators, protected."""

import pytest

from sozialplanung.analytics.disclosure import Relation, audit_intervals
from sozialplanung.demo.loader import DEMO_SCHEME
from sozialplanung.web.monitoring.models import Indicator
from sozialplanung.web.monitoring.selectors import indicator_view
from sozialplanung.web.spaces.models import SpaceScheme

pytestmark = pytest.mark.django_db
URL = "/monitoring/sgb2_unemployment_density/"


@pytest.fixture
def scheme() -> SpaceScheme:
    return SpaceScheme.objects.get(name=DEMO_SCHEME)


def test_rates_of_spaces_are_summed_counts_divided_never_averaged_rates(planner_client, scheme):
    spaces = planner_client.get(URL + "?jahr=2011&ebene=sozialraeume").context["view"]
    municipal = planner_client.get(URL + "?jahr=2011").context["view"]
    assert spaces.level == "social_space"
    assert [r.area.name for r in spaces.rows] == [s.name for s in scheme.spaces.all()]
    by_pk = {r.area.pk: r for r in municipal.rows}
    for row in spaces.rows:
        members = [
            by_pk[m.municipality_id] for m in scheme.memberships.filter(space__area=row.area)
        ]
        numerator = sum(m.numerator for m in members)
        denominator = sum(m.denominator for m in members)
        assert row.numerator == pytest.approx(numerator)
        assert row.value == pytest.approx(100 * numerator / denominator)
        mean_of_rates = sum(m.value for m in members) / len(members)
        if len(members) > 2:
            assert row.value != pytest.approx(mean_of_rates, rel=1e-6)


def test_the_level_choice_offers_the_adopted_spaces(anonymous_client):
    page = anonymous_client.get(URL + "?jahr=2011").content.decode()
    assert "Sozialräume (beschlossenes Schema)" in page


def test_space_totals_never_reveal_a_hidden_municipality(scheme):
    """Municipalities, associations, spaces and county published together stay protected."""
    indicator = Indicator.objects.get(code="sgb2_unemployment_density")
    audited = 0
    for year in (2009, 2011, 2014):
        levels = {
            level: (
                indicator_view(indicator, year, published=True, level=level),
                indicator_view(indicator, year, published=False, level=level),
            )
            for level in ("municipality", "association", "social_space")
        }
        published_rows = [r for view, _raw in levels.values() for r in view.rows]
        raw_rows = [r for _view, raw in levels.values() for r in raw.rows]
        county = levels["municipality"][1].county
        cells = [*raw_rows, county]
        index = {row.area.pk: i for i, row in enumerate(cells)}
        hidden = [r.numerator is None for r in published_rows] + [
            levels["municipality"][0].county.numerator is None
        ]
        if any(row.numerator is None for row in cells):
            continue
        relations = []
        for level in ("association", "social_space"):
            for row in levels[level][1].rows:
                if level == "association":
                    parts = [
                        index[r.area.pk]
                        for r in levels["municipality"][1].rows
                        if r.area.parent_id == row.area.pk
                    ]
                else:
                    members = scheme.memberships.filter(space__area=row.area)
                    parts = [index[m.municipality_id] for m in members]
                relations.append(Relation(index[row.area.pk], tuple(parts)))
        top = [
            index[r.area.pk]
            for r in levels["municipality"][1].rows
            if r.area.parent_id == county.area.pk
        ] + [index[r.area.pk] for r in levels["association"][1].rows]
        relations.append(Relation(index[county.area.pk], tuple(top)))
        relations.append(
            Relation(
                index[county.area.pk],
                tuple(index[r.area.pk] for r in levels["social_space"][1].rows),
            )
        )
        lower, upper = audit_intervals([row.numerator for row in cells], relations, hidden)
        audited += sum(hidden)
        for i, row in enumerate(cells):
            if hidden[i]:
                assert upper[i] - lower[i] >= 3, (year, row.area.name, lower[i], upper[i])
    assert audited > 10


def test_a_space_page_lists_its_municipalities_and_links_its_profile(anonymous_client, scheme):
    space = scheme.spaces.select_related("area").get(number=4)
    page = anonymous_client.get(f"/gebiet/{space.area.key}/").content.decode()
    for membership in scheme.memberships.filter(space=space):
        assert membership.municipality.name in page
    assert f"/monitoring/profil/{space.area.key}/" in page
    profile = anonymous_client.get(f"/monitoring/profil/{space.area.key}/")
    assert profile.status_code == 200
    assert "SGB-II-Arbeitslose je 100 Einwohner" in profile.content.decode()


def test_a_municipality_page_names_its_social_space(anonymous_client, scheme):
    space = scheme.memberships.select_related("space").get(municipality__key="16075085").space
    page = anonymous_client.get("/gebiet/16075085/").content.decode()
    assert f'Sozialraum: <a href="/gebiet/{space.area.key}/">{space.name}</a>' in page


def test_the_index_runs_on_the_adopted_spaces_from_summed_counts(
    planner_client, scheme, django_capture_on_commit_callbacks
):
    from sozialplanung.demo.loader import DEMO_INDEX
    from sozialplanung.web.socialindex.models import IndexDefinition, IndexRun

    definition = IndexDefinition.objects.get(name=DEMO_INDEX)
    with django_capture_on_commit_callbacks(execute=True):
        planner_client.post(
            f"/planung/sozialindex/{definition.pk}/berechnen/",
            {"year": 2014, "level": "social_space"},
        )
    run = IndexRun.objects.get(definition=definition, level=IndexRun.Level.SOCIAL_SPACE)
    assert run.job.status == "done", run.job.error
    results = list(run.results.select_related("area"))
    assert {r.area.pk for r in results} == {s.area_id for s in scheme.spaces.all()}
    assert sorted(r.rank for r in results) == [1, 2, 3, 4, 5]
    page = planner_client.get(f"/planung/sozialindex/lauf/{run.pk}/").content.decode()
    assert "Alle Sozialräume" in page and "Rang 1 ist der Sozialraum" in page
