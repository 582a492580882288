"""The per-process memory of what every public page reads: kept, and forgotten on change."""

import pytest

from sozialplanung.web import memo
from sozialplanung.web.areas.selectors import public_site
from sozialplanung.web.directory.models import Language

pytestmark = pytest.mark.django_db


def test_a_value_is_produced_once_and_again_after_forgetting():
    calls = []
    assert memo.remembered("k", lambda: calls.append(1) or "v") == "v"
    assert memo.remembered("k", lambda: calls.append(1) or "w") == "v"
    memo.forget()
    assert memo.remembered("k", lambda: calls.append(1) or "w") == "w"
    assert len(calls) == 2


def test_an_entry_older_than_the_ttl_is_produced_anew(monkeypatch):
    memo.remembered("k", lambda: "old")
    monkeypatch.setattr(memo, "TTL_SECONDS", 0.0)
    assert memo.remembered("k", lambda: "new") == "new"


def test_saving_a_row_forgets_what_pages_read(anonymous_client):
    county, _sources = public_site()
    county.name = "Landkreis Neuname"
    county.save()
    assert public_site()[0].name == "Landkreis Neuname"
    assert "Landkreis Neuname" in anonymous_client.get("/angebote/").content.decode()


def test_deleting_a_row_forgets_it_too(anonymous_client):
    assert '<option value="Dari">' in anonymous_client.get("/angebote/").content.decode()
    for language in Language.objects.filter(name="Dari"):
        language.delete()
    assert '<option value="Dari">' not in anonymous_client.get("/angebote/").content.decode()
