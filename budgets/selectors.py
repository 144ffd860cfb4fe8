"""Read side of the money: totals and roll-ups as queryset annotations.

Every total here is computed by the database (``SUM`` in an annotation or a
correlated subquery), never by looping over rows in Python, so the number of
queries of a report does not grow with the number of projects.

A project aligned with several strategies is counted under **each** of them in
the by-strategy table (as seed 004's alignment tables do); that table's total
can therefore exceed the project budget total, and the page says so.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Case, F, Func, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from budgets.models import (
    MONEY,
    ZERO,
    Allocation,
    BudgetSource,
    CostLine,
    Disbursement,
    DisbursementTarget,
    ExpenseCategory,
    OperatingCost,
    QuarterPlan,
    money_subquery,
)
from core.models import OfficeGroup, Organization
from core.thai import fiscal_quarter_range, percent_of, quantize_baht, quarter_label

QUARTERS = (1, 2, 3, 4)
_MONEY_FIELD = models.DecimalField(**MONEY)


def _count_subquery(queryset):
    counted = (
        queryset.order_by().annotate(_count=Func(F("pk"), function="COUNT"))
    ).values("_count")
    return Coalesce(
        models.Subquery(counted, output_field=models.IntegerField()),
        Value(0),
        output_field=models.IntegerField(),
    )


def _minus(left: str, *rights: str):
    expression = F(left)
    for right in rights:
        expression = expression - F(right)
    return models.ExpressionWrapper(expression, output_field=_MONEY_FIELD)


# ------------------------------------------------------------------ single objects


def activity_cost(activity) -> Decimal:
    """Sum of the activity's cost lines (one query)."""
    return CostLine.objects.filter(activity=activity).total()


def project_total(project) -> Decimal:
    """Sum of every cost line of every activity of the project (one query)."""
    return CostLine.objects.filter(activity__project=project).total()


@dataclass(frozen=True)
class SourceEnvelope:
    source: BudgetSource
    rounds: int
    allocated: Decimal
    operating: Decimal
    projects: Decimal

    @property
    def available(self) -> Decimal:
        """What projects may use: the envelope minus office running costs."""
        return self.allocated - self.operating


def source_envelope(
    *, source, organization, fiscal_year: int, excluding=None
) -> SourceEnvelope:
    """Envelope, operating costs and project budgets of one source (one query).

    ``excluding`` is a CostLine queryset left out of the project sum (the lines
    about to be replaced by the ones being saved).
    """
    organization_id = getattr(organization, "pk", organization)
    allocations = Allocation.objects.filter(
        organization_id=organization_id, fiscal_year=fiscal_year, source=OuterRef("pk")
    )
    lines = CostLine.objects.for_office_year(organization_id, fiscal_year).filter(
        activity__project__budget_source=OuterRef("pk")
    )
    if excluding is not None:
        lines = lines.exclude(pk__in=excluding.values("pk"))
    row = (
        BudgetSource.objects.filter(pk=getattr(source, "pk", source))
        .annotate(
            rounds=_count_subquery(allocations),
            allocated=money_subquery(allocations),
            operating=money_subquery(
                OperatingCost.objects.filter(
                    organization_id=organization_id,
                    fiscal_year=fiscal_year,
                    source=OuterRef("pk"),
                )
            ),
            project_budget=money_subquery(lines),
        )
        .get()
    )
    return SourceEnvelope(
        source=row,
        rounds=row.rounds,
        allocated=row.allocated,
        operating=row.operating,
        projects=row.project_budget,
    )


# ------------------------------------------------------------------ annotations


def annotate_project_budget(queryset):
    """Annotate a Project queryset with its money, all in the same query.

    Adds ``total_budget`` (sum of cost lines), ``planned_q1`` … ``planned_q4``
    and ``planned_total`` (quarterly plan), ``unplanned`` (budget not yet
    spread over quarters), ``disbursed`` and ``balance`` (budget − disbursed).
    """
    project = OuterRef("pk")
    planned = {
        f"planned_q{quarter}": money_subquery(
            QuarterPlan.objects.filter(activity__project=project, quarter=quarter)
        )
        for quarter in QUARTERS
    }
    return (
        queryset.annotate(
            total_budget=money_subquery(
                CostLine.objects.filter(activity__project=project)
            ),
            disbursed=money_subquery(
                Disbursement.objects.filter(activity__project=project)
            ),
            **planned,
        )
        .annotate(
            planned_total=models.ExpressionWrapper(
                F("planned_q1") + F("planned_q2") + F("planned_q3") + F("planned_q4"),
                output_field=_MONEY_FIELD,
            ),
            balance=_minus("total_budget", "disbursed"),
        )
        .annotate(unplanned=_minus("total_budget", "planned_total"))
    )


