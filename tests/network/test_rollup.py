"""The roll-up behind the network pages (issue 20 benchmarks): it equals
the live computation, a change made through a service shows on the next
request, and an office nobody changed is not recomputed."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.models import Disbursement
from budgets.services import disbursement_delete, disbursement_record
from core.models import Organization
from core.roles import Role
from network import live, selectors, services
from network.models import OfficeYearFigures
from network.services import generate_network
from plans.models import Plan
from projects.models import Activity
from reports.models import IndicatorResult
from tests.factories import make_staff
from tests.network.test_pages import YEAR, _settle, indicators_of, office_with_money

pytestmark = pytest.mark.django_db
YEAR_END = datetime.date(2025, 9, 30)
MID_YEAR = datetime.date(2025, 3, 15)


@pytest.fixture
def generated():
    made = generate_network(
        offices=5, fiscal_year=YEAR, today=YEAR_END, projects=6, activities=40
    )
    assert made.policy_links and made.indicators and made.results
    return Organization.objects.offices()


def test_generation_stores_the_roll_up_so_the_first_view_refreshes_nothing(
    generated, django_assert_num_queries
):
    pks = list(generated.values_list("pk", flat=True))
    assert OfficeYearFigures.objects.filter(fiscal_year=YEAR).count() == 5
    with django_assert_num_queries(2):  # the rows, which offices changed
        services.office_figures(pks, YEAR)


@pytest.mark.parametrize("today", [YEAR_END, MID_YEAR])
def test_roll_up_equals_the_live_figures(generated, today):
    assert selectors.compliance(generated, YEAR) == live.compliance_live(
        generated, YEAR
    )
    assert selectors.money(generated, YEAR, today) == live.money_live(
        generated, YEAR, today
    )
    policy = selectors.policy(generated, YEAR)
    assert policy == live.policy_live(generated, YEAR)
    assert sum(row.projects for row in policy) >= 30  # every project aligned
    indicators = selectors.indicators(generated, YEAR)
    assert indicators == live.indicators_live(generated, YEAR)
    assert all(row.indicators == 12 and row.reported for row in indicators)


def test_mid_year_page_leaves_out_later_payments(generated):
    early = {
        row.office["pk"]: row.paid for row in selectors.money(generated, YEAR, MID_YEAR)
    }
    late = {
        row.office["pk"]: row.paid for row in selectors.money(generated, YEAR, YEAR_END)
    }
    assert all(early[pk] < late[pk] for pk in late)


def _money_page(client, user):
    client.force_login(user)
    response = client.get(
        reverse("network:page", args=["money"]), {"fiscal_year": YEAR}
    )
    assert response.status_code == 200
    return response.content.decode()


def test_a_payment_recorded_through_the_service_shows_on_the_next_request(
    client, network, obec_overseer
):
    project = office_with_money(network["n1"], paid=600)
    assert "600.00" in _money_page(client, obec_overseer)
    _settle()  # the rows are now newer than every change so far
    finance = make_staff(network["n1"], roles=[Role.FINANCE]).user
    activity = Activity.objects.get(project=project)
    disbursement_record(
        user=finance,
        activity=activity,
        cost_line=activity.cost_lines.get(),
        amount=Decimal(1200),
        paid_on=datetime.date(2025, 6, 1),
    )
    assert "1,800.00" in _money_page(client, obec_overseer)
    _settle()
    disbursement_delete(user=finance, disbursement=Disbursement.objects.latest("pk"))
    body = _money_page(client, obec_overseer)
    assert "600.00" in body and "1,800.00" not in body


def test_an_unchanged_office_is_not_recomputed(network):
    office_with_money(network["n1"], paid=600)
    office_with_money(network["s1"], paid=2400)
    pks = [network["n1"].pk, network["s1"].pk]
    services.office_figures(pks, YEAR)
    _settle()
    before = dict(
        OfficeYearFigures.objects.values_list("organization_id", "computed_at")
    )
    plan = Plan.objects.get(organization=network["s1"])
    plan.status = Plan.Status.DRAFT
    plan.save()  # a history row of south 1 only
    rows = services.office_figures(pks, YEAR)
    assert rows[network["s1"].pk].plan_status == Plan.Status.DRAFT
    after = dict(
        OfficeYearFigures.objects.values_list("organization_id", "computed_at")
    )
    assert after[network["n1"].pk] == before[network["n1"].pk]
    assert after[network["s1"].pk] != before[network["s1"].pk]


def test_a_changed_indicator_result_refreshes(network):
    office_with_money(network["n1"])
    indicators_of(network["n1"], [70])  # target 80: not met
    assert (
        services.office_figures([network["n1"].pk], YEAR)[
            network["n1"].pk
        ].indicators_achieved
        == 0
    )
    _settle()
    result = IndicatorResult.objects.get()
    result.actual_value = 90
    result.save()
    row = services.office_figures([network["n1"].pk], YEAR)[network["n1"].pk]
    assert row.indicators_achieved == 1


def test_old_stamps_of_unchanged_offices_move_forward(network):
    """The history read from the oldest stamp stays a short recent range:
    an office unchanged for hours gets a new stamp, not a recomputation."""
    office_with_money(network["n1"], paid=600)
    pk = network["n1"].pk
    services.office_figures([pk], YEAR)
    long_ago = timezone.now() - datetime.timedelta(hours=3)
    OfficeYearFigures.objects.update(computed_at=long_ago, paid=1)  # marked
    for model, _path, date in services.CHANGE_SOURCES:  # the changes: older
        model.objects.update(**{date: long_ago - datetime.timedelta(days=1)})
    row = services.office_figures([pk], YEAR)[pk]
    assert row.paid == 1  # not recomputed: nothing changed
    stamp = OfficeYearFigures.objects.get().computed_at
    assert stamp > timezone.now() - services.STAMP_MARGIN - datetime.timedelta(
        minutes=1
    )
