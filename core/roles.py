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

    ALL = (ADMIN, PLANNER, GROUP_HEAD, PROJECT_OFFICER, FINANCE, DIRECTOR, VIEWER)


_DOMAIN_APPS = ("core", "plans", "projects", "budgets", "progress", "reports")
_VIEW_ALL = [f"{app}.view_*" for app in _DOMAIN_APPS]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMIN: [f"{app}.*" for app in _DOMAIN_APPS] + ["auth.*"],
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
        "budgets.add_*",
        "budgets.change_*",
        "budgets.delete_*",
        "progress.add_*",
        "progress.change_*",
    ],
    Role.PROJECT_OFFICER: [
        *_VIEW_ALL,
        "projects.change_*",
        "budgets.change_*",
        "progress.add_*",
        "progress.change_*",
    ],
    Role.FINANCE: [*_VIEW_ALL, "budgets.*"],
    Role.DIRECTOR: [*_VIEW_ALL],
    Role.VIEWER: [*_VIEW_ALL],
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
