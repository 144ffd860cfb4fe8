"""Every write that changes what the overseer pages show is seen by the
roll-up's refresh (``network.services.CHANGE_SOURCES``), and no table the live
figures read can be left out of that list unnoticed."""

import datetime
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets.models import DisbursementTarget
from core.models import Organization
from core.roles import Role
from network import live, selectors, services
from network.models import OfficeYearFigures
from plans.models import PolicyItem, Strategy
from plans.services import policy_item_save
from projects.models import Project
from reports.models import IndicatorResult
from reports.services import indicator_result_delete
from tests.factories import PolicyItemFactory, make_staff
from tests.network.test_pages import YEAR, _settle, indicators_of, office_with_money

pytestmark = pytest.mark.django_db

#: Tables the live functions read that the roll-up does not store: the pages
#: read them live on every request, so a change needs no refresh.
READ_LIVE = {
    # names and kinds by ``office_list``, the tree by ``offices_overseen``
    Organization: "every page lists its offices live",
    # ``selectors.money`` calls ``quarter_targets`` itself
    DisbursementTarget: "the money page reads the quarter's targets live",
}


def _tables_read_by_the_live_functions(offices) -> set[str]:
    with CaptureQueriesContext(connection) as queries:
        live.compliance_live(offices, YEAR)
        live.money_live(offices, YEAR, datetime.date(2025, 9, 30))
        live.money_sums(offices, YEAR, None)
        live.policy_live(offices, YEAR)
        live.policy_by_office(offices, YEAR)
        live.indicators_live(offices, YEAR)
    return {
        table
        for query in queries
        for table in re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', query["sql"])
    }


def _covered(model, sources: set) -> bool:
    history = getattr(model, "history", None)
    if model in sources or (history is not None and history.model in sources):
        return True
    owner = model._meta.auto_created
    owner_history = getattr(owner, "history", None) if owner else None
    if owner_history is None:
        return False
    # A link table: simple-history writes the owner's "changed" row on every
    # add/set/remove/clear, and bulk link writes write it themselves
    # (``core.services.rows_links_changed``), so the owner's rows cover it
    # when the field is among the tracked ``m2m_fields``.
    tracked = {
        field.remote_field.through
        for field in getattr(owner_history.model, "_history_m2m_fields", [])
    }
    return owner_history.model in sources and model in tracked


def test_every_table_the_live_figures_read_is_a_change_source(network):
    """A table added to ``network.live`` without a change source (or a
    reason it is read live) fails here, before an overseer sees stale
    figures."""
    office_with_money(network["n1"], policy=PolicyItemFactory(kind="obec_policy"))
    indicators_of(network["n1"], [90])
    offices = Organization.objects.filter(pk=network["n1"].pk)
    by_table = {
        model._meta.db_table: model
        for model in apps.get_models(include_auto_created=True)
    }
    read = {by_table[table] for table in _tables_read_by_the_live_functions(offices)}
    assert IndicatorResult in read and Project.policy_items.through in read
    sources = {model for model, _path, _date in services.CHANGE_SOURCES}
    missing = sorted(
        model._meta.label
        for model in read
        if model not in READ_LIVE and not _covered(model, sources)
    )
    assert missing == []


def _indicator_row(office):
    return services.office_figures([office.pk], YEAR)[office.pk]


def test_a_deleted_indicator_result_changes_the_attainment(network):
    office = network["n1"]
    office_with_money(office)
    indicators_of(office, [90, 95])  # target 80: both met
    assert _indicator_row(office).indicators_achieved == 2
    _settle()
    planner = make_staff(office, roles=[Role.PLANNER]).user
    indicator_result_delete(result=IndicatorResult.objects.first(), user=planner)
    row = _indicator_row(office)
    assert (row.indicators_reported, row.indicators_achieved) == (1, 1)
    offices = Organization.objects.filter(pk=office.pk)
    assert selectors.indicators(offices, YEAR) == live.indicators_live(offices, YEAR)


def _policy_page(offices, *items):
    rows = {row.item.pk: row for row in selectors.policy(offices, YEAR)}
    return [(rows[item.pk].offices, rows[item.pk].projects) for item in items]


def test_a_projects_policy_items_changed_in_the_editor_show_on_the_policy_page(
    network,
):
    first = PolicyItemFactory(kind="obec_policy", code="1")
    second = PolicyItemFactory(kind="obec_policy", code="2")
    project = office_with_money(network["n1"], policy=first)
    offices = Organization.objects.filter(pk=network["n1"].pk)
    assert _policy_page(offices, first, second) == [(1, 1), (0, 0)]
    _settle()
    project.policy_items.set([second])  # what the editor and the admin do
    assert _policy_page(offices, first, second) == [(0, 0), (1, 1)]
    assert selectors.policy(offices, YEAR) == live.policy_live(offices, YEAR)


def test_a_strategys_policy_items_changed_in_the_editor_are_seen(network):
    """Only the links change (the admin's ``save_m2m``, after its service
    save): the strategy's "changed" history row names the office, which is
    read again. (The pages count projects' links, not strategies', so the
    figures stay; the test guards the day a page counts these too.)"""
    office = network["n1"]
    office_with_money(office)
    indicators_of(office, [90])
    strategy = Strategy.objects.get(plan__organization=office)
    services.office_figures([office.pk], YEAR)
    _settle()
    before = OfficeYearFigures.objects.get().computed_at
    strategy.policy_items.set([PolicyItemFactory(kind="obec_strategy")])
    assert office.pk in services._changed_since(before)
    services.office_figures([office.pk], YEAR)
    assert OfficeYearFigures.objects.get().computed_at != before  # read again


def test_a_policy_item_changed_refreshes_every_office(network):
    """The items are nobody's office: a kind moved off the OBEC levels takes
    the item off every office's policy figures at once."""
    item = PolicyItemFactory(kind="obec_policy", code="1")
    office_with_money(network["n1"], policy=item)
    office_with_money(network["s1"], policy=item)
    offices = Organization.objects.filter(pk__in=[network["n1"].pk, network["s1"].pk])
    assert _policy_page(offices, item) == [(2, 2)]
    _settle()
    item.kind = PolicyItem.Kind.NATIONAL_STRATEGY
    root = get_user_model().objects.create_superuser("root", password="x")
    policy_item_save(item=item, user=root)
    rows = services.office_figures([network["n1"].pk, network["s1"].pk], YEAR)
    assert all(str(item.pk) not in row.policy for row in rows.values())
    assert selectors.policy(offices, YEAR) == live.policy_live(offices, YEAR)
