"""Data for the official documents, as plain rows, in a fixed number of queries.

Each document has one function here returning plain data; the HTML page and
the PDF render it with the same body partial. None of them runs a query per
project: everything is loaded with ``select_related``/``prefetch_related`` or
summed by the database (pinned by ``tests/reports/test_queries.py``).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Func, OuterRef, Subquery

from budgets.models import CostLine, Disbursement, QuarterPlan
from budgets.selectors import BudgetSummary, budget_summary
from core.models import GroupHeadAssignment, OfficeGroup, Organization
from plans.models import Plan
from plans.selectors import Direction, direction_for_plan
from projects.models import Project
from projects.selectors import sheet_from_loaded, sheet_queryset
from reports.models import BookSection, IndicatorResult

ZERO = Decimal("0.00")
QUARTERS = (1, 2, 3, 4)


# ------------------------------------------------------------------ shared


def plan_for(organization: Organization, fiscal_year: int) -> Plan | None:
    """The office's plan of ``fiscal_year`` with its office and director."""
    return (
        Plan.objects.select_related("organization__director")
        .filter(organization=organization, fiscal_year=fiscal_year)
        .first()
    )


def change_stamp(plan: Plan) -> str:
    """A fingerprint of everything a plan document prints. One query.

    Built from ``updated_at`` maxima and counts/sums of the tables behind the
    plan book and reports, so any saved change yields a new stamp (and a new
    cache key) while an unchanged plan keeps its stamp.
    """
    plan_ref = OuterRef("pk")

    def aggregate(queryset, expression):
        # A plain SQL function, not a Django aggregate: no GROUP BY is added,
        # so each subquery returns exactly one row.
        function, column = expression
        return Subquery(
            queryset.order_by()
            .annotate(_value=Func(F(column), function=function))
            .values("_value")[:1]
        )

    lines = CostLine.objects.filter(activity__project__plan=plan_ref)
    stamp = (
        Plan.objects.filter(pk=plan.pk)
        .annotate(
            projects_changed=aggregate(
                Project.objects.filter(plan=plan_ref), ("MAX", "updated_at")
            ),
            projects_count=aggregate(
                Project.objects.filter(plan=plan_ref), ("COUNT", "pk")
            ),
            sections_changed=aggregate(
                BookSection.objects.filter(plan=plan_ref), ("MAX", "updated_at")
            ),
            sections_count=aggregate(
                BookSection.objects.filter(plan=plan_ref), ("COUNT", "pk")
            ),
            lines_count=aggregate(lines, ("COUNT", "pk")),
            lines_max=aggregate(lines, ("MAX", "pk")),
            lines_sum=aggregate(lines, ("SUM", "amount")),
            quarter_sum=aggregate(
                QuarterPlan.objects.filter(activity__project__plan=plan_ref),
                ("SUM", "amount"),
            ),
            paid_count=aggregate(
                Disbursement.objects.filter(activity__project__plan=plan_ref),
                ("COUNT", "pk"),
            ),
            paid_sum=aggregate(
                Disbursement.objects.filter(activity__project__plan=plan_ref),
                ("SUM", "amount"),
            ),
            results_changed=aggregate(
                IndicatorResult.objects.filter(indicator__strategy__plan=plan_ref),
                ("MAX", "updated_at"),
            ),
        )
        .values_list(
            "updated_at",
            "projects_changed",
            "projects_count",
            "sections_changed",
            "sections_count",
            "lines_count",
            "lines_max",
            "lines_sum",
            "quarter_sum",
            "paid_count",
            "paid_sum",
            "results_changed",
        )
        .get()
    )
    return "|".join(str(value) for value in stamp)


# ------------------------------------------------------------------ plan book


@dataclass
class CostTable:
    """The cost lines of one project, one money column per expense category."""

    categories: list[str]
    rows: list[dict]
    totals: list[Decimal]
    total: Decimal


@dataclass
class QuarterTable:
    rows: list[dict]
    totals: list[Decimal]
    total: Decimal


