"""Web hardening (security issue, outside tester's findings): uploads refused
before they are read, SQLite writers that queue instead of failing, a
password page for every login, an 8-hour idle session, an enforced
Content-Security-Policy and ``no-store`` on every download."""

import datetime
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload
from django.db import OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.client import FakePayload
from django.urls import include, path, reverse
from django.utils import timezone

from core.uploads import LimitedUploadHandler, was_refused
from progress.models import Evidence
from tests.security.test_url_sweep import CASES, world  # noqa: F401
from tests.security.world import PNG

ROOT = Path(__file__).resolve().parents[2]


def _client(world, role):  # noqa: F811
    client = Client()
    client.force_login(world.users[role])
    return client


# ------------------------------------------------------------------ uploads


@pytest.fixture
def read_counter(monkeypatch):
    """Counts the request-body bytes the server reads (the test client's
    ``wsgi.input``)."""
    counter = {"bytes": 0}
    original = FakePayload.read

    def read(self, *args, **kwargs):
        data = original(self, *args, **kwargs)
        counter["bytes"] += len(data)
        return data

    monkeypatch.setattr(FakePayload, "read", read)
    return counter


def _big_png(size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "ภาพกิจกรรม.png", PNG + b"\x00" * (size - len(PNG)), content_type="image/png"
    )


@pytest.mark.django_db
def test_oversized_evidence_is_refused_in_thai_before_the_body_is_read(
    world,  # noqa: F811
    settings,
    read_counter,
):
    """A valid upload (a reporter, a draft report, a real PNG within the
    evidence limit of 10 MB) that is larger than the body limit."""
    settings.PHAEN_MAX_UPLOAD_BYTES = 64 * 1024
    client = _client(world, "head_own")
    before = Evidence.objects.count()
    read_counter["bytes"] = 0

    response = client.post(
        reverse("progress:evidence_upload", args=[world["draft_report"].pk]),
        {"file": _big_png(300 * 1024), "caption": "ภาพกิจกรรม"},
    )

    assert response.status_code == 413
    body = response.content.decode()
    assert "ไฟล์มีขนาดใหญ่เกินกำหนด" in body
    assert "ระบบไม่ได้บันทึกข้อมูลนี้" in body
    assert Evidence.objects.count() == before
    assert read_counter["bytes"] == 0


