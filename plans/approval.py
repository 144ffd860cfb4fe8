"""What stands in the way of approving a plan, supplied by the layers above.

A director signs a plan off only when every project in it is approved and
the plan checker finds no blocking problem (issue 17 item 6). Projects and
the checker live in ``projects`` and ``budgets``, above ``plans``, so this
app cannot ask them directly; ``budgets`` registers the dotted path of its
check here when the app registry is ready
(``budgets.apps.BudgetsConfig.ready``), and :func:`plans.services.plan_approve`
(the screen, the admin action and any other path) asks :func:`approval_blockers`.

The check is registered as a dotted path and imported on first use, so
``budgets/apps.py`` need not import models while Django is still loading the
apps. With nothing registered approval is refused outright
(``ImproperlyConfigured``): a missing gate must not read as an open one.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Blocker:
    """One reason the plan cannot be approved yet, with where to fix it."""

    subject: str
    message: str
    url: str
    link_label: str


_registered: list[str] = []


def register_approval_check(dotted_path: str) -> None:
    """Called once by ``budgets`` at start-up (again in a test: replaced).
    The function at ``dotted_path`` takes a plan and returns its blockers."""
    _registered[:] = [dotted_path]


def _check() -> Callable:
    if not _registered:
        raise ImproperlyConfigured(
            "The plan approval check is supplied by the budgets app "
            "(budgets.apps.BudgetsConfig.ready); add it to INSTALLED_APPS."
        )
    return import_string(_registered[0])


def approval_blockers(plan) -> list[Blocker]:
    """Every blocker of ``plan``; an empty list means it may be approved."""
    return list(_check()(plan))
