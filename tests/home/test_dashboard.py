"""Role dashboards on the home page: content per role, refusals, query pins.

The office's year (the current fiscal year) in hand arithmetic:

- group A: "ส่งกลับ" (returned, 1 × 12 × 200 = 2,400), "อนุมัติ" (approved,
  1 × 10 × 1,000 = 10,000; Q1 plan 10,000; 4,000 paid in Q1), "ร่าง" (draft,
  no cost lines);
- group B: "รอตรวจ" (submitted, 2,400) and "ตรวจแล้ว" (checked, 2,400).

Project budgets 17,200; envelope 100,000 from one source, operating 30,000,
so 52,800 remains; disbursed 4,000 (23.26 % of 17,200).
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.checker import plan_findings
from budgets.selectors import budget_summary, disbursement_progress
from core import thai
from core.thai import current_fiscal_year, fiscal_year_range, thai_date
from home import dashboard
from projects.models import Project, ProjectTransition
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    BudgetSourceFactory,
    CostLineFactory,
    DisbursementFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    ObjectiveFactory,
    OperatingCostFactory,
    PlanFactory,
    ProjectFactory,
    ProjectKPIFactory,
    ProjectResponsibleFactory,
    QuarterPlanFactory,
    ReportingRoundFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db

HOME = reverse("home:home")


@pytest.fixture
def year():
    return current_fiscal_year()


@pytest.fixture
def months(year):
    start, _ = fiscal_year_range(year)
    return {"start_month": start, "end_month": start.replace(year=start.year + 1)}


@pytest.fixture
def world(office, group_a, group_b, planner, head_a, head_b, year, months):
    plan = PlanFactory(organization=office, fiscal_year=year)
    strategy = StrategyFactory(plan=plan, number=1, title="พัฒนาคุณภาพผู้เรียน")
    source = BudgetSourceFactory(organization=office, name="งบพัฒนาผู้เรียน")
    AllocationFactory(
        organization=office, fiscal_year=year, source=source, amount=100000
    )
    OperatingCostFactory(
        organization=office, fiscal_year=year, source=source, amount=30000
    )

    def project(name, group, status, budget_lines=1):
        item = ProjectFactory(
            plan=plan,
            group=group,
            name=name,
            status=status,
            budget_source=source,
            **months,
        )
        item.strategies.add(strategy)
        activity = ActivityFactory(
            project=item, months=[months["start_month"].isoformat()]
        )
        for _ in range(budget_lines):
            CostLineFactory(activity=activity)
        return item, activity

    returned, _ = project("โครงการส่งกลับ", group_a, Project.Status.RETURNED)
    ProjectTransition.objects.create(
        project=returned,
        from_status=Project.Status.SUBMITTED,
        to_status=Project.Status.RETURNED,
        actor=planner,
        comment="เพิ่มตัวชี้วัดเชิงคุณภาพ",
    )
    approved, activity = project(
        "โครงการอนุมัติ", group_a, Project.Status.APPROVED, budget_lines=0
    )
    CostLineFactory(activity=activity, persons=10, rate=1000, amount=10000)
    QuarterPlanFactory(activity=activity, quarter=1, amount=10000)
    DisbursementFactory(
        activity=activity,
        amount=4000,
        paid_on=months["start_month"] + datetime.timedelta(days=20),
    )
    draft, _ = project("โครงการร่าง", group_a, Project.Status.DRAFT, budget_lines=0)
    project("โครงการรอตรวจ", group_b, Project.Status.SUBMITTED)
    checked, _ = project("โครงการตรวจแล้ว", group_b, Project.Status.CHECKED)
    reporting_round = ReportingRoundFactory(
        organization=office, fiscal_year=year, number=1
    )
    return {
        "round": reporting_round,
        "plan": plan,
        "returned": returned,
        "approved": approved,
        "draft": draft,
        "checked": checked,
        "strategy": strategy,
    }


def _content(client, user, **params):
    client.force_login(user)
    response = client.get(HOME, params)
    assert response.status_code == 200
    return response.content.decode()


# ------------------------------------------------------------------ planner


def test_planner_sees_completeness_states_envelopes_and_compliance(
    client, planner, world, office, year
):
    content = _content(client, planner)
    panel = dashboard.planner_panel(organization=office, fiscal_year=year)

    assert 'data-testid="panel-planner"' in content
    # the plan checker's own count, linked to the checker
    assert panel.finding_count == len(plan_findings(world["plan"]))
    assert panel.finding_count > 0
    assert f'{panel.finding_count} <span class="unit">ข้อควรแก้ไข</span>' in content
    assert f"{reverse('projects:checker')}?fiscal_year={year}" in content
    # five projects, one per state
    assert panel.states.total == 5
    assert {row.status: row.count for row in panel.states.rows} == {
        "draft": 1,
        "submitted": 1,
        "checked": 1,
        "approved": 1,
        "returned": 1,
        "revising": 0,
        "revision_pending": 0,
    }
    assert [row.share for row in panel.states.rows] == [Decimal("20.00")] * 5 + [
        Decimal("0.00")
    ] * 2
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart pie"' in content
    # envelope: 100,000 − 30,000 − (2,400 × 3 + 10,000) = 52,800
    assert panel.budget.project_total == Decimal("17200.00")
    assert panel.budget.remainder == Decimal("52800.00")
    assert "17,200.00" in content
    assert "52,800.00" in content
    # the open round: none of the single approved project reported yet
    assert panel.compliance.round is not None
    assert panel.compliance.board.tally.total == 1
    assert panel.compliance.board.tally.done == 0
    assert "ร้อยละ 0.00" in content


def test_dashboard_figures_are_the_report_selectors_figures(
    planner, world, office, year
):
    panel = dashboard.planner_panel(organization=office, fiscal_year=year)
    report = budget_summary(organization=office, fiscal_year=year)
    assert panel.budget.project_total == report.project_total
    assert [(s.name, s.allocated, s.remainder) for s in panel.budget.sources] == [
        (s.name, s.allocated, s.remainder) for s in report.sources
    ]
    director = dashboard.director_panel(organization=office, fiscal_year=year)
    progress = disbursement_progress(organization=office, fiscal_year=year)
    assert director.progress.disbursed == progress.disbursed == Decimal("4000.00")
    assert director.progress.disbursed_percent == progress.disbursed_percent
    # 4,000 / 17,200 = 23.2558… → 23.26
    assert progress.disbursed_percent == Decimal("23.26")


# ------------------------------------------------------------------ group head


def test_group_head_sees_own_group_with_next_actions_returned_first(
    client, head_a, world, office, year
):
    content = _content(client, head_a)
    panel = dashboard.group_head_panel(
        user=head_a, organization=office, fiscal_year=year
    )

    names = [row.project.name for row in panel.rows]
    assert names[0] == "โครงการส่งกลับ"
    assert set(names) == {"โครงการส่งกลับ", "โครงการอนุมัติ", "โครงการร่าง"}
    actions = {row.project.name: row.next_action for row in panel.rows}
    due = thai_date(panel.round.due_date, "medium")
    assert actions["โครงการส่งกลับ"] == "แก้ไขตามความเห็น"
    assert actions["โครงการอนุมัติ"] == f"รายงานไตรมาส 1 ครบกำหนด {due}"
    assert actions["โครงการร่าง"] == "กรอกแบบเสนอโครงการให้ครบแล้วเสนอ"
    assert panel.rows[0].comment == "เพิ่มตัวชี้วัดเชิงคุณภาพ"
    assert panel.reports_due == 1
    # group A: 2,400 + 10,000 = 12,400, 4,000 paid (32.26 %)
    [money] = panel.money
    assert money.budget == Decimal("12400.00")
    assert money.disbursed == Decimal("4000.00")
    assert money.disbursed_percent == Decimal("32.26")
    assert "12,400.00" in content
    assert "เพิ่มตัวชี้วัดเชิงคุณภาพ" in content
    assert (
        reverse(
            "progress:group_round", args=[panel.round.pk, world["approved"].group_id]
        )
        in content
    )
    # another group's projects never show
    assert "โครงการรอตรวจ" not in content
    assert "โครงการตรวจแล้ว" not in content


def test_group_head_waiting_states(head_b, world, office, year):
    panel = dashboard.group_head_panel(
        user=head_b, organization=office, fiscal_year=year
    )
    actions = {row.project.name: row.next_action for row in panel.rows}
    assert actions == {"โครงการรอตรวจ": "รอตรวจ", "โครงการตรวจแล้ว": "รออนุมัติ"}
    assert panel.reports_due == 0


# ------------------------------------------------------------------ director


def test_director_sees_approvals_charts_attainment_and_documents(
    client, director, world, office, year
):
    from reports.models import IndicatorResult

    indicator = IndicatorFactory(strategy=world["strategy"], number=1)
    IndicatorTargetFactory(indicator=indicator, fiscal_year=year, target_value=80)
    IndicatorResult.objects.create(
        indicator=indicator, fiscal_year=year, actual_value=85
    )
    other = IndicatorFactory(strategy=world["strategy"], number=2)
    IndicatorTargetFactory(indicator=other, fiscal_year=year, target_value=80)
    IndicatorResult.objects.create(indicator=other, fiscal_year=year, actual_value=60)
    IndicatorFactory(strategy=world["strategy"], number=3)
    plan = world["plan"]
    plan.status = "submitted"
    plan.save()

    content = _content(client, director)

    assert 'data-testid="panel-director"' in content
    assert reverse("projects:detail", args=[world["checked"].pk]) in content
    assert reverse("plans:direction", args=[plan.pk]) in content
    assert (
        "โครงการรอตรวจ"
        not in content.split('data-testid="awaiting-approval"')[1].split("</div>")[0]
    )
    assert 'class="chart bar"' in content
    assert 'class="chart pie"' in content
    panel = dashboard.director_panel(organization=office, fiscal_year=year)
    [row] = panel.attainment
    assert (row.indicators, row.with_results, row.achieved) == (3, 2, 1)
    assert row.achieved_percent == Decimal("33.33")
    # the annual report's attainment table says the same
    from reports.selectors import indicator_attainment

    report = indicator_attainment(plan)
    assert (report.total, report.achieved) == (row.indicators, row.achieved)
    # the quarter chart holds the quarter figures: Q1 planned 10,000, paid 4,000
    assert panel.progress.quarters[0].planned == Decimal("10000.00")
    assert panel.progress.quarters[0].disbursed == Decimal("4000.00")
    assert 'data-value="10000' in content
    assert 'data-value="4000' in content
    assert reverse("reports:plan_book_pdf", args=[plan.pk]) in content
    round_pdf = reverse("reports:progress_report_pdf", args=[world["round"].pk])
    assert round_pdf in content


def test_document_links_are_the_plan_book_and_the_latest_report(world, office, year):
    links = dashboard.document_links(office, year, world["plan"], datetime.date.today())
    urls = [link.url for link in links]
    assert reverse("reports:plan_book_pdf", args=[world["plan"].pk]) in urls
    assert len(links) == 2  # and the latest round's progress report
    without_plan = dashboard.document_links(office, year, None, datetime.date.today())
    assert without_plan == links[1:]


# ------------------------------------------------------------------ other roles


def test_finance_sees_disbursement_progress(
    client, office, world, year, django_user_model
):
    from core.roles import Role
    from tests.factories import make_staff

    finance = make_staff(office, roles=[Role.FINANCE]).user
    content = _content(client, finance)
    assert 'data-testid="panel-finance"' in content
    assert 'data-testid="finance-disbursed">4,000.00<' in content
    assert 'data-testid="finance-budget">17,200.00<' in content
    assert "ร้อยละ 23.26" in content


def test_officer_sees_only_projects_named_on(client, officer, world):
    from core.rules import person_of

    ProjectResponsibleFactory(project=world["approved"], person=person_of(officer))
    content = _content(client, officer)
    assert 'data-testid="panel-officer"' in content
    work = content.split('data-testid="panel-officer"')[1]
    assert "โครงการอนุมัติ" in work
    assert "โครงการส่งกลับ" not in work


def test_viewer_sees_status_summary_and_compliance(client, viewer, world):
    content = _content(client, viewer)
    assert 'data-testid="panel-viewer"' in content
    assert 'data-testid="status-table"' in content
    assert 'data-testid="compliance-table"' in content
    assert 'data-testid="panel-planner"' not in content


# ------------------------------------------------------------------ year, refusals


def test_fiscal_year_switcher_shows_the_chosen_year(
    client, planner, world, office, year
):
    PlanFactory(organization=office, fiscal_year=year - 1)
    content = _content(client, planner, fiscal_year=str(year - 1))
    assert f"พ.ศ. {year - 1}" in content
    assert f'<option value="{year - 1}" selected>' in content
    assert "โครงการอนุมัติ" not in content
    assert 'data-testid="project-total">0<' in content


def test_bad_fiscal_year_falls_back_to_this_year(client, planner, world, year):
    for raw in ("abc", "99999", "๒๕๐๐x"):
        content = _content(client, planner, fiscal_year=raw)
        assert f'<option value="{year}" selected>' in content
    assert thai.parse_fiscal_year("๒๕๖๙") == 2569


def test_another_office_never_sees_our_data(
    client, outsider, world, other_office, year
):
    content = _content(client, outsider)
    for name in ("โครงการส่งกลับ", "โครงการอนุมัติ", "17,200.00", "งบพัฒนาผู้เรียน"):
        assert name not in content
    panel = dashboard.planner_panel(organization=other_office, fiscal_year=year)
    assert panel.states.total == 0
    assert panel.finding_count == 0


def test_anonymous_is_redirected_to_login(client, world):
    response = client.get(HOME, {"fiscal_year": "2569"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_user_without_roles_gets_no_panels(client, office, world):
    from tests.factories import make_staff

    user = make_staff(office).user
    content = _content(client, user)
    assert 'data-testid="panel-' not in content


# ------------------------------------------------------------------ navigation


def test_navigation_marks_the_current_section_and_hides_manager_links(
    client, planner, viewer, world
):
    client.force_login(planner)
    content = client.get(reverse("projects:list")).content.decode()
    assert (
        f'<a href="{reverse("projects:list")}" aria-current="page">โครงการ</a>'
        in content
    )
    assert reverse("projects:checker") in content
    assert "ข้ามไปยังเนื้อหาหลัก" in content
    client.force_login(viewer)
    content = client.get(HOME).content.decode()
    assert reverse("projects:checker") not in content
    assert reverse("excel:index") not in content


def test_main_pages_have_breadcrumbs(client, planner, world):
    client.force_login(planner)
    pages = [
        reverse("projects:list"),
        reverse("projects:detail", args=[world["approved"].pk]),
        reverse("projects:checker"),
        reverse("budgets:summary"),
        reverse("progress:board"),
        reverse("plans:index"),
    ]
    for url in pages:
        content = client.get(url).content.decode()
        crumbs = content.split('class="breadcrumbs"')[1].split("</nav>")[0]
        assert f'<a href="{HOME}">หน้าแรก</a>' in crumbs, url
        assert 'aria-current="page"' in crumbs, url


def test_money_fields_accept_separators_and_thai_digits(world):
    from budgets.forms import CostLineForm, QuarterPlanForm
    from budgets.models import ExpenseCategory

    category = ExpenseCategory.objects.first()
    for typed in ("12,500", "๑๒,๕๐๐"):
        form = CostLineForm(
            data={
                "order": 1,
                "category": category.pk,
                "description": "ค่าจ้างเหมาจัดทำเอกสาร",
                "times": "1",
                "rate": typed,
            }
        )
        assert form.is_valid(), form.errors
        assert form.cleaned_data["rate"] == Decimal("12500")
        quarter = QuarterPlanForm(data={"quarter": 1, "amount": typed})
        assert quarter.is_valid(), quarter.errors
        assert quarter.cleaned_data["amount"] == Decimal("12500")


def test_people_autocomplete_offers_only_our_office(
    client, planner, head_a, outsider, world
):
    from core.rules import person_of

    planner.is_staff = True
    planner.save()
    client.force_login(planner)
    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "projects",
            "model_name": "projectresponsible",
            "field_name": "person",
            "term": "ใจดี",
        },
    )
    assert response.status_code == 200
    ids = {int(item["id"]) for item in response.json()["results"]}
    assert person_of(head_a).pk in ids
    assert person_of(outsider).pk not in ids


# ------------------------------------------------------------------ query pins


def _add_projects(world, count):
    plan, strategy = world["plan"], world["strategy"]
    group = world["approved"].group
    for index in range(count):
        project = ProjectFactory(
            plan=plan,
            group=group,
            status=Project.Status.APPROVED,
            start_month=world["approved"].start_month,
            end_month=world["approved"].end_month,
        )
        project.strategies.add(strategy)
        activity = ActivityFactory(project=project, months=[])
        CostLineFactory(activity=activity)
        ProjectKPIFactory(project=project, method="")
        ObjectiveFactory(project=project)
        if index % 2:
            ProjectTransition.objects.create(
                project=project,
                from_status="submitted",
                to_status="returned",
                comment="แก้ไข",
            )


#: Whole home page per role: session, user, person, roles, group rows (2),
#: fiscal-year list (1), then the panel (see ``home.dashboard`` docstrings).
PINS = {
    "planner": 38,  # the checker reads running costs, text indicators and rate limits
    "head_a": 31,
    # the network median: the network's offices (1); this office's own
    # figure is the targets' office row, never a refresh of its just-changed
    # roll-up row (16 before); the world has no other office, so no roll-up
    # rows to read or check
    "director": 25,
    "viewer": 10,
    "officer": 9,
}


@pytest.mark.parametrize("who", sorted(PINS))
def test_home_query_count_is_pinned_and_constant(
    client, request, who, world, django_assert_num_queries
):
    from reports.models import IndicatorResult

    indicator = IndicatorFactory(strategy=world["strategy"])
    IndicatorTargetFactory(indicator=indicator, fiscal_year=world["plan"].fiscal_year)
    IndicatorResult.objects.create(
        indicator=indicator, fiscal_year=world["plan"].fiscal_year, actual_value=90
    )
    user = request.getfixturevalue(who)
    client.force_login(user)
    client.get(HOME)  # the network's roll-up rows exist from the first view on
    with django_assert_num_queries(PINS[who]):
        client.get(HOME)
    _add_projects(world, 6)
    with django_assert_num_queries(PINS[who]):
        response = client.get(HOME)
    assert response.status_code == 200


# ------------------------------------------------------------------ the demo


def test_every_demo_login_gets_its_dashboard(client, django_user_model):
    from home.demo import DEMO_USERS, load_demo

    load_demo(password="demo-pass")
    expected = {
        "admin": "panel-planner",
        "planner": "panel-planner",
        "head_promotion": "panel-group_head",
        "head_personnel": "panel-group_head",
        "director": "panel-director",
        "finance": "panel-finance",
        "officer": "panel-officer",
        "viewer": "panel-viewer",
    }
    assert {demo.username for demo in DEMO_USERS} == set(expected)
    for demo in DEMO_USERS:
        client.force_login(django_user_model.objects.get(username=demo.username))
        response = client.get(HOME)
        assert response.status_code == 200, demo.username
        assert f'data-testid="{expected[demo.username]}"' in response.content.decode()
