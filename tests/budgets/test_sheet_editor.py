"""The in-app project-sheet editor (issue 18 item 1): /projects/new/ and
/projects/<id>/edit/ write the whole แบบเสนอโครงการ (sections 1–8, the
activities with their months and cost lines) through the services, with the
admin's rules: who may edit, the approval lock, history, edit versions."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.models import CostLine
from core.thai import current_fiscal_year, fiscal_month_dates
from projects.models import Activity, Project, ProjectKPI, ProjectTransition
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    ExpenseCategoryFactory,
    PlanFactory,
    ProjectFactory,
    ProjectResponsibleFactory,
    StrategyFactory,
)
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

NEW = reverse("projects:new")


@pytest.fixture
def year():
    return current_fiscal_year()


@pytest.fixture
def plan(office, year):
    return PlanFactory(organization=office, fiscal_year=year)


@pytest.fixture
def strategy(plan):
    return StrategyFactory(plan=plan, number=1, title="พัฒนาคุณภาพผู้เรียน")


@pytest.fixture
def category(db):
    return ExpenseCategoryFactory(code="compensation", name="ค่าตอบแทน")


def page_data(client, url) -> dict:
    """The editor's form as the browser would post it, untouched."""
    response = client.get(url)
    assert response.status_code == 200
    data = form_data(response.content, "sheet-editor")
    return {key: value for key, value in data.items() if "__" not in key}


def errors_of(response) -> str:
    """The error messages of a re-shown editor, for a failing assertion."""
    import re

    html = response.content.decode()
    return " | ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S))


def fill_new(data, *, plan, group, strategy, category, person, year) -> dict:
    october = fiscal_month_dates(year)[0].isoformat()
    data.update(
        {
            "plan": str(plan.pk),
            "group": str(group.pk),
            "name": "โครงการพัฒนาครูด้านการจัดการเรียนรู้เชิงรุก",
            "strategies": [str(strategy.pk)],
            "rationale": "ครูต้องการการพัฒนา",
            "responsibles-0-person": str(person.pk),
            "objectives-0-text": "เพื่อพัฒนาครู",
            "targets-0-kind": "quantitative",
            "targets-0-text": "ครู",
            "targets-0-quantity": "๑๒๐",
            "targets-0-unit": "คน",
            "act-0-name": "ประชุมเชิงปฏิบัติการ",
            "act-0-months": [october],
            "act-0-cost-0-category": str(category.pk),
            "act-0-cost-0-description": "ค่าอาหารกลางวัน",
            "act-0-cost-0-persons": "๓๐",
            "act-0-cost-0-rate": "1,200",
            "act-0-cost-0-times": "2",
            "kpis-0-name": "ร้อยละของครูที่ผ่านการอบรม",
            "kpis-0-unit": "percent",
            "kpis-0-comparison": "gte",
            "kpis-0-target_value": "80",
            "kpis-0-result_kind": "output",
            "expected-0-text": "ครูจัดการเรียนรู้เชิงรุกได้",
        }
    )
    return data


def test_planner_creates_a_whole_sheet_on_one_page(
    client, planner, group_a, plan, strategy, category, year
):
    client.force_login(planner)
    data = fill_new(
        page_data(client, NEW),
        plan=plan,
        group=group_a,
        strategy=strategy,
        category=category,
        person=planner.person,
        year=year,
    )
    response = client.post(NEW, data)
    assert response.status_code == 302, errors_of(response)
    project = Project.objects.get()
    assert response.url == reverse("projects:detail", args=[project.pk])
    assert project.created_by == planner
    assert list(project.strategies.all()) == [strategy]
    line = CostLine.objects.get()
    assert line.amount == Decimal("72000.00")
    assert line.activity.months == [fiscal_month_dates(year)[0].isoformat()]
    assert project.targets.get().quantity == 120
    assert project.history.first().history_user == planner
    assert line.history.first().history_user == planner
