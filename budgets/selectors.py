"""Read side of the money: the budget summary and the disbursement progress.

Every sum comes from :mod:`budgets.rollups` (the one home of the money
roll-ups); this module composes them into the pages' structures and judges
the quarters against the disbursement targets.

A project aligned with several strategies is counted under **each** of them in
the by-strategy table (as seed 004's alignment tables do); that table's total
can therefore exceed the project budget total, and the page says so.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from budgets.rollups import (
    QUARTERS,
    approved_filter,
    category_tables,
    disbursement_target_percents,
    frozen_money,
    group_rows,
    office_totals,
    source_rows,
    strategy_rows,
    with_project_budget,
)
from core.models import Organization
from core.thai import (
    ZERO,
    fiscal_quarter_range,
    percent_of,
    quantize_baht,
    quarter_label,
)
from projects.models import Project, book_order

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
        return self.totals["total_budget"] - self.planned_total

    @property
    def balance(self) -> Decimal:
        """Project budgets − disbursed."""
        return self.totals["total_budget"] - self.totals["disbursed"]

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
        return self.totals["total_budget"]

    @property
    def remainder(self) -> Decimal:
        """Envelopes − operating costs − project budgets (all sources)."""
        t = self.totals
        return t["allocated"] - t["operating"] - t["total_budget"]

    @property
    def spending_total(self) -> Decimal:
        """Office running costs + project budgets (the category tables' total)."""
        return self.totals["operating"] + self.totals["total_budget"]

    @property
    def aligned_total(self) -> Decimal:
        """The budget of the projects linked to at least one strategy."""
        return self.project_total - self.unaligned_projects

    @property
    def strategy_overlap(self) -> Decimal:
        """How much the by-strategy table counts twice (multi-strategy projects).

        Against the linked projects' budget, not every project's: a project
        linked to no strategy is in no row, and subtracting it would print a
        negative "overlap" (its own row, ไม่ระบุกลยุทธ์, shows it)."""
        return self.strategy_total - self.aligned_total


def _targets(organization, fiscal_year: int) -> dict[int, Decimal]:
    """Cumulative target % per quarter (``budgets.rollups``' one lookup)."""
    return disbursement_target_percents(organization, fiscal_year)


def quarter_rows(
    *, totals: dict, targets: dict[int, Decimal], fiscal_year: int, today=None
) -> list[QuarterRow]:
    """Plan vs disbursement per quarter, cumulative, against the targets.

    Percentages are of the project budget total. A quarter that has ended is
    judged against its target; the current and later quarters are not yet.
    """
    today = today or timezone.localdate()
    budget = totals["total_budget"]
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


def budget_summary(
    *, organization, fiscal_year: int, today=None, approved_only: bool = False
) -> BudgetSummary:
    """The office's money for one fiscal year, by source, group, strategy,
    category and quarter, each table with a total computed by the database.

    Reconciles: envelopes (all sources) = operating costs + project budgets +
    unallocated remainder. Runs a fixed number of queries (16: totals 5,
    sources, groups, strategies, categories 3, targets, projects 4; 13 without
    projects) whatever the number of projects. ``approved_only``: every
    project figure counts the projects of the approved plan only, as last
    approved (an approved plan's book): a project being revised counts its
    frozen money (:class:`budgets.rollups.FrozenMoney`: 1 more query, 3
    while some project is being revised).
    """
    scope = {"approved_only": approved_only}
    frozen = frozen_money(organization, fiscal_year) if approved_only else None
    totals = office_totals(organization, fiscal_year, **scope)
    category_groups, categories = category_tables(
        organization, fiscal_year, frozen=frozen, **scope
    )
    # In the office's code order (2.2 before 2.10), as the plan book prints them.
    projects = with_project_budget(
        sorted(
            Project.objects.filter(
                plan__organization=organization,
                plan__fiscal_year=fiscal_year,
                **approved_filter(approved_only, ""),
            ).select_related("group", "budget_source"),
            key=book_order,
        )
    )
    sources = source_rows(organization, fiscal_year, **scope)
    groups = group_rows(organization, fiscal_year, **scope)
    strategies = strategy_rows(organization, fiscal_year, **scope)
    if frozen:
        frozen.correct_totals(totals)
        frozen.correct_sources(sources)
        frozen.correct_groups(groups)
        frozen.correct_strategies(strategies)
        frozen.correct_projects(projects)
    # after the correction: the quarters and their percentages of the budget
    # are the approved ones too
    quarters = quarter_rows(
        totals=totals,
        targets=_targets(organization, fiscal_year),
        fiscal_year=fiscal_year,
        today=today,
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
        return self.totals["total_budget"]

    @property
    def disbursed(self) -> Decimal:
        return self.totals["disbursed"]

    @property
    def disbursed_percent(self) -> Decimal:
        return percent_of(self.disbursed, self.budget)


def disbursement_progress(
    *,
    organization,
    fiscal_year: int,
    today=None,
    with_projects: bool = True,
    own_only: bool = False,
) -> DisbursementProgress:
    """Cumulative disbursement vs plan vs target per quarter, and per project.

    Ten queries whatever the number of projects (totals 5, targets 1,
    projects 4); six with ``with_projects=False``, for pages that show no
    per-project rows (the dashboards, the progress report). ``own_only``
    leaves out money printed outside the total (:func:`office_totals`).
    """
    totals = office_totals(organization, fiscal_year, own_only=own_only)
    projects = []
    if with_projects:
        projects = with_project_budget(
            list(
                Project.objects.filter(
                    plan__organization=organization,
                    plan__fiscal_year=fiscal_year,
                    uses_budget=True,
                )
                .exclude(**({"budget_source__outside_total": True} if own_only else {}))
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
