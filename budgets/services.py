"""Write side of the money: cost lines, quarterly plans, disbursements, and
the controls that guard them. Messages are constants that tests import."""

import datetime
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from budgets.models import (
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
    RateLimit,
    RateTable,
    money_sum,
    spent_category,
)
from budgets.rollups import (
    activity_total_budget,
    disbursed_to_date,
    project_planned_until,
    project_total_budget,
    source_envelope,
)
from budgets.rules import can_record_disbursement_for, can_record_running_payment
from core.rules import can_edit_rates, can_manage_office
from core.thai import (
    SATANG,
    ZERO,
    fiscal_quarter_of,
    fiscal_quarter_range,
    fiscal_year_of,
    fiscal_year_range,
    format_baht,
    format_percent,
    parse_decimal,
    thai_date,
)
from projects import services as project_services
from projects.models import Activity, Project

ERROR_ENVELOPE_EXCEEDED = (
    "งบประมาณโครงการจาก “{source}” ปีงบประมาณ {fiscal_year} รวม {projects} บาท "
    "เกินวงเงินที่ใช้ได้ {available} บาท (จัดสรร {allocated} บาท "
    "หักค่าใช้จ่ายดำเนินงานของสำนักงาน {operating} บาท) เกินอยู่ {over} บาท"
)
ERROR_OPERATING_EXCEEDED = (
    "ค่าใช้จ่ายดำเนินงานและงบประมาณโครงการจาก “{source}” ปีงบประมาณ {fiscal_year} "
    "รวม {spending} บาท เกินวงเงินที่จัดสรร {allocated} บาท"
)
ERROR_QUARTERS_MISMATCH = (
    "แผนการใช้จ่ายรายไตรมาสรวม {planned} บาท ไม่เท่ากับค่าใช้จ่ายของกิจกรรม {cost} บาท"
)
ERROR_PROJECT_APPROVED = "โครงการ {code} อนุมัติแล้ว แก้ไขได้โดยการปรับแผนเท่านั้น"
ERROR_QUARTER_NEGATIVE = "จำนวนเงินรายไตรมาสต้องไม่ติดลบ"
ERROR_NO_MONTHS = "กิจกรรมนี้ยังไม่ได้ระบุเดือนที่ดำเนินการ จึงแบ่งตามเดือนไม่ได้"
ERROR_NO_MONTHS_IN_YEAR = (
    "กิจกรรมนี้ไม่มีเดือนที่ดำเนินการในปีงบประมาณ {year} "
    "(มีเฉพาะเดือนในปีงบประมาณถัดไป) จึงแบ่งตามเดือนไม่ได้ ให้แบ่งเท่ากันทุกไตรมาสหรือกรอกเอง"
)
ERROR_NOT_OFFICE_MANAGER = (
    "เฉพาะผู้ดูแลระบบและนักวิเคราะห์นโยบายและแผนของสำนักงานเท่านั้นที่บันทึก{what}ได้"
)
ERROR_NOT_RATE_KEEPER = (
    "ตารางอัตราค่าใช้จ่ายของสำนักงานแก้ไขได้เฉพาะการเงินหรือผู้ดูแลระบบของสำนักงานนั้น"
)
ERROR_SHARED_ROW = "{what}ที่ใช้ร่วมกันทุกสำนักงาน แก้ไขได้เฉพาะผู้ดูแลระบบกลางเท่านั้น"
ERROR_SOURCE_ELSEWHERE = "แหล่งงบประมาณ “{source}” เป็นของสำนักงานอื่น"
ERROR_SOURCE_RETIRED = "แหล่งงบประมาณ “{source}” เลิกใช้แล้ว กรุณาเลือกแหล่งงบประมาณที่ใช้งานอยู่"
ERROR_SOURCE_SHADOWS = (
    "{field} “{value}” ซ้ำกับแหล่งงบประมาณมาตรฐาน “{shared}” ที่ทุกสำนักงานใช้ "
    "การนำเข้าไฟล์ Excel จะแยกไม่ออกว่าหมายถึงแหล่งใด กรุณาใช้{field}อื่น"
)
ERROR_CATEGORY_DEPTH = (
    "หมวดรายจ่ายมีได้สองชั้น (งบรายจ่าย → หมวดรายจ่าย) “{parent}” เป็นหมวดย่อยอยู่แล้ว "
    "จึงเป็นงบรายจ่ายของหมวดอื่นไม่ได้"
)
ERROR_CATEGORY_HAS_CHILDREN = "“{category}” มีหมวดย่อยอยู่แล้ว จึงเป็นหมวดย่อยของงบรายจ่ายอื่นไม่ได้"
ERROR_TARGET_QUARTER = "ไตรมาสต้องเป็น 1 ถึง 4"
ERROR_TARGET_NOT_CUMULATIVE = (
    "เป้าหมายสะสมไตรมาส {quarter} ร้อยละ {percent} ต้องไม่น้อยกว่าไตรมาส {other} "
    "(ร้อยละ {other_percent}) และไม่มากกว่าไตรมาสถัดไป เพราะเป็นยอดสะสม"
)
ERROR_DISBURSE_FORBIDDEN = "คุณไม่มีสิทธิ์บันทึกการเบิกจ่ายของโครงการนี้"
ERROR_DISBURSE_NOT_APPROVED = (
    "โครงการ {code} ยังไม่อนุมัติ (สถานะ: {status}) จึงบันทึกการเบิกจ่ายไม่ได้"
)
ERROR_DISBURSE_NO_BUDGET = "โครงการนี้ “ไม่ใช้งบประมาณ” จึงบันทึกการเบิกจ่ายไม่ได้"
ERROR_DISBURSE_NOT_POSITIVE = "จำนวนเงินที่เบิกจ่ายต้องมากกว่าศูนย์"
ERROR_DISBURSE_NOT_A_NUMBER = "จำนวนเงินที่เบิกจ่ายต้องเป็นตัวเลข เช่น 12,500.50"
ERROR_DISBURSE_FUTURE = "วันที่เบิกจ่ายต้องไม่เลยวันนี้"
ERROR_DISBURSE_OUTSIDE_YEAR = "วันที่ไม่อยู่ในปีงบประมาณ {year}"
ERROR_DISBURSE_DOCUMENT_RECORDED = "เอกสารเลขที่ {number} ของโครงการ {code} บันทึกไว้แล้ว"
ERROR_DISBURSE_LINE_ELSEWHERE = "รายการค่าใช้จ่ายที่เลือกไม่ได้อยู่ในกิจกรรมนี้"
ERROR_DISBURSE_OVER_LINE = (
    "เบิกจ่ายเกินวงเงินของรายการ “{line}”: คงเหลือ {balance} บาท แต่ขอเบิก {amount} บาท "
    "และโครงการนี้ไม่ได้ขอถัวจ่ายทุกรายการ"
)
ERROR_DISBURSE_CATEGORY_UNMATCHED = (
    "กิจกรรม “{activity}” ของโครงการ {code} ไม่มีรายการค่าใช้จ่ายในหมวด “{category}” "
    "จึงบันทึกการเบิกจ่ายในหมวดนี้ไม่ได้ หมวดรายจ่ายของโครงการนี้: {categories}"
)
ERROR_DISBURSE_CATEGORY_NOT_IN_PROJECT = (
    "โครงการ {code} ไม่มีรายการค่าใช้จ่ายในหมวด “{category}” "
    "จึงบันทึกการเบิกจ่ายในหมวดนี้ไม่ได้ หมวดรายจ่ายของโครงการนี้: {categories}"
)
ERROR_DISBURSE_LINE_AND_CATEGORY = (
    "รายการค่าใช้จ่าย “{line}” อยู่ในหมวด “{line_category}” ไม่ใช่ “{category}” "
    "กรุณาระบุรายการค่าใช้จ่าย หรือหมวดรายจ่าย อย่างใดอย่างหนึ่งให้ตรงกัน"
)
ERROR_DISBURSE_OVER_CATEGORY = (
    "เบิกจ่ายเกินวงเงินหมวด “{category}” ของกิจกรรม: คงเหลือ {balance} บาท "
    "แต่ขอเบิก {amount} บาท และโครงการนี้ไม่ได้ขอถัวจ่ายทุกรายการ"
)
#: A project's categories when none of its cost lines has one.
NO_PROJECT_CATEGORIES = "ยังไม่มีรายการค่าใช้จ่ายที่ระบุหมวด"
ERROR_DISBURSE_OVER_ACTIVITY = (
    "เบิกจ่ายเกินงบประมาณของกิจกรรม: คงเหลือ {balance} บาท แต่ขอเบิก {amount} บาท "
    "และโครงการนี้ไม่ได้ขอถัวจ่ายทุกรายการ"
)
ERROR_DISBURSE_OVER_PROJECT = (
    "เบิกจ่ายเกินงบประมาณทั้งโครงการ: คงเหลือ {balance} บาท แต่ขอเบิก {amount} บาท "
    "(ถัวจ่ายได้ไม่เกินงบประมาณของโครงการ)"
)
WARNING_DISBURSE_OVERDRAWN = (
    "บันทึกแล้ว แต่{what}เบิกจ่ายเกินวงเงิน {over} บาท "
    "(ถัวจ่ายจากรายการอื่นของโครงการ ยอดคงเหลือของ{what}ติดลบ)"
)
WARNING_DISBURSE_OVER_PERIOD_PLAN = (
    "บันทึกแล้ว แต่เบิกจ่ายสะสมของโครงการ {project} ถึงสิ้นไตรมาสที่ {quarter} "
    "รวม {paid} บาท เกินแผนการใช้จ่ายสะสม {planned} บาท อยู่ {over} บาท "
    "(ยังไม่เกินงบประมาณทั้งปีของโครงการ) โปรดตรวจสอบหรือปรับแผนการใช้จ่ายรายไตรมาส"
)
ERROR_RUNNING_FORBIDDEN = "คุณไม่มีสิทธิ์บันทึกการเบิกจ่ายค่าใช้จ่ายดำเนินงานของสำนักงานนี้"
ERROR_RUNNING_DOCUMENT_RECORDED = (
    "เอกสารเลขที่ {number} ของค่าใช้จ่ายดำเนินงาน “{cost}” บันทึกไว้แล้ว"
)
ERROR_RUNNING_OVER = (
    "เบิกจ่ายเกินวงเงินของค่าใช้จ่ายดำเนินงาน “{cost}”: คงเหลือ {balance} บาท "
    "แต่ขอเบิก {amount} บาท"
)


