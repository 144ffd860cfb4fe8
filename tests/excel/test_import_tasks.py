"""The workbook import's check and confirm as tasks (issue 19 item 4): the
progress record (rows done of rows total), the waiting page polled with htmx,
the per-row Thai errors, a failing confirm that writes nothing and keeps its
Thai error, and a real worker of the database backend."""

import datetime

import django_rq
import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rq import SimpleWorker

from core.models import TaskRecord
from core.roles import Role
from core.services import TASK_ATTEMPTS
from excel import layout
from excel.importer import PlanImport
from projects.models import Project
from tests.core.tables import changed_tables, table_checksums
from tests.excel.conftest import FISCAL_YEAR, exported, set_cell, workbook_bytes
from tests.factories import make_staff
from tests.reports import test_render_tasks
from tests.worker_kill import kill_worker_when_reached

pytestmark = pytest.mark.django_db

#: A throwaway redis-server on a free port (the render tasks' fixture).
redis_url = test_render_tasks.redis_url

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
HX = {"HX-Request": "true"}


def _upload(client, book):
    data = workbook_bytes(book)
    data.name = "แผน.xlsx"
    response = client.post(
        reverse("excel:import_plan"), {"fiscal_year": FISCAL_YEAR, "file": data}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def _data_rows(book) -> int:
    """Non-empty rows under the header of the sheets the importer reads."""
    total = 0
    for sheet in layout.ALL_SHEETS:
        if sheet.name not in book.sheetnames:
            continue
        rows = book[sheet.name].iter_rows(min_row=2, values_only=True)
        total += sum(1 for row in rows if any(v not in (None, "") for v in row))
    return total


def test_the_flow_records_rows_and_shows_preview_then_result(
    client, planner, full_plan
):
    """Immediate backend: upload → (the check ran) → preview → confirm → the
    result; two task records, each with every row counted."""
    client.force_login(planner)
    book = exported(full_plan)
    set_cell(book, layout.PROJECTS, 2, "name", "ชื่อจากงานเบื้องหลัง")
    preview_url = _upload(client, book)

    check = TaskRecord.objects.get(kind=TaskRecord.Kind.IMPORT_CHECK)
    assert check.state == "done"
    assert check.attempts == 1
    assert check.user == planner
    assert check.organization == full_plan.organization
    assert check.rows_total > 0
    assert check.rows_done == check.rows_total
    preview = client.get(preview_url)
    assert preview.status_code == 200
    assert "ยืนยันการนำเข้า" in preview.content.decode()
    assert preview.context["result"].count("โครงการ").updated == 1

    response = client.post(preview_url)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "excel:confirm", args=[preview_url.split("/")[-2]]
    )
    result = client.get(response["Location"])
    assert "เรียบร้อยแล้ว" in result.content.decode()
    confirm = TaskRecord.objects.get(kind=TaskRecord.Kind.IMPORT_CONFIRM)
    assert (confirm.state, confirm.rows_done) == ("done", confirm.rows_total)
    assert confirm.rows_total == check.rows_total
    assert confirm.result["summary"]["written"] is True
    assert Project.objects.get(code="69-001").name == "ชื่อจากงานเบื้องหลัง"


def test_the_rows_total_is_the_files_rows(client, planner, full_plan):
    client.force_login(planner)
    book = exported(full_plan)
    _upload(client, book)
    check = TaskRecord.objects.get()
    assert check.rows_total == _data_rows(book)
    assert check.rows_done == check.rows_total


def test_error_rows_keep_their_thai_message_per_row(client, planner, full_plan):
    client.force_login(planner)
    book = exported(full_plan)
    set_cell(book, layout.PROJECTS, 2, "group", "กลุ่มที่ไม่มีจริง")
    preview = client.get(_upload(client, book))
    content = preview.content.decode().replace("&#x27;", "'")
    (error,) = preview.context["result"].errors
    assert error.startswith("ชีต 'โครงการ' แถว ")
    assert error in content
    assert "ไม่พบกลุ่ม “กลุ่มที่ไม่มีจริง”" in content
    assert "ยืนยันการนำเข้า" not in content  # nothing to confirm
    assert TaskRecord.objects.get().state == "done"  # the check itself worked


