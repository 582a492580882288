import pytest

from sozialplanung.web.monitoring.models import Indicator

pytestmark = pytest.mark.django_db


def form(indicator: Indicator, **changes) -> dict:
    data = {
        "name": indicator.name,
        "code": indicator.code,
        "topic": indicator.topic,
        "definition": indicator.definition,
        "numerator": indicator.numerator_id,
        "denominator": indicator.denominator_id or "",
        "factor": indicator.factor,
        "change_years": indicator.change_years or "",
        "unit": indicator.unit,
        "decimals": indicator.decimals,
        "polarity": indicator.polarity,
        "reference_population": indicator.reference_population,
        "source": indicator.source,
        "is_public": "on" if indicator.is_public else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_a_planner_withdraws_an_indicator_from_the_public(planner_client, anonymous_client):
    indicator = Indicator.objects.get(code="sgb2_unemployment_density")
    response = planner_client.post(
        "/planung/indikatoren/sgb2_unemployment_density/", form(indicator, is_public="")
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert not indicator.is_public
    assert anonymous_client.get("/monitoring/sgb2_unemployment_density/").status_code == 404
    assert planner_client.get("/monitoring/sgb2_unemployment_density/").status_code == 200


def test_a_ratio_cannot_also_be_a_change(planner_client):
    indicator = Indicator.objects.get(code="sgb2_unemployment_density")
    response = planner_client.post(
        "/planung/indikatoren/sgb2_unemployment_density/", form(indicator, change_years=5)
    )
    assert response.status_code == 200
    assert "entweder" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.change_years is None


def test_a_leader_may_read_but_not_edit(leader_client):
    assert leader_client.get("/planung/indikatoren/").status_code == 200
    assert leader_client.get("/planung/indikatoren/population/").status_code == 403