# ------------------------------------------------------------------ envelope


def envelope_validate(*, project, adding: Decimal, excluding=None) -> None:
    """Refuse project budgets from one source beyond its envelope.

    The sum of the cost lines of every project of the office and fiscal year
    funded by ``project.budget_source`` (leaving out ``excluding``, plus
    ``adding``) may not exceed the source's allocations (all rounds) minus
    the office's operating costs from that source. Checked once an envelope
    has been recorded for the source; projects without a source are not
    checked (the summary shows them as "ไม่ระบุแหล่งงบประมาณ").
    """
    if not project.budget_source_id:
        return
    plan = project.plan
    source_envelope_validate(
        source=project.budget_source_id,
        organization=plan.organization_id,
        fiscal_year=plan.fiscal_year,
        adding=adding,
        excluding=excluding,
    )


def source_envelope_validate(
    *, source, organization, fiscal_year: int, adding: Decimal, excluding=None
) -> None:
    """:func:`envelope_validate` for a source, office and year given directly:
    the Excel import checks the whole file's lines of a source at once (many
    projects, some not saved yet), with the same rule and message."""
    envelope = source_envelope(
        source=source,
        organization=organization,
        fiscal_year=fiscal_year,
        excluding=excluding,
    )
    if not envelope.rounds:
        return
    projects = envelope.projects + (adding or ZERO)
    if projects > envelope.available:
        raise ValidationError(
            ERROR_ENVELOPE_EXCEEDED.format(
                source=envelope.source.name,
                fiscal_year=fiscal_year,
                projects=format_baht(projects),
                available=format_baht(envelope.available),
                allocated=format_baht(envelope.allocated),
                operating=format_baht(envelope.operating),
                over=format_baht(projects - envelope.available),
            ),
            code="envelope_exceeded",
        )


def operating_cost_validate(*, cost) -> None:
    """Refuse an operating cost that, with the projects, overruns its envelope."""
    if not (cost.source_id and cost.organization_id and cost.fiscal_year):
        return
    envelope = source_envelope(
        source=cost.source_id,
        organization=cost.organization_id,
        fiscal_year=cost.fiscal_year,
    )
    if not envelope.rounds:
        return
    others = (
        OperatingCost.objects.filter(
            organization_id=cost.organization_id,
            fiscal_year=cost.fiscal_year,
            source_id=cost.source_id,
        )
        .exclude(pk=cost.pk)
        .total()
    )
    spending = others + (cost.amount or ZERO) + envelope.projects
    if spending > envelope.allocated:
        raise ValidationError(
            ERROR_OPERATING_EXCEEDED.format(
                source=envelope.source.name,
                fiscal_year=cost.fiscal_year,
                spending=format_baht(spending),
                allocated=format_baht(envelope.allocated),
            ),
            code="envelope_exceeded",
        )


