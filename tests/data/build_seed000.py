# ruff: noqa: E501 -- the seed's sentences are data, kept one per line as printed.
"""Writes ``seed000_fy2562.xlsx``: seed 000's FY2562 year in the whole-office workbook.

Seed 000 (ส่วนที่ ๓ รายละเอียดโครงการสำคัญ (Flagship Project), สพป.ยโสธร เขต ๒,
ปีงบประมาณ ๒๕๖๒) prints one envelope of 1,000,000 baht from แผนงานพื้นฐานด้านการพัฒนา
และเสริมสร้างศักยภาพคน, split into the office's running costs (ส่วนที่ ๑, four named
lines, 775,000) and sixteen flagship projects 2.1–2.16 (four of them use money:
225,000). One import gives the whole year: projects, their OBEC strategy, the
envelope and the running costs, so the test that imports this file checks the
importer and the roll-ups against a real office document. Run from the
repository root to rebuild the file:

    python tests/data/build_seed000.py

Transcribed as printed; nothing is invented:

- Project 2.1 prints "ระยะเวลาดำเนินการ" with nothing after it: its months
  stay empty (a project may have no period).
- The cost lines of 2.5 (100,000) and 2.7 (45,000) are printed per activity
  without an expense category: they stay unclassified (ไม่ระบุหมวด). 2.10 and
  2.11 print their category tables, so their lines carry ค่าใช้สอย / ค่าวัสดุ.
- A cost line needs a description: where the seed prints only an activity's
  amount (2.5, 2.7), the line's description is the activity's own name.
- Months are ticked only where the seed prints them for that activity; a
  month past the plan's fiscal year (2.11's "มีนาคม 2563") goes in the
  activity's เดือนนอกปีงบประมาณ column. 2.10's calendar (มิ.ย. 2562 – มี.ค.
  2563) prints no tick that the seed's text keeps, so its months stay empty.
- The running-cost sheet requires a category: each of the four lines is named
  by its category (ค่าสาธารณูปโภค, ค่าจ้างลูกจ้างชั่วคราว → ค่าจ้างชั่วคราว,
  ค่าวัสดุน้ำมันเชื้อเพลิงฯ → ค่าวัสดุ, ค่าใช้จ่ายในการเดินทางไปราชการ → ค่าใช้สอย).
- The envelope sheet requires an allocation round: the seed prints one
  envelope, so it is round 1, with no date or reference.
- Project texts: names, groups, แผนงาน, kind, period, responsibles, the OBEC
  strategy; every project's rationale, objectives and, where printed, its
  ผลผลิต/ผลลัพธ์ statements and expected results (``seed000_texts.py``); the
  activities and cost lines of the projects that use money and of 2.1;
  every target (เป้าหมาย) and KPI (ตัวชี้วัดความสำเร็จ) the seed prints.
- A target's ประเภท is the heading the seed prints it under, and empty where
  it prints none (2.1); a KPI's ประเภทผล and ลักษณะ likewise (most projects
  print neither, 2.9 and 2.15 ลักษณะ only, 2.11 ประเภทผล only). An empty
  kind is "not stated": the sheet lists such rows unheaded and the plan
  checker names the gap.
- A KPI is of the text kind (หน่วยวัด ข้อความ): the seed prints its target,
  where it prints one (2.9, 2.15), as words or a bare number in a column of
  its own, never as ไม่น้อยกว่า/เท่ากับ a value.
- The seed prints no plan title and no direction of its own (only the OBEC
  strategy each project serves): the plan's title and direction stay empty.
"""

import datetime
import sys
from decimal import Decimal
from pathlib import Path

# Run as a script, the repository root is not on the path yet.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.data import workbook_builder  # noqa: E402

OUTPUT = Path(__file__).resolve().parent / "seed000_fy2562.xlsx"
FISCAL_YEAR = 2562

SOURCE = "แผนงานพื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพคน"
BUDGET_PLAN = "พื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพคน"
ENVELOPE = Decimal("1000000")

SUPERVISION = "กลุ่มนิเทศติดตามและประเมินผลการจัดการศึกษา"
ICT = "กลุ่มส่งเสริมการศึกษาทางไกลเทคโนโลยีสารสนเทศและการสื่อสาร"
DIRECTOR = "กลุ่มอำนวยการ"
POLICY = "กลุ่มนโยบายและแผน"
PROMOTION = "กลุ่มส่งเสริมการจัดการศึกษา"

