"""Workflow of a project sheet: submit, check, approve, return and revise.

Each step is recorded as a ``ProjectTransition`` (who, when, comment). On any
refusal nothing changes and a ``ValidationError`` (wrong state, missing
sections) or ``PermissionDenied`` (wrong role) carries a Thai message.
"""

import json
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from core.history import set_change_reason
from projects import rules
from projects.models import Activity, Project, ProjectRevision, ProjectTransition
from projects.selectors import project_sheet
from projects.sheet_money import sheet_money

Status = Project.Status

ERROR_NOT_ALLOWED = "คุณไม่มีสิทธิ์ดำเนินการนี้กับโครงการนี้"
ERROR_WRONG_STATE = "โครงการสถานะ “{status}” ไม่สามารถ{action}ได้"
ERROR_COMMENT_REQUIRED = "กรุณาระบุเหตุผลหรือสิ่งที่ต้องแก้ไขก่อนส่งกลับ"
ERROR_REASON_REQUIRED = "กรุณาระบุเหตุผลการปรับแผน"

# Submission checks, each naming the section of the sheet to fix.
ERROR_NO_STRATEGY = "ความสอดคล้อง: ต้องเชื่อมโยงกับกลยุทธ์ของสำนักงานในแผนปีนี้อย่างน้อย 1 กลยุทธ์"
ERROR_NO_OBJECTIVE = "ข้อ 2 วัตถุประสงค์: ต้องมีวัตถุประสงค์อย่างน้อย 1 ข้อ"
ERROR_NO_KPI = "ข้อ 7 ตัวชี้วัดความสำเร็จ: ต้องมีตัวชี้วัดอย่างน้อย 1 ตัว"
ERROR_NO_RESPONSIBLE = "ผู้รับผิดชอบโครงการ: ต้องระบุผู้รับผิดชอบอย่างน้อย 1 คน"
ERROR_PERIOD = "ระยะเวลาดำเนินการ: เดือนสิ้นสุดต้องไม่ก่อนเดือนเริ่มดำเนินการ"

ACTION_LABELS = {
    "submit": "เสนอ",
    "check": "ตรวจ",
    "approve": "อนุมัติ",
    "return": "ส่งกลับแก้ไข",
    "revise": "ปรับแผน",
    "revise_submit": "เสนอขออนุมัติการปรับแผน",
    "revise_approve": "อนุมัติการปรับแผน",
    "revise_return": "ส่งกลับการปรับแผน",
}


def submission_problems(project: Project) -> list[str]:
    """What must be filled in before the project can be submitted."""
    problems = []
    if not project.strategies.filter(plan_id=project.plan_id).exists():
        problems.append(ERROR_NO_STRATEGY)
    if not project.objectives.exclude(text="").exists():
        problems.append(ERROR_NO_OBJECTIVE)
    if not project.kpis.exists():
        problems.append(ERROR_NO_KPI)
    if not project.responsibles.exists():
        problems.append(ERROR_NO_RESPONSIBLE)
    # No period at all is allowed (the source may give none); a reversed one is not.
    if project.has_period and project.end_month < project.start_month:
        problems.append(ERROR_PERIOD)
    return problems


def _locked(project: Project) -> Project:
    return (
        Project.objects.select_for_update()
        .select_related("plan", "group")
        .get(pk=project.pk)
    )


def _require(project: Project, action: str, states, allowed: bool) -> None:
    if project.status not in states:
        raise ValidationError(
            ERROR_WRONG_STATE.format(
                status=project.get_status_display(), action=ACTION_LABELS[action]
            ),
            code="wrong_state",
        )
    if not allowed:
        raise PermissionDenied(ERROR_NOT_ALLOWED)


def _move(project: Project, to_status: str, user, comment: str = "") -> Project:
    ProjectTransition.objects.create(
        project=project,
        from_status=project.status,
        to_status=to_status,
        actor=user,
        comment=comment,
    )
    project.status = to_status
    label = Project.Status(to_status).label
    set_change_reason(project, f"{label}: {comment}" if comment else label)
    project.save(update_fields=["status", "updated_at"])
    return project


@transaction.atomic
def project_submit(*, project: Project, user) -> Project:
    """เสนอ: draft or returned → submitted, once the sheet is complete enough."""
    project = _locked(project)
    _require(
        project,
        "submit",
        rules.EDITABLE_BY_GROUP,
        rules.can_submit_project(user, project),
    )
    problems = submission_problems(project)
    if problems:
        raise ValidationError(problems, code="incomplete")
    return _move(project, Status.SUBMITTED, user)


@transaction.atomic
def project_check(*, project: Project, user, comment: str = "") -> Project:
    """ตรวจแล้ว: a planner has checked a submitted project."""
    project = _locked(project)
    _require(
        project, "check", (Status.SUBMITTED,), rules.can_check_project(user, project)
    )
    return _move(project, Status.CHECKED, user, comment.strip())


