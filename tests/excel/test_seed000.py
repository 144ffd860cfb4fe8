"""Seed 000's FY2562 year, typed into the whole-office workbook, imports in one
go into a fresh office, and the roll-ups and the plan book print the figures the
seed prints (issue 15 item 7)."""

import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from budgets.models import CostLine, OperatingCost
from budgets.rollups import category_tables, office_totals, source_rows
from core.thai import bahttext
from projects.models import Project, ProjectKPI
from reports import documents
from tests.data import build_seed000 as seed
from tests.data import seed000_texts as texts
from tests.excel.conftest import assert_builder_rows, plan_book_words

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


def test_seed_000_plan_book_prints_titles_and_totals(seed_plan):
    flat = plan_book_words(seed_plan)
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


#: Per project: (targets, KPIs) as the seed prints them.
COUNTS = {
    "2.1": (3, 0),
    "2.2": (2, 0),
    "2.3": (3, 2),
    "2.4": (6, 5),
    "2.5": (10, 5),
    "2.6": (7, 5),
    "2.7": (2, 0),
    "2.8": (6, 1),
    "2.9": (2, 2),
    "2.10": (3, 2),
    "2.11": (4, 2),
    "2.12": (4, 1),
    "2.13": (2, 1),
    "2.14": (4, 2),
    "2.15": (9, 7),
    "2.16": (4, 2),
}


def test_seed_000_targets_and_kpis_import_as_printed(seed_plan):
    """Every target and KPI comes in with the kind the seed states and none
    where it states none (issue 15: nothing invented)."""
    projects = {p.code: p for p in Project.objects.filter(plan=seed_plan)}
    assert {
        code: (p.targets.count(), p.kpis.count()) for code, p in projects.items()
    } == COUNTS
    assert sum(n for n, _ in COUNTS.values()) == 71
    assert sum(n for _, n in COUNTS.values()) == 37
    kinds = {"เชิงปริมาณ": "quantitative", "เชิงคุณภาพ": "qualitative", "": ""}
    for code, project in projects.items():
        stored = sorted(project.targets.values_list("kind", "text"))
        printed = sorted((kinds[k], t) for k, t in texts.TARGETS[code])
        assert stored == printed, code

    # 2.1 prints its three targets under no heading: none is chosen for them.
    first = projects["2.1"]
    assert list(first.targets.values_list("kind", flat=True)) == ["", "", ""]
    assert first.targets.filter(text__startswith="ผู้เรียนรับรู้ขีดความสามารถ").exists()
    # 2.2 words its headings ด้านคุณภาพ / ด้านปริมาณ, in that order.
    assert (
        projects["2.2"]
        .targets.get(kind="qualitative")
        .text.startswith("ข้าราชการ ลูกจ้าง ในสำนักงานเขตพื้นที่การศึกษา ผู้บริหารครูและนักเรียน")
    )
    assert projects["2.13"].targets.get(kind="quantitative").text == (
        "สถานศึกษาในสังกัด จำนวน ๑๘๕ โรงเรียน"
    )

    # KPIs: most print no ผลผลิต/ผลลัพธ์ and no เชิงปริมาณ/เชิงคุณภาพ.
    kpis = ProjectKPI.objects.filter(project__plan=seed_plan)
    assert kpis.filter(result_kind="", nature="").count() == 26
    assert sorted(
        kpis.exclude(result_kind="").values_list("project__code", "result_kind")
    ) == [("2.11", "outcome"), ("2.11", "output")]
    assert sorted(
        kpis.exclude(nature="").values_list("project__code", "nature")
    ) == sorted(
        [("2.9", "quantitative"), ("2.9", "qualitative")]
        + [("2.15", "quantitative")] * 4
        + [("2.15", "qualitative")] * 3
    )
    peer = projects["2.15"].kpis.get(order=4)
    assert peer.name.startswith("โรงเรียนที่เป็นที่ตั้งศูนย์ PEER")
    assert (peer.unit, peer.target_value, peer.target_text) == (
        "text",
        None,
        "ศูนย์ PEER ทั้ง 5 โรงเรียน",
    )
    output = projects["2.11"].kpis.get(result_kind="output")
    assert output.name == ("ร้อยละ 100 ของโรงเรียนในสังกัดได้รับการนิเทศแบบมีส่วนร่วมอย่างทั่วถึง")
    assert (output.method, output.instrument) == (
        "สอบถาม สัมภาษณ์ ตรวจสอบเอกสาร ร่องรอย",
        "แบบนิเทศ ติดตาม ฯ",
    )
    assert projects["2.9"].kpis.get(nature="qualitative").target_text == "100"


@pytest.mark.pdf
def test_seed_000_printed_sheets_carry_the_targets_and_kpis_without_a_made_up_heading(
    seed_plan,
):
    """The project sheet's text layer holds the seed's targets and KPIs; a
    project that states no kind prints no เชิงปริมาณ/ผลผลิต heading."""

    def sheet_text(code: str) -> str:
        project = Project.objects.get(plan=seed_plan, code=code)
        pdf = documents.project_sheet_document(project, "arabic").render()
        return subprocess.run(
            ["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()

    def flat(text: str) -> str:
        return "".join(text.split())

    # 2.1: three unheaded targets as one plain list, no 3.1/3.2 heading.
    text = sheet_text("2.1")
    for _, target in texts.TARGETS["2.1"]:
        assert flat(target) in flat(text)
    assert "1. โรงเรียนในสังกัดทุกโรงเรียน" in " ".join(text.split())
    for heading in ("เชิงปริมาณ", "เชิงคุณภาพ"):
        assert heading not in text

    # 2.5: headed targets under 3.1/3.2, unheaded KPIs with no ด้านผลผลิต.
    text = sheet_text("2.5")
    for _, target in texts.TARGETS["2.5"]:
        assert flat(target) in flat(text)
    for kpi in texts.KPIS["2.5"]:
        assert flat(kpi[2]) in flat(text)
    assert "3.1 เชิงปริมาณ" in text and "3.2 เชิงคุณภาพ" in text
    assert "ด้านผลผลิต" not in text and "ด้านผลลัพธ์" not in text

    # 2.11 states ผลผลิต/ผลลัพธ์: its KPIs print under those headings.
    text = sheet_text("2.11")
    assert "ด้านผลผลิต (Output)" in text and "ด้านผลลัพธ์ (Outcome)" in text
    assert flat("แบบประเมินมาตรฐานสถานศึกษา") in flat(text)
