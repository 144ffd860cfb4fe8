from django.core.management.base import BaseCommand

from excel.disbursements import disbursement_import
from excel.management.commands import _common


class Command(BaseCommand):
    help = "นำเข้าการเบิกจ่ายจากชีตของกลุ่มการเงิน (ทั้งหมดหรือไม่บันทึกเลย)"

    def add_arguments(self, parser):
        _common.add_arguments(parser)

    def handle(self, *args, **options):
        result = disbursement_import(
            source=options["file"],
            organization=_common.organization_from(options["organization"]),
            fiscal_year=options["fiscal_year"],
            dry_run=options["dry_run"],
        )
        _common.report(self, result, options["dry_run"])
