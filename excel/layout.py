"""The plan workbook layout: every sheet and column, declared once.

The downloadable template, the plan export and the importer all read these
declarations, so a header renamed here is renamed everywhere and an exported
workbook always imports back.
"""

from core.thai import FISCAL_MONTHS, THAI_MONTHS_ABBR
from core.xlsx import CHECK, Column, Kind, Sheet
from plans.models import PolicyItem
from projects.models import VIREMENT_WORDINGS

PROJECT_CODE = Column(
    "project",
    "รหัสโครงการ",
    Kind.CODE,
    max_length=30,
    required=True,
    width=14,
    help="รหัสในชีต 'โครงการ'",
)
ACTIVITY_NO = Column(
    "activity",
    "ลำดับกิจกรรม",
    Kind.INT,
    required=True,
    width=10,
    help="ลำดับในชีต 'กิจกรรม'",
)

#: Month columns of the activity grid, October first: (key, header, month number).
MONTH_COLUMNS = tuple(
    (f"m{index + 1:02d}", THAI_MONTHS_ABBR[month - 1], month)
    for index, month in enumerate(FISCAL_MONTHS)
)

KIND_CHOICES = {"โครงการใหม่": "new", "โครงการต่อเนื่อง": "continuing"}
#: the printed wording is the stored value (projects.models.VIREMENT_WORDINGS)
VIREMENT_CHOICES = {label: value for value, label in VIREMENT_WORDINGS}
TARGET_KIND_CHOICES = {"เชิงปริมาณ": "quantitative", "เชิงคุณภาพ": "qualitative"}
RESULT_KIND_CHOICES = {"ผลผลิต": "output", "ผลลัพธ์": "outcome"}
NATURE_CHOICES = {"เชิงปริมาณ": "quantitative", "เชิงคุณภาพ": "qualitative"}
UNIT_CHOICES = {
    "ร้อยละ": "percent",
    "จำนวน": "count",
    "ระดับ": "level",
    "คะแนน": "score",
    "ข้อความ": "text",
    "ระดับความสำเร็จ": "success",
}
UNIT_HELP = "ร้อยละ จำนวน ระดับ คะแนน ข้อความ หรือ ระดับความสำเร็จ (5 ระดับ มีเกณฑ์ทุกระดับ)"
#: A success-level indicator's five criteria (issue 21 item 5): one column a
#: level at the end of the row; its target is the level (1–5) in ค่าเป้าหมาย.
#: Optional: a workbook made from an older template has none.
LEVEL_COLUMNS = tuple(
    Column(
        f"criterion_{level}",
        f"เกณฑ์ระดับ {level}",
        max_length=1000,
        width=25,
        optional=True,
        help="เฉพาะหน่วยวัด “ระดับความสำเร็จ”: เกณฑ์ของระดับนี้ "
        "(กรอกครบ 5 ระดับ ค่าเป้าหมายเป็นระดับ 1 ถึง 5)",
    )
    for level in (1, 2, 3, 4, 5)
)


#: The column a model validation error is reported in (else ค่าเป้าหมาย).
ERROR_COLUMNS = {"target_text": "target_text", "level_criteria": "criterion_1"}


def level_criteria(values: dict) -> list[str]:
    """The five criterion cells of a row as the model's list (empty = none)."""
    texts = [(values.get(column.key) or "").strip() for column in LEVEL_COLUMNS]
    return texts if any(texts) else []


def level_cells(criteria: list[str]) -> dict:
    """The model's criteria list as the row's five criterion cells."""
    texts = list(criteria or [])
    return {
        column.key: texts[index] if index < len(texts) else ""
        for index, column in enumerate(LEVEL_COLUMNS)
    }


COMPARISON_CHOICES = {"ไม่น้อยกว่า": "gte", "ไม่เกิน": "lte", "เท่ากับ": "eq"}
USES_BUDGET_YES = "ใช้งบประมาณ"
USES_BUDGET_NO = "ไม่ใช้งบประมาณ"

