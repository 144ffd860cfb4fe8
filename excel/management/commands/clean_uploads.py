import datetime

from django.core.management.base import BaseCommand

from excel.uploads import MAX_AGE, clean_uploads, upload_dir


class Command(BaseCommand):
    help = "ลบไฟล์นำเข้า Excel ที่อัปโหลดไว้แต่ไม่ได้ยืนยัน (เก่ากว่า 24 ชั่วโมง)"

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=float,
            default=MAX_AGE.total_seconds() / 3600,
            help="ลบไฟล์ที่เก่ากว่าจำนวนชั่วโมงนี้ (ค่าเริ่มต้น 24)",
        )

    def handle(self, *args, **options):
        removed = clean_uploads(datetime.timedelta(hours=options["hours"]))
        self.stdout.write(f"ลบไฟล์นำเข้าที่ค้างอยู่ {removed} ไฟล์ ใน {upload_dir()}")
