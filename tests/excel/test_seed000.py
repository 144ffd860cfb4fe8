"""Seed 000's FY2562 year, typed into the whole-office workbook, imports in one
go into a fresh office, and the roll-ups and the plan book print the figures the
seed prints (issue 15 item 7)."""

import subprocess
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from budgets.models import CostLine, OperatingCost
from budgets.rollups import category_tables, office_totals, source_rows
from core.thai import bahttext
from projects.models import Project
from tests.data import build_seed000 as seed
from tests.excel.conftest import assert_builder_rows

pytestmark = pytest.mark.django_db

WORKBOOK = Path(__file__).resolve().parent.parent / "data" / "seed000_fy2562.xlsx"
OFFICE = "สพป.ยโสธร เขต 2"
SEED = "000"  # the workbook the ``seed_plan`` fixture imports


def test_the_committed_workbook_is_what_the_builder_writes():
    assert_builder_rows(WORKBOOK, seed)


def test_seed_000_whole_year_imports_and_adds_up(seed_plan):
    plan = seed_plan
    office = plan.organization

    projects = Project.objects.filter(plan=plan)
    assert projects.count() == 16
    assert sorted(projects.values_list("code", flat=True)) == sorted(
        f"2.{n}" for n in range(1, 17)
    )
    # Twelve projects print ไม่ใช้งบประมาณ; four use money.
    assert projects.filter(uses_budget=False).count() == 12

    # The envelope and its split: 1,000,000 = running costs + projects.
    totals = office_totals(office, 2562)
    assert totals["allocated"] == Decimal("1000000")
    assert totals["operating"] == Decimal("775000")
    assert totals["total_budget"] == Decimal("225000")
    assert totals["allocated"] - totals["operating"] - totals["total_budget"] == 0
    assert totals["project_count"] == 16
    (source,) = source_rows(office, 2562)
    assert source.name == seed.SOURCE
    assert source.remainder == 0 and not source.is_over

    # The four named running-cost lines of ส่วนที่ ๑.
    assert [
        (cost.description, cost.amount)
        for cost in OperatingCost.objects.filter(organization=office).order_by("order")
    ] == [
        ("ค่าสาธารณูปโภค", Decimal("300000")),
        ("ค่าจ้างลูกจ้างชั่วคราว", Decimal("320000")),
        ("ค่าวัสดุน้ำมันเชื้อเพลิงและหล่อลื่น", Decimal("100000")),
        (
            "ค่าใช้จ่ายในการเดินทางไปราชการ เพื่อประเมินประสิทธิภาพและ"
            "ประสิทธิผลการปฏิบัติงานผู้บริหารสถานศึกษา",
            Decimal("55000"),
        ),
    ]

    # Per-project totals as the seed's table prints them.
    budgets = {
        project.code: sum(
            (
                line.amount
                for line in CostLine.objects.filter(activity__project=project)
            ),
            Decimal(0),
        )
        for project in projects
    }
    assert {code: amount for code, amount in budgets.items() if amount} == {
        "2.5": Decimal("100000"),
        "2.7": Decimal("45000"),
        "2.10": Decimal("50000"),
        "2.11": Decimal("30000"),
    }

    # Per-category totals: 2.11's table (ค่าใช้สอย 26,800, ค่าวัสดุ 3,200),
    # 2.10's ค่าใช้สอย 50,000, the running costs, and the 145,000 of 2.5 and
    # 2.7 that the seed leaves unclassified.
    _, listed = category_tables(office, 2562)
    by_name = {row.name: (row.project_budget, row.operating) for row in listed}
    assert by_name == {
        "ค่าใช้สอย": (Decimal("76800"), Decimal("55000")),
        "ค่าวัสดุ": (Decimal("3200"), Decimal("100000")),
        "ค่าสาธารณูปโภค": (Decimal("0"), Decimal("300000")),
        "ค่าจ้างชั่วคราว": (Decimal("0"), Decimal("320000")),
        "ไม่ระบุหมวด": (Decimal("145000"), Decimal("0")),
    }
    assert sum(p + o for p, o in by_name.values()) == Decimal("1000000")
    two_eleven = CostLine.objects.filter(activity__project__code="2.11")
    assert sum(
        (line.amount for line in two_eleven if line.category.name == "ค่าใช้สอย"),
        Decimal(0),
    ) == Decimal("26800")

    # Baht in words as the seed prints them (its project pages).
    assert bahttext(Decimal("100000")) == "หนึ่งแสนบาทถ้วน"
    assert bahttext(Decimal("45000")) == "สี่หมื่นห้าพันบาทถ้วน"
    assert bahttext(Decimal("50000")) == "ห้าหมื่นบาทถ้วน"
    assert bahttext(Decimal("30000")) == "สามหมื่นบาทถ้วน"
    assert bahttext(totals["allocated"]) == "หนึ่งล้านบาทถ้วน"

    # Alignment: every project names its ยุทธศาสตร์ สพฐ. 2562.
    strategies = {
        project.code: [item.code for item in project.policy_items.all()]
        for project in projects
    }
    assert strategies["2.1"] == ["(๒)"]
    assert strategies["2.8"] == ["(๕)"]
    assert strategies["2.12"] == ["(๔)"]
    counts = {}
    for codes in strategies.values():
        counts[codes[0]] = counts.get(codes[0], 0) + 1
    assert counts == {"(๒)": 9, "(๔)": 2, "(๕)": 5}

    # 2.1 prints no period: it has none (not a stand-in one).
    first = projects.get(code="2.1")
    assert first.start_month is None and first.end_month is None
    assert not first.has_period
    six = projects.get(code="2.6")
    assert (six.start_month.isoformat(), six.end_month.isoformat()) == (
        "2019-06-01",
        "2020-03-01",
    )


