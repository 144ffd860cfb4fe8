"""Every document of the seed workbooks' offices, laid out and checked for
overflow (issue 16 item 1).

The stress office (``test_overflow``) has the widest amounts; the seeds have
what real offices typed: seed 000's FY2562 year (16 projects, 12 without
money), seed 004's fourteen projects with its office's money and payments,
and seed 003's direction (80 indicators) alone in its plan. Each is imported
once per module through the workbook commands, as an office would, and every
document that has data goes through :func:`tests.pdf_layout.layout_problems`.
"""

from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction

from plans.models import Plan
from progress.models import ReportingRound
from projects.models import Project
from reports import documents
from tests.pdf_layout import layout_problems

pytestmark = [pytest.mark.django_db, pytest.mark.pdf]

DATA = Path(__file__).resolve().parent.parent / "data"
NO_FILTERS = {"group": None, "strategy": None, "source": None}


def _create_office(name: str, short_name: str, kind: str, user: str) -> None:
    call_command(
        "create_office",
        "--noinput",
        "--name",
        name,
        "--short-name",
        short_name,
        "--kind",
        kind,
        "--admin-username",
        f"{user}_admin",
        "--planner-username",
        f"{user}_plan",
        stdout=StringIO(),
    )


def _import(workbook: str, year: int, *options: str) -> None:
    out = StringIO()
    call_command(
        "import_plan",
        str(DATA / workbook),
        "--fiscal-year",
        str(year),
        *options,
        stdout=out,
    )
    assert "นำเข้าเรียบร้อย" in out.getvalue(), out.getvalue()


def build_seeds() -> SimpleNamespace:
    _create_office(
        "สำนักงานเขตพื้นที่การศึกษาประถมศึกษายโสธร เขต 2",
        "สพป.ยโสธร เขต 2",
        "spp",
        "yst2",
    )
    _import("seed000_fy2562.xlsx", 2562, "--office", "สพป.ยโสธร เขต 2")
    _import("seed003_direction.xlsx", 2566, "--office", "สพป.ยโสธร เขต 2")
    _create_office(
        "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาพิษณุโลก อุตรดิตถ์",
        "สพม.พิษณุโลก อุตรดิตถ์",
        "spm",
        "plk",
    )
    _import("seed004_projects.xlsx", 2565, "--office", "สพม.พิษณุโลก อุตรดิตถ์")
    _import(
        "seed004_money.xlsx",
        2565,
        "--office",
        "สพม.พิษณุโลก อุตรดิตถ์",
        "--override-budget-rules",
    )
    out = StringIO()
    call_command(
        "import_disbursements",
        str(DATA / "seed004_payments.xlsx"),
        "--fiscal-year",
        "2565",
        "--office",
        "สพม.พิษณุโลก อุตรดิตถ์",
        stdout=out,
    )
    return SimpleNamespace(
        seed000=Plan.objects.get(fiscal_year=2562),
        seed003=Plan.objects.get(fiscal_year=2566),
        seed004=Plan.objects.get(fiscal_year=2565),
    )


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
