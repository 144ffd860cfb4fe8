"""Read side of the money: totals and roll-ups as queryset annotations.

Every sum here is computed by the database (``SUM`` in an annotation, a
correlated subquery or a ``GROUP BY``), never by looping over rows in Python,
so the number of queries of a report does not grow with the number of
projects. Lists of projects and the category tables read each table once with
``GROUP BY`` (:func:`with_project_budget`, :func:`_category_tables`): the
database runs a correlated subquery once per row, which the load benchmark
(``bench/load.py``) showed to dominate the budget report.

A project aligned with several strategies is counted under **each** of them in
the by-strategy table (as seed 004's alignment tables do); that table's total
can therefore exceed the project budget total, and the page says so.
"""

import copy
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import F, Func, OuterRef, Q, Value
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
    money_sum,
    project_money_subquery,
)
from core.models import OfficeGroup, Organization
from core.thai import fiscal_quarter_range, percent_of, quantize_baht, quarter_label
from plans.models import Strategy
from projects.models import Project

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

    The database repeats a subquery each time an annotation refers to it, so
    ``planned_total`` is its own sum (quarters are 1–4 by constraint) rather
    than q1 + q2 + q3 + q4: 11 subqueries per row instead of 17.
    """
    planned = {
        f"planned_q{quarter}": project_money_subquery(
            QuarterPlan.objects.filter(quarter=quarter)
        )
        for quarter in QUARTERS
    }
    return (
        queryset.annotate(
            total_budget=project_money_subquery(CostLine.objects.all()),
            disbursed=project_money_subquery(Disbursement.objects.all()),
            planned_total=project_money_subquery(QuarterPlan.objects.all()),
            **planned,
        )
        .annotate(balance=_minus("total_budget", "disbursed"))
        .annotate(unplanned=_minus("total_budget", "planned_total"))
    )


def _sums_by(queryset, *keys: str) -> dict:
    """``SUM(amount)`` of ``queryset`` per value of ``keys`` (one GROUP BY)."""
    rows = (
        queryset.order_by()
        .values(*keys)
        .annotate(_total=money_sum())
        .values_list(*keys, "_total")
    )
    return {tuple(row[:-1]) if len(keys) > 1 else row[0]: row[-1] for row in rows}


def with_project_budget(projects: list) -> list:
    """``projects`` (already read) with the money of
    :func:`annotate_project_budget`, from three GROUP BY queries whatever their
    number: cost lines, disbursements and quarterly plans, each read once.

    For lists this is cheaper than the annotations, whose correlated
    subqueries the database plans and runs once per project and per use.
    """
    ids = [project.pk for project in projects]
    if not ids:
        return projects
    lines = _sums_by(
        CostLine.objects.filter(activity__project__in=ids), "activity__project"
    )
    paid = _sums_by(
        Disbursement.objects.filter(activity__project__in=ids), "activity__project"
    )
    planned = _sums_by(
        QuarterPlan.objects.filter(activity__project__in=ids),
        "activity__project",
        "quarter",
    )
    for project in projects:
        project.total_budget = lines.get(project.pk, ZERO)
        project.disbursed = paid.get(project.pk, ZERO)
        for quarter in QUARTERS:
            amount = planned.get((project.pk, quarter), ZERO)
            setattr(project, f"planned_q{quarter}", amount)
        project.planned_total = sum(
            (planned.get((project.pk, quarter), ZERO) for quarter in QUARTERS), ZERO
        )
        project.balance = project.total_budget - project.disbursed
        project.unplanned = project.total_budget - project.planned_total
    return projects


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


def _money(**filters):
    """``SUM(amount)`` of the rows matching ``filters`` (all rows without), as
    money, 0 when there are none: for one ``aggregate()`` over a table."""
    summed = models.Sum("amount", filter=Q(**filters) if filters else None)
    return Coalesce(summed, Value(ZERO), output_field=_MONEY_FIELD)


def _office_totals(organization, fiscal_year: int) -> dict:
    """Every grand total of the office and year, in five queries: one
    ``aggregate()`` per table with conditional sums, so each of cost lines,
    disbursements and quarterly plans is read once (twice for cost lines: the
    by-strategy totals join the strategies), and one for the envelopes.
    """
    office_year = {
        "activity__project__plan__organization": organization,
        "activity__project__plan__fiscal_year": fiscal_year,
    }
    lines = CostLine.objects.filter(**office_year)
    totals = lines.aggregate(
        projects=_money(),
        unsourced_projects=_money(activity__project__budget_source__isnull=True),
    )
    totals |= lines.aggregate(
        unaligned_projects=_money(activity__project__strategies__isnull=True),
        # Joined to the strategies: a line counts once per strategy.
        strategy_total=_money(activity__project__strategies__isnull=False),
    )
    paid = {"disbursed": _money()}
    for quarter in QUARTERS:
        start, end = fiscal_quarter_range(fiscal_year, quarter)
        paid[f"disbursed_q{quarter}"] = _money(paid_on__gte=start, paid_on__lte=end)
    totals |= Disbursement.objects.filter(**office_year).aggregate(**paid)
    totals |= QuarterPlan.objects.filter(**office_year).aggregate(
        **{f"planned_q{quarter}": _money(quarter=quarter) for quarter in QUARTERS}
    )
    office = OuterRef("pk")
    totals |= (
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
            project_count=_count_subquery(
                Project.objects.filter(
                    plan__organization=office, plan__fiscal_year=fiscal_year
                )
            ),
        )
        .values("allocated", "operating", "project_count")
        .get()
    )
    return totals


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


def _category_tables(office_lines, office_costs) -> tuple[list, list]:
    """Project budgets and operating costs by category group (every top-level
    category: its own spending and its sub-categories') and by category (those
    with money). Three queries: each kind of spending summed per category by
    the database, then the categories.
    """
    lines = _sums_by(office_lines, "category")
    costs = _sums_by(office_costs, "category")
    categories = list(
        ExpenseCategory.objects.select_related("parent").order_by("order")
    )
    for category in categories:
        category.project_budget = lines.get(category.pk, ZERO)
        category.operating = costs.get(category.pk, ZERO)
        category.total = category.project_budget + category.operating
    groups = []
    for top in categories:
        if top.parent_id is None:
            group = copy.copy(top)  # its own row stays in the category table
            members = [c for c in categories if top.pk in (c.pk, c.parent_id)]
            group.project_budget = sum((c.project_budget for c in members), ZERO)
            group.operating = sum((c.operating for c in members), ZERO)
            group.total = group.project_budget + group.operating
            groups.append(group)
    return groups, [category for category in categories if category.total > 0]


def budget_summary(*, organization, fiscal_year: int, today=None) -> BudgetSummary:
    """The office's money for one fiscal year, by source, group, strategy,
    category and quarter, each table with a total computed by the database.

    Reconciles: envelopes (all sources) = operating costs + project budgets +
    unallocated remainder. Runs a fixed number of queries (16: totals 5,
    sources, groups, strategies, categories 3, targets, projects 4; 13 without
    projects) whatever the number of projects.
    """
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
    sources = []
    # The three sums once per source; the remainder and the filter on them in
    # SQL would repeat each subquery up to four times.
    for row in (
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
        .order_by("order", "name")
    ):
        if row.allocated > 0 or row.operating > 0 or row.project_budget > 0:
            row.remainder = row.allocated - row.operating - row.project_budget
            row.is_over = row.remainder < 0
            sources.append(row)
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
    category_groups, categories = _category_tables(office_lines, office_costs)
    quarters = quarter_rows(
        totals=totals,
        targets=_targets(organization, fiscal_year),
        fiscal_year=fiscal_year,
        today=today,
    )
    projects = with_project_budget(
        list(
            Project.objects.filter(
                plan__organization=organization, plan__fiscal_year=fiscal_year
            )
            .select_related("group", "budget_source")
            .order_by("sequence", "pk")
        )
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
    *, organization, fiscal_year: int, today=None, with_projects: bool = True
) -> DisbursementProgress:
    """Cumulative disbursement vs plan vs target per quarter, and per project.

    Ten queries whatever the number of projects (totals 5, targets 1,
    projects 4); six with ``with_projects=False``, for pages that show no
    per-project rows (the dashboards, the progress report).
    """
    totals = _office_totals(organization, fiscal_year)
    projects = []
    if with_projects:
        projects = with_project_budget(
            list(
                Project.objects.filter(
                    plan__organization=organization,
                    plan__fiscal_year=fiscal_year,
                    uses_budget=True,
                )
                .select_related("group")
                .order_by("sequence", "pk")
            )
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
