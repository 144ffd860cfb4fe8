from django.core.management.base import BaseCommand, CommandError

from core import xlsx
from excel.emenscr import emenscr_workbook
from excel.management.commands import _common
from plans.models import Plan

ERROR_NO_PLAN = "ไม่พบแผนปีงบประมาณ {year} ของ {office}"


class Command(BaseCommand):
    help = (
        "ส่งออกข้อมูลโครงการของปีงบประมาณเป็นไฟล์ Excel ตามหน้าจอกรอกของระบบ eMENSCR "
        "(แผ่นแรกคือโครงการที่ยังขาดข้อมูลที่ eMENSCR บังคับ)"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fiscal-year", type=int, required=True, help="ปีงบประมาณ พ.ศ."
        )
        parser.add_argument("--output", required=True, help="ไฟล์ .xlsx ที่จะเขียน")
        _common.add_office_argument(parser)

    def handle(self, *args, **options):
        office = _common.organization_from(options["organization"])
        year = options["fiscal_year"]
        plan = Plan.objects.filter(organization=office, fiscal_year=year).first()
        if plan is None:
            raise CommandError(ERROR_NO_PLAN.format(year=year, office=office))
        with open(options["output"], "wb") as handle:
            handle.write(xlsx.to_bytes(emenscr_workbook(plan)))
        self.stdout.write(
            self.style.SUCCESS(
                f"ส่งออกข้อมูล eMENSCR ปีงบประมาณ {year} ไปที่ {options['output']}"
            )
        )