PROJECTS = Sheet(
    "โครงการ",
    (
        Column(
            "code",
            "รหัสโครงการ",
            Kind.CODE,
            max_length=30,
            required=True,
            width=14,
            help="รหัสไม่ซ้ำในแผน เช่น 70-001 ใช้จับคู่เพื่อแก้ไขโครงการเดิม",
        ),
        Column("sequence", "ลำดับ", Kind.INT, width=8),
        Column("name", "ชื่อโครงการ", max_length=500, required=True, width=45),
        Column(
            "group",
            "กลุ่มที่รับผิดชอบ",
            required=True,
            width=32,
            help="ชื่อกลุ่มตามชีต 'รหัสอ้างอิง' ย่อด้วย ฯ ได้ เช่น กลุ่มนิเทศติดตามฯ",
        ),
        Column("budget_plan", "แผนงาน", max_length=255, width=30),
        Column(
            "kind",
            "ลักษณะโครงการ",
            width=16,
            help="โครงการใหม่ หรือ โครงการต่อเนื่อง (เว้นว่างได้เมื่อเอกสารไม่ระบุ)",
        ),
        Column(
            "start_month",
            "เดือนเริ่มต้น",
            Kind.MONTH,
            width=13,
            help="เช่น ต.ค. 2569, ตุลาคม 2569 หรือ 10/2569 "
            "(เว้นว่างทั้งสองเดือนได้เมื่อโครงการไม่ระบุระยะเวลา)",
        ),
        Column("end_month", "เดือนสิ้นสุด", Kind.MONTH, width=13),
        Column("budget_source", "แหล่งงบประมาณ", width=28),
        Column(
            "funding_agency",
            "หน่วยงานที่ให้งบประมาณ",
            max_length=255,
            width=24,
            help="เฉพาะโครงการที่ได้รับงบประมาณจากหน่วยงานอื่น เช่น "
            "สถาบันทดสอบทางการศึกษาแห่งชาติ (สทศ.)",
            # templates made before the column was added still import
            optional=True,
        ),
        Column(
            "uses_budget",
            "ใช้งบประมาณ",
            width=16,
            help="ใช้งบประมาณ หรือ ไม่ใช้งบประมาณ (เว้นว่าง = ใช้)",
        ),
        Column(
            "virement", "ถัวจ่ายทุกรายการ", Kind.FLAG, width=10, help="✓ = ถัวจ่ายทุกรายการ"
        ),
        Column(
            "virement_wording",
            "ข้อความการถัวจ่าย",
            width=20,
            help=" หรือ ".join(VIREMENT_CHOICES) + " (เว้นว่าง = ถัวจ่ายทุกรายการ)",
            # templates made before the column was added still import
            optional=True,
        ),
        Column("strategies", "กลยุทธ์ที่", width=10, help="หมายเลขกลยุทธ์ เช่น 1,3"),
        Column("goals", "เป้าประสงค์ที่", width=10, help="เช่น 1,2"),
        Column("indicators", "ตัวชี้วัดกลยุทธ์", width=12, help="เช่น 1.1, 1.3"),
        Column("rationale", "หลักการและเหตุผล", width=50),
        Column("output_statement", "ผลผลิต (Output)", width=35),
        Column("outcome_statement", "ผลลัพธ์ (Outcome)", width=35),
        Column("location", "สถานที่ดำเนินการ", max_length=500, width=25),
        Column("target_group", "กลุ่มเป้าหมาย", max_length=500, width=25),
        Column(
            "responsibles",
            "ผู้รับผิดชอบ",
            width=30,
            help="ชื่อ-สกุล คั่นด้วยจุลภาค คนแรกเป็นผู้รับผิดชอบหลัก",
        ),
        Column("responsible_note", "ผู้รับผิดชอบ (เพิ่มเติม)", max_length=255, width=20),
    ),
    key=("code",),
    help="หนึ่งแถวต่อหนึ่งโครงการ",
    examples=(
        {
            "code": "ตัวอย่าง-01",
            "sequence": 1,
            "name": "โครงการพัฒนาคุณภาพการจัดการเรียนรู้ภาษาไทย",
            "budget_plan": "พื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพคน",
            "kind": "โครงการใหม่",
            "uses_budget": USES_BUDGET_YES,
            "virement": CHECK,
            "strategies": "1",
            "rationale": "นักเรียนบางส่วนยังอ่านไม่คล่องเขียนไม่คล่อง",
            "output_statement": "ครูภาษาไทย 60 คน ได้รับการพัฒนา",
            "outcome_statement": "นักเรียนอ่านออกเขียนได้เพิ่มขึ้น",
            "location": "สำนักงานเขตพื้นที่การศึกษา",
            "target_group": "ครูผู้สอนภาษาไทยชั้น ป.1–ป.3",
        },
    ),
)

