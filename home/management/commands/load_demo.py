import os

from django.core.management.base import BaseCommand

from home.demo import load_demo


class Command(BaseCommand):
    help = (
        "โหลดสำนักงานตัวอย่างและบัญชีผู้ใช้ตัวอย่าง รันซ้ำได้: สร้างเฉพาะส่วนที่ยังไม่มี"
        " ไม่ลบหรือแก้ข้อมูลที่มีอยู่ (ใช้ --reset เพื่อล้างสำนักงานตัวอย่างแล้วโหลดใหม่)"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("PHAEN_DEMO_PASSWORD", "phaen-demo"),
            help="รหัสผ่านของบัญชีตัวอย่างที่สร้างใหม่ (หรือทุกบัญชีเมื่อใช้ --reset)",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="ลบข้อมูลทั้งหมดของสำนักงานตัวอย่าง (รวมข้อมูลที่ผู้ใช้เพิ่ม) แล้วโหลดใหม่",
        )

    def handle(self, *args, password: str, reset: bool, **options):
        result = load_demo(password=password, reset=reset)
        if reset:
            self.stdout.write(
                self.style.SUCCESS("ล้างและโหลดข้อมูลสำนักงานตัวอย่างใหม่เรียบร้อย")
            )
        elif result.built:
            self.stdout.write(self.style.SUCCESS("โหลดข้อมูลสำนักงานตัวอย่างเรียบร้อย"))
        else:
            self.stdout.write(
                "สำนักงานตัวอย่างมีข้อมูลอยู่แล้ว จึงไม่เปลี่ยนแปลงข้อมูลเดิม"
                " (สร้างเฉพาะส่วนที่ขาด; ใช้ --reset เพื่อล้างแล้วโหลดใหม่)"
            )
        if result.skipped_rows:
            self.stdout.write(
                f"ข้ามข้อมูลตั้งต้น {result.skipped_rows} แถวที่ขัดกับข้อมูลที่ผู้ใช้บันทึกไว้"
            )
        self.stdout.write(f"บัญชีผู้ใช้ตัวอย่าง (รหัสผ่านของบัญชีที่สร้างใหม่: {password})")
        for demo, person, fresh in result.users:
            name = person.full_name if person is not None else "-"
            note = "" if fresh else "  (บัญชีเดิม ไม่เปลี่ยนรหัสผ่าน)"
            self.stdout.write(f"  {demo.username:<16} {demo.role:<28} {name}{note}")
