from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from progress.models import ReportingRound
from reports.documents import progress_pdf
from reports.management.commands._office import add_common_arguments, office_from

ERROR_NO_ROUND = "ไม่พบรอบการรายงานที่ {number} ปีงบประมาณ {year} ของ {office}"


class Command(BaseCommand):
    help = "พิมพ์รายงานความก้าวหน้ารอบ 3/6/9/12 เดือนเป็น PDF"

    def add_arguments(self, parser):
        add_common_arguments(parser)
        parser.add_argument(
            "--round",
            type=int,
            required=True,
            dest="number",
            help="1–4 หรือ 3, 6, 9, 12 (เดือน)",
        )

    def handle(self, *args, fiscal_year, office, digits, output, number, **options):
        organization = office_from(office)
        # 6, 9 and 12 are months; 1–4 (and so 3) are round numbers.
        if number in (6, 9, 12):
            number //= 3
        reporting_round = (
            ReportingRound.objects.select_related("organization")
            .filter(organization=organization, fiscal_year=fiscal_year, number=number)
            .first()
        )
        if reporting_round is None:
            raise CommandError(
                ERROR_NO_ROUND.format(
                    number=number, year=fiscal_year, office=organization
                )
            )
        content = progress_pdf(reporting_round, digits)
        Path(output).write_bytes(content)
        self.stdout.write(f"เขียน {output} แล้ว ({len(content):,} ไบต์)")
