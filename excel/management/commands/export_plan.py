from excel.export import plan_workbook
from excel.management.commands import _common


class Command(_common.PlanWorkbookCommand):
    help = (
        "ส่งออกแผนปฏิบัติการทั้งสำนักงาน (ทิศทาง ตัวชี้วัด กรอบวงเงิน ค่าใช้จ่ายดำเนินงาน "
        "และโครงการ) เป็นไฟล์ Excel ที่นำเข้ากลับได้"
    )
    workbook = plan_workbook
    done = "ส่งออกแผนปีงบประมาณ {year} ไปที่ {output}"
