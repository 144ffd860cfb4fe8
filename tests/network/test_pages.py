"""The network pages (issue 20 item 2): who opens them, which offices they
show, their figures by hand, and a query count that ignores the number of
offices."""

import datetime
import io
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.roles import Role
from network.models import OfficeYearFigures
from plans.models import Plan
from progress.models import ProgressReport
from progress.services import round_create_for_year
from reports.models import IndicatorResult
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    CostLineFactory,
    DisbursementFactory,
    DisbursementTargetFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    OrganizationFactory,
    PlanFactory,
    PolicyItemFactory,
    ProjectFactory,
    StrategyFactory,
    make_staff,
)

pytestmark = pytest.mark.django_db
YEAR = 2568  # Oct 2024 – Sep 2025: over, so the fourth quarter's target applies


def office_with_money(office, *, paid=600, policy=None, on_time=True):
    """An approved plan and project of 2,400 baht with ``paid`` paid, 1,000,000
    allocated, and round 1 reported (on time or late)."""
    plan = PlanFactory(organization=office, fiscal_year=YEAR, status="approved")
    project = ProjectFactory(plan=plan, status="approved")
    if policy is not None:
        project.policy_items.add(policy)
    activity = ActivityFactory(project=project)
    line = CostLineFactory(activity=activity)  # 2,400
    DisbursementFactory(activity=activity, cost_line=line, amount=paid)
    AllocationFactory(organization=office, fiscal_year=YEAR)
    rounds = round_create_for_year(organization=office, fiscal_year=YEAR)
    sent = rounds[0].due_date if on_time else rounds[0].due_date.replace(day=28)
    ProgressReport.objects.create(
        project=project,
        round=rounds[0],
        state=ProgressReport.State.SUBMITTED,
        submitted_at=timezone.make_aware(
            datetime.datetime.combine(sent, datetime.time(9))
        ),
    )
    return project


@pytest.fixture
def data(network):
    DisbursementTargetFactory(fiscal_year=YEAR, quarter=4, cumulative_percent=30)
    policy = PolicyItemFactory(kind="obec_policy", code="1", title="ความปลอดภัย")
    office_with_money(network["n1"], paid=600, policy=policy)  # 25 %: amber
    PlanFactory(organization=network["n2"], fiscal_year=YEAR)  # a draft plan only
    office_with_money(network["s1"], paid=2400, policy=policy)  # south: not shown
    return {"policy": policy}


def indicators_of(office, results):
    """One strategy indicator per value of ``results`` (target 80; ``None``:
    no result reported)."""
    plan = Plan.objects.get(organization=office, fiscal_year=YEAR)
    strategy = StrategyFactory(plan=plan)
    for value in results:
        indicator = IndicatorFactory(strategy=strategy)
        IndicatorTargetFactory(indicator=indicator, fiscal_year=YEAR, target_value=80)
        if value is not None:
            IndicatorResult.objects.create(
                indicator=indicator, fiscal_year=YEAR, actual_value=value
            )


def _get(client, user, name, slug, **query):
    client.force_login(user)
    return client.get(reverse(name, args=[slug]), {"fiscal_year": YEAR, **query})


def test_overseer_sees_only_the_offices_under_their_node(
    client, network, data, north_overseer
):
    response = _get(client, north_overseer, "network:page", "compliance")
    assert response.status_code == 200
    body = response.content.decode()
    assert "สพป.เหนือ 1" in body and "สพม.เหนือ 2" in body
    assert "สพป.ใต้ 1" not in body


@pytest.mark.parametrize("outside", ["s1", "south", "obec"])
def test_a_node_outside_the_subtree_is_not_found(
    client, network, data, north_overseer, outside
):
    for name in ("network:page", "network:page_xlsx"):
        response = _get(client, north_overseer, name, "money", node=network[outside].pk)
        assert response.status_code == 404


def test_a_node_inside_narrows_the_page(client, network, data, obec_overseer):
    response = _get(
        client, obec_overseer, "network:page", "money", node=network["south"].pk
    )
    body = response.content.decode()
    assert "สพป.ใต้ 1" in body and "สพป.เหนือ 1" not in body


@pytest.mark.parametrize("role", [Role.PLANNER, Role.DIRECTOR, Role.ADMIN, Role.VIEWER])
def test_office_staff_are_refused(client, network, data, role):
    user = make_staff(network["n1"], roles=[role]).user
    for slug in ("compliance", "money", "policy", "indicators"):
        assert _get(client, user, "network:page", slug).status_code == 403
        assert _get(client, user, "network:page_xlsx", slug).status_code == 403


def _sheet(response):
    book = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def test_money_workbook_by_hand(client, network, data, north_overseer):
    rows = _sheet(_get(client, north_overseer, "network:page_xlsx", "money"))
    assert rows[0][0] == "สำนักงาน"
    by_office = {row[0]: row for row in rows[1:]}
    # 600 of 2,400 paid = 25.00 %, target 30 %: less than 10 points below.
    assert by_office["สพป.เหนือ 1"][1:] == [1000000, 2400, 600, 25, 30, "เหลือง"]
    assert by_office["สพม.เหนือ 2"][1:4] == [0, 0, 0]
    total = rows[-1]
    assert total[0] == "รวม 2 สำนักงาน"
    assert total[1:5] == [1000000, 2400, 600, 25]


