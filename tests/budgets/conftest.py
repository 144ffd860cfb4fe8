"""Money fixtures: the seed 000 office year (สพป.ยโสธร เขต 2, FY 2562 figures).

A 1,000,000-baht envelope from แผนงานพื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพคน:
775,000 office running costs + 225,000 for four projects, plus projects that
use no budget.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from budgets.models import BudgetSource, CostLine, ExpenseCategory
from projects.models import Project
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    OfficeGroupFactory,
    OperatingCostFactory,
    PlanFactory,
    ProjectFactory,
    StrategyFactory,
)

FISCAL_YEAR = 2568


@pytest.fixture
def reference(db):
    call_command("loaddata", "budget_sources", "expense_categories", verbosity=0)
    categories = {c.code: c for c in ExpenseCategory.objects.all()}
    return SimpleNamespace(
        basic=BudgetSource.objects.get(code="basic-human-capital"),
        obec=BudgetSource.objects.get(code="obec"),
        **{code.replace("-", "_"): category for code, category in categories.items()},
    )


@pytest.fixture
def plan(office):
    return PlanFactory(organization=office, fiscal_year=FISCAL_YEAR)


def add_line(activity, category, description, amount, **factors) -> CostLine:
    """Save a line directly (fixtures bypass the envelope control)."""
    return CostLine.objects.create(
        activity=activity,
        category=category,
        description=description,
        amount=Decimal(amount),
        **factors,
    )


def approve_money_projects(seed) -> None:
    """Mark seed 000's budgeted projects approved, as a year being paid is:
    money goes out only on approved projects (``disbursement_validate``).
    A plain update: the tests that use it are about payments, not workflow."""
    Project.objects.filter(
        pk__in=[seed.quality.pk, seed.reading.pk, seed.small.pk, seed.area.pk]
    ).update(status=Project.Status.APPROVED)
    for project in (seed.quality, seed.reading, seed.small, seed.area):
        project.refresh_from_db()


@pytest.fixture
def seed000(office, group_a, plan, reference):
    supervision = OfficeGroupFactory(
        organization=office, name="กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา", order=3
    )
    s1 = StrategyFactory(plan=plan, number=1, title="พัฒนาคุณภาพผู้เรียน")
    s2 = StrategyFactory(plan=plan, number=2, title="ลดความเหลื่อมล้ำทางการศึกษา")
    source = reference.basic
    AllocationFactory(
        organization=office, fiscal_year=FISCAL_YEAR, source=source, amount=1000000
    )
    for description, category, amount in [
        ("ค่าสาธารณูปโภค", reference.utilities, 300000),
        ("ค่าจ้างลูกจ้างชั่วคราว", reference.temporary_wages, 320000),
        ("ค่าวัสดุน้ำมันเชื้อเพลิงและหล่อลื่น", reference.materials, 100000),
        ("ค่าใช้จ่ายในการเดินทางไปราชการ", reference.services, 55000),
    ]:
        OperatingCostFactory(
            organization=office,
            fiscal_year=FISCAL_YEAR,
            source=source,
            category=category,
            description=description,
            amount=amount,
        )

    def project(name, group, strategies, **fields):
        created = ProjectFactory(
            plan=plan, group=group, name=name, budget_source=source, **fields
        )
        created.strategies.set(strategies)
        return created

    quality = project("โครงการโรงเรียนคุณภาพประจำตำบล", supervision, [s1, s2])
    act = ActivityFactory(project=quality, name="ประชุมเชิงปฏิบัติการ")
    add_line(
        act,
        reference.compensation,
        "ค่าตอบแทนวิทยากร",
        3600,
        times=1,
        persons=3,
        days=2,
        days_unit="ชั่วโมง",
        rate=600,
    )
    add_line(act, reference.services, "ค่าอาหาร", 96400)

    reading = project("โครงการอ่านออก เขียนได้ และคิดเลขเป็น", supervision, [s1])
    act = ActivityFactory(project=reading, name="ทดสอบการอ่าน")
    add_line(act, reference.materials, "ค่าวัสดุ", 45000)

    small = project("โครงการการพัฒนาคุณภาพโรงเรียนขนาดเล็ก", group_a, [])
    act = ActivityFactory(project=small, name="พัฒนาโรงเรียนขนาดเล็ก")
    add_line(act, reference.services, "ค่าใช้จ่ายในการจัดประชุม", 50000)

    # seed 000 project 2.11: 30,000 = ค่าใช้สอย 26,800 + ค่าวัสดุ 3,200
    area = project("โครงการนิเทศบูรณาการโดยใช้พื้นที่เป็นฐาน", supervision, [s2])
    a1 = ActivityFactory(project=area, order=1, name="ประชุมวางแผนการนิเทศ")
    add_line(
        a1, reference.services, "ค่าอาหารและเครื่องดื่ม", 2400, times=1, persons=12, rate=200
    )
    add_line(
        a1,
        reference.materials,
        "จัดทำแผนนิเทศ",
        1000,
        persons=20,
        persons_unit="เล่ม",
        rate=50,
    )
    add_line(
        a1,
        reference.materials,
        "จัดทำรายงานผลการนิเทศ",
        1000,
        persons=20,
        persons_unit="เล่ม",
        rate=50,
    )
    ActivityFactory(project=area, order=2, name="ประเมินความพร้อมวันเปิดภาคเรียน")
    a3 = ActivityFactory(project=area, order=3, name="ปฏิบัติการนิเทศตามภาระงานหลัก")
    add_line(a3, reference.services, "ค่าพาหนะสำหรับผู้นิเทศ", 11000)
    a4 = ActivityFactory(project=area, order=4, name="ปฏิบัติการนิเทศตามงานนโยบาย")
    add_line(a4, reference.services, "ค่าพาหนะสำหรับผู้นิเทศ", 11000)
    a5 = ActivityFactory(project=area, order=5, name="ประชุมสรุปผลการนิเทศ")
    add_line(
        a5, reference.services, "ค่าอาหารกลางวัน", 2400, times=1, persons=12, rate=200
    )
    a6 = ActivityFactory(project=area, order=6, name="รายงานผลการนิเทศ")
    add_line(
        a6,
        reference.materials,
        "จัดทำเอกสารรายงาน",
        1200,
        persons=20,
        persons_unit="เล่ม",
        rate=60,
    )

    no_budget = ProjectFactory(
        plan=plan, group=supervision, name="โครงการโรงเรียนประชารัฐ", uses_budget=False
    )
    return SimpleNamespace(
        office=office,
        plan=plan,
        source=source,
        supervision=supervision,
        group_a=group_a,
        s1=s1,
        s2=s2,
        quality=quality,
        reading=reading,
        small=small,
        area=area,
        area_activities=[a1, a3, a4, a5, a6],
        no_budget=no_budget,
        today=datetime.date(2024, 12, 1),
    )
