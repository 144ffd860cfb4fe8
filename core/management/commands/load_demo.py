import os

from django.core.management.base import BaseCommand

from core.demo import load_demo


class Command(BaseCommand):
    help = "โหลดสำนักงานตัวอย่างและบัญชีผู้ใช้ตัวอย่าง (รันซ้ำได้)"

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("PHAEN_DEMO_PASSWORD", "phaen-demo"),
            help="รหัสผ่านของบัญชีตัวอย่างทุกบัญชี",
        )

    def handle(self, *args, password: str, **options):
        loaded = load_demo(password=password)
        self.stdout.write(self.style.SUCCESS("โหลดข้อมูลสำนักงานตัวอย่างเรียบร้อย"))
        self.stdout.write(f"บัญชีผู้ใช้ตัวอย่าง (รหัสผ่านทุกบัญชี: {password})")
        for demo, person in loaded:
            self.stdout.write(
                f"  {demo.username:<16} {demo.role:<28} {person.full_name}"
            )
