"""Every money roll-up of the office, in one place and under one name each.

A cost line reaches many pages (the budget summary, the plan book and its
cost and quarter tables, the progress and annual reports, the dashboards, the
workbooks). Each of them reads its sums from here, so the same figure cannot
be summed two ways: a project's budget is always ``total_budget`` (the sum of
its activities' cost lines), an office's project budget total is
``totals["total_budget"]``, and zero is :data:`core.thai.ZERO`.

Every result is a ``Decimal`` (or a queryset annotated with ``Decimal``
fields); nothing here formats money. Templates and workbook writers turn it
into Thai baht at render time (``core.thai`` filters, ``core.xlsx``).

Sums are computed by the database (an annotation, a correlated subquery or a
``GROUP BY``), never one query per row, so a report's query count does not grow
with the number of projects. Lists read each table once with ``GROUP BY``
(:func:`with_project_budget`, :func:`category_tables`): a correlated subquery
runs once per row, which the load benchmark (``bench/load.py``) showed to
dominate the budget report. The plan book's cost and quarter tables add up
rows the page prints anyway, so they are summed from those rows.
"""

import copy
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import F, Func, OuterRef, Q, Value
from django.db.models.functions import Coalesce

from budgets.models import (
    MONEY,
    UNCLASSIFIED,
    Allocation,
    BudgetSource,
    CostLine,
    Disbursement,
    DisbursementTarget,
    ExpenseCategory,
    OperatingCost,
    OperatingDisbursement,
    QuarterPlan,
    money_subquery,
    money_sum,
    project_money_subquery,
    spent_category,
)
from core.models import OfficeGroup, Organization
from core.thai import (
    ZERO,
    fiscal_quarter_of,
    fiscal_quarter_range,
    fiscal_year_range,
    percent_of,
)
from plans.models import Strategy
from projects.models import Project, ProjectRevision
from projects.revision_changes import money, sheet_total

__all__ = ["ZERO"]  # re-exported: ``from budgets.rollups import ZERO`` works too

QUARTERS = (1, 2, 3, 4)
_MONEY_FIELD = models.DecimalField(**MONEY)

#: The per-project money columns of the budget report and their total row.
PROJECT_MONEY_NAMES = (
    "total_budget",
    "planned_q1",
    "planned_q2",
    "planned_q3",
    "planned_q4",
    "disbursed",
    "balance",
)


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


def _sums_by(queryset, *keys: str) -> dict:
    """``SUM(amount)`` of ``queryset`` per value of ``keys`` (one GROUP BY)."""
    rows = (
        queryset.order_by()
        .values(*keys)
        .annotate(_total=money_sum())
        .values_list(*keys, "_total")
    )
    return {tuple(row[:-1]) if len(keys) > 1 else row[0]: row[-1] for row in rows}


def _money(**filters):
    """``SUM(amount)`` of the rows matching ``filters`` (all rows without), as
    money, 0 when there are none: for one ``aggregate()`` over a table."""
    summed = models.Sum("amount", filter=Q(**filters) if filters else None)
    return Coalesce(summed, Value(ZERO), output_field=_MONEY_FIELD)


def approved_filter(approved_only: bool, path: str = "activity__project__") -> dict:
    """The "approved projects only" filter of every roll-up, written once.

    An approved plan's book prints and counts only projects with an approved
    version (``Project.HAS_APPROVED_VERSION``): a project still being drafted
    or returned is not part of the approved plan, but one being revised is,
    as last approved, its cost lines counted as frozen (:class:`FrozenMoney`
    corrects their live sums). ``path`` leads from the rows summed to their
    project ("" for projects).
    """
    if not approved_only:
        return {}
    return {f"{path}status__in": Project.HAS_APPROVED_VERSION}


# ------------------------------------------------------------------ frozen money


