"""Rate checks: cost lines whose rate exceeds the Finance Ministry's highest
rate for their kind (meals, snacks, speakers, per-diem, lodging).

The one home of the rule: the project-sheet editor (after a save), the plan
import preview and the plan checker all call :func:`check`. A rate above
the table is a *warning*, never a refusal: the tables are figures an office
must check against the current regulations, a line may be priced per day
where the table counts per hour, and the director may approve a higher rate
in writing. What the warning says is which line, its rate, the highest rate
and the rule, so the planner can look.

A cost line is recognised by words in its description (``RateLimit.
match_words``, see :func:`match`): the longest word found wins, so
"ค่าอาหารว่างและเครื่องดื่ม" is a snack (อาหารว่าง) rather than a meal
(ค่าอาหาร). Only lines with a rate are checked: an amount typed without a
rate says nothing per unit.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from budgets.models import RateLimit
from core.thai import format_baht

RATE_ABOVE_LIMIT = (
    "“{line}” อัตรา {rate} บาท เกินอัตราสูงสุด {limit} {unit} ({label}) "
    "ตาม{reference} กรุณาตรวจสอบอัตราหรือหน่วยนับ"
)
RATE_ABOVE_LIMIT_NO_REFERENCE = (
    "“{line}” อัตรา {rate} บาท เกินอัตราสูงสุด {limit} {unit} ({label}) "
    "กรุณาตรวจสอบอัตราหรือหน่วยนับ"
)


@dataclass(frozen=True)
class RateWarning:
    """One cost line above its highest rate. ``line`` is the object given
    to :func:`check` (a cost line, saved or not, or an import row)."""

    line: object
    limit: RateLimit
    rate: Decimal

    @property
    def message(self) -> str:
        template = (
            RATE_ABOVE_LIMIT if self.limit.reference else RATE_ABOVE_LIMIT_NO_REFERENCE
        )
        description = str(getattr(self.line, "description", "")).strip()
        if len(description) > 60:
            description = description[:59] + "…"
        return template.format(
            line=description,
            rate=format_baht(self.rate),
            limit=format_baht(self.limit.max_rate),
            unit=self.limit.unit,
            label=self.limit.label,
            reference=self.limit.reference,
        )

    def __str__(self) -> str:
        return self.message


def limits_for(fiscal_year: int, organization=None) -> list[RateLimit]:
    """The limits in force for ``organization`` in ``fiscal_year``: the
    newest shared table's from that year or before, each kind replaced by
    the office's own newest table's when it has that kind. One query (the
    limits of every candidate table with their table; tables are few)."""
    organization_id = getattr(organization, "pk", organization)
    offices = Q(table__organization__isnull=True)
    if organization_id is not None:
        offices |= Q(table__organization_id=organization_id)
    limits = list(
        RateLimit.objects.filter(offices, table__fiscal_year__lte=fiscal_year)
        .select_related("table")
        .order_by("order", "pk")
    )

    def newest(own: bool) -> int | None:
        years = {
            limit.table.fiscal_year
            for limit in limits
            if (limit.table.organization_id is not None) == own
        }
        return max(years) if years else None

    shared_year, own_year = newest(False), newest(True)
    shared = [
        limit
        for limit in limits
        if limit.table.organization_id is None
        and limit.table.fiscal_year == shared_year
    ]
    own = [
        limit
        for limit in limits
        if limit.table.organization_id is not None
        and limit.table.fiscal_year == own_year
    ]
    own_kinds = {limit.kind for limit in own}
    return [
        limit
        for limit in shared + own
        if limit.table.organization_id is not None or limit.kind not in own_kinds
    ]


def match(description: str, limits: Iterable[RateLimit]) -> RateLimit | None:
    """The limit a cost line is held to, None when no match word is in its
    ``description``.

    Words are found longest first, and a shorter word overlapping a longer
    one found is not a match of its own: "ค่าอาหารว่างและเครื่องดื่ม" is a
    snack (อาหารว่าง), not also a meal (ค่าอาหาร), and "วิทยากรภาครัฐ" is
    not also the plain "วิทยากร". A line naming two kinds side by side
    ("ค่าอาหาร อาหารว่างและเครื่องดื่ม", seed 000) cannot be split, so it is
    held to the highest of their limits: a warning then means the rate is
    above every rate that could apply.
    """
    text = " ".join((description or "").split())
    found = []
    for limit in limits:
        for word in limit.words:
            start = text.find(word)
            while start >= 0:
                found.append((start, start + len(word), limit))
                start = text.find(word, start + 1)
    kept = []
    for start, end, limit in sorted(found, key=lambda m: m[0] - m[1]):
        if all(
            end <= other_start or start >= other_end
            for other_start, other_end, _ in kept
        ):
            kept.append((start, end, limit))
    if not kept:
        return None
    return max((limit for _, _, limit in kept), key=lambda limit: limit.max_rate)


def check(
    cost_lines: Iterable, fiscal_year: int, organization=None, *, limits=None
) -> list[RateWarning]:
    """The ``cost_lines`` whose ``rate`` exceeds the highest rate of their
    kind, in the order given. A line at exactly the limit is not flagged.

    ``cost_lines`` are anything with ``description`` and ``rate`` (saved or
    unsaved ``CostLine`` objects, the import's rows). ``limits`` may be
    passed when the caller checks many plans of one year (read once).
    """
    if limits is None:
        limits = limits_for(fiscal_year, organization)
    if not limits:
        return []
    warnings = []
    for line in cost_lines:
        rate = getattr(line, "rate", None)
        if rate is None:
            continue
        limit = match(getattr(line, "description", ""), limits)
        if limit is not None and Decimal(rate) > limit.max_rate:
            warnings.append(RateWarning(line, limit, Decimal(rate)))
    return warnings
