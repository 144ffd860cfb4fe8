import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from budgets.inlines import CostLineInline, QuarterPlanInline
from budgets.models import CostLine, Disbursement, QuarterPlan
from core.roles import Role
from projects.models import Activity
from tests.budgets.conftest import FISCAL_YEAR, add_line, approve_money_projects
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    CostLineFactory,
    DisbursementFactory,
    ProjectFactory,
    make_staff,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        "budgetsource",
        "expensecategory",
        "allocation",
        "operatingcost",
        "disbursementtarget",
        "disbursement",
        "costline",
    ],
)
def test_admin_changelist_and_add_pages_open(admin_client, seed000, model):
    changelist = reverse(f"admin:budgets_{model}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "ค่า"}).status_code == 200
    if model != "costline":
        assert (
            admin_client.get(reverse(f"admin:budgets_{model}_add")).status_code == 200
        )


def test_activity_page_shows_cost_lines_and_formula(admin_client, seed000):
    activity = seed000.area_activities[0]
    response = admin_client.get(
        reverse("admin:projects_activity_change", args=[activity.pk])
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "cost_lines-TOTAL_FORMS" in content
    assert "quarter_plans-TOTAL_FORMS" in content
    assert "1 ครั้ง ๆ ละ 12 คน คนละ 200 บาท = 2,400.00 บาท" in content


# ------------------------------------------------------------------ inline formsets


def _formset(inline_class, activity, data, user):
    request = RequestFactory().post("/")
    request.user = user
    inline = inline_class(Activity, admin.site)
    formset_class = inline.get_formset(request, activity)
    return formset_class(
        data=data, instance=activity, prefix=formset_class.get_default_prefix()
    )


def _line_data(rows, initial=0):
    data = {
        "cost_lines-TOTAL_FORMS": str(len(rows)),
        "cost_lines-INITIAL_FORMS": str(initial),
        "cost_lines-MIN_NUM_FORMS": "0",
        "cost_lines-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"cost_lines-{index}-{key}"] = value
    return data


def _quarter_data(amounts):
    data = {
        "quarter_plans-TOTAL_FORMS": str(len(amounts)),
        "quarter_plans-INITIAL_FORMS": "0",
        "quarter_plans-MIN_NUM_FORMS": "0",
        "quarter_plans-MAX_NUM_FORMS": "4",
    }
    for index, (quarter, amount) in enumerate(amounts.items()):
        data[f"quarter_plans-{index}-quarter"] = str(quarter)
        data[f"quarter_plans-{index}-amount"] = amount
    return data


def test_inline_accepts_thai_digits_and_computes_the_amount(
    admin_user, reference, plan
):
    activity = ActivityFactory(project=ProjectFactory(plan=plan))
    rows = [
        {
            "category": reference.services.pk,
            "description": "ค่าอาหารกลางวัน",
            "times": "๑",
            "times_unit": "ครั้ง",
            "persons": "๓๐",
            "persons_unit": "คน",
            "days": "2",
            "days_unit": "มื้อ",
            "rate": "๓๕",
            "order": "1",
        },
        {
            "category": reference.materials.pk,
            "description": "ค่าวัสดุ",
            "amount": "๑๒,๕๐๐.๕๐",
            "times_unit": "ครั้ง",
            "persons_unit": "คน",
            "days_unit": "วัน",
            "order": "2",
        },
    ]
    formset = _formset(CostLineInline, activity, _line_data(rows), admin_user)
    assert formset.is_valid(), formset.errors
    formset.save()
    amounts = sorted(CostLine.objects.values_list("amount", flat=True))
    assert amounts == [Decimal("2100.00"), Decimal("12500.50")]


def test_inline_refuses_non_numeric_and_negative(admin_user, reference, plan):
    activity = ActivityFactory(project=ProjectFactory(plan=plan))
    rows = [
        {
            "category": reference.services.pk,
            "description": "ก",
            "persons": "สิบ",
            "rate": "5",
            "order": "1",
        },
        {
            "category": reference.services.pk,
            "description": "ข",
            "amount": "-100",
            "order": "2",
        },
    ]
    formset = _formset(CostLineInline, activity, _line_data(rows), admin_user)
    assert not formset.is_valid()
    assert "ไม่ใช่ตัวเลข ให้พิมพ์เช่น" in str(formset.errors[0]["persons"])
    assert "ติดลบ" in str(formset.errors[1]["amount"])
    assert not CostLine.objects.exists()


def test_inline_formset_refuses_the_envelope_overrun(
    admin_user, reference, plan, office
):
    AllocationFactory(
        organization=office,
        fiscal_year=FISCAL_YEAR,
        source=reference.obec,
        amount=10000,
    )
    activity = ActivityFactory(
        project=ProjectFactory(plan=plan, budget_source=reference.obec)
    )
    rows = [
        {
            "category": reference.services.pk,
            "description": "ก",
            "amount": "6,000",
            "order": "1",
        },
        {
            "category": reference.services.pk,
            "description": "ข",
            "amount": "4,000.01",
            "order": "2",
        },
    ]
    formset = _formset(CostLineInline, activity, _line_data(rows), admin_user)
    assert not formset.is_valid()
    assert "เกินวงเงิน" in str(formset.non_form_errors())
    assert not CostLine.objects.exists()
    rows[1]["amount"] = "4,000"
    formset = _formset(CostLineInline, activity, _line_data(rows), admin_user)
    assert formset.is_valid(), formset.non_form_errors()


def test_quarter_inline_must_match_the_posted_cost(admin_user, reference, plan):
    activity = ActivityFactory(project=ProjectFactory(plan=plan))
    add_line(activity, reference.services, "ค่าอาหาร", 2400)
    lines = _line_data(
        [
            {
                "id": str(activity.cost_lines.get().pk),
                "category": reference.services.pk,
                "description": "ค่าอาหาร",
                "persons": "12",
                "times": "1",
                "rate": "250",
                "amount": "2400",
                "order": "1",
            }
        ],
        initial=1,
    )
    # the posted formula makes the activity 3,000; the quarters say 2,400
    data = {**lines, **_quarter_data({1: "1,200", 2: "1,200"})}
    formset = _formset(QuarterPlanInline, activity, data, admin_user)
    assert not formset.is_valid()
    message = str(formset.non_form_errors())
    assert "2,400.00" in message and "3,000.00" in message
    data = {**lines, **_quarter_data({1: "๑,๕๐๐", 2: "1,500"})}
    formset = _formset(QuarterPlanInline, activity, data, admin_user)
    assert formset.is_valid(), formset.non_form_errors()
    formset.save()
    assert QuarterPlan.objects.filter(activity=activity).total() == Decimal("3000.00")


# ------------------------------------------------------------------ finance


@pytest.fixture
def finance_user(office):
    person = make_staff(office, roles=[Role.FINANCE], first_name="การเงิน")
    person.user.is_staff = True
    person.user.save()
    return person.user


def test_finance_sees_only_its_office_disbursements(
    client, finance_user, seed000, other_office
):
    mine = DisbursementFactory(
        activity=seed000.area_activities[0], amount=100, document_number="ของเรา 1"
    )
    theirs = DisbursementFactory(
        activity=ActivityFactory(
            project=ProjectFactory(plan__organization=other_office)
        ),
        document_number="ของเขา 1",
    )
    client.force_login(finance_user)
    content = client.get(
        reverse("admin:budgets_disbursement_changelist")
    ).content.decode()
    assert "ของเรา 1" in content
    assert "ของเขา 1" not in content
    assert (
        client.get(
            reverse("admin:budgets_disbursement_change", args=[theirs.pk])
        ).status_code
        == 302
    )
    assert (
        client.get(
            reverse("admin:budgets_disbursement_change", args=[mine.pk])
        ).status_code
        == 200
    )


def test_finance_records_a_disbursement_with_a_be_date(client, finance_user, seed000):
    approve_money_projects(seed000)
    activity = seed000.area_activities[0]
    line = activity.cost_lines.first()
    client.force_login(finance_user)
    response = client.post(
        reverse("admin:budgets_disbursement_add"),
        {
            "activity": activity.pk,
            "cost_line": line.pk,
            "paid_on": "15/11/2567",
            "amount": "๒,๔๐๐",
            "document_number": "ขบ 5/2568",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    record = Disbursement.objects.get()
    assert record.paid_on == datetime.date(2024, 11, 15)
    assert record.amount == Decimal("2400.00")
    assert record.recorded_by == finance_user


def test_finance_admin_refuses_overrun_and_foreign_activity(
    client, finance_user, seed000, other_office
):
    approve_money_projects(seed000)
    seed000.area.virement_allowed = False
    seed000.area.save()
    activity = seed000.area_activities[0]
    line = activity.cost_lines.first()  # 2,400
    client.force_login(finance_user)
    url = reverse("admin:budgets_disbursement_add")
    data = {
        "activity": activity.pk,
        "cost_line": line.pk,
        "paid_on": "15/11/2567",
        "amount": "2,400.01",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "เบิกจ่ายเกินวงเงินของรายการ" in response.content.decode()
    foreign = ActivityFactory(project=ProjectFactory(plan__organization=other_office))
    response = client.post(
        url, {**data, "activity": foreign.pk, "cost_line": "", "amount": "1"}
    )
    assert response.status_code == 200
    assert not Disbursement.objects.exists()


def test_planner_cannot_change_shared_reference_rows(client, planner, reference):
    planner.is_staff = True
    planner.save()
    client.force_login(planner)
    response = client.get(
        reverse("admin:budgets_budgetsource_change", args=[reference.obec.pk])
    )
    assert response.status_code == 200
    assert 'name="name"' not in response.content.decode()  # read-only view
    response = client.post(
        reverse("admin:budgets_budgetsource_change", args=[reference.obec.pk]),
        {"code": "obec", "name": "แก้ไข", "order": 1},
    )
    assert response.status_code == 403
    reference.obec.refresh_from_db()
    assert reference.obec.name == "งบประมาณจาก สพฐ."


def _cost_line_options(response) -> set[str]:
    """The ids offered by the form's cost-line drop-down."""
    form = response.context["adminform"].form
    return {str(value) for value, _ in form.fields["cost_line"].choices if value}


@pytest.mark.parametrize("who", ["finance", "superuser"])
def test_admin_disbursement_offers_and_takes_only_its_projects_cost_lines(
    client, finance_user, admin_user, seed000, other_office, who
):
    """The cost-line choice is limited to the disbursement's office and, once
    it is known, its project: a superuser was offered every office's lines,
    a finance clerk every project's of the office."""
    approve_money_projects(seed000)
    activity = seed000.area_activities[0]
    line = activity.cost_lines.first()
    record = DisbursementFactory(
        activity=activity, cost_line=line, amount=100, document_number="ขบ 1/2568"
    )
    foreign = CostLineFactory(
        activity=ActivityFactory(
            project=ProjectFactory(plan__organization=other_office)
        ),
        description="รายการของสำนักงานอื่น",
    )
    other_project = seed000.small.activities.first().cost_lines.first()
    user = finance_user if who == "finance" else admin_user
    client.force_login(user)
    url = reverse("admin:budgets_disbursement_change", args=[record.pk])
    offered = _cost_line_options(client.get(url))
    assert str(line.pk) in offered
    assert str(foreign.pk) not in offered
    assert str(other_project.pk) not in offered
    assert set(offered) <= {
        str(pk)
        for pk in CostLine.objects.filter(
            activity__project=activity.project
        ).values_list("pk", flat=True)
    }
    if who == "finance":  # a new disbursement: the clerk's office's lines only
        add = reverse("admin:budgets_disbursement_add")
        assert str(foreign.pk) not in _cost_line_options(client.get(add))
    # a valid post (the page's own fields) naming the other office's line
    before = list(Disbursement.objects.values_list("pk", "cost_line", "amount"))
    response = client.post(
        url,
        {
            "activity": activity.pk,
            "cost_line": foreign.pk,
            "paid_on": "15/11/2567",
            "amount": "100",
            "document_number": "ขบ 1/2568",
            "note": "",
        },
    )
    assert response.status_code == 200
    assert list(Disbursement.objects.values_list("pk", "cost_line", "amount")) == (
        before
    )
