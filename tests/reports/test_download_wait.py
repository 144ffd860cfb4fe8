"""Long downloads show progress (issue 18 item 4): every link that makes a
big PDF (the plan book, the progress and annual reports) carries the wait
overlay's Thai message with a time estimated from the number of projects;
``static/js/download-progress.js`` shows it (tested in the browser)."""

import pytest
from django.urls import reverse

from core.thai import current_fiscal_year
from reports.documents import expected_seconds, wait_message
from tests.factories import PlanFactory, ProjectFactory, ReportingRoundFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "projects, seconds", [(0, 5), (5, 5), (16, 10), (40, 15), (60, 20), (120, 40)]
)
def test_estimate_grows_with_projects_in_steps_of_five(projects, seconds):
    assert expected_seconds(projects) == seconds


def test_wait_message_is_thai():
    assert wait_message(60) == "กำลังจัดทำเอกสาร ประมาณ 20 วินาที"


@pytest.fixture
def year(office, group_a):
    plan = PlanFactory(organization=office, fiscal_year=current_fiscal_year())
    for n in range(40):
        ProjectFactory(plan=plan, group=group_a, name=f"โครงการ {n}")
    reporting_round = ReportingRoundFactory(
        organization=office, fiscal_year=plan.fiscal_year
    )
    return plan, reporting_round


WAIT = 'data-wait="กำลังจัดทำเอกสาร ประมาณ 15 วินาที"'


def test_reports_index_links_tell_the_wait(client, year, planner):
    plan, reporting_round = year
    client.force_login(planner)
    page = client.get(
        reverse("reports:index"), {"fiscal_year": plan.fiscal_year}
    ).content.decode()
    book = reverse("reports:plan_book_pdf", args=[plan.pk])
    report = reverse("reports:progress_report_pdf", args=[reporting_round.pk])
    assert f'href="{book}?digits=thai" {WAIT}' in page
    assert f'href="{book}?digits=arabic" {WAIT}' in page
    assert f'href="{report}" {WAIT}' in page


@pytest.mark.parametrize("name", ["plan_book", "annual_report", "progress_report"])
def test_document_pages_pdf_buttons_tell_the_wait(client, year, planner, name):
    plan, reporting_round = year
    target = reporting_round if name == "progress_report" else plan
    client.force_login(planner)
    page = client.get(reverse(f"reports:{name}", args=[target.pk])).content.decode()
    assert page.count(WAIT) == 2  # Thai and Arabic digits


def test_directors_home_document_links_tell_the_wait(client, year, director):
    client.force_login(director)
    page = client.get(reverse("home:home")).content.decode()
    assert page.count(WAIT) == 2  # the plan book and the progress report
    assert "js/download-progress.js" in page