OBJECTIVES = Sheet(
    "วัตถุประสงค์",
    (
        PROJECT_CODE,
        Column("order", "ข้อที่", Kind.INT, required=True, width=8),
        Column("text", "วัตถุประสงค์", required=True, width=70),
    ),
    key=("project", "order"),
    examples=(
        {
            "project": "ตัวอย่าง-01",
            "order": 1,
            "text": "เพื่อพัฒนาครูให้จัดการเรียนรู้ภาษาไทยได้อย่างมีประสิทธิภาพ",
        },
    ),
)

TARGETS = Sheet(
    "เป้าหมาย",
    (
        PROJECT_CODE,
        Column(
            "kind",
            "ประเภท",
            width=14,
            help="เชิงปริมาณ หรือ เชิงคุณภาพ (เว้นว่างได้เมื่อเอกสารไม่ระบุ)",
        ),
        Column("order", "ลำดับ", Kind.INT, required=True, width=8),
        Column("text", "รายละเอียด", required=True, width=60),
        Column("quantity", "จำนวน", Kind.NUMBER, width=12),
        Column("unit", "หน่วยนับ", max_length=50, width=12),
    ),
    key=("project", "kind", "order"),
    examples=(
        {
            "project": "ตัวอย่าง-01",
            "kind": "เชิงปริมาณ",
            "order": 1,
            "text": "ครูผู้สอนภาษาไทย",
            "quantity": 60,
            "unit": "คน",
        },
        {
            "project": "ตัวอย่าง-01",
            "kind": "เชิงคุณภาพ",
            "order": 1,
            "text": "ครูร้อยละ 80 นำความรู้ไปใช้ในห้องเรียน",
        },
    ),
)

EXPECTED_RESULTS = Sheet(
    "ผลที่คาดว่าจะได้รับ",
    (
        PROJECT_CODE,
        Column("order", "ข้อที่", Kind.INT, required=True, width=8),
        Column("text", "ผลที่คาดว่าจะได้รับ", required=True, width=70),
    ),
    key=("project", "order"),
    examples=({"project": "ตัวอย่าง-01", "order": 1, "text": "นักเรียนอ่านออกเขียนได้"},),
)

ACTIVITIES = Sheet(
    "กิจกรรม",
    (
        PROJECT_CODE,
        Column("activity", "ลำดับกิจกรรม", Kind.INT, required=True, width=10),
        Column(
            "parent",
            "กิจกรรมหลักที่",
            Kind.INT,
            width=10,
            help="เว้นว่างถ้าเป็นกิจกรรมหลัก; ใส่ลำดับกิจกรรมหลักถ้าเป็นกิจกรรมย่อย",
        ),
        Column("name", "ชื่อกิจกรรม", required=True, width=45),
        Column("target", "เป้าหมาย", max_length=500, width=25),
        Column("responsible", "ผู้รับผิดชอบ", max_length=255, width=25),
        *(Column(key, header, Kind.FLAG, width=6) for key, header, _ in MONTH_COLUMNS),
        Column(
            "other_months",
            "เดือนนอกปีงบประมาณ",
            width=18,
            help="เดือนที่ดำเนินการนอกปีงบประมาณนี้ คั่นด้วยจุลภาค เช่น มี.ค. 2563",
            # a project may run into the next year (seed 000's 2.11 reports in
            # มีนาคม 2563); the grid has only this year's twelve months
            optional=True,
        ),
        Column("notes", "หมายเหตุ", width=20),
    ),
    key=("project", "activity"),
    help="ทำเครื่องหมาย ✓ ในเดือนที่ดำเนินการ (ต.ค. ถึง ก.ย. ของปีงบประมาณ)",
    examples=(
        {
            "project": "ตัวอย่าง-01",
            "activity": 1,
            "name": "ประชุมเชิงปฏิบัติการ",
            "target": "ครู 60 คน",
            "m02": CHECK,
            "m03": CHECK,
        },
    ),
)