def annotate_activity_budget(queryset):
    """Annotate an Activity queryset: ``total_budget``, ``planned_q1``–``q4``,
    ``planned_total``, ``disbursed``, ``balance``."""
    activity = OuterRef("pk")
    planned = {
        f"planned_q{quarter}": money_subquery(
            QuarterPlan.objects.filter(activity=activity, quarter=quarter)
        )
        for quarter in QUARTERS
    }
    return queryset.annotate(
        total_budget=money_subquery(CostLine.objects.filter(activity=activity)),
        disbursed=money_subquery(Disbursement.objects.filter(activity=activity)),
        **planned,
    ).annotate(
        planned_total=models.ExpressionWrapper(
            F("planned_q1") + F("planned_q2") + F("planned_q3") + F("planned_q4"),
            output_field=_MONEY_FIELD,
        ),
        balance=_minus("total_budget", "disbursed"),
    )


# ------------------------------------------------------------------ the summary


@dataclass
class QuarterRow:
    quarter: int
    label: str
    start: datetime.date
    end: datetime.date
    planned: Decimal
    planned_cumulative: Decimal
    disbursed: Decimal
    disbursed_cumulative: Decimal
    planned_percent: Decimal
    disbursed_percent: Decimal
    target_percent: Decimal | None
    target_amount: Decimal | None
    status: str
    meets_target: bool | None


class _QuarterTotals:
    """Year totals of the by-quarter table, all read from ``totals``."""

    totals: dict

    @property
    def planned_total(self) -> Decimal:
        return sum((self.totals[f"planned_q{q}"] for q in QUARTERS), ZERO)

    @property
    def unplanned(self) -> Decimal:
        """Project budget not yet spread over the quarters."""
        return self.totals["projects"] - self.planned_total

    @property
    def balance(self) -> Decimal:
        """Project budgets − disbursed."""
        return self.totals["projects"] - self.totals["disbursed"]

    @property
    def disbursed_in_quarters(self) -> Decimal:
        return sum((self.totals[f"disbursed_q{q}"] for q in QUARTERS), ZERO)

    @property
    def outside_quarters(self) -> Decimal:
        """Disbursed outside the fiscal year's quarters (e.g. paid late)."""
        return self.totals["disbursed"] - self.disbursed_in_quarters


@dataclass
class BudgetSummary(_QuarterTotals):
    organization: Organization
    fiscal_year: int
    totals: dict
    sources: list
    unsourced_projects: Decimal
    groups: list
    strategies: list
    unaligned_projects: Decimal
    strategy_total: Decimal
    category_groups: list
    categories: list
    quarters: list[QuarterRow]
    projects: list = field(default_factory=list)

    @property
    def project_total(self) -> Decimal:
        return self.totals["projects"]

    @property
    def remainder(self) -> Decimal:
        """Envelopes − operating costs − project budgets (all sources)."""
        t = self.totals
        return t["allocated"] - t["operating"] - t["projects"]

    @property
    def spending_total(self) -> Decimal:
        """Office running costs + project budgets (the category tables' total)."""
        return self.totals["operating"] + self.totals["projects"]

    @property
    def strategy_overlap(self) -> Decimal:
        """How much the by-strategy table counts twice (multi-strategy projects)."""
        return self.strategy_total - self.project_total


def _office_totals(organization, fiscal_year: int) -> dict:
    """Every grand total of the office and year in one query."""
    office = OuterRef("pk")
    lines = CostLine.objects.filter(
        activity__project__plan__organization=office,
        activity__project__plan__fiscal_year=fiscal_year,
    )
    disbursements = Disbursement.objects.filter(
        activity__project__plan__organization=office,
        activity__project__plan__fiscal_year=fiscal_year,
    )
    plans = QuarterPlan.objects.filter(
        activity__project__plan__organization=office,
        activity__project__plan__fiscal_year=fiscal_year,
    )
    per_quarter = {}
    for quarter in QUARTERS:
        start, end = fiscal_quarter_range(fiscal_year, quarter)
        per_quarter[f"planned_q{quarter}"] = money_subquery(
            plans.filter(quarter=quarter)
        )
        per_quarter[f"disbursed_q{quarter}"] = money_subquery(
            disbursements.filter(paid_on__gte=start, paid_on__lte=end)
        )
    from projects.models import Project

    return (
        Organization.objects.filter(pk=organization.pk)
        .annotate(
            allocated=money_subquery(
                Allocation.objects.filter(organization=office, fiscal_year=fiscal_year)
            ),
            operating=money_subquery(
                OperatingCost.objects.filter(
                    organization=office, fiscal_year=fiscal_year
                )
            ),
            projects=money_subquery(lines),
            unsourced_projects=money_subquery(
                lines.filter(activity__project__budget_source__isnull=True)
            ),
            unaligned_projects=money_subquery(
                lines.filter(activity__project__strategies__isnull=True)
            ),
            # Joined to the strategies: a line counts once per strategy.
            strategy_total=money_subquery(
                lines.filter(activity__project__strategies__isnull=False)
            ),
            project_count=_count_subquery(
                Project.objects.filter(
                    plan__organization=office, plan__fiscal_year=fiscal_year
                )
            ),
            disbursed=money_subquery(disbursements),
            **per_quarter,
        )
        .values(
            "allocated",
            "operating",
            "projects",
            "unsourced_projects",
            "unaligned_projects",
            "strategy_total",
            "project_count",
            "disbursed",
            *per_quarter,
        )
        .get()
    )


