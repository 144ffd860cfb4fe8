"""Running costs paid through the finance sheet (a row with no project code
names the running cost's number) and through the budgets service: the money
of the annual report's budget table that is no project's (issue 17 item 1)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from budgets import services
from budgets.models import Disbursement, OperatingCost, OperatingDisbursement
from excel import layout
from excel.disbursements import (
    ERROR_PROJECT_OR_RUNNING,
    ERROR_UNKNOWN_RUNNING,
    disbursement_import,
)
from projects.models import Project
from tests.excel.conftest import FISCAL_YEAR, workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _projects_approved(request):
    """The finance sheet pays approved projects only (disbursement_validate):
    the plan being paid here is an approved one."""
    if "full_plan" in request.fixturenames:
        plan = request.getfixturevalue("full_plan")
        Project.objects.filter(plan=plan).update(status=Project.Status.APPROVED)


#: The finance sheet's columns before ลำดับค่าใช้จ่ายดำเนินงาน was added.
OLD_HEADERS = layout.DISBURSEMENTS.headers[:-1]


@pytest.fixture
def utilities(full_plan, reference):
    return OperatingCost.objects.create(
        organization=full_plan.organization,
        fiscal_year=FISCAL_YEAR,
        source=reference.obec,
        category=reference.services,
        order=1,
        description="ค่าสาธารณูปโภค",
        amount=Decimal("300000"),
    )


def finance_book(*rows, headers=None) -> Workbook:
    book = Workbook()
    book.active.append(headers or layout.DISBURSEMENTS.headers)
    for row in rows:
        book.active.append(row)
    return book


def run(book, office, user):
    return disbursement_import(
        source=workbook_bytes(book),
        organization=office,
        fiscal_year=FISCAL_YEAR,
        user=user,
    )


def test_a_row_without_a_project_pays_the_numbered_running_cost(
    full_plan, utilities, planner
):
    book = finance_book(
        ["15/11/2568", "ขบ 1/2569", "69-001", None, 500],
        ["30/11/2568", "ค่าไฟ พ.ย.", None, None, "24,500.50", "ค่าไฟฟ้า", 1],
    )
    result = run(book, full_plan.organization, planner)

    assert result.ok, [str(e) for e in result.errors]
    [payment] = OperatingDisbursement.objects.all()
    assert (payment.operating_cost, payment.amount, payment.document_number) == (
        utilities,
        Decimal("24500.50"),
        "ค่าไฟ พ.ย.",
    )
    assert payment.paid_on == datetime.date(2025, 11, 30)
    assert payment.recorded_by == planner
    assert Disbursement.objects.count() == 1  # the project's row as before


def test_a_file_made_before_the_running_cost_column_still_imports(
    full_plan, utilities, planner
):
    book = finance_book(
        ["15/11/2568", "ขบ 1/2569", "69-001", None, 500], headers=OLD_HEADERS
    )
    result = run(book, full_plan.organization, planner)

    assert result.ok, [str(e) for e in result.errors]
    assert Disbursement.objects.count() == 1


def test_bad_running_cost_rows_save_nothing(full_plan, utilities, planner):
    book = finance_book(
        ["15/11/2568", "ขบ 1/2569", "69-001", None, 500],
        ["30/11/2568", "ค่าไฟ 1", None, None, 100, "", 7],
        ["30/11/2568", "ค่าไฟ 2", "69-001", None, 100, "", 1],
        ["30/11/2568", "ค่าไฟ 3", None, None, "300,000.01", "", 1],
    )
    result = run(book, full_plan.organization, planner)

    messages = [str(error) for error in result.errors]
    assert not result.written
    assert any(
        ERROR_UNKNOWN_RUNNING.format(number=7, year=FISCAL_YEAR) in m for m in messages
    )
    assert any(ERROR_PROJECT_OR_RUNNING in m for m in messages)
    assert any("เบิกจ่ายเกินวงเงินของค่าใช้จ่ายดำเนินงาน" in m for m in messages)
    assert not OperatingDisbursement.objects.exists()
    assert not Disbursement.objects.exists()


def test_a_group_head_may_not_pay_a_running_cost(utilities, head_a):
    with pytest.raises(PermissionDenied):
        services.operating_disbursement_record(
            user=head_a,
            cost=utilities,
            amount=Decimal("1000"),
            paid_on=datetime.date(2025, 11, 30),
        )
    assert not OperatingDisbursement.objects.exists()


def test_a_voucher_pays_a_running_cost_once(utilities, planner):
    services.operating_disbursement_record(
        user=planner,
        cost=utilities,
        amount=Decimal("1000"),
        paid_on=datetime.date(2025, 11, 30),
        document_number="ขบ 9",
    )
    with pytest.raises(ValidationError) as error:
        services.operating_disbursement_record(
            user=planner,
            cost=utilities,
            amount=Decimal("1000"),
            paid_on=datetime.date(2025, 12, 1),
            document_number="ขบ 9",
        )
    assert "ขบ 9" in error.value.messages[0]
    assert OperatingDisbursement.objects.count() == 1
