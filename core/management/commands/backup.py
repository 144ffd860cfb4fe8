from pathlib import Path

from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, create_backup, default_backup_path

NOT_IN_ARCHIVE = (
    "ไฟล์หลักฐานเก็บอยู่ในที่เก็บไฟล์ร่วม (PHAEN_STORAGE) ไม่ได้อยู่ในไฟล์สำรองนี้"
    " ต้องสำรองที่เก็บไฟล์นั้นแยกต่างหากในเวลาเดียวกัน"
    " (ดู README หัวข้อ Running for many offices)"
)


class Command(BaseCommand):
    help = (
        "สำรองฐานข้อมูลและไฟล์หลักฐานทั้งหมด (MEDIA_ROOT) ไว้ในไฟล์ .tar.gz"
        " ไฟล์เดียว (ค่าเริ่มต้น var/backups/)"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="ไฟล์ปลายทาง (.tar.gz)")

    def handle(self, *args, file=None, **options):
        path = Path(file) if file else default_backup_path()
        try:
            manifest = create_backup(path)
        except (BackupError, OSError) as error:
            raise CommandError(f"สำรองข้อมูลไม่สำเร็จ: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"สำรองข้อมูลแล้ว: {path} (ฐานข้อมูล และไฟล์ {len(manifest['files'])} ไฟล์)"
            )
        )
        if not isinstance(storages["default"], FileSystemStorage):
            # PHAEN_STORAGE=s3: the evidence is in the bucket, not MEDIA_ROOT.
            # By class, not by the BACKEND string: core.storage's local
            # backend is a FileSystemStorage under another name.
            self.stderr.write(self.style.WARNING(NOT_IN_ARCHIVE))
