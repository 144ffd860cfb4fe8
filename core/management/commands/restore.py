import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore_database


class Command(BaseCommand):
    help = "กู้คืนฐานข้อมูลจากไฟล์สำรอง (ข้อมูลปัจจุบันจะถูกแทนที่ทั้งหมด)"

    def add_arguments(self, parser):
        parser.add_argument("file", help="ไฟล์สำรองข้อมูล")
        parser.add_argument("--yes", action="store_true", help="ไม่ต้องถามยืนยัน")

    def handle(self, *args, file: str, yes: bool, **options):
        if not yes:
            answer = input("ข้อมูลปัจจุบันจะถูกแทนที่ทั้งหมด พิมพ์ yes เพื่อยืนยัน: ")
            if answer.strip().lower() != "yes":
                raise CommandError("ยกเลิกการกู้คืน")
        try:
            restore_database(Path(file))
        except (BackupError, OSError, subprocess.CalledProcessError) as error:
            raise CommandError(f"กู้คืนไม่สำเร็จ: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"กู้คืนข้อมูลจาก {file} แล้ว"))