def test_compliance_workbook_by_hand(client, network, data, north_overseer):
    rows = _sheet(_get(client, north_overseer, "network:page_xlsx", "compliance"))
    by_office = {row[0]: row for row in rows[1:-1]}
    n1, n2 = by_office["สพป.เหนือ 1"], by_office["สพม.เหนือ 2"]
    assert n1[1] == dict(Plan.Status.choices)["approved"]
    assert n1[2] == 1
    assert n1[3] == 100  # round 1: the one approved project reported by the due date
    assert n1[4] is None or n1[4] == 0
    assert n2[1] == dict(Plan.Status.choices)["draft"] and n2[3] is None
    assert rows[-1][:3] == ["รวม 2 สำนักงาน", "อนุมัติแล้ว 1", 1]


def test_a_late_report_is_not_on_time(client, network, north_overseer):
    office_with_money(network["n1"], on_time=False)
    rows = _sheet(_get(client, north_overseer, "network:page_xlsx", "compliance"))
    assert rows[1][3] == 0


def test_policy_workbook_by_hand(client, network, data, obec_overseer, north_overseer):
    """Both offices' projects serve the item; the north sees its own only.
    (The other OBEC items of the reference data have no projects here.)"""
    rows = _sheet(_get(client, obec_overseer, "network:page_xlsx", "policy"))
    ours = [row for row in rows if row[1] == "1 ความปลอดภัย"]
    assert ours == [["นโยบาย สพฐ.", "1 ความปลอดภัย", 2, 2, 4800]]
    assert all(row[2:] == [0, 0, 0] for row in rows[1:] if row not in ours)
    rows = _sheet(_get(client, north_overseer, "network:page_xlsx", "policy"))
    assert [row for row in rows if row[1] == "1 ความปลอดภัย"][0][2:] == [1, 1, 2400]


def test_indicator_workbook_by_hand(client, network, data, north_overseer):
    """North 1: 4 indicators, 3 reported, 2 at or above 80 = 50.00 %;
    north 2: 1 indicator, not reported; south 1 not shown."""
    indicators_of(network["n1"], [85, 80, 40, None])
    indicators_of(network["n2"], [None])
    indicators_of(network["s1"], [99])
    rows = _sheet(_get(client, north_overseer, "network:page_xlsx", "indicators"))
    assert rows[1:] == [
        ["สพป.เหนือ 1", 4, 3, 2, 50],
        ["สพม.เหนือ 2", 1, 0, 0, 0],
        ["รวม 2 สำนักงาน", 5, 3, 2, 40],
    ]


def test_money_pdf_prints_the_figures(client, network, data, north_overseer):
    response = _get(
        client, north_overseer, "network:page_pdf", "money", digits="arabic"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=response.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "สพป.เหนือ 1" in text and "สพป.ใต้ 1" not in text
    line = next(line for line in text.splitlines() if "สพป.เหนือ 1" in line)
    for figure in ("1,000,000.00", "2,400.00", "600.00", "25.00", "30.00"):
        assert figure in line


#: Session, user, person, roles, the form's nodes (5), then the selector's
#: own over a fresh roll-up: offices, their rows, which changed (3), and the
#: money page's targets, the policy page's items.
PINS = {"compliance": 8, "money": 9, "policy": 9, "indicators": 8}
#: Recomputing the stale offices' rows (``network.services.refresh_figures``),
#: whatever their number.
REFRESH = 16


def _settle():
    """Time passes: every roll-up row is newer than the data's last change."""
    OfficeYearFigures.objects.update(computed_at=timezone.now())


def _queries(client, user, slug) -> int:
    client.force_login(user)
    url = reverse("network:page", args=[slug])
    client.get(url, {"fiscal_year": YEAR})  # warm the session and caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"fiscal_year": YEAR})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("slug", ["compliance", "money", "policy", "indicators"])
def test_query_count_does_not_grow_with_offices(
    client, network, data, obec_overseer, slug, django_assert_num_queries
):
    """3 offices, then 12: the same number of queries (the page's own pinned
    in PINS, plus the refresh of the offices just changed)."""
    small = _queries(client, obec_overseer, slug)
    assert small == PINS[slug] + REFRESH
    for number in range(9):
        office = OrganizationFactory(
            short_name=f"สพป.เพิ่ม {number}", parent=network["south"]
        )
        office_with_money(office, policy=data["policy"])
        indicators_of(office, [90, None])
    url = reverse("network:page", args=[slug])
    with django_assert_num_queries(small):
        response = client.get(url, {"fiscal_year": YEAR})
    if slug != "policy":  # rows by policy item, not by office
        assert "สพป.เพิ่ม 8" in response.content.decode()


@pytest.mark.parametrize("slug", ["compliance", "money", "policy", "indicators"])
def test_query_count_of_a_fresh_roll_up_does_not_grow_with_offices(
    client, network, data, obec_overseer, slug, django_assert_num_queries
):
    """Nothing changed since the rows were computed: no refresh, and the same
    few queries for 3 offices and for 12."""
    _queries(client, obec_overseer, slug)
    _settle()
    assert _queries(client, obec_overseer, slug) == PINS[slug]
    for number in range(9):
        office = OrganizationFactory(
            short_name=f"สพป.เพิ่ม {number}", parent=network["south"]
        )
        office_with_money(office, policy=data["policy"])
        indicators_of(office, [90, None])
    _queries(client, obec_overseer, slug)
    _settle()
    url = reverse("network:page", args=[slug])
    with django_assert_num_queries(PINS[slug]):
        response = client.get(url, {"fiscal_year": YEAR})
    if slug != "policy":
        assert "สพป.เพิ่ม 8" in response.content.decode()
