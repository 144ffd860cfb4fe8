"""Figures of many offices at once, computed from the live tables (issue 20).

The network pages read these figures from the roll-up
(:mod:`network.selectors`, :class:`network.models.OfficeYearFigures`); the
functions here are what the roll-up is computed from
(``network.services.refresh_figures``) and tested against.

Every function takes ``offices``, a queryset of offices (from
:func:`core.rules.offices_overseen`, a path-prefix filter), and nests it as a
subquery: each table is read once with ``GROUP BY office``, so a page runs the
same number of queries for 3 offices or 245 (``tests/network`` pins it). The
rows are put together in Python from those few result sets, never by asking
the database once per office.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Max, Q, Subquery

from budgets.models import (
    Allocation,
    CostLine,
    Disbursement,
    DisbursementTarget,
    money_sum,
)
from budgets.rollups import LIGHT_LABELS, NO_TARGET, target_light, target_quarter
from core.models import Organization
from core.thai import ZERO, percent_of
from plans.models import Indicator, IndicatorTarget, Plan, PolicyItem
from progress.models import ProgressReport, ReportingRound
from projects.models import Project
from reports.models import IndicatorResult

ROUNDS = (1, 2, 3, 4)
SENT = (ProgressReport.State.SUBMITTED, ProgressReport.State.ACCEPTED)
PLAN_NONE = "ยังไม่มีแผน"


def office_list(offices) -> list[dict]:
    """``pk``, ``short_name`` and ``kind`` of each office, by name. One query."""
    return list(offices.order_by("short_name").values("pk", "short_name", "kind"))


def approved_projects(offices, fiscal_year: int, path: str = ""):
    return {
        f"{path}plan__organization__in": offices,
        f"{path}plan__fiscal_year": fiscal_year,
        f"{path}status": Project.Status.APPROVED,
    }


def _by_office(queryset, key: str, **annotations) -> dict:
    rows = queryset.order_by().values(key).annotate(**annotations)
    return {row[key]: row for row in rows}


# ------------------------------------------------------------------ compliance


@dataclass
class ComplianceRow:
    office: dict
    plan_status: str
    plan_approved: bool
    projects: int
    #: round number -> (sent, on time) counts, ``None`` when no round yet
    rounds: dict = field(default_factory=dict)

    def on_time_percent(self, number: int) -> Decimal | None:
        counts = self.rounds.get(number)
        if counts is None:
            return None
        return percent_of(Decimal(counts[1]), Decimal(self.projects))


def compliance_live(offices, fiscal_year: int) -> list[ComplianceRow]:
    """Which offices have an approved plan, and which reported each progress
    round on time: a report counts when submitted (or accepted) by the
    round's due date; the share is of the office's approved projects. Five
    queries whatever the number of offices."""
    listed = office_list(offices)
    plans = dict(
        Plan.objects.filter(organization__in=offices, fiscal_year=fiscal_year)
        .order_by()
        .values_list("organization_id", "status")
    )
    projects = _by_office(
        Project.objects.filter(**approved_projects(offices, fiscal_year)),
        "plan__organization",
        n=Count("pk"),
    )
    rounds = {
        (organization_id, number)
        for organization_id, number in ReportingRound.objects.filter(
            organization__in=offices, fiscal_year=fiscal_year
        ).values_list("organization_id", "number")
    }
    sent = Q(state__in=SENT)
    reports = (
        ProgressReport.objects.filter(
            round__organization__in=offices,
            round__fiscal_year=fiscal_year,
            project__status=Project.Status.APPROVED,
        )
        .order_by()
        .values("round__organization", "round__number")
        .annotate(
            sent=Count("pk", filter=sent),
            on_time=Count(
                "pk", filter=sent & Q(submitted_at__date__lte=F("round__due_date"))
            ),
        )
    )
    counts = {
        (row["round__organization"], row["round__number"]): (
            row["sent"],
            row["on_time"],
        )
        for row in reports
    }
    status_labels = dict(Plan.Status.choices)
    result = []
    for office in listed:
        pk = office["pk"]
        status = plans.get(pk)
        result.append(
            ComplianceRow(
                office=office,
                plan_status=status_labels.get(status, PLAN_NONE),
                plan_approved=status == Plan.Status.APPROVED,
                projects=projects.get(pk, {}).get("n", 0),
                rounds={
                    number: counts.get((pk, number), (0, 0))
                    for number in ROUNDS
                    if (pk, number) in rounds
                },
            )
        )
    return result


# ------------------------------------------------------------------ money


@dataclass
class MoneyRow:
    office: dict
    allocated: Decimal
    budget: Decimal
    paid: Decimal
    target: Decimal | None

    @property
    def percent(self) -> Decimal:
        return percent_of(self.paid, self.budget)

    @property
    def light(self) -> str | None:
        return target_light(self.percent, self.target)

    @property
    def light_label(self) -> str:
        return LIGHT_LABELS.get(self.light, NO_TARGET)


def quarter_targets(
    offices, fiscal_year: int, quarter: int | None
) -> tuple[dict, Decimal]:
    """Each office's own cumulative target of ``quarter``, and the shared
    default (a row with no office), as ``budgets.rollups`` reads them for one
    office. One query."""
    if quarter is None:
        return {}, None
    rows = DisbursementTarget.objects.filter(
        fiscal_year=fiscal_year, quarter=quarter
    ).filter(Q(organization__in=offices) | Q(organization__isnull=True))
    own, default = {}, None
    for organization_id, percent in rows.values_list(
        "organization_id", "cumulative_percent"
    ):
        if organization_id is None:
            default = percent
        else:
            own[organization_id] = percent
    return own, default


def money_sums(offices, fiscal_year: int, today: datetime.date | None) -> tuple:
    """Allocated, approved project budget, and paid up to ``today`` (``None``:
    whatever the date) by office: ``({pk: total}, {pk: total}, {pk: (paid,
    last paid_on)})``. Three queries whatever the number of offices."""
    allocated = dict(
        Allocation.objects.filter(organization__in=offices, fiscal_year=fiscal_year)
        .order_by()
        .values("organization")
        .annotate(total=money_sum())
        .values_list("organization", "total")
    )
    office_key = "activity__project__plan__organization"
    budgets = dict(
        CostLine.objects.filter(
            **approved_projects(offices, fiscal_year, "activity__project__")
        )
        .order_by()
        .values(office_key)
        .annotate(total=money_sum())
        .values_list(office_key, "total")
    )
    payments = Disbursement.objects.filter(
        **approved_projects(offices, fiscal_year, "activity__project__")
    )
    if today is not None:
        payments = payments.filter(paid_on__lte=today)
    paid = {
        pk: (total, last)
        for pk, total, last in payments.order_by()
        .values(office_key)
        .annotate(total=money_sum(), last=Max("paid_on"))
        .values_list(office_key, "total", "last")
    }
    return allocated, budgets, paid


def office_budget_and_paid(
    pk: int, fiscal_year: int, today: datetime.date
) -> tuple[Decimal, Decimal]:
    """One office's approved project budget and what it paid up to ``today``:
    :func:`money_sums`' two figures for a single office, in one query (two
    grouped subqueries over that office's rows)."""
    office_key = "activity__project__plan__organization"
    approved = approved_projects([pk], fiscal_year, "activity__project__")
    budget = (
        CostLine.objects.filter(**approved)
        .order_by()
        .values(office_key)
        .annotate(total=money_sum())
        .values("total")
    )
    paid = (
        Disbursement.objects.filter(**approved, paid_on__lte=today)
        .order_by()
        .values(office_key)
        .annotate(total=money_sum())
        .values("total")
    )
    budget_total, paid_total = (
        Organization.objects.filter(pk=pk)
        .annotate(budget=Subquery(budget), paid=Subquery(paid))
        .values_list("budget", "paid")
        .get()
    )
    return budget_total or ZERO, paid_total or ZERO


