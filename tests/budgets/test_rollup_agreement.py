"""Every page, PDF, workbook and dashboard gives the same money (issue 14 item 1).

Hypothesis builds a random office year (groups, strategies, projects with
activities, cost lines of random categories and satang amounts, quarterly
plans, disbursements inside and after the fiscal year, an envelope) and the
test reads the figures from each reader of the money: the plan book (its
budget summary, sheets, cost and quarter tables), the budget report, the
budget summary, the dashboards, the workbook export and the annual report.
Each must equal the hand sum of the generated rows, to the satang, as
``Decimal``.

Each example runs in a savepoint rolled back at its end, so examples do not
see each other's rows.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgets.models import (
    UNCLASSIFIED,
    Allocation,
    BudgetSource,
    CostLine,
    Disbursement,
    ExpenseCategory,
    OperatingCost,
)
from budgets.models import QuarterPlan as QuarterPlanModel
from budgets.rollups import LEDGER_UNPLANNED
from budgets.selectors import budget_summary, disbursement_progress
from core.roles import Role
from core.thai import ZERO, fiscal_quarter_range
from excel import layout
from excel.export import plan_rows
from home import dashboard
from projects.models import Project
from projects.selectors import project_list
from reports.selectors import annual_document, budget_report, plan_book
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    GroupHeadAssignmentFactory,
    OfficeGroupFactory,
    OperatingCostFactory,
    OrganizationFactory,
    PlanFactory,
    ProjectFactory,
    ReportingRoundFactory,
    StrategyFactory,
    make_staff,
)

FY = 2568
QUARTERS = (1, 2, 3, 4)
#: One day in each fiscal quarter, and one after the year (paid late).
PAID_ON = {
    **{
        q: fiscal_quarter_range(FY, q)[0] + datetime.timedelta(days=20)
        for q in QUARTERS
    },
    5: fiscal_quarter_range(FY + 1, 1)[0] + datetime.timedelta(days=5),
}

satang = st.integers(min_value=0, max_value=50_000_000).map(lambda n: Decimal(n) / 100)
paid = st.integers(min_value=1, max_value=5_000_000).map(lambda n: Decimal(n) / 100)

activity_spec = st.fixed_dictionaries(
    {
        "lines": st.lists(
            # index 14: no category (a line the source left unclassified)
            st.tuples(st.integers(0, 14), satang),
            min_size=0,
            max_size=3,
        ),
        "plans": st.dictionaries(st.sampled_from(QUARTERS), satang, max_size=4),
        # (quarter 1–4, or 5 = after the year; line index or None; amount)
        "payments": st.lists(
            st.tuples(st.integers(1, 5), st.none() | st.integers(0, 2), paid),
            max_size=2,
        ),
    }
)
project_spec = st.fixed_dictionaries(
    {
        "group": st.integers(0, 2),
        "source": st.none() | st.integers(0, 1),
        "strategies": st.sets(st.integers(0, 1), max_size=2),
        "activities": st.lists(activity_spec, min_size=1, max_size=2),
    }
)
office_spec = st.fixed_dictionaries(
    {
        "groups": st.integers(1, 3),
        "projects": st.lists(project_spec, min_size=1, max_size=4),
        "allocated": satang,
        "operating": satang,
    }
)


def _build(spec, categories, sources) -> dict:
    """The office year of ``spec``, and the hand sums of what was saved."""
    office = OrganizationFactory()
    plan = PlanFactory(organization=office, fiscal_year=FY)
    groups = [OfficeGroupFactory(organization=office) for _ in range(spec["groups"])]
    strategies = [StrategyFactory(plan=plan, number=n) for n in (1, 2)]
    AllocationFactory(
        organization=office, fiscal_year=FY, source=sources[0], amount=spec["allocated"]
    )
    OperatingCostFactory(
        organization=office,
        fiscal_year=FY,
        source=sources[0],
        category=categories[5],
        amount=spec["operating"],
    )
    final = ReportingRoundFactory(organization=office, fiscal_year=FY, number=4)
    hand = {
        "project": defaultdict(lambda: ZERO),
        "group": defaultdict(lambda: ZERO),
        "group_paid": defaultdict(lambda: ZERO),
        "category": defaultdict(lambda: ZERO),
        "expense_group": defaultdict(lambda: ZERO),
        "planned": defaultdict(lambda: ZERO),
        "project_planned": defaultdict(lambda: ZERO),
        "paid_in": defaultdict(lambda: ZERO),
        "project_paid": defaultdict(lambda: ZERO),
        "project_paid_in_year": defaultdict(lambda: ZERO),
    }
    projects = []
    for number, item in enumerate(spec["projects"], start=1):
        group = groups[item["group"] % len(groups)]
        source = None if item["source"] is None else sources[item["source"]]
        project = ProjectFactory(
            plan=plan,
            group=group,
            sequence=number,
            budget_source=source,
            status=Project.Status.APPROVED,
        )
        project.strategies.set([strategies[i] for i in item["strategies"]])
        projects.append(project)
        hand["project"][project.pk] = ZERO
        for order, spec_activity in enumerate(item["activities"], start=1):
            activity = ActivityFactory(project=project, order=order)
            lines = []
            for index, amount in spec_activity["lines"]:
                category = categories[index] if index < len(categories) else None
                lines.append(
                    CostLine.objects.create(
                        activity=activity,
                        category=category,
                        description=f"รายการ {len(lines) + 1}",
                        order=len(lines) + 1,
                        amount=amount,
                    )
                )
                hand["project"][project.pk] += amount
                hand["group"][group.pk] += amount
                if category is None:
                    hand["category"][None] += amount
                    hand["expense_group"][None] += amount
                else:
                    hand["category"][category.pk] += amount
                    hand["expense_group"][category.parent_id or category.pk] += amount
            for quarter, amount in spec_activity["plans"].items():
                QuarterPlanModel.objects.create(
                    activity=activity, quarter=quarter, amount=amount
                )
                hand["planned"][quarter] += amount
                hand["project_planned"][project.pk, quarter] += amount
            for quarter, line_index, amount in spec_activity["payments"]:
                line = (
                    lines[line_index % len(lines)]
                    if lines and line_index is not None
                    else None
                )
                Disbursement.objects.create(
                    activity=activity,
                    cost_line=line,
                    paid_on=PAID_ON[quarter],
                    amount=amount,
                )
                hand["paid_in"][quarter] += amount
                hand["group_paid"][group.pk] += amount
                hand["project_paid"][project.pk] += amount
                if quarter in QUARTERS:
                    hand["project_paid_in_year"][project.pk] += amount
    return {
        "office": office,
        "plan": plan,
        "groups": groups,
        "projects": projects,
        "final": final,
        "hand": hand,
    }


def _check(world, categories) -> None:
    office, plan, hand = world["office"], world["plan"], world["hand"]
    by_project = hand["project"]
    total = sum(by_project.values(), ZERO)
    paid_total = sum(hand["paid_in"].values(), ZERO)

    # --- the budget summary (budget page, plan book, planner dashboard)
    summary = budget_summary(organization=office, fiscal_year=FY)
    book = plan_book(plan)
    report = budget_report(plan=plan)
    planner = dashboard.planner_panel(organization=office, fiscal_year=FY)
    for money in (summary, book.budget, report["summary"], planner.budget):
        assert money.totals["total_budget"] == total
        assert money.project_total == total
        assert money.totals["disbursed"] == paid_total
        assert {row.pk: row.total_budget for row in money.groups} == {
            group.pk: hand["group"][group.pk]
            for group in world["groups"]
            if any(p.group_id == group.pk for p in world["projects"])
        }
        assert {row.pk: row.disbursed for row in money.groups} == {
            row.pk: hand["group_paid"][row.pk] for row in money.groups
        }
        listed = {row.pk: row.project_budget for row in money.categories}
        assert listed == {pk: hand["category"].get(pk, ZERO) for pk in listed}
        assert {pk for pk, amount in hand["category"].items() if amount} <= set(listed)
        expected_groups = {
            c.pk: hand["expense_group"][c.pk] for c in categories if c.parent_id is None
        }
        if hand["expense_group"][None]:
            expected_groups[None] = hand["expense_group"][None]  # "ไม่ระบุหมวด"
        assert {
            row.pk: row.project_budget for row in money.category_groups
        } == expected_groups
        # Each table's total row is the sum of its rows: nothing left out.
        for rows in (money.categories, money.category_groups):
            assert sum((row.project_budget for row in rows), ZERO) == total
        assert [row.planned for row in money.quarters] == [
            hand["planned"][q] for q in QUARTERS
        ]
        assert [row.disbursed for row in money.quarters] == [
            hand["paid_in"][q] for q in QUARTERS
        ]
        assert money.outside_quarters == hand["paid_in"][5]
        assert {p.pk: p.total_budget for p in money.projects} == by_project
        assert sum((row.total_budget for row in money.groups), ZERO) == total

    # --- the plan book's sheets, cost tables and quarter tables
    for sheet in book.sheets:
        pk = sheet["id"]
        assert sheet["total_budget"] == by_project[pk]
        assert isinstance(sheet["total_budget"], Decimal)
        assert (
            sum((row["budget"] or ZERO for row in sheet["activities"]), ZERO)
            == (by_project[pk])
        )
        cost = sheet["cost_table"]
        assert (cost.total if cost else ZERO) == by_project[pk]
        if cost:
            assert sum(cost.totals, ZERO) == cost.total
            assert sum((group.total for group in cost.groups), ZERO) == cost.total
        quarters = sheet["quarter_table"]
        assert [quarters.totals[q - 1] if quarters else ZERO for q in QUARTERS] == [
            hand["project_planned"][pk, q] for q in QUARTERS
        ]

    # --- the budget report's rows and total row
    assert {p.pk: p.total_budget for p in report["projects"]} == by_project
    assert report["totals"]["total_budget"] == total
    assert report["totals"]["disbursed"] == paid_total
    assert [report["totals"][f"planned_q{q}"] for q in QUARTERS] == [
        hand["planned"][q] for q in QUARTERS
    ]

    # --- the dashboards: director, finance, group head, project list
    director = dashboard.director_panel(organization=office, fiscal_year=FY)
    finance = dashboard.finance_panel(organization=office, fiscal_year=FY)
    for progress in (director.progress, finance.progress):
        assert progress.budget == total
        assert [row.planned for row in progress.quarters] == [
            hand["planned"][q] for q in QUARTERS
        ]
        assert [row.disbursed for row in progress.quarters] == [
            hand["paid_in"][q] for q in QUARTERS
        ]
    progress = disbursement_progress(organization=office, fiscal_year=FY)
    assert {p.pk: p.total_budget for p in progress.projects} == by_project
    head = make_staff(office, roles=[Role.GROUP_HEAD])
    for group in world["groups"]:
        GroupHeadAssignmentFactory(group=group, person=head)
    panel = dashboard.group_head_panel(
        user=head.user, organization=office, fiscal_year=FY
    )
    assert {money.group.pk: money.budget for money in panel.money} == {
        group.pk: hand["group"][group.pk] for group in world["groups"]
    }
    assert {row.project.pk: row.project.total_budget for row in panel.rows} == (
        by_project
    )
    listed = project_list(organization=office, fiscal_year=FY)
    assert {p.pk: p.total_budget for p in listed} == by_project

    # --- the workbook export, added up by hand from its rows
    rows = plan_rows(plan)
    code_of = {p.code: p.pk for p in world["projects"]}
    exported = defaultdict(lambda: ZERO, dict.fromkeys(by_project, ZERO))
    exported_by_category = defaultdict(lambda: ZERO)
    for row in rows[layout.COST_LINES.name]:
        exported[code_of[row["project"]]] += row["amount"]
        exported_by_category[row["category"]] += row["amount"]
    assert dict(exported) == by_project
    names = {c.pk: c.name for c in categories} | {None: ""}  # blank cell
    assert dict(exported_by_category) == {
        names[pk]: amount for pk, amount in hand["category"].items()
    }
    planned = defaultdict(lambda: ZERO)
    for row in rows[layout.QUARTERS.name]:
        for q in QUARTERS:
            planned[q] += row[f"q{q}"] or ZERO
    assert [planned[q] for q in QUARTERS] == [hand["planned"][q] for q in QUARTERS]

    # --- the annual report (the 12-month round)
    annual = annual_document(plan)
    assert {row["id"]: row["total_budget"] for row in annual["projects"]} == (
        by_project
    )
    assert {row["id"]: row["disbursed"] for row in annual["projects"]} == {
        pk: hand["project_paid_in_year"][pk] for pk in by_project
    }
    # The annual table is the office's whole budget (seed 004's Table 13):
    # the running cost joins the projects' lines in its expense group, and
    # what the allocation brings beyond the planned spending is its own row.
    running = OperatingCost.objects.select_related("category").get(organization=office)
    allocated = Allocation.objects.get(organization=office).amount
    expected = {
        c.pk: hand["expense_group"][c.pk] for c in categories if c.parent_id is None
    }
    expected[running.category.parent_id or running.category_id] += running.amount
    execution = {row.name: row.allocated for row in annual["execution"]}
    # Disbursements without a cost line, and lines without a category, have
    # a row of their own.
    assert execution.pop(UNCLASSIFIED, ZERO) == hand["expense_group"][None]
    planned = total + running.amount
    assert execution.pop(LEDGER_UNPLANNED, ZERO) == max(allocated - planned, ZERO)
    assert execution == {
        c.name: expected[c.pk] for c in categories if c.parent_id is None
    }
    assert annual["execution_total"].allocated == max(allocated, planned)
    assert annual["execution_total"].disbursed == paid_total


@pytest.fixture
def reference(db):
    call_command("loaddata", "budget_sources", "expense_categories", verbosity=0)
    return (
        list(ExpenseCategory.objects.order_by("pk")),
        list(BudgetSource.objects.order_by("order", "pk")[:2]),
    )


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=office_spec)
def test_every_reader_of_the_money_gives_the_same_figures(reference, spec):
    categories, sources = reference
    with transaction.atomic():
        world = _build(spec, categories, sources)
        _check(world, categories)
        transaction.set_rollback(True)
