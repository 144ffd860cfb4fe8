"""Who may do what to a project sheet; built on :mod:`core.rules`.

Each rule answers for both the role *and* the project's state, so a view can
show exactly the buttons that will work. Services check the state first (to
give a precise message) and then ask these rules.
"""

from core import rules
from core.models import OfficeGroup
from core.roles import Role
from projects.models import Project

EDITABLE_BY_GROUP = (Project.Status.DRAFT, Project.Status.RETURNED)
EDITABLE_BY_PLANNER = (
    Project.Status.DRAFT,
    Project.Status.RETURNED,
    Project.Status.SUBMITTED,
    Project.Status.CHECKED,
)
#: a revision is written by the group's head or a planner only (the change of
#: an approved plan is theirs to propose), never by an officer named on it
EDITABLE_IN_REVISION = (Project.Status.REVISING,)


def responsible_person_ids(project: Project) -> set[int]:
    """People named on the project. Note: one query unless cached on it."""
    if not hasattr(project, "_responsible_person_ids"):
        project._responsible_person_ids = set(
            project.responsibles.exclude(person=None).values_list(
                "person_id", flat=True
            )
        )
    return project._responsible_person_ids


class _NamedOn:
    """The people named on a project, queried only if a rule iterates them."""

    def __init__(self, project: Project):
        self.project = project

    def __iter__(self):
        return iter(responsible_person_ids(self.project))


def _organization_id(project: Project) -> int:
    return project.plan.organization_id


def can_view_project(user, project: Project) -> bool:
    return rules.can_view(user, _organization_id(project))


def can_add_project(user, group: OfficeGroup | None = None) -> bool:
    """Planners/admins for any group; group heads for the groups they head."""
    if group is None:
        return not rules.is_overseer(user) and rules.has_role(
            user, Role.ADMIN, Role.PLANNER, Role.GROUP_HEAD
        )
    return rules.can_edit_group_work(user, group)


def _owns(user, project: Project) -> bool:
    return rules.can_edit_owned_work(
        user, group=project.group, responsible=_NamedOn(project)
    )


def can_edit_project(user, project: Project) -> bool:
    """Edit the sheet itself.

    Planners and admins of the office: any state except approved. Group heads
    (acting included) and officers named on the project: their group's
    projects while draft or returned. Approved projects: nobody (start a
    revision first). In a revision (ระหว่างปรับแผน): the group's head and
    planners only, who proposed it.
    """
    if not rules.belongs_to(user, _organization_id(project)):
        return False
    if project.status in EDITABLE_IN_REVISION:
        return rules.can_edit_group_work(user, project.group)
    if rules.can_manage_office(user, _organization_id(project)):
        return project.status in EDITABLE_BY_PLANNER
    return project.status in EDITABLE_BY_GROUP and _owns(user, project)


def can_submit_project(user, project: Project) -> bool:
    return project.status in EDITABLE_BY_GROUP and _owns(user, project)


def can_check_project(user, project: Project) -> bool:
    return project.status == Project.Status.SUBMITTED and rules.can_manage_office(
        user, _organization_id(project)
    )


def can_approve_project(user, project: Project) -> bool:
    return project.status == Project.Status.CHECKED and rules.can_approve(
        user, _organization_id(project)
    )


def can_return_project(user, project: Project) -> bool:
    organization_id = _organization_id(project)
    return project.status in (
        Project.Status.SUBMITTED,
        Project.Status.CHECKED,
    ) and (
        rules.can_manage_office(user, organization_id)
        or rules.can_approve(user, organization_id)
    )


def can_revise_project(user, project: Project) -> bool:
    """Start a recorded revision (ปรับแผน): planners or the group's head."""
    return project.status == Project.Status.APPROVED and rules.can_edit_group_work(
        user, project.group
    )


def can_request_revision(user, project: Project) -> bool:
    """เสนอขออนุมัติการปรับแผน: the group's head or a planner, once edited."""
    return project.status == Project.Status.REVISING and rules.can_edit_group_work(
        user, project.group
    )


def can_decide_revision(user, project: Project) -> bool:
    """Approve or return a proposed revision: the director only (the one who
    approved the project approves its change)."""
    return project.status == Project.Status.REVISION_PENDING and rules.can_approve(
        user, _organization_id(project)
    )


def allowed_actions(user, project: Project) -> dict[str, bool]:
    """Which workflow buttons to show; the services check again on POST."""
    return {
        "edit": can_edit_project(user, project),
        "submit": can_submit_project(user, project),
        "check": can_check_project(user, project),
        "approve": can_approve_project(user, project),
        "return": can_return_project(user, project),
        "revise": can_revise_project(user, project),
        "revise_submit": can_request_revision(user, project),
        "revise_approve": can_decide_revision(user, project),
        "revise_return": can_decide_revision(user, project),
    }
