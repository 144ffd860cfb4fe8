"""The envelope, target and reference-data admins write through
``budgets.services`` (issue 14 item 2): a valid form is saved by the service
(history names the user) and a valid form that a rule refuses is answered in
Thai on the page, with nothing written.

Before, these admins used Django's own ``save_model``: an envelope could be
cut below the running costs and projects it pays for, its last round deleted,
a cumulative target go down, an office source shadow a shared one and the
classification grow a third level, none of which the import or the other
screens allow.
"""

import html
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from budgets import services
from budgets.models import Allocation, BudgetSource, DisbursementTarget, ExpenseCategory
from core.roles import Role
from tests.budgets.conftest import FISCAL_YEAR
from tests.factories import BudgetSourceFactory, DisbursementTargetFactory, make_staff
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


def _staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def staff_planner(planner):
    return _staff(planner)


@pytest.fixture
def finance_user(office):
    return _staff(make_staff(office, roles=[Role.FINANCE], first_name="การเงิน").user)


def _page(response) -> str:
    return html.unescape(response.content.decode())


def _allocation_body(seed000, **changes):
    return {
        "organization": seed000.office.pk,
        "fiscal_year": FISCAL_YEAR,
        "source": seed000.source.pk,
        "round_number": "2",
        "amount": "100,000",
        "allocated_on": "",
        "reference": "",
        "note": "",
        **changes,
    }


def _change_body(client, url, **changes):
    data = form_data(client.get(url).content)
    data.update(changes)
    return data


def _allocations(seed000):
    return list(
        Allocation.objects.filter(source=seed000.source)
        .order_by("pk")
        .values_list("round_number", "amount")
    ), Allocation.history.count()


# ------------------------------------------------------------------ allocation


def test_a_planner_adds_a_round_through_the_service(client, staff_planner, seed000):
    client.force_login(staff_planner)
    response = client.post(
        reverse("admin:budgets_allocation_add"), _allocation_body(seed000)
    )
    assert response.status_code == 302
    added = Allocation.objects.get(round_number=2)
    assert added.amount == Decimal("100000")
    assert added.history.get().history_user == staff_planner


def test_cutting_an_envelope_below_what_it_pays_for_is_refused(
    client, staff_planner, seed000
):
    """1,000,000 pays 775,000 running costs and 225,000 of projects."""
    client.force_login(staff_planner)
    allocation = Allocation.objects.get(source=seed000.source)
    url = reverse("admin:budgets_allocation_change", args=[allocation.pk])
    data = _change_body(client, url, amount="900,000")
    before = _allocations(seed000)

    response = client.post(url, data)

    assert response.status_code == 200
    assert "เกินวงเงินที่จัดสรร 900,000.00 บาท" in _page(response)
    assert _allocations(seed000) == before


def test_raising_an_envelope_is_saved(client, staff_planner, seed000):
    client.force_login(staff_planner)
    allocation = Allocation.objects.get(source=seed000.source)
    url = reverse("admin:budgets_allocation_change", args=[allocation.pk])
    response = client.post(url, _change_body(client, url, amount="1,200,000"))
    assert response.status_code == 302
    allocation.refresh_from_db()
    assert allocation.amount == Decimal("1200000")
    assert allocation.history.first().history_user == staff_planner


def test_a_round_the_envelope_still_needs_cannot_be_deleted(
    client, staff_planner, seed000
):
    """Two rounds, 600,000 + 400,000: without the second, 600,000 would pay
    for 1,000,000 of running costs and projects."""
    first = Allocation.objects.get(source=seed000.source)
    Allocation.objects.filter(pk=first.pk).update(amount=600000)
    second = Allocation.objects.create(
        organization=seed000.office,
        fiscal_year=FISCAL_YEAR,
        source=seed000.source,
        round_number=2,
        amount=400000,
    )
    client.force_login(staff_planner)
    url = reverse("admin:budgets_allocation_delete", args=[second.pk])
    before = _allocations(seed000)

    response = client.post(url, {"post": "yes"})

    assert response.status_code == 200
    assert "เกินวงเงินที่จัดสรร 600,000.00 บาท" in _page(response)
    assert _allocations(seed000) == before


