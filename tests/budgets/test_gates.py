"""Money gates (issue 17 items 2 and 6): no disbursement on a project that is
not approved, on any path (the finance screen, the admin form, the Excel
import); a payment may name an expense category instead of a cost line and
is counted under it; a category the project has no line in is refused with
the project's categories listed. Refusals are valid requests an allowed
user could post, and leave the database as it was."""

import datetime
import html
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook

from budgets import services
from budgets.models import Disbursement
from budgets.rollups import LEDGER_UNCLASSIFIED, office_ledger
from core.roles import Role
from excel import layout
from excel.disbursements import disbursement_import
from projects.models import Project
from tests.budgets.conftest import FISCAL_YEAR
from tests.excel.conftest import workbook_bytes
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance_user(office):
    person = make_staff(office, roles=[Role.FINANCE], first_name="การเงิน")
    person.user.is_staff = True
    person.user.save()
    return person.user


@pytest.fixture
def approved(seed000):
    """seed 000's area project, approved (the others stay drafts)."""
    Project.objects.filter(pk=seed000.area.pk).update(status=Project.Status.APPROVED)
    seed000.area.refresh_from_db()
    return seed000


def _nothing_written():
    return not Disbursement.objects.exists() and not Disbursement.history.exists()


def _post(client, activity, **fields):
    data = {
        "activity": activity.pk,
        "cost_line": "",
        "category": "",
        "paid_on": "15/11/2567",
        "amount": "1,000",
        "document_number": "ขบ 1/2568",
        "note": "",
    }
    data.update(fields)
    return client.post(reverse("admin:budgets_disbursement_add"), data)


def _book(*rows) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = "การเบิกจ่าย"
    sheet.append(layout.DISBURSEMENTS.headers)
    for row in rows:
        sheet.append(row)
    return book


def _import(office, user, *rows):
    return disbursement_import(
        source=workbook_bytes(_book(*rows)),
        organization=office,
        fiscal_year=FISCAL_YEAR,
        user=user,
    )


def _row(code, *, activity=None, line=None, category=None, amount=1000):
    """A finance sheet row in the layout's column order."""
    values = {
        "paid_on": "15/11/2567",
        "document_number": "ขบ 9/2568",
        "project": code,
        "activity": activity,
        "amount": amount,
        "note": None,
        "running_cost": None,
        "cost_line": line,
        "category": category,
    }
    return [values[column.key] for column in layout.DISBURSEMENTS.columns]


# ---------------------------------------------------------------- not approved


def test_screen_refuses_a_disbursement_on_a_draft_project(
    client, finance_user, seed000
):
    activity = seed000.area_activities[0]
    line = activity.cost_lines.first()
    client.force_login(finance_user)
    response = _post(client, activity, cost_line=line.pk)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "ยังไม่อนุมัติ (สถานะ: ร่าง) จึงบันทึกการเบิกจ่ายไม่ได้" in page
    assert _nothing_written()


def test_the_same_post_is_recorded_once_the_project_is_approved(
    client, finance_user, approved
):
    activity = approved.area_activities[0]
    client.force_login(finance_user)
    line = activity.cost_lines.first()
    response = _post(client, activity, cost_line=line.pk)
    assert response.status_code == 302
    assert Disbursement.objects.get().cost_line == line


def test_service_refuses_a_draft_project(seed000, finance_user):
    activity = seed000.area_activities[0]
    with pytest.raises(services.ValidationError) as error:
        services.disbursement_record(
            user=finance_user,
            activity=activity,
            amount=Decimal("100"),
            paid_on=datetime.date(2024, 11, 15),
        )
    assert error.value.code == "not_approved"
    assert _nothing_written()


def test_import_refuses_a_draft_project(office, finance_user, seed000):
    result = _import(office, finance_user, _row(seed000.area.code))
    assert not result.ok
    assert [str(e) for e in result.errors] == [
        "ชีต 'การเบิกจ่าย' แถว 2 คอลัมน์ 'จำนวนเงิน': "
        + services.ERROR_DISBURSE_NOT_APPROVED.format(
            code=seed000.area.code, status="ร่าง"
        )
    ]
    assert _nothing_written()


# ---------------------------------------------------------------- by category


