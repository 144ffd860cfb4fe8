"""``{% data_table table %}``: a :class:`core.tables.Table` as HTML.

The page and its PDF print the table from the same description the workbook
is written from, so the three cannot drift. Digits follow the template's
``digits`` variable (the screen's choice; documents convert their whole body
afterwards anyway).
"""

from django import template

from core.tables import html_rows

register = template.Library()


@register.inclusion_tag("core/table.html", takes_context=True)
def data_table(context, table, digits=None):
    chosen = digits or context.get("digits") or "arabic"
    return html_rows(table, "thai" if chosen == "thai" else "arabic")
