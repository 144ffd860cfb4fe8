import datetime
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.backup import BackupError, open_backup, restore_backup


def _when(created_at: str) -> str:
    """The manifest's ISO time as local time, as people read it."""
    try:
        moment = datetime.datetime.fromisoformat(created_at)
    except ValueError:
        return created_at or "-"
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%d/%m/%Y %H:%M")


class Command(BaseCommand):
    help = (
        "กู้คืนฐานข้อมูลและไฟล์หลักฐานจากไฟล์สำรอง (ข้อมูลปัจจุบันจะถูกแทนที่ทั้งหมด"
        " และไฟล์ใน MEDIA_ROOT ที่ไม่มีในไฟล์สำรองจะถูกลบ)"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="ไฟล์สำรองข้อมูล (.tar.gz)")
        parser.add_argument("--yes", action="store_true", help="ไม่ต้องถามยืนยัน")

    def handle(self, *args, file: str, yes: bool, **options):
        with tempfile.TemporaryDirectory(prefix="phaen-restore-") as folder:
            # Check the whole file before asking, and before touching anything.
            try:
                backup = open_backup(Path(file), Path(folder))
            except (BackupError, OSError) as error:
                raise CommandError(f"กู้คืนไม่สำเร็จ: {error}") from error
            if not yes:
                self._confirm(backup)
            try:
                restore_backup(backup)
            except (BackupError, OSError) as error:
                raise CommandError(f"กู้คืนไม่สำเร็จ: {error}") from error
        if backup.files is None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"กู้คืนฐานข้อมูลจาก {file} แล้ว (ไฟล์รูปแบบเดิมไม่มีไฟล์หลักฐาน"
                    " ไฟล์ใน MEDIA_ROOT จึงไม่ถูกเปลี่ยน)"
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"กู้คืนข้อมูลจาก {file} แล้ว (ฐานข้อมูล และไฟล์ {len(backup.files)} ไฟล์)"
                )
            )

    def _confirm(self, backup) -> None:
        if backup.files is None:
            warning = (
                "ข้อมูลปัจจุบันในฐานข้อมูลจะถูกแทนที่ทั้งหมด"
                " (ไฟล์นี้เป็นรูปแบบเดิม มีเฉพาะฐานข้อมูล ไฟล์หลักฐานจะไม่ถูกเปลี่ยน)"
            )
        else:
            warning = (
                f"ข้อมูลปัจจุบันในฐานข้อมูลจะถูกแทนที่ทั้งหมดด้วยข้อมูลที่สำรองเมื่อ"
                f" {_when(backup.created_at)} และไฟล์ใน {settings.MEDIA_ROOT}"
                f" จะถูกแทนที่ด้วยไฟล์ {len(backup.files)} ไฟล์ในไฟล์สำรอง"
                " ไฟล์ที่ไม่มีในไฟล์สำรองจะถูกลบ"
            )
        try:
            answer = input(f"{warning}\nพิมพ์ yes เพื่อยืนยัน: ")
        except EOFError:
            answer = ""
        if answer.strip().lower() != "yes":
            raise CommandError("ยกเลิกการกู้คืน ข้อมูลไม่ถูกเปลี่ยน")