@transaction.atomic
def project_approve(*, project: Project, user, comment: str = "") -> Project:
    """อนุมัติ: the director approves a checked project."""
    project = _locked(project)
    _require(
        project, "approve", (Status.CHECKED,), rules.can_approve_project(user, project)
    )
    return _move(project, Status.APPROVED, user, comment.strip())


@transaction.atomic
def project_return(*, project: Project, user, comment: str) -> Project:
    """ส่งกลับแก้ไข with a required comment (planner or director)."""
    project = _locked(project)
    _require(
        project,
        "return",
        (Status.SUBMITTED, Status.CHECKED),
        rules.can_return_project(user, project),
    )
    if not (comment or "").strip():
        raise ValidationError(ERROR_COMMENT_REQUIRED, code="comment_required")
    return _move(project, Status.RETURNED, user, comment.strip())


def project_snapshot(project: Project) -> dict:
    """The whole sheet as JSON-safe data (what ``project_sheet`` returns),
    with its cost lines (``cost_lines``) and quarterly plans
    (``quarter_plans``), both supplied by ``budgets``: the memo of a revision
    compares money per activity and per expense category, and the approved
    plan's book prints the quarters last approved while a change is made."""
    snapshot = project_sheet(project)
    money = sheet_money()
    if money.snapshot_lines is not None:
        snapshot["cost_lines"] = money.snapshot_lines(project)
    if money.snapshot_quarters is not None:
        snapshot["quarter_plans"] = money.snapshot_quarters(project)
    return json.loads(json.dumps(snapshot, cls=DjangoJSONEncoder))


@transaction.atomic
def project_start_revision(*, project: Project, reason: str, user) -> ProjectRevision:
    """ขอปรับแผน of an approved project.

    1. Freeze the approved sheet (activities, months, cost lines with their
       amounts) as a ``ProjectRevision`` snapshot of its version.
    2. Bump the version and move the project to ระหว่างปรับแผน: the group's
       head or a planner makes the change in the editor, then proposes it
       (:func:`project_request_revision`) for the director's approval.
    3. Record the transition with the reason.
    """
    project = _locked(project)
    _require(
        project, "revise", (Status.APPROVED,), rules.can_revise_project(user, project)
    )
    if not (reason or "").strip():
        raise ValidationError(ERROR_REASON_REQUIRED, code="reason_required")
    revision = ProjectRevision.objects.create(
        project=project,
        version=project.version,
        reason=reason.strip(),
        snapshot=project_snapshot(project),
        created_by=user,
    )
    project.version += 1
    set_change_reason(project, f"ปรับแผน: {reason.strip()}")
    project.save(update_fields=["version", "updated_at"])
    _move(project, Status.REVISING, user, f"ปรับแผน: {reason.strip()}")
    return revision


def _open_revision(project: Project) -> ProjectRevision:
    """The revision being made: the one that froze the version before this."""
    return project.revisions.select_for_update().get(version=project.version - 1)


@transaction.atomic
def project_request_revision(*, project: Project, user) -> Project:
    """เสนอขออนุมัติการปรับแผน: the changed sheet goes to the director.

    The sheet must still be complete (the same checks as a submission): a
    revision that drops the last KPI would print a sheet nobody may approve.
    """
    project = _locked(project)
    _require(
        project,
        "revise_submit",
        (Status.REVISING,),
        rules.can_request_revision(user, project),
    )
    problems = submission_problems(project)
    if problems:
        raise ValidationError(problems, code="incomplete")
    return _move(project, Status.REVISION_PENDING, user)


@transaction.atomic
def project_approve_revision(*, project: Project, user, comment: str = "") -> Project:
    """อนุมัติการปรับแผน: the director approves the change; the project is
    approved again in its new version, and the revision counts towards its
    "ฉบับปรับปรุงครั้งที่ N"."""
    project = _locked(project)
    _require(
        project,
        "revise_approve",
        (Status.REVISION_PENDING,),
        rules.can_decide_revision(user, project),
    )
    revision = _open_revision(project)
    revision.approved_by = user
    revision.approved_at = timezone.now()
    revision.save(update_fields=["approved_by", "approved_at"])
    return _move(project, Status.APPROVED, user, comment.strip())


@transaction.atomic
def project_return_revision(*, project: Project, user, comment: str) -> Project:
    """ส่งกลับการปรับแผน with a required comment: back to ระหว่างปรับแผน.

    Nothing is restored: the director's comment usually asks for a part of
    the change to be redone, and wiping the whole change would make the
    planner type it again. The frozen copy stays as it was, so the memo
    still compares with the approved version, and the planner can read it
    on the revision page to undo a line by hand.
    """
    project = _locked(project)
    _require(
        project,
        "revise_return",
        (Status.REVISION_PENDING,),
        rules.can_decide_revision(user, project),
    )
    if not (comment or "").strip():
        raise ValidationError(ERROR_COMMENT_REQUIRED, code="comment_required")
    return _move(project, Status.REVISING, user, comment.strip())