def test_category_only_disbursement_is_counted_under_its_category(
    client, finance_user, approved, reference
):
    activity = approved.area_activities[0]  # ค่าใช้สอย 2,400 + ค่าวัสดุ 2,000
    client.force_login(finance_user)
    response = _post(client, activity, category=reference.materials.pk, amount="1,500")
    assert response.status_code == 302, html.unescape(response.content.decode())[-3000:]
    paid = Disbursement.objects.get()
    assert (paid.cost_line, paid.category) == (None, reference.materials)
    rows = {row.name: row for row in office_ledger(approved.office, FISCAL_YEAR).rows}
    assert rows[reference.operating.name].disbursed == Decimal("1500.00")
    assert LEDGER_UNCLASSIFIED not in rows


def test_category_balance_is_the_lines_of_that_category(
    client, finance_user, approved, reference
):
    Project.objects.filter(pk=approved.area.pk).update(virement_allowed=False)
    activity = approved.area_activities[0]  # ค่าวัสดุ 2,000 in this activity
    client.force_login(finance_user)
    response = _post(
        client, activity, category=reference.materials.pk, amount="2,000.01"
    )
    assert response.status_code == 200
    assert "เบิกจ่ายเกินวงเงินหมวด “ค่าวัสดุ”" in html.unescape(response.content.decode())
    assert _nothing_written()


def test_unmatched_category_is_refused_listing_the_projects_categories(
    client, finance_user, approved, reference
):
    activity = approved.area_activities[0]
    client.force_login(finance_user)
    response = _post(client, activity, category=reference.utilities.pk)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "ไม่มีรายการค่าใช้จ่ายในหมวด “ค่าสาธารณูปโภค”" in page
    assert "หมวดรายจ่ายของโครงการนี้: ค่าใช้สอย, ค่าวัสดุ" in page
    assert _nothing_written()


def test_a_line_and_another_category_is_refused(
    client, finance_user, approved, reference
):
    activity = approved.area_activities[0]
    line = activity.cost_lines.get(category=reference.services)
    client.force_login(finance_user)
    response = _post(
        client, activity, cost_line=line.pk, category=reference.materials.pk
    )
    assert response.status_code == 200
    assert "อยู่ในหมวด “ค่าใช้สอย” ไม่ใช่ “ค่าวัสดุ”" in html.unescape(response.content.decode())
    assert _nothing_written()


def test_import_by_category_finds_the_activity(
    office, finance_user, approved, reference
):
    # ค่าวัสดุ: activity 1 has lines in it; activity 6 too; the first wins.
    result = _import(office, finance_user, _row(approved.area.code, category="ค่าวัสดุ"))
    assert result.ok, [str(e) for e in result.errors]
    paid = Disbursement.objects.get()
    assert paid.category == reference.materials
    assert paid.activity == approved.area_activities[0]


def test_import_by_cost_line_number(office, finance_user, approved):
    result = _import(office, finance_user, _row(approved.area.code, activity=1, line=2))
    assert result.ok, [str(e) for e in result.errors]
    paid = Disbursement.objects.get()
    assert paid.cost_line.description == "จัดทำแผนนิเทศ"


def test_import_refuses_a_category_the_project_has_no_line_in(
    office, finance_user, approved
):
    result = _import(
        office, finance_user, _row(approved.area.code, category="ค่าสาธารณูปโภค")
    )
    assert [str(e) for e in result.errors] == [
        "ชีต 'การเบิกจ่าย' แถว 2 คอลัมน์ 'หมวดรายจ่าย': "
        + services.ERROR_DISBURSE_CATEGORY_NOT_IN_PROJECT.format(
            code=approved.area.code,
            category="ค่าสาธารณูปโภค",
            categories="ค่าใช้สอย, ค่าวัสดุ",
        )
    ]
    assert _nothing_written()


def test_a_line_overdrawn_by_virement_is_said_not_silent(
    client, finance_user, approved
):
    activity = approved.area_activities[0]
    line = activity.cost_lines.get(description="จัดทำแผนนิเทศ")  # 1,000
    client.force_login(finance_user)
    response = _post(client, activity, cost_line=line.pk, amount="1,200")
    assert response.status_code == 302
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert (
        services.WARNING_DISBURSE_OVERDRAWN.format(
            what="รายการ “จัดทำแผนนิเทศ”", over="200.00"
        )
        in page
    )