def test_seed_000_plan_book_prints_titles_and_totals(seed_plan, tmp_path):
    output = tmp_path / "plan.pdf"
    call_command(
        "render_plan",
        "--fiscal-year",
        "2562",
        "--office",
        OFFICE,
        "--digits",
        "arabic",
        "--output",
        str(output),
        stdout=StringIO(),
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(output), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = " ".join(text.split())
    for title in (
        "โครงการโรงเรียนคุณภาพประจำตำบล",
        "โครงการอาหารกลางวัน",
        "โครงการอินเทอร์เน็ตความเร็วสูง",
    ):
        assert title in flat
    for amount in ("100,000", "45,000", "50,000", "30,000", "225,000", "775,000"):
        assert amount in flat, amount
    assert "1,000,000" in flat
    # 2.1 prints its empty period as "-" (the only one); 2.6 spans two years.
    assert flat.count("ระยะเวลาดำเนินการ - ") == 1
    assert flat.count("ระยะเวลาดำเนินการ มิถุนายน") == 15
    assert "ระยะเวลาดำเนินการ มิถุนายน 2562 – มีนาคม 2563" in flat


def test_seed_000_project_texts_import_as_printed(seed_plan):
    """Every project's rationale and objectives, and the ผลผลิต/ผลลัพธ์ and
    expected results where the seed prints them, come in with the one import."""
    from tests.data import seed000_texts as texts

    plan = seed_plan
    projects = {p.code: p for p in Project.objects.filter(plan=plan)}

    for code, project in projects.items():
        assert project.rationale == texts.RATIONALES[code], code
        assert [o.text for o in project.objectives.order_by("order")] == list(
            texts.OBJECTIVES[code]
        ), code
        assert [r.text for r in project.expected_results.order_by("order")] == list(
            texts.EXPECTED_RESULTS.get(code, ())
        ), code
        assert project.output_statement == texts.OUTPUTS.get(code, ""), code
        assert project.outcome_statement == texts.OUTCOMES.get(code, ""), code

    # Spot checks against the seed's own lines.
    assert projects["2.1"].rationale.startswith(
        "สมเด็จพระเจ้าอยู่หัวมหาวชิราลงกรณ บดินทรเทพยวรางกูร ทรงตอบรับเป็น\n"
        "พระมหากษัตริย์ เมื่อวันที่ 1 ธันวาคม 2559"
    )
    assert projects["2.13"].objectives.get(order=1).text == (
        "เพื่อให้นักเรียนทุกคนได้รับประทานอาหารกลางวันตลอดปีการศึกษา ๒๕๖๒"
    )
    assert projects["2.9"].expected_results.get(order=1).text == (
        "โรงเรียนในสังกัด สพป.ยโสธร เขต 2 จำนวน 187 แห่ง "
        "เป็นสมาชิกกลุ่มเครือข่ายพัฒนาคุณภาพทางการศึกษา ทุกโรงเรียน"
    )
    assert projects["2.12"].outcome_statement == (
        "นักเรียนชั้นมัธยมศึกษาปีที่ 3 เรียนต่อมัธยมศึกษาตอนปลาย และสถาบันการอาชีวศึกษาเพิ่มขึ้น"
    )
    # No page footer became project text.
    assert not any("หน้า 99" in r for r in texts.EXPECTED_RESULTS["2.16"])
    # 16 rationales, 16 objective lists; no project got a stand-in section.
    assert sum(bool(p.rationale) for p in projects.values()) == 16
    assert sum(bool(p.output_statement) for p in projects.values()) == 8

    # 2.11 reports in มีนาคม 2563, past the FY2562 grid: the month is kept.
    report = projects["2.11"].activities.get(order=6)
    assert report.months == ["2019-06-01", "2019-07-01", "2020-03-01"]
    assert report.notes == ""
    # The kinds are the seed's: 2.1 and 2.2 new, the rest continuing.
    assert {c for c, p in projects.items() if p.kind == Project.Kind.NEW} == {
        "2.1",
        "2.2",
    }
    # The seed prints no plan title: none is made up.
    assert plan.title == ""