@pytest.fixture
def broken_write(monkeypatch):
    """The confirm breaks after the projects are written (a lost database
    connection, say): the one transaction must take them back."""
    calls = []

    def broken(self, projects):
        calls.append(1)
        raise RuntimeError("connection lost")

    monkeypatch.setattr(PlanImport, "_write_activities", broken)
    return calls


def test_a_failing_confirm_writes_nothing_and_shows_the_thai_error(
    client, planner, full_plan, broken_write
):
    client.force_login(planner)
    book = exported(full_plan)
    set_cell(book, layout.PROJECTS, 2, "name", "ไม่ควรถูกบันทึก")
    preview_url = _upload(client, book)
    before = table_checksums()

    page = client.post(preview_url, follow=True)

    assert len(broken_write) == TASK_ATTEMPTS  # tried, then once more
    confirm = TaskRecord.objects.get(kind=TaskRecord.Kind.IMPORT_CONFIRM)
    assert (confirm.state, confirm.attempts) == ("failed", TASK_ATTEMPTS)
    assert confirm.error.startswith("นำเข้าข้อมูลจากไฟล์ไม่สำเร็จ")
    assert "ไม่มีข้อมูลใดถูกบันทึก" in confirm.error
    content = page.content.decode()
    assert page.status_code == 200
    assert confirm.error in content
    assert 'data-state="failed"' in content
    assert "hx-get" not in content  # the polling stops
    # only the two task records moved: no project, no history row
    changed = changed_tables(before, table_checksums())
    assert set(changed) <= {"core_taskrecord", "django_session"}
    assert Project.objects.get(code="69-001").name != "ไม่ควรถูกบันทึก"


# Committed data: the worker closes connections left inside a transaction.
@pytest.mark.django_db(transaction=True)
def test_the_waiting_page_polls_then_reloads_into_the_preview(
    client, planner, full_plan, settings
):
    """Database backend, no worker yet: the page shows the queued record and
    htmx polls it; a real ``db_worker`` runs the check; the poll then asks
    for the whole page, which is the preview."""
    settings.TASKS = DATABASE
    client.force_login(planner)
    preview_url = _upload(client, exported(full_plan))

    waiting = client.get(preview_url)
    content = waiting.content.decode()
    assert waiting.status_code == 200
    assert 'data-state="queued"' in content
    assert f'hx-get="{preview_url}"' in content
    assert "htmx.min.js" in content
    assert "<script>" not in content  # no inline script (CSP)
    partial = client.get(preview_url, headers=HX)
    assert 'data-testid="import-job"' in partial.content.decode()
    assert "<html" not in partial.content.decode()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    check = TaskRecord.objects.get()
    assert (check.state, check.rows_done) == ("done", check.rows_total)
    poll = client.get(preview_url, headers=HX)
    assert poll.status_code == 204
    assert poll["HX-Refresh"] == "true"
    assert "ยืนยันการนำเข้า" in client.get(preview_url).content.decode()