def _targets(organization, fiscal_year: int) -> dict[int, Decimal]:
    """Cumulative target % per quarter: the office's own, else the default."""
    rows = DisbursementTarget.objects.filter(fiscal_year=fiscal_year).filter(
        Q(organization=organization) | Q(organization__isnull=True)
    )
    targets: dict[int, Decimal] = {}
    # Defaults first so an office-specific row overrides them.
    for row in sorted(rows, key=lambda row: row.organization_id is not None):
        targets[row.quarter] = row.cumulative_percent
    return targets


def quarter_rows(
    *, totals: dict, targets: dict[int, Decimal], fiscal_year: int, today=None
) -> list[QuarterRow]:
    """Plan vs disbursement per quarter, cumulative, against the targets.

    Percentages are of the project budget total. A quarter that has ended is
    judged against its target; the current and later quarters are not yet.
    """
    today = today or timezone.localdate()
    budget = totals["projects"]
    rows = []
    planned_cumulative = disbursed_cumulative = ZERO
    for quarter in QUARTERS:
        start, end = fiscal_quarter_range(fiscal_year, quarter)
        planned = totals[f"planned_q{quarter}"]
        disbursed = totals[f"disbursed_q{quarter}"]
        planned_cumulative += planned
        disbursed_cumulative += disbursed
        target_percent = targets.get(quarter)
        target_amount = (
            quantize_baht(budget * target_percent / 100)
            if target_percent is not None
            else None
        )
        if end < today:
            status = "สิ้นไตรมาสแล้ว"
            meets = (
                None if target_amount is None else disbursed_cumulative >= target_amount
            )
        elif start <= today:
            status = "ไตรมาสปัจจุบัน"
            meets = None
        else:
            status = "ยังไม่ถึง"
            meets = None
        rows.append(
            QuarterRow(
                quarter=quarter,
                label=quarter_label(quarter),
                start=start,
                end=end,
                planned=planned,
                planned_cumulative=planned_cumulative,
                disbursed=disbursed,
                disbursed_cumulative=disbursed_cumulative,
                planned_percent=percent_of(planned_cumulative, budget),
                disbursed_percent=percent_of(disbursed_cumulative, budget),
                target_percent=target_percent,
                target_amount=target_amount,
                status=status,
                meets_target=meets,
            )
        )
    return rows


