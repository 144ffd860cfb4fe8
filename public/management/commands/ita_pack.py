"""``manage.py ita_pack --office สพป.ยโสธร เขต 2 --fiscal-year 2569 --output pack.zip``

The office's ITA disclosure pack of a year, laid out here (a command may take
the time a web request may not): the documents not stored yet are rendered
and stored (``reports.documents.cached_pdf``), so the public page then
serves them too. Works whether or not the office publishes its page: the
pack is what it files on its own website.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from core.models import Organization
from plans.models import Plan
from public import exports, selectors
from public.models import PublicOffice

ERROR_OFFICE = "ไม่พบสำนักงาน {office}"
ERROR_PLAN = "สำนักงานนี้ยังไม่มีแผนที่อนุมัติแล้วของปีงบประมาณ พ.ศ. {year}"


class Command(BaseCommand):
    help = "สร้างชุดเอกสารเผยแพร่ตามเกณฑ์ ITA ของสำนักงานหนึ่งปีงบประมาณ (ไฟล์ .zip)"

    def add_arguments(self, parser):
        parser.add_argument(
            "--office", required=True, help="ชื่อย่อ ชื่อที่อยู่หน้าเผยแพร่ หรือรหัสสำนักงาน"
        )
        parser.add_argument("--fiscal-year", type=int, required=True)
        parser.add_argument("--output", required=True, help="ไฟล์ .zip ที่จะเขียน")

    def handle(self, *args, office, fiscal_year, output, **options):
        match = Q(short_name=office) | Q(public_office__slug=office)
        if office.isdigit():
            match |= Q(pk=int(office))
        organization = Organization.objects.filter(match).first()
        if organization is None:
            raise CommandError(ERROR_OFFICE.format(office=office))
        plan = Plan.objects.filter(
            organization=organization,
            fiscal_year=fiscal_year,
            status=Plan.Status.APPROVED,
        ).first()
        if plan is None:
            raise CommandError(ERROR_PLAN.format(year=fiscal_year))
        public = PublicOffice.objects.filter(organization=organization).first()
        if public is None:  # not published: the pack's name uses the pk
            public = PublicOffice(organization=organization, slug=str(organization.pk))
        year = selectors.public_year(public, plan)
        try:
            content = exports.ita_pack(year, render=True)
        except LookupError as error:
            raise CommandError(str(error)) from error
        Path(output).write_bytes(content)
        self.stdout.write(f"เขียน {output} ({len(content):,} ไบต์)")
