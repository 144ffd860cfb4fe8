"""Parallel saves through the disbursement admin stay within the budget.

Real concurrency needs real parallel connections: each thread has its own
Django connection (closed at the end of the thread) and the test runs with
``transaction=True`` so the threads see the committed fixtures and each
other's commits. SQLite serialises every writer on a file lock and cannot show
the race, so the tests run on PostgreSQL only (what CI uses); on SQLite, and
only there, they are skipped.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from budgets.models import Disbursement
from core.roles import Role
from tests.budgets.conftest import add_line
from tests.factories import ActivityFactory, PlanFactory, ProjectFactory, make_staff

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite serialises writers; the race needs PostgreSQL (CI)",
    ),
]

PARALLEL = 8
BUDGET = Decimal("24640.00")


@pytest.fixture
def budget(office, reference):
    """A 24,640-baht project of one activity and one cost line, no virement,
    and a finance clerk who may record its disbursements in the admin."""
    project = ProjectFactory(
        plan=PlanFactory(organization=office, fiscal_year=2568),
        virement_allowed=False,
        status="approved",  # money goes out on approved projects only
    )
    activity = ActivityFactory(project=project)
    add_line(activity, reference.services, "ค่าอาหารและเครื่องดื่ม", BUDGET)
    clerk = make_staff(office, roles=[Role.FINANCE], first_name="การเงิน").user
    clerk.is_staff = True
    clerk.save()
    return project, activity, clerk


def _post_in_parallel(user, bodies: list[dict]) -> list[int]:
    """POST each body to the admin's add page from its own thread and
    connection, all released at once; the HTTP status of each."""
    url = reverse("admin:budgets_disbursement_add")
    start = threading.Barrier(len(bodies))
    statuses: list[int | Exception] = [0] * len(bodies)

    def post(index: int, body: dict) -> None:
        try:
            client = Client()
            client.force_login(user)
            start.wait(timeout=30)
            statuses[index] = client.post(url, body).status_code
        except Exception as error:  # reported below, not lost in the thread
            statuses[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=post, args=(index, body))
        for index, body in enumerate(bodies)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(isinstance(status, Exception) for status in statuses), statuses
    return statuses


def _body(activity, amount: str, document: str) -> dict:
    return {
        "activity": activity.pk,
        "cost_line": "",
        "paid_on": "15/11/2567",
        "amount": amount,
        "document_number": document,
        "note": "",
    }


def test_parallel_saves_of_the_whole_balance_save_exactly_one(budget):
    project, activity, clerk = budget
    bodies = [
        _body(activity, "24,640", f"ขบ {number}/2568") for number in range(PARALLEL)
    ]
    statuses = _post_in_parallel(clerk, bodies)
    # 302: saved; 200: the form shown again with the Thai refusal (never 500).
    assert sorted(statuses) == [200] * (PARALLEL - 1) + [302]
    assert Disbursement.objects.count() == 1
    assert Disbursement.objects.total() == BUDGET
    assert Disbursement.objects.get().project == project


def test_double_submit_of_one_document_saves_once(budget):
    project, activity, clerk = budget
    statuses = _post_in_parallel(clerk, [_body(activity, "100", "ขบ 7/2568")] * 2)
    assert sorted(statuses) == [200, 302]
    assert list(Disbursement.objects.values_list("document_number", "amount")) == [
        ("ขบ 7/2568", Decimal("100.00"))
    ]
