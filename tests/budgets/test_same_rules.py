"""The admin reads numbers and dates by the same rules as the rest of the app:
Thai digits accepted, exponent notation refused, disbursement dates within the
plan's fiscal year (the Excel import's rule), and every disbursement write
(add, change, delete) through the locking service."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from budgets import services
from budgets.models import Allocation, Disbursement, DisbursementTarget, OperatingCost
from core.roles import Role
from tests.budgets.conftest import FISCAL_YEAR, approve_money_projects
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

NOT_A_NUMBER = "ให้พิมพ์เช่น"  # the one parser's refusal: the text, then examples


@pytest.fixture
def finance_user(office):
    person = make_staff(office, roles=[Role.FINANCE], first_name="การเงิน")
    person.user.is_staff = True
    person.user.save()
    return person.user


def _allocation(seed000, amount):
    return {
        "organization": seed000.office.pk,
        "fiscal_year": FISCAL_YEAR,
        "source": seed000.source.pk,
        "round_number": "2",
        "amount": amount,
        "allocated_on": "",
        "reference": "",
        "note": "",
    }


def _operating(seed000, reference, amount):
    return {
        "organization": seed000.office.pk,
        "fiscal_year": FISCAL_YEAR,
        "source": seed000.source.pk,
        "category": reference.utilities.pk,
        "order": "9",
        "description": "ค่าไปรษณีย์",
        "amount": amount,
    }


def test_allocation_admin_accepts_thai_digits(admin_client, seed000):
    response = admin_client.post(
        reverse("admin:budgets_allocation_add"), _allocation(seed000, "๑๐๐,๐๐๐")
    )
    assert response.status_code == 302
    assert Allocation.objects.get(round_number=2).amount == Decimal("100000")


@pytest.mark.parametrize("amount", ["1e9", "1E3", "NaN", "inf", "-Infinity"])
def test_allocation_admin_refuses_exponents_and_non_numbers(
    admin_client, seed000, amount
):
    response = admin_client.post(
        reverse("admin:budgets_allocation_add"), _allocation(seed000, amount)
    )
    assert response.status_code == 200
    assert NOT_A_NUMBER in response.content.decode()
    assert not Allocation.objects.filter(round_number=2).exists()


@pytest.mark.parametrize("amount, saved", [("๑,๐๐๐", True), ("1e3", False)])
def test_operating_cost_admin_reads_numbers_the_thai_way(
    admin_client, seed000, reference, amount, saved
):
    # The envelope is full (seed 000), so make room for 1,000 baht first.
    Allocation.objects.filter(source=seed000.source).update(amount=1001000)
    response = admin_client.post(
        reverse("admin:budgets_operatingcost_add"),
        _operating(seed000, reference, amount),
    )
    exists = OperatingCost.objects.filter(description="ค่าไปรษณีย์").exists()
    assert exists is saved
    if saved:
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert NOT_A_NUMBER in response.content.decode()


def test_disbursement_target_admin_reads_thai_digits(admin_client, seed000):
    url = reverse("admin:budgets_disbursementtarget_add")
    body = {"organization": seed000.office.pk, "fiscal_year": FISCAL_YEAR}
    response = admin_client.post(
        url, {**body, "quarter": "1", "cumulative_percent": "๓๒.๕"}
    )
    assert response.status_code == 302
    assert DisbursementTarget.objects.get().cumulative_percent == Decimal("32.5")
    response = admin_client.post(
        url, {**body, "quarter": "2", "cumulative_percent": "5e1"}
    )
    assert response.status_code == 200
    assert DisbursementTarget.objects.count() == 1


# ------------------------------------------------------------------ disbursements


def _disbursement(activity, **fields):
    return {
        "activity": activity.pk,
        "cost_line": "",
        "paid_on": "15/11/2567",
        "amount": "100",
        "document_number": "ขบ 1/2568",
        "note": "",
        **fields,
    }


@pytest.mark.parametrize(
    "field, value",
    [("amount", "1e2"), ("amount", "NaN"), ("paid_on", "15/11/2590")],
)
def test_disbursement_admin_refuses_what_the_import_refuses(
    client, finance_user, seed000, field, value
):
    approve_money_projects(seed000)
    client.force_login(finance_user)
    activity = seed000.area_activities[0]
    response = client.post(
        reverse("admin:budgets_disbursement_add"),
        _disbursement(activity, **{field: value}),
    )
    assert response.status_code == 200
    content = response.content.decode()
    expected = NOT_A_NUMBER if field == "amount" else "วันที่ไม่อยู่ในปีงบประมาณ 2568"
    assert expected in content
    assert not Disbursement.objects.exists()


def test_paid_on_rule_is_one_function_for_service_and_import(seed000, finance_user):
    """The service refuses a date the import refuses, with the same words."""
    approve_money_projects(seed000)
    from excel import disbursements

    assert disbursements.ERROR_OUTSIDE_YEAR is services.ERROR_DISBURSE_OUTSIDE_YEAR
    activity = seed000.area_activities[0]
    for day in ("2024-09-30", "2025-10-01", "2047-11-15"):
        with pytest.raises(ValidationError) as error:
            services.disbursement_record(
                user=finance_user,
                activity=activity,
                amount=1,
                paid_on=datetime.date.fromisoformat(day),
            )
        assert error.value.code == "outside_year"
    assert not Disbursement.objects.exists()


def test_the_same_document_twice_is_refused_in_thai(client, finance_user, seed000):
    approve_money_projects(seed000)
    client.force_login(finance_user)
    activity = seed000.area_activities[0]
    url = reverse("admin:budgets_disbursement_add")
    assert client.post(url, _disbursement(activity)).status_code == 302
    response = client.post(url, _disbursement(activity, amount="50"))
    assert response.status_code == 200
    assert "เอกสารเลขที่ ขบ 1/2568 ของโครงการ" in response.content.decode()
    assert Disbursement.objects.count() == 1
    # The same number in another project is another voucher.
    other = seed000.small.activities.get()
    assert client.post(url, _disbursement(other)).status_code == 302
    assert Disbursement.objects.count() == 2


def test_database_refuses_a_repeated_document_in_one_project(seed000):
    activity = seed000.area_activities[0]
    Disbursement.objects.create(
        activity=activity, paid_on="2024-11-15", amount=1, document_number="ขบ 9"
    )
    Disbursement.objects.create(  # blank numbers may repeat
        activity=activity, paid_on="2024-11-15", amount=1, document_number=""
    )
    Disbursement.objects.create(
        activity=activity, paid_on="2024-11-15", amount=1, document_number=""
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.create(
            activity=seed000.area_activities[1],  # same project, other activity
            paid_on="2024-11-15",
            amount=1,
            document_number="ขบ 9",
        )


def test_admin_change_goes_through_the_service_checks(client, finance_user, seed000):
    approve_money_projects(seed000)
    seed000.area.virement_allowed = False
    seed000.area.save()
    activity = seed000.area_activities[0]  # 4,400 baht of lines
    client.force_login(finance_user)
    add = reverse("admin:budgets_disbursement_add")
    assert client.post(add, _disbursement(activity, amount="4,000")).status_code == 302
    assert (
        client.post(
            add, _disbursement(activity, amount="400", document_number="ขบ 2/2568")
        ).status_code
        == 302
    )
    first = Disbursement.objects.get(document_number="ขบ 1/2568")
    change = reverse("admin:budgets_disbursement_change", args=[first.pk])
    # Raising the first to 4,001 would overspend the activity by one baht.
    response = client.post(change, _disbursement(activity, amount="4,001"))
    assert response.status_code == 200
    assert "เบิกจ่ายเกินงบประมาณของกิจกรรม" in response.content.decode()
    # Taking the second's voucher number is refused too.
    response = client.post(
        change, _disbursement(activity, amount="4,000", document_number="ขบ 2/2568")
    )
    assert response.status_code == 200
    assert "บันทึกไว้แล้ว" in response.content.decode()
    first.refresh_from_db()
    assert (first.amount, first.document_number) == (Decimal("4000"), "ขบ 1/2568")
    # A valid change saves, and keeps the project copy right.
    response = client.post(change, _disbursement(activity, amount="๓,๙๐๐"))
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.amount, first.project) == (Decimal("3900"), seed000.area)


def test_admin_delete_goes_through_the_service(
    client, finance_user, seed000, monkeypatch
):
    approve_money_projects(seed000)
    activity = seed000.area_activities[0]
    client.force_login(finance_user)
    client.post(reverse("admin:budgets_disbursement_add"), _disbursement(activity))
    record = Disbursement.objects.get()
    calls = []
    real = services.disbursement_delete

    def spy(**kwargs):
        calls.append(kwargs["disbursement"].pk)
        return real(**kwargs)

    monkeypatch.setattr(services, "disbursement_delete", spy)
    response = client.post(
        reverse("admin:budgets_disbursement_delete", args=[record.pk]),
        {"post": "yes"},
    )
    assert response.status_code == 302
    assert calls == [record.pk]
    assert not Disbursement.objects.exists()