def money_live(offices, fiscal_year: int, today: datetime.date) -> list[MoneyRow]:
    """Allocated, approved project budget and paid up to ``today`` by office,
    each against the government's cumulative target of ``today``'s quarter,
    with the dashboards' traffic light (``budgets.rollups.target_light``),
    computed from the live tables. Five queries whatever the number of
    offices, each a ``GROUP BY`` over all their rows: the pages read
    :func:`money` instead."""
    listed = office_list(offices)
    allocated, budgets, paid = money_sums(offices, fiscal_year, today)
    own, default = quarter_targets(
        offices, fiscal_year, target_quarter(fiscal_year, today)
    )
    return [
        MoneyRow(
            office=office,
            allocated=allocated.get(office["pk"], ZERO),
            budget=budgets.get(office["pk"], ZERO),
            paid=paid.get(office["pk"], (ZERO, None))[0],
            target=own.get(office["pk"], default),
        )
        for office in listed
    ]


# ------------------------------------------------------------------ policy


#: The OBEC items projects are aligned to on the network's policy page.
OBEC_KINDS = (PolicyItem.Kind.OBEC_POLICY, PolicyItem.Kind.OBEC_STRATEGY)


@dataclass
class PolicyRow:
    item: PolicyItem
    offices: int
    projects: int
    budget: Decimal