NEW, CONTINUING = "โครงการใหม่", "โครงการต่อเนื่อง"

#: ยุทธศาสตร์ สพฐ. ปี 2562 by the number the seed prints ("ข้อที่ (๒) …").
OBEC = {
    2: "(๒)",
    4: "(๔)",
    5: "(๕)",
}


def month(year_be: int, number: int) -> datetime.date:
    return datetime.date(year_be - 543, number, 1)


JUN, JUL, SEP = month(2562, 6), month(2562, 7), month(2562, 9)
MAR63 = month(2563, 3)

#: (code, name as ส่วนที่ ๓ lists it, group, kind, start, end, responsibles,
#:  responsible note, OBEC strategy, budget)
PROJECTS = (
    (
        "2.1",
        "โครงการน้อมนำพระบรมราโชบายด้านการศึกษาของในหลวงรัชกาลที่ 10 สู่การปฏิบัติ",
        SUPERVISION,
        NEW,
        None,
        None,
        "นางศิรินภา ศรีสุข, นางสาวเพ็ญประภา มีเพียร, นางสมจิตต์ รวมแก้ว",
        "",
        2,
        None,
    ),
    (
        "2.2",
        "โครงการจิตอาสาพระราชทานตามแนวพระราชดำริหลักสูตรจิตอาสา 904 “หลักสูตรพื้นฐาน”",
        SUPERVISION,
        NEW,
        JUN,
        JUL,
        "นางสาวเพ็ญประภา มีเพียร, นางศิรินภา ศรีสุข, นางสมจิตต์ รวมแก้ว, นายทวี แพงศรี",
        "",
        2,
        None,
    ),
    (
        "2.3",
        "โครงการพัฒนาคุณภาพการศึกษาด้วยเทคโนโลยีการศึกษาทางไกลผ่านดาวเทียม (DLTV)",
        ICT,
        CONTINUING,
        JUN,
        SEP,
        "นายพิษณุ มูลสาร, นายผดุงสิทธิ์ ลาวรรณ",
        "",
        2,
        None,
    ),
    (
        "2.4",
        "โครงการโรงเรียนร่วมพัฒนา Partnership School Project",
        SUPERVISION,
        CONTINUING,
        JUN,
        JUL,
        "นางสาวสุจิราภรณ์ เงาศรี, นายทวี แพงศรี",
        "",
        2,
        None,
    ),
    (
        "2.5",
        "โครงการโรงเรียนคุณภาพประจำตำบล",
        SUPERVISION,
        CONTINUING,
        JUN,
        SEP,
        "นางสาวสุจิราภรณ์ เงาศรี, นายทวี แพงศรี",
        "",
        2,
        Decimal("100000"),
    ),
    (
        "2.6",
        "โครงการโรงเรียนประชารัฐ",
        SUPERVISION,
        CONTINUING,
        JUN,
        MAR63,
        "นางสาวสุจิราภรณ์ เงาศรี, นายทวี แพงศรี",
        "",
        2,
        None,
    ),
    (
        "2.7",
        "โครงการอ่านออก เขียนได้ และคิดเลขเป็น",
        SUPERVISION,
        CONTINUING,
        JUN,
        JUL,
        "นางรัชฎาภรณ์ สามารถ, นายทวี แพงศรี",
        "",
        2,
        Decimal("45000"),
    ),
    (
        "2.8",
        "โครงการพัฒนาระบบข้อมูลสารสนเทศของสำนักงานเขตพื้นที่การศึกษา (Big Data)",
        ICT,
        CONTINUING,
        JUN,
        JUL,
        "นายพิษณุ มูลสาร, นายผดุงสิทธิ์ ลาวรรณ",
        "",
        5,
        None,
    ),
    (
        "2.9",
        "โครงการจัดตั้งกลุ่มโรงเรียน",
        DIRECTOR,
        CONTINUING,
        JUN,
        MAR63,
        "นางสาวประยูร เรืองศรี",
        "",
        5,
        None,
    ),
    (
        "2.10",
        "โครงการการพัฒนาคุณภาพโรงเรียนขนาดเล็ก",
        SUPERVISION,
        CONTINUING,
        JUN,
        MAR63,
        "นางรัชฎาภรณ์ สามารถ, นายทวี แพงศรี",
        "",
        2,
        Decimal("50000"),
    ),
    (
        "2.11",
        "โครงการนิเทศบูรณาการโดยใช้พื้นที่เป็นฐานเพื่อการพัฒนาคุณภาพการศึกษา",
        SUPERVISION,
        CONTINUING,
        JUN,
        JUL,
        "นางสาวเพ็ญประภา มีเพียร, นางสาวสุจิตรา ทาลีราช, นายทวี แพงศรี",
        "",
        5,
        Decimal("30000"),
    ),
    (
        "2.12",
        "โครงการสร้างเครือข่ายและความร่วมมือในการจัดการศึกษาระหว่าง สพฐ. กับ สอศ. และหน่วยงานทางการศึกษาอื่น",
        POLICY,
        CONTINUING,
        JUN,
        SEP,
        "นางสมใจ มิ่งไชย",
        "และคณะ",
        4,
        None,
    ),
    (
        "2.13",
        "โครงการอาหารกลางวัน",
        PROMOTION,
        CONTINUING,
        JUN,
        SEP,
        "นางพิสมัย บวร",
        "และคณะ",
        4,
        None,
    ),
    (
        "2.14",
        "โครงการอินเทอร์เน็ตความเร็วสูง",
        ICT,
        CONTINUING,
        JUN,
        SEP,
        "นายพิษณุ มูลสาร, นายผดุงสิทธิ์ ลาวรรณ",
        "",
        5,
        None,
    ),
    (
        "2.15",
        "โครงการพัฒนาการเรียนการสอนภาษาอังกฤษ",
        SUPERVISION,
        CONTINUING,
        JUN,
        SEP,
        "นางปฏิญญา จันเจือ, นายทวี แพงศรี",
        "",
        2,
        None,
    ),
    (
        "2.16",
        "โครงการพัฒนาระบบประกันคุณภาพการศึกษาภายในสถานศึกษา",
        SUPERVISION,
        CONTINUING,
        JUN,
        SEP,
        "นางปฏิญญา จันเจือ, นางสาวบุษกร ศรีชนะ, นายทวี แพงศรี",
        "",
        5,
        None,
    ),
)