@pytest.mark.django_db
def test_oversized_workbook_is_refused_in_thai(world, settings, read_counter):  # noqa: F811
    settings.PHAEN_MAX_UPLOAD_BYTES = 64 * 1024
    client = _client(world, "planner")
    read_counter["bytes"] = 0
    workbook = SimpleUploadedFile(
        "แผน.xlsx",
        b"PK\x03\x04" + b"\x00" * (200 * 1024),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

    response = client.post(reverse("excel:import_plan"), {"file": workbook})

    assert response.status_code == 413
    assert "ไฟล์มีขนาดใหญ่เกินกำหนด" in response.content.decode()
    assert read_counter["bytes"] == 0


@pytest.mark.django_db
def test_upload_under_the_limit_still_works(world, settings):  # noqa: F811
    settings.PHAEN_MAX_UPLOAD_BYTES = 64 * 1024
    client = _client(world, "head_own")
    before = Evidence.objects.count()

    response = client.post(
        reverse("progress:evidence_upload", args=[world["draft_report"].pk]),
        {"file": _big_png(16 * 1024), "caption": "ภาพกิจกรรม"},
    )

    assert response.status_code == 302
    assert Evidence.objects.count() == before + 1


@pytest.mark.django_db
def test_oversized_form_fields_get_the_thai_400_page(world, settings):  # noqa: F811
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = _client(world, "head_own")

    response = client.post(
        reverse("progress:evidence_upload", args=[world["draft_report"].pk]),
        {"file": _big_png(1024), "caption": "ภ" * 2048},
    )

    assert response.status_code == 400
    assert "คำขอไม่ถูกต้อง" in response.content.decode()


@pytest.mark.django_db
def test_malformed_multipart_body_gets_the_thai_400_page(world):  # noqa: F811
    client = _client(world, "head_own")

    response = client.post(
        reverse("progress:evidence_upload", args=[world["draft_report"].pk]),
        data=b"--x\r\nnot a part",
        content_type="multipart/form-data; boundary=\x00bad",
    )

    assert response.status_code == 400
    assert "คำขอไม่ถูกต้อง" in response.content.decode()


def test_default_limit_admits_the_largest_per_view_limits(settings):
    from excel import workbook
    from progress import validators

    assert settings.PHAEN_MAX_UPLOAD_BYTES > workbook.MAX_BYTES
    assert settings.PHAEN_MAX_UPLOAD_BYTES > validators.max_bytes()
    assert settings.FILE_UPLOAD_HANDLERS[0] == "core.uploads.LimitedUploadHandler"
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE > 0
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE > 0


def test_handler_stops_reading_a_body_longer_than_announced(settings):
    """The safety net: bytes past the limit reset the connection."""
    settings.PHAEN_MAX_UPLOAD_BYTES = 10
    request = RequestFactory().post("/")
    handler = LimitedUploadHandler(request)

    assert handler.receive_data_chunk(b"x" * 8, 0) == b"x" * 8
    with pytest.raises(StopUpload) as stopped:
        handler.receive_data_chunk(b"x" * 8, 8)

    assert stopped.value.connection_reset
    assert was_refused(request)


# ------------------------------------------------------------------ SQLite


def _settings_in_subprocess(tmp_path, database_url: str | None, code: str) -> str:
    env = {"PATH": "/usr/bin:/bin", "PHAEN_VAR_DIR": str(tmp_path)}
    if database_url:
        env["DATABASE_URL"] = database_url
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("url", [None, "sqlite:///{tmp}/x.sqlite3"])
def test_sqlite_writers_queue_in_wal_mode(tmp_path, url):
    code = (
        "import json; from django.conf import settings as s;"
        "print(json.dumps(s.DATABASES['default']['OPTIONS']))"
    )
    database_url = url.format(tmp=tmp_path) if url else None

    options = json.loads(_settings_in_subprocess(tmp_path, database_url, code))

    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 20
    assert "journal_mode=WAL" in options["init_command"]


def test_postgres_gets_no_sqlite_options(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print('transaction_mode' in s.DATABASES['default'].get('OPTIONS', {}))"
    )
    url = "postgres://u:p@localhost:5432/phaen"

    assert _settings_in_subprocess(tmp_path, url, code) == "False"


PARALLEL_WRITES = textwrap.dedent(
    """
    import json, threading, time, django
    django.setup()
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (n integer)")
        cursor.execute("INSERT INTO counter VALUES (0)")
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    connection.close()
    errors = []

    def work():
        try:
            for _ in range(25):
                # Read, then write: the pattern of every service that checks
                # a row before saving it.
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SELECT n FROM counter")
                    n = cursor.fetchone()[0]
                    time.sleep(0.002)  # the service's own work in between
                    cursor.execute("UPDATE counter SET n = %s", [n + 1])
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        total = cursor.fetchone()[0]
    print(json.dumps({"mode": mode, "total": total, "errors": errors[:3]}))
    """
)


def test_parallel_writes_to_a_sqlite_file_all_succeed(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", PARALLEL_WRITES],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "PHAEN_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path}/parallel.sqlite3",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])

    assert outcome["errors"] == []
    assert outcome["total"] == 8 * 25
    assert outcome["mode"] == "wal"


def _locked(request):
    raise OperationalError("database is locked")


def _broken(request):
    raise OperationalError("no such table: nowhere")


urlpatterns = [
    path("test/locked/", _locked),
    path("test/broken/", _broken),
    path("", include("config.urls")),
]


@pytest.mark.django_db
def test_database_is_locked_gives_the_thai_busy_page(client, settings):
    settings.ROOT_URLCONF = __name__

    response = client.post("/test/locked/")

    assert response.status_code == 503
    assert "ระบบกำลังยุ่ง กรุณาลองใหม่อีกครั้ง" in response.content.decode()
    assert response["Retry-After"]


@pytest.mark.django_db
def test_other_database_errors_are_not_hidden(client, settings):
    settings.ROOT_URLCONF = __name__

    with pytest.raises(OperationalError):
        client.get("/test/broken/")


# ------------------------------------------------------------------ password


NEW_PASSWORD = "ฟ้าใส-แผนงาน-2568"


def _viewer_with_password(world):  # noqa: F811
    """A fresh copy: the world's user objects are shared by the module."""
    viewer = get_user_model().objects.get(pk=world.users["viewer"].pk)
    viewer.set_password("รหัสเดิม-ของผู้ดู-1")
    viewer.save()
    return viewer


@pytest.mark.django_db
def test_viewer_changes_own_password_and_logs_in_with_it(world):  # noqa: F811
    viewer = _viewer_with_password(world)
    client = Client()
    client.force_login(viewer)
    url = reverse("core:password_change")

    home = client.get(reverse("home:home")).content.decode()
    assert f'href="{url}"' in home
    page = client.get(url)
    assert page.status_code == 200
    assert "เปลี่ยนรหัสผ่าน" in page.content.decode()

    response = client.post(
        url,
        {
            "old_password": "รหัสเดิม-ของผู้ดู-1",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("core:password_change_done")
    assert "เปลี่ยนรหัสผ่านแล้ว" in client.get(response.url).content.decode()
    assert client.get(reverse("home:home")).status_code == 200  # still logged in
    fresh = Client()
    login = fresh.post(
        reverse("login"), {"username": viewer.username, "password": NEW_PASSWORD}
    )
    assert login.status_code == 302
    assert "_auth_user_id" in fresh.session


@pytest.mark.django_db
def test_wrong_old_password_is_refused_in_thai(world):  # noqa: F811
    viewer = _viewer_with_password(world)
    client = Client()
    client.force_login(viewer)

    response = client.post(
        reverse("core:password_change"),
        {
            "old_password": "ไม่ใช่รหัสนี้-9",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert "ใส่รหัสผ่านเก่าผิด" in response.content.decode()
    viewer = get_user_model().objects.get(pk=viewer.pk)
    assert viewer.check_password("รหัสเดิม-ของผู้ดู-1")
    assert not viewer.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_for_the_password_page(client):
    response = client.get(reverse("core:password_change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# ------------------------------------------------------------------ sessions


def test_sessions_expire_after_eight_idle_hours(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert "core.middleware.SlidingSessionMiddleware" in settings.MIDDLEWARE
    assert 0 < settings.PHAEN_SESSION_REFRESH_SECONDS < settings.SESSION_COOKIE_AGE


def _at(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.mark.django_db
def test_idle_session_is_logged_out(world, monkeypatch):  # noqa: F811
    start = timezone.now()
    _at(monkeypatch, start)
    client = _client(world, "viewer")
    assert client.get(reverse("home:home")).status_code == 200

    _at(monkeypatch, start + datetime.timedelta(hours=8, minutes=1))
    response = client.get(reverse("home:home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_active_session_slides_past_eight_hours(world, monkeypatch):  # noqa: F811
    start = timezone.now()
    _at(monkeypatch, start)
    client = _client(world, "viewer")
    for hours in (3, 6, 9, 12):
        _at(monkeypatch, start + datetime.timedelta(hours=hours))
        assert client.get(reverse("home:home")).status_code == 200, hours


# ------------------------------------------------------------------ CSP

CSP_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)

PAGES = [
    ("home:home", ()),
    ("core:password_change", ()),
    ("plans:index", ()),
    ("plans:direction", ("plan",)),
    ("projects:list", ()),
    ("projects:detail", ("project",)),
    ("budgets:summary", ()),
    ("progress:review", ("round",)),
    ("progress:board", ()),
    ("progress:report_detail", ("report",)),
    ("excel:index", ()),
    ("reports:index", ()),
    ("admin:index", ()),
    ("admin:projects_project_changelist", ()),
    ("admin:projects_project_change", ("project",)),
    ("admin:budgets_disbursement_add", ()),
]


def _csp_directives(header: str) -> dict[str, str]:
    parts = (part.strip() for part in header.split(";"))
    return {part.split()[0]: part for part in parts if part}


#: The site allows no inline style; only the admin (Django's own templates
#: write a <style> block) keeps 'unsafe-inline' for styles.
SITE_STYLE_SRC = "style-src 'self'"
ADMIN_STYLE_SRC = "style-src 'self' 'unsafe-inline'"


def _assert_enforced_csp(response, where):
    assert "Content-Security-Policy" in response, where
    directives = _csp_directives(response["Content-Security-Policy"])
    for expected in CSP_DIRECTIVES:
        assert directives.get(expected.split()[0]) == expected, (where, expected)
    assert "unsafe-eval" not in response["Content-Security-Policy"], where
    style = ADMIN_STYLE_SRC if where.startswith("/admin/") else SITE_STYLE_SRC
    assert directives.get("style-src") == style, where


@pytest.mark.django_db
def test_every_main_page_sends_an_enforced_csp(world):  # noqa: F811
    client = _client(world, "planner")
    for name, args in PAGES:
        url = reverse(name, args=[world[arg].pk for arg in args])
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_enforced_csp(response, url)
    anonymous = Client().get(reverse("login"))
    _assert_enforced_csp(anonymous, "login")


def test_templates_have_no_inline_scripts_or_event_handlers():
    """Inline scripts and ``on…=`` handlers would be blocked by the policy."""
    inline_script = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)")
    handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
    offenders = [
        str(template.relative_to(ROOT))
        for template in (ROOT / "templates").rglob("*.html")
        if inline_script.search(template.read_text())
        or handler.search(template.read_text())
        or "javascript:" in template.read_text()
    ]
    assert offenders == []


@pytest.mark.django_db
def test_site_pages_never_get_the_admins_relaxed_style_rule(world):  # noqa: F811
    """The admin's 'unsafe-inline' is keyed on its URL prefix alone: a site
    page, the login page, the Thai 404 and a look-alike path stay strict."""
    client = _client(world, "planner")
    for url in (
        reverse("home:home"),
        reverse("projects:list"),
        "/no-such-page/",
        "/administration/",
        "/projects/admin/",
    ):
        response = client.get(url)
        header = response["Content-Security-Policy"]
        assert _csp_directives(header)["style-src"] == SITE_STYLE_SRC, url
        assert "unsafe-inline" not in header, url
    admin = client.get(reverse("admin:index"))
    assert _csp_directives(admin["Content-Security-Policy"])["style-src"] == (
        ADMIN_STYLE_SRC
    )
    assert (
        "'unsafe-inline'"
        not in _csp_directives(admin["Content-Security-Policy"])["script-src"]
    )


#: Rendered by WeasyPrint into PDFs, never sent to a browser: their <style>
#: blocks meet no Content-Security-Policy.
PDF_TEMPLATES = ROOT / "templates" / "reports" / "pdf"


def test_site_templates_have_no_inline_styles():
    """style-src 'self' blocks <style> blocks and style="…" attributes:
    every style lives in static/css."""
    style_block = re.compile(r"<style\b", re.IGNORECASE)
    style_attribute = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
    offenders = [
        str(template.relative_to(ROOT))
        for template in (ROOT / "templates").rglob("*.html")
        if not template.is_relative_to(PDF_TEMPLATES)
        and (
            style_block.search(template.read_text())
            or style_attribute.search(template.read_text())
        )
    ]
    assert offenders == []
    # The PDF templates the test skips are the print ones, and they exist.
    assert sorted(p.name for p in PDF_TEMPLATES.glob("*.html"))


def test_error_pages_take_their_look_from_the_stylesheet():
    """The Thai 400 and 500 pages once styled their body inline."""
    for name in ("400.html", "500.html"):
        html = render_to_string(name)
        assert "css/app.css" in html, name
        assert 'class="error-page"' in html, name


# ------------------------------------------------------------------ downloads


def _is_download(name: str) -> bool:
    return name.endswith(("_pdf", "_xlsx")) or name in {
        "excel:template",
        "excel:export_plan",
        "progress:evidence_file",
    }


DOWNLOADS = [
    case
    for case in CASES
    if case.method == "get"
    and _is_download(case.key)
    and "theirs" not in case.id
    # the public page's downloads answer 404 in the sweep's world (no office
    # there publishes); tests/public downloads them from a published year
    and not case.key.startswith("public:")
]


def test_the_download_list_is_complete():
    names = {case.key for case in DOWNLOADS}
    assert len(names) >= 18
    assert {"reports:plan_book_pdf", "budgets:summary_xlsx"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("case", DOWNLOADS, ids=lambda case: case.id)
def test_every_download_is_no_store(world, case):  # noqa: F811
    # The network's downloads are the overseer's (issue 20), the rest a planner's.
    client = _client(world, "planner" if "planner" in case.allowed else "overseer")

    response = client.get(case.url(world))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"


@pytest.mark.django_db
def test_admin_export_is_no_store_and_pages_are_not(world):  # noqa: F811
    client = _client(world, "planner")

    export = client.get(reverse("admin:projects_project_export"))
    page = client.get(reverse("home:home"))

    assert export.status_code == 200
    assert "attachment" in export["Content-Disposition"]
    assert export["Cache-Control"] == "no-store, private"
    assert "no-store" not in page.get("Cache-Control", "")


def test_download_detection():
    from core.middleware import is_download

    assert is_download(HttpResponse(content_type="application/pdf"))
    attachment = HttpResponse(content_type="application/octet-stream")
    attachment["Content-Disposition"] = "attachment; filename=x.bin"
    assert is_download(attachment)
    assert not is_download(HttpResponse(content_type="text/html; charset=utf-8"))
