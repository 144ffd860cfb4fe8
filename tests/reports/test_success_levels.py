"""Issue 21 item 5: the documents print a success-level indicator's level
table: each level's criterion, the target level marked and, in the progress,
annual and KPI reports, the level reached (with its evidence per level in the
progress report). The tables fit their cells (the overflow detector)."""

import pytest

from core.thai import to_thai_digits
from progress.models import KPIActual, ProgressReport
from reports import documents
from reports.models import IndicatorResult
from tests.factories import (
    IndicatorFactory,
    IndicatorTargetFactory,
    ProjectKPIFactory,
)
from tests.pdf_layout import layout_problems
from tests.pdf_utils import normalise
from tests.reports.conftest import FISCAL_YEAR, flat, pdftotext

pytestmark = [pytest.mark.django_db, pytest.mark.pdf]

KPI_CRITERIA = [
    "มีคำสั่งแต่งตั้งคณะทำงานขับเคลื่อนการอ่านออกเขียนได้",
    "มีแผนการนิเทศที่ผ่านความเห็นชอบของผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา",
    "ดำเนินการนิเทศติดตามครบทุกโรงเรียนในสังกัดภายในภาคเรียนที่หนึ่ง",
    "สรุปผลการนิเทศและรายงานผู้บริหารพร้อมข้อเสนอแนะเชิงนโยบาย",
    "นำผลไปปรับปรุงและเผยแพร่แนวปฏิบัติที่ดีให้โรงเรียนทุกแห่ง",
]
INDICATOR_CRITERIA = [
    "มีระบบฐานข้อมูลผลการประเมินระดับชาติ",
    "วิเคราะห์ผลการประเมินรายโรงเรียน",
    "จัดทำแผนยกระดับผลสัมฤทธิ์รายโรงเรียน",
    "โรงเรียนร้อยละ 80 ดำเนินการตามแผน",
    "ผลสัมฤทธิ์เฉลี่ยสูงขึ้นทุกกลุ่มสาระ",
]


@pytest.fixture
def levels(book):
    """``book`` with strategy indicator 1.2 (target level 4, reached 3) and a
    KPI of P1 (target level 3, reached 4 in round 4 with evidence)."""
    indicator = IndicatorFactory(
        strategy=book.s1,
        number=2,
        name="ระดับความสำเร็จของการยกระดับผลสัมฤทธิ์ทางการเรียน",
        unit="success",
        level_criteria=INDICATOR_CRITERIA,
    )
    IndicatorTargetFactory(indicator=indicator, fiscal_year=FISCAL_YEAR, target_value=4)
    IndicatorResult.objects.create(
        indicator=indicator, fiscal_year=FISCAL_YEAR, actual_value=3
    )
    kpi = ProjectKPIFactory(
        project=book.p1,
        order=2,
        name="ระดับความสำเร็จของการนิเทศติดตามการอ่าน",
        unit="success",
        target_value=3,
        level_criteria=KPI_CRITERIA,
    )
    final = ProgressReport.objects.get(project=book.p1, round=book.round4)
    KPIActual.objects.create(
        report=final,
        kpi=kpi,
        actual_value=4,
        level_evidence=["คำสั่งที่ 12/2568", "แผนการนิเทศ", "", "รายงานสรุปผล", ""],
    )
    return book


def _fits(document):
    problems = layout_problems(document.pdf_html())
    assert not problems, "\n".join(problems)


def _text(document) -> str:
    return flat(pdftotext(document.render(), layout=False))


def test_the_project_sheet_prints_the_criteria_with_the_target_marked(levels):
    document = documents.project_sheet_document(levels.p1, "thai")
    text = _text(document)
    assert (
        flat(normalise("เกณฑ์ระดับความสำเร็จ: ระดับความสำเร็จของการนิเทศติดตามการอ่าน")) in text
    )
    for criterion in KPI_CRITERIA:
        assert flat(normalise(criterion)) in text
    assert flat(normalise("ระดับ ๓")) in text  # the target in the KPI table
    assert "ค่าเป้าหมาย" in text
    assert "ระดับที่ทำได้" not in text  # a proposal has no result
    _fits(document)


def test_the_progress_report_marks_the_reached_level_and_its_evidence(levels):
    document = documents.progress_document(levels.round4, "thai")
    text = _text(document)
    for expected in (
        "เกณฑ์ระดับความสำเร็จและหลักฐาน",
        KPI_CRITERIA[3],
        "รายงานสรุปผล",
        "คำสั่งที่๑๒/๒๕๖๘",
        "ค่าเป้าหมาย",
        "ระดับที่ทำได้",
        "ระดับ๔",  # the result column
    ):
        assert flat(normalise(expected)) in text, expected
    _fits(document)


@pytest.mark.parametrize("kind", ["annual", "kpi"])
def test_the_annual_and_kpi_reports_mark_target_and_reached_levels(levels, kind):
    """By hand: 1.1 met (85 ≥ 80), 1.2 not met (level 3 < target 4), 2.1 not
    met (8 < 10): บรรลุ 1 จาก 3."""
    if kind == "annual":
        document = documents.annual_document(levels.plan, "thai")
    else:
        filters = {"group": None, "strategy": None}
        document = documents.kpi_document(levels.plan, filters, [], "thai")
    text = _text(document)
    assert flat(normalise("บรรลุ ๑ จาก ๓ ตัวชี้วัด")) in text
    for expected in (
        "เกณฑ์ระดับความสำเร็จตัวชี้วัดที่",
        INDICATOR_CRITERIA[2],
        "ค่าเป้าหมาย",
        "ระดับที่ทำได้",
    ):
        assert flat(normalise(expected)) in text, expected
    _fits(document)


def test_the_plan_books_direction_prints_the_criteria_with_the_target_marked(
    levels,
):
    document = documents.plan_book_document(levels.plan, "thai")
    text = _text(document)
    assert flat(normalise("เกณฑ์ระดับความสำเร็จ ตัวชี้วัดที่ ๑.๒")) in text
    for criterion in INDICATOR_CRITERIA:
        assert flat(normalise(to_thai_digits(criterion))) in text
    assert "ระดับที่ทำได้" not in text  # a plan has no result yet
    _fits(document)