def envelope_totals_validate(
    *, source, fiscal_year: int, allocated: Decimal, operating: Decimal, projects
) -> None:
    """:func:`operating_cost_validate` on totals given directly: the Excel
    import brings a year's allocations and running costs with the projects,
    so the envelope it checks is the file's, not the stored one. Same rule
    (running costs and projects together within the allocations) and
    message."""
    spending = (operating or ZERO) + (projects or ZERO)
    if spending > allocated:
        raise ValidationError(
            ERROR_OPERATING_EXCEEDED.format(
                source=source.name,
                fiscal_year=fiscal_year,
                spending=format_baht(spending),
                allocated=format_baht(allocated),
            ),
            code="envelope_exceeded",
        )


# ------------------------------------------------------------------ cost lines


@transaction.atomic
def cost_line_create(
    *,
    activity,
    category,
    description: str,
    times=None,
    times_unit: str = "ครั้ง",
    persons=None,
    persons_unit: str = "คน",
    days=None,
    days_unit: str = "วัน",
    rate=None,
    amount=None,
    order: int = 0,
    note: str = "",
) -> CostLine:
    """Add a cost line; the amount is computed from the factors when given.

    Runs every check of :func:`cost_line_validate` (numbers,
    "ไม่ใช้งบประมาณ", envelope) and saves nothing on refusal.
    """
    line = CostLine(
        activity=activity,
        category=category,
        description=description,
        times=times,
        times_unit=times_unit,
        persons=persons,
        persons_unit=persons_unit,
        days=days,
        days_unit=days_unit,
        rate=rate,
        amount=amount,
        order=order,
        note=note,
    )
    return cost_line_save(line=line)


def cost_line_validate(line: CostLine, *, check_envelope: bool = True) -> None:
    """Every rule of a cost line: the model's own (numbers, formula, a project
    "ไม่ใช้งบประมาณ") and then the envelope of its project's source.

    ``check_envelope=False`` only for the activity's inline formset, which
    checks the envelope once for all its lines together (line by line, moving
    money from one line to another would be refused half-way).
    """
    line.full_clean()
    if check_envelope and line.activity_id:
        envelope_validate(
            project=line.activity.project,
            adding=line.amount,
            excluding=CostLine.objects.filter(pk=line.pk),
        )


def _refuse_locked(project) -> None:
    """An approved project changes only through ปรับแผน (its money too)."""
    if project.is_locked:
        raise ValidationError(
            ERROR_PROJECT_APPROVED.format(code=project.code or project.name),
            code="project_approved",
        )


@transaction.atomic
def cost_line_save(
    *, line: CostLine, user=None, check_envelope: bool = True
) -> CostLine:
    """Validate (:func:`cost_line_validate`) and save one cost line: the one
    write of a line for the admin, the services and the demo. Refuses lines
    of an approved project; history records ``user``; ``edit_version`` is
    bumped by the save."""
    _refuse_locked(line.activity.project)
    cost_line_validate(line, check_envelope=check_envelope)
    if user is not None:
        line._history_user = user
    line.save()
    return line


@transaction.atomic
def cost_line_delete(*, line: CostLine, user=None) -> None:
    """Delete one cost line (not of an approved project), with history."""
    _refuse_locked(line.activity.project)
    if user is not None:
        line._history_user = user
    line.delete()


@transaction.atomic
def quarter_plan_save(*, row: QuarterPlan, user=None) -> QuarterPlan:
    """Save one quarter of an activity's plan (the admin inline, whose formset
    has checked that the quarters add up to the cost)."""
    _refuse_locked(row.activity.project)
    row.full_clean()
    if user is not None:
        row._history_user = user
    row.save()
    return row


@transaction.atomic
def quarter_plan_delete(*, row: QuarterPlan, user=None) -> None:
    _refuse_locked(row.activity.project)
    if user is not None:
        row._history_user = user
    row.delete()


# ------------------------------------------------------------------ operating


@transaction.atomic
def operating_cost_save(*, cost: OperatingCost, user=None) -> OperatingCost:
    """Validate (fields and :func:`operating_cost_validate`) and save."""
    cost.full_clean()
    operating_cost_validate(cost=cost)
    if user is not None:
        cost._history_user = user
    cost.save()
    return cost


@transaction.atomic
def operating_cost_delete(*, cost: OperatingCost, user=None) -> None:
    """Deleting running costs only frees money; history records ``user``."""
    if user is not None:
        cost._history_user = user
    cost.delete()


# ------------------------------------------------------------------ quarterly plan


def split_evenly(total: Decimal, parts: int) -> list[Decimal]:
    """Split money into ``parts`` exact to the satang; the last part takes the
    remainder: 100.00 / 3 → 33.33, 33.33, 33.34."""
    share = (total / parts).quantize(SATANG, rounding=ROUND_DOWN)
    return [share] * (parts - 1) + [total - share * (parts - 1)]


def quarter_plan_validate(*, cost: Decimal, amounts: dict[int, Decimal]) -> None:
    if any(amount < 0 for amount in amounts.values()):
        raise ValidationError(ERROR_QUARTER_NEGATIVE, code="negative")
    planned = sum(amounts.values(), ZERO)
    if planned != cost:
        raise ValidationError(
            ERROR_QUARTERS_MISMATCH.format(
                planned=format_baht(planned), cost=format_baht(cost)
            ),
            code="quarters_mismatch",
        )


@transaction.atomic
def activity_set_quarter_plan(*, activity, amounts: dict[int, object]) -> list:
    """Replace the activity's quarterly plan; it must equal the activity's cost.

    ``amounts`` maps quarter (1–4) to money; missing quarters are 0. Accepts
    what users type ("๑๒,๕๐๐.๕๐"). Nothing is saved on refusal.
    """
    try:
        parsed = {q: parse_decimal(amounts.get(q) or 0) for q in (1, 2, 3, 4)}
    except ValueError as error:
        raise ValidationError(str(error), code="invalid") from error
    quarter_plan_validate(cost=activity_total_budget(activity), amounts=parsed)
    rows = []
    for quarter, amount in parsed.items():
        row, _ = QuarterPlan.objects.update_or_create(
            activity=activity, quarter=quarter, defaults={"amount": amount}
        )
        rows.append(row)
    return rows


def activity_plan_quarters_even(*, activity) -> list:
    """Spread the activity's cost evenly over Q1–Q4 (remainder to Q4)."""
    shares = split_evenly(activity_total_budget(activity), 4)
    return activity_set_quarter_plan(
        activity=activity, amounts=dict(zip((1, 2, 3, 4), shares, strict=True))
    )