#: Projects whose budget section says ถัวจ่าย / ถัวเฉลี่ยทุกรายการ.
VIREMENT = {"2.7", "2.10", "2.11"}

#: ส่วนที่ ๑: the office's running costs (order, category, line, amount).
RUNNING_COSTS = (
    (1, "ค่าสาธารณูปโภค", "ค่าสาธารณูปโภค", Decimal("300000")),
    (2, "ค่าจ้างชั่วคราว", "ค่าจ้างลูกจ้างชั่วคราว", Decimal("320000")),
    (3, "ค่าวัสดุ", "ค่าวัสดุน้ำมันเชื้อเพลิงและหล่อลื่น", Decimal("100000")),
    (
        4,
        "ค่าใช้สอย",
        "ค่าใช้จ่ายในการเดินทางไปราชการ เพื่อประเมินประสิทธิภาพและประสิทธิผลการปฏิบัติงานผู้บริหารสถานศึกษา",
        Decimal("55000"),
    ),
)

#: (project, number, name, target, responsible, months, notes)
ACTIVITIES = (
    ("2.1", 1, "ประชุมคณะกรรมการดำเนินงาน", "", "", (), ""),
    (
        "2.1",
        2,
        "จัดกิจกรรมแลกเปลี่ยนเรียนรู้และประกวดผลงานเกี่ยวกับการดำเนินงานตามราโชบาย ด้านการศึกษาของสมเด็จพระเจ้าอยู่หัวมหาวชิราลงกรณ บดินทรเทพยวรางกูร",
        "",
        "",
        (),
        "",
    ),
    ("2.1", 3, "ประเมินผลการจัดกิจกรรม", "", "", (), ""),
    ("2.1", 4, "สรุป รายงานผล", "", "", (), ""),
    (
        "2.5",
        1,
        "การส่งเสริมและพัฒนาโรงเรียนคุณภาพประจำตำบลให้มีความเข้มแข็ง",
        "34 โรงเรียน",
        "",
        (JUN,),
        "",
    ),
    (
        "2.5",
        2,
        "การส่งเสริมสนับสนุนให้ผู้บริหาร ครูและบุคลากรได้รับการพัฒนา",
        "34 โรงเรียน",
        "",
        (),
        "",
    ),
    ("2.5", 3, "การส่งเสริมสนับสนุนให้นักเรียนได้รับการพัฒนา", "34 โรงเรียน", "", (), ""),
    (
        "2.5",
        4,
        "การนิเทศ กำกับ ติดตามการดำเนินงานโครงการโรงเรียนคุณภาพประจำตำบล",
        "34 โรงเรียน",
        "",
        (month(2562, 8),),
        "",
    ),
    (
        "2.5",
        5,
        "การส่งเสริมและสนับสนุนการสร้างเครือข่ายความร่วมมือทุกภาคส่วนทั้งเอกชน บ้าน วัด/สถานอื่น รัฐ และโรงเรียน ในการขับเคลื่อนและพัฒนาโรงเรียนคุณภาพประจำตำบล",
        "34 โรงเรียน",
        "",
        (),
        "",
    ),
    ("2.5", 6, "สรุปและรายงานผล", "34โรงเรียน", "", (SEP,), ""),
    (
        "2.7",
        1,
        "อบรมปฏิบัติการพัฒนาผู้บริหารและครูสร้างนวัตกรรมในการยกผลสัมฤทธิ์ทางการเรียน",
        "12 โรงเรียน",
        "",
        (JUN, JUL),
        "",
    ),
    ("2.7", 2, "จัดทำนวัตกรรมการยกผลสัมฤทธิ์ทางการเรียน", "12 โรงเรียน", "", (), ""),
    ("2.7", 3, "ประเมินผลการจัดกิจกรรมนวัตกรรมในการยกผลสัมฤทธิ์ทางการเรียน", "", "", (), ""),
    ("2.10", 1, "จัดสรรงบประมาณให้กลุ่มผู้บริหารที่บรรจุใหม่", "", "", (), ""),
    (
        "2.10",
        2,
        "ผู้บริหารที่บรรจุใหม่ออกแบบการจัดค่ายวิชาการ หรือรูปแบบอื่นที่ยึดการพัฒนาผู้เรียนเต็มตามศักยภาพของแต่ละบุคคล",
        "",
        "",
        (),
        "",
    ),
    ("2.10", 3, "ผู้บริหารที่บรรจุใหม่ดำเนินการจัดกิจกรรมพัฒนาเติมเต็มศักยภาพผู้เรียน", "", "", (), ""),
    ("2.10", 4, "สรุปผลการพัฒนา", "", "", (), ""),
    (
        "2.11",
        1,
        "ประชุม วางแผน วิเคราะห์สภาพปัญหาและสภาพความต้องการนิเทศของสถานศึกษาเพื่อกำหนดเนื้อหาสาระในการนิเทศ และจัดทำเครื่องมือการนิเทศ",
        "",
        "คณะศึกษานิเทศก์",
        (JUN,),
        "",
    ),
    (
        "2.11",
        2,
        "ประเมินความพร้อมวันเปิดภาคเรียน ปีการศึกษา 2562",
        "",
        "คณะศึกษานิเทศก์",
        (JUN,),
        "",
    ),
    ("2.11", 3, "ปฏิบัติการนิเทศ ตามภาระงานหลัก", "", "คณะศึกษานิเทศก์", (JUN,), ""),
    ("2.11", 4, "ปฏิบัติการนิเทศตามงานนโยบาย", "", "คณะศึกษานิเทศก์", (JUN,), ""),
    ("2.11", 5, "ประชุม สรุปผลการนิเทศ", "", "คณะศึกษานิเทศก์", (JUL,), ""),
    ("2.11", 6, "รายงานผลการนิเทศ", "", "คณะศึกษานิเทศก์", (JUN, JUL, MAR63), ""),
)

