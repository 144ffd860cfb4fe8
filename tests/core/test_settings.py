"""Configuration mistakes give one clear message, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "SECRET_KEY",
            "DJANGO_ENV",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_unknown_database_scheme_gives_one_clear_message():
    result = manage("check", DATABASE_URL="mysql://user@localhost/phaen")
    assert result.returncode == 1
    assert "DATABASE_URL" in result.stderr
    assert "ไม่รองรับ" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_secret_key_in_production_gives_one_clear_message():
    result = manage(
        "check", DJANGO_ENV="production", ALLOWED_HOSTS="phaen.example.go.th"
    )
    assert result.returncode == 1
    assert "SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_boolean_gives_one_clear_message():
    result = manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode == 1
    assert "DJANGO_DEBUG" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_deploy_is_clean_with_production_values(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY="x" * 20 + "production-secret-key-with-enough-entropy-0123456789",
        ALLOWED_HOSTS="phaen.example.go.th",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        PHAEN_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_wsgi_application_loads_for_gunicorn():
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi; print(config.wsgi.application)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "WSGIHandler" in result.stdout


def test_database_url_selects_postgresql_and_sqlite_stays_the_default():
    from config.settings import database_from_url

    postgres = database_from_url("postgres://phaen:secret@db.example:5433/phaen")
    assert postgres["ENGINE"] == "django.db.backends.postgresql"
    assert (postgres["HOST"], postgres["PORT"], postgres["NAME"]) == (
        "db.example",
        5433,
        "phaen",
    )
    sqlite = database_from_url("sqlite:////tmp/phaen.sqlite3")
    assert sqlite["ENGINE"] == "django.db.backends.sqlite3"


def test_suite_runs_on_the_database_named_by_database_url(db):
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith("postgres") else "sqlite"
    assert connection.vendor == expected


def test_bad_storage_gives_one_clear_message():
    result = manage("check", PHAEN_STORAGE="ftp")
    assert result.returncode == 1
    assert "PHAEN_STORAGE" in result.stderr
    assert "Traceback" not in result.stderr


def test_replica_url_adds_the_replica_alias_and_s3_the_bucket():
    """DATABASE_REPLICA_URL and PHAEN_STORAGE=s3 are all a network
    deployment sets (README "Running for many offices")."""
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(sorted(s.DATABASES), s.DATABASES['replica']['HOST'], "
        "s.STORAGES['default']['BACKEND'], "
        "s.STORAGES['default']['OPTIONS']['bucket_name'])",
        DATABASE_URL="postgres://phaen@primary.example/phaen",
        DATABASE_REPLICA_URL="postgres://reader@replica.example/phaen",
        PHAEN_STORAGE="s3",
        PHAEN_S3_BUCKET="phaen-evidence",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "['default',",
        "'replica']",
        "replica.example",
        "core.storage_s3.S3Storage",
        "phaen-evidence",
    ]
