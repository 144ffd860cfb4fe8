"""A project may have no period (issue 15 item 5): seed 000's project 2.1 prints
"ระยะเวลาดำเนินการ" with nothing after it. The screens save and show it without
one; half a period is refused in Thai."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.thai import current_fiscal_year
from projects.models import Project
from projects.services import submission_problems
from tests.factories import (
    ActivityFactory,
    PersonFactory,
    PlanFactory,
    ProjectFactory,
)
from tests.projects.conftest import complete
from tests.projects.test_admin import _sheet_post

pytestmark = pytest.mark.django_db


def test_the_add_page_saves_a_project_with_both_months_empty(
    admin_client, plan, group_a, strategy, office
):
    person = PersonFactory(organization=office)
    data = _sheet_post(plan, group_a, strategy, person, start_month="", end_month="")
    response = admin_client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 302, response.context["errors"]
    project = Project.objects.get(code="68-010")
    assert (project.start_month, project.end_month) == (None, None)
    assert not project.has_period
    # Its change page opens with the months empty.
    page = admin_client.get(reverse("admin:projects_project_change", args=[project.pk]))
    assert page.status_code == 200


@pytest.mark.parametrize("missing", ["start_month", "end_month"])
def test_half_a_period_is_refused_in_thai_and_nothing_is_saved(
    admin_client, plan, group_a, strategy, office, missing
):
    person = PersonFactory(organization=office)
    data = _sheet_post(plan, group_a, strategy, person, **{missing: ""})
    response = admin_client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 200
    assert "ระบุทั้งเดือนเริ่มดำเนินการและเดือนสิ้นสุด หรือเว้นว่างทั้งคู่" in response.content.decode()
    assert not Project.objects.filter(code="68-010").exists()


def test_the_database_refuses_half_a_period(project):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(end_month=None)
    Project.objects.filter(pk=project.pk).update(start_month=None, end_month=None)
    project.refresh_from_db()
    assert not project.has_period


def test_the_sheet_prints_a_dash_and_the_plan_years_empty_calendar(
    client, viewer, project
):
    Project.objects.filter(pk=project.pk).update(start_month=None, end_month=None)
    ActivityFactory(project=project, order=1, name="ประชุมคณะกรรมการ", months=[])
    client.force_login(viewer)
    response = client.get(reverse("projects:detail", args=[project.pk]))
    assert response.status_code == 200
    sheet = response.context["sheet"]
    assert sheet["duration"] == "-"
    assert (sheet["start_month"], sheet["end_month"]) == ("", "")
    assert len(sheet["grid_columns"]) == 12
    assert sheet["activities"][0]["months"] == []
    content = response.content.decode()
    assert "ประชุมคณะกรรมการ" in content


def test_without_a_period_no_activity_is_outside_it_and_it_can_be_submitted(
    client, planner, office, group_a
):
    plan = PlanFactory(organization=office, fiscal_year=current_fiscal_year())
    project = complete(
        ProjectFactory(
            plan=plan,
            group=group_a,
            uses_budget=False,
            start_month=None,
            end_month=None,
        ),
        plan.strategies.create(number=1, title="กลยุทธ์"),
    )
    ActivityFactory(project=project, order=1, months=["2020-06-01"])
    client.force_login(planner)
    response = client.get(reverse("projects:checker"))
    assert response.status_code == 200
    assert not [f for f in response.context["findings"] if f.code == "activity_outside"]
    assert submission_problems(project) == []
