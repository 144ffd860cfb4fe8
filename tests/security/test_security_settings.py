"""Security settings (issue 10 item 7): CSRF on every POST, rate-limited
login, secure cookies in production, no user HTML rendered unescaped."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.test_url_sweep import CASES, world  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_every_post_without_a_csrf_token_is_refused(world):  # noqa: F811
    """The URL sweep lists every URL of the app and the admin."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["planner"])
    urls = {case.url(world) for case in CASES if case.method == "post"}
    for url in sorted(urls):
        response = client.post(url, {"name": "x"})
        assert response.status_code == 403, url


@pytest.mark.django_db
def test_csrf_failure_page_is_thai(world):  # noqa: F811
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["planner"])

    response = client.post(reverse("progress:round_create"))

    assert response.status_code == 403
    assert "แบบฟอร์มหมดอายุ" in response.content.decode()


@pytest.mark.django_db
def test_login_is_locked_after_repeated_failures(client, planner, settings):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": planner.username, "password": "x"})
        assert response.status_code == 200  # the form again, with its error
        assert "รหัสผ่านที่ถูกต้อง" in response.content.decode()
    client.post(url, {"username": planner.username, "password": "x"})

    locked = client.post(url, {"username": planner.username, "password": "test"})

    assert locked.status_code == 429
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_another_login_from_the_same_address_is_not_locked(
    client, planner, viewer, settings
):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": planner.username, "password": "x"})
    viewer.set_password("right-password-123")
    viewer.save()

    response = client.post(
        url, {"username": viewer.username, "password": "right-password-123"}
    )

    assert response.status_code == 302


def test_production_cookies_are_secure_and_http_only(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS > 0, s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_ENV": "production",
            "SECRET_KEY": "s" * 60,
            "ALLOWED_HOSTS": "phaen.example.go.th",
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
            "PHAEN_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    last_line = result.stdout.strip().splitlines()[-1]
    assert last_line.split() == ["True", "True", "True", "True", "True", "False"]


def test_templates_never_turn_escaping_off():
    """User text is escaped everywhere: no ``|safe`` or ``autoescape off``.

    Server-side SVG charts and the digit converter build their HTML from
    escaped parts and are tested for that in tests/reports.
    """
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        if "|safe" in text or "autoescape off" in text or "safeseq" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_every_admin_with_a_search_guards_against_bad_input():
    """The bad-input mixin (NUL characters, runaway searches, junk ids in
    autocompletes) is on every admin screen that searches or autocompletes."""
    from django.contrib import admin as django_admin

    from core.admin import BadInputAdminMixin

    ours = {"core", "plans", "projects", "budgets", "progress", "reports"}
    unguarded = [
        type(model_admin).__name__
        for model, model_admin in django_admin.site._registry.items()
        if model._meta.app_label in ours
        and (model_admin.search_fields or model_admin.autocomplete_fields)
        and not isinstance(model_admin, BadInputAdminMixin)
    ]
    assert unguarded == []
