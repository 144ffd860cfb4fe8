import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import QuarterPlan
from tests.budgets.conftest import FISCAL_YEAR
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    DisbursementFactory,
    DisbursementTargetFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

SUMMARY = reverse("budgets:summary")
DISBURSEMENT = reverse("budgets:disbursement")


def test_anonymous_is_sent_to_login(client):
    assert client.get(SUMMARY).status_code == 302
    assert client.get(DISBURSEMENT).status_code == 302


def test_user_without_office_is_refused(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="x"))
    response = client.get(SUMMARY)
    assert response.status_code == 403
    assert client.get(DISBURSEMENT).status_code == 403


def test_summary_shows_the_reconciled_seed000_tables(client, viewer, seed000):
    client.force_login(viewer)
    response = client.get(SUMMARY, {"fiscal_year": FISCAL_YEAR})
    assert response.status_code == 200
    content = response.content.decode()
    assert "ปีงบประมาณ พ.ศ. 2568" in content
    assert "แผนงานพื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพคน" in content
    assert "1,000,000.00" in content
    assert "775,000.00" in content
    assert "225,000.00" in content
    # by strategy: 145,000 + 130,000 (the quality project counted twice)
    assert "275,000.00" in content
    # ... by 100,000 more than the 175,000 of the projects linked to one
    assert (
        "มากกว่างบประมาณโครงการที่สอดคล้องกับกลยุทธ์ 175,000.00 บาท อยู่ 100,000.00" in content
    )
    # by category
    assert "228,200.00" in content and "ค่าสาธารณูปโภค" in content
    assert "ไม่ใช้งบประมาณ" in content
    for table in ["by-source", "by-group", "by-strategy", "by-category", "by-quarter"]:
        assert f'data-testid="{table}"' in content


def _table(content: str, testid: str) -> str:
    start = content.index(f'data-testid="{testid}"')
    return content[start : content.index("</table>", start)]


def test_summary_prints_each_row_and_total_of_the_money_tables(client, viewer, seed000):
    """Every money cell comes from ``budgets.rollups`` under ``total_budget``;
    a template reading a name the roll-up no longer gives prints nothing, so
    the cells themselves are checked."""
    client.force_login(viewer)
    content = client.get(SUMMARY, {"fiscal_year": FISCAL_YEAR}).content.decode()
    sources = _table(content, "by-source")
    # the projects column, on the source row and on the total row
    assert sources.count("225,000.00") == 2
    groups = _table(content, "by-group")
    assert "175,000.00" in groups and "50,000.00" in groups
    assert "225,000.00" in groups  # the total row
    strategies = _table(content, "by-strategy")
    assert "145,000.00" in strategies and "130,000.00" in strategies
    assert "275,000.00" in strategies


def test_other_office_sees_only_its_own_money(client, outsider, seed000):
    client.force_login(outsider)
    content = client.get(SUMMARY, {"fiscal_year": FISCAL_YEAR}).content.decode()
    assert "225,000.00" not in content
    assert "โครงการนิเทศบูรณาการ" not in content


def test_bad_fiscal_year_shows_a_thai_error_and_the_current_year(client, viewer):
    client.force_login(viewer)
    response = client.get(SUMMARY, {"fiscal_year": "abc"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "ปีงบประมาณต้องเป็นปีพุทธศักราช" in content
    assert 'value="abc"' in content


def test_thai_digits_in_the_year_are_accepted(client, viewer, seed000):
    client.force_login(viewer)
    content = client.get(SUMMARY, {"fiscal_year": "๒๕๖๘"}).content.decode()
    assert "225,000.00" in content


def test_disbursement_page_shows_cumulative_against_target(client, viewer, seed000):
    a1 = seed000.area_activities[0]
    QuarterPlan.objects.create(activity=a1, quarter=1, amount=4400)
    DisbursementFactory(activity=a1, amount=2400, paid_on="2024-10-20")
    DisbursementTargetFactory(fiscal_year=FISCAL_YEAR, quarter=1, cumulative_percent=30)
    client.force_login(viewer)
    response = client.get(DISBURSEMENT, {"fiscal_year": FISCAL_YEAR})
    assert response.status_code == 200
    content = response.content.decode()
    assert "2,400.00" in content
    assert "ร้อยละ 30.00" in content
    # 30 % of 225,000
    assert "67,500.00" in content
    # the quarter is over (FY 2568 is past): 2,400 is below the target
    assert "ต่ำกว่าเป้าหมาย" in content
    # 2,400 / 30,000 for the project
    assert "ร้อยละ 8.00" in content


def _grow(plan, count):
    for number in range(count):
        project = ProjectFactory(plan=plan, name=f"โครงการทดสอบ {number}")
        activity = ActivityFactory(project=project)
        CostLineFactory(activity=activity)
        QuarterPlan.objects.create(activity=activity, quarter=1, amount=2400)
        DisbursementFactory(activity=activity, amount=100)


@pytest.mark.parametrize("url", [SUMMARY, DISBURSEMENT])
def test_page_query_count_does_not_grow_with_projects(
    client, viewer, plan, reference, url
):
    client.force_login(viewer)
    _grow(plan, 2)
    client.get(url, {"fiscal_year": FISCAL_YEAR})  # warm the session
    with CaptureQueriesContext(connection) as two:
        assert client.get(url, {"fiscal_year": FISCAL_YEAR}).status_code == 200
    _grow(plan, 8)
    with CaptureQueriesContext(connection) as ten:
        response = client.get(url, {"fiscal_year": FISCAL_YEAR})
    assert response.content.decode().count("โครงการทดสอบ") == 10
    assert len(ten) == len(two)