@dataclass
class FrozenMoney:
    """The cost-line money of the projects being revised, as last approved.

    While a project is revised its cost lines change in place and its
    approved version survives only in the revision's frozen copy
    (``ProjectRevision.snapshot``). The approved roll-ups sum the live lines
    in SQL, as for every project, and then add, per project and per expense
    category, the difference "frozen − live" kept here: one correction, not
    a second set of sums. The quarterly plans (the spending plan) are
    corrected the same way, per project and per quarter, when the copy kept
    them (a copy frozen before that keeps the live quarters). Payments are
    not part of a plan and stay as they are.
    """

    #: project id → its approved (frozen) budget
    frozen: dict[int, Decimal] = field(default_factory=dict)
    #: project id → frozen − live
    change: dict[int, Decimal] = field(default_factory=dict)
    #: category code ("" unclassified) → frozen − live over those projects
    by_category: dict[str, Decimal] = field(default_factory=dict)
    #: project id → (budget source id, group id, strategy ids)
    links: dict[int, tuple] = field(default_factory=dict)
    #: project id → its approved (frozen) plan of quarters 1–4, for the
    #: copies that kept their quarterly plans
    quarters: dict[int, list[Decimal]] = field(default_factory=dict)
    #: project id → frozen − live, per quarter 1–4 (the same projects)
    quarter_change: dict[int, list[Decimal]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.change)

    def change_of(self, ids) -> Decimal:
        """The change of the projects ``ids``."""
        return sum((self.change[pk] for pk in ids), ZERO)

    def correct_totals(self, totals: dict) -> None:
        links = self.links.items()
        totals["total_budget"] += self.change_of(self.change)
        for quarter in QUARTERS:
            totals[f"planned_q{quarter}"] += sum(
                (change[quarter - 1] for change in self.quarter_change.values()),
                ZERO,
            )
        totals["unsourced_projects"] += self.change_of(
            [pk for pk, (source, _, _) in links if source is None]
        )
        totals["unaligned_projects"] += self.change_of(
            [pk for pk, (_, _, strategies) in links if not strategies]
        )
        # as in SQL, a project counts once per strategy it is linked to
        totals["strategy_total"] += sum(
            (self.change[pk] * len(strategies) for pk, (_, _, strategies) in links),
            ZERO,
        )

    def correct_sources(self, rows: list) -> None:
        for row in rows:
            ids = [pk for pk, (source, _, _) in self.links.items() if source == row.pk]
            row.project_budget += self.change_of(ids)
            set_source_remainder(row)

    def correct_groups(self, rows: list) -> None:
        for row in rows:
            ids = [pk for pk, (_, group, _) in self.links.items() if group == row.pk]
            row.total_budget += self.change_of(ids)

    def correct_strategies(self, rows: list) -> None:
        for row in rows:
            ids = [pk for pk, (_, _, linked) in self.links.items() if row.pk in linked]
            row.total_budget += self.change_of(ids)

    def correct_projects(self, projects: list) -> None:
        """Projects read through :func:`with_project_budget`."""
        for project in projects:
            if project.pk in self.quarters:
                planned = self.quarters[project.pk]
                for quarter in QUARTERS:
                    setattr(project, f"planned_q{quarter}", planned[quarter - 1])
                project.planned_total = sum(planned, ZERO)
            if project.pk in self.frozen:
                project.total_budget = self.frozen[project.pk]
                project.balance = project.total_budget - project.disbursed
                project.unplanned = project.total_budget - project.planned_total


def _snapshot_money(snapshot: dict) -> tuple[Decimal, dict[str, Decimal]]:
    """A frozen copy's budget and its amounts per category code. A copy
    frozen before snapshots kept cost lines has only its total, counted as
    unclassified."""
    if "cost_lines" not in snapshot:
        total = sheet_total(snapshot)
        return total, {"": total}
    by_category: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in snapshot["cost_lines"]:
        by_category[line["category_code"] or ""] += money(line["amount"])
    return sum(by_category.values(), ZERO), dict(by_category)


def _snapshot_quarters(snapshot: dict) -> list[Decimal] | None:
    """A frozen copy's plan of quarters 1–4; ``None`` for a copy frozen
    before snapshots kept quarterly plans (its quarters are not frozen)."""
    if "quarter_plans" not in snapshot:
        return None
    planned = [ZERO] * len(QUARTERS)
    for row in snapshot["quarter_plans"]:
        planned[row["quarter"] - 1] += money(row["amount"])
    return planned


def frozen_money(organization, fiscal_year: int) -> FrozenMoney:
    """:class:`FrozenMoney` of the office's year. One query when no project
    is being revised; three otherwise (the frozen copies with the projects'
    links and live quarterly plans, their strategies, their live lines per
    category)."""
    project = OuterRef("project_id")
    live_quarters = {
        f"_live_q{quarter}": project_money_subquery(
            QuarterPlan.objects.filter(quarter=quarter), project=project
        )
        for quarter in QUARTERS
    }
    revisions = list(
        ProjectRevision.objects.filter(
            project__plan__organization=organization,
            project__plan__fiscal_year=fiscal_year,
            project__status__in=Project.BEING_REVISED,
            version=F("project__version") - 1,
        )
        .annotate(**live_quarters)
        .values_list(
            "project_id",
            "project__budget_source_id",
            "project__group_id",
            "snapshot",
            *live_quarters,
        )
    )
    if not revisions:
        return FrozenMoney()
    ids = [row[0] for row in revisions]
    strategies = defaultdict(set)
    for project_id, strategy_id in Project.strategies.through.objects.filter(
        project_id__in=ids
    ).values_list("project_id", "strategy_id"):
        strategies[project_id].add(strategy_id)
    live = _sums_by(
        CostLine.objects.filter(activity__project__in=ids),
        "activity__project",
        "category__code",
    )
    result = FrozenMoney()
    by_category: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for project_id, source_id, group_id, snapshot, *live_planned in revisions:
        total, categories = _snapshot_money(snapshot)
        planned = _snapshot_quarters(snapshot)
        if planned is not None:
            result.quarters[project_id] = planned
            result.quarter_change[project_id] = [
                approved - live
                for approved, live in zip(planned, live_planned, strict=True)
            ]
        live_total = ZERO
        for (pk, code), amount in live.items():
            if pk == project_id:
                live_total += amount
                by_category[code or ""] -= amount
        for code, amount in categories.items():
            by_category[code] += amount
        result.frozen[project_id] = total
        result.change[project_id] = total - live_total
        result.links[project_id] = (source_id, group_id, strategies[project_id])
    result.by_category = dict(by_category)
    return result