def activity_plan_quarters_by_months(*, activity) -> list:
    """Spread the cost evenly over the activity's months, then add each month
    to its fiscal quarter (the last month takes the remainder satang).

    Only the months of the plan's fiscal year count: an activity may run into
    the next year (within its project's period), but its money is this
    year's and is paid in this year (``disbursement_paid_on_validate``), so a
    next-year October must not land in this year's first quarter."""
    if not activity.months:
        raise ValidationError(ERROR_NO_MONTHS, code="no_months")
    year = activity.project.plan.fiscal_year
    months = [day for day in activity.month_dates() if fiscal_year_of(day) == year]
    if not months:
        raise ValidationError(
            ERROR_NO_MONTHS_IN_YEAR.format(year=year), code="no_months_in_year"
        )
    amounts = {1: ZERO, 2: ZERO, 3: ZERO, 4: ZERO}
    for month, share in zip(
        months, split_evenly(activity_total_budget(activity), len(months)), strict=True
    ):
        amounts[fiscal_quarter_of(month)] += share
    return activity_set_quarter_plan(activity=activity, amounts=amounts)


# ------------------------------------------------------------------ disbursement


def disbursement_paid_on_validate(*, paid_on: datetime.date, fiscal_year: int) -> None:
    """A payment belongs to its plan's fiscal year (1 Oct – 30 Sep) and is not
    dated in the future. The one rule of the admin, the services and the Excel
    import (which used to be the only path refusing a date years away)."""
    start, end = fiscal_year_range(fiscal_year)
    if not start <= paid_on <= end:
        raise ValidationError(
            ERROR_DISBURSE_OUTSIDE_YEAR.format(year=fiscal_year), code="outside_year"
        )
    if paid_on > timezone.localdate():
        raise ValidationError(ERROR_DISBURSE_FUTURE, code="future")


def disbursement_document_validate(
    *, project, document_number: str, exclude_pk=None
) -> None:
    """One voucher number once per project (a double-click, a re-keyed slip).

    The unique constraint on (project, document_number) backs this up; this
    check gives the Thai message, and under the project lock it is exact.
    """
    if not document_number:
        return
    taken = (
        Disbursement.objects.filter(project=project, document_number=document_number)
        .exclude(pk=exclude_pk)
        .exists()
    )
    if taken:
        raise ValidationError(
            ERROR_DISBURSE_DOCUMENT_RECORDED.format(
                number=document_number, code=project.code or project.name
            ),
            code="document_recorded",
        )


def project_categories(project) -> list[ExpenseCategory]:
    """The categories of ``project``'s cost lines, in the budget law's order:
    what a payment by category may name (and what a refusal lists)."""
    return list(
        ExpenseCategory.objects.filter(cost_lines__activity__project=project)
        .distinct()
        .order_by("order", "pk")
    )


def categories_label(project) -> str:
    """:func:`project_categories` as a refusal prints them."""
    names = [category.name for category in project_categories(project)]
    return ", ".join(names) or NO_PROJECT_CATEGORIES


def category_unmatched_error(*, activity, category) -> ValidationError:
    """The refusal of a payment under a category the activity has no line
    in, listing the project's categories so the clerk can pick the right one."""
    project = activity.project
    return ValidationError(
        ERROR_DISBURSE_CATEGORY_UNMATCHED.format(
            activity=activity.name,
            code=project.code or project.name,
            category=category.name,
            categories=categories_label(project),
        ),
        code="category_unmatched",
    )


def _category_balance(*, activity, category, others) -> Decimal:
    """What is left of ``activity``'s lines in ``category``: their amounts
    less every payment counted there (by its line's category or its own)."""
    planned = CostLine.objects.filter(activity=activity, category=category).aggregate(
        total=money_sum()
    )["total"]
    paid = (
        others.filter(activity=activity)
        .annotate(spent_in=spent_category())
        .filter(spent_in=category.pk)
        .total()
    )
    return planned - paid


def disbursement_validate(
    *,
    activity,
    amount: Decimal,
    paid_on: datetime.date | None = None,
    cost_line=None,
    category=None,
    exclude_pk=None,
    document_number: str = "",
) -> None:
    """The money controls of a disbursement (without the permission check).

    A payment names a cost line, or an expense category the activity has
    lines in (finance knows "ค่าวัสดุ", not always the line), or neither
    (counted under no category). Balance = allocated − disbursed. Beyond a
    line's (a category's, or with neither the activity's) balance is
    refused unless the project allows virement (ถัวจ่ายทุกรายการ); even
    then never beyond the project's balance. The date must fall in the
    plan's fiscal year and a voucher number may be used once per project.

    Exact only while the project row is locked (:func:`disbursement_lock`):
    without the lock two saves can both see the same balance.
    """
    project = activity.project
    # Money is paid only on an approved project (issue 17 item 6): a draft's
    # cost lines are still a proposal. A project under revision (ปรับแผน) is
    # back in draft and waits for its new approval like any other.
    if project.status != Project.Status.APPROVED:
        raise ValidationError(
            ERROR_DISBURSE_NOT_APPROVED.format(
                code=project.code or project.name, status=project.get_status_display()
            ),
            code="not_approved",
        )
    if not project.uses_budget:
        raise ValidationError(ERROR_DISBURSE_NO_BUDGET, code="no_budget")
    if amount is None or amount <= 0:
        raise ValidationError(ERROR_DISBURSE_NOT_POSITIVE, code="not_positive")
    if paid_on is not None:
        disbursement_paid_on_validate(
            paid_on=paid_on, fiscal_year=project.plan.fiscal_year
        )
    disbursement_document_validate(
        project=project, document_number=document_number, exclude_pk=exclude_pk
    )
    others = Disbursement.objects.exclude(pk=exclude_pk)
    if cost_line is not None:
        if cost_line.activity_id != activity.pk:
            raise ValidationError(ERROR_DISBURSE_LINE_ELSEWHERE, code="line_elsewhere")
        if category is not None and category.pk != cost_line.category_id:
            raise ValidationError(
                ERROR_DISBURSE_LINE_AND_CATEGORY.format(
                    line=cost_line.description,
                    line_category=cost_line.category or UNCLASSIFIED,
                    category=category.name,
                ),
                code="line_category",
            )
        balance = cost_line.amount - others.filter(cost_line=cost_line).total()
        if amount > balance and not project.virement_allowed:
            raise ValidationError(
                ERROR_DISBURSE_OVER_LINE.format(
                    line=cost_line.description,
                    balance=format_baht(balance),
                    amount=format_baht(amount),
                ),
                code="over_line",
            )
    elif category is not None:
        if not CostLine.objects.filter(activity=activity, category=category).exists():
            raise category_unmatched_error(activity=activity, category=category)
        balance = _category_balance(activity=activity, category=category, others=others)
        if amount > balance and not project.virement_allowed:
            raise ValidationError(
                ERROR_DISBURSE_OVER_CATEGORY.format(
                    category=category.name,
                    balance=format_baht(balance),
                    amount=format_baht(amount),
                ),
                code="over_category",
            )
    else:
        balance = (
            activity_total_budget(activity) - others.filter(activity=activity).total()
        )
        if amount > balance and not project.virement_allowed:
            raise ValidationError(
                ERROR_DISBURSE_OVER_ACTIVITY.format(
                    balance=format_baht(balance), amount=format_baht(amount)
                ),
                code="over_activity",
            )
    project_balance = (
        project_total_budget(project) - others.filter(activity__project=project).total()
    )
    if amount > project_balance:
        raise ValidationError(
            ERROR_DISBURSE_OVER_PROJECT.format(
                balance=format_baht(project_balance), amount=format_baht(amount)
            ),
            code="over_project",
        )


