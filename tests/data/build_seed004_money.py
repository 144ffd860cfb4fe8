# ruff: noqa: E501 -- the seed's sentences are data, kept one per line as printed.
"""Writes seed 004's money and project indicators as the product imports them.

Seed 004 (รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๕, สพม.พิษณุโลก อุตรดิตถ์)
prints the office's whole budget in Table 13 (ตารางที่ ๑๓, page ๑๑๖) and the
results of its 14 projects' indicators in chapter 4. This builder types them
into the files an office would import, so the tests reproduce the seed's
figures through the product's own paths:

- ``seed004_money.xlsx``, the whole-office plan workbook: sheet กรอบวงเงิน (the
  allocations, one round per expense group as Table 13 gives them, and the
  central fund) and sheet ค่าใช้จ่ายดำเนินงาน (the office's running costs, one
  per expense group: the seed gives only group totals, so each is the whole
  group; with seed 004's projects imported too, each group's running cost is
  what the group's project cost lines leave);
- ``seed004_payments.xlsx``, the finance group's disbursement sheet: one
  payment per running cost (ลำดับค่าใช้จ่ายดำเนินงาน), the "เบิกแล้ว" column.

The seed prints the central fund's remainder as 5.20; 5,851,800.00 − 5,851,795.80
is 4.20, which is what the product computes (the rows are typed, never the
printed remainders or percentages).

:data:`INDICATORS` are the 51 project indicators of chapter 4 (project
number, name as printed, unit, target, result). A target in persons or rooms
whose result the seed prints as "ร้อยละ ๑๐๐" (of the target) is recorded as the
count reached. The seed's own sentence says "47 of 49 = 95.92 %"; its table has
51 indicator rows of which 49 meet their target (96.08 %), which the test
computes from these rows. Run from the repository root to rebuild the files:

    python tests/data/build_seed004_money.py
"""

import datetime
import sys
from decimal import Decimal
from pathlib import Path

# Run as a script, the repository root is not on the path yet.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.data import workbook_builder  # noqa: E402

HERE = Path(__file__).resolve().parent
MONEY = HERE / "seed004_money.xlsx"
PAYMENTS = HERE / "seed004_payments.xlsx"
FISCAL_YEAR = 2565
OFFICE = "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาพิษณุโลก อุตรดิตถ์"
OFFICE_SHORT = "สพม.พิษณุโลก อุตรดิตถ์"

OBEC = "งบประมาณจาก สพฐ."
CENTRAL_FUND = "งบกลาง (สำรองฉุกเฉิน)"
PAID_ON = datetime.date(2022, 9, 30)

#: Table 13: (row label as printed, expense group, allocated, disbursed).
TABLE_13 = (
    ("๑. งบบุคลากร", "งบบุคลากร", Decimal("18497700.00"), Decimal("18368345.14")),
    ("๒. งบดำเนินงาน", "งบดำเนินงาน", Decimal("26611016.00"), Decimal("26101676.05")),
    ("๓. งบอุดหนุน", "งบเงินอุดหนุน", Decimal("247107962.00"), Decimal("247034462.00")),
    ("๔. งบลงทุน", "งบลงทุน", Decimal("24287200.00"), Decimal("24272309.37")),
    ("๕. งบรายจ่ายอื่น", "งบรายจ่ายอื่น", Decimal("1720060.00"), Decimal("1713030.00")),
)
#: The row below the total: the central fund (งบกลาง รายการสำรองจ่ายเพื่อกรณีฉุกเฉิน).
#: A running cost needs an expense category; the central fund is none of the
#: office's groups, so it is filed as งบรายจ่ายอื่น (its row is the source's, not
#: the category's).
CENTRAL = (
    "งบกลาง (สำรองฉุกเฉิน)",
    "งบรายจ่ายอื่น",
    Decimal("5851800.00"),
    Decimal("5851795.80"),
)