COST_LINES = Sheet(
    "รายการค่าใช้จ่าย",
    (
        PROJECT_CODE,
        ACTIVITY_NO,
        Column(
            "order",
            "ลำดับ",
            Kind.INT,
            width=8,
            help="ลำดับรายการในกิจกรรม เว้นว่างได้ (เรียงตามแถว)",
        ),
        Column(
            "category",
            "หมวดรายจ่าย",
            width=16,
            help="ชื่อหรือรหัสหมวดตามชีต 'รหัสอ้างอิง' เช่น ค่าใช้สอย "
            "เว้นว่างได้เมื่อแหล่งข้อมูลไม่ระบุหมวด",
        ),
        Column("description", "รายการ", max_length=500, required=True, width=35),
        Column("times", "จำนวนครั้ง", Kind.NUMBER, digits=8, width=10),
        Column("times_unit", "หน่วย (ครั้ง)", max_length=30, width=10),
        Column("persons", "จำนวนคน/หน่วย", Kind.NUMBER, digits=8, width=10),
        Column("persons_unit", "หน่วยนับ", max_length=30, width=10),
        Column("days", "จำนวนวัน/มื้อ", Kind.NUMBER, digits=8, width=10),
        Column("days_unit", "หน่วย (วัน/มื้อ)", max_length=30, width=10),
        Column("rate", "อัตรา (บาท)", Kind.MONEY, width=14),
        Column(
            "amount",
            "จำนวนเงิน (บาท)",
            Kind.MONEY,
            width=16,
            help="เว้นว่างได้ ระบบคำนวณ ครั้ง × คน × วัน × อัตรา",
        ),
        Column("note", "หมายเหตุ", max_length=255, width=20),
    ),
    key=("project", "activity", "order"),
    examples=(
        {
            "project": "ตัวอย่าง-01",
            "activity": 1,
            "order": 1,
            "category": "ค่าใช้สอย",
            "description": "ค่าอาหารกลางวัน",
            "times": 1,
            "times_unit": "ครั้ง",
            "persons": 60,
            "persons_unit": "คน",
            "days": 1,
            "days_unit": "มื้อ",
            "rate": 120,
            "amount": 7200,
        },
    ),
)

QUARTERS = Sheet(
    "แผนรายไตรมาส",
    (
        PROJECT_CODE,
        ACTIVITY_NO,
        Column("q1", "ไตรมาส 1 (ต.ค.–ธ.ค.)", Kind.MONEY, width=16),
        Column("q2", "ไตรมาส 2 (ม.ค.–มี.ค.)", Kind.MONEY, width=16),
        Column("q3", "ไตรมาส 3 (เม.ย.–มิ.ย.)", Kind.MONEY, width=16),
        Column("q4", "ไตรมาส 4 (ก.ค.–ก.ย.)", Kind.MONEY, width=16),
    ),
    key=("project", "activity"),
    help="แผนการใช้จ่ายงบประมาณรายไตรมาสของแต่ละกิจกรรม",
    examples=({"project": "ตัวอย่าง-01", "activity": 1, "q1": 7200},),
)

KPIS = Sheet(
    "ตัวชี้วัด",
    (
        PROJECT_CODE,
        Column("order", "ลำดับ", Kind.INT, required=True, width=8),
        Column(
            "result_kind",
            "ประเภทผล",
            width=10,
            help="ผลผลิต หรือ ผลลัพธ์ (เว้นว่างได้เมื่อเอกสารไม่ระบุ)",
        ),
        Column(
            "nature",
            "ลักษณะ",
            width=12,
            help="เชิงปริมาณ หรือ เชิงคุณภาพ (เว้นว่างได้เมื่อเอกสารไม่ระบุ)",
        ),
        Column("name", "ตัวชี้วัด", required=True, width=45),
        Column("unit", "หน่วยวัด", width=10, help=UNIT_HELP),
        Column("unit_label", "หน่วยนับ", max_length=50, width=10),
        Column("comparison", "เงื่อนไข", width=12, help="ไม่น้อยกว่า ไม่เกิน หรือ เท่ากับ"),
        Column("target_value", "ค่าเป้าหมาย", Kind.NUMBER, width=12),
        Column("target_text", "ค่าเป้าหมาย (ข้อความ)", max_length=255, width=20),
        Column("method", "วิธีการประเมิน", max_length=500, width=25),
        Column("instrument", "เครื่องมือที่ใช้", max_length=500, width=25),
        *LEVEL_COLUMNS,
    ),
    key=("project", "order"),
    examples=(
        {
            "project": "ตัวอย่าง-01",
            "order": 1,
            "result_kind": "ผลผลิต",
            "nature": "เชิงปริมาณ",
            "name": "ร้อยละของครูที่เข้ารับการพัฒนา",
            "unit": "ร้อยละ",
            "comparison": "ไม่น้อยกว่า",
            "target_value": 90,
            "method": "ตรวจสอบรายชื่อ",
            "instrument": "แบบลงทะเบียน",
        },
    ),
)