def disbursement_period_warning(disbursement: Disbursement) -> str:
    """The warning shown after a saved disbursement takes its project past
    the cumulative spending plan of the quarter it is dated in; "" if not.

    Only a warning: paying ahead of the quarterly plan is what offices do
    when money arrives early (seed 002 has four such payments), and the
    report says so with its verdict. The hard limit stays the year's budget
    (:data:`ERROR_DISBURSE_OVER_PROJECT`, refused by
    :func:`disbursement_validate`). Two queries.
    """
    project = disbursement.activity.project
    quarter = fiscal_quarter_of(disbursement.paid_on)
    _start, end = fiscal_quarter_range(project.plan.fiscal_year, quarter)
    planned = project_planned_until(project, quarter)
    paid = disbursed_to_date(project, end)
    if paid <= planned:
        return ""
    return WARNING_DISBURSE_OVER_PERIOD_PLAN.format(
        project=project.code or project.name,
        quarter=quarter,
        paid=format_baht(paid),
        planned=format_baht(planned),
        over=format_baht(paid - planned),
    )


def disbursement_overdrawn_warning(disbursement: Disbursement) -> str:
    """The warning shown after a saved disbursement takes its line (its
    category, or without either its activity) below zero; "" if not.

    Virement (ถัวจ่ายทุกรายการ) lets a payment pass its line's balance as
    long as the project's holds (:func:`disbursement_validate`), so a
    remaining figure can go negative; the clerk is told so at once rather
    than finding a minus in the ledger later. Two queries.
    """
    activity = disbursement.activity
    everything = Disbursement.objects.all()
    line, category = disbursement.cost_line, disbursement.category
    if line is not None:
        balance = line.amount - everything.filter(cost_line=line).total()
        what = f"รายการ “{line.description}”"
    elif category is not None:
        balance = _category_balance(
            activity=activity, category=category, others=everything
        )
        what = f"หมวด “{category.name}” ของกิจกรรม “{activity.name}”"
    else:
        balance = (
            activity_total_budget(activity)
            - everything.filter(activity=activity).total()
        )
        what = f"กิจกรรม “{activity.name}”"
    if balance >= 0:
        return ""
    return WARNING_DISBURSE_OVERDRAWN.format(what=what, over=format_baht(-balance))


