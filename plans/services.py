"""Writes on a plan and its direction: workflow, revisions and copy-forward.

Every function checks the caller's rights through :mod:`plans.rules` (built on
:mod:`core.rules`) and raises
``PermissionDenied`` or ``ValidationError`` with one of the Thai messages below,
which tests import.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core import rules as core_rules
from core.history import set_change_reason
from core.services import require_office_manager
from core.thai import to_thai_digits
from plans import rules
from plans.approval import approval_blockers
from plans.models import (
    Goal,
    Guideline,
    Indicator,
    IndicatorTarget,
    Mission,
    Plan,
    PlanRevision,
    PolicyItem,
    Strategy,
)
from plans.signals import plan_approved

ERROR_PLAN_LOCKED = (
    "แผนนี้อนุมัติแล้ว แก้ไขไม่ได้ หากต้องการแก้ไขให้บันทึกการปรับปรุงแผน (ฉบับปรับปรุง) ก่อน"
)
ERROR_CANNOT_MANAGE = "ไม่มีสิทธิ์แก้ไขทิศทางและกลยุทธ์ของสำนักงานนี้"
ERROR_CANNOT_APPROVE = "เฉพาะผู้บริหารของสำนักงานเท่านั้นที่อนุมัติแผนได้"
ERROR_SUBMIT_NOT_DRAFT = "เสนออนุมัติได้เฉพาะแผนที่อยู่ในสถานะร่าง"
ERROR_APPROVE_NOT_SUBMITTED = "อนุมัติได้เฉพาะแผนที่เสนออนุมัติแล้ว"
ERROR_APPROVE_BLOCKED = (
    "ยังอนุมัติแผนไม่ได้ มี {count} รายการที่ต้องแก้ไขก่อน: {items} "
    "(หรืออนุมัติโดยไม่รอเงื่อนไข พร้อมระบุเหตุผล)"
)
ERROR_REVISE_NOT_APPROVED = "ปรับปรุงแผนได้เฉพาะแผนที่อนุมัติแล้ว"
ERROR_REVISION_REASON = "กรุณาระบุเหตุผลการปรับปรุงแผน"
ERROR_PLAN_EXISTS = "สำนักงานนี้มีแผนของปีงบประมาณ พ.ศ. {year} แล้ว จึงคัดลอกไปไม่ได้"
ERROR_SAME_YEAR = "ปีงบประมาณปลายทางต้องไม่ใช่ปีเดียวกับแผนต้นฉบับ"
ERROR_POLICY_OUTSIDE_PARENT = (
    "“{item}” ใช้ปีงบประมาณ {years} เกินช่วงที่ “{parent}” ใช้ ({parent_years}) "
    "รายการย่อยใช้ได้เฉพาะในช่วงปีของรายการที่อยู่ภายใต้"
)
ERROR_PLAN_YEAR_TAKEN = "สำนักงานนี้มีแผนของปีงบประมาณ พ.ศ. {year} แล้ว"


def plan_ensure_editable(plan: Plan) -> None:
    """Raise ``ValidationError`` when ``plan`` is approved (locked)."""
    if plan.is_locked:
        raise ValidationError(ERROR_PLAN_LOCKED, code="locked")


def _ensure_can_manage(user, plan: Plan) -> None:
    if not rules.can_edit_direction(user, plan):
        raise PermissionDenied(ERROR_CANNOT_MANAGE)


@transaction.atomic
def direction_save(*, obj, plan: Plan, user):
    """Save a plan or a part of its direction (mission, goal, strategy,
    indicator, target, guideline): planners and admins of the office, never
    in an approved plan (it changes through a recorded revision). History
    records ``user``."""
    _ensure_can_manage(user, plan)
    if plan.pk is not None:
        plan_ensure_editable(Plan.objects.get(pk=plan.pk))
    obj._history_user = user
    obj.save()
    return obj


@transaction.atomic
def direction_delete(*, obj, plan: Plan, user) -> None:
    """Delete a part of the direction under the rules of :func:`direction_save`."""
    _ensure_can_manage(user, plan)
    plan_ensure_editable(Plan.objects.get(pk=plan.pk))
    obj._history_user = user
    obj.delete()


@transaction.atomic
def plan_create(*, organization, fiscal_year: int, user) -> Plan:
    """An empty draft plan of ``fiscal_year``, past years included.

    An office that starts using Phaen enters last year's plan to report
    last year's results, so the year is the planner's choice, not only the
    current one. Planners and admins of the office (the screen and the Excel
    import); one plan per year. History records ``user``; ``None`` is a
    management command run by whoever administers the server.
    """
    if user is not None and not core_rules.can_manage_office(user, organization):
        raise PermissionDenied(ERROR_CANNOT_MANAGE)
    if Plan.objects.filter(organization=organization, fiscal_year=fiscal_year).exists():
        raise ValidationError(
            ERROR_PLAN_YEAR_TAKEN.format(year=fiscal_year), code="year_taken"
        )
    plan = Plan(organization=organization, fiscal_year=fiscal_year)
    plan._history_user = user
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_submit(*, plan: Plan, user) -> Plan:
    """ร่าง → เสนออนุมัติ; planners and admins of the office."""
    _ensure_can_manage(user, plan)
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError(ERROR_SUBMIT_NOT_DRAFT, code="not_draft")
    plan.status = Plan.Status.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["status", "submitted_at", "updated_at"])
    return plan


def blocker_lines(blockers) -> str:
    """The blockers one a line, as stored with an override and shown in messages."""
    return "\n".join(f"{b.subject}: {b.message}" for b in blockers)


@transaction.atomic
def plan_approve(*, plan: Plan, user, override_reason: str = "") -> Plan:
    """เสนออนุมัติ → อนุมัติแล้ว; only a director of the office.

    Refused while :func:`plans.approval.approval_blockers` lists anything
    (a project not approved, a blocking checker finding), unless the
    director gives ``override_reason``: then the approval records who, when,
    why and what was still open, on the plan and in its history. The screen,
    the admin action and every other path come here, so none approves
    around the gate.
    """
    if not rules.can_approve_plan(user, plan):
        raise PermissionDenied(ERROR_CANNOT_APPROVE)
    if plan.status != Plan.Status.SUBMITTED:
        raise ValidationError(ERROR_APPROVE_NOT_SUBMITTED, code="not_submitted")
    override_reason = (override_reason or "").strip()
    blockers = approval_blockers(plan)
    if blockers and not override_reason:
        shown = "; ".join(f"{b.subject}: {b.message}" for b in blockers[:5])
        if len(blockers) > 5:
            shown += " …"
        raise ValidationError(
            ERROR_APPROVE_BLOCKED.format(
                count=len(blockers),
                items=shown,
            ),
            code="blocked",
        )
    now = timezone.now()
    plan.status = Plan.Status.APPROVED
    plan.approved_at = now
    plan.approved_by = user
    fields = ["status", "approved_at", "approved_by", "updated_at"]
    if blockers:
        plan.override_reason = override_reason
        plan.override_blockers = blocker_lines(blockers)
        plan.override_by = user
        plan.override_at = now
        fields += ["override_reason", "override_blockers", "override_by", "override_at"]
        set_change_reason(plan, f"อนุมัติโดยไม่รอเงื่อนไข: {override_reason}")
    plan._history_user = user
    plan.save(update_fields=fields)
    plan_approved.send(sender=Plan, plan=plan, user=user)
    return plan


@transaction.atomic
def plan_start_revision(
    *, plan: Plan, reason: str, revised_on: datetime.date, user
) -> PlanRevision:
    """Open an approved plan for a recorded revision (ฉบับปรับปรุง).

    1. Record a ``PlanRevision`` with the next version number and the reason.
    2. Bump ``plan.version`` and move the plan back to ร่าง, so it can be edited
       and must be submitted and approved again.
    """
    _ensure_can_manage(user, plan)
    if plan.status != Plan.Status.APPROVED:
        raise ValidationError(ERROR_REVISE_NOT_APPROVED, code="not_approved")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ERROR_REVISION_REASON}, code="reason")
    plan.version += 1
    revision = PlanRevision.objects.create(
        plan=plan,
        version=plan.version,
        reason=reason,
        revised_on=revised_on,
        created_by=user,
    )
    plan.status = Plan.Status.DRAFT
    plan.submitted_at = None
    plan.approved_at = None
    plan.approved_by = None
    # The next approval passes the gate afresh: an old override does not carry.
    plan.override_reason = ""
    plan.override_blockers = ""
    plan.override_by = None
    plan.override_at = None
    set_change_reason(plan, f"ปรับปรุงแผน: {reason}")
    plan.save(
        update_fields=[
            "version",
            "status",
            "submitted_at",
            "approved_at",
            "approved_by",
            "override_reason",
            "override_blockers",
            "override_by",
            "override_at",
            "updated_at",
        ]
    )
    return revision


@dataclass(frozen=True)
class CopyReport:
    """What ``plan_copy_to_fiscal_year`` created, kind by kind."""

    plan: Plan
    missions: int
    goals: int
    strategies: int
    indicators: int
    targets: int
    guidelines: int
    policy_links: int

    def summary(self) -> str:
        return (
            f"คัดลอกไปยังปีงบประมาณ พ.ศ. {self.plan.fiscal_year} แล้ว: "
            f"พันธกิจ {self.missions} ข้อ, เป้าประสงค์ {self.goals} ข้อ, "
            f"กลยุทธ์ {self.strategies} กลยุทธ์, ตัวชี้วัด {self.indicators} ตัวชี้วัด, "
            f"ค่าเป้าหมาย {self.targets} รายการ, แนวทางการพัฒนา {self.guidelines} ข้อ, "
            f"ความสอดคล้องกับนโยบาย {self.policy_links} รายการ"
        )


def _title_for_year(title: str, old_year: int, new_year: int) -> str:
    if not title:
        return ""
    title = title.replace(str(old_year), str(new_year))
    return title.replace(to_thai_digits(old_year), to_thai_digits(new_year))


@transaction.atomic
def plan_copy_to_fiscal_year(*, plan: Plan, fiscal_year: int, user) -> CopyReport:
    """Create ``fiscal_year``'s draft plan from ``plan``'s direction.

    Copies the vision, missions, goals, strategies (with their goal and policy
    links), indicators (with the targets of ``fiscal_year`` and later years, so a
    multi-year table 2566–2570 carries forward) and guidelines. The copy shares
    no rows with the original except the reference ``PolicyItem``s. The
    preamble is not copied: it names its own fiscal year.
    """
    _ensure_can_manage(user, plan)
    if fiscal_year == plan.fiscal_year:
        raise ValidationError(ERROR_SAME_YEAR, code="same_year")
    if Plan.objects.filter(
        organization_id=plan.organization_id, fiscal_year=fiscal_year
    ).exists():
        raise ValidationError(ERROR_PLAN_EXISTS.format(year=fiscal_year), code="exists")
    new_plan = Plan.objects.create(
        organization_id=plan.organization_id,
        fiscal_year=fiscal_year,
        title=_title_for_year(plan.title, plan.fiscal_year, fiscal_year),
        vision=plan.vision,
    )
    missions = Mission.objects.bulk_create(
        Mission(plan=new_plan, number=m.number, text=m.text)
        for m in plan.missions.all()
    )
    goal_map: dict[int, Goal] = {}
    for goal in plan.goals.all():
        goal_map[goal.pk] = Goal.objects.create(
            plan=new_plan, number=goal.number, text=goal.text
        )
    strategies = list(
        plan.strategies.prefetch_related(
            "goals", "policy_items", "guidelines", "indicators__targets"
        )
    )
    counts = {"indicators": 0, "targets": 0, "guidelines": 0, "policy_links": 0}
    for strategy in strategies:
        new_strategy = Strategy.objects.create(
            plan=new_plan,
            number=strategy.number,
            title=strategy.title,
            description=strategy.description,
            characteristics=strategy.characteristics,
        )
        new_strategy.goals.set(goal_map[g.pk] for g in strategy.goals.all())
        policy_items = list(strategy.policy_items.all())
        new_strategy.policy_items.set(policy_items)
        counts["policy_links"] += len(policy_items)
        guidelines = Guideline.objects.bulk_create(
            Guideline(strategy=new_strategy, number=g.number, text=g.text)
            for g in strategy.guidelines.all()
        )
        counts["guidelines"] += len(guidelines)
        for indicator in strategy.indicators.all():
            new_indicator = Indicator.objects.create(
                strategy=new_strategy,
                goal=goal_map.get(indicator.goal_id),
                number=indicator.number,
                name=indicator.name,
                unit=indicator.unit,
                unit_label=indicator.unit_label,
                direction=indicator.direction,
                baseline_value=indicator.baseline_value,
                baseline_text=indicator.baseline_text,
                tags=indicator.tags,
                states_target=indicator.states_target,
            )
            counts["indicators"] += 1
            targets = IndicatorTarget.objects.bulk_create(
                IndicatorTarget(
                    indicator=new_indicator,
                    fiscal_year=target.fiscal_year,
                    comparison=target.comparison,
                    target_value=target.target_value,
                    target_text=target.target_text,
                )
                for target in indicator.targets.all()
                if target.fiscal_year >= fiscal_year
            )
            counts["targets"] += len(targets)
    return CopyReport(
        plan=new_plan,
        missions=len(missions),
        goals=len(goal_map),
        strategies=len(strategies),
        **counts,
    )


# ------------------------------------------------------------------ policy chain


def _years(item: PolicyItem) -> str:
    start = item.fiscal_year_start or "…"
    end = item.fiscal_year_end or "…"
    return f"{start}–{end}"


def policy_item_validate(*, item: PolicyItem) -> None:
    """An item of the chain is in force only within its parent's years: a
    project picks the policy items in force in its year, and a child that
    outlives its parent would be offered under a parent that is not."""
    parent = item.parent
    if parent is None:
        return
    starts_early = parent.fiscal_year_start is not None and (
        item.fiscal_year_start is None
        or item.fiscal_year_start < parent.fiscal_year_start
    )
    ends_late = parent.fiscal_year_end is not None and (
        item.fiscal_year_end is None or item.fiscal_year_end > parent.fiscal_year_end
    )
    if starts_early or ends_late:
        raise ValidationError(
            {
                "fiscal_year_end" if ends_late else "fiscal_year_start": (
                    ERROR_POLICY_OUTSIDE_PARENT.format(
                        item=item.title[:60],
                        years=_years(item),
                        parent=parent.title[:60],
                        parent_years=_years(parent),
                    )
                )
            },
            code="outside_parent",
        )


@transaction.atomic
def policy_item_save(*, item: PolicyItem, user) -> PolicyItem:
    """Shared reference data (``core.reference``): superusers only; the
    model's checks (years in order, no cycle) and :func:`policy_item_validate`.
    History records ``user``."""
    require_office_manager(user, None, what="นโยบายและยุทธศาสตร์ระดับชาติ")
    item.full_clean()
    policy_item_validate(item=item)
    item._history_user = user
    item.save()
    return item


@transaction.atomic
def policy_item_delete(*, item: PolicyItem, user) -> None:
    """An item in use is refused by ``core.reference`` (retire it instead)."""
    require_office_manager(user, None, what="นโยบายและยุทธศาสตร์ระดับชาติ")
    item._history_user = user
    item.delete()