#: (project, activity, category or None, description, times, times unit,
#:  persons, persons unit, rate, amount)
COST_LINES = (
    (
        "2.5",
        1,
        None,
        "การส่งเสริมและพัฒนาโรงเรียนคุณภาพประจำตำบลให้มีความเข้มแข็ง",
        None,
        "",
        None,
        "",
        None,
        Decimal("10000"),
    ),
    (
        "2.5",
        2,
        None,
        "การส่งเสริมสนับสนุนให้ผู้บริหาร ครูและบุคลากรได้รับการพัฒนา",
        None,
        "",
        None,
        "",
        None,
        Decimal("20000"),
    ),
    (
        "2.5",
        3,
        None,
        "การส่งเสริมสนับสนุนให้นักเรียนได้รับการพัฒนา",
        None,
        "",
        None,
        "",
        None,
        Decimal("40000"),
    ),
    (
        "2.5",
        4,
        None,
        "การนิเทศ กำกับ ติดตามการดำเนินงานโครงการโรงเรียนคุณภาพประจำตำบล",
        None,
        "",
        None,
        "",
        None,
        Decimal("15000"),
    ),
    (
        "2.5",
        5,
        None,
        "การส่งเสริมและสนับสนุนการสร้างเครือข่ายความร่วมมือทุกภาคส่วนทั้งเอกชน บ้าน วัด/สถานอื่น รัฐ และโรงเรียน ในการขับเคลื่อนและพัฒนาโรงเรียนคุณภาพประจำตำบล",
        None,
        "",
        None,
        "",
        None,
        Decimal("10000"),
    ),
    ("2.5", 6, None, "สรุปและรายงานผล", None, "", None, "", None, Decimal("5000")),
    (
        "2.7",
        1,
        None,
        "ค่าใช้จ่ายในการอบรมปฏิบัติการพัฒนาผู้บริหารและครูสร้างนวัตกรรมในการยกผลสัมฤทธิ์ทางการเรียน ที่ผลสัมฤทธิ์ O-NET ต่ำกว่าร้อยละ ๓๐",
        None,
        "",
        None,
        "",
        None,
        Decimal("25000"),
    ),
    (
        "2.7",
        2,
        None,
        "ค่าใช้จ่ายในการจัดประกวดแข่งขันนวัตกรรมการยกผลสัมฤทธิ์ทางการเรียนนิเทศติดตามพัฒนาการการใช้นวัตกรรม",
        None,
        "",
        None,
        "",
        None,
        Decimal("19000"),
    ),
    (
        "2.7",
        3,
        None,
        "ค่าใช้จ่ายในการประเมินผลการจัดกิจกรรมนวัตกรรมในการยกผลสัมฤทธิ์ทางการเรียน",
        None,
        "",
        None,
        "",
        None,
        Decimal("1000"),
    ),
    ("2.10", 1, "ค่าใช้สอย", "งบประมาณ", None, "", None, "", None, Decimal("50000")),
    (
        "2.11",
        1,
        "ค่าใช้สอย",
        "ค่าอาหาร อาหารว่างและเครื่องดื่ม ในการประชุม วางแผน สำหรับศึกษานิเทศก์และผู้เกี่ยวข้อง",
        1,
        "ครั้ง",
        12,
        "คน",
        Decimal("200"),
        Decimal("2400"),
    ),
    (
        "2.11",
        1,
        "ค่าวัสดุ",
        "จัดทำแผนนิเทศประจำปี 2562",
        None,
        "",
        20,
        "เล่ม",
        Decimal("50"),
        Decimal("1000"),
    ),
    (
        "2.11",
        1,
        "ค่าวัสดุ",
        "จัดทำรายงานผลการนิเทศ",
        None,
        "",
        20,
        "เล่ม",
        Decimal("50"),
        Decimal("1000"),
    ),
    (
        "2.11",
        3,
        "ค่าใช้สอย",
        "ค่าพาหนะสำหรับผู้นิเทศ",
        None,
        "",
        None,
        "",
        None,
        Decimal("11000"),
    ),
    (
        "2.11",
        4,
        "ค่าใช้สอย",
        "ค่าพาหนะสำหรับผู้นิเทศ",
        None,
        "",
        None,
        "",
        None,
        Decimal("11000"),
    ),
    (
        "2.11",
        5,
        "ค่าใช้สอย",
        "ค่าเครื่องดื่ม อาหารกลางวัน ในการประชุม สรุปผลการดำเนินงาน สำหรับศึกษานิเทศก์และผู้เกี่ยวข้อง",
        1,
        "ครั้ง",
        12,
        "คน",
        Decimal("200"),
        Decimal("2400"),
    ),
    (
        "2.11",
        6,
        "ค่าวัสดุ",
        "จัดทำเอกสารรายงานผลการนิเทศ",
        None,
        "",
        20,
        "เล่ม",
        Decimal("60"),
        Decimal("1200"),
    ),
)