def frozen_cost_tables(
    frozen: dict[int, dict], activity_labels: dict[int, str]
) -> dict[int, "CostTable"]:
    """The cost table of each frozen copy (``projects.selectors.frozen_versions``)
    with cost lines, by project id, from its frozen lines (no query): the
    approved version's table, as :func:`cost_tables` prints a live one. The
    frozen lines keep their amounts, not their factors, so no formula."""
    tables = {}
    for project_id, snapshot in frozen.items():
        if not snapshot.get("cost_lines"):
            continue
        categories: dict[str, ExpenseCategory] = {}
        lines = []
        for row in snapshot["cost_lines"]:
            code = row["category_code"] or ""
            category = None
            if code:
                category = categories.setdefault(
                    code,
                    ExpenseCategory(
                        # a stand-in row: a distinct key per category
                        pk=-(len(categories) + 1),
                        code=code,
                        name=row["category"],
                        order=row["category_order"],
                    ),
                )
            lines.append(
                CostLine(
                    pk=row["id"],
                    activity_id=row["activity_id"],
                    category=category,
                    description=row["description"],
                    amount=money(row["amount"]),
                )
            )
        tables[project_id] = _cost_table(lines, activity_labels)
    return tables


def _office_year(
    organization,
    fiscal_year: int,
    *,
    approved_only: bool = False,
    path: str = "activity__project__",
) -> dict:
    """The filter of an office's rows of one year (cost lines, plans, payments;
    projects themselves with ``path=""``), approved projects only if asked."""
    return {
        f"{path}plan__organization": organization,
        f"{path}plan__fiscal_year": fiscal_year,
        **approved_filter(approved_only, path),
    }


# ------------------------------------------------------------------ activity, project


def with_section_counts(projects):
    """Projects (a queryset) with every count behind ``Project.sections()``
    and the plan checker: the sheet's own parts (``with_part_counts()``) and
    ``n_cost_lines``, the cost lines of all their activities. One query."""
    return projects.with_part_counts().annotate(
        n_cost_lines=CostLine.objects.project_count()
    )


def activity_total_budget(activity) -> Decimal:
    """Sum of the activity's cost lines (one query)."""
    return CostLine.objects.filter(activity=activity).total()


def project_total_budget(project) -> Decimal:
    """Sum of every cost line of every activity of the project (one query)."""
    return CostLine.objects.filter(activity__project=project).total()


def total_budget_subquery(*, project_ref: str = "pk"):
    """A project's ``total_budget`` as a correlated subquery on ``project_ref``."""
    return CostLine.objects.project_sum(project=OuterRef(project_ref))


def disbursed_subquery(
    *, project_ref: str = "pk", until_ref: str | None = None, until=None
):
    """Sum of ``budgets.Disbursement`` for a project's activities, paid on or
    before a date (``until_ref`` names an outer field, ``until`` is a value).

    A correlated subquery, so annotating a list costs no extra query; it reads
    each activity's rows by index (see ``budgets.models.project_money_subquery``).
    """
    # The date filter sits two subqueries deep: per activity, inside the
    # project's activities, inside the outer row.
    limit = OuterRef(OuterRef(until_ref)) if until_ref else until
    return project_money_subquery(
        Disbursement.objects.filter(paid_on__lte=limit), project=OuterRef(project_ref)
    )


def disbursed_to_date(project, until: datetime.date) -> Decimal:
    """Money paid for ``project`` up to and including ``until`` (one query)."""
    return Disbursement.objects.filter(
        activity__project=project, paid_on__lte=until
    ).total()


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


def project_money_totals(projects) -> dict:
    """The total row of a list of projects read through
    :func:`with_project_budget` or :func:`annotate_project_budget`: each of
    :data:`PROJECT_MONEY_NAMES` added up over the rows (no query)."""
    return {
        name: sum((getattr(project, name) for project in projects), ZERO)
        for name in PROJECT_MONEY_NAMES
    }


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


def activity_total_budget_subquery():
    """An activity's ``total_budget`` as a correlated subquery on its ``pk``."""
    return CostLine.objects.activity_sum()


# ------------------------------------------------------------------ period plan
#
# A reporting round covers the year so far: round n (3n months) ends with
# fiscal quarter n. Its spending plan is the cumulative quarterly plan (the
# 3/6/9/12-month plan), and a progress report sets what was paid by the
# round's end against it (seed 002: "จำนวนเงินงบประมาณตามแผนการใช้จ่าย …
# จำนวนเงินงบประมาณที่เบิกจ่ายจริง … ผลการเบิกจ่ายงบประมาณ สามารถ…ตามแผน").

#: The verdict printed for each project (seed 002's words).
ON_PLAN = "สามารถเบิกจ่ายได้ตามแผน"
BEHIND_PLAN = "ไม่สามารถเบิกจ่ายได้ตามแผน"


def period_quarter(months: int) -> int:
    """The last fiscal quarter of a period of ``months`` (3/6/9/12 → 1–4)."""
    if months not in (3, 6, 9, 12):
        raise ValueError("รอบการรายงานต้องเป็น 3, 6, 9 หรือ 12 เดือน")
    return months // 3


def planned_until_subquery(quarter: int, *, project_ref: str = "pk"):
    """A project's cumulative spending plan: quarters 1 to ``quarter`` of its
    activities' quarterly plans, as a correlated subquery on ``project_ref``."""
    return project_money_subquery(
        QuarterPlan.objects.filter(quarter__lte=quarter), project=OuterRef(project_ref)
    )


def activity_planned_until(activity, quarter: int) -> Decimal:
    """An activity's cumulative plan of quarters 1 to ``quarter`` (one query)."""
    return QuarterPlan.objects.filter(activity=activity, quarter__lte=quarter).total()


def project_planned_until(project, quarter: int) -> Decimal:
    """A project's cumulative plan of quarters 1 to ``quarter`` (one query)."""
    return QuarterPlan.objects.filter(
        activity__project=project, quarter__lte=quarter
    ).total()


