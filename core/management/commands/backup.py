from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, create_backup, default_backup_path


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