# ---------------------------------------------------------------- office sheets
#
# The direction, the plan indicators, the policy alignment, the envelope and
# the office's running costs, laid out as the office's documents print them
# (ทิศทาง, ตัวชี้วัด/ค่าเป้าหมาย, ความสอดคล้อง, การจัดสรร, ค่าใช้จ่ายดำเนินงาน). They
# are optional on import: a workbook without them (an older template) still
# imports its projects, and an empty sheet leaves its part of the plan alone.

DIRECTION_KIND_CHOICES = {
    "พันธกิจ": "mission",
    "เป้าประสงค์": "goal",
    "กลยุทธ์": "strategy",
}
INDICATOR_DIRECTION_CHOICES = {"ยิ่งสูงยิ่งดี": "higher", "ยิ่งต่ำยิ่งดี": "lower"}
POLICY_KIND_CHOICES = {label: value for value, label in PolicyItem.Kind.choices}

PLAN = Sheet(
    "แผน",
    (
        Column(
            "fiscal_year",
            "ปีงบประมาณ",
            Kind.INT,
            required=True,
            width=12,
            help="ปีงบประมาณ พ.ศ. ของไฟล์นี้ ระบบไม่นำเข้าถ้าไม่ตรงกับปีที่เลือก",
        ),
        Column("title", "ชื่อแผน", max_length=255, width=40),
        Column("vision", "วิสัยทัศน์", width=60),
        Column("announced_on", "วันที่ประกาศใช้", Kind.DATE, width=14),
        Column("signatory", "ผู้ลงนามประกาศ", max_length=255, width=30),
        Column("edition_label", "ฉบับ (ตามเอกสาร)", max_length=100, width=20),
        Column(
            "preamble",
            "ความนำของทิศทาง",
            width=50,
            help="ข้อความนำก่อนวิสัยทัศน์ในประกาศทิศทาง",
            # workbooks made before the column was added still import
            optional=True,
        ),
    ),
    key=("fiscal_year",),
    help="หนึ่งแถว: ปีงบประมาณของไฟล์ วิสัยทัศน์ และข้อมูลการประกาศใช้แผน",
)

DIRECTION = Sheet(
    "ทิศทาง",
    (
        Column(
            "kind",
            "ประเภท",
            required=True,
            width=14,
            help="พันธกิจ เป้าประสงค์ หรือ กลยุทธ์",
        ),
        Column("number", "ข้อที่", Kind.INT, required=True, width=8),
        Column("text", "ข้อความ", required=True, width=70),
        Column(
            "goals",
            "เป้าประสงค์ที่",
            width=12,
            help="เฉพาะกลยุทธ์: เป้าประสงค์ที่เกี่ยวข้อง เช่น 1,2",
        ),
        Column("description", "คำอธิบาย", width=40, help="เฉพาะกลยุทธ์"),
        Column(
            "characteristics",
            "คำอธิบายคุณลักษณะ",
            width=40,
            help="เฉพาะกลยุทธ์: ความหมายของแท็กคุณลักษณะของตัวชี้วัด เช่น S ; Skills หมายถึง …",
            optional=True,
        ),
    ),
    key=("kind", "number"),
    help="พันธกิจ เป้าประสงค์ และกลยุทธ์ของสำนักงาน หนึ่งข้อต่อหนึ่งแถว "
    "(ถ้ามีแถว ทิศทางของแผนจะถูกแทนที่ด้วยไฟล์)",
)

GUIDELINES = Sheet(
    "แนวทางการพัฒนา",
    (
        Column("strategy", "กลยุทธ์ที่", Kind.INT, required=True, width=10),
        Column("number", "ข้อที่", Kind.INT, required=True, width=8),
        Column("text", "แนวทางการพัฒนา", required=True, width=80),
    ),
    key=("strategy", "number"),
    help="แนวทางการพัฒนาของแต่ละกลยุทธ์ หนึ่งข้อต่อหนึ่งแถว",
)

