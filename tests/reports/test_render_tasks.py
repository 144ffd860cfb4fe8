"""Documents rendered by a task of Django's Tasks API (issue 19).

The download URL serves a PDF stored for the current data at once; otherwise
it starts one render task (one per cache key) and answers a page with the
render's progress that polls the same URL (htmx; ``<noscript>`` refresh
without JS) and links the file once stored. A failed render runs once more,
then keeps its Thai error and a "ลองใหม่" link; a render that dies (worker
killed) leaves the last good file where it was and can be started again.

Backends: the immediate one (unit tests, as the rest of the suite), the
database one with its real ``db_worker`` command (in-process, and a killed
subprocess on PostgreSQL), and RQ against a real ``redis-server`` started on
a free port by the ``redis_url`` fixture.
"""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django_tasks import TaskContext, default_task_backend

from plans.services import plan_approve
from progress.services import round_lock
from reports import documents, pdf
from reports.models import DocumentJob
from tests.worker_kill import kill_worker_when_reached

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _sheet_url(book, **query):
    url = reverse("reports:project_sheet_pdf", args=[book.p1.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _spec(book):
    return documents.project_sheet_spec(book.p1, "thai")


def _is_pdf(response) -> bool:
    return response["Content-Type"] == "application/pdf"


def _job(book) -> DocumentJob:
    return DocumentJob.objects.get(key=_spec(book).key)


# ------------------------------------------------------------------ the page


def test_a_document_not_yet_rendered_answers_a_progress_page_and_one_task(
    client, viewer, book, settings
):
    settings.TASKS = DUMMY  # tasks wait: nobody runs them
    client.force_login(viewer)

    first = client.get(_sheet_url(book))
    again = client.get(_sheet_url(book))

    assert first.status_code == again.status_code == 200
    assert not _is_pdf(first)
    content = first.content.decode()
    assert 'data-testid="document-progress"' in content
    assert "กำลังสร้างเอกสาร" in content
    assert "เสร็จ 0 จาก 3 ส่วน" in content
    # htmx polls this URL; without JS the page reloads itself
    assert f'hx-get="{_sheet_url(book)}"' in content
    assert "js/htmx.min.js" in content
    assert '<noscript><meta http-equiv="refresh"' in content
    assert "<script>" not in content  # CSP: no inline script
    # one task for the two clicks, one progress record
    assert len(default_task_backend.results) == 1
    job = _job(book)
    assert job.state == DocumentJob.State.QUEUED
    assert job.task_id == default_task_backend.results[0].id
    assert job.organization == book.plan.organization


def test_htmx_polls_get_the_partial_then_the_link(client, viewer, book, settings):
    settings.TASKS = DUMMY
    client.force_login(viewer)
    client.get(_sheet_url(book))

    waiting = client.get(_sheet_url(book), headers={"HX-Request": "true"})
    assert "<html" not in waiting.content.decode()
    assert 'data-state="queued"' in waiting.content.decode()

    _run_queued()
    done = client.get(_sheet_url(book), headers={"HX-Request": "true"})
    content = done.content.decode()
    assert 'data-state="ready"' in content
    assert 'data-testid="document-download"' in content
    assert "hx-get" not in content  # polling stops
    assert _is_pdf(client.get(_sheet_url(book)))


def _run_queued():
    """What a worker does with the dummy backend's queued tasks: call them."""
    for result in default_task_backend.results:
        result.task.call(TaskContext(task_result=result), *result.args)


def test_other_offices_get_404_and_start_nothing(client, outsider, book, settings):
    settings.TASKS = DUMMY
    client.force_login(outsider)

    assert client.get(_sheet_url(book)).status_code == 404
    assert (
        client.get(_sheet_url(book), headers={"HX-Request": "true"}).status_code == 404
    )
    assert not DocumentJob.objects.exists()
    assert default_task_backend.results == []


# ------------------------------------------------------------------ immediate


@pytest.mark.pdf
def test_immediate_backend_serves_the_pdf_and_records_every_part(client, viewer, book):
    client.force_login(viewer)

    response = client.get(_sheet_url(book))

    assert _is_pdf(response)
    job = _job(book)
    assert (job.state, job.parts_done, job.parts_total, job.attempts) == (
        "done",
        3,
        3,
        1,
    )
    assert job.finished_at is not None
    rendered = pdf.RENDER_COUNT["documents"]
    assert client.get(_sheet_url(book)).content == response.content
    assert pdf.RENDER_COUNT["documents"] == rendered


@pytest.mark.pdf
def test_a_data_change_renders_again_and_drops_the_old_file(client, viewer, book):
    client.force_login(viewer)
    client.get(_sheet_url(book))
    old = _spec(book).path

    book.p1.name = "โครงการส่งเสริมการอ่าน (ปรับปรุง)"
    book.p1.save()
    response = client.get(_sheet_url(book))

    assert _is_pdf(response)
    assert _spec(book).path != old
    assert not old.exists()
    assert DocumentJob.objects.count() == 2


# ------------------------------------------------------------------ failure


@pytest.fixture
def failing_layout(monkeypatch):
    """The layout fails the first ``calls["fail"]`` times."""
    calls = {"fail": 99, "tried": 0}
    real = pdf.render_pdf

    def layout(*args, **kwargs):
        calls["tried"] += 1
        if calls["tried"] <= calls["fail"]:
            raise OSError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf, "render_pdf", layout)
    return calls


@pytest.mark.pdf
def test_a_failing_render_is_tried_twice_then_shows_its_error_in_thai(
    client, viewer, book, failing_layout
):
    client.force_login(viewer)

    response = client.get(_sheet_url(book))

    assert failing_layout["tried"] == 2
    content = response.content.decode()
    assert response.status_code == 200
    assert "สร้างเอกสารไม่สำเร็จ" in content
    assert "ลองใหม่" in content
    assert 'data-testid="document-retry"' in content
    job = _job(book)
    assert (job.state, job.attempts) == ("failed", 2)
    assert job.error.startswith("สร้างเอกสารไม่สำเร็จ")
    assert _spec(book).stored() is None
    assert not list(Path(_spec(book).folder).glob("*.part"))

    # a plain reload does not start it again; ลองใหม่ does
    client.get(_sheet_url(book))
    assert failing_layout["tried"] == 2
    failing_layout["fail"] = 0
    retried = client.get(_sheet_url(book, retry=1))
    assert _is_pdf(retried)
    assert _job(book).state == "done"


@pytest.mark.pdf
def test_one_failure_is_retried_and_the_user_gets_the_pdf(
    client, viewer, book, failing_layout
):
    failing_layout["fail"] = 1
    client.force_login(viewer)

    response = client.get(_sheet_url(book))

    assert _is_pdf(response)
    job = _job(book)
    assert (job.state, job.attempts, job.error) == ("done", 2, "")


@pytest.mark.pdf
def test_a_failed_render_leaves_the_last_good_file_to_download(
    client, viewer, book, failing_layout
):
    failing_layout["fail"] = 0
    client.force_login(viewer)
    good = client.get(_sheet_url(book)).content
    book.p1.name = "โครงการที่แก้ชื่อแล้ว"
    book.p1.save()
    failing_layout.update(fail=99, tried=0)

    page = client.get(_sheet_url(book)).content.decode()

    assert "สร้างเอกสารไม่สำเร็จ" in page
    assert 'data-testid="document-previous"' in page
    previous = client.get(_sheet_url(book, previous=1))
    assert _is_pdf(previous)
    assert previous.content == good


def test_a_queue_that_is_down_gives_the_thai_message_not_a_500(
    client, viewer, book, settings, monkeypatch
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    }
    closed = f"redis://127.0.0.1:{_free_port()}/0"  # nothing listens there
    monkeypatch.setattr("django_rq.settings.QUEUES", {"default": {"URL": closed}})
    client.force_login(viewer)

    response = client.get(_sheet_url(book))

    assert response.status_code == 200
    content = response.content.decode()
    assert "ระบบคิวงานเบื้องหลังไม่ตอบสนอง" in content
    assert 'data-testid="document-retry"' in content
    assert _job(book).state == "failed"


def test_a_write_that_fails_keeps_the_good_file_whole(book, monkeypatch):
    spec = _spec(book)
    spec.store(b"%PDF good")

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(OSError):
        spec.store(b"%PDF half")

    assert spec.path.read_bytes() == b"%PDF good"
    assert [p.name for p in spec.folder.iterdir()] == [spec.path.name]


# ------------------------------------------------------------------ on approval


@pytest.mark.pdf
def test_approving_a_plan_starts_its_book_render(
    book, director, settings, django_capture_on_commit_callbacks
):
    settings.PHAEN_DOCUMENT_PRERENDER = True
    settings.TASKS = DUMMY
    book.plan.status = "submitted"
    book.plan.save()

    with django_capture_on_commit_callbacks(execute=True):
        plan_approve(plan=book.plan, user=director, override_reason="ทดสอบ")

    book.plan.refresh_from_db()
    spec = documents.plan_book_spec(book.plan, "thai")
    job = DocumentJob.objects.get(key=spec.key)
    assert job.kind == "plan_book"
    assert [r.args[1] for r in default_task_backend.results] == ["plan_book"]


def test_locking_a_round_starts_its_report_render(
    book, planner, settings, django_capture_on_commit_callbacks
):
    settings.PHAEN_DOCUMENT_PRERENDER = True
    settings.TASKS = DUMMY

    with django_capture_on_commit_callbacks(execute=True):
        round_lock(reporting_round=book.round1, user=planner)

    book.round1.refresh_from_db()
    spec = documents.progress_spec(book.round1, "thai")
    assert DocumentJob.objects.filter(key=spec.key, kind="progress").exists()
    assert [r.args[1] for r in default_task_backend.results] == ["progress"]


# ------------------------------------------------------------------ real workers


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path, monkeypatch):
    """A throwaway ``redis-server`` on a free port (Debian's package, installed
    by scripts/system-deps.sh like PostgreSQL), stopped after the test."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is missing: run scripts/system-deps.sh")
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 (Debian's redis-server, fixed arguments)
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        import redis

        client = redis.Redis.from_url(url)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        else:
            pytest.fail("redis-server did not start")
        queues = {"default": {"URL": url, "DEFAULT_TIMEOUT": 600}}
        monkeypatch.setattr("django_rq.settings.QUEUES", queues)
        yield url
    finally:
        server.terminate()
        server.wait(10)


def _run_worker(backend: str) -> None:
    """The backend's own worker, in this process (it sees the test's data)."""
    if backend == "database":
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    else:
        import django_rq
        from rq import SimpleWorker

        worker = django_rq.get_worker(
            "default", job_class="django_tasks_rq.Job", worker_class=SimpleWorker
        )
        worker.work(burst=True)


# Committed data: the workers close connections left inside a transaction.
COMMITTED = pytest.mark.django_db(transaction=True)


@pytest.mark.pdf
@pytest.mark.parametrize(
    "backend",
    [pytest.param("database", marks=COMMITTED), pytest.param("rq", marks=COMMITTED)],
)
def test_a_worker_of_each_backend_renders_the_document(
    client, viewer, book, settings, request, backend
):
    if backend == "rq":
        url = request.getfixturevalue("redis_url")
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
        }
        settings.RQ_QUEUES = {"default": {"URL": url}}
    else:
        settings.TASKS = DATABASE
    client.force_login(viewer)

    waiting = client.get(_sheet_url(book))
    assert not _is_pdf(waiting)
    assert _job(book).state == "queued"
    assert default_task_backend.get_result(_job(book).task_id).status == "READY"

    _run_worker(backend)

    job = _job(book)
    assert (job.state, job.parts_done, job.attempts) == ("done", 3, 1)
    result = default_task_backend.get_result(job.task_id)
    assert result.status == "SUCCESSFUL"
    assert result.return_value == _spec(book).path.name
    assert _is_pdf(client.get(_sheet_url(book)))


@pytest.mark.pdf
@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_render_keeps_the_good_file_and_the_task_rerunnable(
    client, viewer, book, settings, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("the worker subprocess needs the PostgreSQL test database")
    client.force_login(viewer)
    good = client.get(_sheet_url(book)).content  # rendered (immediate backend)
    book.p1.name = "โครงการที่แก้ชื่อแล้ว"
    book.p1.save()
    settings.TASKS = DATABASE
    page = client.get(_sheet_url(book))
    assert 'data-testid="document-previous"' in page.content.decode()

    marker = tmp_path / "laying-out"
    kill_worker_when_reached(
        "tests/reports/stuck_render_worker.py",
        marker,
        "the layout",
        PHAEN_DOCUMENT_DIR=str(settings.PHAEN_DOCUMENT_DIR),
    )

    job = _job(book)
    assert (job.state, job.parts_done) == ("running", 1)  # died in the layout
    assert default_task_backend.get_result(job.task_id).status == "RUNNING"
    # the last good file is still served beside the progress page, whole
    assert client.get(_sheet_url(book, previous=1)).content == good
    assert not list(_spec(book).folder.glob("*.part"))

    # a dead render is started again once its record stops moving
    settings.PHAEN_DOCUMENT_STALE_SECONDS = 0
    settings.TASKS = IMMEDIATE
    again = client.get(_sheet_url(book))
    assert _is_pdf(again)
    assert again.content != good
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("done", 1)
