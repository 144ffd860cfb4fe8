"""Shared by the import and export commands: find the office, print errors
or counts, write a plan's workbook."""

from django.core.management.base import BaseCommand, CommandError

from core import xlsx
from core.models import Organization
from excel.importer import OVERRIDE_REASON
from plans.models import Plan

ERROR_WHICH_OFFICE = 'มีหลายสำนักงานในระบบ กรุณาระบุ --organization เช่น "สพป.ยโสธร เขต 2"'
ERROR_NO_OFFICE = "ไม่พบสำนักงาน “{name}”"


def add_arguments(parser) -> None:
    parser.add_argument("file", help="ไฟล์ .xlsx หรือ .ods")
    parser.add_argument("--fiscal-year", type=int, required=True, help="ปีงบประมาณ พ.ศ.")
    add_office_argument(parser)
    parser.add_argument("--dry-run", action="store_true", help="ตรวจสอบอย่างเดียว ไม่บันทึก")


def add_office_argument(parser) -> None:
    parser.add_argument(
        "--organization",
        "--office",
        dest="organization",
        help="ชื่อย่อหรือรหัส (ID) สำนักงาน เช่น สพป.ยโสธร เขต 2",
    )


def organization_from(name: str | None) -> Organization:
    if name:
        office = Organization.objects.filter(short_name=name).first()
        if office is None and name.isdigit():
            office = Organization.objects.filter(pk=int(name)).first()
        if office is None:
            raise CommandError(ERROR_NO_OFFICE.format(name=name))
        return office
    offices = list(Organization.objects.all()[:2])
    if len(offices) != 1:
        raise CommandError(ERROR_WHICH_OFFICE)
    return offices[0]


def report(command, result, dry_run: bool) -> None:
    """Print the Thai error list (and fail) or the counts."""
    if result.errors:
        for error in result.errors:
            command.stderr.write(str(error))
        raise CommandError(f"พบข้อผิดพลาด {len(result.errors)} รายการ ไม่ได้บันทึกข้อมูลใด ๆ")
    for count in result.counts:
        command.stdout.write(
            f"{count.sheet}: สร้างใหม่ {count.created} แก้ไข {count.updated} "
            f"ไม่เปลี่ยนแปลง {count.unchanged} ลบ {count.deleted}"
        )
    if dry_run:
        command.stdout.write("ตรวจสอบเรียบร้อย (--dry-run: ยังไม่ได้บันทึก)")
    else:
        command.stdout.write(command.style.SUCCESS("นำเข้าเรียบร้อย"))


def report_plan(command, result, dry_run: bool) -> None:
    """The plan import: the errors (and fail), else the diff against the
    database sheet by sheet, the envelope warnings, and what was done."""
    if result.errors:
        for error in result.errors:
            command.stderr.write(str(error))
        raise CommandError(f"พบข้อผิดพลาด {len(result.errors)} รายการ ไม่ได้บันทึกข้อมูลใด ๆ")
    for line in diff_lines(result):
        command.stdout.write(line)
    for warning in result.warnings:
        command.stdout.write(f"คำเตือน: {warning}")
    for warning in result.rate_warnings:
        command.stdout.write(f"ข้อสังเกต: {warning}")
    if dry_run:
        command.stdout.write("ตรวจสอบเรียบร้อย (--dry-run: ยังไม่ได้บันทึก)")
    elif result.unchanged:
        command.stdout.write("ไม่มีการเปลี่ยนแปลง ไม่ได้บันทึกข้อมูลใด ๆ")
    else:
        if result.overridden:
            command.stdout.write(f"บันทึกแล้วแม้เกินกรอบวงเงิน ({OVERRIDE_REASON})")
        command.stdout.write(command.style.SUCCESS("นำเข้าเรียบร้อย"))


def diff_lines(result) -> list[str]:
    """The diff as the preview shows it, in lines of text."""
    if not result.has_changes:
        lines = ["ไม่มีการเปลี่ยนแปลง"]
    else:
        lines = []
        if result.plan_created:
            lines.append("จะสร้างแผนปฏิบัติการปีงบประมาณนี้ใหม่")
    for count in result.counts:
        if not (count.total or count.deleted or count.kept):
            continue
        lines.append(
            f"{count.sheet}: สร้างใหม่ {count.created} แก้ไข {count.updated} "
            f"ไม่เปลี่ยนแปลง {count.unchanged} ลบ {count.deleted}"
            + (f" ไม่อยู่ในไฟล์ (คงไว้) {count.kept}" if count.kept else "")
        )
        for row in count.added_rows:
            lines.append(f"  + {row.key}")
        for row in count.changed_rows:
            lines.append(f"  ~ {row.key}")
            for change in row.changes:
                lines.append(f"      {change.label}: {change.old} → {change.new}")
        for row in count.removed_rows:
            lines.append(f"  - {row.key} (จะถูกลบเมื่อยืนยัน)")
        for row in count.kept_rows:
            lines.append(f"  = {row.key} (ไม่อยู่ในไฟล์ ไม่ลบ คงไว้ตามเดิม)")
    return lines


ERROR_NO_PLAN = "ไม่พบแผนปีงบประมาณ {year} ของ {office}"


class PlanWorkbookCommand(BaseCommand):
    """Writes one workbook of an office's plan for a fiscal year: the plan
    export and the eMENSCR workbook differ only in the book and the words.
    ``workbook(plan)``: the book; ``done``: the message, with ``{year}`` and
    ``{output}``."""

    workbook = None
    done = ""

    def add_arguments(self, parser):
        parser.add_argument(
            "--fiscal-year", type=int, required=True, help="ปีงบประมาณ พ.ศ."
        )
        parser.add_argument("--output", required=True, help="ไฟล์ .xlsx ที่จะเขียน")
        add_office_argument(parser)

    def handle(self, *args, **options):
        office = organization_from(options["organization"])
        year = options["fiscal_year"]
        plan = Plan.objects.filter(organization=office, fiscal_year=year).first()
        if plan is None:
            raise CommandError(ERROR_NO_PLAN.format(year=year, office=office))
        with open(options["output"], "wb") as handle:
            handle.write(xlsx.to_bytes(type(self).workbook(plan)))
        self.stdout.write(
            self.style.SUCCESS(self.done.format(year=year, output=options["output"]))
        )
