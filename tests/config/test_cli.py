"""The civicflow command."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from civicflow.config.cli import build_parser

TEST_ONLY = {"CIVICFLOW_MODE", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}


def clean_env(**extra: str) -> dict[str, str]:
    """Return this process's environment without the test run's own settings."""
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    env.update(extra)
    return env


@pytest.mark.parametrize("command", [[], ["demo"], ["serve"], ["worker"]])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args([*command, "--help"])
    assert exit_.value.code == 0
    assert "usage: civicflow" in capsys.readouterr().out


def test_manage_passes_through_to_django():
    result = subprocess.run(
        [sys.executable, "-m", "civicflow.config.cli", "manage", "help", "migrate"],
        env=clean_env(CIVICFLOW_MODE="dev"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Updates database schema" in result.stdout


def test_demo_sets_up_a_fresh_database_and_prints_the_sign_ins(tmp_path):
    env = clean_env()
    command = [
        sys.executable,
        "-m",
        "civicflow.config.cli",
        "demo",
        "--no-serve",
        "--data-dir",
        str(tmp_path),
    ]
    first = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    assert "http://127.0.0.1:8000" in first.stdout
    assert "admin@northbridge-council.example" in first.stdout
    assert "resident@demo.example" in first.stdout
    assert (tmp_path / "civicflow.sqlite3").exists()
    # Again, keeping the database: the demo loads once, so this changes nothing and works.
    again = subprocess.run(
        [*command, "--keep"], env=env, capture_output=True, text=True, check=False
    )
    assert again.returncode == 0, again.stderr


def test_worker_sends_queued_email(tmp_path):
    env = clean_env(CIVICFLOW_MODE="dev", CIVICFLOW_DATA_DIR=str(tmp_path))
    script = (
        "import django; django.setup();"
        "from django.core.management import call_command;"
        "call_command('migrate', verbosity=0);"
        "from civicflow.accounts.tasks import send_email;"
        "send_email.enqueue({'subject': 'Queued hello', 'body': 'b', 'to': ['a@example.com']})"
    )
    setup = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "DJANGO_SETTINGS_MODULE": "civicflow.config.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert setup.returncode == 0, setup.stderr
    result = subprocess.run(
        [sys.executable, "-m", "civicflow.config.cli", "worker", "--batch"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Subject: Queued hello" in result.stdout
