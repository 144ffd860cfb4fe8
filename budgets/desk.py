"""What the finance desk (``budgets:desk``) offers, read once per request.

The desk's rows cascade project → activity → cost line (or expense
category), each choice showing what is left of it. An office has hundreds of
cost lines (seed data: 233, 31 of them "ค่าอาหารกลางวัน"), so a row never
reads its own choices: :func:`finance_desk` reads the office year's
activities, cost lines and payments in three queries, and every row picks its
options from that (no per-row queries, however many rows a batch has).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef

from budgets.models import (
    CostLine,
    Disbursement,
    money_subquery,
    money_sum,
    spent_category,
)
from budgets.rules import disbursement_activities
from core.thai import ZERO, format_baht
from projects.models import Activity, Project

#: The value of a cost-line option and of a category option in a row's
#: "รายการ / หมวด" choice: one select, so a row names one or the other.
LINE_KEY = "line-{pk}"
CATEGORY_KEY = "category-{pk}"


def _left(amount: Decimal) -> str:
    return f"คงเหลือ {format_baht(amount)} บาท"


@dataclass
class DeskTarget:
    """A cost line, or a category of the activity's lines (when finance
    knows "ค่าวัสดุ" but not the line), as a row may pay it."""

    key: str
    label: str
    remaining: Decimal
    line: CostLine | None = None
    category: object = None

    @property
    def choice_label(self) -> str:
        return f"{self.label} · {_left(self.remaining)}"


@dataclass
class DeskActivity:
    activity: Activity
    budget: Decimal = ZERO
    paid: Decimal = ZERO
    lines: list[DeskTarget] = field(default_factory=list)
    categories: list[DeskTarget] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.paid

    @property
    def choice_label(self) -> str:
        return f"{self.activity.order}. {self.activity.name} · {_left(self.remaining)}"

    def target(self, key: str) -> DeskTarget | None:
        return next((t for t in self.lines + self.categories if t.key == key), None)

    def target_choices(self) -> list:
        groups = []
        if self.lines:
            groups.append(
                ("รายการค่าใช้จ่าย", [(t.key, t.choice_label) for t in self.lines])
            )
        if self.categories:
            groups.append(
                (
                    "หมวดรายจ่าย (เมื่อไม่ทราบรายการ)",
                    [(t.key, t.choice_label) for t in self.categories],
                )
            )
        return groups


@dataclass
class DeskProject:
    project: Project
    activities: list[DeskActivity] = field(default_factory=list)

    @property
    def budget(self) -> Decimal:
        return sum((a.budget for a in self.activities), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((a.paid for a in self.activities), ZERO)

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.paid

    @property
    def payable(self) -> bool:
        """Offered in the list: approved and with a budget (the service
        refuses the others, and names why, if one is posted anyway)."""
        project = self.project
        return project.status == Project.Status.APPROVED and project.uses_budget

    @property
    def choice_label(self) -> str:
        project = self.project
        name = f"{project.code} {project.name}" if project.code else project.name
        return f"{name} · {_left(self.remaining)}"

    def activity(self, pk) -> DeskActivity | None:
        return next((a for a in self.activities if str(a.activity.pk) == pk), None)


@dataclass
class FinanceDesk:
    fiscal_year: int
    projects: list[DeskProject]

    def project(self, pk) -> DeskProject | None:
        return next((p for p in self.projects if str(p.project.pk) == pk), None)

    def project_choices(self) -> list[tuple[str, str]]:
        return [(str(p.project.pk), p.choice_label) for p in self.projects if p.payable]


def finance_desk(*, user, organization, fiscal_year: int) -> FinanceDesk:
    """The projects, activities, cost lines and categories ``user`` may pay
    in ``organization``'s ``fiscal_year``, each with what is left (three
    queries)."""
    activities = list(
        disbursement_activities(
            user,
            Activity.objects.filter(
                project__plan__organization=organization,
                project__plan__fiscal_year=fiscal_year,
            ),
        )
        .select_related("project")
        .order_by("project__sequence", "project__pk", "order", "pk")
    )
    by_pk = {a.pk: DeskActivity(activity=a) for a in activities}
    lines = (
        CostLine.objects.filter(activity__in=list(by_pk))
        .select_related("category")
        .annotate(
            paid=money_subquery(Disbursement.objects.filter(cost_line=OuterRef("pk")))
        )
        .order_by("activity", "order", "pk")
    )
    category_budget: dict = defaultdict(lambda: ZERO)
    categories: dict = {}
    for line in lines:
        desk_activity = by_pk[line.activity_id]
        desk_activity.budget += line.amount
        where = f" ({line.category.name})" if line.category else ""
        desk_activity.lines.append(
            DeskTarget(
                key=LINE_KEY.format(pk=line.pk),
                label=f"{line.description}{where}",
                remaining=line.amount - line.paid,
                line=line,
            )
        )
        if line.category is not None:
            category_budget[line.activity_id, line.category_id] += line.amount
            categories[line.category_id] = line.category
    paid_rows = (
        Disbursement.objects.filter(activity__in=list(by_pk))
        .annotate(spent_in=spent_category())
        .order_by()
        .values_list("activity", "spent_in")
        .annotate(total=money_sum())
    )
    category_paid: dict = defaultdict(lambda: ZERO)
    for activity_pk, category_pk, total in paid_rows:
        by_pk[activity_pk].paid += total
        category_paid[activity_pk, category_pk] += total
    ordered = sorted(categories.values(), key=lambda c: (c.order, c.pk))
    for (activity_pk, category_pk), budget in category_budget.items():
        by_pk[activity_pk].categories.append(
            DeskTarget(
                key=CATEGORY_KEY.format(pk=category_pk),
                label=f"หมวด{categories[category_pk].name} (ไม่ระบุรายการ)",
                remaining=budget - category_paid[activity_pk, category_pk],
                category=categories[category_pk],
            )
        )
    for desk_activity in by_pk.values():
        desk_activity.categories.sort(key=lambda t: ordered.index(t.category))
    projects: dict = {}
    for activity in activities:
        desk_project = projects.setdefault(
            activity.project_id, DeskProject(project=activity.project)
        )
        desk_project.activities.append(by_pk[activity.pk])
    return FinanceDesk(fiscal_year=fiscal_year, projects=list(projects.values()))
