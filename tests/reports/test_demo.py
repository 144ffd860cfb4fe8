"""The demo's finished year in the reports: annual report and plan books."""

import re

import pytest
from django.http import HttpRequest
from django.urls import reverse

from core.thai import current_fiscal_year
from home.demo import load_demo
from plans.models import Plan
from reports.models import BookSection, IndicatorResult
from reports.selectors import annual_document

pytestmark = pytest.mark.django_db

OFFICE = "สพป.ยโสธร เขต 2"


@pytest.fixture
def demo_plans():
    load_demo(password="demo-pass")
    year = current_fiscal_year()
    plans = Plan.objects.filter(organization__short_name=OFFICE)
    return plans.get(fiscal_year=year - 1), plans.get(fiscal_year=year)


def test_annual_report_of_the_previous_year_has_figures(demo_plans):
    previous, _ = demo_plans

    data = annual_document(previous)

    assert data["is_final"] and data["round"].is_locked
    assert len(data["projects"]) == 12
    statuses = {row["status"] for row in data["projects"]}
    assert {"ดำเนินการเสร็จสิ้นแล้ว", "ยกเลิก", "เลื่อน"} <= statuses
    assert all(row["output_progress"] for row in data["projects"]), (
        "every project says what it did"
    )
    total = data["execution_total"]
    assert total.allocated > 0 and 0 < total.disbursed <= total.allocated
    assert 90 <= total.percent <= 100
    attainment = data["attainment"]
    assert (
        attainment.total
        == IndicatorResult.objects.filter(
            indicator__strategy__plan=previous, fiscal_year=previous.fiscal_year
        ).count()
    )
    assert 0 < attainment.achieved < attainment.total
    lines = [line for row in attainment.strategies for line in row.indicators]
    assert all(line.result and line.achieved is not None for line in lines)


def test_plan_books_of_both_years_have_their_written_sections(demo_plans, client):
    for plan in demo_plans:
        sections = BookSection.objects.filter(plan=plan)
        assert set(sections.values_list("part", flat=True)) == set(
            BookSection.Part.values
        )
        foreword = sections.get(part="foreword")
        assert f"พ.ศ. {plan.fiscal_year}" in foreword.body
        assert len(foreword.paragraphs()) >= 2

        context = sections.filter(part="context")
        tables = [s.table_rows() for s in context if s.table]
        assert len(tables) >= 3
        for rows in tables:  # a header and rows of the same width
            assert len(rows) >= 3
            assert {len(row) for row in rows} == {len(rows[0])}
        staff = next(rows for rows in tables if rows[0][0] == "กลุ่ม/หน่วย")
        assert staff[-1][0] == "รวมทั้งสิ้น"
        assert int(staff[-1][-1]) == sum(int(row[-1]) for row in staff[1:-1])

        administration = " ".join(
            s.body + s.table for s in sections.filter(part="administration")
        )
        for months in (3, 6, 9, 12):
            assert f"รอบ {months} เดือน" in administration

        appendix = " ".join(s.body for s in sections.filter(part="appendix"))
        office = plan.organization.name
        assert re.search(
            rf"คำสั่ง{office}\nที่ \d+/{plan.fiscal_year - 1}\nเรื่อง แต่งตั้งคณะกรรมการ",
            appendix,
        )
        assert plan.organization.director.full_name in appendix

    # the book and the annual report pages show them
    client.login(request=HttpRequest(), username="director", password="demo-pass")
    previous, _ = demo_plans
    book = client.get(reverse("reports:plan_book", args=[previous.pk]))
    assert book.status_code == 200
    assert "ข้อมูลนักเรียน" in book.content.decode()
    annual = client.get(reverse("reports:annual_report", args=[previous.pk]))
    assert annual.status_code == 200
