"""A background task whose worker died (issue 19 item 5): one staleness rule
(core.models.Heartbeat) for the import and reminder records and the document
renders; a record silent for ``PHAEN_TASK_STALE_SECONDS`` counts as failed,
the scheduled command marks it so, and a task whose record was taken for
dead neither starts later nor goes on past its next heartbeat."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import Heartbeat, TaskRecord
from core.services import (
    task_record_create,
    task_record_expire,
    task_record_progress,
    task_run,
)
from reports.models import DocumentJob

pytestmark = pytest.mark.django_db

CONTEXT = SimpleNamespace(task_result=SimpleNamespace(id="task-1"))


def _record(office, state, seconds_ago, kind=TaskRecord.Kind.IMPORT_CONFIRM):
    record, _ = task_record_create(kind=kind, organization_id=office.pk)
    TaskRecord.objects.filter(pk=record.pk).update(
        state=state,
        updated_at=timezone.now() - datetime.timedelta(seconds=seconds_ago),
    )
    record.refresh_from_db()
    return record


def test_a_silent_record_is_stale_after_the_setting(office, settings):
    settings.PHAEN_TASK_STALE_SECONDS = 300
    assert _record(office, "running", 301).stale
    assert _record(office, "queued", 301).stale
    assert not _record(office, "running", 200).stale  # its beat is recent
    assert not _record(office, "failed", 3000).stale
    assert not _record(office, "done", 3000).stale


def test_documents_use_the_same_rule_with_their_own_limit(settings):
    """One rule, two limits: a book's layout is one long silent part."""
    assert issubclass(DocumentJob, Heartbeat) and issubclass(TaskRecord, Heartbeat)
    settings.PHAEN_DOCUMENT_STALE_SECONDS = 600
    assert DocumentJob.stale_limit() == datetime.timedelta(seconds=600)
    settings.PHAEN_TASK_STALE_SECONDS = 300
    assert TaskRecord.stale_limit() == datetime.timedelta(seconds=300)


def test_the_scheduler_marks_dead_records_failed_in_thai(office, settings, capsys):
    settings.PHAEN_TASK_STALE_SECONDS = 300
    dead = _record(office, "running", 301)
    lost = _record(office, "queued", 301, kind=TaskRecord.Kind.IMPORT_CHECK)
    live = _record(office, "running", 10)
    done = _record(office, "done", 3000)

    call_command("run_scheduled_tasks")

    dead.refresh_from_db()
    assert dead.state == "failed"
    assert dead.finished_at is not None
    assert dead.error.startswith("นำเข้าข้อมูลจากไฟล์หยุดกลางคัน")
    assert "ไม่มีข้อมูลใดถูกบันทึก" in dead.error
    assert "กรุณาลองใหม่" in dead.error
    lost.refresh_from_db()
    assert (lost.state, lost.error[:14]) == ("failed", "ตรวจไฟล์นำเข้า")
    live.refresh_from_db()
    done.refresh_from_db()
    assert (live.state, live.error) == ("running", "")
    assert (done.state, done.error) == ("done", "")
    assert "หยุดกลางคัน 2 รายการ" in capsys.readouterr().out


def test_expire_leaves_a_record_with_a_recent_beat(office, settings):
    settings.PHAEN_TASK_STALE_SECONDS = 300
    record = _record(office, "running", 301)
    TaskRecord.objects.filter(pk=record.pk).update(updated_at=timezone.now())
    # the page read it before the beat came: the database's beat wins
    assert task_record_expire(record=record).state == "running"
    assert TaskRecord.objects.get(pk=record.pk).state == "running"


def test_a_task_taken_for_dead_while_queued_never_runs(office, settings):
    """The user was told to start again (and may have): the old task, when a
    worker finally takes it, does nothing."""
    settings.PHAEN_TASK_STALE_SECONDS = 300
    record = _record(office, "queued", 301)
    task_record_expire(record=record)
    ran = []

    result = task_run(
        context=CONTEXT, task=None, record_id=record.pk, args=(), work=ran.append
    )

    assert result is None and ran == []
    record.refresh_from_db()
    assert (record.state, record.attempts) == ("failed", 0)


def test_a_task_taken_for_dead_while_running_stops_at_its_next_beat(office, settings):
    settings.PHAEN_TASK_STALE_SECONDS = 300
    record, _ = task_record_create(
        kind=TaskRecord.Kind.IMPORT_CHECK, organization_id=office.pk
    )
    after = []

    def work(running):
        task_record_progress(record=running, done=1, total=10)
        TaskRecord.objects.filter(pk=running.pk).update(
            updated_at=timezone.now() - datetime.timedelta(seconds=301)
        )
        # the waiting page reads it and gives it up
        task_record_expire(record=TaskRecord.objects.get(pk=running.pk))
        task_record_progress(record=running, done=2, total=10)
        after.append(1)

    assert (
        task_run(context=CONTEXT, task=None, record_id=record.pk, args=(), work=work)
        is None
    )
    assert after == []
    record.refresh_from_db()
    assert (record.state, record.rows_done, record.attempts) == ("failed", 1, 1)
    assert "หยุดกลางคัน" in record.error


def test_a_task_given_up_that_then_fails_is_not_retried(office, settings):
    """Its error comes after the page gave it up: no second run behind the
    back of a user who may have started another."""
    settings.PHAEN_TASK_STALE_SECONDS = 300
    record, _ = task_record_create(
        kind=TaskRecord.Kind.IMPORT_CONFIRM, organization_id=office.pk
    )
    enqueued = []

    def work(running):
        TaskRecord.objects.filter(pk=running.pk).update(
            updated_at=timezone.now() - datetime.timedelta(seconds=301)
        )
        task_record_expire(record=TaskRecord.objects.get(pk=running.pk))
        raise ConnectionError("the database went away")

    task = SimpleNamespace(enqueue=lambda *args: enqueued.append(args))
    result = task_run(
        context=CONTEXT, task=task, record_id=record.pk, args=(1,), work=work
    )

    assert result is None and enqueued == []
    record.refresh_from_db()
    assert (record.state, record.attempts) == ("failed", 1)
    assert "หยุดกลางคัน" in record.error
