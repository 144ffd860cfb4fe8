"""Rate checks (issue 21 item 6): cost lines above the Finance Ministry's
highest rate are warned about in the editor, the import preview and the plan
checker, never refused; the tables are kept by finance staff and office
administrators."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from budgets import rates, services
from budgets.checker import plan_findings
from budgets.models import CostLine, RateLimit, RateTable
from core.roles import Role
from excel import layout
from excel.importer import plan_import
from home.demo import load_demo
from plans.models import Plan
from projects.models import Project
from tests.budgets.test_sheet_editor import (  # noqa: F401 (fixtures)
    category,
    edit_url,
    page_data,
    plan,
    sheet,
    strategy,
    year,
)
from tests.excel.conftest import (  # noqa: F401 (fixtures)
    FISCAL_YEAR,
    exported,
    full_plan,
    reference,
    set_cell,
    supervision,
    workbook_bytes,
)
from tests.excel.test_admin_export import staff
from tests.factories import ActivityFactory, CostLineFactory, ProjectFactory, make_staff
from tests.seed_offices import build_seed000

pytestmark = pytest.mark.django_db


class Line:
    """A cost line as :func:`budgets.rates.check` reads it."""

    def __init__(self, description, rate):
        self.description = description
        self.rate = None if rate is None else Decimal(str(rate))


def flagged(lines, fiscal_year=2569, organization=None):
    return [w.line.description for w in rates.check(lines, fiscal_year, organization)]


@pytest.fixture
def seed000(db):
    """Seed 000's FY 2562 plan, imported as the office imported it."""
    return build_seed000()


# ------------------------------------------------------------------ the table


def test_the_shared_table_arrives_with_migrate_and_says_to_check_it():
    table = RateTable.objects.get(organization=None, fiscal_year=2560)
    assert "ต้องตรวจสอบ" in table.description
    by_kind = {(limit.kind, limit.max_rate) for limit in table.limits.all()}
    assert {
        ("meal", Decimal("600.00")),
        ("snack", Decimal("50.00")),
        ("speaker_gov", Decimal("600.00")),
        ("speaker_private", Decimal("1200.00")),
        ("per_diem", Decimal("240.00")),
        ("per_diem", Decimal("270.00")),
        ("lodging", Decimal("1450.00")),
        ("lodging", Decimal("2200.00")),
    } <= by_kind
    assert all(
        limit.reference.startswith(("ระเบียบ", "พระราชกฤษฎีกา"))
        for limit in table.limits.all()
    )


def test_a_line_at_exactly_the_limit_is_not_flagged():
    assert flagged([Line("ค่าอาหารกลางวัน", 600), Line("ค่าอาหารว่างและเครื่องดื่ม", 50)]) == []


def test_a_satang_above_the_limit_is_flagged():
    assert flagged([Line("ค่าอาหารกลางวัน", "600.01")]) == ["ค่าอาหารกลางวัน"]


def test_the_longest_matching_word_decides_the_kind():
    """A snack line is a snack (50), not a meal (600)."""
    lines = [Line("ค่าอาหารว่างและเครื่องดื่ม", 60), Line("ค่าอาหาร", 60)]
    assert flagged(lines) == ["ค่าอาหารว่างและเครื่องดื่ม"]


def test_a_line_naming_two_kinds_is_held_to_the_higher():
    lines = [
        Line("ค่าอาหาร อาหารว่างและเครื่องดื่ม ในการประชุม", 200),
        Line("ค่าอาหาร อาหารว่างและเครื่องดื่ม ในการประชุม", 601),
    ]
    (warning,) = rates.check(lines, 2569)
    assert warning.rate == 601 and warning.limit.kind == "meal"


def test_an_unspecified_speaker_is_held_to_the_higher_rate():
    lines = [
        Line("ค่าตอบแทนวิทยากร", 1000),
        Line("ค่าตอบแทนวิทยากรภาครัฐ", 700),
        Line("ค่าตอบแทนวิทยากรภาคเอกชน", 1300),
    ]
    assert flagged(lines) == ["ค่าตอบแทนวิทยากรภาครัฐ", "ค่าตอบแทนวิทยากรภาคเอกชน"]


def test_lines_without_a_rate_or_a_known_word_are_not_checked():
    assert flagged([Line("ค่าอาหารกลางวัน", None), Line("ค่าวัสดุ", 99999)]) == []


def test_the_warning_names_the_line_the_rates_and_the_rule():
    (warning,) = rates.check([Line("ค่าที่พัก", 2500)], 2569)
    assert warning.message.startswith("“ค่าที่พัก” อัตรา 2,500.00 บาท เกินอัตราสูงสุด 2,200.00")
    assert "พระราชกฤษฎีกาค่าใช้จ่ายในการเดินทางไปราชการ" in warning.message


def test_a_table_holds_until_a_later_one_and_none_before_the_first():
    assert flagged([Line("ค่าอาหาร", 700)], fiscal_year=2562) == ["ค่าอาหาร"]
    assert flagged([Line("ค่าอาหาร", 700)], fiscal_year=2559) == []