# ------------------------------------------------------------------ sheet writes


def _require_edit(user, project: Project) -> None:
    """Who may edit the sheet (never an approved project): projects.rules."""
    if not rules.can_edit_project(user, project):
        raise PermissionDenied(ERROR_NOT_ALLOWED)


@transaction.atomic
def project_save(*, project: Project, user, created: bool) -> Project:
    """Save the project sheet's own fields (the admin's form instance).

    A new project: whoever may add one for its group, recorded as its author.
    An existing one: whoever may edit it now, checked again on the row as
    stored (a form opened before the approval cannot write after it). The
    save bumps ``edit_version`` and writes a history row with ``user``.
    """
    if created:
        if not rules.can_add_project(user, project.group):
            raise PermissionDenied(ERROR_NOT_ALLOWED)
        project.created_by = user
    else:
        _require_edit(user, _locked(project))
    project._history_user = user
    project.save()
    return project


#: ``activity_save(parent=KEEP_PARENT)``: leave the activity where it is.
KEEP_PARENT = object()


@transaction.atomic
def activity_save(*, activity: Activity, user, parent=KEEP_PARENT) -> Activity:
    """Save one activity (or sub-activity) of a project its user may edit.

    ``parent`` puts it under that activity (a sub-activity; ``None``: a main
    activity); by default it stays where it is. Given here rather than set
    by the caller because a sub-activity typed under an activity that is new
    in the same save can only point at it once that one has its id.
    Runs the model's checks (a sub-activity of a sub-activity, a parent of
    another project, months), bumps ``edit_version`` and writes a history
    row with ``user``.
    """
    if parent is not KEEP_PARENT:
        activity.parent = parent
    _require_edit(user, _locked(activity.project))
    activity.full_clean()
    activity._history_user = user
    activity.save()
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, user) -> None:
    """Delete an activity of an editable project (history records ``user``)."""
    _require_edit(user, _locked(activity.project))
    activity._history_user = user
    activity.delete()


@transaction.atomic
def sheet_part_save(*, part, user):
    """Save one part of a project sheet its user may edit: a responsible,
    objective, target, KPI or expected result (the admin's inline rows).

    The approval lock and the sheet's permissions are the project's
    (:func:`_require_edit` on the stored, locked row); the row's own checks
    run (a KPI's target for its unit), and its history row names ``user``.
    The project's ``edit_version`` is bumped by :func:`project_save`, which
    the admin runs before the rows, so that a sheet opened elsewhere sees
    the change as a conflict.
    """
    _require_edit(user, _locked(part.project))
    part.full_clean()
    part._history_user = user
    part.save()
    return part


@transaction.atomic
def sheet_part_delete(*, part, user) -> None:
    """Delete one part of an editable sheet (history records ``user``)."""
    _require_edit(user, _locked(part.project))
    part._history_user = user
    part.delete()


# ------------------------------------------------------------------ many at once

ERROR_NOTHING_CHOSEN = "กรุณาเลือกโครงการอย่างน้อย 1 โครงการ"
DECISIONS = {
    "approve": project_approve,
    "return": project_return,
    "revise_approve": project_approve_revision,
    "revise_return": project_return_revision,
}


@dataclass
class Decisions:
    """What :func:`projects_decide` did: the projects moved, and each refused
    one with its Thai reason (wrong state, no permission, no comment)."""

    done: list[Project] = field(default_factory=list)
    refused: list[tuple[Project, str]] = field(default_factory=list)


def projects_decide(*, projects, action: str, user, comment: str = "") -> Decisions:
    """Approve or return several projects, or their plan changes
    (``revise_approve`` / ``revise_return``), one at a time (the director's
    approvals queue).

    Per project, not all-or-nothing: each goes through
    :func:`project_approve` / :func:`project_return` in its own transaction,
    so every check of a single approval holds for each, and a project that
    moved meanwhile (a planner returned it while the queue was open) is
    refused by name without holding back the others the director meant to
    approve. Nothing is written for a refused project.
    """
    decide = DECISIONS[action]
    projects = list(projects)
    if not projects:
        raise ValidationError(ERROR_NOTHING_CHOSEN, code="nothing_chosen")
    result = Decisions()
    for project in projects:
        try:
            result.done.append(decide(project=project, user=user, comment=comment))
        except (ValidationError, PermissionDenied) as error:
            reasons = getattr(error, "messages", None) or [str(error)]
            result.refused.append((project, " ".join(reasons)))
    return result