def period_verdict(planned: Decimal, disbursed: Decimal) -> str:
    """:data:`ON_PLAN` when what was paid by the period's end is the period's
    cumulative plan, else :data:`BEHIND_PLAN` ("ไม่สามารถเบิกจ่ายได้ตามแผน").

    Paying more than planned is allowed (warned, not refused, as long as the
    year's budget holds) but it is not "according to plan": seed 002 judges
    its four projects that paid ahead of their six-month plan (2.2.4, 2.2.5,
    2.2.10, 2.2.11) as not paid according to plan, like those behind it."""
    return ON_PLAN if disbursed == planned else BEHIND_PLAN


# ------------------------------------------------------------------ office


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


def office_totals(
    organization, fiscal_year: int, *, approved_only=False, own_only=False
) -> dict:
    """Every grand total of the office and year, in five queries: one
    ``aggregate()`` per table with conditional sums, so each of cost lines,
    disbursements and quarterly plans is read once (twice for cost lines: the
    by-strategy totals join the strategies), and one for the envelopes.

    Keys: ``total_budget`` (every project's cost lines), ``unsourced_projects``,
    ``unaligned_projects``, ``strategy_total``, ``disbursed`` and
    ``disbursed_q1``–``q4`` (paid within each fiscal quarter), ``planned_q1``–
    ``q4``, ``allocated``, ``operating`` and ``project_count``. With
    ``approved_only`` the project figures count approved projects only. With
    ``own_only`` they leave out the money of sources printed outside the
    total (another agency's projects, the central fund): the progress report
    counts the office's own money, and prints those projects apart (seed 002
    reports its two NIETS projects under their agency, in no office total).
    """
    office_year = _office_year(organization, fiscal_year, approved_only=approved_only)

    def own(queryset, path="activity__project__"):
        if not own_only:
            return queryset
        # exclude(): a project without a source stays (NULL is not outside)
        return queryset.exclude(**{f"{path}budget_source__outside_total": True})

    lines = own(CostLine.objects.filter(**office_year))
    totals = lines.aggregate(
        total_budget=_money(),
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
    totals |= own(Disbursement.objects.filter(**office_year)).aggregate(**paid)
    totals |= own(QuarterPlan.objects.filter(**office_year)).aggregate(
        **{f"planned_q{quarter}": _money(quarter=quarter) for quarter in QUARTERS}
    )
    office = OuterRef("pk")
    totals |= (
        Organization.objects.filter(pk=organization.pk)
        .annotate(
            allocated=money_subquery(
                Allocation.objects.filter(
                    organization=office, fiscal_year=fiscal_year
                ).exclude(source__outside_total=True)
                if own_only
                else Allocation.objects.filter(
                    organization=office, fiscal_year=fiscal_year
                )
            ),
            operating=money_subquery(
                OperatingCost.objects.filter(
                    organization=office, fiscal_year=fiscal_year
                )
            ),
            project_count=_count_subquery(
                own(
                    Project.objects.filter(
                        plan__organization=office,
                        plan__fiscal_year=fiscal_year,
                        **approved_filter(approved_only, ""),
                    ),
                    path="",
                )
            ),
        )
        .values("allocated", "operating", "project_count")
        .get()
    )
    return totals


def source_rows(organization, fiscal_year: int, *, approved_only=False) -> list:
    """Budget sources with money this year (one query): ``allocated``,
    ``operating``, ``project_budget``, ``remainder`` and ``is_over``."""
    source = OuterRef("pk")
    office_lines = CostLine.objects.filter(
        **_office_year(organization, fiscal_year, approved_only=approved_only)
    )
    office_costs = OperatingCost.objects.filter(
        organization=organization, fiscal_year=fiscal_year
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
            set_source_remainder(row)
            sources.append(row)
    return sources


def set_source_remainder(row) -> None:
    """What a budget source has left: allocated − operating costs − the
    projects' budget, and whether that is below zero (one rule for the live
    rows and for those a revision's frozen money corrects)."""
    row.remainder = row.allocated - row.operating - row.project_budget
    row.is_over = row.remainder < 0


def group_rows(organization, fiscal_year: int, *, approved_only=False) -> list:
    """The office's groups with projects this year (one query):
    ``project_count``, ``total_budget`` and ``disbursed``."""
    group = OuterRef("pk")
    office_year = _office_year(organization, fiscal_year, approved_only=approved_only)
    return list(
        OfficeGroup.objects.filter(organization=organization)
        .annotate(
            project_count=_count_subquery(
                Project.objects.filter(
                    **_office_year(
                        organization,
                        fiscal_year,
                        approved_only=approved_only,
                        path="",
                    ),
                    group=group,
                )
            ),
            total_budget=money_subquery(
                CostLine.objects.filter(**office_year, activity__project__group=group)
            ),
            disbursed=money_subquery(
                Disbursement.objects.filter(
                    **office_year, activity__project__group=group
                )
            ),
        )
        .filter(project_count__gt=0)
        .order_by("order", "name")
    )


def strategy_rows(organization, fiscal_year: int, *, approved_only=False) -> list:
    """The plan's strategies (one query): ``project_count`` and ``total_budget``.

    A project aligned with several strategies is counted under **each** of
    them (as seed 004's alignment tables do), so the rows can add up to more
    than the project budget total (see ``totals["strategy_total"]``).
    """
    strategy = OuterRef("pk")
    office_lines = CostLine.objects.filter(
        **_office_year(organization, fiscal_year, approved_only=approved_only)
    )
    return list(
        Strategy.objects.filter(
            plan__organization=organization, plan__fiscal_year=fiscal_year
        )
        .annotate(
            project_count=_count_subquery(
                Project.objects.filter(
                    strategies=strategy, **approved_filter(approved_only, "")
                )
            ),
            total_budget=money_subquery(
                office_lines.filter(activity__project__strategies=strategy)
            ),
        )
        .order_by("number")
    )


def category_tables(
    organization, fiscal_year: int, *, approved_only=False, frozen=None
) -> tuple[list, list]:
    """Project budgets and operating costs by category group (every top-level
    category: its own spending and its sub-categories') and by category (those
    with money). Three queries: each kind of spending summed per category by
    the database, then the categories. ``frozen`` (:class:`FrozenMoney`):
    the projects being revised count as last approved.
    """
    lines = _sums_by(
        CostLine.objects.filter(
            **_office_year(organization, fiscal_year, approved_only=approved_only)
        ),
        "category",
    )
    costs = _sums_by(
        OperatingCost.objects.filter(
            organization=organization, fiscal_year=fiscal_year
        ),
        "category",
    )
    categories = list(
        ExpenseCategory.objects.select_related("parent").order_by("order")
    )
    if frozen:
        lines = _with_frozen_categories(lines, categories, frozen)
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
    listed = [category for category in categories if category.total > 0]
    if lines.get(None) or costs.get(None):
        # Cost lines and running costs a source left unclassified: one row in
        # both tables, so each table's total is still every line's and every
        # running cost's (nothing filed by guess).
        unclassified = (lines.get(None, ZERO), costs.get(None, ZERO))
        groups.append(_unclassified(*unclassified))
        listed.append(_unclassified(*unclassified))
    return groups, listed


def _with_frozen_categories(lines: dict, categories: list, frozen) -> dict:
    """``lines`` (sums by category id, ``None`` unclassified) corrected by
    ``frozen.by_category`` (by code): a code no longer in the list counts as
    unclassified, so the table's total is still the approved one."""
    ids = {category.code: category.pk for category in categories if category.code}
    lines = dict(lines)
    for code, change in frozen.by_category.items():
        key = ids.get(code) if code else None
        lines[key] = lines.get(key, ZERO) + change
    return lines


def _unclassified(project_budget: Decimal, operating: Decimal) -> ExpenseCategory:
    """The UNCLASSIFIED row of :func:`category_tables` (an unsaved category,
    so the tables read it like any other row)."""
    row = ExpenseCategory(name=UNCLASSIFIED)
    row.project_budget = project_budget
    row.operating = operating
    row.total = project_budget + operating
    return row


@dataclass
class ExecutionRow:
    """Allocated against disbursed for one row of :func:`office_ledger` (an
    expense group, or a source printed outside the total)."""

    name: str
    allocated: Decimal
    disbursed: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.disbursed

    @property
    def percent(self) -> Decimal:
        """Disbursed as a share of allocated. Money still left never prints
        as 100.00 (seed 004's central fund: 5,851,795.80 of 5,851,800.00 is
        99.99993 %, which it prints as 99.99): "100" would say all was spent."""
        share = percent_of(self.disbursed, self.allocated)
        if share == 100 and self.remaining > 0:
            return Decimal("99.99")
        return share


def execution_total(rows: list[ExecutionRow]) -> ExecutionRow:
    """The "รวมทั้งสิ้น" row of :func:`office_ledger`'s rows (no query)."""
    return ExecutionRow(
        "รวมทั้งสิ้น",
        sum((row.allocated for row in rows), ZERO),
        sum((row.disbursed for row in rows), ZERO),
    )


@dataclass
class OfficeLedger:
    """The office's money of one year as seed 004's Table 13 prints it.

    ``rows``: one per expense group (the categories' order, the budget law's)
    and, when there is such money, "ไม่ระบุหมวด" and the allocated money
    not yet planned; ``total`` is theirs. ``outside``: one row per source
    marked ``outside_total`` (the central fund, other agencies' money),
    printed below the total and never added to it.
    """

    rows: list[ExecutionRow]
    total: ExecutionRow
    outside: list[ExecutionRow]


#: Ledger rows that are no expense group (money without a category has the
#: one label of :data:`budgets.models.UNCLASSIFIED`).
LEDGER_UNCLASSIFIED = UNCLASSIFIED
LEDGER_UNPLANNED = "เงินจัดสรรที่ยังไม่ได้กำหนดรายการใช้จ่าย"


def office_ledger(organization, fiscal_year: int) -> OfficeLedger:
    """Allocated, disbursed, remaining and percent of the office's whole
    budget, by expense group. Seven queries, whatever the number of rows.

    Allocated to a group is what the office planned to spend in it: its
    running costs and the cost lines of its *approved* projects (a project
    not approved spends nothing of the year's budget). Allocations say how
    much came from each source; what they bring beyond the planned spending
    is its own row, so the total is the money allocated. Disbursed is the
    running costs' payments and the approved projects' disbursements, each
    under the group of its cost (a project payment without a cost line has
    no category: "ไม่ระบุหมวด"; one paid under a category alone counts
    there, :func:`budgets.models.spent_category`).

    Money of a source marked ``outside_total`` is left out of the groups and
    printed per source below the total (allocated: its allocations, or its
    planned spending when none were recorded).
    """
    office = {"organization": organization, "fiscal_year": fiscal_year}
    project_year = _office_year(organization, fiscal_year, approved_only=True)
    sources = {
        source.pk: source
        for source in BudgetSource.objects.filter(
            Q(organization__isnull=True) | Q(organization=organization)
        ).order_by("order", "name")
    }
    planned = _sums_by(OperatingCost.objects.filter(**office), "category", "source")
    paid = _sums_by(
        OperatingDisbursement.objects.filter(
            operating_cost__organization=organization,
            operating_cost__fiscal_year=fiscal_year,
        ),
        "operating_cost__category",
        "operating_cost__source",
    )
    lines = _sums_by(
        CostLine.objects.filter(**project_year),
        "category",
        "activity__project__budget_source",
    )
    spent = _sums_by(
        Disbursement.objects.filter(**project_year).annotate(spent_in=spent_category()),
        "spent_in",
        "activity__project__budget_source",
    )
    allocated_by = _sums_by(Allocation.objects.filter(**office), "source")
    categories = list(ExpenseCategory.objects.order_by("order", "pk"))
    group_of = {c.pk: c.parent_id or c.pk for c in categories}

    def outside(source_id) -> bool:
        return source_id in sources and sources[source_id].outside_total

    allocated: dict = defaultdict(lambda: ZERO)
    disbursed: dict = defaultdict(lambda: ZERO)
    for sums, into in ((planned, allocated), (lines, allocated), (paid, disbursed)):
        for (category_id, source_id), amount in sums.items():
            key = (
                ("source", source_id)
                if outside(source_id)
                else group_of.get(category_id)
            )
            into[key] += amount
    for (category_id, source_id), amount in spent.items():
        key = ("source", source_id) if outside(source_id) else group_of.get(category_id)
        disbursed[key] += amount
    rows = [
        ExecutionRow(group.name, allocated[group.pk], disbursed[group.pk])
        for group in categories
        if group.parent_id is None
    ]
    if allocated[None] or disbursed[None]:
        rows.append(ExecutionRow(LEDGER_UNCLASSIFIED, allocated[None], disbursed[None]))
    inside_allocated = sum(
        (amount for pk, amount in allocated_by.items() if not outside(pk)), ZERO
    )
    unplanned = inside_allocated - sum((row.allocated for row in rows), ZERO)
    if unplanned > 0:
        rows.append(ExecutionRow(LEDGER_UNPLANNED, unplanned, ZERO))
    beside = []
    for pk, source in sources.items():
        if not source.outside_total:
            continue
        key = ("source", pk)
        given = allocated_by.get(pk, ZERO)
        row = ExecutionRow(source.name, given or allocated[key], disbursed[key])
        if row.allocated or row.disbursed:
            beside.append(row)
    return OfficeLedger(rows, execution_total(rows), beside)


# ------------------------------------------------------------------ sheet tables


@dataclass
class CostGroup:
    """One activity's cost lines in a project's cost table."""

    activity: str
    rows: list[dict]
    total: Decimal


@dataclass
class CostTable:
    """The cost lines of one project grouped by activity, with the amounts
    in one column per expense category (as the offices print it)."""

    #: Up to this many categories fit as money columns on a portrait page;
    #: with more, the table prints the category as text beside one amount.
    MAX_COLUMNS = 3

    categories: list[str]
    groups: list[CostGroup]
    totals: list[Decimal]
    total: Decimal

    @property
    def by_columns(self) -> bool:
        return len(self.categories) <= self.MAX_COLUMNS

    @property
    def category_totals(self) -> list[tuple[str, Decimal]]:
        return list(zip(self.categories, self.totals, strict=True))


@dataclass
class QuarterTable:
    rows: list[dict]
    totals: list[Decimal]
    total: Decimal


def cost_tables(activity_labels: dict[int, str], **filters) -> dict[int, CostTable]:
    """The cost table of every project whose cost lines match ``filters``
    (e.g. ``activity__project__plan=plan``), by project id. One query.

    ``activity_labels`` ("1. ชื่อกิจกรรม" by activity id, in the sheet's order)
    names and orders each table's activity groups.
    """
    lines = (
        CostLine.objects.filter(**filters)
        .select_related("category", "activity")
        .order_by("activity__order", "activity_id", "order", "pk")
    )
    by_project: dict[int, list[CostLine]] = defaultdict(list)
    for line in lines:
        by_project[line.activity.project_id].append(line)
    return {
        project_id: _cost_table(project_lines, activity_labels)
        for project_id, project_lines in by_project.items()
    }


def _cost_table(project_lines, activity_labels) -> CostTable:
    """``project_lines`` ordered by activity; one group per activity, in the
    order of the sheet's activity numbers ("1", "1.1", "2" …)."""
    # A line without a category gets the last column, "ไม่ระบุหมวด".
    categories = sorted(
        {line.category for line in project_lines},
        key=lambda c: (c is None, c.order if c else 0, c.pk if c else 0),
    )
    index = {c.pk if c else None: i for i, c in enumerate(categories)}
    totals = [ZERO] * len(categories)
    groups: dict[int, CostGroup] = {}
    for line in project_lines:
        amounts: list[Decimal | None] = [None] * len(categories)
        amounts[index[line.category_id]] = line.amount
        totals[index[line.category_id]] += line.amount
        group = groups.setdefault(
            line.activity_id,
            CostGroup(activity_labels.get(line.activity_id, ""), [], ZERO),
        )
        group.rows.append(
            {
                "description": line.description,
                "formula": line.formula_text(),
                "category": line.category.name if line.category else UNCLASSIFIED,
                "amounts": amounts,
                "amount": line.amount,
            }
        )
        group.total += line.amount
    return CostTable(
        categories=[c.name if c else UNCLASSIFIED for c in categories],
        groups=[groups[pk] for pk in _in_sheet_order(groups, activity_labels)],
        totals=totals,
        total=sum(totals, ZERO),
    )


def _in_sheet_order(activity_ids, activity_labels: dict[int, str]) -> list[int]:
    """``activity_ids`` in the sheet's order (``activity_labels`` is built
    in that order); unknown ids last."""
    position = {pk: i for i, pk in enumerate(activity_labels)}
    return sorted(activity_ids, key=lambda pk: position.get(pk, len(position)))


def quarter_tables(
    activity_labels: dict[int, str], **filters
) -> dict[int, QuarterTable]:
    """The quarterly plan table of every project whose quarter plans match
    ``filters``, by project id: one row per activity, a total per quarter.
    One query."""
    plans = QuarterPlan.objects.filter(**filters).values_list(
        "activity__project_id", "activity_id", "quarter", "amount"
    )
    return _quarter_tables(plans, activity_labels)


def frozen_quarter_tables(
    frozen: dict[int, dict], activity_labels: dict[int, str]
) -> dict[int, QuarterTable]:
    """The quarterly plan table of each frozen copy that kept its quarterly
    plans (``projects.selectors.frozen_versions``), by project id, from those
    plans (no query): the approved version's table, as :func:`quarter_tables`
    prints a live one. A copy frozen before snapshots kept them has none."""
    plans = [
        (project_id, row["activity_id"], row["quarter"], money(row["amount"]))
        for project_id, snapshot in frozen.items()
        for row in snapshot.get("quarter_plans", ())
    ]
    return _quarter_tables(plans, activity_labels)


def _quarter_tables(plans, activity_labels) -> dict[int, QuarterTable]:
    """Tables from (project id, activity id, quarter, amount) rows."""
    grid: dict[int, dict[int, list[Decimal]]] = defaultdict(dict)
    for project_id, activity_id, quarter, amount in plans:
        row = grid[project_id].setdefault(activity_id, [ZERO] * 4)
        row[quarter - 1] += amount
    tables = {}
    for project_id, activities in grid.items():
        rows = [
            {
                "activity": activity_labels.get(activity_id, ""),
                "amounts": activities[activity_id],
                "total": sum(activities[activity_id], ZERO),
            }
            for activity_id in _in_sheet_order(activities, activity_labels)
        ]
        totals = [sum((row["amounts"][q] for row in rows), ZERO) for q in range(4)]
        tables[project_id] = QuarterTable(
            rows=rows, totals=totals, total=sum(totals, ZERO)
        )
    return tables


# ------------------------------------------------------------------ plan book chapters


@dataclass
class SpendingPlan:
    """Seed 000's แผนการใช้จ่ายงบประมาณ: part 1 the office's running costs as
    its named lines, part 2 the projects, then the whole year's total."""

    operating: list
    #: the projects, read through :func:`with_project_budget`, in book order
    projects: list

    @property
    def operating_total(self) -> Decimal:
        return sum((line.amount for line in self.operating), ZERO)

    @property
    def project_total(self) -> Decimal:
        return sum((project.total_budget for project in self.projects), ZERO)

    @property
    def total(self) -> Decimal:
        return self.operating_total + self.project_total


def spending_plan(organization, fiscal_year: int, projects: list) -> SpendingPlan:
    """The spending plan of an office's year (one query: its running costs).

    ``projects`` are the year's projects already summed by
    :func:`with_project_budget` (the budget summary's), so the chapter's
    project amounts are the very figures of the summary tables around it."""
    operating = list(
        OperatingCost.objects.filter(
            organization=organization, fiscal_year=fiscal_year
        ).order_by("order", "pk")
    )
    return SpendingPlan(operating=operating, projects=projects)


@dataclass
class AlignmentTotal:
    key: object
    label: str
    project_count: int = 0
    total_budget: Decimal = ZERO


@dataclass
class AlignmentSummary:
    """Projects and their money by what they align with (an OBEC strategy,
    an office strategy). A project aligned with several is counted under
    each row; the total counts it once, so ``overlap`` says when the rows
    add up to more than the total."""

    rows: list[AlignmentTotal]
    unaligned: AlignmentTotal
    project_count: int
    total_budget: Decimal

    @property
    def overlap(self) -> bool:
        counted = sum(row.project_count for row in self.rows)
        return counted + self.unaligned.project_count > self.project_count


def alignment_totals(
    items: list[tuple[set, Decimal]], columns: list[tuple[object, str]]
) -> AlignmentSummary:
    """Count and add up ``items`` (each project's linked keys and its
    budget) under ``columns`` (key, label), in the columns' order. No query:
    the amounts are the roll-ups' own (:func:`with_project_budget`)."""
    rows = {key: AlignmentTotal(key, label) for key, label in columns}
    unaligned = AlignmentTotal(None, "")
    total = ZERO
    for keys, amount in items:
        total += amount
        hits = [rows[key] for key in keys if key in rows] or [unaligned]
        for row in hits:
            row.project_count += 1
            row.total_budget += amount
    return AlignmentSummary(list(rows.values()), unaligned, len(items), total)


# ---------------------------------------------------------- disbursement targets


def disbursement_target_percents(organization, fiscal_year: int) -> dict[int, Decimal]:
    """Cumulative target % per quarter: the office's own, else the shared
    default (a row with no office). One query."""
    rows = DisbursementTarget.objects.filter(fiscal_year=fiscal_year).filter(
        Q(organization=organization) | Q(organization__isnull=True)
    )
    targets: dict[int, Decimal] = {}
    # Defaults first so an office-specific row overrides them.
    for row in sorted(rows, key=lambda row: row.organization_id is not None):
        targets[row.quarter] = row.cumulative_percent
    return targets


#: Issue 17 item 4: the traffic light of paid-to-date against the government's
#: cumulative target of the current quarter. Green at or above the target,
#: amber up to ``AMBER_POINTS`` percentage points below it, red further below.
#: Written once here; the screens print :data:`LIGHT_RULE`.
AMBER_POINTS = Decimal(10)
GREEN, AMBER, RED = "green", "amber", "red"
LIGHT_LABELS = {
    GREEN: "เขียว: ถึงเป้าหมาย",
    AMBER: "เหลือง: ต่ำกว่าเป้าหมายไม่เกิน 10 จุด",
    RED: "แดง: ต่ำกว่าเป้าหมายเกิน 10 จุด",
}
LIGHT_RULE = (
    "เทียบร้อยละการเบิกจ่ายสะสมถึงวันนี้ (ของงบประมาณโครงการที่อนุมัติแล้ว) "
    "กับเป้าหมายการเบิกจ่ายสะสมของไตรมาสปัจจุบัน: "
    "สีเขียว เมื่อถึงหรือเกินเป้าหมาย · "
    "สีเหลือง เมื่อต่ำกว่าเป้าหมายไม่เกิน 10 จุดร้อยละ · "
    "สีแดง เมื่อต่ำกว่าเป้าหมายเกิน 10 จุดร้อยละ"
)
NO_TARGET = "ยังไม่ได้กำหนดเป้าหมายการเบิกจ่ายสะสมของไตรมาสนี้"


def target_light(percent: Decimal, target: Decimal | None) -> str | None:
    """The light of a paid ``percent`` against a ``target`` percent
    (``None`` when the quarter has no target)."""
    if target is None:
        return None
    if percent >= target:
        return GREEN
    if percent >= target - AMBER_POINTS:
        return AMBER
    return RED


@dataclass(frozen=True)
class TargetRow:
    """One office, group or project: its budget and what is paid to date."""

    label: str
    budget: Decimal
    paid: Decimal
    target: Decimal | None
    pk: int | None = None

    @property
    def percent(self) -> Decimal:
        return percent_of(self.paid, self.budget)

    @property
    def light(self) -> str | None:
        return target_light(self.percent, self.target)

    @property
    def light_label(self) -> str:
        return LIGHT_LABELS.get(self.light, NO_TARGET)


@dataclass(frozen=True)
class TargetComparison:
    """Paid-to-date against the current quarter's cumulative target, for the
    office, its groups and (when asked) the projects."""

    quarter: int | None
    target: Decimal | None
    as_of: datetime.date
    office: TargetRow
    groups: list[TargetRow]
    projects: list[TargetRow]
    rule: str = LIGHT_RULE


def target_quarter(fiscal_year: int, today: datetime.date) -> int | None:
    """The quarter whose target applies on ``today``: the current one within
    the year, the fourth once the year has ended, none before it starts."""
    start, end = fiscal_year_range(fiscal_year)
    if today < start:
        return None
    if today > end:
        return 4
    return fiscal_quarter_of(today)


def target_comparison(
    organization,
    fiscal_year: int,
    *,
    today: datetime.date,
    group_ids=None,
    with_projects: bool = False,
) -> TargetComparison:
    """Issue 17 item 4, computed once for every dashboard: each approved
    project's budget and its payments up to ``today`` (two ``GROUP BY``
    queries), added up per group and for the office, each compared with the
    cumulative target of ``today``'s quarter. Four queries whatever the
    number of projects: targets, projects, cost lines, payments.

    Approved projects only: a draft's cost lines are a proposal, money that
    cannot be paid yet, and would pull the office below its target.
    ``group_ids`` narrows the groups and projects (a group head's own); the
    office row is always the whole office.
    """
    quarter = target_quarter(fiscal_year, today)
    targets = disbursement_target_percents(organization, fiscal_year)
    target = targets.get(quarter) if quarter else None
    projects = list(
        Project.objects.filter(
            **_office_year(organization, fiscal_year, approved_only=True, path="")
        )
        .select_related("group")
        .order_by("group__order", "group__name", "sequence", "pk")
    )
    ids = [project.pk for project in projects]
    budgets = _sums_by(
        CostLine.objects.filter(activity__project__in=ids), "activity__project"
    )
    paid = _sums_by(
        Disbursement.objects.filter(activity__project__in=ids, paid_on__lte=today),
        "activity__project",
    )
    groups: dict[int, list] = defaultdict(list)
    for project in projects:
        groups[project.group_id].append(project)
    wanted = set(group_ids) if group_ids is not None else None

    def row(label, members, pk=None) -> TargetRow:
        return TargetRow(
            label=label,
            budget=sum((budgets.get(p.pk, ZERO) for p in members), ZERO),
            paid=sum((paid.get(p.pk, ZERO) for p in members), ZERO),
            target=target,
            pk=pk,
        )

    return TargetComparison(
        quarter=quarter,
        target=target,
        as_of=today,
        office=row(organization.name, projects, organization.pk),
        groups=[
            row(members[0].group.display_name, members, group_id)
            for group_id, members in groups.items()
            if wanted is None or group_id in wanted
        ],
        projects=[
            row(project.name, [project], project.pk)
            for project in projects
            if with_projects and (wanted is None or project.group_id in wanted)
        ],
    )
