from django.core.management.base import BaseCommand, CommandError

from progress.models import ReportingRound
from progress.services import round_send_reminders


class Command(BaseCommand):
    help = "ส่งอีเมลแจ้งเตือนกลุ่มที่ยังไม่ส่งรายงานความก้าวหน้า (ใช้กับ cron ได้)"

    def add_arguments(self, parser):
        parser.add_argument("--fiscal-year", type=int, required=True, help="เช่น 2570")
        parser.add_argument(
            "--round",
            type=int,
            choices=[1, 2, 3, 4],
            help="รอบที่ 1–4; ไม่ระบุ = รอบที่เปิดอยู่รอบแรกของแต่ละสำนักงาน",
        )
        parser.add_argument("--dry-run", action="store_true", help="แสดงผลโดยไม่ส่งอีเมล")

    def handle(self, *args, fiscal_year, round, dry_run, **options):
        rounds = ReportingRound.objects.filter(fiscal_year=fiscal_year).select_related(
            "organization"
        )
        if round:
            rounds = list(rounds.filter(number=round))
        else:
            earliest_open: dict[int, ReportingRound] = {}
            for item in rounds.open().order_by("number"):
                earliest_open.setdefault(item.organization_id, item)
            rounds = list(earliest_open.values())
        if not rounds:
            raise CommandError(f"ไม่พบรอบการรายงานของปีงบประมาณ {fiscal_year}")
        total = 0
        for reporting_round in rounds:
            for result in round_send_reminders(
                reporting_round=reporting_round, dry_run=dry_run
            ):
                reminder = result.reminder
                to = ", ".join(reminder.recipients) or "(ไม่มีอีเมล)"
                verb = "ส่งแล้ว" if result.sent else "ไม่ได้ส่ง"
                self.stdout.write(
                    f"{reporting_round.organization}: {reminder.group.name} "
                    f"{len(reminder.rows)} โครงการ → {to} [{verb}]"
                )
                total += result.sent
        suffix = " (ทดลอง ไม่ได้ส่งจริง)" if dry_run else ""
        self.stdout.write(self.style.SUCCESS(f"ส่งอีเมลแจ้งเตือน {total} ฉบับ{suffix}"))