def disbursement_lock(*project_ids) -> None:
    """Lock the project rows (``SELECT … FOR UPDATE``) until the transaction
    ends, so that of two saves against one project the second waits and then
    sees the first one's money. Ascending ids: two moves between the same two
    projects cannot deadlock. Must run inside ``transaction.atomic()``."""
    ids = sorted({pk for pk in project_ids if pk is not None})
    list(
        Project.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _disbursement_project(activity, *, user, as_command: bool):
    """The activity's project, fresh, after the permission check."""
    project = Project.objects.select_related("plan", "group").get(
        pk=activity.project_id
    )
    if not as_command and (
        user is None or not can_record_disbursement_for(user, project)
    ):
        raise PermissionDenied(ERROR_DISBURSE_FORBIDDEN)
    activity.project = project
    return project


def _disbursement_save(disbursement: Disbursement) -> Disbursement:
    """Validate (project lock held) and write one disbursement."""
    disbursement_validate(
        activity=disbursement.activity,
        amount=disbursement.amount,
        paid_on=disbursement.paid_on,
        cost_line=disbursement.cost_line,
        category=disbursement.category,
        exclude_pk=disbursement.pk,
        document_number=disbursement.document_number,
    )
    if disbursement.cost_line is not None:
        disbursement.category = None  # the line's own category counts
    disbursement.project = disbursement.activity.project
    disbursement.full_clean()
    disbursement.save()
    return disbursement


def _amount(value) -> Decimal:
    try:
        return parse_decimal(value)
    except ValueError as error:
        raise ValidationError(ERROR_DISBURSE_NOT_A_NUMBER, code="invalid") from error


@transaction.atomic
def disbursement_record(
    *,
    user,
    activity,
    amount,
    paid_on: datetime.date,
    cost_line=None,
    category=None,
    document_number: str = "",
    note: str = "",
    as_command: bool = False,
) -> Disbursement:
    """Record a disbursement (เบิกจ่าย) by finance or the project's group.

    1. Check the user may record for this project (``as_command=True``: the
       management command and the demo loader, which have no user).
    2. Lock the project row so two clerks cannot both spend the last baht.
    3. Apply :func:`disbursement_validate` and save.

    Every path that writes money (the admin, the Excel import, the demo)
    comes here, to :func:`disbursement_create`, :func:`disbursement_update`
    or :func:`disbursement_delete`.
    """
    return disbursement_create(
        user=user,
        disbursement=Disbursement(
            activity=activity,
            cost_line=cost_line,
            category=category,
            paid_on=paid_on,
            amount=amount,
            document_number=document_number,
            note=note,
            recorded_by=user,
        ),
        as_command=as_command,
    )


#: The message after a payment is saved (the desk, one per row).
DISBURSEMENT_RECORDED = "บันทึกการเบิกจ่าย {amount} บาท วันที่ {date} แล้ว"


def disbursement_recorded_message(disbursement: Disbursement) -> str:
    """ "บันทึกการเบิกจ่าย 2,400.00 บาท วันที่ 5 ธ.ค. 2569 แล้ว"."""
    return DISBURSEMENT_RECORDED.format(
        amount=format_baht(disbursement.amount),
        date=thai_date(disbursement.paid_on, "medium"),
    )


class DisbursementBatchRefused(ValidationError):
    """A batch of payments refused as a whole; ``rows`` maps a row's index
    to its messages (every refused row, not only the first)."""

    def __init__(self, rows: dict[int, list[str]]):
        self.rows = rows
        super().__init__([m for messages in rows.values() for m in messages])


@transaction.atomic
def disbursements_record(*, user, rows: list[dict]) -> list[Disbursement]:
    """Record several payments at once, all or nothing (the finance desk).

    Each row is :func:`disbursement_record`'s keyword arguments. Why all or
    nothing: a clerk keys a pile of vouchers and files the pile; half a pile
    saved with the other half refused leaves her to work out which slips
    are in. The rows are saved in order inside one transaction, so a later
    row sees the money an earlier one spent (two slips against the same
    line cannot both take its last baht); every row is tried so each one's
    refusal can be shown at once, then any refusal rolls everything back
    and raises :class:`DisbursementBatchRefused`.
    """
    disbursement_lock(*(row["activity"].project_id for row in rows))
    saved: list[Disbursement] = []
    refused: dict[int, list[str]] = {}
    for index, row in enumerate(rows):
        try:
            saved.append(disbursement_record(user=user, **row))
        except ValidationError as error:
            refused[index] = error.messages
        except PermissionDenied:
            refused[index] = [ERROR_DISBURSE_FORBIDDEN]
    if refused:  # raised out of the atomic block: nothing stays written
        raise DisbursementBatchRefused(refused)
    return saved


@transaction.atomic
def disbursement_create(
    *, user, disbursement: Disbursement, as_command: bool = False
) -> Disbursement:
    """Save a new, unsaved disbursement (the admin's form instance) with the
    checks of :func:`disbursement_record`."""
    project = _disbursement_project(
        disbursement.activity, user=user, as_command=as_command
    )
    disbursement.amount = _amount(disbursement.amount)
    disbursement_lock(project.pk)
    return _disbursement_save(disbursement)


@transaction.atomic
def disbursement_update(*, user, disbursement: Disbursement) -> Disbursement:
    """Save the changed fields of an existing disbursement, with the controls
    of :func:`disbursement_record` under the lock of both projects (the one
    it was recorded against, which the user must also be allowed to change,
    and the one it moves to)."""
    before = Disbursement.objects.get(pk=disbursement.pk)
    old_project = Project.objects.get(pk=before.project_id)
    if not can_record_disbursement_for(user, old_project):
        raise PermissionDenied(ERROR_DISBURSE_FORBIDDEN)
    project = _disbursement_project(disbursement.activity, user=user, as_command=False)
    disbursement.amount = _amount(disbursement.amount)
    disbursement_lock(project.pk, before.project_id)
    return _disbursement_save(disbursement)


@transaction.atomic
def disbursement_delete(*, user, disbursement: Disbursement) -> None:
    """Delete a disbursement under its project's lock (a save running at the
    same time sees the money either spent or freed, never half of it)."""
    project = Project.objects.select_related("plan", "group").get(
        pk=Disbursement.objects.values_list("project_id", flat=True).get(
            pk=disbursement.pk
        )
    )
    if not can_record_disbursement_for(user, project):
        raise PermissionDenied(ERROR_DISBURSE_FORBIDDEN)
    disbursement_lock(project.pk)
    disbursement.delete()


# ------------------------------------------------------------------ envelopes


def _require_office_manager(user, organization_id, what: str) -> None:
    """Envelopes and targets are the office set-up (``core.rules``): its
    admins and planners; a shared row (no office) only a superuser."""
    if organization_id is None:
        if not getattr(user, "is_superuser", False):
            raise PermissionDenied(ERROR_SHARED_ROW.format(what=what))
    elif not can_manage_office(user, organization_id):
        raise PermissionDenied(ERROR_NOT_OFFICE_MANAGER.format(what=what))


def _stored(obj):
    """The row as stored before this write (``None`` for a new one)."""
    if obj.pk is None:
        return None
    return type(obj)._default_manager.filter(pk=obj.pk).first()


def allocation_source_validate(*, allocation: Allocation, before=None) -> None:
    """The source of an allocation: shared or the office's own (as the Excel
    import looks sources up), and in use when it is newly chosen."""
    source = allocation.source
    if source.organization_id not in (None, allocation.organization_id):
        raise ValidationError(
            {"source": ERROR_SOURCE_ELSEWHERE.format(source=source)},
            code="source_elsewhere",
        )
    newly_chosen = before is None or before.source_id != allocation.source_id
    if newly_chosen and not source.is_active:
        raise ValidationError(
            {"source": ERROR_SOURCE_RETIRED.format(source=source)},
            code="source_retired",
        )


def _envelope_after(*, allocation: Allocation, key, deleting: bool) -> None:
    """Refuse a write that leaves one envelope (source, office, year) smaller
    than its running costs and projects: the rule of
    :func:`operating_cost_validate` and of the Excel import
    (:func:`envelope_totals_validate`), seen from the allocation's side.

    Only a write that lowers an envelope, or records its first round, can
    break the rule; raising one only frees money, so it is never refused.
    """
    source_id, organization_id, fiscal_year = key
    envelope = source_envelope(
        source=source_id, organization=organization_id, fiscal_year=fiscal_year
    )
    others = Allocation.objects.filter(
        organization_id=organization_id, fiscal_year=fiscal_year, source_id=source_id
    ).exclude(pk=allocation.pk)
    stays = (
        not deleting
        and (
            allocation.source_id,
            allocation.organization_id,
            allocation.fiscal_year,
        )
        == key
    )
    rounds = others.count() + (1 if stays else 0)
    if not rounds:
        return  # no envelope recorded: nothing to check (as everywhere)
    allocated = others.total() + (allocation.amount if stays else ZERO)
    if envelope.rounds and allocated >= envelope.allocated:
        return
    envelope_totals_validate(
        source=envelope.source,
        fiscal_year=fiscal_year,
        allocated=allocated,
        operating=envelope.operating,
        projects=envelope.projects,
    )


def allocation_validate(*, allocation: Allocation, deleting: bool = False) -> None:
    """Every rule of an allocation: its source, then the envelope it leaves
    (and, when it moves, the envelope it leaves behind)."""
    before = _stored(allocation)
    if not deleting:
        allocation_source_validate(allocation=allocation, before=before)
    keys = []
    if allocation.source_id and allocation.organization_id and allocation.fiscal_year:
        keys.append(
            (allocation.source_id, allocation.organization_id, allocation.fiscal_year)
        )
    if before is not None:
        old = (before.source_id, before.organization_id, before.fiscal_year)
        if old not in keys:
            keys.append(old)
    for key in keys:
        _envelope_after(allocation=allocation, key=key, deleting=deleting)


@transaction.atomic
def allocation_save(*, allocation: Allocation, user) -> Allocation:
    """Save an envelope round (the admin's form instance): who may
    (the office's admins and planners, for the office it had and has), the
    fields, then :func:`allocation_validate`; history records ``user``."""
    before = _stored(allocation)
    if before is not None:
        _require_office_manager(user, before.organization_id, "กรอบวงเงิน")
    _require_office_manager(user, allocation.organization_id, "กรอบวงเงิน")
    allocation.full_clean()
    allocation_validate(allocation=allocation)
    allocation._history_user = user
    allocation.save()
    return allocation


@transaction.atomic
def allocation_delete(*, allocation: Allocation, user) -> None:
    """Delete an envelope round unless what it pays for would be left
    uncovered (:func:`allocation_validate`); history records ``user``."""
    _require_office_manager(user, allocation.organization_id, "กรอบวงเงิน")
    allocation_validate(allocation=allocation, deleting=True)
    allocation._history_user = user
    allocation.delete()


# ------------------------------------------------------------------ targets


def disbursement_target_validate(*, target: DisbursementTarget) -> None:
    """A quarter 1–4 whose cumulative percent lies between the quarters
    around it (same office, or the shared defaults, and year): a cumulative
    target never goes down, or the board's "behind target" would flip back
    and forth between quarters."""
    if target.quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": ERROR_TARGET_QUARTER}, code="quarter")
    siblings = DisbursementTarget.objects.filter(
        organization_id=target.organization_id, fiscal_year=target.fiscal_year
    ).exclude(pk=target.pk)
    percent = target.cumulative_percent
    for other in siblings:
        earlier = other.quarter < target.quarter and other.cumulative_percent > percent
        later = other.quarter > target.quarter and other.cumulative_percent < percent
        if earlier or later:
            raise ValidationError(
                {
                    "cumulative_percent": ERROR_TARGET_NOT_CUMULATIVE.format(
                        quarter=target.quarter,
                        percent=format_percent(percent),
                        other=other.quarter,
                        other_percent=format_percent(other.cumulative_percent),
                    )
                },
                code="not_cumulative",
            )


@transaction.atomic
def disbursement_target_save(*, target: DisbursementTarget, user) -> DisbursementTarget:
    """Save a quarter's target: the office's admins and planners (shared
    defaults: superusers), the fields and :func:`disbursement_target_validate`."""
    before = _stored(target)
    if before is not None:
        _require_office_manager(user, before.organization_id, "เป้าหมายการเบิกจ่าย")
    _require_office_manager(user, target.organization_id, "เป้าหมายการเบิกจ่าย")
    target.full_clean()
    disbursement_target_validate(target=target)
    target._history_user = user
    target.save()
    return target


@transaction.atomic
def disbursement_target_delete(*, target: DisbursementTarget, user) -> None:
    _require_office_manager(user, target.organization_id, "เป้าหมายการเบิกจ่าย")
    target._history_user = user
    target.delete()


# ------------------------------------------------------------------ reference


def budget_source_validate(*, source: BudgetSource) -> None:
    """An office's own source may not take the code or name of a shared one:
    the Excel import finds a source by either among the office's and the
    shared ones, and would pick whichever comes first."""
    if source.organization_id is None:
        return
    shared = BudgetSource.objects.filter(organization=None).exclude(pk=source.pk)
    for field, label in (("code", "รหัส"), ("name", "ชื่อแหล่งงบประมาณ")):
        value = getattr(source, field)
        clash = shared.filter(**{f"{field}__iexact": value}).first()
        if clash is not None:
            raise ValidationError(
                {
                    field: ERROR_SOURCE_SHADOWS.format(
                        field=label, value=value, shared=clash.name
                    )
                },
                code="shadows_shared",
            )


@transaction.atomic
def budget_source_save(*, source: BudgetSource, user) -> BudgetSource:
    """Save a source: an office's own by its admins and planners, a shared
    one by superusers (reference data, ``core.reference``)."""
    before = _stored(source)
    if before is not None:
        _require_office_manager(user, before.organization_id, "แหล่งงบประมาณ")
    _require_office_manager(user, source.organization_id, "แหล่งงบประมาณ")
    source.full_clean()
    budget_source_validate(source=source)
    source.save()
    return source


@transaction.atomic
def budget_source_delete(*, source: BudgetSource, user) -> None:
    """A source in use is refused by ``core.reference`` (retire it instead)."""
    _require_office_manager(user, source.organization_id, "แหล่งงบประมาณ")
    source.delete()


def expense_category_validate(*, category: ExpenseCategory) -> None:
    """The classification is two levels deep (งบรายจ่าย → หมวดรายจ่าย): the
    roll-ups and the cost tables group a line by its category's top level."""
    parent = category.parent
    if parent is None:
        return
    if parent.parent_id is not None or parent.pk == category.pk:
        raise ValidationError(
            {"parent": ERROR_CATEGORY_DEPTH.format(parent=parent)}, code="depth"
        )
    if category.pk and ExpenseCategory.objects.filter(parent=category).exists():
        raise ValidationError(
            {"parent": ERROR_CATEGORY_HAS_CHILDREN.format(category=category)},
            code="depth",
        )


@transaction.atomic
def expense_category_save(*, category: ExpenseCategory, user) -> ExpenseCategory:
    """Shared reference data: superusers only (``core.reference``)."""
    _require_office_manager(user, None, "หมวดรายจ่าย")
    category.full_clean()
    expense_category_validate(category=category)
    category.save()
    return category


@transaction.atomic
def expense_category_delete(*, category: ExpenseCategory, user) -> None:
    _require_office_manager(user, None, "หมวดรายจ่าย")
    category.delete()


# ------------------------------------------------------------------ running costs


@transaction.atomic
def operating_disbursement_record(
    *,
    user,
    cost: OperatingCost,
    amount,
    paid_on: datetime.date,
    document_number: str = "",
    note: str = "",
    as_command: bool = False,
) -> OperatingDisbursement:
    """Record a payment of one running cost (the office's own spending).

    The same controls as a project's disbursement, on the running cost
    instead of a project: finance of the office only (``as_command``: the
    command line, no user), a date in the cost's fiscal year, a voucher
    number once per cost, and never beyond the cost's amount. The cost's row
    is locked so two clerks cannot both pay its last baht.
    """
    cost = OperatingCost.objects.select_for_update().get(pk=cost.pk)
    if not as_command and (user is None or not can_record_running_payment(user, cost)):
        raise PermissionDenied(ERROR_RUNNING_FORBIDDEN)
    amount = _amount(amount)
    if amount <= 0:
        raise ValidationError(ERROR_DISBURSE_NOT_POSITIVE, code="not_positive")
    disbursement_paid_on_validate(paid_on=paid_on, fiscal_year=cost.fiscal_year)
    paid = OperatingDisbursement.objects.filter(operating_cost=cost)
    if document_number and paid.filter(document_number=document_number).exists():
        raise ValidationError(
            ERROR_RUNNING_DOCUMENT_RECORDED.format(
                number=document_number, cost=cost.description
            ),
            code="document_recorded",
        )
    balance = cost.amount - paid.total()
    if amount > balance:
        raise ValidationError(
            ERROR_RUNNING_OVER.format(
                cost=cost.description,
                balance=format_baht(balance),
                amount=format_baht(amount),
            ),
            code="over_running_cost",
        )
    payment = OperatingDisbursement(
        operating_cost=cost,
        paid_on=paid_on,
        amount=amount,
        document_number=document_number,
        note=note,
        recorded_by=user,
    )
    payment.full_clean()
    payment.save()
    return payment


@transaction.atomic
def operating_costs_reset(*, organization, fiscal_year: int | None = None) -> None:
    """Delete an office's running costs of ``fiscal_year`` (every year when
    None) with their payments: the demo loader rebuilding a year or wiping its
    office. A payment protects its running cost everywhere else (deleting a
    paid cost in the admin, or dropping it from the office workbook, is
    refused)."""
    year = {} if fiscal_year is None else {"fiscal_year": fiscal_year}
    OperatingDisbursement.objects.filter(
        operating_cost__organization=organization,
        **{f"operating_cost__{key}": value for key, value in year.items()},
    ).delete()
    OperatingCost.objects.filter(organization=organization, **year).delete()


# ------------------------------------------------------------------ sheet editor


@dataclass
class ActivityRows:
    """One activity of the in-app sheet editor with its cost lines: the lines
    to keep (new or changed, in order) and those the user removed. A
    sub-activity names its ``parent`` (the activity it goes under)."""

    activity: Activity
    changed: bool = True
    lines: list[CostLine] = dataclass_field(default_factory=list)
    deleted_lines: list[CostLine] = dataclass_field(default_factory=list)
    parent: Activity | None = None


@transaction.atomic
def project_sheet_save(
    *,
    project: Project,
    user,
    created: bool,
    alignment: dict[str, list] | None = None,
    parts: list = (),
    deleted_parts: list = (),
    activities: list[ActivityRows] = (),
    subactivities: list[ActivityRows] = (),
    deleted_activities: list[Activity] = (),
) -> Project:
    """Save the whole project sheet of the in-app editor in one transaction.

    The editor posts the sheet, its parts (responsibles, objectives, targets,
    KPIs, expected results), its activities and their cost lines together,
    so they are written here together: each row through the same service the
    admin uses (:func:`projects.services.project_save`, ``sheet_part_*``,
    ``activity_*``, :func:`cost_line_save`), so the permission checks, the
    approval lock, history naming ``user`` and ``edit_version`` are the
    admin's. Cost lines skip the per-line envelope check (moving money
    between lines would be refused half-way) and the envelope of the
    project's source is checked once at the end, on what is stored then;
    any refusal rolls the whole sheet back.

    Sub-activities (``subactivities``, each naming its ``parent``) are
    written after the main activities, so that one added under a new
    activity goes under its new id; the parent is given to
    :func:`projects.services.activity_save`, whose model checks refuse a
    sub-activity of a sub-activity or under another project's activity.
    Removed activities are deleted last (sub-activities listed before their
    parents): a sub-activity moved out of an activity removed in the same
    save is written under its new parent before the old one goes.
    """
    project_services.project_save(project=project, user=user, created=created)
    for name, values in (alignment or {}).items():
        getattr(project, name).set(values)
    for part in deleted_parts:
        project_services.sheet_part_delete(part=part, user=user)
    for part in parts:
        part.project = project
        project_services.sheet_part_save(part=part, user=user)
    for rows in [*activities, *subactivities]:
        rows.activity.project = project
        if rows.changed or rows.activity.pk is None:
            project_services.activity_save(
                activity=rows.activity,
                user=user,
                **({"parent": rows.parent} if rows.parent is not None else {}),
            )
        for line in rows.deleted_lines:
            cost_line_delete(line=line, user=user)
        for line in rows.lines:
            line.activity = rows.activity
            cost_line_save(line=line, user=user, check_envelope=False)
    for activity in deleted_activities:
        project_services.activity_delete(activity=activity, user=user)
    envelope_validate(project=project, adding=ZERO)
    return project


# ------------------------------------------------------------------ rate tables


def _require_rate_keeper(user, organization_id) -> None:
    """An office's rate table: its finance staff and administrators
    (``core.rules.can_edit_rates``); the shared table only a superuser."""
    if organization_id is None:
        if not getattr(user, "is_superuser", False):
            raise PermissionDenied(ERROR_SHARED_ROW.format(what="ตารางอัตราค่าใช้จ่าย"))
    elif not can_edit_rates(user, organization_id):
        raise PermissionDenied(ERROR_NOT_RATE_KEEPER)


@transaction.atomic
def rate_table_save(*, table: RateTable, user) -> RateTable:
    """Save a rate table: the keepers of both the stored and the new office."""
    before = _stored(table)
    if before is not None:
        _require_rate_keeper(user, before.organization_id)
    _require_rate_keeper(user, table.organization_id)
    table.full_clean()
    table._history_user = user
    table.save()
    return table


@transaction.atomic
def rate_table_delete(*, table: RateTable, user) -> None:
    _require_rate_keeper(user, table.organization_id)
    table._history_user = user
    table.delete()


@transaction.atomic
def rate_limit_save(*, limit: RateLimit, user) -> RateLimit:
    """Save one highest rate: the keepers of its table's office (the table
    it was on too, when it moves)."""
    before = _stored(limit)
    if before is not None:
        _require_rate_keeper(user, before.table.organization_id)
    _require_rate_keeper(user, limit.table.organization_id)
    limit.full_clean()
    limit._history_user = user
    limit.save()
    return limit


@transaction.atomic
def rate_limit_delete(*, limit: RateLimit, user) -> None:
    _require_rate_keeper(user, limit.table.organization_id)
    limit._history_user = user
    limit.delete()
