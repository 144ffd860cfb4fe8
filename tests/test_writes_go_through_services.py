"""Every write of domain data goes through the app's services (issue 14 item 2).

The services hold the rules (envelope, approval and round locks, who may
write), write history with the user and bump ``edit_version``. A screen, the
import, a command or a loader that writes rows itself skips all of that, as
the Excel import and the progress admin once did. This test reads the code:

- no direct ORM write (``.save(``, ``.create(``, ``.bulk_create(``,
  ``.update(``, ``.delete(``, ``.bulk_update(``, ``get_or_create``,
  ``update_or_create``) in the admin, views, import, commands and loaders;
- every ``save_model`` / ``save_formset`` / ``delete_model`` /
  ``delete_queryset`` override and every admin action, in those files and in
  the mixins the registered admins inherit, calls a service;
- the admin of a domain model that has a save service does not fall back on
  ``ModelAdmin.save_model``;
- no registered admin of domain data (a model of one of the apps above), nor
  an admin holding an inline of one, keeps Django's own ``save_model``,
  ``delete_model``, ``delete_queryset`` or (with an inline that can write)
  ``save_formset``: only :data:`NOT_DOMAIN_DATA` and the read-only admins
  and inlines may, each for a stated reason.
"""

import ast
import importlib
import inspect
import textwrap
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from budgets.admin import AllocationAdmin

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "core",
    "plans",
    "projects",
    "budgets",
    "progress",
    "reports",
    "excel",
    "public",
    "home",
)
WRITES = {
    "save",
    "create",
    "bulk_create",
    "update",
    "delete",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
HOOKS = ("save_model", "save_formset", "delete_model", "delete_queryset")

#: Modules that count as services besides ``<app>.services``, with the reason.
SERVICE_MODULES = {
    "core.trash": "the trash is the delete service of every TrashAdminMixin admin",
}

#: Files allowed to write directly, with the number of writes they hold today
#: (a new one fails) and why. Keep this empty.
ALLOWED_WRITES: dict[str, int] = {}

#: Admin actions that write no domain data, with the reason.
ALLOWED_ACTIONS = {
    "AccessAttemptAdmin.cleanup_expired_attempts": (
        "django-axes' expired login attempts, through axes' own handler"
    ),
    "PlanAdmin.start_revision": (
        "writes nothing: opens the revision page, which calls plan_start_revision"
    ),
}

#: Save service of each domain model whose name does not follow
#: ``<model>_save`` in its app's services.
SAVE_SERVICES = {
    "budgets.Disbursement": "disbursement_create",
    "progress.ProgressReport": "report_save_draft",
    "progress.ReportingRound": "round_save",
    "plans.Plan": "direction_save",
    "core.GroupHeadAssignment": "group_head_save",
}

#: Admins of such models that never save, with the reason (checked: they
#: refuse to add and to change, even for a superuser).
READ_ONLY_ADMINS = {
    "budgets.CostLine": "lines are entered under their activity (ActivityAdmin)",
    "core.DeletedObject": (
        "the trash's records are written by core.trash when a project or report "
        "is deleted and restored by the admin's action (trash_restore)"
    ),
    "reports.DocumentJob": (
        "a render's progress record, written by its task (reports.services)"
    ),
    "core.TaskRecord": (
        "a task's progress record (imports, reminders), written by its task "
        "through core.services' task_record_* functions"
    ),
}

#: Registered admins of models that are not the plan's data: they may keep
#: Django's own save and delete. Keep this to other packages' models.
NOT_DOMAIN_DATA = {
    "auth.Group": "the roles, granted by core.roles.sync_roles after migrate",
    "auth.User": (
        "logins (django.contrib.auth); their staff record, the Person inline, "
        "is domain data and is checked as an inline"
    ),
    "axes.AccessAttempt": "django-axes' record of login attempts",
    "axes.AccessFailureLog": "django-axes' record of failed logins",
    "axes.AccessLog": "django-axes' record of logins",
    "core.DeletedObject": (
        "the trash: a deleted object's record, not plan data; superusers "
        "purge it with Django's delete (what it held is gone already)"
    ),
    "reports.DocumentJob": (
        "a document render's progress record, not plan data; nobody deletes "
        "it from the admin (has_delete_permission is False)"
    ),
    "core.TaskRecord": (
        "a background task's progress record, not plan data; nobody deletes "
        "it from the admin (has_delete_permission is False), the scheduled "
        "command prunes it (core.services.task_records_prune)"
    ),
}

WRITE_HOOKS = ("save_model", "delete_model", "delete_queryset")


def _scanned_files():
    patterns = (
        "*/admin.py",
        "excel/importer.py",
        "*/demo.py",
        "*/demo_*.py",
        "*/management/commands/*.py",
        "*/views.py",
    )
    for pattern in patterns:
        for path in sorted(ROOT.glob(pattern)):
            if path.parts[len(ROOT.parts)] in APPS:
                yield path


def _is_service_module(name: str) -> bool:
    return name == "services" or name.endswith(".services") or name in SERVICE_MODULES


def _service_names(tree: ast.Module) -> set[str]:
    """Names a module binds to a services module or to a function of one."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                bound = alias.asname or alias.name
                if _is_service_module(f"{node.module}.{alias.name}"):
                    names.add(bound)  # from budgets import services as x
                elif _is_service_module(node.module):
                    names.add(bound)  # from core.services import fn
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _is_service_module(alias.name):
                    names.add(alias.asname or alias.name)
    return names


def _uses_service(function: ast.AST, services: set[str]) -> bool:
    """Whether the body refers to a service (a call or a service handed to a
    helper), or hands over to ``self.delete_model``."""
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and node.id in services:
            return True
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "delete_model"
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
        ):
            return True
    return False


def _receiver(node: ast.Attribute) -> str:
    return ast.unparse(node.value)


def direct_writes(path: Path) -> list[str]:
    """``file:line: code`` of each direct ORM write in ``path``."""
    source = path.read_text(encoding="utf-8")
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        if method not in WRITES:
            continue
        receiver = _receiver(node.func)
        if method == "save" and any(
            k.arg == "commit"
            and isinstance(k.value, ast.Constant)
            and not k.value.value
            for k in node.keywords
        ):
            continue  # form.save(commit=False) builds objects, writes nothing
        if method == "delete" and "storage" in receiver:
            continue  # a stored file, not a row
        if method == "update" and not any(
            word in receiver for word in ("objects", "filter(", "exclude(", "all(")
        ):
            continue  # dict.update
        found.append(
            f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:80]}"
        )
    return found


def admin_hooks_without_service(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    services = _service_names(tree)
    missing = []
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        for function in cls.body:
            if not isinstance(function, ast.FunctionDef):
                continue
            is_action = any(
                "action" in ast.unparse(decorator)
                for decorator in function.decorator_list
            )
            if function.name not in HOOKS and not is_action:
                continue
            name = f"{cls.name}.{function.name}"
            if name in ALLOWED_ACTIONS:
                continue
            if not _uses_service(function, services):
                missing.append(f"{path.relative_to(ROOT)}:{function.lineno}: {name}")
    return missing


def test_no_direct_orm_writes_outside_the_services():
    found, counts = [], {}
    for path in _scanned_files():
        writes = direct_writes(path)
        relative = str(path.relative_to(ROOT))
        if relative in ALLOWED_WRITES:
            counts[relative] = len(writes)
        else:
            found += writes
    assert not found, "\n".join(found)
    for relative, allowed in ALLOWED_WRITES.items():
        assert counts.get(relative, 0) <= allowed, (
            f"{relative}: {counts.get(relative)} direct writes, allowed {allowed}"
        )


def test_every_admin_hook_and_action_calls_a_service():
    missing = []
    for path in _scanned_files():
        if path.name == "admin.py":
            missing += admin_hooks_without_service(path)
    assert not missing, "\n".join(missing)


def _first_party(function) -> bool:
    return function.__module__.split(".")[0] in APPS


def test_registered_admins_inherit_no_hook_that_skips_the_services():
    """The hooks the registered admins actually run, mixins included."""
    missing = []
    for model_admin in admin.site._registry.values():
        for hook in HOOKS:
            function = getattr(type(model_admin), hook)
            if not _first_party(function):
                continue
            module = inspect.getmodule(function)
            tree = ast.parse(inspect.getsource(module))
            services = _service_names(tree)
            if _is_service_module(module.__name__):
                # A mixin living in a service module calls its own functions.
                services |= {
                    n.name for n in tree.body if isinstance(n, ast.FunctionDef)
                }
            node = ast.parse(textwrap.dedent(inspect.getsource(function)))
            if not _uses_service(node, services):
                missing.append(f"{type(model_admin).__name__}.{hook}")
    assert not missing, "\n".join(sorted(set(missing)))


def _save_service(model):
    label = f"{model._meta.app_label}.{model.__name__}"
    if label in SAVE_SERVICES:
        return SAVE_SERVICES[label]
    try:
        services = importlib.import_module(f"{model._meta.app_label}.services")
    except ModuleNotFoundError:
        return None
    snake = "".join(
        f"_{c.lower()}" if c.isupper() else c for c in model.__name__
    ).lstrip("_")
    name = f"{snake}_save"
    return name if hasattr(services, name) else None


def test_admins_of_models_with_a_save_service_override_save_model():
    checked, default = [], []
    for model, model_admin in admin.site._registry.items():
        label = f"{model._meta.app_label}.{model.__name__}"
        service = _save_service(model)
        if service is None or label in READ_ONLY_ADMINS:
            continue
        checked.append(label)
        save_model = type(model_admin).save_model
        if save_model is ModelAdmin.save_model or service not in inspect.getsource(
            inspect.getmodule(save_model)
        ):
            default.append(f"{label} ({type(model_admin).__name__}): {service}")
    assert not default, "\n".join(default)
    assert {
        "budgets.Allocation",
        "budgets.BudgetSource",
        "budgets.Disbursement",
        "budgets.DisbursementTarget",
        "budgets.ExpenseCategory",
        "budgets.OperatingCost",
        "core.GroupHeadAssignment",
        "core.OfficeGroup",
        "core.Organization",
        "core.Person",
        "core.StandardGroup",
        "projects.Project",
        "projects.Activity",
        "progress.ProgressReport",
        "progress.ReportingRound",
        "plans.Plan",
        "plans.PolicyItem",
        "reports.BookSection",
        "reports.IndicatorResult",
    } <= set(checked)


@pytest.mark.parametrize("label", sorted(SAVE_SERVICES))
def test_the_named_save_services_exist(label):
    app, _ = label.split(".")
    assert hasattr(importlib.import_module(f"{app}.services"), SAVE_SERVICES[label])


def _is_domain(model) -> bool:
    return model._meta.app_label in APPS


def _superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    return request


def _read_only_inline(inline) -> bool:
    """An inline that cannot add, change or delete a row: no deletion, no
    new row (``max_num = 0``) and every field read-only."""
    return (
        not inline.can_delete
        and inline.max_num == 0
        and set(inline.fields or ()) <= set(inline.readonly_fields)
    )


def admins_keeping_a_default_write() -> list[str]:
    """``label (Admin).hook`` for every registered admin of domain data (and
    admin with a writable inline of domain data) that still runs one of
    Django's own write hooks."""
    found = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        name = f"{label} ({type(model_admin).__name__})"
        hooks = []
        if _is_domain(model) and label not in NOT_DOMAIN_DATA:
            hooks += [
                hook
                for hook in WRITE_HOOKS
                if not (hook == "save_model" and label in READ_ONLY_ADMINS)
            ]
        writable = [
            inline
            for inline in model_admin.inlines
            if _is_domain(inline.model) and not _read_only_inline(inline)
        ]
        if writable:
            hooks.append("save_formset")
        found += [
            f"{name}.{hook}"
            for hook in hooks
            if not _first_party(getattr(type(model_admin), hook))
        ]
    return sorted(found)


def test_no_admin_of_domain_data_keeps_djangos_own_save_or_delete():
    """Django's own hooks write the row with no rule of the app: the envelope,
    the approval and round locks, who may write. Each admin of domain data
    overrides them with a service call (which the tests above check)."""
    assert not admins_keeping_a_default_write(), "\n".join(
        admins_keeping_a_default_write()
    )


def test_the_admins_allowed_djangos_own_writes_say_why_and_exist():
    registered = {model._meta.label for model in admin.site._registry}
    for label, reason in {**NOT_DOMAIN_DATA, **READ_ONLY_ADMINS}.items():
        assert reason.strip(), label
        assert label in registered, f"{label} is no longer registered"
    # Only other packages' models are not domain data, save the trash's.
    assert {
        label
        for label in NOT_DOMAIN_DATA
        if label.split(".")[0] in APPS and label not in READ_ONLY_ADMINS
    } == set()


@pytest.mark.parametrize("label", sorted(READ_ONLY_ADMINS))
def test_the_read_only_admins_never_add_or_change(label):
    model = next(m for m in admin.site._registry if m._meta.label == label)
    model_admin = admin.site._registry[model]
    request = _superuser_request()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)


def test_the_check_catches_an_admin_left_on_djangos_own_save(monkeypatch):
    """The check itself: an admin of domain data put back on Django's hooks
    (as the envelope admin was) is reported."""
    monkeypatch.setattr(AllocationAdmin, "save_model", ModelAdmin.save_model)
    monkeypatch.setattr(AllocationAdmin, "delete_model", ModelAdmin.delete_model)
    found = admins_keeping_a_default_write()
    assert "budgets.Allocation (AllocationAdmin).save_model" in found
    assert "budgets.Allocation (AllocationAdmin).delete_model" in found