def budget_summary(*, organization, fiscal_year: int, today=None) -> BudgetSummary:
    """The office's money for one fiscal year, by source, group, strategy,
    category and quarter, each table with a total computed by the database.

    Reconciles: envelopes (all sources) = operating costs + project budgets +
    unallocated remainder. Runs a fixed number of queries (eight) whatever
    the number of projects.
    """
    from plans.models import Strategy
    from projects.models import Project

    totals = _office_totals(organization, fiscal_year)
    source = OuterRef("pk")
    office_lines = CostLine.objects.for_office_year(organization, fiscal_year)
    office_costs = OperatingCost.objects.filter(
        organization=organization, fiscal_year=fiscal_year
    )
    office_disbursements = Disbursement.objects.filter(
        activity__project__plan__organization=organization,
        activity__project__plan__fiscal_year=fiscal_year,
    )
    sources = list(
        BudgetSource.objects.filter(
            Q(organization__isnull=True) | Q(organization=organization)
        )
        .annotate(
            allocated=money_subquery(
                Allocation.objects.filter(
                    organization=organization, fiscal_year=fiscal_year, source=source
                )
            ),
            operating=money_subquery(office_costs.filter(source=source)),
            project_budget=money_subquery(
                office_lines.filter(activity__project__budget_source=source)
            ),
        )
        .annotate(remainder=_minus("allocated", "operating", "project_budget"))
        .annotate(
            is_over=Case(
                When(remainder__lt=0, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )
        .filter(Q(allocated__gt=0) | Q(operating__gt=0) | Q(project_budget__gt=0))
        .order_by("order", "name")
    )
    group = OuterRef("pk")
    groups = list(
        OfficeGroup.objects.filter(organization=organization)
        .annotate(
            project_count=_count_subquery(
                Project.objects.filter(
                    plan__organization=organization,
                    plan__fiscal_year=fiscal_year,
                    group=group,
                )
            ),
            budget=money_subquery(office_lines.filter(activity__project__group=group)),
            disbursed=money_subquery(
                office_disbursements.filter(activity__project__group=group)
            ),
        )
        .filter(project_count__gt=0)
        .order_by("order", "name")
    )
    strategy = OuterRef("pk")
    strategies = list(
        Strategy.objects.filter(
            plan__organization=organization, plan__fiscal_year=fiscal_year
        )
        .annotate(
            project_count=_count_subquery(Project.objects.filter(strategies=strategy)),
            budget=money_subquery(
                office_lines.filter(activity__project__strategies=strategy)
            ),
        )
        .order_by("number")
    )
    category = OuterRef("pk")
    in_group = Q(category=category) | Q(category__parent=category)
    category_groups = list(
        ExpenseCategory.objects.filter(parent__isnull=True)
        .annotate(
            project_budget=money_subquery(office_lines.filter(in_group)),
            operating=money_subquery(office_costs.filter(in_group)),
        )
        .annotate(
            total=models.ExpressionWrapper(
                F("project_budget") + F("operating"), output_field=_MONEY_FIELD
            )
        )
        .order_by("order")
    )
    categories = list(
        ExpenseCategory.objects.select_related("parent")
        .annotate(
            project_budget=money_subquery(office_lines.filter(category=category)),
            operating=money_subquery(office_costs.filter(category=category)),
        )
        .annotate(
            total=models.ExpressionWrapper(
                F("project_budget") + F("operating"), output_field=_MONEY_FIELD
            )
        )
        .filter(total__gt=0)
        .order_by("order")
    )
    quarters = quarter_rows(
        totals=totals,
        targets=_targets(organization, fiscal_year),
        fiscal_year=fiscal_year,
        today=today,
    )
    projects = list(
        annotate_project_budget(
            Project.objects.filter(
                plan__organization=organization, plan__fiscal_year=fiscal_year
            )
        )
        .select_related("group", "budget_source")
        .order_by("sequence", "pk")
    )
    return BudgetSummary(
        organization=organization,
        fiscal_year=fiscal_year,
        totals=totals,
        sources=sources,
        unsourced_projects=totals["unsourced_projects"],
        groups=groups,
        strategies=strategies,
        unaligned_projects=totals["unaligned_projects"],
        strategy_total=totals["strategy_total"],
        category_groups=category_groups,
        categories=categories,
        quarters=quarters,
        projects=projects,
    )


@dataclass
class DisbursementProgress(_QuarterTotals):
    organization: Organization
    fiscal_year: int
    totals: dict
    quarters: list[QuarterRow]
    projects: list

    @property
    def budget(self) -> Decimal:
        return self.totals["projects"]

    @property
    def disbursed(self) -> Decimal:
        return self.totals["disbursed"]

    @property
    def disbursed_percent(self) -> Decimal:
        return percent_of(self.disbursed, self.budget)


def disbursement_progress(
    *, organization, fiscal_year: int, today=None
) -> DisbursementProgress:
    """Cumulative disbursement vs plan vs target per quarter, and per project.

    Three queries whatever the number of projects.
    """
    from projects.models import Project

    totals = _office_totals(organization, fiscal_year)
    projects = list(
        annotate_project_budget(
            Project.objects.filter(
                plan__organization=organization,
                plan__fiscal_year=fiscal_year,
                uses_budget=True,
            )
        )
        .select_related("group")
        .order_by("sequence", "pk")
    )
    for project in projects:
        # Display only: a per-row share, not a total.
        project.disbursed_percent = percent_of(project.disbursed, project.total_budget)
    return DisbursementProgress(
        organization=organization,
        fiscal_year=fiscal_year,
        totals=totals,
        quarters=quarter_rows(
            totals=totals,
            targets=_targets(organization, fiscal_year),
            fiscal_year=fiscal_year,
            today=today,
        ),
        projects=projects,
    )
