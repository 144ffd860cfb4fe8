"""Reminders as tasks scheduled per round (issue 19 item 4): the scheduled
command enqueues one task per open round due that day (the days from the
round's due date and PHAEN_REMINDER_DAYS), once per round and day; the task
sends the e-mails (django.core.mail.outbox), retries once and keeps a Thai
error."""

import datetime

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from core.models import Person, TaskRecord
from core.services import TASK_ATTEMPTS
from progress import services
from progress.models import ReportingRound

pytestmark = pytest.mark.django_db


@pytest.fixture
def emails(head_a, head_b, officer):
    for user, email in [
        (head_a, "head.a@example.go.th"),
        (head_b, "head.b@example.go.th"),
    ]:
        Person.objects.filter(user=user).update(email=email)
    officer.email = "officer@example.go.th"
    officer.save()


def _day(round1, before: int) -> str:
    return (round1.due_date - datetime.timedelta(days=before)).isoformat()


def test_the_scheduler_sends_a_rounds_reminders_once_a_day(
    round1, project_a, project_b, emails, settings, capsys
):
    settings.PHAEN_REMINDER_DAYS = [7, 0]
    day = _day(round1, 7)

    call_command("run_scheduled_tasks", "--date", day)

    assert sorted(tuple(m.to) for m in mail.outbox) == [
        ("head.a@example.go.th", "officer@example.go.th"),
        ("head.b@example.go.th",),
    ]
    record = TaskRecord.objects.get()
    assert (record.kind, record.state, record.attempts) == ("reminders", "done", 1)
    assert record.key == f"reminders:{round1.pk}:{day}"
    assert record.result == {"sent": 2, "groups": 2}
    assert (record.rows_done, record.rows_total) == (2, 2)
    assert record.organization == round1.organization
    assert "สั่งส่งแจ้งเตือน" in capsys.readouterr().out

    call_command("run_scheduled_tasks", "--date", day)  # cron runs again
    assert len(mail.outbox) == 2
    assert TaskRecord.objects.count() == 1

    call_command("run_scheduled_tasks", "--date", _day(round1, 0))  # the due date
    assert len(mail.outbox) == 4
    assert TaskRecord.objects.count() == 2


def test_no_reminder_on_other_days_nor_for_a_locked_round(
    round1, project_a, emails, settings
):
    settings.PHAEN_REMINDER_DAYS = [7]
    call_command("run_scheduled_tasks", "--date", _day(round1, 6))
    assert mail.outbox == []
    ReportingRound.objects.filter(pk=round1.pk).update(
        status=ReportingRound.Status.LOCKED
    )
    call_command("run_scheduled_tasks", "--date", _day(round1, 7))
    assert mail.outbox == []
    assert not TaskRecord.objects.exists()


def test_a_failing_send_is_retried_once_then_keeps_its_thai_error(
    round1, project_a, emails, settings, monkeypatch
):
    settings.PHAEN_REMINDER_DAYS = [7]
    calls = []

    def down(self, *args, **kwargs):
        calls.append(self.to)
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(EmailMessage, "send", down)
    (record,) = services.reminders_schedule(
        today=datetime.date.fromisoformat(_day(round1, 7))
    )
    record.refresh_from_db()
    assert len(calls) == TASK_ATTEMPTS
    assert (record.state, record.attempts) == ("failed", TASK_ATTEMPTS)
    assert record.error.startswith("ส่งอีเมลแจ้งเตือนไม่สำเร็จ ระบบลองแล้ว 2 ครั้ง")
    # the scheduler does not send the day's reminders again
    assert (
        services.reminders_schedule(today=datetime.date.fromisoformat(_day(round1, 7)))
        == []
    )


def test_one_retry_that_works_sends_the_reminders(
    round1, project_a, emails, settings, monkeypatch
):
    settings.PHAEN_REMINDER_DAYS = [7]
    send = EmailMessage.send
    calls = []

    def once_down(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionRefusedError("smtp down")
        return send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", once_down)
    call_command("run_scheduled_tasks", "--date", _day(round1, 7))
    record = TaskRecord.objects.get()
    assert (record.state, record.attempts, record.error) == ("done", 2, "")
    assert len(mail.outbox) == 1


def test_a_bad_date_fails_in_thai(db):
    with pytest.raises(CommandError, match="วันที่ต้องอยู่ในรูปแบบ"):
        call_command("run_scheduled_tasks", "--date", "31/12/2569")


class SecondGroupFailsOnce(locmem.EmailBackend):
    """The outbox backend whose server drops the second group's e-mail the
    first time it is sent (an SMTP hiccup halfway through a batch)."""

    failed = False

    def send_messages(self, messages):
        if len(mail.outbox) == 1 and not SecondGroupFailsOnce.failed:
            SecondGroupFailsOnce.failed = True
            raise ConnectionResetError("smtp dropped the connection")
        return super().send_messages(messages)


def test_a_retry_after_a_failure_halfway_sends_each_group_once(
    round1, project_a, project_b, emails, settings
):
    """The task fails after the first group's e-mail; its retry skips that
    group (the record keeps the groups reached) and sends the second."""
    settings.PHAEN_REMINDER_DAYS = [7]
    settings.EMAIL_BACKEND = f"{__name__}.SecondGroupFailsOnce"
    SecondGroupFailsOnce.failed = False

    call_command("run_scheduled_tasks", "--date", _day(round1, 7))

    assert SecondGroupFailsOnce.failed  # the first attempt did fail halfway
    assert sorted(tuple(m.to) for m in mail.outbox) == [
        ("head.a@example.go.th", "officer@example.go.th"),
        ("head.b@example.go.th",),
    ]
    record = TaskRecord.objects.get()
    assert (record.state, record.attempts, record.error) == ("done", 2, "")
    assert record.result == {"sent": 2, "groups": 2}


def test_a_dead_reminder_task_is_marked_failed_by_the_scheduler(
    round1, project_a, emails, settings
):
    """A worker killed mid-batch leaves its record running; the scheduler's
    next run says so in Thai (and sends nothing twice: the key is taken)."""
    settings.PHAEN_REMINDER_DAYS = [7]
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    call_command("run_scheduled_tasks", "--date", _day(round1, 7))
    TaskRecord.objects.update(
        state=TaskRecord.State.RUNNING,
        updated_at=timezone.now() - datetime.timedelta(seconds=301),
    )

    call_command("run_scheduled_tasks", "--date", _day(round1, 7))

    record = TaskRecord.objects.get()
    assert record.state == "failed"
    assert record.error.startswith("ส่งอีเมลแจ้งเตือนหยุดกลางคัน")
    assert "กลุ่มที่ได้รับอีเมลแล้วจะไม่ได้รับซ้ำ" in record.error
    assert mail.outbox == []
