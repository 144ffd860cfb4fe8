"""The budget tables for a template: ``summary|budget_tables``,
``progress|quarter_table`` and ``progress|disbursement_projects`` give the
:class:`core.tables.Table` objects that ``{% data_table %}`` prints, the very
ones the workbook writes
(:mod:`budgets.tables`). Filters rather than view context because the summary
is printed by three pages (the budget summary, the budget report and the plan
book), each with its own view.
"""

from django import template

from budgets import tables

register = template.Library()


@register.filter
def budget_tables(summary) -> dict:
    return tables.summary_tables(summary)


@register.filter
def quarter_table(money_totals):
    return tables.quarter_table(money_totals)


@register.filter
def disbursement_projects(progress):
    return tables.disbursement_projects_table(progress)
