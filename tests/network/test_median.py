"""An office beside its network's median (issue 20 item 3), and the
overseer's home page."""

import datetime

import pytest
from django.urls import reverse

from budgets.models import CostLine
from budgets.rollups import target_comparison
from core.models import Organization
from core.roles import Role
from network import services
from network.models import OfficeYearFigures
from network.selectors import disbursed_median
from plans.models import Plan
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    DisbursementFactory,
    OrganizationFactory,
    ProjectFactory,
    make_staff,
)
from tests.network.test_pages import YEAR, office_with_money

pytestmark = pytest.mark.django_db
YEAR_END = datetime.date(2025, 9, 30)


@pytest.fixture
def paid(network):
    """Paid shares of approved budget: north 1 25 %, south 1 100 %, a third
    office 50 %; north 2 has no approved budget and is left out."""
    office_with_money(network["n1"], paid=600)
    office_with_money(network["s1"], paid=2400)
    third = OrganizationFactory(short_name="สพม.ใต้ 3", parent=network["south"])
    office_with_money(third, paid=1200)


def test_median_of_the_network_by_hand(network, paid):
    result = disbursed_median(network["n1"], YEAR, today=YEAR_END)
    assert (result.own, result.median, result.offices) == (25, 50, 3)


def test_an_office_outside_the_tree_is_its_own_network(network, paid):
    alone = OrganizationFactory(short_name="สพป.เดี่ยว")
    office_with_money(alone, paid=2400)
    result = disbursed_median(alone, YEAR, today=YEAR_END)
    assert (result.own, result.median, result.offices) == (100, 100, 1)


def test_director_sees_the_median_without_other_offices_names(client, network, paid):
    director = make_staff(network["n1"], roles=[Role.DIRECTOR]).user
    client.force_login(director)
    response = client.get(reverse("home:home"), {"fiscal_year": YEAR})
    body = response.content.decode()
    assert 'data-testid="network-median"' in body
    assert "ค่ามัธยฐานของเครือข่าย 50.00" in body.replace("ร้อยละ ", "")
    for other in ("สพป.ใต้ 1", "สพม.ใต้ 3", "สพม.เหนือ 2"):
        assert other not in body


def test_overseer_home_links_the_network_pages(client, network, north_overseer):
    client.force_login(north_overseer)
    body = client.get(reverse("home:home")).content.decode()
    assert 'data-testid="panel-overseer"' in body
    assert reverse("network:page", args=["money"]) in body


def test_the_offices_own_change_is_read_live_without_recomputing_its_row(
    network, paid, django_assert_num_queries
):
    """Right after the office records a payment its roll-up row is stale; the
    dashboard reads the office's own two figures live (one query) instead of
    recomputing the row (sixteen) on every view for two minutes."""
    others = list(
        Organization.objects.offices()
        .exclude(pk=network["n1"].pk)
        .values_list("pk", flat=True)
    )
    services.refresh_figures([network["n1"].pk], YEAR)
    services.refresh_figures(others, YEAR, margin=datetime.timedelta(0))  # fresh
    stored = OfficeYearFigures.objects.get(organization=network["n1"], fiscal_year=YEAR)
    line = CostLine.objects.get(activity__project__plan__organization=network["n1"])
    DisbursementFactory(activity=line.activity, cost_line=line, amount=600)
    with django_assert_num_queries(4):  # offices, rows, changed, own figures
        result = disbursed_median(network["n1"], YEAR, today=YEAR_END)
    assert (result.own, result.median, result.offices) == (50, 50, 3)
    again = OfficeYearFigures.objects.get(organization=network["n1"], fiscal_year=YEAR)
    assert again.computed_at == stored.computed_at  # not recomputed


def test_the_dashboards_own_figure_is_the_live_one(network, paid):
    """The director's panel hands the median its targets' office row (approved
    projects' budget, payments up to the day); that is the figure the median
    reads live: a draft project's money and a later payment count in
    neither."""
    plan = Plan.objects.get(organization=network["n1"], fiscal_year=YEAR)
    draft = ActivityFactory(project=ProjectFactory(plan=plan, status="draft"))
    CostLineFactory(activity=draft)
    line = CostLine.objects.get(
        activity__project__plan=plan, activity__project__status="approved"
    )
    DisbursementFactory(
        activity=line.activity, cost_line=line, amount=600, paid_on=YEAR_END
    )
    DisbursementFactory(
        activity=line.activity,
        cost_line=line,
        amount=900,
        paid_on=YEAR_END + datetime.timedelta(days=1),
    )
    office = target_comparison(network["n1"], YEAR, today=YEAR_END).office
    given = disbursed_median(
        network["n1"], YEAR, YEAR_END, own=(office.budget, office.paid)
    )
    assert given == disbursed_median(network["n1"], YEAR, YEAR_END)
    assert (given.own, given.median, given.offices) == (50, 50, 3)
