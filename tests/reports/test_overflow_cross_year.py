"""A project sheet whose activities run into the next fiscal year (issue 18):
the calendar prints one twelve-month table per fiscal year, never 24
overlapping columns (issue 16), and the page lays out without overflow."""

import datetime

import pytest

from projects.selectors import project_sheet
from reports import documents
from tests.factories import ActivityFactory, PlanFactory, ProjectFactory
from tests.pdf_layout import layout_problems

pytestmark = [pytest.mark.django_db, pytest.mark.pdf]


def _month(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 1)


@pytest.fixture
def crossing(office):
    """FY 2570's project running June 2570 – March 2571 (seed 000's 2.6, 2.9,
    2.10 a year on), one activity in each year and one across the year end."""
    plan = PlanFactory(organization=office, fiscal_year=2570)
    project = ProjectFactory(
        plan=plan,
        name="โครงการโรงเรียนประชารัฐ",
        start_month=_month(2027, 6),
        end_month=_month(2028, 3),
    )
    months = {
        "นิเทศติดตามโรงเรียนในโครงการ": [_month(2027, 6), _month(2027, 7)],
        "สรุปและรายงานผลการดำเนินงานต่อสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน": [
            _month(2027, 8),
            _month(2027, 9),
            _month(2027, 10),
            _month(2027, 11),
        ],
        "รายงานผลการนิเทศ": [_month(2028, 3)],
    }
    for order, (name, days) in enumerate(months.items(), start=1):
        activity = ActivityFactory(
            project=project,
            order=order,
            name=name,
            months=[day.isoformat() for day in days],
        )
        activity.full_clean()  # each is within the rule, not only stored
    return project


def test_the_calendar_prints_one_table_per_fiscal_year(crossing):
    sheet = project_sheet(crossing)
    assert [year["fiscal_year"] for year in sheet["grid_years"]] == [2570, 2571]
    for year in sheet["grid_years"]:
        assert len(year["headings"]) == 12
    this_year, next_year = sheet["grid_years"]
    assert [sum(row["marks"]) for row in this_year["rows"]] == [2, 2, 0]
    assert [sum(row["marks"]) for row in next_year["rows"]] == [0, 2, 1]


@pytest.mark.parametrize("digits", ["thai", "arabic"])
def test_the_cross_year_sheet_fits(crossing, digits):
    html = documents.project_sheet_document(crossing, digits).pdf_html()
    problems = layout_problems(html)
    assert not problems, "\n".join(problems)
    assert html.count('data-testid="month-grid"') == 2
