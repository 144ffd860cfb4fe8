"""The audit-history pages of the admin (django-simple-history) only read,
and only what the user's office-scoped list shows (issue 13 item 2).

Found by an outside tester: ``/admin/<app>/<model>/<pk>/history/<id>/`` saved
any valid POST from a user who could only *view* the model, and the history
pages showed another office's rows. Each case below replays the attack with a
valid body (the version page's own form) and checks that no table changed.
"""

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ScopedHistoryAdmin
from core.roles import Role
from tests.factories import UserFactory, make_staff
from tests.html_forms import form_data
from tests.security.sweep import checksum as _fingerprint
from tests.security.test_url_sweep import world  # noqa: F401

#: Every model with history pages → the world object of *our* office (or the
#: shared reference row) whose history is attacked.
HISTORY_OBJECTS = {
    "core.organization": "office",
    "core.officegroup": "group_a",
    "core.person": "person",
    "core.groupheadassignment": "head_assignment",
    "plans.plan": "plan",
    "plans.strategy": "strategy",
    "plans.indicator": "indicator",
    "plans.policyitem": "policy_item",
    "projects.project": "project",
    "projects.activity": "activity",
    "budgets.allocation": "allocation",
    "budgets.operatingcost": "operating_cost",
    "budgets.disbursementtarget": "target",
    "budgets.costline": "cost_line",
    "budgets.disbursement": "disbursement",
    "budgets.ratetable": "rate_table",
    "budgets.ratelimit": "rate_limit",
    "progress.reportinground": "round",
    "progress.progressreport": "report",
}

#: Shared reference data: every office reads its history.
SHARED = {"plans.policyitem"}


def _history_admins() -> dict[str, admin.ModelAdmin]:
    return {
        model._meta.label_lower: model_admin
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin)
    }


def test_every_history_admin_uses_the_scoped_read_only_pages():
    lacking = sorted(
        label
        for label, model_admin in _history_admins().items()
        if not isinstance(model_admin, ScopedHistoryAdmin)
        or type(model_admin).history_form_view
        is not ScopedHistoryAdmin.history_form_view
        or type(model_admin).history_view is not ScopedHistoryAdmin.history_view
    )
    assert not lacking, f"history admins without ScopedHistoryAdmin: {lacking}"
    assert set(_history_admins()) == set(HISTORY_OBJECTS), (
        "list every history admin's object in HISTORY_OBJECTS"
    )


def _urls(obj) -> tuple[str, str]:
    opts = obj._meta
    base = f"admin:{opts.app_label}_{opts.model_name}"
    version = obj.history.order_by("-history_id").first()
    assert version is not None, f"{opts.label} has no history row to attack"
    return (
        reverse(f"{base}_history", args=[obj.pk]),
        reverse(f"{base}_simple_history", args=[obj.pk, version.history_id]),
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(set(HISTORY_OBJECTS) - SHARED))
def test_another_office_gets_404_on_our_history_pages(world, label):  # noqa: F811
    obj = world[HISTORY_OBJECTS[label]]
    history_url, version_url = _urls(obj)
    outsider = _client(world.users["outsider"])  # the other office's admin
    with transaction.atomic():
        assert outsider.get(history_url).status_code == 404, history_url
        assert outsider.get(version_url).status_code == 404, version_url
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(HISTORY_OBJECTS))
def test_version_pages_refuse_every_post(world, label):  # noqa: F811
    """The body is the version page's own form as a superuser sees it, with a
    text changed: before the fix this saved (even for read-only users)."""
    obj = world[HISTORY_OBJECTS[label]]
    history_url, version_url = _urls(obj)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    users = [superuser, world.users["planner"], world.users["outsider"]]
    with transaction.atomic():
        page = _client(superuser).get(version_url)
        assert page.status_code == 200, version_url
        assert "ประวัติ" in _client(superuser).get(history_url).content.decode()
        body = form_data(page.content.decode())
        for name in ("name", "title", "note", "description", "first_name"):
            if isinstance(body.get(name), str):
                body[name] += " (แก้ผ่านหน้าประวัติ)"
        clients = [(user, _client(user)) for user in users]
        before = _fingerprint()
        for user, client in clients:
            response = client.post(version_url, body)
            assert response.status_code == 405, (label, user.username)
        assert _fingerprint() == before, f"{label}: a version page wrote data"
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_finance_of_another_office_cannot_move_our_allocation(world):  # noqa: F811
    """The reproduced attack: another office's finance clerk opened our
    allocation's version page and posted it with their office and 1 baht."""
    allocation = world["allocation"]
    theirs = world["theirs"]["office"]
    clerk = make_staff(theirs, roles=[Role.FINANCE]).user
    clerk.is_staff = True
    clerk.save()
    _, version_url = _urls(allocation)
    with transaction.atomic():
        response = _client(clerk).post(
            version_url,
            {
                "organization": theirs.pk,
                "fiscal_year": allocation.fiscal_year,
                "source": allocation.source_id,
                "round_number": allocation.round_number,
                "amount": "1",
            },
        )
        assert response.status_code == 405
        allocation.refresh_from_db()
        assert allocation.organization_id == world["office"].pk
        assert allocation.amount != 1
        assert _client(clerk).get(version_url).status_code == 404
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_our_planner_reads_our_history(world):  # noqa: F811
    history_url, version_url = _urls(world["project"])
    planner = _client(world.users["planner"])
    with transaction.atomic():
        assert planner.get(history_url).status_code == 200
        page = planner.get(version_url)
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        transaction.set_rollback(True)