@dataclass
class AlignmentRow:
    number: int
    name: str
    marks: list[bool]


@dataclass
class PlanBook:
    plan: Plan
    organization: Organization
    foreword: list[BookSection]
    context_sections: list[BookSection]
    administration: list[BookSection]
    appendix: list[BookSection]
    direction: Direction
    budget: BudgetSummary
    alignment_strategies: list[int]
    alignment: list[AlignmentRow]
    sheets: list[dict] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.plan.display_title


def plan_book(plan: Plan) -> PlanBook:
    """Everything the annual action plan book prints. 30 queries, any size.

    1. the written sections; 2. the direction (8); 3. the budget summary (8);
    4. every project sheet (11); 5. cost lines and quarterly plans (2).
    """
    sections: dict[str, list[BookSection]] = defaultdict(list)
    for section in BookSection.objects.filter(plan=plan):
        sections[section.part].append(section)
    direction = direction_for_plan(plan)
    budget = budget_summary(
        organization=plan.organization, fiscal_year=plan.fiscal_year
    )
    projects = list(sheet_queryset().filter(plan=plan).order_by("sequence", "pk"))
    strategy_numbers = [row.number for row in direction.strategies]
    alignment = []
    sheets = []
    activity_numbers: dict[int, str] = {}
    for number, project in enumerate(projects, start=1):
        linked = {strategy.number for strategy in project.strategies.all()}
        alignment.append(
            AlignmentRow(
                number=number,
                name=project.name,
                marks=[n in linked for n in strategy_numbers],
            )
        )
        sheet = sheet_from_loaded(project)
        sheet["number"] = number
        sheets.append(sheet)
        for row in sheet["activities"]:
            activity_numbers[row["id"]] = row["number"]
    activity_labels = {}
    for sheet in sheets:
        for row in sheet["activities"]:
            activity_labels[row["id"]] = f"{row['number']}. {row['name']}"
    costs = _tables_from_lines(
        CostLine.objects.filter(activity__project__plan=plan)
        .select_related("category", "activity")
        .order_by("activity__order", "activity_id", "order", "pk"),
        activity_numbers,
    )
    quarters = _quarter_tables_from(
        QuarterPlan.objects.filter(activity__project__plan=plan).values_list(
            "activity__project_id", "activity_id", "quarter", "amount"
        ),
        activity_labels,
    )
    for sheet in sheets:
        sheet["cost_table"] = costs.get(sheet["id"])
        sheet["quarter_table"] = quarters.get(sheet["id"])
    return PlanBook(
        plan=plan,
        organization=plan.organization,
        foreword=sections[BookSection.Part.FOREWORD],
        context_sections=sections[BookSection.Part.CONTEXT],
        administration=sections[BookSection.Part.ADMINISTRATION],
        appendix=sections[BookSection.Part.APPENDIX],
        direction=direction,
        budget=budget,
        alignment_strategies=strategy_numbers,
        alignment=alignment,
        sheets=sheets,
    )


# ------------------------------------------------------------------ one project


@dataclass(frozen=True)
class Signature:
    role: str
    name: str
    position: str


def _head_signature(group: OfficeGroup, organization: Organization) -> Signature:
    """The (acting) head of ``group``; else the head of the planning group."""
    assignment = group.current_head_assignment()
    if assignment is None:
        assignment = (
            GroupHeadAssignment.objects.in_force()
            .filter(
                group__organization=organization, group__name__contains="นโยบายและแผน"
            )
            .select_related("person", "group")
            .order_by("kind", "-start_date")
            .first()
        )
    if assignment is None:
        return Signature("ผู้เห็นชอบโครงการ", "", f"ผู้อำนวยการ{group.name}")
    if assignment.group_id == group.pk:
        assignment.group = group  # signature_position reads it; spare a query
    return Signature(
        "ผู้เห็นชอบโครงการ",
        assignment.person.full_name,
        assignment.signature_position,
    )


