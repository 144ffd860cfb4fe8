"""Shared argument handling of the render_* commands."""

from django.core.management.base import CommandError

from core.models import Organization

ERROR_OFFICE_REQUIRED = (
    'มีหลายสำนักงานในระบบ กรุณาระบุ --office เช่น --office "สพป.ยโสธร เขต 2"'
)
ERROR_OFFICE_UNKNOWN = "ไม่พบสำนักงาน “{office}”"


def add_common_arguments(parser) -> None:
    parser.add_argument("--fiscal-year", type=int, required=True, help="เช่น 2570")
    parser.add_argument("--office", default="", help="ชื่อย่อหรือรหัสสำนักงาน")
    parser.add_argument("--digits", choices=["thai", "arabic"], default="thai")
    parser.add_argument("--output", required=True, help="ไฟล์ PDF ที่จะเขียน")


def office_from(value: str) -> Organization:
    if not value:
        offices = list(Organization.objects.all()[:2])
        if len(offices) != 1:
            raise CommandError(ERROR_OFFICE_REQUIRED)
        return offices[0]
    office = Organization.objects.filter(short_name=value).first()
    if office is None and value.isascii() and value.isdigit():
        office = Organization.objects.filter(pk=int(value)).first()
    if office is None:
        raise CommandError(ERROR_OFFICE_UNKNOWN.format(office=value))
    return office