#: Chapter 4's project indicators: (project, name, unit, unit label, target, result).
INDICATORS = (
    (
        1,
        "จำนวนนักเรียนและครูแกนนำโรงเรียนเป้าหมายที่ได้รับการพัฒนาเป็นเครือข่ายการป้องกันและการแพร่ระบาดของเชื้อไวรัสโคโรนา ๒๐๑๙ (Covid-๑๙) และการแก้ไขปัญหายาเสพติด",
        "count",
        "คน",
        Decimal("38"),
        Decimal("38"),
    ),
    (
        1,
        "ร้อยละของโรงเรียนในสังกัดดำเนินการจัดกิจกรรมอบรมครูเครือข่ายสถานศึกษา",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        2,
        "จำนวนนักเรียนที่ได้รับทุนการศึกษาเฉลิมราชกุมารี ระยะที่ ๒ รุ่นที่ ๖ ปีการศึกษา ๒๕๖๕",
        "count",
        "ราย",
        Decimal("4"),
        Decimal("4"),
    ),
    (
        2,
        "ร้อยละของนักเรียนที่สมัครเรียนชั้นมัธยมศึกษาปีที่ ๑ และ ๔ ปีการศึกษา ๒๕๖๕ และมีที่เรียน",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        2,
        "ร้อยละของโรงเรียนในสังกัดที่ได้รับการอบรมให้มีครูนักจิตวิทยาประจำโรงเรียน",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        2,
        'จำนวนนักเรียนที่สำเร็จการศึกษาตามหลักสูตรการจัดการศึกษาโดยครอบครัว "บ้านเรียนหลายตาตะวัน"',
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        2,
        "ร้อยละของโรงเรียนในสังกัดที่ได้รับการพัฒนาคณะอนุกรรมการดูแลช่วยเหลือและคุ้มครองนักเรียน",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        2,
        "ร้อยละของโรงเรียนในสังกัดที่ไม่มีนักเรียนและครูเข้าร่วมโครงการเด็กดีมีที่เรียน",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        2,
        "ร้อยละของโรงเรียนในสังกัดที่มีการขับเคลื่อนระบบมาตรฐานความปลอดภัยและมีคู่มือความปลอดภัยของโรงเรียน",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        3,
        "ร้อยละของนักเรียนในสังกัดได้รับการคัดกรองความสามารถพิเศษบนฐานข้อมูลของนักเรียนรายบุคคล",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        3,
        "ร้อยละของโรงเรียนในสังกัดเข้าร่วมอบรมเสริมสร้างและพัฒนาเพื่อขับเคลื่อนคุณภาพการศึกษาของสถานศึกษาในรูปแบบ Online",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        4,
        "ร้อยละของครูที่เข้าร่วมการอบรมมีความรู้ความเข้าใจและสามารถนำแบบฝึกทักษะการคิดแก้ปัญหาตามแนวทาง PISA ไปใช้ในการเรียนรู้",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        4,
        "ร้อยละของโรงเรียนที่นำนักเรียนเข้าสมัครและใช้งานระบบ PISA Style Online Testing",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        4,
        "ร้อยละของโรงเรียนที่มีการขับเคลื่อนการจัดการเรียนรู้วิชาการด้าน Coding & Computing science",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        4,
        "ร้อยละโรงเรียนในสังกัดพัฒนาการจัดการเรียนรู้ผ่านการปฏิบัติที่หลากหลายรูปแบบ (Active Learning)",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        4,
        "ร้อยละของโรงเรียนที่สนับสนุนกิจกรรมแข่งขันทักษะภาษาไทย",
        "percent",
        "",
        Decimal("100"),
        Decimal("54.39"),
    ),
    (
        4,
        "ร้อยละของโรงเรียนในกลุ่มเป้าหมายได้รับหนังสือพระราชทานเงินอุดหนุนรายหัว",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        4,
        "ร้อยละของโรงเรียนในสังกัดกิจกรรมส่งเสริมการอ่านตามรอยพระรอยพระราชมรดก",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        5,
        "ร้อยละของโรงเรียนในสังกัดที่ได้รับการนิเทศ ติดตาม และประเมินผลการจัดการศึกษา จากศึกษานิเทศก์ด้วยเทคนิคการนิเทศใหม่",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        5,
        "ร้อยละของโรงเรียนในสังกัดดำเนินการขับเคลื่อนหลักปรัชญาของเศรษฐกิจพอเพียงสู่สถานศึกษา",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        5,
        "ร้อยละของนักเรียนที่เข้าร่วมกิจกรรมได้รับการพัฒนาด้านคุณธรรม จริยธรรมและน้อมนำหลักปรัชญาของเศรษฐกิจพอเพียง",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        5,
        "ร้อยละของโรงเรียนในสังกัดที่ได้รับการนิเทศ ติดตาม และสร้างความรู้ความเข้าใจในการดำเนินงานตามระบบประกันคุณภาพการศึกษา",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        5,
        "ร้อยละของโรงเรียนในสังกัดมีข้อมูลการสังเคราะห์รายงานผลการประเมินตนเอง SAR ปีการศึกษา ๒๕๖๔",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        5,
        "ร้อยละของโรงเรียนในสังกัดมีข้อมูลการบริหารจัดการคุณภาพและมาตรฐานการศึกษา ได้รับการสนับสนุนให้ได้รับรางวัล IOA AWARD ประจำปีการศึกษา ๒๕๖๔",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        5,
        "ร้อยละของโรงเรียนในสังกัดมีครูที่มีความรู้ความเข้าใจในการจัดการเรียนอย่างมืออาชีพและจัดตั้งธนาคารในโรงเรียน",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        5,
        "ร้อยละของโรงเรียนในสังกัดได้รับการนิเทศ ติดตาม ให้คำปรึกษา ให้ความช่วยเหลือเมื่อนำเกี่ยวกับการพัฒนาคุณภาพการศึกษา และนำนโยบายสู่การปฏิบัติตามสภาพและบริบทของโรงเรียน",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        6,
        "ร้อยละของโรงเรียนในสังกัดที่ผู้บริหารสถานศึกษาได้รับการพัฒนาคุณภาพ",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        6,
        "ร้อยละของข้าราชการครูและบุคลากรทางการศึกษาที่ผ่านการอบรมและพัฒนาคุณภาพ",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        6,
        "ร้อยละของบุคลากรที่เข้าร่วมกิจกรรมได้พัฒนาคุณภาพผู้สอน",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        6,
        "ร้อยละของครูและบุคลากรทางการศึกษาและประเมินสัมฤทธิ์ผลในการปฏิบัติงาน",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        6,
        "ร้อยละของนักเขียนอนุสาวรีย์ที่เข้าร่วมกิจกรรมได้รับการยกย่องเชิดชูเกียรติ",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        6,
        "ร้อยละของครูและบุคลากรทางการศึกษาที่ผ่านการอบรมสัมมนาพัฒนาคุณภาพ",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        6,
        "ร้อยละของครูและบุคลากรทางการศึกษาที่ได้รับการอบรมสัมมนาความรู้ความเข้าใจเรื่องการออม วัณภัยการใช้จ่าย",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        6,
        "จำนวนครูสอนภาษาอังกฤษที่เข้าร่วมกิจกรรมได้รับการพัฒนาสมรรถนะเป็นครูแกนนำภาษาอังกฤษ",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        7,
        "ร้อยละของผู้บริหาร ครูและบุคลากรทางการศึกษาทุกระดับ ทุกประเภทในสังกัด ได้รับการส่งเสริมและพัฒนาตามมาตรฐานวิชาชีพให้ปฏิบัติตามที่ได้อย่างมีประสิทธิภาพ",
        "percent",
        "",
        Decimal("90"),
        Decimal("100"),
    ),
    (
        8,
        "ร้อยละของโรงเรียนในสังกัดที่ผู้บริหารการศึกษา ผู้บริหารสถานศึกษา ช่างราชการครูและบุคลากรทางการศึกษา ได้รับการยกระดับการพัฒนาประสิทธิภาพและมาตรฐานการปฏิบัติราชการสู่ระบบบริหารจัดการภาครัฐครบทุกแห่ง",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        8,
        "ร้อยละของโรงเรียนในสังกัดที่ดำเนินการและรายงานผลการประเมินส่วนราชการตามมาตรการปรับปรุงประสิทธิภาพในการปฏิบัติงานการเป็นไปตามมาตรฐานครบทุกตัวชี้วัด",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        8,
        "ร้อยละของโรงเรียนในสังกัดสำนักงานเขตพื้นที่การศึกษาที่ได้รับการส่งเสริม สนับสนุนขับเคลื่อนดำเนินการยกระดับพัฒนาการบริหารจัดการศึกษาสู่ระบบบริหารจัดการภาครัฐ ๕.๐",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        9,
        "ร้อยละของตัวชี้วัดโครงการตามแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๖๕ ของสำนักงานเขตพื้นที่การศึกษามัธยมศึกษา พหุอนุโลก อุดรดิตต์ ที่ดำเนินงานบรรลุค่าเป้าหมายที่กำหนด",
        "percent",
        "",
        Decimal("90"),
        Decimal("95.52"),
    ),
    (
        9,
        "ร้อยละของผลสัมฤทธิ์ของการใช้จ่ายงบประมาณตามแผนปฏิบัติการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๕",
        "percent",
        "",
        Decimal("90"),
        Decimal("67.85"),
    ),
    (
        9,
        "ร้อยละของโครงการที่บรรลุผลสัมฤทธิ์ตามค่าเป้าหมายยุทธศาสตร์ชาติ",
        "percent",
        "",
        Decimal("10"),
        Decimal("100"),
    ),
    (
        10,
        "จำนวนห้องประชุมที่ได้รับการพัฒนา ปรับปรุง ช่องแชนnel ระบบ Conference",
        "count",
        "ห้อง",
        Decimal("3"),
        Decimal("3"),
    ),
    (
        11,
        "ร้อยละของข้าราชการครูและบุคลากรทางการศึกษา ได้รับความรู้ในการให้บริการฝึกอบรมตามโครงการ",
        "count",
        "คน",
        Decimal("114"),
        Decimal("114"),
    ),
    (
        11,
        "ร้อยละของข้าราชการครูและบุคลากรทางการศึกษา ที่เกษียณอายุราชการในปีงบประมาณ พ.ศ. ๒๕๖๕ มีความรู้เข้าใจสิทธิของผู้รับบำนาญ",
        "count",
        "คน",
        Decimal("120"),
        Decimal("120"),
    ),
    (
        11,
        "ผู้บริหาร สพม.พิษณุโลก อุตดิตถ์ ผอ.กลุ่มกฎหมายและคดี และ ผอ.หน่วยตรวจสอบภายใน",
        "count",
        "คน",
        Decimal("14"),
        Decimal("14"),
    ),
    (
        11,
        "ร้อยละของบุคลากรทางการศึกษา ๓๘ ค (๒) และพนักงานราชการในกลุ่มบริหารงานการเงินและสินทรัพย์ ได้รับการพัฒนางานที่รับผิดชอบ",
        "count",
        "คน",
        Decimal("10"),
        Decimal("10"),
    ),
    (
        12,
        "ร้อยละของโรงเรียนในสังกัดดำเนินการบริหารและดำเนินการบริหารเบิกจ่ายเงินงบประมาณและเงินนอกงบประมาณได้ถูกต้องตามระเบียบกฎหมายและแนวปฏิบัติ",
        "count",
        "โรงเรียน",
        Decimal("57"),
        Decimal("57"),
    ),
    (
        13,
        "ร้อยละของผู้ช่วยที่เข้ารับการอบรมพัฒนาความรู้ด้านกฎหมายและวินัย",
        "percent",
        "",
        Decimal("100"),
        Decimal("100"),
    ),
    (
        14,
        "ร้อยละความสำเร็จของการดำเนินการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ สพท. (ITA Online)",
        "percent",
        "",
        Decimal("95"),
        Decimal("95.92"),
    ),
    (
        14,
        "ร้อยละของสถานศึกษาในสังกัดดำเนินการขับเคลื่อนการนำหลักสุจริตด้านทุจริตศึกษาในการจัดการเรียนรู้",
        "percent",
        "",
        Decimal("60"),
        Decimal("100"),
    ),
    (
        14,
        "ร้อยละของสถานศึกษาในสังกัดมีการประเมินคุณธรรมและความโปร่งใสในสถานศึกษาแบบออนไลน์",
        "percent",
        "",
        Decimal("50"),
        Decimal("100"),
    ),
)