def policy_live(offices, fiscal_year: int) -> list[PolicyRow]:
    """Approved projects and their budget per OBEC policy and strategy item,
    across the offices: how many offices and projects serve each item. A
    project aligned to two items counts under both (the rows do not add up
    to the network's total). Three queries whatever the number of offices."""
    items = list(
        PolicyItem.objects.filter(kind__in=OBEC_KINDS).order_by("kind", "order", "code")
    )
    counts = _by_office(
        Project.policy_items.through.objects.filter(
            policyitem__kind__in=OBEC_KINDS,
            **approved_projects(offices, fiscal_year, "project__"),
        ),
        "policyitem",
        projects=Count("project", distinct=True),
        offices=Count("project__plan__organization", distinct=True),
    )
    item_key = "activity__project__policy_items"
    budgets = dict(
        CostLine.objects.filter(
            **approved_projects(offices, fiscal_year, "activity__project__"),
            activity__project__policy_items__kind__in=OBEC_KINDS,
        )
        .order_by()
        .values(item_key)
        .annotate(total=money_sum())
        .values_list(item_key, "total")
    )
    return [
        PolicyRow(
            item=item,
            offices=counts.get(item.pk, {}).get("offices", 0),
            projects=counts.get(item.pk, {}).get("projects", 0),
            budget=budgets.get(item.pk, ZERO),
        )
        for item in items
    ]


def policy_by_office(offices, fiscal_year: int) -> dict:
    """``{office pk: {item pk: [projects, budget]}}`` for the OBEC items, the
    roll-up's share of :func:`policy_live`: projects are counted per office
    (a project belongs to one office, so the offices' counts add up to the
    network's). Two queries whatever the number of offices."""
    office_key = "project__plan__organization"
    result: dict = {}
    links = (
        Project.policy_items.through.objects.filter(
            policyitem__kind__in=OBEC_KINDS,
            **approved_projects(offices, fiscal_year, "project__"),
        )
        .order_by()
        .values_list(office_key, "policyitem")
        .annotate(projects=Count("project", distinct=True))
    )
    for office, item, projects in links:
        result.setdefault(office, {})[item] = [projects, ZERO]
    line_office = "activity__project__plan__organization"
    item_key = "activity__project__policy_items"
    budgets = (
        CostLine.objects.filter(
            **approved_projects(offices, fiscal_year, "activity__project__"),
            activity__project__policy_items__kind__in=OBEC_KINDS,
        )
        .order_by()
        .values_list(line_office, item_key)
        .annotate(total=money_sum())
    )
    for office, item, total in budgets:
        result.setdefault(office, {}).setdefault(item, [0, ZERO])[1] = total
    return result


# ------------------------------------------------------------------ indicators


@dataclass
class IndicatorRow:
    office: dict
    indicators: int = 0
    reported: int = 0
    achieved: int = 0

    @property
    def percent(self) -> Decimal:
        return percent_of(Decimal(self.achieved), Decimal(self.indicators))


def indicators_live(offices, fiscal_year: int) -> list[IndicatorRow]:
    """Strategy indicators of each office's plan: how many, how many have a
    result for the year, how many met the year's target (the same
    ``IndicatorResult.achieved`` as the office's KPI report). Four queries
    whatever the number of offices; the verdicts are worked out in Python
    from those rows, as the rule (operators, text targets, overrides) is."""
    listed = office_list(offices)
    path = {
        "strategy__plan__organization__in": offices,
        "strategy__plan__fiscal_year": fiscal_year,
    }
    owners = dict(
        Indicator.objects.filter(**path)
        .order_by()
        .values_list("pk", "strategy__plan__organization")
    )
    nested = {f"indicator__{key}": value for key, value in path.items()}
    targets = {
        target.indicator_id: target
        for target in IndicatorTarget.objects.filter(**nested, fiscal_year=fiscal_year)
    }
    rows = {office["pk"]: IndicatorRow(office) for office in listed}
    for owner in owners.values():
        rows[owner].indicators += 1
    for result in IndicatorResult.objects.filter(**nested, fiscal_year=fiscal_year):
        row = rows[owners[result.indicator_id]]
        row.reported += 1
        if result.achieved(targets.get(result.indicator_id)):
            row.achieved += 1
    return list(rows.values())
