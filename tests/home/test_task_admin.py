"""The task admin (issue 19 item 5): งานเบื้องหลัง lists recent tasks of every
kind (imports and reminders from TaskRecord, document renders under them)
with state, progress, error and times, office-scoped, read-only; and the
scheduled command prunes records and files older than PHAEN_TASK_KEEP_DAYS."""

import datetime
import os

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import TaskRecord
from reports.models import DocumentJob

pytestmark = pytest.mark.django_db

URL = reverse("admin:core_taskrecord_changelist")


def _staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def tasks(office, other_office):
    ours = TaskRecord.objects.create(
        kind=TaskRecord.Kind.IMPORT_CONFIRM,
        title="นำเข้าแผนของเรา",
        organization=office,
        state=TaskRecord.State.FAILED,
        rows_done=3,
        rows_total=12,
        error="นำเข้าข้อมูลจากไฟล์ไม่สำเร็จ ทดสอบ",
    )
    theirs = TaskRecord.objects.create(
        kind=TaskRecord.Kind.REMINDERS, title="แจ้งเตือนของเขา", organization=other_office
    )
    DocumentJob.objects.create(
        key="ours", kind="plan_book", title="เล่มแผนของเรา", organization=office
    )
    DocumentJob.objects.create(
        key="theirs", kind="plan_book", title="เล่มแผนของเขา", organization=other_office
    )
    return ours, theirs


def test_an_office_admin_sees_the_offices_tasks_of_every_kind(client, planner, tasks):
    client.force_login(_staff(planner))
    page = client.get(URL)
    content = page.content.decode()
    assert page.status_code == 200
    assert "งานเบื้องหลัง" in content
    assert "นำเข้าแผนของเรา" in content
    assert "3/12 (25%)" in content
    assert "นำเข้าข้อมูลจากไฟล์ไม่สำเร็จ ทดสอบ" in content
    assert "เล่มแผนของเรา" in content  # the document renders, same page
    assert "แจ้งเตือนของเขา" not in content
    assert "เล่มแผนของเขา" not in content
    ours, theirs = tasks
    their_page = reverse("admin:core_taskrecord_change", args=[theirs.pk])
    assert client.get(their_page).status_code in (302, 404)


def test_a_superuser_sees_every_office(client, tasks):
    client.force_login(User.objects.create_superuser("root", password="x"))
    content = client.get(URL).content.decode()
    for title in ("นำเข้าแผนของเรา", "แจ้งเตือนของเขา", "เล่มแผนของเรา", "เล่มแผนของเขา"):
        assert title in content


def test_the_task_admin_is_read_only(client, planner, tasks):
    client.force_login(_staff(planner))
    ours, _ = tasks
    url = reverse("admin:core_taskrecord_change", args=[ours.pk])
    response = client.post(url, {"title": "แก้แล้ว", "state": "done"})
    assert response.status_code == 403
    ours.refresh_from_db()
    assert (ours.title, ours.state) == ("นำเข้าแผนของเรา", "failed")


def test_the_scheduled_command_prunes_old_records_and_files(office, settings, tmp_path):
    settings.PHAEN_TASK_KEEP_DAYS = 30
    settings.PHAEN_DOCUMENT_DIR = tmp_path / "documents"
    old_day = timezone.now() - datetime.timedelta(days=31)
    old = TaskRecord.objects.create(kind="import_check", organization=office)
    new = TaskRecord.objects.create(kind="import_check", organization=office)
    TaskRecord.objects.filter(pk=old.pk).update(created_at=old_day)
    old_job = DocumentJob.objects.create(
        key="old", kind="plan_book", organization=office
    )
    new_job = DocumentJob.objects.create(
        key="new", kind="plan_book", organization=office
    )
    DocumentJob.objects.filter(pk=old_job.pk).update(updated_at=old_day)
    folder = settings.PHAEN_DOCUMENT_DIR / "plan_book"
    folder.mkdir(parents=True)
    old_pdf, new_pdf = folder / "1--old.pdf", folder / "2--new.pdf"
    old_pdf.write_bytes(b"%PDF-old")
    new_pdf.write_bytes(b"%PDF-new")
    os.utime(old_pdf, (old_day.timestamp(), old_day.timestamp()))

    call_command("run_scheduled_tasks")

    assert list(TaskRecord.objects.all()) == [new]
    assert list(DocumentJob.objects.all()) == [new_job]
    assert not old_pdf.exists()
    assert new_pdf.exists()
