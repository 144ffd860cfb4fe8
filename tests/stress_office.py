"""A stress office: the widest amounts and longest texts a real office prints.

The documents were laid out with amounts of about seven digits; real offices
print eight and nine (318,223,938.00), and their titles, group names and
positions are long. This builder makes one office year (FY 2570) whose every
printed value is as wide as a real one can be, so the overflow detector
(:mod:`tests.pdf_layout`) runs over the worst case:

- the plan's projects add up to exactly 999,999,999.99 (the widest amount a
  money column holds), the envelope is 999,999,999.99, one project is
  987,654,321.09 with one cost line of 900,000,000.00 and 40 activities, one
  disbursement run adds up to 876,543,210.98;
- the longest project titles, group names, person names and positions found
  in the offices' own documents (``/work/shared/seeds``);
- a project that runs 24 months (June 2570 – March 2571 crosses into the next
  fiscal year), zero-budget projects, a not-started project;
- the office's running costs (the plan book's spending plan) with seed 000's
  longest line and eight-digit amounts, and every project aligned with the
  OBEC strategies of the register (the alignment matrix at its widest).

Digits are chosen by the document (``thai`` or ``arabic``), not here.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.core.management import call_command

from budgets.models import (
    BudgetSource,
    CostLine,
    ExpenseCategory,
    OperatingCost,
    OperatingDisbursement,
)
from core.models import GroupHeadAssignment
from core.roles import Role
from plans.models import PolicyItem
from progress.models import KPIActual
from reports.models import BookSection, IndicatorResult
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    DisbursementFactory,
    GroupHeadAssignmentFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    ObjectiveFactory,
    OfficeGroupFactory,
    OrganizationFactory,
    PlanFactory,
    ProgressReportFactory,
    ProjectFactory,
    ProjectKPIFactory,
    ProjectResponsibleFactory,
    QuarterPlanFactory,
    ReportingRoundFactory,
    StrategyFactory,
    make_staff,
)

FISCAL_YEAR = 2570
WIDEST = Decimal("999999999.99")

# From the offices' documents in /work/shared/seeds (the longest of each kind).
OFFICE = "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาพิษณุโลก อุตรดิตถ์"
OFFICE_SHORT = "สพม.พิษณุโลก อุตรดิตถ์"
LONG_PROJECT = (
    "โครงการ อบรมการเสริมสร้างและพัฒนาข้าราชการครูและบุคลากรทางการศึกษา "
    "เพื่อขับเคลื่อนคุณภาพการศึกษาของสถานศึกษาสู่การปฏิบัติในรูปแบบ ONLINE"
)
PROJECTS = [
    "โครงการพัฒนารูปแบบการจัดการเรียนการสอนในสถานการณ์การแพร่ระบาดของ"
    "โรคติดเชื้อไวรัสโคโรนา 2019 (Covid-19)",
    "โครงการ ส่งเสริม สนับสนุนการพัฒนาและยกย่องเชิดชูเกียรติข้าราชการครูและบุคลากรทางการศึกษา",
    "โครงการขับเคลื่อนและพัฒนาระบบดูแลช่วยเหลือและคุ้มครองนักเรียน ประจำปีงบประมาณ 2570",
]
GROUPS = [
    "กลุ่มส่งเสริมการศึกษาทางไกลเทคโนโลยีสารสนเทศและการสื่อสาร",
    "กลุ่มนิเทศติดตามและประเมินผลการจัดการศึกษา",
    "กลุ่มพัฒนาครูและบุคลากรทางการศึกษา",
]
DIRECTOR_POSITION = f"ผู้อำนวยการ{OFFICE}"
DEPUTY_POSITION = f"รองผู้อำนวยการ{OFFICE}"
PEOPLE = [
    ("ว่าที่ร้อยตรี", "จิรวรรณ", "สุรเสียงสุวรรณรัตน์", DEPUTY_POSITION),
    ("นางสาว", "ปาริชาติ", "เกสัชชาภิรมย์", "ผู้อำนวยการกลุ่มนิเทศติดตามและประเมินผลการจัดการศึกษา"),
    ("นาย", "พิชิตชัย", "อินทร์ภูวงค์", "นักวิเคราะห์นโยบายและแผนชำนาญการพิเศษ"),
]
#: seed 000's longest running-cost line, and wide amounts
RUNNING_COSTS = [
    (
        "ค่าใช้จ่ายในการเดินทางไปราชการ เพื่อประเมินประสิทธิภาพและประสิทธิผล"
        "การปฏิบัติงานผู้บริหารสถานศึกษา",
        "98765432.10",
    ),
    ("ค่าจ้างลูกจ้างชั่วคราว", "12345678.90"),
]
INDICATOR = (
    "ร้อยละของสถานศึกษาในสังกัดที่จัดการเรียนการสอนเชิงรุก (Active Learning) "
    "ตามหลักสูตรฐานสมรรถนะและผ่านการประเมินคุณภาพภายในระดับดีขึ้นไป"
)


def _person(office, group, index, roles):
    title, first, last, position = PEOPLE[index % len(PEOPLE)]
    return make_staff(
        office,
        roles=roles,
        group=group,
        title=title,
        first_name=first,
        last_name=last,
        position=position,
    )


def build_stress_office() -> SimpleNamespace:
    """The stress office's FY 2570 (see the module docstring)."""
    call_command("loaddata", "budget_sources", "expense_categories", verbosity=0)
    category = {c.code: c for c in ExpenseCategory.objects.all()}
    source = BudgetSource.objects.get(code="basic-human-capital")
    office = OrganizationFactory(name=OFFICE, short_name=OFFICE_SHORT, kind="spm")
    groups = [
        OfficeGroupFactory(organization=office, name=name, order=order)
        for order, name in enumerate(GROUPS, start=1)
    ]
    director = _person(office, None, 0, [Role.DIRECTOR])
    director.position = DIRECTOR_POSITION
    director.save()
    office.director = director
    office.save(update_fields=["director"])
    heads = [
        _person(office, group, index + 1, [Role.GROUP_HEAD])
        for index, group in enumerate(groups)
    ]
    for group, head in zip(groups, heads, strict=True):
        GroupHeadAssignmentFactory(
            group=group,
            person=head,
            kind=GroupHeadAssignment.Kind.ACTING,
            start_date=datetime.date(2025, 5, 15),
        )
    officer = _person(office, groups[0], 2, [Role.PROJECT_OFFICER])

    plan = PlanFactory(organization=office, fiscal_year=FISCAL_YEAR)
    strategies = [
        StrategyFactory(
            plan=plan,
            number=number,
            title="พัฒนาคุณภาพผู้เรียนให้มีสมรรถนะที่จำเป็นในศตวรรษที่ 21 "
            "และส่งเสริมการจัดการศึกษาเพื่อความเป็นพลเมืองที่ดี",
        )
        for number in (1, 2)
    ]
    for strategy in strategies:
        for number, unit in ((1, "percent"), (2, "count")):
            indicator = IndicatorFactory(
                strategy=strategy,
                number=number,
                name=INDICATOR,
                unit=unit,
                unit_label="" if unit == "percent" else "โรงเรียน",
            )
            # The most an indicator counts: every school of a large office.
            top = 100 if unit == "percent" else 999
            IndicatorTargetFactory(
                indicator=indicator, fiscal_year=FISCAL_YEAR, target_value=top
            )
            IndicatorResult.objects.create(
                indicator=indicator, fiscal_year=FISCAL_YEAR, actual_value=top - 1
            )
    AllocationFactory(
        organization=office, fiscal_year=FISCAL_YEAR, source=source, amount=WIDEST
    )
    # The central fund, below the annual budget table's total: its widest
    # amounts, a running cost and its payment (loaddata leaves the source's
    # ``outside_total`` at its default, so it is set here).
    central = BudgetSource.objects.get(code="central-fund")
    central.outside_total = True
    central.save(update_fields=["outside_total"])
    AllocationFactory(
        organization=office, fiscal_year=FISCAL_YEAR, source=central, amount=WIDEST
    )
    running = OperatingCost.objects.create(
        organization=office,
        fiscal_year=FISCAL_YEAR,
        source=central,
        category=category["other-expense"],
        description="งบกลาง รายการเงินสำรองจ่ายเพื่อกรณีฉุกเฉินหรือจำเป็น",
        amount=WIDEST,
    )
    OperatingDisbursement.objects.create(
        operating_cost=running,
        paid_on=datetime.date(FISCAL_YEAR - 543, 9, 30),
        amount=WIDEST - Decimal("0.01"),
    )

    # The 24-month project: June 2570 – March 2571 spans FY 2570 and 2571.
    long_total = Decimal("12345678.90")
    spanning = ProjectFactory(
        plan=plan,
        group=groups[1],
        sequence=2,
        code="70-002",
        name=PROJECTS[0],
        status="approved",
        budget_source=source,
        start_month=datetime.date(2027, 6, 1),
        end_month=datetime.date(2028, 3, 1),
    )
    spanning.strategies.set(strategies)
    activity = ActivityFactory(
        project=spanning,
        order=1,
        name=LONG_PROJECT,
        months=["2027-06-01", "2027-07-01", "2027-08-01", "2027-09-01"],
    )
    _line(activity, category["services"], "ค่าจ้างเหมาบริการ", long_total)
    QuarterPlanFactory(activity=activity, quarter=4, amount=long_total)

    # The widest project: 40 activities adding up to 987,654,321.09.
    big_total = WIDEST - long_total
    big = ProjectFactory(
        plan=plan,
        group=groups[0],
        sequence=1,
        code="70-001",
        name=LONG_PROJECT,
        status="approved",
        budget_source=source,
        start_month=datetime.date(2026, 10, 1),
        end_month=datetime.date(2027, 9, 1),
        location="ห้องประชุมสำนักงานเขตพื้นที่การศึกษามัธยมศึกษาพิษณุโลก อุตรดิตถ์",
        target_group="ข้าราชการครูและบุคลากรทางการศึกษาในสังกัดทุกคน",
    )
    big.strategies.set(strategies[:1])
    for order, person in enumerate([officer, heads[1], heads[2]], start=1):
        ProjectResponsibleFactory(project=big, person=person, order=order)
    ObjectiveFactory(project=big, text=LONG_PROJECT)
    kpi = ProjectKPIFactory(project=big, name=INDICATOR, target_value=99999)
    small = Decimal("1234567.89")
    rest = big_total - 39 * small
    quarters = {1: Decimal(0), 2: Decimal(0), 3: Decimal(0), 4: Decimal(0)}
    first_lines = []
    for order in range(1, 41):
        activity = ActivityFactory(
            project=big,
            order=order,
            name=f"กิจกรรมที่ {order} {PROJECTS[order % 3]}",
            months=["2026-10-01", "2026-11-01", "2027-09-01"],
        )
        amount = rest if order == 1 else small
        if order == 1:
            first_lines.append(
                _line(
                    activity,
                    category["compensation"],
                    "ค่าตอบแทนวิทยากรผู้ทรงคุณวุฒิจากสถาบันอุดมศึกษา",
                    Decimal("900000000.00"),
                    times=Decimal("99999.99"),
                    persons=Decimal("999"),
                    rate=Decimal("9999.99"),
                )
            )
            first_lines.append(
                _line(
                    activity,
                    category["services"],
                    "ค่าอาหารกลางวันและอาหารว่างพร้อมเครื่องดื่ม",
                    rest - Decimal("900000000.00") - Decimal("1000000.00"),
                )
            )
            first_lines.append(
                _line(activity, category["materials"], "ค่าวัสดุ", Decimal("1000000.00"))
            )
        else:
            _line(activity, category["materials"], "ค่าวัสดุสำนักงาน", amount)
        quarter = 1 + order % 4
        QuarterPlanFactory(activity=activity, quarter=quarter, amount=amount)
        quarters[quarter] += amount
    disbursed = [Decimal("800000000.00"), Decimal("76543210.98")]
    for amount, day in zip(
        disbursed,
        (datetime.date(2026, 11, 20), datetime.date(2027, 1, 10)),
        strict=True,
    ):
        DisbursementFactory(
            activity=big.activities.get(order=1),
            cost_line=first_lines[0],
            amount=amount,
            paid_on=day,
        )

    # Zero-budget and not-started projects (both print "-" and no calendar).
    zero = ProjectFactory(
        plan=plan,
        group=groups[2],
        sequence=3,
        code="70-003",
        name=PROJECTS[1],
        status="approved",
        uses_budget=False,
        start_month=datetime.date(2026, 10, 1),
        end_month=datetime.date(2027, 9, 1),
    )
    zero.strategies.set(strategies[:1])
    ActivityFactory(project=zero, order=1, name="ประชุมชี้แจง", months=["2027-01-01"])
    idle = ProjectFactory(
        plan=plan,
        group=groups[2],
        sequence=4,
        code="70-004",
        name=PROJECTS[2],
        status="approved",
        budget_source=source,
        start_month=datetime.date(2027, 4, 1),
        end_month=datetime.date(2027, 9, 1),
    )
    idle.strategies.set(strategies[1:])
    ActivityFactory(project=idle, order=1, name="ยังไม่ได้ดำเนินการ", months=[])

    for order, (description, amount) in enumerate(RUNNING_COSTS, start=1):
        OperatingCost.objects.create(
            organization=office,
            fiscal_year=FISCAL_YEAR,
            source=source,
            category=category["utilities"],
            order=order,
            description=description,
            amount=Decimal(amount),
        )
    obec = list(
        PolicyItem.objects.filter(
            kind=PolicyItem.Kind.OBEC_STRATEGY, parent__isnull=False
        )
    )
    for project in (big, spanning, zero, idle):
        project.policy_items.add(*obec)

    BookSection.objects.create(
        plan=plan,
        part="foreword",
        title="คำนำ",
        body=f"{OFFICE} ได้จัดทำแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2570 ฉบับนี้",
    )
    rounds = {
        number: ReportingRoundFactory(
            organization=office, fiscal_year=FISCAL_YEAR, number=number
        )
        for number in (2, 4)
    }
    ProgressReportFactory(project=big, round=rounds[2], status="in_progress")
    ProgressReportFactory(project=spanning, round=rounds[2], status="in_progress")
    ProgressReportFactory(project=zero, round=rounds[2], status="in_progress")
    final = ProgressReportFactory(
        project=big,
        round=rounds[4],
        status="completed",
        percent_complete=100,
        problems=LONG_PROJECT,
        suggestions=LONG_PROJECT,
    )
    KPIActual.objects.create(report=final, kpi=kpi, actual_value=88888)
    ProgressReportFactory(
        project=spanning, round=rounds[4], status="in_progress", percent_complete=50
    )
    return SimpleNamespace(
        office=office,
        plan=plan,
        big=big,
        spanning=spanning,
        zero=zero,
        idle=idle,
        groups=groups,
        director=director,
        rounds=rounds,
    )


def _line(activity, category, description, amount, **factors) -> CostLine:
    return CostLine.objects.create(
        activity=activity,
        category=category,
        description=description,
        amount=Decimal(amount),
        **factors,
    )