def test_another_users_record_is_not_shown(client, planner, full_plan, head_a):
    """The page reads the record of this session's upload and user only."""
    client.force_login(planner)
    preview_url = _upload(client, exported(full_plan))
    TaskRecord.objects.update(user=head_a)
    assert client.get(preview_url).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_an_rq_worker_checks_and_confirms_the_upload(
    client, planner, full_plan, settings, redis_url
):
    """The RQ backend with its worker (in this process, burst): the same
    records and pages as the database backend."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    }
    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    client.force_login(planner)
    book = exported(full_plan)
    set_cell(book, layout.PROJECTS, 2, "name", "ชื่อจากคิว RQ")
    preview_url = _upload(client, book)
    assert 'data-state="queued"' in client.get(preview_url).content.decode()

    _rq_burst()
    assert "ยืนยันการนำเข้า" in client.get(preview_url).content.decode()
    confirm_url = client.post(preview_url)["Location"]
    assert Project.objects.get(code="69-001").name != "ชื่อจากคิว RQ"
    _rq_burst()

    assert "เรียบร้อยแล้ว" in client.get(confirm_url).content.decode()
    assert Project.objects.get(code="69-001").name == "ชื่อจากคิว RQ"
    states = set(TaskRecord.objects.values_list("kind", "state", "attempts"))
    assert states == {("import_check", "done", 1), ("import_confirm", "done", 1)}


def _rq_burst() -> None:
    worker = django_rq.get_worker(
        "default", job_class="django_tasks_rq.Job", worker_class=SimpleWorker
    )
    worker.work(burst=True)


# ------------------------------------------------------------------ dead workers

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _die(record: TaskRecord, seconds: int = 301) -> None:
    """The worker took ``record`` and was killed: running, silent since."""
    TaskRecord.objects.filter(pk=record.pk).update(
        state=TaskRecord.State.RUNNING,
        attempts=1,
        updated_at=timezone.now() - datetime.timedelta(seconds=seconds),
    )


def test_a_dead_check_shows_the_thai_error_and_retries_the_same_upload(
    client, planner, full_plan, settings
):
    settings.TASKS = DUMMY  # nobody runs the check: its worker "died"
    settings.PHAEN_TASK_STALE_SECONDS = 300
    client.force_login(planner)
    preview_url = _upload(client, exported(full_plan))
    token = preview_url.split("/")[-2]
    dead = TaskRecord.objects.get()
    _die(dead)

    poll = client.get(preview_url, headers=HX)
    content = poll.content.decode()
    dead.refresh_from_db()
    assert dead.state == "failed"
    assert dead.error.startswith("ตรวจไฟล์นำเข้าหยุดกลางคัน")
    assert dead.error in content
    assert "กรุณาลองใหม่" in content
    assert 'data-state="failed"' in content
    assert "hx-get" not in content  # the polling stops
    retry_url = reverse("excel:retry_check", args=[token])
    assert f'action="{retry_url}"' in content
    assert 'data-testid="import-retry"' in content

    settings.TASKS = IMMEDIATE  # a worker is back
    response = client.post(retry_url)

    assert response.status_code == 302
    assert response["Location"] == preview_url
    assert "ยืนยันการนำเข้า" in client.get(preview_url).content.decode()
    states = list(TaskRecord.objects.order_by("pk").values_list("state", flat=True))
    assert states == ["failed", "done"]  # the same stored upload, checked anew


def test_a_live_check_is_not_started_twice_by_a_retry(
    client, planner, full_plan, settings
):
    """A valid retry while the check still beats starts nothing."""
    settings.TASKS = DUMMY
    settings.PHAEN_TASK_STALE_SECONDS = 300
    client.force_login(planner)
    preview_url = _upload(client, exported(full_plan))
    _die(TaskRecord.objects.get(), seconds=10)  # running, its beat is recent
    before = table_checksums()

    response = client.post(
        reverse("excel:retry_check", args=[preview_url.split("/")[-2]])
    )

    assert response.status_code == 302
    assert response["Location"] == preview_url
    assert changed_tables(before, table_checksums()) == []
    assert TaskRecord.objects.get().state == "running"


def test_another_user_cannot_retry_an_upload(
    client, planner, full_plan, settings, office
):
    """Another planner of the office, posting the retry of a dead check that
    is not in their session: 404, nothing started."""
    settings.TASKS = DUMMY
    client.force_login(planner)
    preview_url = _upload(client, exported(full_plan))
    _die(TaskRecord.objects.get())
    other = make_staff(office, roles=[Role.PLANNER], first_name="แผนสอง").user
    client.force_login(other)
    before = table_checksums()

    response = client.post(
        reverse("excel:retry_check", args=[preview_url.split("/")[-2]])
    )

    assert response.status_code == 404
    assert TaskRecord.objects.get().state == "running"
    assert set(changed_tables(before, table_checksums())) <= {"django_session"}


def test_a_failed_confirm_retried_keeps_its_override_and_writes(
    client, planner, full_plan, settings, broken_write, monkeypatch
):
    """A confirm that failed twice (a lost connection) is confirmed again
    from the same upload, once the database is back."""
    client.force_login(planner)
    book = exported(full_plan)
    set_cell(book, layout.PROJECTS, 2, "name", "ชื่อหลังลองใหม่")
    preview_url = _upload(client, book)
    token = preview_url.split("/")[-2]
    page = client.post(preview_url, follow=True)
    assert 'data-testid="import-retry"' in page.content.decode()
    assert Project.objects.get(code="69-001").name != "ชื่อหลังลองใหม่"
    monkeypatch.undo()  # the database is back

    response = client.post(reverse("excel:retry_confirm", args=[token]), follow=True)

    assert "เรียบร้อยแล้ว" in response.content.decode()
    assert Project.objects.get(code="69-001").name == "ชื่อหลังลองใหม่"
    confirms = TaskRecord.objects.filter(kind=TaskRecord.Kind.IMPORT_CONFIRM)
    assert sorted(confirms.values_list("state", flat=True)) == ["done", "failed"]


@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_confirm_writes_nothing_and_the_confirm_reruns(
    client, planner, full_plan, settings, tmp_path, upload_dir
):
    """A real ``db_worker`` subprocess killed inside the confirm's one
    transaction (its projects written, not committed): the database is as
    before, the page says the task stopped, and the retry confirms the same
    stored upload."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker subprocess needs the PostgreSQL test database")
    client.force_login(planner)
    book = exported(full_plan)
    set_cell(book, layout.PROJECTS, 2, "name", "ชื่อที่รอดจากเครื่องดับ")
    preview_url = _upload(client, book)  # checked (immediate backend)
    token = preview_url.split("/")[-2]
    settings.TASKS = DATABASE
    confirm_url = client.post(preview_url)["Location"]
    before = table_checksums()

    marker = tmp_path / "writing"
    kill_worker_when_reached(
        "tests/excel/stuck_import_worker.py",
        marker,
        "the write",
        PHAEN_UPLOAD_DIR=str(upload_dir),
    )

    confirm = TaskRecord.objects.get(kind=TaskRecord.Kind.IMPORT_CONFIRM)
    assert confirm.state == "running"
    # nothing of the plan moved: only the task's own records
    changed = set(changed_tables(before, table_checksums()))
    assert changed <= {"core_taskrecord", "django_tasks_database_dbtaskresult"}
    assert Project.objects.get(code="69-001").name != "ชื่อที่รอดจากเครื่องดับ"

    settings.PHAEN_TASK_STALE_SECONDS = 0  # its silence is long enough now
    page = client.get(confirm_url).content.decode()
    assert "นำเข้าข้อมูลจากไฟล์หยุดกลางคัน" in page
    assert "ไม่มีข้อมูลใดถูกบันทึก" in page
    settings.TASKS = IMMEDIATE
    settings.PHAEN_TASK_STALE_SECONDS = 300
    result = client.post(reverse("excel:retry_confirm", args=[token]), follow=True)

    assert "เรียบร้อยแล้ว" in result.content.decode()
    assert Project.objects.get(code="69-001").name == "ชื่อที่รอดจากเครื่องดับ"
    confirms = TaskRecord.objects.filter(kind=TaskRecord.Kind.IMPORT_CONFIRM)
    assert sorted(confirms.values_list("state", flat=True)) == ["done", "failed"]
