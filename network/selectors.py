"""The network pages' figures (issue 20), read from the roll-up.

Each page reads :class:`network.models.OfficeYearFigures`, one row per
office and year, refreshed first for the offices whose data moved
(:func:`network.services.office_figures`): three queries for 245 fresh
offices, where the live computation (:mod:`network.live`) runs a
whole-table ``GROUP BY`` over every cost line and payment of the network.
The rows' shapes (``ComplianceRow`` …) are the live module's, so a page
cannot tell which it was given.
"""

import datetime
import statistics
from dataclasses import dataclass
from decimal import Decimal

from budgets.models import Disbursement, money_sum
from budgets.rollups import target_quarter
from core.models import Organization
from core.thai import ZERO, percent_of
from network import services
from network.live import (
    OBEC_KINDS,
    PLAN_NONE,
    ROUNDS,
    ComplianceRow,
    IndicatorRow,
    MoneyRow,
    PolicyRow,
    approved_projects,
    office_budget_and_paid,
    office_list,
    quarter_targets,
)
from plans.models import Plan, PolicyItem

__all__ = [
    "OBEC_KINDS",
    "ROUNDS",
    "ComplianceRow",
    "IndicatorRow",
    "MedianComparison",
    "MoneyRow",
    "PolicyRow",
    "compliance",
    "disbursed_median",
    "indicators",
    "money",
    "office_list",
    "policy",
]


def _figures(listed: list[dict], fiscal_year: int) -> dict:
    return services.office_figures([office["pk"] for office in listed], fiscal_year)


def compliance(offices, fiscal_year: int) -> list[ComplianceRow]:
    """:func:`compliance_live` from the roll-up."""
    listed = office_list(offices)
    figures = _figures(listed, fiscal_year)
    status_labels = dict(Plan.Status.choices)
    result = []
    for office in listed:
        row = figures[office["pk"]]
        result.append(
            ComplianceRow(
                office=office,
                plan_status=status_labels.get(row.plan_status, PLAN_NONE),
                plan_approved=row.plan_status == Plan.Status.APPROVED,
                projects=row.projects,
                rounds={
                    number: tuple(row.rounds[str(number)])
                    for number in ROUNDS
                    if str(number) in row.rounds
                },
            )
        )
    return result


def _paid_after(figures: dict, fiscal_year: int, today: datetime.date) -> dict:
    """What each office paid after ``today`` (a page of a past day within
    the year): the roll-up holds every payment. Asks only about offices
    whose latest payment is later than ``today``; no query when none is."""
    later = [
        pk
        for pk, row in figures.items()
        if row.last_paid_on and row.last_paid_on > today
    ]
    if not later:
        return {}
    office_key = "project__plan__organization"
    return dict(
        Disbursement.objects.filter(
            **approved_projects(later, fiscal_year, "project__"), paid_on__gt=today
        )
        .order_by()
        .values(office_key)
        .annotate(total=money_sum())
        .values_list(office_key, "total")
    )


def _paid_until(figures: dict, fiscal_year: int, today: datetime.date) -> dict:
    after = _paid_after(figures, fiscal_year, today)
    return {pk: row.paid - after.get(pk, ZERO) for pk, row in figures.items()}


def money(offices, fiscal_year: int, today: datetime.date) -> list[MoneyRow]:
    """:func:`money_live` from the roll-up (the targets are read live: one
    small query)."""
    listed = office_list(offices)
    figures = _figures(listed, fiscal_year)
    paid = _paid_until(figures, fiscal_year, today)
    own, default = quarter_targets(
        offices, fiscal_year, target_quarter(fiscal_year, today)
    )
    return [
        MoneyRow(
            office=office,
            allocated=figures[office["pk"]].allocated,
            budget=figures[office["pk"]].budget,
            paid=paid[office["pk"]],
            target=own.get(office["pk"], default),
        )
        for office in listed
    ]