def project_document(project: Project) -> dict:
    """A single project sheet for approval, with its three signature blocks."""
    loaded = (
        sheet_queryset()
        .select_related("plan__organization__director")
        .get(pk=project.pk)
    )
    sheet = sheet_from_loaded(loaded)
    activity_numbers = {row["id"]: row["number"] for row in sheet["activities"]}
    activity_labels = {
        row["id"]: f"{row['number']}. {row['name']}" for row in sheet["activities"]
    }
    plan = loaded.plan
    sheet["cost_table"] = _cost_tables_for(loaded, activity_numbers)
    sheet["quarter_table"] = _quarter_tables_for(loaded, activity_labels)
    lead = next(iter(loaded.responsibles.all()), None)
    proposer = Signature(
        "ผู้เสนอโครงการ",
        lead.display_name if lead else "",
        lead.person.position if lead and lead.person_id else "",
    )
    director = plan.organization.director
    approver = Signature(
        "ผู้อนุมัติโครงการ",
        director.full_name if director else "",
        director.position
        if director and director.position
        else f"ผู้อำนวยการ{plan.organization.name}",
    )
    return {
        "sheet": sheet,
        "plan": plan,
        "organization": plan.organization,
        "signatures": [
            proposer,
            _head_signature(loaded.group, plan.organization),
            approver,
        ],
    }


def _cost_tables_for(project: Project, activity_numbers) -> CostTable | None:
    lines = (
        CostLine.objects.filter(activity__project=project)
        .select_related("category", "activity")
        .order_by("activity__order", "activity_id", "order", "pk")
    )
    return _tables_from_lines(lines, activity_numbers).get(project.pk)


def _tables_from_lines(lines, activity_numbers) -> dict[int, CostTable]:
    by_project: dict[int, list[CostLine]] = defaultdict(list)
    for line in lines:
        by_project[line.activity.project_id].append(line)
    return {
        project_id: _cost_table(project_lines, activity_numbers)
        for project_id, project_lines in by_project.items()
    }


def _cost_table(project_lines, activity_numbers) -> CostTable:
    categories = sorted(
        {line.category for line in project_lines},
        key=lambda category: (category.order, category.pk),
    )
    index = {category.pk: i for i, category in enumerate(categories)}
    totals = [ZERO] * len(categories)
    rows = []
    for line in project_lines:
        amounts: list[Decimal | None] = [None] * len(categories)
        amounts[index[line.category_id]] = line.amount
        totals[index[line.category_id]] += line.amount
        rows.append(
            {
                "activity": activity_numbers.get(line.activity_id, ""),
                "description": line.description,
                "formula": line.formula_text(),
                "amounts": amounts,
                "amount": line.amount,
            }
        )
    return CostTable(
        categories=[category.name for category in categories],
        rows=rows,
        totals=totals,
        total=sum(totals, ZERO),
    )


def _quarter_tables_for(project: Project, activity_labels) -> QuarterTable | None:
    rows = QuarterPlan.objects.filter(activity__project=project).values_list(
        "activity__project_id", "activity_id", "quarter", "amount"
    )
    return _quarter_tables_from(rows, activity_labels).get(project.pk)


def _quarter_tables_from(plans, activity_labels) -> dict[int, QuarterTable]:
    grid: dict[int, dict[int, list[Decimal]]] = defaultdict(dict)
    for project_id, activity_id, quarter, amount in plans:
        row = grid[project_id].setdefault(activity_id, [ZERO] * 4)
        row[quarter - 1] += amount
    tables = {}
    for project_id, activities in grid.items():
        rows = [
            {
                "activity": activity_labels.get(activity_id, ""),
                "amounts": amounts,
                "total": sum(amounts, ZERO),
            }
            for activity_id, amounts in activities.items()
        ]
        rows.sort(key=lambda row: row["activity"])
        totals = [sum((row["amounts"][q] for row in rows), ZERO) for q in range(4)]
        tables[project_id] = QuarterTable(
            rows=rows, totals=totals, total=sum(totals, ZERO)
        )
    return tables
