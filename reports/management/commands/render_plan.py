from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.documents import plan_book_pdf
from reports.management.commands._office import add_common_arguments, office_from
from reports.selectors import plan_for

ERROR_NO_PLAN = "ไม่พบแผนปฏิบัติการปีงบประมาณ {year} ของ {office}"


class Command(BaseCommand):
    help = "พิมพ์เล่มแผนปฏิบัติการประจำปีเป็น PDF (ไฟล์เดียวกับที่ดาวน์โหลดจากเว็บ)"

    def add_arguments(self, parser):
        add_common_arguments(parser)

    def handle(self, *args, fiscal_year, office, digits, output, **options):
        organization = office_from(office)
        plan = plan_for(organization, fiscal_year)
        if plan is None:
            raise CommandError(
                ERROR_NO_PLAN.format(year=fiscal_year, office=organization)
            )
        content = plan_book_pdf(plan, digits)
        Path(output).write_bytes(content)
        self.stdout.write(f"เขียน {output} แล้ว ({len(content):,} ไบต์)")
