"""Roles are Django groups; this module names them and grants their permissions.

Permissions are listed as ``"app_label.action_model"`` patterns where ``*`` stands
for every model of the app, so later apps get their rights by adding models, not
by editing this file. :func:`sync_roles` runs after every ``migrate``.
"""

from django.contrib.auth.models import Group, Permission


class Role:
    ADMIN = "ผู้ดูแลระบบ"
    PLANNER = "นโยบายและแผน"
    GROUP_HEAD = "ผู้อำนวยการกลุ่ม"
    PROJECT_OFFICER = "ผู้รับผิดชอบโครงการ"
    FINANCE = "การเงิน"
    DIRECTOR = "ผู้บริหาร"
    VIEWER = "ผู้ติดตามและอ่านอย่างเดียว"
    #: Staff of a network node (สนผ. สพฐ., a region): reads every office under
    #: the node on the network pages, writes nothing anywhere.
    OVERSEER = "ผู้กำกับติดตามระดับเครือข่าย"

    ALL = (
        ADMIN,
        PLANNER,
        GROUP_HEAD,
        PROJECT_OFFICER,
        FINANCE,
        DIRECTOR,
        VIEWER,
        OVERSEER,
    )
    #: Roles whose work is entered in the admin screens; the director and
    #: viewers read the app's pages only.
    ADMIN_SCREENS = (ADMIN, PLANNER, GROUP_HEAD, PROJECT_OFFICER, FINANCE)


_DOMAIN_APPS = ("core", "plans", "projects", "budgets", "progress", "reports")
_VIEW_ALL = [f"{app}.view_*" for app in _DOMAIN_APPS]


def _crud(app: str, *models: str, actions=("add", "change", "delete")) -> list[str]:
    return [f"{app}.{action}_{model}" for model in models for action in actions]


#: A project's money, entered with the project (not envelopes or targets).
_PROJECT_MONEY = _crud("budgets", "costline", "quarterplan")
#: A project's progress report and its parts (not the rounds).
_PROGRESS_REPORTING = _crud(
    "progress",
    "progressreport",
    "activityprogress",
    "kpiactual",
    "evidence",
    actions=("add", "change"),
)

ROLE_PERMISSIONS: dict[str, list[str]] = {
    # An office's own administrator: everything of the office and its logins,
    # but not the role definitions (groups are shared by every office).
    Role.ADMIN: [
        *[f"{app}.*" for app in _DOMAIN_APPS],
        "auth.view_group",
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
    ],
    Role.PLANNER: [
        *_VIEW_ALL,
        "plans.*",
        "projects.*",
        "budgets.*",
        "progress.*",
        "reports.*",
        "core.change_person",
        "core.add_person",
    ],
    Role.GROUP_HEAD: [
        *_VIEW_ALL,
        "projects.add_*",
        "projects.change_*",
        "projects.delete_*",
        *_PROJECT_MONEY,
        *_crud("budgets", "disbursement"),
        *_PROGRESS_REPORTING,
    ],
    # Officers edit the sheets they are named on (the rules say which), not
    # whole projects: no adding or deleting projects.
    Role.PROJECT_OFFICER: [
        *_VIEW_ALL,
        "projects.change_project",
        *_crud(
            "projects",
            "projectresponsible",
            "objective",
            "projecttarget",
            "expectedresult",
            "activity",
            "projectkpi",
        ),
        *_PROJECT_MONEY,
        *_PROGRESS_REPORTING,
    ],
    Role.FINANCE: [*_VIEW_ALL, "budgets.*"],
    Role.DIRECTOR: [*_VIEW_ALL],
    Role.VIEWER: [*_VIEW_ALL],
    # No model permission at all: an overseer's reading is the network pages'
    # aggregates (core.rules.can_oversee), never an office's admin screens.
    Role.OVERSEER: [],
}


def _matches(pattern: str, permission: Permission) -> bool:
    app_label, _, codename_pattern = pattern.partition(".")
    if permission.content_type.app_label != app_label:
        return False
    if codename_pattern == "*":
        return True
    if codename_pattern.endswith("*"):
        return permission.codename.startswith(codename_pattern[:-1])
    return permission.codename == codename_pattern


def sync_roles() -> None:
    """Create every role group and grant exactly the permissions listed above."""
    permissions = list(Permission.objects.select_related("content_type"))
    for role, patterns in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        granted = [
            permission
            for permission in permissions
            if any(_matches(pattern, permission) for pattern in patterns)
        ]
        group.permissions.set(granted)
