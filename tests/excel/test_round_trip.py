"""Export → import into an empty year gives the same data; export query count
does not grow with the number of projects."""

import datetime

import pytest
from openpyxl import load_workbook

from budgets.models import CostLine, QuarterPlan
from core import thai, xlsx
from excel import export, layout
from excel.importer import plan_import
from plans.models import Plan
from projects.models import Activity, Project
from tests.excel.conftest import (
    FISCAL_YEAR,
    exported,
    framework,
    set_cell,
    workbook_bytes,
)
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    PlanFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def _month_positions(activity: Activity, fiscal_year: int) -> list[int]:
    months = [d.isoformat() for d in thai.fiscal_month_dates(fiscal_year)]
    return sorted(months.index(m) for m in activity.months)


def snapshot(plan: Plan) -> list[dict]:
    """Everything the workbook carries, without keys that differ between years."""
    result = []
    for project in Project.objects.filter(plan=plan).order_by("code"):
        activities = list(project.activities.order_by("order", "pk"))
        position = {a.pk: n for n, a in enumerate(activities, start=1)}
        result.append(
            {
                "project": {
                    field: getattr(project, field)
                    for field in (
                        "code",
                        "sequence",
                        "name",
                        "budget_plan",
                        "kind",
                        "group_id",
                        "start_month",
                        "end_month",
                        "budget_source_id",
                        "uses_budget",
                        "virement_allowed",
                        "virement_wording",
                        "rationale",
                        "output_statement",
                        "outcome_statement",
                        "location",
                        "target_group",
                        "responsible_note",
                    )
                },
                "strategies": sorted(s.number for s in project.strategies.all()),
                "goals": sorted(g.number for g in project.goals.all()),
                "indicators": sorted(i.code for i in project.indicators.all()),
                "responsibles": [
                    (r.person_id, r.name_text)
                    for r in project.responsibles.order_by("order", "pk")
                ],
                "objectives": list(
                    project.objectives.order_by("order").values_list("text", flat=True)
                ),
                "targets": list(
                    project.targets.order_by("kind", "order").values_list(
                        "kind", "text", "quantity", "unit"
                    )
                ),
                "expected": list(
                    project.expected_results.order_by("order").values_list(
                        "text", flat=True
                    )
                ),
                "activities": [
                    (
                        a.name,
                        a.target,
                        a.responsible_text,
                        a.notes,
                        position.get(a.parent_id),
                        _month_positions(a, plan.fiscal_year),
                        list(
                            a.cost_lines.order_by("order").values_list(
                                "category_id",
                                "description",
                                "times",
                                "times_unit",
                                "persons",
                                "persons_unit",
                                "days",
                                "days_unit",
                                "rate",
                                "amount",
                                "note",
                            )
                        ),
                        list(
                            a.quarter_plans.order_by("quarter").values_list(
                                "quarter", "amount"
                            )
                        ),
                    )
                    for a in activities
                ],
                "kpis": list(
                    project.kpis.order_by("order").values_list(
                        "result_kind",
                        "nature",
                        "name",
                        "unit",
                        "unit_label",
                        "comparison",
                        "target_value",
                        "target_text",
                        "method",
                        "instrument",
                    )
                ),
            }
        )
    return result


def test_export_then_import_into_an_empty_year_gives_the_same_data(full_plan, planner):
    # given: an empty plan of the next year with the same framework numbers
    target = PlanFactory(
        organization=full_plan.organization, fiscal_year=FISCAL_YEAR + 1
    )
    framework(target)
    # The workbook says which year it is for; carrying a plan into another
    # year is a deliberate edit of that cell (else the import refuses).
    book = exported(full_plan)
    set_cell(book, layout.PLAN, 2, "fiscal_year", target.fiscal_year)
    source = workbook_bytes(book)
    # when
    result = plan_import(
        source=source,
        organization=full_plan.organization,
        fiscal_year=target.fiscal_year,
        user=planner,
    )
    # then
    assert result.ok, [str(e) for e in result.errors]
    assert result.count(layout.PROJECTS.name).created == 2
    assert result.count(layout.COST_LINES.name).created == 2
    assert result.count(layout.QUARTERS.name).created == 2
    assert snapshot(target) == snapshot(full_plan)
    assert snapshot(target)[0]["activities"][0][5] == [1, 2]  # พ.ย., ธ.ค.