def test_an_office_table_overrides_the_shared_one_kind_by_kind(office, other_office):
    own = RateTable.objects.create(organization=office, fiscal_year=2568, name="ของเขต")
    RateLimit.objects.create(
        table=own,
        kind="meal",
        label="ค่าอาหารตามประกาศเขต",
        unit="บาท/คน/วัน",
        max_rate=400,
        match_words="ค่าอาหาร",
    )
    lines = [Line("ค่าอาหาร", 500), Line("ค่าอาหารว่าง", 60)]
    assert flagged(lines, 2569, office) == ["ค่าอาหาร", "ค่าอาหารว่าง"]
    assert flagged(lines, 2569, other_office) == ["ค่าอาหารว่าง"]
    assert flagged(lines, 2567, office) == ["ค่าอาหารว่าง"]  # before its year


# ------------------------------------------------------------------ the checker


def test_the_checker_lists_a_line_above_the_rate_without_blocking(office, group_a):
    project = ProjectFactory(
        plan__organization=office, plan__fiscal_year=2569, group=group_a
    )
    activity = ActivityFactory(project=project, order=1)
    CostLineFactory(
        activity=activity, description="ค่าอาหารกลางวัน", rate=700, amount=8400
    )
    CostLineFactory(
        activity=activity, description="ค่าอาหารกลางวัน", rate=600, amount=7200
    )
    findings = [f for f in plan_findings(project.plan) if f.code == "rate_above_limit"]
    assert len(findings) == 1
    (finding,) = findings
    assert finding.project == project and not finding.blocking
    assert "700.00" in finding.message
    assert finding.url == reverse("admin:projects_activity_change", args=[activity.pk])


def test_the_checker_page_shows_the_rate_warning(client, planner, office, group_a):
    project = ProjectFactory(plan__organization=office, group=group_a)
    activity = ActivityFactory(project=project, order=1)
    CostLineFactory(
        activity=activity, description="ค่าอาหารว่างและเครื่องดื่ม", rate=80, amount=960
    )
    client.force_login(planner)
    response = client.get(
        reverse("projects:checker"), {"fiscal_year": project.plan.fiscal_year}
    )
    assert response.status_code == 200
    assert "เกินอัตราสูงสุด 50.00" in response.text


def test_seed_000_lines_within_the_rates_raise_nothing_and_one_above_does(seed000):
    """Seed 000's printed rates are within the table, its combined line
    "ค่าอาหาร อาหารว่างและเครื่องดื่ม … 200 บาท" included (held to the meal's
    600, not the snack's 50); raising a lunch line above 600 is the one
    warning."""
    assert [f for f in plan_findings(seed000) if f.code == "rate_above_limit"] == []
    line = CostLine.objects.filter(
        activity__project__plan=seed000,
        description__contains="อาหารกลางวัน",
        rate__isnull=False,
    ).first()
    CostLine.objects.filter(pk=line.pk).update(rate=650)
    findings = [f for f in plan_findings(seed000) if f.code == "rate_above_limit"]
    assert len(findings) == 1 and "650.00" in findings[0].message


def test_the_demo_offices_rates_are_within_the_table():
    """The demo prices lunch 100, snacks 35, speakers 600/hr and per-diem
    240: nothing to warn about, on the checker or from :func:`rates.check`."""
    load_demo(password="demo-pass")
    demo = Plan.objects.get(
        organization__short_name="สพป.ยโสธร เขต 2", fiscal_year=2569
    )
    lines = CostLine.objects.filter(activity__project__plan=demo, rate__isnull=False)
    assert lines.filter(description__startswith="ค่าตอบแทนวิทยากร").exists()
    assert rates.check(lines, 2569, demo.organization) == []
    assert [f for f in plan_findings(demo) if f.code == "rate_above_limit"] == []


# ------------------------------------------------------------------ the import


def test_the_import_preview_warns_and_the_confirm_is_not_refused(full_plan, office):  # noqa: F811 - the fixture
    book = exported(full_plan)
    set_cell(book, layout.COST_LINES, 2, "persons", 1)  # ค่าอาหาร: 1 × 1 × 2 × 650
    set_cell(book, layout.COST_LINES, 2, "rate", 650)
    set_cell(book, layout.COST_LINES, 2, "amount", None)
    preview = plan_import(
        source=workbook_bytes(book),
        organization=office,
        fiscal_year=FISCAL_YEAR,
        dry_run=True,
    )
    assert preview.ok and preview.warnings == []
    (warning,) = preview.rate_warnings
    assert "แถว 2" in warning and "650.00" in warning
    result = plan_import(
        source=workbook_bytes(book), organization=office, fiscal_year=FISCAL_YEAR
    )
    assert result.ok and result.written and not result.overridden
    assert CostLine.objects.get(description="ค่าอาหาร").rate == Decimal("650.00")


