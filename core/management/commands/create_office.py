"""``manage.py create_office``: a real office's first step after ``migrate``.

Interactive by default (Thai prompts, passwords through getpass); with
``--noinput`` every answer comes from the flags and passwords left out are
generated and printed once. The work is ``core.services.office_create``, the
same as the first-run page's.
"""

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.models import Organization
from core.services import office_create

KINDS = {
    "spp": Organization.Kind.PRIMARY,
    "สพป": Organization.Kind.PRIMARY,
    "spm": Organization.Kind.SECONDARY,
    "สพม": Organization.Kind.SECONDARY,
    "other": Organization.Kind.OTHER,
}
#: The text answers asked for, in order: (option, prompt, required).
QUESTIONS = [
    ("name", "ชื่อเต็มของสำนักงาน (เช่น สำนักงานเขตพื้นที่การศึกษาประถมศึกษายโสธร เขต 2)", True),
    ("short_name", "ชื่อย่อ (เช่น สพป.ยโสธร เขต 2)", True),
    ("kind", "ประเภท: spp = สพป., spm = สพม., other = หน่วยงานอื่น", True),
    ("address", "ที่อยู่ (เว้นว่างได้)", False),
    ("admin_username", "ชื่อผู้ใช้ของผู้ดูแลระบบของสำนักงาน", True),
    ("admin_name", "ชื่อ-นามสกุลของผู้ดูแลระบบ (เว้นว่างได้)", False),
    ("planner_username", "ชื่อผู้ใช้ของนักวิเคราะห์นโยบายและแผน", True),
    ("planner_name", "ชื่อ-นามสกุลของนักวิเคราะห์นโยบายและแผน (เว้นว่างได้)", False),
]


class Command(BaseCommand):
    help = (
        "สร้างสำนักงานใหม่ พร้อมกลุ่มมาตรฐาน บัญชีผู้ดูแลระบบของสำนักงาน"
        " และบัญชีนักวิเคราะห์นโยบายและแผน (ใช้หลัง migrate ในการติดตั้งจริง)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", help="ชื่อเต็มของสำนักงาน")
        parser.add_argument("--short-name", help="ชื่อย่อ เช่น สพป.ยโสธร เขต 2")
        parser.add_argument(
            "--kind", help="ประเภท: spp (สพป.), spm (สพม.) หรือ other; ค่าเริ่มต้น spp"
        )
        parser.add_argument("--address", default="", help="ที่อยู่")
        parser.add_argument("--admin-username", help="ชื่อผู้ใช้ของผู้ดูแลระบบ")
        parser.add_argument("--admin-name", default="", help="ชื่อของผู้ดูแลระบบ")
        parser.add_argument("--planner-username", help="ชื่อผู้ใช้ของนักวิเคราะห์นโยบายและแผน")
        parser.add_argument(
            "--planner-name", default="", help="ชื่อของนักวิเคราะห์นโยบายและแผน"
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="ไม่ถามคำถาม: ใช้ค่าจากตัวเลือก และสร้างรหัสผ่านให้ (แสดงครั้งเดียว)",
        )

    def handle(self, *args, interactive: bool, **options):
        answers = {
            option: (options.get(option) or "").strip() for option, _, _ in QUESTIONS
        }
        passwords = {"admin_password": None, "planner_password": None}
        if interactive:
            try:
                self._ask(answers, passwords)
            except (EOFError, KeyboardInterrupt):
                raise CommandError(
                    "ยกเลิกแล้ว ยังไม่ได้สร้างสำนักงาน (ใช้ --noinput พร้อมตัวเลือกเมื่อรันจากสคริปต์)"
                ) from None
        kind_text = (answers["kind"] or "spp").strip().rstrip(".").lower()
        kind = KINDS.get(kind_text, kind_text)
        try:
            created = office_create(
                name=answers["name"],
                short_name=answers["short_name"],
                kind=kind,
                address=answers["address"],
                admin_username=answers["admin_username"],
                admin_name=answers["admin_name"],
                planner_username=answers["planner_username"],
                planner_name=answers["planner_name"],
                **passwords,
            )
        except ValidationError as error:
            raise CommandError(
                "สร้างสำนักงานไม่สำเร็จ: " + " ".join(error.messages)
            ) from None
        self._report(created)

    def _ask(self, answers: dict, passwords: dict) -> None:
        self.stdout.write("สร้างสำนักงานใหม่ (กด Enter เพื่อใช้ค่าในวงเล็บ)")
        for option, prompt, required in QUESTIONS:
            while not answers[option]:
                default = "spp" if option == "kind" else ""
                suffix = f" [{default}]" if default else ""
                answers[option] = input(f"{prompt}{suffix}: ").strip() or default
                if answers[option] or not required:
                    break
                self.stderr.write("  ต้องกรอกข้อนี้")
        for field, label in (
            ("admin_password", "ผู้ดูแลระบบ"),
            ("planner_password", "นักวิเคราะห์นโยบายและแผน"),
        ):
            while True:
                first = getpass.getpass(f"รหัสผ่านของ{label} (เว้นว่างเพื่อให้ระบบสร้างให้): ")
                if not first:
                    break
                if getpass.getpass("พิมพ์รหัสผ่านอีกครั้ง: ") == first:
                    passwords[field] = first
                    break
                self.stderr.write("  รหัสผ่านสองครั้งไม่ตรงกัน กรุณาพิมพ์ใหม่")

    def _report(self, created) -> None:
        office = created.organization
        done = f"สร้างสำนักงาน {office.short_name} พร้อมกลุ่มมาตรฐาน {created.groups} กลุ่มแล้ว"
        self.stdout.write(self.style.SUCCESS(done))
        for person, password, role in (
            (created.admin, created.admin_password, "ผู้ดูแลระบบ"),
            (created.planner, created.planner_password, "นโยบายและแผน"),
        ):
            line = f"  {person.user.username:<20} {role}"
            if password:
                line += f"  รหัสผ่าน: {password}"
            self.stdout.write(line)
        if created.admin_password or created.planner_password:
            self.stdout.write(
                "รหัสผ่านที่ระบบสร้างแสดงครั้งนี้ครั้งเดียว กรุณาจดไว้ และเปลี่ยนรหัสผ่านหลังเข้าระบบครั้งแรก"
            )