def test_a_spare_round_is_deleted_through_the_service(client, staff_planner, seed000):
    spare = Allocation.objects.create(
        organization=seed000.office,
        fiscal_year=FISCAL_YEAR,
        source=seed000.source,
        round_number=2,
        amount=50000,
    )
    client.force_login(staff_planner)
    response = client.post(
        reverse("admin:budgets_allocation_delete", args=[spare.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Allocation.objects.filter(pk=spare.pk).exists()
    assert Allocation.history.filter(id=spare.pk, history_type="-").get().history_user


def test_a_retired_source_is_refused_for_a_new_round(client, staff_planner, seed000):
    BudgetSource.objects.filter(pk=seed000.source.pk).update(is_active=False)
    client.force_login(staff_planner)
    before = _allocations(seed000)
    response = client.post(
        reverse("admin:budgets_allocation_add"), _allocation_body(seed000)
    )
    # A retired source is no longer offered, or the service says why.
    assert response.status_code == 200
    assert _allocations(seed000) == before
    with pytest.raises(ValidationError) as refused:
        services.allocation_save(
            allocation=Allocation(
                organization=seed000.office,
                fiscal_year=FISCAL_YEAR,
                source=BudgetSource.objects.get(pk=seed000.source.pk),
                round_number=2,
                amount=100000,
            ),
            user=staff_planner,
        )
    assert "เลิกใช้แล้ว" in " ".join(refused.value.messages)
    assert _allocations(seed000) == before


def test_finance_reads_envelopes_but_does_not_set_them(client, finance_user, seed000):
    client.force_login(finance_user)
    before = _allocations(seed000)
    response = client.post(
        reverse("admin:budgets_allocation_add"), _allocation_body(seed000)
    )
    assert response.status_code == 403
    assert _allocations(seed000) == before
    with pytest.raises(PermissionDenied):
        services.allocation_save(
            allocation=Allocation(
                organization=seed000.office,
                fiscal_year=FISCAL_YEAR,
                source=seed000.source,
                round_number=3,
                amount=1,
            ),
            user=finance_user,
        )
    assert _allocations(seed000) == before


# ------------------------------------------------------------------ targets


def _target_body(office, quarter, percent):
    return {
        "organization": office.pk,
        "fiscal_year": FISCAL_YEAR,
        "quarter": str(quarter),
        "cumulative_percent": percent,
    }


def test_a_planner_sets_a_target_through_the_service(client, staff_planner, office):
    client.force_login(staff_planner)
    response = client.post(
        reverse("admin:budgets_disbursementtarget_add"), _target_body(office, 1, "30")
    )
    assert response.status_code == 302
    target = DisbursementTarget.objects.get(organization=office)
    assert target.history.get().history_user == staff_planner


def test_a_cumulative_target_may_not_go_down(client, staff_planner, office):
    DisbursementTargetFactory(organization=office, quarter=1, cumulative_percent=30)
    client.force_login(staff_planner)
    before = list(
        DisbursementTarget.objects.values_list("quarter", "cumulative_percent")
    )

    response = client.post(
        reverse("admin:budgets_disbursementtarget_add"), _target_body(office, 2, "20")
    )

    assert response.status_code == 200
    assert "ต้องไม่น้อยกว่าไตรมาส 1" in _page(response)
    assert (
        list(DisbursementTarget.objects.values_list("quarter", "cumulative_percent"))
        == before
    )


# ------------------------------------------------------------------ reference


def _source_body(office, **changes):
    return {
        "organization": office.pk,
        "code": "school-lunch",
        "name": "เงินอุดหนุนอาหารกลางวัน",
        "funding_group": "other",
        "order": "20",
        "is_active": "on",
        **changes,
    }


def test_a_planner_adds_an_office_source_through_the_service(
    client, staff_planner, office, reference
):
    client.force_login(staff_planner)
    response = client.post(
        reverse("admin:budgets_budgetsource_add"), _source_body(office)
    )
    assert response.status_code == 302
    assert BudgetSource.objects.get(code="school-lunch").organization == office


def test_an_office_source_may_not_shadow_a_shared_one(
    client, staff_planner, office, reference
):
    client.force_login(staff_planner)
    count = BudgetSource.objects.count()
    response = client.post(
        reverse("admin:budgets_budgetsource_add"), _source_body(office, code="obec")
    )
    assert response.status_code == 200
    assert "ซ้ำกับแหล่งงบประมาณมาตรฐาน “งบประมาณจาก สพฐ.”" in _page(response)
    assert BudgetSource.objects.count() == count


def test_another_offices_source_is_refused_by_the_service(staff_planner, other_office):
    theirs = BudgetSourceFactory(organization=other_office, name="ของเขา")
    theirs.name = "แก้ไข"
    with pytest.raises(PermissionDenied):
        services.budget_source_save(source=theirs, user=staff_planner)
    theirs.refresh_from_db()
    assert theirs.name == "ของเขา"


def _category_body(parent, **changes):
    return {
        "parent": parent.pk,
        "code": "printing",
        "name": "ค่าจ้างพิมพ์",
        "order": "5",
        "is_active": "on",
        **changes,
    }


def test_a_sub_category_is_added_through_the_service(admin_client, reference):
    top = reference.materials.parent or reference.materials
    response = admin_client.post(
        reverse("admin:budgets_expensecategory_add"), _category_body(top)
    )
    assert response.status_code == 302
    assert ExpenseCategory.objects.get(code="printing").parent == top


def test_the_classification_stays_two_levels_deep(admin_client, reference):
    sub = reference.materials
    assert sub.parent_id is not None  # ค่าวัสดุ is under งบดำเนินงาน
    count = ExpenseCategory.objects.count()
    response = admin_client.post(
        reverse("admin:budgets_expensecategory_add"), _category_body(sub)
    )
    assert response.status_code == 200
    assert "หมวดรายจ่ายมีได้สองชั้น" in _page(response)
    assert ExpenseCategory.objects.count() == count
