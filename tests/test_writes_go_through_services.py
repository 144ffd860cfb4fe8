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
  ``ModelAdmin.save_model``.
"""

import ast
import importlib
import inspect
import textwrap
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin

ROOT = Path(__file__).resolve().parent.parent
APPS = ("core", "plans", "projects", "budgets", "progress", "reports", "excel", "home")
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
    "plans.Plan": "direction_save",
}

#: Admins of such models that never save, with the reason.
READ_ONLY_ADMINS = {
    "budgets.CostLine": "lines are entered under their activity (ActivityAdmin)",
}


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
        "budgets.Disbursement",
        "budgets.OperatingCost",
        "projects.Project",
        "projects.Activity",
        "progress.ProgressReport",
        "plans.Plan",
    } <= set(checked)


@pytest.mark.parametrize("label", sorted(SAVE_SERVICES))
def test_the_named_save_services_exist(label):
    app, _ = label.split(".")
    assert hasattr(importlib.import_module(f"{app}.services"), SAVE_SERVICES[label])
