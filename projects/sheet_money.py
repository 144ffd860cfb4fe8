"""The money printed on a project sheet, supplied by ``budgets``.

A project sheet shows its activities' budgets, the project's total and (for
section 4's completeness) how many cost lines it has; the revision snapshot
of ปรับแผน stores that sheet. Cost lines and every money figure live in
``budgets``, one layer above ``projects``, so this app cannot import them.
Instead ``budgets`` registers its expressions here when the app registry is
ready (``budgets.apps.BudgetsConfig.ready``) and the sheet's queries ask for
them: the sums are the same ones ``budgets.rollups`` uses everywhere else,
written once.

This module imports no models, so ``budgets/apps.py`` can import it while
Django is still loading the apps.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class SheetMoney:
    """Correlated subquery expressions on the outer row's ``pk``."""

    #: An activity's budget: the sum of its own cost lines.
    activity_budget: Callable[[], object]
    #: A project's budget: the sum of the cost lines of all its activities.
    project_budget: Callable[[], object]
    #: How many cost lines the project's activities have.
    cost_line_count: Callable[[], object]
    #: The project's cost lines as JSON-safe dicts (activity id, category,
    #: description, amount as a decimal string): the frozen copy of a
    #: revision (ปรับแผน) keeps them, so its memo compares money per line
    #: and per expense category with what the change made.
    snapshot_lines: Callable[[object], list[dict]] | None = None
    #: The project's quarterly plans (activity id, quarter, amount as a
    #: decimal string): the frozen copy keeps them too, so the approved
    #: plan's book prints the spending plan last approved while the live
    #: one is being changed.
    snapshot_quarters: Callable[[object], list[dict]] | None = None


_registered: list[SheetMoney] = []


def register_sheet_money(money: SheetMoney) -> None:
    """Called once by ``budgets`` at start-up (again in a test: replaced)."""
    _registered[:] = [money]


def sheet_money() -> SheetMoney:
    if not _registered:
        raise ImproperlyConfigured(
            "The project sheet's money is supplied by the budgets app "
            "(budgets.apps.BudgetsConfig.ready); add it to INSTALLED_APPS."
        )
    return _registered[0]
