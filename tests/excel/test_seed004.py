"""Seed 004's fourteen office projects (FY2565), typed into the whole-office
workbook, import into a fresh office; the roll-ups, the baht in words and the
plan book print the seed's figures (issue 15 item 7)."""

from decimal import Decimal
from pathlib import Path

import pytest

from budgets.models import CostLine
from budgets.rollups import category_tables, office_totals, source_rows
from core.thai import bahttext
from plans.models import Plan, PolicyItem
from projects.models import Activity, Objective, Project
from tests.data import build_seed004 as seed
from tests.excel.conftest import assert_builder_rows, plan_book_words

pytestmark = pytest.mark.django_db

WORKBOOK = Path(__file__).resolve().parent.parent / "data" / "seed004_projects.xlsx"
OFFICE = "สพม.พิษณุโลก อุตรดิตถ์"
SEED = "004"  # the workbook the ``seed_plan`` fixture imports
TOTAL = Decimal("1570474.20")  # the fourteen budgets the pages print, added up


@pytest.fixture
def plan(seed_plan) -> Plan:
    return seed_plan


def test_the_committed_workbook_holds_the_builders_rows():
    assert_builder_rows(WORKBOOK, seed)


def test_seed_004_projects_import_and_add_up(plan):
    office = plan.organization
    projects = Project.objects.filter(plan=plan)
    assert projects.count() == 14
    assert Objective.objects.filter(project__plan=plan).count() == 67
    assert Activity.objects.filter(project__plan=plan).count() == 68
    # The report prints no period for any of them.
    assert not projects.filter(start_month__isnull=False).exists()

    # Per-project totals as each page prints them.
    budgets = {
        int(project.code): sum(
            (
                line.amount
                for line in CostLine.objects.filter(activity__project=project)
            ),
            Decimal(0),
        )
        for project in projects
    }
    assert budgets == {number: amount for number, *_, amount in seed.PROJECTS}
    assert budgets[9] == Decimal("43135.20")

    # The office's allocation (ตารางที่ ๑๓) and what the projects take of it.
    totals = office_totals(office, 2565)
    assert totals["allocated"] == Decimal("318223938")
    assert totals["total_budget"] == TOTAL
    assert totals["operating"] == 0
    (source,) = source_rows(office, 2565)
    assert source.remainder == Decimal("318223938") - TOTAL

    # No page names an expense category: the whole budget is unclassified.
    _, listed = category_tables(office, 2565)
    assert [(row.name, row.project_budget) for row in listed] == [("ไม่ระบุหมวด", TOTAL)]

    # Per group: the supervision group holds projects 3, 4, 5 and 14.
    supervision = projects.filter(group__name__contains="นิเทศ")
    assert sorted(int(p.code) for p in supervision) == [3, 4, 5, 14]


def test_the_baht_in_words_and_where_the_report_got_them_wrong():
    # Ten pages print the words bahttext gives; four print wrong words (a
    # missing ห้า/หก, two garbled), and the app prints the right ones.
    right = {
        n
        for n, words in seed.PRINTED_WORDS.items()
        if words
        == bahttext({number: amount for number, *_, amount in seed.PROJECTS}[n])
    }
    assert right == {1, 2, 3, 4, 8, 9, 10, 11, 13, 14}
    assert bahttext(Decimal("147245")) == "หนึ่งแสนสี่หมื่นเจ็ดพันสองร้อยสี่สิบห้าบาทถ้วน"
    assert bahttext(Decimal("348445")) == "สามแสนสี่หมื่นแปดพันสี่ร้อยสี่สิบห้าบาทถ้วน"
    assert bahttext(Decimal("94795")) == "เก้าหมื่นสี่พันเจ็ดร้อยเก้าสิบห้าบาทถ้วน"
    assert bahttext(Decimal("28256")) == "สองหมื่นแปดพันสองร้อยห้าสิบหกบาทถ้วน"
    assert bahttext(Decimal("318223938")) == (
        "สามร้อยสิบแปดล้านสองแสนสองหมื่นสามพันเก้าร้อยสามสิบแปดบาทถ้วน"
    )


def test_seed_004_alignment_counts(plan):
    links = Project.policy_items.through.objects.filter(project__plan=plan)
    assert links.count() == 53
    by_kind = {}
    for link in links.select_related("policyitem"):
        kind = link.policyitem.kind
        by_kind[kind] = by_kind.get(kind, 0) + 1
    assert by_kind == {
        PolicyItem.Kind.NATIONAL_STRATEGY: 15,
        PolicyItem.Kind.MASTER_PLAN: 15,
        PolicyItem.Kind.MOE_POLICY: 8,
        PolicyItem.Kind.OBEC_POLICY: 15,
    }
    # นโยบาย สพฐ.: one project on safety, one on opportunity, four on
    # quality, nine on efficiency (project 5 names both of the last two).
    obec = {
        item.code: item.projects.filter(plan=plan).count()
        for item in PolicyItem.objects.filter(kind=PolicyItem.Kind.OBEC_POLICY)
        if item.code
    }
    assert obec == {"1": 1, "2": 1, "3": 4, "4": 9}
    # The report numbers this strategy ๒; the register (and the link) say 4.
    two = Project.objects.get(plan=plan, code="2")
    assert two.policy_items.get(kind=PolicyItem.Kind.NATIONAL_STRATEGY).code == "4"


def test_seed_004_plan_book_prints_titles_and_totals(plan):
    flat = plan_book_words(plan)
    for name in ("โครงการยกระดับคุณภาพผู้เรียน", "โครงการรวมพลังครูเพื่อสร้างศิษย์"):
        assert name in flat
    for amount in ("375,000", "43,135.20", "1,570,474.20", "318,223,938"):
        assert amount in flat, amount
    # Fourteen projects without a period print "-" for it.
    assert flat.count("ระยะเวลาดำเนินการ - ") == 14
