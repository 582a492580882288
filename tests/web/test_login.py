import pytest

from sozialplanung.demo.loader import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "landing"),
    [
        ("planung", "/planung/"),
        ("leitung", "/planung/"),
        ("traeger", "/planung/strategie/meine-massnahmen/"),
        ("admin", "/planung/"),
    ],
)
def test_each_demo_account_lands_where_its_role_may_go(client, username, landing):
    response = client.post("/anmelden/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == landing
    assert client.get(landing).status_code == 200


def test_a_wrong_password_is_refused_in_german(client):
    response = client.post("/anmelden/", {"username": "planung", "password": "falsch"})
    assert response.status_code == 200
    assert "Bitte versuchen Sie es noch einmal" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logging_out_ends_the_session(client):
    client.post("/anmelden/", {"username": "planung", "password": DEMO_PASSWORD})
    response = client.post("/abmelden/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get("/planung/").status_code == 302