PLAN_INDICATORS = Sheet(
    "ตัวชี้วัดกลยุทธ์",
    (
        Column("strategy", "กลยุทธ์ที่", Kind.INT, required=True, width=10),
        Column("number", "ลำดับ", Kind.INT, required=True, width=8),
        Column("goal", "เป้าประสงค์ที่", Kind.INT, width=10),
        Column("name", "ตัวชี้วัด", required=True, width=60),
        Column("unit", "หน่วยวัด", width=10, help=UNIT_HELP),
        Column("unit_label", "หน่วยนับ", max_length=50, width=10),
        Column("direction", "ทิศทาง", width=12, help="ยิ่งสูงยิ่งดี หรือ ยิ่งต่ำยิ่งดี"),
        Column("baseline_value", "ค่าฐาน", Kind.NUMBER, width=10),
        Column("baseline_text", "ค่าฐาน (ข้อความ)", max_length=255, width=15),
        Column("tags", "คุณลักษณะ", max_length=100, width=10),
        Column(
            "states_target",
            "ข้อความระบุค่าเป้าหมาย",
            Kind.FLAG,
            width=10,
            help="✓ = ชื่อตัวชี้วัดมีค่าเป้าหมายของปีแผนอยู่แล้ว (เล่มแผนไม่พิมพ์ซ้ำ)",
            optional=True,
        ),
        Column(
            "fiscal_year",
            "ปีของค่าเป้าหมาย",
            Kind.INT,
            width=10,
            help="ปี พ.ศ. ของค่าเป้าหมาย; หลายปีใช้หลายแถวที่ข้อมูลตัวชี้วัดเหมือนกัน",
        ),
        Column("comparison", "เงื่อนไข", width=12, help="ไม่น้อยกว่า ไม่เกิน หรือ เท่ากับ"),
        Column("target_value", "ค่าเป้าหมาย", Kind.NUMBER, width=12),
        Column("target_text", "ค่าเป้าหมาย (ข้อความ)", max_length=255, width=20),
        *LEVEL_COLUMNS,
    ),
    key=("strategy", "number", "fiscal_year"),
    help="ตัวชี้วัดของกลยุทธ์ (รหัส กลยุทธ์.ลำดับ เช่น 1.3) กับค่าเป้าหมายรายปี "
    "หนึ่งแถวต่อหนึ่งตัวชี้วัดต่อหนึ่งปี",
)

POLICY_LINKS = Sheet(
    "ความสอดคล้อง",
    (
        PROJECT_CODE,
        Column(
            "kind",
            "ระดับนโยบาย",
            required=True,
            width=24,
            help="เช่น ยุทธศาสตร์ชาติ, ยุทธศาสตร์ สพฐ., นโยบาย สพฐ.",
        ),
        Column("code", "หมายเลข", Kind.CODE, max_length=30, width=10),
        Column("title", "ชื่อ", width=60, help="ใช้จับคู่เมื่อไม่มีหมายเลข"),
    ),
    key=("project", "kind", "code", "title"),
    help="ความสอดคล้องของโครงการกับยุทธศาสตร์ชาติ ยุทธศาสตร์และนโยบาย สพฐ. "
    "(รายการตามทะเบียนนโยบายในระบบ)",
)

ALLOCATIONS = Sheet(
    "กรอบวงเงิน",
    (
        Column("source", "แหล่งงบประมาณ", required=True, width=32),
        Column("round", "จัดสรรครั้งที่", Kind.INT, required=True, width=10),
        Column("amount", "จำนวนเงิน (บาท)", Kind.MONEY, required=True, width=16),
        Column("allocated_on", "วันที่ได้รับจัดสรร", Kind.DATE, width=14),
        Column("reference", "หนังสืออ้างอิง", max_length=255, width=30),
        Column("note", "หมายเหตุ", width=25),
    ),
    key=("source", "round"),
    help="วงเงินที่สำนักงานได้รับจัดสรรของปีงบประมาณ แยกตามแหล่งงบประมาณและครั้งที่จัดสรร",
)