def test_reimporting_an_unchanged_export_changes_nothing(full_plan, planner):
    before = snapshot(full_plan)
    ids = sorted(CostLine.objects.values_list("pk", flat=True))
    result = plan_import(
        source=workbook_bytes(export.plan_workbook(full_plan)),
        organization=full_plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )
    assert result.ok, [str(e) for e in result.errors]
    projects = result.count(layout.PROJECTS.name)
    assert (projects.created, projects.updated, projects.unchanged) == (0, 0, 2)
    assert result.count(layout.COST_LINES.name).unchanged == 2
    assert snapshot(full_plan) == before
    assert sorted(CostLine.objects.values_list("pk", flat=True)) == ids


def test_export_writes_numbers_as_numbers_with_baht_format_and_frozen_header(full_plan):
    book = load_workbook(workbook_bytes(export.plan_workbook(full_plan)))
    lines = book[layout.COST_LINES.name]
    headers = [c.value for c in lines[1]]
    amount = lines.cell(2, headers.index("จำนวนเงิน (บาท)") + 1)
    rate = lines.cell(2, headers.index("อัตรา (บาท)") + 1)
    assert amount.value == 14460 and amount.data_type == "n"
    assert amount.number_format == "#,##0.00"
    assert rate.value == 120.5
    assert lines.freeze_panes == "A2"
    assert lines["A1"].font.bold
    assert lines.column_dimensions["E"].width == 35
    projects = book[layout.PROJECTS.name]
    headers = [c.value for c in projects[1]]
    start = projects.cell(2, headers.index("เดือนเริ่มต้น") + 1)
    assert start.value == datetime.datetime(2025, 10, 1)
    assert start.number_format == xlsx.MONTH_FORMAT  # shown "ต.ค. 2568"
    assert projects.cell(3, headers.index("ใช้งบประมาณ") + 1).value == "ไม่ใช้งบประมาณ"
    activities = book[layout.ACTIVITIES.name]
    headers = [c.value for c in activities[1]]
    assert activities.cell(2, headers.index("พ.ย.") + 1).value == "✓"
    assert activities.cell(2, headers.index("ต.ค.") + 1).value is None
    assert book.sheetnames[0] == layout.INSTRUCTIONS_SHEET
    assert layout.REFERENCE_SHEET in book.sheetnames


def _grow(plan, group, category, n):
    for i in range(n):
        project = ProjectFactory(plan=plan, group=group, code=f"X-{i}")
        activity = ActivityFactory(project=project, order=1)
        CostLineFactory(activity=activity, category=category)
        QuarterPlan.objects.create(activity=activity, quarter=1, amount=2400)


def test_export_query_count_does_not_grow_with_projects(
    full_plan, group_a, reference, django_assert_num_queries
):
    # 16 for the projects and their rows, 10 for the office's own sheets
    # (missions, goals, strategies with goals, guidelines, indicators and
    # targets, allocations, running costs, policy links), 17 for the book's
    # spending plan (the budget summary's 16 and the running costs).
    with django_assert_num_queries(43):
        export.plan_workbook(full_plan)
    _grow(full_plan, group_a, reference.services, 5)
    with django_assert_num_queries(43):
        book = export.plan_workbook(full_plan)
    assert book[layout.PROJECTS.name].max_row == 1 + 7


def test_start_months_outside_the_year_round_trip_unchanged(full_plan, planner):
    project = Project.objects.get(code="69-002")
    project.start_month = datetime.date(2025, 6, 1)
    project.save()
    plan_import(
        source=workbook_bytes(export.plan_workbook(full_plan)),
        organization=full_plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )
    project.refresh_from_db()
    assert project.start_month == datetime.date(2025, 6, 1)
