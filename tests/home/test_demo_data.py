"""The demo office is data (issue 14 item 8): ``load_demo`` imports the
committed workbooks through the importer and replays the workflow through the
services, so exporting what it built gives the same workbooks back."""

import pytest
from django.apps import apps
from django.core.management import call_command
from openpyxl import load_workbook

from home.demo import DEMO_DIR, DEMO_YEARS, load_demo

pytestmark = pytest.mark.django_db

#: Apps whose rows the demo writes.
APPS = ("core", "plans", "projects", "budgets", "progress", "reports")


def _cells(path) -> dict[str, list[list]]:
    book = load_workbook(path)
    return {
        sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()]
        for sheet in book.worksheets
    }


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in APPS
    }


def test_export_plan_after_load_demo_gives_the_committed_workbooks_back(tmp_path):
    load_demo(password="demo-pass")

    for year in DEMO_YEARS:
        output = tmp_path / f"plan-{year}.xlsx"
        call_command(
            "export_plan",
            fiscal_year=year,
            output=str(output),
            organization="สพป.ยโสธร เขต 2",
            verbosity=0,
        )
        committed = _cells(DEMO_DIR / f"plan-{year}.xlsx")
        exported = _cells(output)
        assert list(exported) == list(committed), year
        for name, rows in committed.items():
            assert len(rows) > 1, (year, name)
            assert exported[name] == rows, (year, name)


def test_load_demo_twice_duplicates_nothing():
    first = load_demo(password="demo-pass")
    counts = _row_counts()
    second = load_demo(password="demo-pass")

    assert first.built and not second.built
    assert (second.added_rows, second.skipped_rows) == (0, 0)
    assert _row_counts() == counts
    assert counts["projects.Project"] == 29
    assert counts["projects.ProjectTransition"] == 71  # revision: no check step
    assert counts["progress.ProgressReport"] == 52
    assert counts["budgets.Disbursement"] == 142  # approved projects only
    assert counts["reports.BookSection"] == 30