OPERATING_COSTS = Sheet(
    "ค่าใช้จ่ายดำเนินงาน",
    (
        Column("order", "ลำดับ", Kind.INT, required=True, width=8),
        Column("source", "แหล่งงบประมาณ", required=True, width=32),
        Column(
            "category",
            "หมวดรายจ่าย",
            width=18,
            help="เว้นว่างได้เมื่อแหล่งข้อมูลไม่ระบุหมวด",
        ),
        Column("description", "รายการ", max_length=500, required=True, width=40),
        Column("amount", "จำนวนเงิน (บาท)", Kind.MONEY, required=True, width=16),
    ),
    key=("order",),
    help="ค่าใช้จ่ายของสำนักงานที่ไม่ใช่โครงการ เช่น ค่าสาธารณูปโภค ค่าจ้างลูกจ้างชั่วคราว",
)

#: The office's own sheets, in workbook order (after the project sheets, so
#: that a workbook made from an older template keeps its sheet positions).
OFFICE_SHEETS = (
    PLAN,
    DIRECTION,
    GUIDELINES,
    PLAN_INDICATORS,
    ALLOCATIONS,
    OPERATING_COSTS,
)
#: Sheets that follow the projects (they name project codes).
PROJECT_LINK_SHEETS = (POLICY_LINKS,)

#: The data sheets, in workbook order (parents before children).
DATA_SHEETS = (
    PROJECTS,
    OBJECTIVES,
    TARGETS,
    EXPECTED_RESULTS,
    ACTIVITIES,
    COST_LINES,
    QUARTERS,
    KPIS,
)
#: Every sheet of the whole-office workbook, in workbook order; the ones not
#: in ``DATA_SHEETS`` may be missing from an uploaded file.
ALL_SHEETS = DATA_SHEETS + OFFICE_SHEETS + PROJECT_LINK_SHEETS
OPTIONAL_SHEETS = OFFICE_SHEETS + PROJECT_LINK_SHEETS
INSTRUCTIONS_SHEET = "คำอธิบาย"
REFERENCE_SHEET = "รหัสอ้างอิง"

#: The finance group's disbursement sheet (the first sheet of its workbook).
DISBURSEMENTS = Sheet(
    "การเบิกจ่าย",
    (
        Column(
            "paid_on",
            "วันที่",
            Kind.DATE,
            required=True,
            width=13,
            help="วันที่เบิกจ่าย พ.ศ. เช่น 15/11/2569",
        ),
        Column("document_number", "เลขที่เอกสาร", max_length=100, width=18),
        Column(
            "project",
            "รหัสโครงการ",
            Kind.CODE,
            max_length=30,
            width=14,
            help="เว้นว่างเมื่อเป็นค่าใช้จ่ายดำเนินงานของสำนักงาน (กรอกลำดับในคอลัมน์ถัดไป)",
        ),
        Column(
            "activity",
            "ลำดับกิจกรรม",
            Kind.INT,
            width=10,
            help="เว้นว่างได้ = กิจกรรมแรกของโครงการ",
        ),
        Column("amount", "จำนวนเงิน", Kind.MONEY, required=True, width=16),
        Column("note", "หมายเหตุ", max_length=255, width=25),
        Column(
            "running_cost",
            "ลำดับค่าใช้จ่ายดำเนินงาน",
            Kind.INT,
            width=12,
            optional=True,
            help="ลำดับในชีต 'ค่าใช้จ่ายดำเนินงาน' เมื่อเงินที่จ่ายไม่ใช่ของโครงการ "
            "เช่น เงินเดือน ค่าสาธารณูปโภค เงินอุดหนุนโรงเรียน",
        ),
        Column(
            "cost_line",
            "ลำดับรายการค่าใช้จ่าย",
            Kind.INT,
            width=12,
            optional=True,
            help="ลำดับรายการค่าใช้จ่ายในกิจกรรม (เว้นว่างได้ เมื่อระบุหมวดรายจ่าย)",
        ),
        Column(
            "category",
            "หมวดรายจ่าย",
            max_length=255,
            width=16,
            optional=True,
            help="เช่น ค่าใช้สอย ค่าวัสดุ: ต้องเป็นหมวดของรายการค่าใช้จ่ายในโครงการ "
            "(เว้นว่างได้ เมื่อระบุรายการค่าใช้จ่าย)",
        ),
    ),
    key=("document_number", "project", "activity"),
)
