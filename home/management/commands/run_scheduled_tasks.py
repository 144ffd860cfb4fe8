"""The one command a scheduler calls (cron every hour, or a systemd timer):
it enqueues what is due and prunes what is old, then returns at once; the
task workers do the work.

- the reminders of every open round due today (``PHAEN_REMINDER_DAYS``),
  once per round and day (:func:`progress.services.reminders_schedule`);
- task records whose worker died (no progress for
  ``PHAEN_TASK_STALE_SECONDS``: :class:`core.models.Heartbeat`) marked
  failed, so their pages and the task admin stop saying they run;
- task records, document records and rendered PDFs older than
  ``PHAEN_TASK_KEEP_DAYS``, abandoned uploads and evidence files kept
  from a refused progress save that nobody came back for (a day old).

It sits in ``home``, the top layer, because it reaches every app's tasks.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.services import task_records_expire, task_records_prune
from excel.uploads import clean_uploads
from progress.services import kept_evidence_prune, reminders_schedule
from reports.services import document_jobs_prune


class Command(BaseCommand):
    help = (
        "งานตามกำหนดเวลา: ส่งอีเมลแจ้งเตือนรายงานความก้าวหน้าที่ถึงกำหนด "
        "และลบบันทึกงานเบื้องหลังและไฟล์ที่เก่ากว่าที่ตั้งไว้ (ใช้กับ cron หรือ systemd timer)"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="วันที่ถือเป็นวันนี้ รูปแบบ YYYY-MM-DD (ค่าเริ่มต้น: วันนี้)"
        )
        parser.add_argument(
            "--keep-days",
            type=int,
            default=None,
            help="เก็บบันทึกงานและไฟล์ไว้กี่วัน (ค่าเริ่มต้น: PHAEN_TASK_KEEP_DAYS)",
        )

    def handle(self, *args, date=None, keep_days=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as error:
            raise CommandError("วันที่ต้องอยู่ในรูปแบบ YYYY-MM-DD") from error
        keep = settings.PHAEN_TASK_KEEP_DAYS if keep_days is None else keep_days
        if keep < 1:
            raise CommandError("จำนวนวันที่เก็บต้องไม่น้อยกว่า 1")
        for record in reminders_schedule(today=today):
            self.stdout.write(
                f"สั่งส่งแจ้งเตือน: {record.title} [{record.get_state_display()}]"
            )
        dead = task_records_expire()
        if dead:
            self.stdout.write(f"งานเบื้องหลังที่หยุดกลางคัน {dead} รายการ: บันทึกว่าไม่สำเร็จ")
        tasks = task_records_prune(days=keep)
        documents, files = document_jobs_prune(days=keep)
        uploads = clean_uploads()
        kept = kept_evidence_prune()
        self.stdout.write(
            self.style.SUCCESS(
                f"ลบบันทึกงานเบื้องหลัง {tasks} รายการ งานสร้างเอกสาร {documents} รายการ "
                f"ไฟล์เอกสาร {files} ไฟล์ ไฟล์อัปโหลดค้าง {uploads} ไฟล์ "
                f"ไฟล์หลักฐานที่แนบค้างไว้ {kept} ไฟล์"
            )
        )
