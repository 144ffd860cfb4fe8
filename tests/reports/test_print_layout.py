"""How the documents lay out their tables: grouped cost lines, amounts as the
offices print them, totals printed once, wide tables on landscape pages."""

import io

import pytest
from django.template import Context, Template
from django.urls import reverse
from pypdf import PdfReader

from budgets.models import ExpenseCategory
from budgets.rollups import CostTable
from plans.selectors import direction_for_plan
from reports.selectors import project_document
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    ProjectFactory,
    QuarterPlanFactory,
)
from tests.reports.conftest import flat, pdftotext

pytestmark = pytest.mark.django_db


def _render(source: str, **context) -> str:
    return Template("{% load thai_format %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "digits", "printed"),
    [
        ("2400", None, "2,400"),
        ("2400.50", None, "2,400.50"),
        ("1234567.005", None, "1,234,567.01"),
        ("0", None, "-"),
        (None, None, "-"),
        ("12500", "thai", "๑๒,๕๐๐"),
    ],
)
def test_amount_prints_whole_baht_without_satang_and_dash_for_none(
    value, digits, printed
):
    source = "{{ value|amount:digits }}" if digits else "{{ value|amount }}"
    assert _render(source, value=value, digits=digits) == printed


def _categories(*codes):
    return [ExpenseCategory.objects.get(code=code) for code in codes]


def _project_with_ten_activities(plan, categories):
    project = ProjectFactory(plan=plan, name="โครงการสิบกิจกรรม", status="approved")
    activities = [
        ActivityFactory(project=project, order=order, name=f"กิจกรรมที่ {order}")
        for order in range(1, 11)
    ]
    # Lines written out of order; the table follows the sheet's activity order.
    for activity in reversed(activities):
        for index, category in enumerate(categories):
            CostLineFactory(
                activity=activity,
                category=category,
                description=f"รายการ {activity.order}.{index}",
                times=1,
                persons=2,
                rate=100,
                amount=200,
            )
        QuarterPlanFactory(activity=activity, quarter=1, amount=200 * len(categories))
    return project


def test_cost_lines_are_grouped_under_their_activity_in_sheet_order(book):
    categories = _categories("compensation", "services")
    project = _project_with_ten_activities(book.plan, categories)

    sheet = project_document(project)["sheet"]
    table: CostTable = sheet["cost_table"]

    assert [group.activity for group in table.groups] == [
        f"{n}. กิจกรรมที่ {n}" for n in range(1, 11)
    ]
    assert [row["description"] for row in table.groups[0].rows] == [
        "รายการ 1.0",
        "รายการ 1.1",
    ]
    assert table.groups[0].total == 400
    assert table.by_columns  # two categories fit as money columns
    assert table.total == 10 * 400
    assert [row["activity"] for row in sheet["quarter_table"].rows][8:] == [
        "9. กิจกรรมที่ 9",
        "10. กิจกรรมที่ 10",  # not sorted as text ("10." < "9.")
    ]


def test_more_than_three_categories_print_as_a_category_column(book):
    categories = _categories("compensation", "services", "materials", "utilities")
    project = _project_with_ten_activities(book.plan, categories)

    table = project_document(project)["sheet"]["cost_table"]

    assert not table.by_columns
    assert [total for _, total in table.category_totals] == [2000] * 4


@pytest.mark.pdf
def test_a_long_cost_table_prints_its_totals_once(client, viewer, book):
    categories = _categories("compensation", "services")
    project = _project_with_ten_activities(book.plan, categories)
    for activity in project.activities.all():
        for index in range(6):  # 80 lines: the table runs over several pages
            CostLineFactory(
                activity=activity,
                category=categories[0],
                description=f"ค่าวัสดุเพิ่มเติม {index}",
                amount=100,
            )
    client.force_login(viewer)

    response = client.get(reverse("reports:project_sheet_pdf", args=[project.pk]))

    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 3
    text = flat(pdftotext(response.content))
    # once for the cost table and once for the quarterly plan, not on every page
    assert text.count("รวมทั้งสิ") == 2  # (the text layer may drop the tone mark)
    assert flat("๑๐. กิจกรรมที่ ๑๐") in text
    assert "๑,๐๐๐" in text  # 10 × 100 with satang left out, as offices print


@pytest.mark.pdf
def test_the_budget_summary_prints_on_landscape_pages(client, viewer, book):
    client.force_login(viewer)

    response = client.get(reverse("reports:plan_book_pdf", args=[book.plan.pk]))

    reader = PdfReader(io.BytesIO(response.content))
    shapes = [page.mediabox.width > page.mediabox.height for page in reader.pages]
    assert shapes[0] is False  # the cover is portrait A4
    assert any(shapes), "the budget summary tables are on landscape pages"
    landscape_text = "".join(
        page.extract_text()
        for page, wide in zip(reader.pages, shapes, strict=True)
        if wide
    )
    assert "งบประมาณรายโครงการ" in flat(landscape_text)


def test_direction_with_many_target_years_lists_them_in_one_column(
    client, viewer, book
):
    strategy = book.plan.strategies.get(number=1)
    indicator = IndicatorFactory(strategy=strategy, number=5, name="ตัวชี้วัดห้าปี")
    for year in (2568, 2569, 2570):
        IndicatorTargetFactory(indicator=indicator, fiscal_year=year, target_value=80)

    direction = direction_for_plan(book.plan)
    client.force_login(viewer)
    content = client.get(
        reverse("plans:direction", args=[book.plan.pk])
    ).content.decode()

    assert direction.years == [2568, 2569, 2570]
    assert not direction.years_as_columns
    assert "ค่าเป้าหมาย ปีงบประมาณ พ.ศ. ๒๕๖๘–๒๕๗๐" in content
    assert '<span class="year-target">๒๕๖๙: ไม่น้อยกว่าร้อยละ ๘๐</span>' in content