def policy(offices, fiscal_year: int) -> list[PolicyRow]:
    """:func:`policy_live` from the roll-up: each item's projects and budget
    are the sums of the offices', its offices those with a project."""
    listed = office_list(offices)
    figures = _figures(listed, fiscal_year)
    totals: dict = {}
    for row in figures.values():
        for item, (projects, budget) in row.policy.items():
            total = totals.setdefault(int(item), [0, 0, ZERO])
            total[0] += 1 if projects else 0
            total[1] += projects
            total[2] += Decimal(budget)
    items = PolicyItem.objects.filter(kind__in=OBEC_KINDS).order_by(
        "kind", "order", "code"
    )
    return [
        PolicyRow(
            item=item,
            offices=totals.get(item.pk, [0, 0, ZERO])[0],
            projects=totals.get(item.pk, [0, 0, ZERO])[1],
            budget=totals.get(item.pk, [0, 0, ZERO])[2],
        )
        for item in items
    ]


def indicators(offices, fiscal_year: int) -> list[IndicatorRow]:
    """:func:`indicators_live` from the roll-up."""
    listed = office_list(offices)
    figures = _figures(listed, fiscal_year)
    return [
        IndicatorRow(
            office,
            indicators=figures[office["pk"]].indicators,
            reported=figures[office["pk"]].indicators_reported,
            achieved=figures[office["pk"]].indicators_achieved,
        )
        for office in listed
    ]


# ------------------------------------------------------------------ median

#: What the median reads of each roll-up row (not the JSON of the rounds and
#: the policy items: 245 rows of them to decode for one percentage).
MEDIAN_FIELDS = ("budget", "paid", "last_paid_on")


@dataclass(frozen=True)
class MedianComparison:
    """An office's own figure beside the median of the offices of its
    network (issue 20 item 3): no other office is named."""

    label: str
    own: Decimal
    median: Decimal | None
    offices: int


def disbursed_median(
    organization,
    fiscal_year: int,
    today: datetime.date,
    own: tuple[Decimal, Decimal] | None = None,
) -> MedianComparison:
    """The office's paid percentage of its approved project budget against the
    median of every office of its network that has an approved budget. The
    root is found from the office's path (no query); the other offices'
    figures are the roll-up's (:func:`money`'s), so a director's dashboard
    reads a row per office, not the network's payments.

    The office's own two figures are read live (one query over its own rows,
    :func:`network.live.office_budget_and_paid`) rather than from its roll-up
    row: a director looks at the dashboard right after the office changed
    something, when its row is stale for :data:`services.STAMP_MARGIN` and
    would be recomputed (sixteen queries) on every view. Its live figures are
    what that recompute would give. Four queries when the other offices are
    fresh, whatever the office just did; three when the caller already has
    the two figures (``own``: approved projects' budget and payments up to
    ``today``, as ``budgets.rollups.target_comparison``'s office row)."""
    root_pk = int(
        (organization.path or f"/{organization.pk}/").strip("/").split("/")[0]
    )
    peers = list(
        Organization.objects.offices()
        .filter(path__startswith=f"/{root_pk}/")
        .values_list("pk", flat=True)
    )
    others = [pk for pk in peers if pk != organization.pk]
    figures = services.office_figures(others, fiscal_year, fields=MEDIAN_FIELDS)
    paid = _paid_until(figures, fiscal_year, today)
    percents = {
        pk: percent_of(paid[pk], row.budget)
        for pk, row in figures.items()
        if row.budget
    }
    if organization.pk in peers:
        budget, own_paid = own or office_budget_and_paid(
            organization.pk, fiscal_year, today
        )
        if budget:
            percents[organization.pk] = percent_of(own_paid, budget)
    return MedianComparison(
        label="ร้อยละการเบิกจ่ายสะสม (งบประมาณโครงการที่อนุมัติแล้ว)",
        own=percents.get(organization.pk, ZERO),
        median=statistics.median(percents.values()) if percents else None,
        offices=len(percents),
    )