def rows() -> dict[str, list[dict]]:
    """Seed 000's year as rows of the plan workbook's sheets."""
    from core import thai
    from excel import layout
    from tests.data.seed000_texts import (
        EXPECTED_RESULTS,
        KPIS,
        OBJECTIVES,
        OUTCOMES,
        OUTPUTS,
        RATIONALES,
        TARGETS,
    )

    month_keys = {m: key for key, _, m in layout.MONTH_COLUMNS}
    year_months = set(thai.fiscal_month_dates(FISCAL_YEAR))
    projects = []
    for position, row in enumerate(PROJECTS, start=1):
        code, name, group, kind, start, end, names, note, _, budget = row
        projects.append(
            {
                "code": code,
                "sequence": position,
                "name": name,
                "group": group,
                "budget_plan": BUDGET_PLAN,
                "kind": kind,
                "start_month": start,
                "end_month": end,
                "budget_source": SOURCE if budget else "",
                "uses_budget": layout.USES_BUDGET_YES
                if budget
                else layout.USES_BUDGET_NO,
                "virement": code in VIREMENT,
                "responsibles": names,
                "responsible_note": note,
                "rationale": RATIONALES.get(code, ""),
                "output_statement": OUTPUTS.get(code, ""),
                "outcome_statement": OUTCOMES.get(code, ""),
            }
        )
    activities = []
    for code, number, name, target, responsible, months, notes in ACTIVITIES:
        activity = {
            "project": code,
            "activity": number,
            "name": name,
            "target": target,
            "responsible": responsible,
            "notes": notes,
        }
        other = []
        for day in months:
            if day in year_months:
                activity[month_keys[day.month]] = True
            else:  # past the year's grid: "มีนาคม 2563" of 2.11
                other.append(thai.thai_month_year(day, abbr=False))
        activity["other_months"] = ", ".join(other)
        activities.append(activity)
    orders: dict[tuple, int] = {}
    cost_lines = []
    for line in COST_LINES:
        code, number, category, description, times, times_unit = line[:6]
        persons, persons_unit, rate, amount = line[6:]
        orders[code, number] = orders.get((code, number), 0) + 1
        cost_lines.append(
            {
                "project": code,
                "activity": number,
                "order": orders[code, number],
                "category": category,
                "description": description,
                "times": times,
                "times_unit": times_unit,
                "persons": persons,
                "persons_unit": persons_unit,
                "rate": rate,
                "amount": amount,
            }
        )
    targets = []
    for code, items in TARGETS.items():
        per_kind: dict[str, int] = {}
        for kind, text in items:
            per_kind[kind] = per_kind.get(kind, 0) + 1
            targets.append(
                {"project": code, "kind": kind, "order": per_kind[kind], "text": text}
            )
    kpis = [
        {
            "project": code,
            "order": order,
            "result_kind": result_kind,
            "nature": nature,
            "name": name,
            "unit": "ข้อความ",
            "target_text": target,
            "method": method,
            "instrument": instrument,
        }
        for code, items in KPIS.items()
        for order, (result_kind, nature, name, target, method, instrument) in enumerate(
            items, start=1
        )
    ]
    return {
        layout.PROJECTS.name: projects,
        layout.TARGETS.name: targets,
        layout.KPIS.name: kpis,
        layout.OBJECTIVES.name: workbook_builder.numbered(OBJECTIVES),
        layout.EXPECTED_RESULTS.name: workbook_builder.numbered(EXPECTED_RESULTS),
        layout.ACTIVITIES.name: activities,
        layout.COST_LINES.name: cost_lines,
        layout.PLAN.name: [{"fiscal_year": FISCAL_YEAR}],
        layout.ALLOCATIONS.name: [
            {"source": SOURCE, "round": 1, "amount": ENVELOPE},
        ],
        layout.OPERATING_COSTS.name: [
            {
                "order": order,
                "source": SOURCE,
                "category": category,
                "description": description,
                "amount": amount,
            }
            for order, category, description, amount in RUNNING_COSTS
        ],
        layout.POLICY_LINKS.name: [
            {"project": row[0], "kind": "ยุทธศาสตร์ สพฐ.", "code": OBEC[row[8]]}
            for row in PROJECTS
        ],
    }


def main() -> None:
    workbook_builder.setup_django()
    workbook_builder.write_book(OUTPUT, rows())


if __name__ == "__main__":
    main()
