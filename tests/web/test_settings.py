"""Configuration from the environment: safe defaults, loud errors, a clean deploy check."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from sozialplanung.web.env import env_bool, env_list, secret_key

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(env)
    return subprocess.run(
        [sys.executable, os.path.join(ROOT, "manage.py"), *args],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


def deploy_check(**env: str) -> subprocess.CompletedProcess:
    return run_manage("check", "--deploy", "--fail-level", "WARNING", **env)


def test_the_deploy_check_is_clean_with_production_settings(tmp_path):
    result = deploy_check(
        SOZIALPLANUNG_DATA_DIR=str(tmp_path),
        SECRET_KEY="k" * 20 + "Zq8#vL2@pX9!mR4$wT7&nB5*hJ3^cF6%",
        ALLOWED_HOSTS="sozialplanung.example.de",
        SOZIALPLANUNG_HTTPS="1",
        DEBUG="0",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_warns_when_debug_is_on(tmp_path):
    result = deploy_check(SOZIALPLANUNG_DATA_DIR=str(tmp_path), DEBUG="1")
    assert result.returncode != 0
    assert "security.W018" in result.stderr  # DEBUG must be off in production


def test_a_bad_yes_no_value_stops_start_up(monkeypatch):
    monkeypatch.setenv("DEBUG", "vielleicht")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='vielleicht'"):
        env_bool("DEBUG", False)


def test_lists_are_split_on_commas(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " a.example.de, b.example.de ,")
    assert env_list("ALLOWED_HOSTS", []) == ["a.example.de", "b.example.de"]


def test_the_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = secret_key(tmp_path)
    assert len(first) >= 50
    assert secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_outside_tests(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("WAL is a SQLite setting; this run uses " + connection.vendor)
    # The test database lives in memory, where WAL does not apply: check a real file database.
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.db import connection; "
            "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])",
        ],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "SOZIALPLANUNG_DATA_DIR": str(tmp_path),
            "DATABASE_URL": "",
            "DJANGO_SETTINGS_MODULE": "sozialplanung.web.settings",
        },
        check=True,
    )
    assert result.stdout.strip() == "wal"
