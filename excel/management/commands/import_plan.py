from django.core.management.base import BaseCommand

from excel.importer import plan_import
from excel.management.commands import _common


class Command(BaseCommand):
    help = "นำเข้าแผนปฏิบัติการจากไฟล์ Excel ตามแบบฟอร์ม (ทั้งหมดหรือไม่บันทึกเลย)"

    def add_arguments(self, parser):
        _common.add_arguments(parser)
        parser.add_argument(
            "--override-budget-rules",
            action="store_true",
            help=("ยืนยันนำเข้าแม้เกินกรอบวงเงิน (บันทึกการยืนยันและคำเตือนไว้ในประวัติการแก้ไข)"),
        )

    def handle(self, *args, **options):
        result = plan_import(
            source=options["file"],
            organization=_common.organization_from(options["organization"]),
            fiscal_year=options["fiscal_year"],
            dry_run=options["dry_run"],
            override_budget_rules=options["override_budget_rules"],
        )
        _common.report_plan(self, result, options["dry_run"])
