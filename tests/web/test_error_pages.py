import pytest
from django.test import RequestFactory
from django.views.defaults import server_error


def test_the_server_error_page_is_german_and_needs_no_database():
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Serverfehler" in page
    assert 'lang="de"' in page


@pytest.mark.django_db
def test_a_missing_page_is_german(anonymous_client):
    response = anonymous_client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


@pytest.mark.django_db
def test_a_forbidden_page_explains_the_role(provider_client):
    response = provider_client.get("/planung/")
    assert response.status_code == 403
    assert "Mit Ihrer Rolle können Sie diese Seite nicht öffnen" in response.content.decode()
