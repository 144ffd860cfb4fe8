"""``{% data_table table %}``: a :class:`core.tables.Table` as HTML.

The page and its PDF print the table from the same description the workbook
is written from, so the three cannot drift. Digits follow the template's
``digits`` variable (the screen's choice; documents convert their whole body
afterwards anyway).
"""

from django import template

from core.tables import (
    amount_text,
    html_rows,
    html_table,
    needs_landscape,
    number_col_class,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def data_table(context, table, digits=None):
    """``table`` as HTML; in a document (``document`` in the context) an
    empty table says "–" rather than its on-screen sentence. Written in
    Python (:func:`core.tables.html_table`), not by an included template:
    the cells of a 60-project table were most of a page's time."""
    chosen = digits or context.get("digits") or "arabic"
    paper = bool(context.get("document"))
    rows = html_rows(table, "thai" if chosen == "thai" else "arabic", paper)
    rows["empty"] = "–" if context.get("document") else table.empty
    return html_table(rows)


@register.simple_tag
def amount_columns(widest, count, table_css="data compact"):
    """The ``<col>`` class of a hand-written table's ``count`` amount columns
    whose largest value is ``widest`` (a total), and whether the table needs
    a landscape page (see :mod:`core.tables`, printed widths)."""
    text = widest if isinstance(widest, str) else amount_text(widest)
    css = number_col_class([text], "w-amount")
    return {
        "col": css,
        "landscape": css != "w-amount" and needs_landscape([css] * count, table_css),
    }
