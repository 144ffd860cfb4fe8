"""The demo office's direction (สพป.ยโสธร เขต 2), in the style of seed 003.

``load_demo_plan`` builds the current fiscal year's plan (ร่าง, so projects can be
added) and the previous year's plan (อนุมัติแล้ว), each with a vision, 4 missions,
6 goals, 4 strategies numbered 1–4, 21 indicators with targets for the plan year
and the three years after it, guidelines, and links to the policy fixtures.
Rows are matched on their natural keys (plan + number, indicator + year), so a
second run updates them in place and keeps their primary keys.

``home.demo.load_demo`` (``make run``) runs this builder only on a demo office
that holds no plan, money or reporting round yet, so the rows it rewrites or
deletes when called again are never ones people entered.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from core.models import Organization
from core.thai import current_fiscal_year, fiscal_year_range
from plans.indicators import Comparison, Direction, Unit
from plans.models import (
    Goal,
    Guideline,
    Indicator,
    IndicatorTarget,
    Mission,
    Plan,
    PolicyItem,
    Strategy,
)

DEMO_OFFICE_PK = 1
OFFICE_NAME = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษายโสธร เขต 2"

MISSIONS = [
    "ส่งเสริมการจัดการศึกษาเพื่อพัฒนานักเรียนให้มีคุณภาพตามหลักสูตรและมาตรฐานการศึกษา",
    "พัฒนาผู้บริหาร ครูและบุคลากรทางการศึกษาให้มีคุณภาพตามมาตรฐานวิชาชีพ",
    "พัฒนาสถานศึกษาและเครือข่ายการบริหารจัดการศึกษาให้มีคุณภาพและประสิทธิภาพ ที่เหมาะสมกับบริบท",
    "พัฒนาสำนักงานเขตพื้นที่การศึกษาให้มีระบบบริหารจัดการที่มีประสิทธิภาพ ประสิทธิผล"
    " และมีความเป็นเลิศที่เหมาะสมกับบริบท",
]

GOALS = [
    "นักเรียนทุกช่วงวัยในระดับการศึกษาขั้นพื้นฐาน มีความรักในสถาบันหลักของชาติ"
    " และยึดมั่นการปกครองระบอบประชาธิปไตยอันมีพระมหากษัตริย์ทรงเป็นประมุข"
    " เป็นพลเมืองที่รู้สิทธิและหน้าที่อย่างมีความรับผิดชอบ มีจิตสาธารณะ",
    "นักเรียนทุกช่วงวัยได้รับโอกาสและความเสมอภาคทางการศึกษา มีคุณภาพตามมาตรฐาน"
    " สอดคล้องกับศักยภาพและบริบท เป็นผู้มีสมรรถนะและทักษะที่จำเป็นในศตวรรษที่ 21",
    "นักเรียนที่เป็นกลุ่มเสี่ยงที่จะออกจากระบบการศึกษา ออกกลางคัน หรือเด็กตกหล่น"
    " ได้รับการช่วยเหลือให้ได้รับการศึกษาขั้นพื้นฐาน",
    "นักเรียน ครูและบุคลากรทางการศึกษาและสถานศึกษา ได้รับการดูแลความปลอดภัย"
    "จากภัยคุกคามทุกรูปแบบ และมีสภาพแวดล้อมที่เอื้อต่อการมีสุขภาวะที่ดี",
    "ผู้บริหาร ครูและบุคลากรทางการศึกษา มีความรู้ ความสามารถ สมรรถนะตามมาตรฐานตำแหน่ง"
    "และวิทยฐานะ ตามจรรยาบรรณวิชาชีพ รวมถึงจิตวิญญาณความเป็นครู",
    "สำนักงานเขตพื้นที่การศึกษามีความเป็นเลิศตามมาตรฐานสำนักงานเขตพื้นที่การศึกษา"
    " นำข้อมูลสารสนเทศและเทคโนโลยีดิจิทัลมาใช้ในการบริหารอย่างมีประสิทธิภาพ",
]

P, C, L, S, T = Unit.PERCENT, Unit.COUNT, Unit.LEVEL, Unit.SCORE, Unit.TEXT

# Each indicator: (name, unit, unit_label, baseline, targets for year 0..3, tags,
# goal number); a target is a number, a text, or (number, text); a "≤" prefix on
# the tags marks "lower is better" (ไม่เกิน).
STRATEGIES = [
    {
        "title": "การพัฒนาคุณภาพนักเรียน",
        "goals": [1, 2, 4],
        "policies": [103, 120, 161, 203, 401, 403, 322],
        "guidelines": [
            "สนับสนุน ส่งเสริม พัฒนาระบบ กลไก และพื้นที่ความปลอดภัยให้ผู้เรียน"
            " ได้เรียนรู้เกี่ยวกับภัยรูปแบบต่าง ๆ ที่มีผลกระทบต่อความปลอดภัยในการดำเนินชีวิต",
            "ส่งเสริมการจัดการศึกษาระดับปฐมวัยให้มีพัฒนาการสมวัย มีคุณภาพตามมาตรฐานการพัฒนาเด็กปฐมวัย",
            "ส่งเสริมพัฒนาผู้เรียนให้มีสมรรถนะและทักษะด้านการอ่าน คณิตศาสตร์ การคิดขั้นสูง"
            " นวัตกรรม วิทยาศาสตร์และเทคโนโลยีดิจิทัล และภาษาต่างประเทศ",
            "ส่งเสริม พัฒนาทักษะด้านดิจิทัลและด้านการเรียนรู้สำหรับผู้เรียน"
            " ที่นำไปสู่ Digital Life & Learning",
            "ส่งเสริมการจัดการศึกษาให้ผู้เรียนที่มีความสามารถพิเศษได้รับโอกาสในการพัฒนาเต็มตามศักยภาพ",
        ],
        "indicators": [
            (
                "ร้อยละของผู้เรียนที่มีความเข้าใจในภัยคุกคามรูปแบบใหม่ทุกรูปแบบ"
                " รู้เท่าทันสื่อและเทคโนโลยีในการดำเนินชีวิตวิถีใหม่",
                P,
                "",
                "75",
                [80, 85, 90, 95],
                "S,M",
                4,
            ),
            (
                "ร้อยละของผู้เรียนชั้นประถมศึกษาปีที่ 1 อ่านออกและเขียนได้",
                P,
                "",
                "68.50",
                [70, 75, 80, 85],
                "A,R",
                2,
            ),
            (
                "ร้อยละของผู้เรียนชั้นประถมศึกษาปีที่ 3 อ่านคล่องและเขียนคล่อง",
                P,
                "",
                "",
                [70, 75, 80, 85],
                "A,R",
                2,
            ),
            (
                "ร้อยละของผู้เรียนปฐมวัยมีพัฒนาการสมวัยทั้งด้านร่างกาย จิตใจ วินัย อารมณ์"
                " สังคม และสติปัญญา",
                P,
                "",
                "",
                [80, 85, 90, 95],
                "S,M,A,R,T",
                2,
            ),
            (
                "จำนวนผู้เรียนระดับชั้นมัธยมศึกษาตอนต้นที่ได้รับการพัฒนาสมรรถนะ"
                "ตามแนวทางการประเมิน PISA ด้วยชุดฝึกสมรรถนะและข้อสอบ PISA style",
                C,
                "คน",
                "1,050",
                [1200, 1300, 1400, 1500],
                "S,A",
                2,
            ),
            (
                "ผลการประเมินคุณลักษณะอันพึงประสงค์ของผู้เรียนตามหลักสูตร",
                L,
                "",
                "ระดับดี",
                ["ระดับดีขึ้นไป", "ระดับดีขึ้นไป", "ระดับดีเยี่ยม", "ระดับดีเยี่ยม"],
                "M,T",
                1,
            ),
        ],
    },
    {
        "title": "การพัฒนาครูและบุคลากรทางการศึกษา",
        "goals": [5],
        "policies": [103, 120, 203, 403, 321],
        "guidelines": [
            "ส่งเสริม และสนับสนุนให้ครูและบุคลากรทางการศึกษาสามารถจัดการเรียนรู้เชิงรุก"
            " (Active Learning) และเป็นผู้สร้างสรรค์นวัตกรรม (Co-creation)",
            "ส่งเสริม สนับสนุน การพัฒนาศักยภาพครูในด้านการวัดและประเมินผลเพื่อพัฒนา"
            "การเรียนรู้ของผู้เรียน (Assessment For Learning) ด้วยวิธีการที่หลากหลาย",
            "พัฒนาครูและบุคลากรทางการศึกษาให้มีความรู้ด้านเทคโนโลยี"
            " ที่สอดคล้องกับ Digital Literacy และสมรรถนะในด้านอื่น",
            "เสริมสร้างขวัญกำลังใจในความก้าวหน้าทางวิชาชีพ และการยกย่องเชิดชูเกียรติครู"
            "และบุคลากรทางการศึกษา",
        ],
        "indicators": [
            (
                "ร้อยละของครูที่จัดการเรียนรู้ฐานสมรรถนะและการเรียนรู้เชิงรุก (Active Learning)",
                P,
                "",
                "55",
                [60, 70, 80, 90],
                "A,R",
                5,
            ),
            (
                "ร้อยละของครูที่ได้รับการพัฒนาให้วัดและประเมินผลเพื่อพัฒนาการเรียนรู้"
                "ของผู้เรียน (Assessment For Learning)",
                P,
                "",
                "",
                [60, 70, 80, 90],
                "M",
                5,
            ),
            (
                "ร้อยละของครูและบุคลากรทางการศึกษาที่ได้รับการพัฒนาสมรรถนะ"
                "ด้านภาษาและเทคโนโลยีดิจิทัล (Digital Literacy)",
                P,
                "",
                "",
                [60, 70, 80, 90],
                "T",
                5,
            ),
            (
                "ร้อยละของครูที่มีผลการประเมินผ่านเกณฑ์ตามข้อตกลงในการพัฒนางาน (PA)",
                P,
                "",
                "100",
                [100, 100, 100, 100],
                "S,M,A,R,T",
                5,
            ),
            (
                "จำนวนนวัตกรรมการจัดการเรียนรู้ที่ครูพัฒนาและเผยแพร่",
                C,
                "ผลงาน",
                "24",
                [30, 40, 50, 60],
                "S",
                5,
            ),
        ],
    },
    {
        "title": "การพัฒนาสถานศึกษา",
        "goals": [2, 3, 4],
        "policies": [104, 130, 204, 401, 402],
        "guidelines": [
            "ส่งเสริมให้สถานศึกษามีการประเมินความเสี่ยงด้านความปลอดภัย"
            " และจัดทำแผนบริหารจัดการด้านความปลอดภัย รวมถึงแผนรองรับภัยพิบัติฉุกเฉิน",
            "ส่งเสริม สนับสนุน ในการค้นหา ติดตาม และส่งต่อนักเรียน เด็กตกหล่น"
            " เด็กออกกลางคัน ให้กลับเข้าสู่ระบบการศึกษาในรูปแบบที่เหมาะสม",
            "ส่งเสริม พัฒนาโรงเรียนคุณภาพ ให้เป็นต้นแบบการจัดการศึกษาที่มีคุณภาพ"
            " และโรงเรียนที่สามารถดำรงอยู่ได้อย่างมีคุณภาพ (Stand Alone)",
            "ส่งเสริมสถานศึกษาให้มีการพัฒนานวัตกรรมการศึกษาและการเรียนรู้"
            " เพื่อยกระดับผลสัมฤทธิ์ทางการเรียนและสมรรถนะของผู้เรียน",
        ],
        "indicators": [
            (
                "ร้อยละของสถานศึกษาที่มีแผนและมาตรการในการจัดการกับภัยพิบัติ"
                " ภัยคุกคามทุกรูปแบบ โรคอุบัติใหม่ และโรคอุบัติซ้ำ",
                P,
                "",
                "96",
                [100, 100, 100, 100],
                "S,M,A",
                4,
            ),
            (
                "ร้อยละของสถานศึกษาที่ผ่านเกณฑ์การประกันคุณภาพภายใน",
                P,
                "",
                "",
                [100, 100, 100, 100],
                "M,A,R,T",
                2,
            ),
            (
                "ร้อยละของเด็กออกกลางคันและเด็กตกหล่นที่กลับเข้าสู่ระบบการศึกษา"
                "หรือได้รับการศึกษาด้วยรูปแบบที่เหมาะสม",
                P,
                "",
                "",
                [100, 100, 100, 100],
                "M,T",
                3,
            ),
            (
                "อัตราการออกกลางคันของนักเรียนในสังกัด",
                P,
                "",
                "0.62",
                [0.5, 0.4, 0.3, 0.2],
                "≤M",
                3,
            ),
            (
                "ร้อยละของสถานศึกษาที่มีผลการประเมินคุณธรรมและความโปร่งใส"
                " (ITA Online) ระดับ A ขึ้นไป",
                P,
                "",
                "",
                [70, 75, 80, 85],
                "S,M,A,R,T",
                2,
            ),
        ],
    },
    {
        "title": "การพัฒนาสำนักงานเขตพื้นที่การศึกษา",
        "goals": [6],
        "policies": [106, 140, 206, 404],
        "guidelines": [
            "พัฒนาระบบเทคโนโลยีสารสนเทศในสำนักงานเขตพื้นที่การศึกษาเพื่อการบริหาร"
            "และจัดการศึกษา เช่น ระบบสารบรรณอิเล็กทรอนิกส์ ระบบข้อมูลจัดการและรายงาน",
            "ส่งเสริม พัฒนาระบบการบริหารจัดการ และระบบการประเมินให้มีประสิทธิภาพ"
            "และได้มาตรฐาน เช่น PMQA KRS ARS ITA มาตรฐานสำนักงานเขตพื้นที่การศึกษา",
            "จัดสรรงบประมาณเพื่อดำเนินงานหรือโครงการที่สอดคล้องกับเป้าหมาย ตัวชี้วัด"
            " ตามแผนปฏิบัติการประจำปีของสำนักงานเขตพื้นที่การศึกษา",
            "พัฒนาระบบการกำกับ ติดตาม ตรวจสอบ และประเมินผลการบริหารจัดการศึกษา"
            "ที่มีประสิทธิภาพ เน้นการมีส่วนร่วมจากทุกภาคส่วน",
        ],
        "indicators": [
            (
                "ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของสำนักงานเขตพื้นที่"
                "การศึกษา (ITA)",
                S,
                "คะแนน",
                "87.45",
                [(85, "ระดับ AA"), (85, "ระดับ AA"), (90, "ระดับ AA"), (90, "ระดับ AA")],
                "S,M,R",
                6,
            ),
            (
                "ร้อยละการเบิกจ่ายงบประมาณตามมาตรการเร่งรัดการเบิกจ่ายเงินงบประมาณของรัฐ",
                P,
                "",
                "93.20",
                [90, 92, 95, 95],
                "M,R",
                6,
            ),
            (
                "ร้อยละของผู้รับบริการที่มีความพึงพอใจต่อการให้บริการของสำนักงานเขตพื้นที่"
                "การศึกษาในระดับมากขึ้นไป",
                P,
                "",
                "",
                [80, 85, 90, 90],
                "R",
                6,
            ),
            (
                "ผลการประเมินมาตรฐานสำนักงานเขตพื้นที่การศึกษา",
                L,
                "",
                "ระดับดี",
                ["ระดับดีขึ้นไป", "ระดับดีขึ้นไป", "ระดับดีเยี่ยม", "ระดับดีเยี่ยม"],
                "S,M",
                6,
            ),
            (
                "ผลการประเมินการพัฒนาสู่ระบบราชการ 4.0",
                S,
                "คะแนน",
                "",
                [300, 300, 320, 350],
                "T",
                6,
            ),
            (
                "จำนวนระบบงานของสำนักงานที่เชื่อมโยงเป็นระบบดิจิทัลเดียวกัน"
                " (บริหารทั่วไป บุคคล งบประมาณ วิชาการ)",
                C,
                "ระบบ",
                "2",
                [3, 4, 4, 4],
                "T",
                6,
            ),
        ],
    },
]


def _sync(model: type[models.Model], parent: dict, key: str, rows: list[dict]) -> list:
    """update_or_create ``rows`` under ``parent`` by ``key``; delete the rest."""
    objects = [
        model.objects.update_or_create(
            **parent,
            **{key: row[key]},
            defaults={k: v for k, v in row.items() if k != key},
        )[0]
        for row in rows
    ]
    model.objects.filter(**parent).exclude(
        **{f"{key}__in": [r[key] for r in rows]}
    ).delete()
    return objects


def _baseline(text: str) -> dict:
    if not text:
        return {"baseline_value": None, "baseline_text": ""}
    if text[0].isdigit():
        return {"baseline_value": Decimal(text.replace(",", "")), "baseline_text": ""}
    return {"baseline_value": None, "baseline_text": text}


def _target(value, lower_is_better: bool) -> dict:
    comparison = Comparison.AT_MOST if lower_is_better else Comparison.AT_LEAST
    if isinstance(value, str):
        return {"comparison": comparison, "target_value": None, "target_text": value}
    if isinstance(value, tuple):
        number, text = value
        return {
            "comparison": comparison,
            "target_value": Decimal(str(number)),
            "target_text": text,
        }
    return {
        "comparison": comparison,
        "target_value": Decimal(str(value)),
        "target_text": "",
    }


def _build_plan(office: Organization, fiscal_year: int) -> Plan:
    plan, _ = Plan.objects.get_or_create(organization=office, fiscal_year=fiscal_year)
    plan.vision = (
        f"ภายในปีงบประมาณ {fiscal_year + 3} {OFFICE_NAME} มีความเป็นเลิศ นักเรียน"
        " ครูและบุคลากรทางการศึกษา สถานศึกษา ได้รับการพัฒนาให้มีคุณภาพตามมาตรฐาน"
    )
    plan.save()
    _sync(
        Mission,
        {"plan": plan},
        "number",
        [{"number": n, "text": t} for n, t in enumerate(MISSIONS, 1)],
    )
    goals = _sync(
        Goal,
        {"plan": plan},
        "number",
        [{"number": n, "text": t} for n, t in enumerate(GOALS, 1)],
    )
    goal_by_number = {g.number: g for g in goals}
    strategies = _sync(
        Strategy,
        {"plan": plan},
        "number",
        [
            {"number": n, "title": s["title"], "description": ""}
            for n, s in enumerate(STRATEGIES, 1)
        ],
    )
    years = [fiscal_year + offset for offset in range(4)]
    for strategy, data in zip(strategies, STRATEGIES, strict=True):
        strategy.goals.set(goal_by_number[n] for n in data["goals"])
        strategy.policy_items.set(PolicyItem.objects.filter(pk__in=data["policies"]))
        _sync(
            Guideline,
            {"strategy": strategy},
            "number",
            [{"number": n, "text": t} for n, t in enumerate(data["guidelines"], 1)],
        )
        indicator_rows = []
        for n, (name, unit, label, baseline, _targets, tags, goal) in enumerate(
            data["indicators"], 1
        ):
            lower = tags.startswith("≤")
            indicator_rows.append(
                {
                    "number": n,
                    "name": name,
                    "unit": unit,
                    "unit_label": label,
                    "direction": Direction.LOWER if lower else Direction.HIGHER,
                    "tags": tags.lstrip("≤"),
                    "goal": goal_by_number[goal],
                    **_baseline(baseline),
                }
            )
        indicators = _sync(Indicator, {"strategy": strategy}, "number", indicator_rows)
        for indicator, row in zip(indicators, data["indicators"], strict=True):
            targets, lower = row[4], row[5].startswith("≤")
            _sync(
                IndicatorTarget,
                {"indicator": indicator},
                "fiscal_year",
                [
                    {"fiscal_year": year, **_target(value, lower)}
                    for year, value in zip(years, targets, strict=True)
                ],
            )
    return plan


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@transaction.atomic
def load_demo_plan() -> Plan:
    """The demo office's plans: last year approved, this year a draft."""
    office = Organization.objects.get(pk=DEMO_OFFICE_PK)
    fiscal_year = current_fiscal_year()
    previous = _build_plan(office, fiscal_year - 1)
    director = get_user_model().objects.filter(username="director").first()
    previous.status = Plan.Status.APPROVED
    # Approved a week before its fiscal year began, as offices do.
    start, _ = fiscal_year_range(previous.fiscal_year)
    previous.submitted_at = _at(start - datetime.timedelta(days=14), 9)
    previous.approved_at = _at(start - datetime.timedelta(days=7), 14)
    previous.approved_by = director
    previous.save()
    current = _build_plan(office, fiscal_year)
    current.status = Plan.Status.DRAFT
    current.save()
    return current
