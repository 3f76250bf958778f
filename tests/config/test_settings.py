"""Settings come from the environment, with safe defaults."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PROBE = """
import json
from django.conf import settings
import django
django.setup()
from django.db import connection
out = {
    "debug": settings.DEBUG,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "hosts": settings.ALLOWED_HOSTS,
    "secure_cookies": settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE,
    "hsts": getattr(settings, "SECURE_HSTS_SECONDS", 0),
    "cache": settings.CACHES["default"]["BACKEND"],
}
if "sqlite" in out["engine"]:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        out["journal"] = cursor.fetchone()[0]
print(json.dumps(out))
"""


def run_settings(tmp_path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"CIVICFLOW_MODE", "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"}
    }
    clean.update(
        {"DJANGO_SETTINGS_MODULE": "civicflow.config.settings", "CIVICFLOW_DATA_DIR": str(tmp_path)}
    )
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True, check=False
    )


def probe(tmp_path, **env: str) -> dict:
    result = run_settings(tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_settings(tmp_path, EMAIL_HOST="mail.example")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_email(tmp_path):
    result = run_settings(tmp_path, SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "Set EMAIL_HOST" in result.stderr


def test_production_defaults_are_safe(tmp_path):
    out = probe(
        tmp_path,
        SECRET_KEY="x" * 50,
        EMAIL_HOST="mail.example",
        ALLOWED_HOSTS="civicflow.example.gov.uk",
    )
    assert out["debug"] is False
    assert out["secure_cookies"] is True
    assert out["hsts"] >= 31536000
    assert out["hosts"] == ["civicflow.example.gov.uk"]
    assert out["cache"].endswith("DatabaseCache")


def test_sqlite_runs_in_wal_mode_under_the_data_directory(tmp_path):
    out = probe(tmp_path, CIVICFLOW_MODE="dev")
    assert out["engine"] == "django.db.backends.sqlite3"
    assert out["journal"] == "wal"
    assert (tmp_path / "civicflow.sqlite3").exists()


def test_database_url_selects_postgresql(tmp_path):
    out = probe(
        tmp_path,
        CIVICFLOW_MODE="dev",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/civicflow_probe",
    )
    assert out["engine"] == "django.db.backends.postgresql"


def test_redis_url_selects_the_redis_cache(tmp_path):
    out = probe(tmp_path, CIVICFLOW_MODE="dev", REDIS_URL="redis://127.0.0.1:6379/3")
    assert out["cache"] == "civicflow.core.cache.SharedRedisCache"


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("0", False), ("", False)])
def test_debug_is_off_unless_asked_for(tmp_path, value, expected):
    out = probe(tmp_path, CIVICFLOW_MODE="demo", DEBUG=value)
    assert out["debug"] is expected


def test_a_mistyped_mode_is_refused(tmp_path):
    result = run_settings(tmp_path, CIVICFLOW_MODE="prod")
    assert result.returncode != 0
    assert "CIVICFLOW_MODE must be" in result.stderr


def test_security_headers_are_sent(client, db):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert b"<script>" not in response.content
