from excel.emenscr import emenscr_workbook
from excel.management.commands import _common


class Command(_common.PlanWorkbookCommand):
    help = (
        "ส่งออกข้อมูลโครงการของปีงบประมาณเป็นไฟล์ Excel ตามหน้าจอกรอกของระบบ eMENSCR "
        "(แผ่นแรกคือโครงการที่ยังขาดข้อมูลที่ eMENSCR บังคับ)"
    )
    workbook = emenscr_workbook
    done = "ส่งออกข้อมูล eMENSCR ปีงบประมาณ {year} ไปที่ {output}"
