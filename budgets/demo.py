"""Demo money for the demo office, in the style of seed 000.

Runs after the projects demo: every activity of every demo project that uses
a budget gets realistic cost lines derived from its name and order, and a
quarterly plan equal to its cost. Envelopes are sized so the year reconciles
like seed 000 (office running costs + project money ≤ the allocation).

- The current fiscal year: disbursements for months already past.
- The previous fiscal year (when the projects demo built it): a finished
  year, each project paid quarter by quarter to about ร้อยละ 20 / 50 / 75 / 95
  of its budget (``PAST_YEAR_SHARES``), never beyond a cost line, recorded by
  the finance login through ``disbursement_record`` with voucher numbers
  ("ศธ 04178/…") in date order.

Called again on its own, it rebuilds the same year: natural keys are updated
in place, and the running costs, cost lines, quarter plans and disbursements
of the office's priced activities are deleted and recreated. That is why
``home.demo.load_demo`` runs it only on a demo office that holds no plan or
money yet; a user's disbursements are never deleted by ``make run``. The
national disbursement targets are only created when missing.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from budgets.models import (
    Allocation,
    BudgetSource,
    CostLine,
    Disbursement,
    DisbursementTarget,
    ExpenseCategory,
    OperatingCost,
    QuarterPlan,
)
from budgets.services import (
    activity_plan_quarters_by_months,
    activity_plan_quarters_even,
    disbursement_record,
    operating_costs_reset,
    operating_disbursement_record,
)
from core.models import Organization
from core.thai import (
    ZERO,
    current_fiscal_year,
    fiscal_month_dates,
    fiscal_year_range,
)
from projects.models import Activity, Project

DEMO_OFFICE = "สพป.ยโสธร เขต 2"

#: Seed 000: the office's running costs out of the 1,000,000-baht envelope.
RUNNING_COSTS = [
    ("utilities", "ค่าสาธารณูปโภค (ค่าไฟฟ้า ค่าน้ำประปา ค่าโทรศัพท์ ค่าไปรษณีย์)", 300000),
    ("temporary-wages", "ค่าจ้างลูกจ้างชั่วคราว", 320000),
    ("materials", "ค่าวัสดุน้ำมันเชื้อเพลิงและหล่อลื่น", 100000),
    (
        "services",
        "ค่าใช้จ่ายในการเดินทางไปราชการ เพื่อประเมินประสิทธิภาพและประสิทธิผล"
        "การปฏิบัติงานผู้บริหารสถานศึกษา",
        55000,
    ),
]
MAIN_ENVELOPE = Decimal("1000000")

#: Demo projects paid by money allocated for them (the others: the office's plan).
FUNDED_BY = {
    "โรงเรียนคุณภาพประจำตำบล": "obec",
    "ยกระดับผลสัมฤทธิ์ทางการเรียนระดับชาติขั้นพื้นฐาน (O-NET)": "obec",
    "ส่งเสริมความปลอดภัยในสถานศึกษา (MOE Safety Center)": "obec",
    "พัฒนาครูด้านการจัดการเรียนรู้วิทยาการคำนวณ (Coding)": "other-agency",
}

#: The government's usual cumulative disbursement targets (ร้อยละ, per quarter).
TARGETS = {1: Decimal("30"), 2: Decimal("54"), 3: Decimal("77"), 4: Decimal("100")}


@dataclass(frozen=True)
class Line:
    category: str
    description: str
    rate: Decimal
    times: int | None = None
    persons: int | None = None
    persons_unit: str = "คน"
    days: int | None = None
    days_unit: str = "วัน"
    amount: Decimal | None = None


def _lines_for(name: str, order: int) -> list[Line]:
    """Deterministic, realistic lines for an activity, from its name."""
    people = 20 + (order * 10) % 40  # 20–50 participants
    if any(word in name for word in ("นิเทศ", "ติดตาม", "เยี่ยม", "ตรวจ")):
        trips = 2 + order % 4
        return [
            Line("services", "ค่าเบี้ยเลี้ยงผู้นิเทศ", Decimal(240), times=trips, persons=3),
            Line("services", "ค่าพาหนะสำหรับผู้นิเทศ", Decimal(1500), times=trips),
            Line(
                "materials",
                "ค่าวัสดุและแบบนิเทศติดตาม",
                Decimal(20),
                persons=people * 5,
                persons_unit="ชุด",
            ),
        ]
    if any(
        word in name for word in ("รายงาน", "สรุป", "จัดทำ", "คู่มือ", "เอกสาร", "เผยแพร่")
    ):
        return [
            Line(
                "services",
                "ค่าอาหารว่างและเครื่องดื่มในการประชุมสรุปผล",
                Decimal(35),
                times=1,
                persons=12,
                days=2,
                days_unit="มื้อ",
            ),
            Line(
                "materials",
                "จัดทำเอกสารรายงานผลการดำเนินงาน",
                Decimal(60),
                persons=20,
                persons_unit="เล่ม",
            ),
        ]
    if any(word in name for word in ("ประกวด", "แข่งขัน", "ยกย่อง", "เชิดชู")):
        return [
            Line(
                "compensation",
                "ค่าตอบแทนคณะกรรมการตัดสิน",
                Decimal(500),
                times=1,
                persons=9,
            ),
            Line(
                "materials",
                "ค่าเกียรติบัตรและกรอบ",
                Decimal(50),
                persons=people * 2,
                persons_unit="ชุด",
            ),
            Line(
                "services", "ค่าอาหารกลางวันคณะกรรมการ", Decimal(100), times=1, persons=9
            ),
        ]
    # Meetings, workshops and training (ประชุม อบรม สัมมนา ปฏิบัติการ …).
    return [
        Line(
            "compensation",
            "ค่าตอบแทนวิทยากร",
            Decimal(600),
            times=1,
            persons=6,
            persons_unit="ชั่วโมง",
        ),
        Line("services", "ค่าอาหารกลางวัน", Decimal(100), times=1, persons=people),
        Line(
            "services",
            "ค่าอาหารว่างและเครื่องดื่ม",
            Decimal(35),
            times=1,
            persons=people,
            days=2,
            days_unit="มื้อ",
        ),
        Line(
            "materials",
            "ค่าวัสดุและเอกสารประกอบการประชุม",
            Decimal(50),
            persons=people,
            persons_unit="ชุด",
        ),
    ]


def _round_up(amount: Decimal, step: int = 10000) -> Decimal:
    return (amount / step).quantize(Decimal(1), rounding=ROUND_CEILING) * step


@transaction.atomic
def load_demo_budgets() -> None:
    """Money of the demo office for the current fiscal year and, when the
    projects demo built it, the whole previous year (idempotent)."""
    office = Organization.objects.filter(short_name=DEMO_OFFICE).first()
    if office is None:
        return
    fiscal_year = current_fiscal_year()
    today = timezone.localdate()
    finance = get_user_model().objects.filter(username="finance").first()

    def pay_so_far(activities):
        for activity in activities:
            _disburse(activity, fiscal_year=fiscal_year, today=today, user=finance)

    _build_year(office, fiscal_year, pay_so_far)

    previous = fiscal_year - 1
    if Project.objects.filter(
        plan__organization=office, plan__fiscal_year=previous
    ).exists():
        _build_year(
            office,
            previous,
            lambda activities: _disburse_past_year(
                activities, fiscal_year=previous, user=finance
            ),
        )
        _pay_running_costs_past_year(office, previous, user=finance)


#: Share of each running cost the demo office paid in a finished year.
RUNNING_PAID_SHARE = Decimal("0.98")


def _pay_running_costs_past_year(office, fiscal_year: int, *, user) -> None:
    """A finished year's running costs paid quarter by quarter, through the
    budgets service, so the annual report's budget table (seed 004's Table
    13) shows the office's own spending beside its projects'."""
    costs = OperatingCost.objects.filter(organization=office, fiscal_year=fiscal_year)
    start, end = fiscal_year_range(fiscal_year)
    for cost in costs.order_by("order", "pk"):
        paid = (cost.amount * RUNNING_PAID_SHARE).quantize(Decimal("0.01"))
        parts = [paid / 4] * 4
        parts = [part.quantize(Decimal("0.01")) for part in parts]
        parts[-1] = paid - sum(parts[:3], ZERO)
        for quarter, amount in enumerate(parts, start=1):
            paid_on = min(end, start + datetime.timedelta(days=91 * quarter - 1))
            operating_disbursement_record(
                user=user,
                cost=cost,
                amount=amount,
                paid_on=paid_on,
                document_number=f"{DOCUMENT_PREFIX}/ดง{cost.order}-{quarter}",
                as_command=user is None,
            )


def _build_year(office, fiscal_year: int, disburse) -> None:
    """Targets, running costs, cost lines, quarter plans, disbursements and
    envelopes of one fiscal year; ``disburse`` pays the priced activities."""
    categories = {category.code: category for category in ExpenseCategory.objects.all()}
    main_source = BudgetSource.objects.get(
        organization=None, code="basic-human-capital"
    )
    for quarter, percent in TARGETS.items():
        # Shared by every office: add the usual targets, never overwrite
        # the ones an administrator set.
        DisbursementTarget.objects.get_or_create(
            organization=None,
            fiscal_year=fiscal_year,
            quarter=quarter,
            defaults={"cumulative_percent": percent},
        )

    operating_costs_reset(organization=office, fiscal_year=fiscal_year)
    for order, (code, description, amount) in enumerate(RUNNING_COSTS, start=1):
        OperatingCost.objects.create(
            organization=office,
            fiscal_year=fiscal_year,
            source=main_source,
            category=categories[code],
            order=order,
            description=description,
            amount=amount,
        )

    # The demo projects named in FUNDED_BY are paid by money allocated for
    # them; the others priced here are funded from the main envelope, as in
    # seed 000. A source already chosen is kept.
    funded = {
        source.code: source.pk
        for source in BudgetSource.objects.filter(
            organization=None, code__in=FUNDED_BY.values()
        )
    }
    Project.objects.filter(
        plan__organization=office,
        plan__fiscal_year=fiscal_year,
        budget_source__isnull=True,
    ).update(
        budget_source=Case(
            *(
                When(name=name, then=Value(funded[code]))
                for name, code in FUNDED_BY.items()
                if code in funded
            ),
            When(uses_budget=True, then=Value(main_source.pk)),
            default=None,
            output_field=IntegerField(),
        )
    )
    activities = list(
        Activity.objects.filter(
            project__plan__organization=office,
            project__plan__fiscal_year=fiscal_year,
            project__uses_budget=True,
        )
        .select_related("project")
        .order_by("project__sequence", "project__pk", "order", "pk")
    )
    Disbursement.objects.filter(activity__in=activities).delete()
    QuarterPlan.objects.filter(activity__in=activities).delete()
    CostLine.objects.filter(activity__in=activities).delete()
    for activity in activities:
        _add_lines(activity, categories)
        _plan_quarters(activity)
    disburse(activities)

    _size_envelopes(office, fiscal_year, main_source)


def _add_lines(activity, categories) -> None:
    for order, line in enumerate(_lines_for(activity.name, activity.order), start=1):
        cost = CostLine(
            activity=activity,
            category=categories[line.category],
            order=order,
            description=line.description,
            times=line.times,
            persons=line.persons,
            persons_unit=line.persons_unit,
            days=line.days,
            days_unit=line.days_unit,
            rate=line.rate,
        )
        cost.amount = cost.compute_amount()
        cost.save()


def _plan_quarters(activity) -> None:
    if activity.months:
        activity_plan_quarters_by_months(activity=activity)
    else:
        activity_plan_quarters_even(activity=activity)


def _disburse(activity, *, fiscal_year: int, today: datetime.date, user) -> None:
    """Pay the lines of activities whose first month is already past."""
    start, _ = fiscal_year_range(fiscal_year)
    months = [month for month in activity.month_dates() if start <= month <= today]
    if not months:
        return
    paid_on = min(months[0].replace(day=15), today)
    for number, line in enumerate(activity.cost_lines.order_by("order"), start=1):
        # Meals and fees are paid in full; materials at 80 % so far.
        share = Decimal("0.8") if line.category.code == "materials" else Decimal(1)
        disbursement_record(
            user=user,
            activity=activity,
            cost_line=line,
            paid_on=paid_on,
            amount=(line.amount * share).quantize(Decimal("0.01")),
            document_number=f"ขบ {activity.pk}-{number}/{fiscal_year}",
            as_command=True,
        )


#: A finished year: cumulative share of each project's budget paid by the end
#: of quarters 1–4 (the office's usual pace, ร้อยละ 20 / 50 / 75 / 95; what is
#: left is savings, เงินเหลือจ่าย).
PAST_YEAR_SHARES = (Decimal("20"), Decimal("50"), Decimal("75"), Decimal("95"))
#: Small differences between projects (percentage points), by plan sequence.
PAST_YEAR_PACE = [(0, 0, 0, 0), (2, 1, -1, 1), (-2, -1, 1, 0), (1, 2, 2, -1)]
#: The office's document prefix on disbursement vouchers ("ศธ 04178/1234").
DOCUMENT_PREFIX = "ศธ 04178"


@dataclass
class _Payment:
    activity: object
    line: object
    quarter: int
    amount: Decimal
    paid_on: datetime.date | None = None


def past_year_shares(sequence: int) -> list[Decimal]:
    """Cumulative percent of a project's budget paid by each quarter's end."""
    pace = PAST_YEAR_PACE[sequence % len(PAST_YEAR_PACE)]
    return [
        share + offset for share, offset in zip(PAST_YEAR_SHARES, pace, strict=True)
    ]


def _past_year_payments(activities, fiscal_year: int) -> list[_Payment]:
    """Each project's lines paid in order, quarter by quarter, to its shares.

    A line is paid at most its amount; one line may be paid in instalments
    over two quarters. Lines of earlier activities are paid first.
    """
    months = fiscal_month_dates(fiscal_year)
    by_project: dict[int, list] = {}
    for activity in activities:
        by_project.setdefault(activity.project_id, []).append(activity)
    payments = []
    for project_activities in by_project.values():
        project = project_activities[0].project
        lines = sorted(
            (
                (activity, line)
                for activity in project_activities
                for line in activity.cost_lines.order_by("order")
            ),
            key=lambda pair: (
                min(pair[0].month_dates(), default=months[-1]),
                pair[0].order,
                pair[1].order,
            ),
        )
        budget = sum((line.amount for _, line in lines), ZERO)
        balances = [line.amount for _, line in lines]
        index, paid = 0, ZERO
        for quarter, percent in enumerate(past_year_shares(project.sequence), 1):
            due = (budget * percent / 100).quantize(Decimal("0.01")) - paid
            while due > 0 and index < len(lines):
                amount = min(due, balances[index])
                activity, line = lines[index]
                payments.append(_Payment(activity, line, quarter, amount))
                balances[index] -= amount
                due -= amount
                paid += amount
                if not balances[index]:
                    index += 1
    for payment in payments:
        payment.paid_on = _payment_day(payment, months)
    return payments


def _payment_day(payment: _Payment, months: list[datetime.date]) -> datetime.date:
    """A working day of the quarter: after the activity when it ran then."""
    quarter_months = months[(payment.quarter - 1) * 3 : payment.quarter * 3]
    ran = [m for m in payment.activity.month_dates() if m in quarter_months]
    month = (
        ran[-1]
        if ran
        else quarter_months[(payment.activity.order + payment.line.order) % 3]
    )
    offset = (payment.activity.order * 5 + payment.line.order * 3) % 18
    day = month.replace(day=8 + offset)
    while day.weekday() >= 5:  # paid on working days
        day -= datetime.timedelta(days=1)
    return day


def _disburse_past_year(activities, *, fiscal_year: int, user) -> None:
    """Record a whole finished year of payments, as finance did, with voucher
    numbers in date order. Goes through ``disbursement_record`` (the
    permission and balance controls) when the finance login exists."""
    payments = sorted(
        _past_year_payments(activities, fiscal_year),
        key=lambda p: (p.paid_on, p.activity.project.sequence, p.activity.order),
    )
    for number, payment in enumerate(payments):
        document = f"{DOCUMENT_PREFIX}/{120 + number * 7 + number % 5}"
        disbursement_record(
            user=user,
            activity=payment.activity,
            cost_line=payment.line,
            amount=payment.amount,
            paid_on=payment.paid_on,
            document_number=document,
            as_command=user is None,
        )
    # Keyed in by finance on the day of payment, not today.
    for day in sorted({payment.paid_on for payment in payments}):
        Disbursement.objects.filter(activity__in=activities, paid_on=day).update(
            recorded_at=timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(15, 30))
            )
        )


def _size_envelopes(office, fiscal_year: int, main_source) -> None:
    """Allocations that cover running costs + project money, like seed 000."""
    lines = CostLine.objects.for_office_year(office, fiscal_year)
    main_need = (
        OperatingCost.objects.filter(
            organization=office, fiscal_year=fiscal_year, source=main_source
        ).total()
        + lines.filter(activity__project__budget_source=main_source).total()
    )
    Allocation.objects.update_or_create(
        organization=office,
        fiscal_year=fiscal_year,
        source=main_source,
        round_number=1,
        defaults={
            "amount": MAIN_ENVELOPE,
            "allocated_on": fiscal_year_range(fiscal_year)[0]
            + datetime.timedelta(days=30),
            "reference": "หนังสือ สพฐ. ที่ ศธ 04002/ว 4500 จัดสรรงบประมาณ ครั้งที่ 1",
        },
    )
    extra = _round_up(main_need - MAIN_ENVELOPE) if main_need > MAIN_ENVELOPE else 0
    _set_round(office, fiscal_year, main_source, 2, extra, "จัดสรรเพิ่มเติม ครั้งที่ 2")
    other_sources = (
        BudgetSource.objects.filter(
            projects__plan__organization=office, projects__plan__fiscal_year=fiscal_year
        )
        .exclude(pk=main_source.pk)
        .distinct()
    )
    for source in other_sources:
        need = lines.filter(activity__project__budget_source=source).total()
        _set_round(office, fiscal_year, source, 1, _round_up(need) if need else 0, "")


def _set_round(office, fiscal_year, source, round_number, amount, reference) -> None:
    if not amount:
        Allocation.objects.filter(
            organization=office,
            fiscal_year=fiscal_year,
            source=source,
            round_number=round_number,
        ).delete()
        return
    Allocation.objects.update_or_create(
        organization=office,
        fiscal_year=fiscal_year,
        source=source,
        round_number=round_number,
        defaults={"amount": amount, "reference": reference},
    )