def rows() -> dict[str, list[dict]]:
    """The plan workbook's office sheets."""
    from excel import layout

    allocations = [
        {
            "source": OBEC,
            "round": number,
            "amount": allocated,
            "note": f"{group} (ตารางที่ ๑๓)",
        }
        for number, (_label, group, allocated, _paid) in enumerate(TABLE_13, start=1)
    ]
    allocations.append(
        {"source": CENTRAL_FUND, "round": 1, "amount": CENTRAL[2], "note": CENTRAL[0]}
    )
    running = [
        {
            "order": number,
            "source": OBEC,
            "category": group,
            "description": f"{group} ของสำนักงาน ปีงบประมาณ พ.ศ. ๒๕๖๕",
            "amount": allocated,
        }
        for number, (_label, group, allocated, _paid) in enumerate(TABLE_13, start=1)
    ]
    running.append(
        {
            "order": len(running) + 1,
            "source": CENTRAL_FUND,
            "category": CENTRAL[1],
            "description": "งบกลาง รายการเงินสำรองจ่ายเพื่อกรณีฉุกเฉินหรือจำเป็น",
            "amount": CENTRAL[2],
        }
    )
    return {
        layout.PLAN.name: [
            {
                "fiscal_year": FISCAL_YEAR,
                "title": "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๖๕",
            }
        ],
        layout.ALLOCATIONS.name: allocations,
        layout.OPERATING_COSTS.name: running,
    }


def payments() -> list[dict]:
    """The finance sheet: what each running cost paid in the year."""
    paid = [row[3] for row in TABLE_13] + [CENTRAL[3]]
    return [
        {
            "paid_on": PAID_ON,
            "document_number": f"สรุป-2565-{number}",
            "running_cost": number,
            "amount": amount,
            "note": "ยอดเบิกจ่ายทั้งปีตามตารางที่ ๑๓",
        }
        for number, amount in enumerate(paid, start=1)
    ]


def main() -> None:
    workbook_builder.setup_django()
    workbook_builder.write_book(MONEY, rows())
    workbook_builder.write_payments(PAYMENTS, payments())


if __name__ == "__main__":
    main()