def test_the_preview_page_lists_the_rate_warnings(client, planner, full_plan, office):  # noqa: F811 - the fixture
    book = exported(full_plan)
    set_cell(book, layout.COST_LINES, 2, "persons", 1)
    set_cell(book, layout.COST_LINES, 2, "rate", 650)
    set_cell(book, layout.COST_LINES, 2, "amount", None)
    client.force_login(planner)
    upload = workbook_bytes(book)
    upload.name = "plan.xlsx"
    response = client.post(
        reverse("excel:import_plan"), {"file": upload, "fiscal_year": FISCAL_YEAR}
    )
    assert response.status_code == 302
    page = client.get(response.url)
    assert 'data-testid="rate-warnings"' in page.text
    assert "650.00" in page.text


# ------------------------------------------------------------------ the editor


def test_the_editor_saves_a_rate_above_the_table_and_says_so(client, planner, sheet):  # noqa: F811 - the fixture
    client.force_login(planner)
    data = page_data(client, edit_url(sheet))
    data["act-0-cost-0-rate"] = "700"  # ค่าอาหารกลางวัน 1 × 12 × 700
    response = client.post(edit_url(sheet), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("projects:detail", args=[sheet.pk])
    assert "เกินอัตราสูงสุด 600.00" in response.text
    assert CostLine.objects.get(activity__project=sheet).rate == Decimal("700.00")
    page = client.get(edit_url(sheet))
    assert 'data-testid="rate-warnings"' in page.text


def test_the_editor_shows_no_warning_at_the_limit(client, planner, sheet):  # noqa: F811 - the fixture
    CostLine.objects.filter(activity__project=sheet).update(rate=600, amount=7200)
    client.force_login(planner)
    assert 'data-testid="rate-warnings"' not in client.get(edit_url(sheet)).text


# ------------------------------------------------------------ who keeps the tables


@pytest.fixture
def office_table(office):
    table = RateTable.objects.create(
        organization=office, fiscal_year=2569, name="ของเขต"
    )
    limit = RateLimit.objects.create(
        table=table,
        kind="meal",
        label="ค่าอาหาร",
        unit="บาท/คน/วัน",
        max_rate=500,
        match_words="ค่าอาหาร",
    )
    return limit


def _limit_post(limit, max_rate="450") -> dict:
    return {
        "table": str(limit.table_id),
        "order": "0",
        "kind": "meal",
        "label": limit.label,
        "unit": limit.unit,
        "max_rate": max_rate,
        "match_words": limit.match_words,
        "reference": "",
    }


def test_finance_staff_change_their_offices_limit_in_the_admin(
    client, office, office_table
):
    finance = staff(make_staff(office, roles=[Role.FINANCE]).user)
    client.force_login(finance)
    url = reverse("admin:budgets_ratelimit_change", args=[office_table.pk])
    response = client.post(url, _limit_post(office_table))
    assert response.status_code == 302
    office_table.refresh_from_db()
    assert office_table.max_rate == Decimal("450.00")
    assert office_table.history.count() == 2


def test_another_offices_finance_user_is_refused_a_valid_post(
    client, other_office, office_table
):
    theirs = staff(make_staff(other_office, roles=[Role.FINANCE]).user)
    client.force_login(theirs)
    url = reverse("admin:budgets_ratelimit_change", args=[office_table.pk])
    response = client.post(url, _limit_post(office_table))
    assert response.status_code in (302, 403, 404)
    office_table.refresh_from_db()
    assert office_table.max_rate == Decimal("500.00")
    assert office_table.history.count() == 1
    with pytest.raises(PermissionDenied):
        office_table.max_rate = Decimal("1")
        services.rate_limit_save(limit=office_table, user=theirs)
    assert RateLimit.objects.get(pk=office_table.pk).max_rate == Decimal("500.00")


def test_a_planner_reads_the_table_but_may_not_change_it(client, planner, office_table):
    client.force_login(staff(planner))
    url = reverse("admin:budgets_ratelimit_change", args=[office_table.pk])
    response = client.post(url, _limit_post(office_table))
    assert response.status_code == 403
    assert RateLimit.objects.get(pk=office_table.pk).max_rate == Decimal("500.00")
    with pytest.raises(PermissionDenied, match="การเงินหรือผู้ดูแลระบบ"):
        services.rate_limit_save(limit=office_table, user=planner)


def test_the_shared_table_is_a_superusers(office):
    admin = make_staff(office, roles=[Role.ADMIN]).user
    shared = RateLimit.objects.filter(table__organization=None).first()
    shared.max_rate = Decimal("9999")
    with pytest.raises(PermissionDenied):
        services.rate_limit_save(limit=shared, user=admin)
    assert RateLimit.objects.get(pk=shared.pk).max_rate < Decimal("9999")


def test_an_office_admin_adds_a_table_for_their_office(client, office):
    admin = staff(make_staff(office, roles=[Role.ADMIN]).user)
    client.force_login(admin)
    response = client.post(
        reverse("admin:budgets_ratetable_add"),
        {
            "organization": str(office.pk),
            "fiscal_year": "2570",
            "name": "อัตราของเขต 2570",
            "description": "",
            "limits-TOTAL_FORMS": "0",
            "limits-INITIAL_FORMS": "0",
            "limits-MIN_NUM_FORMS": "0",
            "limits-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    assert RateTable.objects.filter(organization=office, fiscal_year=2570).exists()
    assert Project.objects.count() == 0
