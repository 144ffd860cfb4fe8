"""Issue 17 item 4: paid-to-date against the government's cumulative
disbursement target of the current quarter, as traffic lights on the
dashboards (``budgets.rollups.target_comparison``).

The office's current year in hand arithmetic (approved projects only):

- group A: "อนุมัติเอ" budget 10,000, paid 4,000 up to today = 40 %;
  a payment of 3,000 dated tomorrow is not yet paid-to-date; "ร่างเอ"
  (draft, 50,000) is not counted;
- group B: "อนุมัติบี" budget 5,000, paid 1,000 = 20 %;
- office: 15,000, paid 5,000 = 33.33 %.

Against a shared default of 40 % for every quarter: group A green (40 ≥ 40),
office amber (33.33 ≥ 40 − 10), group B red (20 < 30). The office's own
30 % overrides the default: office green, group B amber (20 ≥ 30 − 10).
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets import rollups
from core.roles import Role
from core.thai import current_fiscal_year, fiscal_year_range
from home import dashboard
from projects.models import Project
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    DisbursementFactory,
    DisbursementTargetFactory,
    PlanFactory,
    ProjectFactory,
    make_staff,
)

pytestmark = pytest.mark.django_db

HOME = reverse("home:home")


@pytest.fixture
def year():
    return current_fiscal_year()


@pytest.fixture
def money(office, group_a, group_b, year):
    start, _ = fiscal_year_range(year)
    plan = PlanFactory(organization=office, fiscal_year=year)
    today = timezone.localdate()

    def project(name, group, status, budget, paid=()):
        item = ProjectFactory(
            plan=plan,
            group=group,
            name=name,
            status=status,
            start_month=start,
            end_month=start.replace(year=start.year + 1),
        )
        activity = ActivityFactory(project=item, months=[start.isoformat()])
        CostLineFactory(
            activity=activity, persons=budget // 1000, rate=1000, amount=budget
        )
        for amount, paid_on in paid:
            DisbursementFactory(activity=activity, amount=amount, paid_on=paid_on)
        return item

    a = project(
        "โครงการอนุมัติเอ",
        group_a,
        Project.Status.APPROVED,
        10000,
        paid=[(4000, start), (3000, today + datetime.timedelta(days=1))],
    )
    project("โครงการร่างเอ", group_a, Project.Status.DRAFT, 50000)
    b = project(
        "โครงการอนุมัติบี", group_b, Project.Status.APPROVED, 5000, paid=[(1000, start)]
    )
    return {"plan": plan, "a": a, "b": b}


def _targets(year, percent, organization=None):
    for quarter in (1, 2, 3, 4):
        DisbursementTargetFactory(
            organization=organization,
            fiscal_year=year,
            quarter=quarter,
            cumulative_percent=percent,
        )


def _row(content: str, testid: str) -> str:
    start = content.index(f'data-testid="{testid}"')
    return content[start : content.index("</tr>", start)]


def _panel(content: str, name: str) -> str:
    return content.split(f'data-testid="targets-{name}"')[1].split("</table>")[0]


def test_lights_by_hand_against_the_shared_default(
    client, director, office, group_a, group_b, money, year
):
    _targets(year, 40)
    client.force_login(director)

    content = client.get(HOME).content.decode()

    panel = _panel(content, "director")
    office_row = _row(panel, f"target-office-{office.pk}")
    assert 'data-light="amber"' in office_row
    assert "15,000.00" in office_row and "5,000.00" in office_row
    assert "33.33" in office_row
    assert "เหลือง: ต่ำกว่าเป้าหมายไม่เกิน 10 จุด" in office_row
    group_a_row = _row(panel, f"target-group-{group_a.pk}")
    assert 'data-light="green"' in group_a_row
    assert "40.00" in group_a_row and "4,000.00" in group_a_row
    assert "เขียว: ถึงเป้าหมาย" in group_a_row
    group_b_row = _row(panel, f"target-group-{group_b.pk}")
    assert 'data-light="red"' in group_b_row
    assert "20.00" in group_b_row
    assert "แดง: ต่ำกว่าเป้าหมายเกิน 10 จุด" in group_b_row
    # the thresholds said once, in Thai, on the screen
    assert rollups.LIGHT_RULE in content
    assert "สีเหลือง เมื่อต่ำกว่าเป้าหมายไม่เกิน 10 จุดร้อยละ" in content
    assert "ร้อยละ 40.00" in content.split('data-testid="target-percent"')[1][:40]


def test_the_office_target_overrides_the_default(
    client, planner, office, group_b, money, year
):
    _targets(year, 40)
    _targets(year, 30, organization=office)
    client.force_login(planner)

    panel = _panel(client.get(HOME).content.decode(), "planner")

    assert 'data-light="green"' in _row(panel, f"target-office-{office.pk}")
    assert 'data-light="amber"' in _row(panel, f"target-group-{group_b.pk}")


def test_a_group_head_sees_their_groups_projects_only(
    client, head_a, group_a, group_b, money, year
):
    _targets(year, 45)
    client.force_login(head_a)

    panel = _panel(client.get(HOME).content.decode(), "group_head")

    project_row = _row(panel, f"target-project-{money['a'].pk}")
    assert "โครงการอนุมัติเอ" in project_row
    assert 'data-light="amber"' in project_row  # 40 vs 45: 5 points below
    assert 'data-light="amber"' in _row(panel, f"target-group-{group_a.pk}")
    assert "โครงการอนุมัติบี" not in panel
    assert "โครงการร่างเอ" not in panel
    assert f"target-group-{group_b.pk}" not in panel


def test_finance_sees_the_office_and_groups(client, office, group_b, money, year):
    _targets(year, 20)
    finance = make_staff(office, roles=[Role.FINANCE]).user
    client.force_login(finance)

    panel = _panel(client.get(HOME).content.decode(), "finance")

    assert 'data-light="green"' in _row(panel, f"target-office-{office.pk}")
    assert 'data-light="green"' in _row(panel, f"target-group-{group_b.pk}")


def test_no_target_set_shows_no_light(client, director, office, money):
    client.force_login(director)

    panel = _panel(client.get(HOME).content.decode(), "director")

    assert "ยังไม่ได้กำหนดเป้าหมายการเบิกจ่ายสะสมของไตรมาสนี้" in panel
    assert 'data-light="none"' in _row(panel, f"target-office-{office.pk}")


@pytest.mark.parametrize(
    ("percent", "target", "light"),
    [
        (Decimal("40"), Decimal("40"), "green"),
        (Decimal("30"), Decimal("40"), "amber"),
        (Decimal("29.99"), Decimal("40"), "red"),
        (Decimal("0"), None, None),
    ],
)
def test_the_thresholds_are_written_once(percent, target, light):
    assert rollups.target_light(percent, target) == light


def test_the_target_quarter_follows_today(year):
    start, end = fiscal_year_range(year)

    assert rollups.target_quarter(year, start - datetime.timedelta(days=1)) is None
    assert rollups.target_quarter(year, start) == 1
    assert rollups.target_quarter(year, start.replace(month=4, year=end.year)) == 3
    assert rollups.target_quarter(year, end + datetime.timedelta(days=1)) == 4


def test_the_comparison_runs_four_queries_whatever_the_projects(
    office, group_a, money, year, django_assert_num_queries
):
    today = timezone.localdate()
    with django_assert_num_queries(4):
        rollups.target_comparison(office, year, today=today, with_projects=True)
    for index in range(5):
        extra = ProjectFactory(
            plan=money["plan"],
            group=group_a,
            name=f"โครงการเพิ่ม {index}",
            status=Project.Status.APPROVED,
            start_month=money["a"].start_month,
            end_month=money["a"].end_month,
        )
        CostLineFactory(activity=ActivityFactory(project=extra, months=[]))
    with django_assert_num_queries(4):
        result = rollups.target_comparison(
            office, year, today=today, with_projects=True
        )
    assert len(result.projects) == 7
    with django_assert_num_queries(10):
        dashboard.finance_panel(organization=office, fiscal_year=year, today=today)
