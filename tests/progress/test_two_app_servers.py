"""Stateless app servers (issue 20 item 5): two gunicorn processes on two
ports over the same PostgreSQL database and the same S3 bucket, each with
its own local folders, take turns serving one user. A session made on one
is good on the other (sessions live in the database), a file uploaded
through one downloads from the other (it lives in the bucket), and logging
out on one ends the session on both. Nothing a request needs is kept in a
process's memory or on its machine's disk.

Transactional: the servers are other processes and see committed rows only.
"""

import http.client
import os
import re
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse

from progress.models import Evidence
from tests.factories import ProgressReportFactory
from tests.progress.test_shared_storage import PNG, bucket, free_port  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "รหัสผ่าน-สองเครื่อง-9"


def database_url() -> str:
    """The test database, as the servers' DATABASE_URL."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start(port: int, work: Path, env: dict) -> subprocess.Popen:
    log = work / f"gunicorn-{port}.log"
    own = {
        **env,
        # this machine's own folders: nothing shared through them
        "PHAEN_VAR_DIR": str(work / f"var-{port}"),
        "MEDIA_ROOT": str(work / f"media-{port}"),
    }
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 (our interpreter, fixed arguments)
            [
                sys.executable,
                *("-m", "gunicorn", "config.wsgi"),
                *("--bind", f"{HOST}:{port}", "--workers", "1"),
                *("--log-level", "warning", "--chdir", str(ROOT)),
            ],
            env=own,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return server


def wait_until_up(server, port: int, work: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, (work / f"gunicorn-{port}.log").read_text()
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/accounts/login/")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError((work / f"gunicorn-{port}.log").read_text())


class Browser:
    """Cookies kept across servers, like one browser behind a load balancer."""

    def __init__(self):
        self.cookies = SimpleCookie()

    def request(self, port, method, path, body=b"", headers=None):
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        cookie = "; ".join(f"{k}={v.value}" for k, v in self.cookies.items())
        conn.request(
            method, path, body=body, headers={"Cookie": cookie, **(headers or {})}
        )
        response = conn.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        conn.close()
        return response, content

    def csrf(self, port, path) -> str:
        _response, content = self.request(port, "GET", path)
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)[
            1
        ].decode()

    def post_form(self, port, path, fields, token_page):
        fields = {**fields, "csrfmiddlewaretoken": self.csrf(port, token_page)}
        return self.request(
            port,
            "POST",
            path,
            urlencode(fields).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )

    def post_file(self, port, path, fields, name, content, token_page):
        boundary = uuid.uuid4().hex
        fields = {**fields, "csrfmiddlewaretoken": self.csrf(port, token_page)}
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
            f"{value}\r\n".encode()
            for key, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{name}"\r\nContent-Type: image/png\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            port,
            "POST",
            path,
            b"".join(parts),
            {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )


@pytest.mark.usefixtures("bucket")
def test_two_servers_share_sessions_and_files(head_a, project_a, round1, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the app servers share a PostgreSQL database")
    # The servers know Django's own hashers, not the tests' fast MD5 one.
    hasher = PBKDF2PasswordHasher()
    head_a.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    head_a.save()
    report = ProgressReportFactory(project=project_a, round=round1)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": database_url(),
        "ALLOWED_HOSTS": HOST,
        "STATIC_ROOT": str(tmp_path / "static"),
        # what a shared mount would hold (rendered PDFs, parsed workbooks)
        "PHAEN_DOCUMENT_DIR": str(tmp_path / "shared" / "documents"),
        "PHAEN_UPLOAD_DIR": str(tmp_path / "shared" / "uploads"),
    }
    (tmp_path / "static").mkdir()
    one, two = free_port(), free_port()
    servers = [start(one, tmp_path, env), start(two, tmp_path, env)]
    try:
        wait_until_up(servers[0], one, tmp_path)
        wait_until_up(servers[1], two, tmp_path)
        browser = Browser()
        login = reverse("login")
        detail = reverse("progress:report_detail", args=[report.pk])

        # log in on one, use the session on the other
        response, _ = browser.post_form(
            one, login, {"username": head_a.username, "password": PASSWORD}, login
        )
        assert response.status == 302
        response, content = browser.request(two, "GET", detail)
        assert response.status == 200
        assert project_a.name.encode() in content

        # upload on one, download on the other
        response, _ = browser.post_file(
            one,
            reverse("progress:evidence_upload", args=[report.pk]),
            {"caption": "ภาพจากเครื่องที่หนึ่ง"},
            "photo.png",
            PNG,
            detail,
        )
        assert response.status == 302
        evidence = Evidence.objects.get()
        response, content = browser.request(
            two, "GET", reverse("progress:evidence_file", args=[evidence.pk])
        )
        assert (response.status, content) == (200, PNG)
        assert not any(tmp_path.glob("media-*/**/photo*.png"))  # in the bucket

        # log out on two: the session ends on one too
        response, _ = browser.post_form(two, reverse("logout"), {}, detail)
        assert response.status == 302
        response, _ = browser.request(one, "GET", detail)
        assert response.status == 302
        assert response.getheader("Location").startswith(login)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
