"""``manage.py generate_network --offices 245``: scale data for benchmarks."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from core.thai import current_fiscal_year
from network.services import generate_network


class Command(BaseCommand):
    help = "สร้างข้อมูลเครือข่ายสำนักงานจำลองสำหรับทดสอบประสิทธิภาพ"

    def add_arguments(self, parser):
        parser.add_argument("--offices", type=int, default=245)
        parser.add_argument("--projects", type=int, default=60)
        parser.add_argument("--activities", type=int, default=400)
        parser.add_argument("--lines", type=int, default=5, help="ต่อกิจกรรม")
        parser.add_argument(
            "--fiscal-year",
            type=int,
            default=None,
            help="ค่าเริ่มต้น: ปีงบประมาณที่แล้ว (ครบ 4 รอบรายงาน)",
        )

    def handle(self, *args, **options):
        if options["offices"] < 1 or options["projects"] < 1:
            raise CommandError("จำนวนสำนักงานและโครงการต้องมากกว่า 0")
        fiscal_year = options["fiscal_year"] or current_fiscal_year() - 1
        started = time.perf_counter()
        made = generate_network(
            offices=options["offices"],
            fiscal_year=fiscal_year,
            today=timezone.localdate(),
            projects=options["projects"],
            activities=options["activities"],
            lines_per_activity=options["lines"],
        )
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"สร้างเครือข่าย ปีงบประมาณ {fiscal_year}: {made.offices} สำนักงาน, "
            f"{made.projects} โครงการ, {made.activities} กิจกรรม, "
            f"{made.cost_lines} รายการค่าใช้จ่าย, {made.disbursements} การเบิกจ่าย, "
            f"{made.reports} รายงานความก้าวหน้า, {made.policy_links} การเชื่อมโยงนโยบาย, "
            f"{made.indicators} ตัวชี้วัด ({made.results} ผลการดำเนินงาน) "
            f"และตัวเลขสรุปรายสำนักงาน ใน {seconds:.1f} วินาที"
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_size_pretty(pg_database_size(current_database()))"
                )
                self.stdout.write(f"ขนาดฐานข้อมูล {cursor.fetchone()[0]}")
