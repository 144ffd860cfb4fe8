"""The project sheet's money comes from ``budgets`` through
``projects.sheet_money`` (registered in ``budgets.apps``), not by an import
from a layer above: the same sums as ``budgets.rollups``, and a clear error
if nobody registered them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from budgets.rollups import activity_total_budget, project_total_budget
from projects import sheet_money
from projects.selectors import project_sheet
from projects.services import project_snapshot
from tests.factories import ActivityFactory, CostLineFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(office):
    project = ProjectFactory(plan__organization=office)
    first = ActivityFactory(project=project, order=1)
    second = ActivityFactory(project=project, order=2)
    CostLineFactory(activity=first, amount=Decimal("1200.50"))
    CostLineFactory(activity=first, amount=Decimal("300"))
    CostLineFactory(activity=second, amount=Decimal("99.50"))
    return project


def test_the_sheet_prints_the_budgets_sums(project):
    sheet = project_sheet(project)
    assert sheet["total_budget"] == project_total_budget(project) == Decimal("1600")
    assert [row["budget"] for row in sheet["activities"]] == [
        activity_total_budget(activity)
        for activity in project.activities.order_by("order")
    ]
    assert next(s for s in sheet["sections"] if s["number"] == 4)["complete"]


def test_the_revision_snapshot_keeps_the_money(project):
    assert project_snapshot(project)["total_budget"] == "1600.00"


def test_without_budgets_registering_the_money_the_sheet_says_so(project, monkeypatch):
    monkeypatch.setattr(sheet_money, "_registered", [])
    with pytest.raises(ImproperlyConfigured, match="budgets"):
        project_sheet(project)
