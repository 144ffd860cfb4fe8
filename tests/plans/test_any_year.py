"""A plan of any fiscal year from the plans page (issue 15 item 6): past
years too, for an office that starts by entering last year's plan."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.thai import current_fiscal_year
from plans.models import Plan
from tests.core.tables import changed_tables, table_checksums
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

URL = "plans:create"


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_planner_creates_last_years_plan_from_the_plans_page(client, office, planner):
    last_year = current_fiscal_year() - 1
    client.force_login(planner)
    page = client.get(reverse("plans:index")).content.decode()
    assert 'data-testid="plan-create"' in page
    assert f'<option value="{last_year}">' in page

    response = client.post(reverse(URL), {"fiscal_year": str(last_year)})

    plan = Plan.objects.get(organization=office)
    assert (plan.fiscal_year, plan.status) == (last_year, Plan.Status.DRAFT)
    assert response.url == reverse("plans:direction", args=[plan.pk])
    assert client.get(response.url).status_code == 200


def test_a_second_plan_of_the_same_year_is_refused_in_thai(client, office, planner):
    year = current_fiscal_year() - 1
    PlanFactory(organization=office, fiscal_year=year)
    client.force_login(planner)
    before = table_checksums()
    response = client.post(reverse(URL), {"fiscal_year": str(year)})
    assert response.url == reverse("plans:index")
    assert f"สำนักงานนี้มีแผนของปีงบประมาณ พ.ศ. {year} แล้ว" in _messages(response)
    assert changed_tables(before, table_checksums()) == []


@pytest.mark.parametrize("value", ["2400", "x", "", "²²²²"])
def test_a_year_out_of_the_list_is_refused_in_thai(client, office, planner, value):
    client.force_login(planner)
    response = client.post(reverse(URL), {"fiscal_year": value})
    assert response.status_code == 302
    assert "กรุณาเลือกปีงบประมาณจากรายการ" in _messages(response)
    assert not Plan.objects.exists()


@pytest.mark.parametrize("who", ["head_a", "director", "viewer", "officer"])
def test_only_planners_and_admins_create_plans(client, request, office, who):
    client.force_login(request.getfixturevalue(who))
    body = {"fiscal_year": str(current_fiscal_year() - 1)}
    before = table_checksums()
    assert client.post(reverse(URL), body).status_code == 403
    assert changed_tables(before, table_checksums()) == []
    page = client.get(reverse("plans:index")).content.decode()
    assert 'data-testid="plan-create"' not in page
