"""Every document of the seed workbooks' offices, laid out and checked for
overflow (issue 16 item 1).

The stress office (``test_overflow``) has the widest amounts; the seeds have
what real offices typed: seed 000's FY2562 year (16 projects, 12 without
money), seed 004's fourteen projects with its office's money and payments,
and seed 003's direction (80 indicators) alone in its plan. Each is imported
once per module through the workbook commands, as an office would, and every
document that has data goes through :func:`tests.pdf_layout.layout_problems`.
"""

import pytest
from django.db import transaction

from progress.models import ReportingRound
from projects.models import Project
from reports import documents
from tests.pdf_layout import layout_problems
from tests.seed_offices import build_seeds

pytestmark = [pytest.mark.django_db, pytest.mark.pdf]

NO_FILTERS = {"group": None, "strategy": None, "source": None}


@pytest.fixture(scope="module")
def seeds(django_db_setup, django_db_blocker):
    """The three imports, once for the module, rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_seeds()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _assert_fits(html: str):
    problems = layout_problems(html)
    assert not problems, "\n".join(problems)


SEEDS = ["seed000", "seed003", "seed004"]


@pytest.mark.parametrize("seed", SEEDS)
def test_plan_book_fits(seeds, seed):
    _assert_fits(documents.plan_book_document(getattr(seeds, seed), "thai").pdf_html())


@pytest.mark.parametrize("seed", SEEDS)
def test_budget_report_fits(seeds, seed):
    plan = getattr(seeds, seed)
    _assert_fits(documents.budget_document(plan, NO_FILTERS, [], "thai").pdf_html())


@pytest.mark.parametrize("seed", SEEDS)
def test_annual_report_fits(seeds, seed):
    _assert_fits(documents.annual_document(getattr(seeds, seed), "thai").pdf_html())


@pytest.mark.parametrize("seed", SEEDS)
def test_kpi_report_fits(seeds, seed):
    plan = getattr(seeds, seed)
    _assert_fits(documents.kpi_document(plan, NO_FILTERS, [], "thai").pdf_html())


@pytest.mark.parametrize("seed", ["seed000", "seed004"])
def test_every_project_sheet_fits(seeds, seed):
    problems = []
    projects = Project.objects.filter(plan=getattr(seeds, seed)).order_by("pk")
    assert projects.count() in (14, 16)
    for project in projects:
        html = documents.project_sheet_document(project, "thai").pdf_html()
        problems += [f"{project.code}: {line}" for line in layout_problems(html)]
    assert not problems, "\n".join(problems)


def test_the_seed_offices_have_no_reporting_round(seeds):
    """No progress report to lay out: the seeds carry no round (the stress
    office's rounds are checked in ``test_overflow``)."""
    assert not ReportingRound.objects.exists()


def test_detector_reports_the_seed_004_sheet_with_a_narrowed_money_column(seeds):
    """Project 1's activities total 375,000.00: a column sized for
    "375,000" (what the tables print) runs it over the border."""
    project = Project.objects.get(plan=seeds.seed004, code="1")
    html = documents.project_sheet_document(project, "thai").pdf_html()
    narrow = "<style>table.activities col:nth-child(3) { width: 5.8em; }</style>"

    assert layout_problems(html) == []
    problems = layout_problems(html.replace("</head>", f"{narrow}</head>"))
    assert any("«๓๗๕,๐๐๐.๐๐»" in line for line in problems), problems
