"""Template filters for Thai numbers, money and dates (display only).

``{{ amount|baht }}`` → "1,234,567.50"; ``{{ amount|baht:"thai" }}`` → "๑,๒๓๔,๕๖๗.๕๐";
``{{ value|amount }}`` → "2,400" / "2,400.50" / "-" (table cells, as printed);
``{{ amount|bahttext }}``; ``{{ day|thai_date }}`` → "1 ตุลาคม 2566";
``{{ day|thai_date:"short" }}`` → "1 ต.ค. 66";
``{{ moment|bangkok_date|thai_date }}`` → a timestamp's Bangkok day;
``{{ 12|percent }}`` → "ร้อยละ 12.00";
``{{ value|thai_digits }}``; ``{{ 2567|fiscal_year_label }}``.
"""

import datetime

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core import thai

register = template.Library()


def _digits(arg: str | None) -> str:
    return "thai" if arg == "thai" else "arabic"


@register.filter
def baht(value, digits=None):
    if value in (None, ""):
        return ""
    return thai.format_baht(value, _digits(digits))


@register.filter
def amount(value, digits=None):
    """Money in a table cell the way the offices print it: "2,400" for whole
    baht, "2,400.50" with satang, "-" for nothing."""
    if value in (None, ""):
        return "-"
    money = thai.quantize_baht(value)
    if not money:
        return "-"
    places = 0 if money == money.to_integral_value() else 2
    return thai.format_number(money, places, _digits(digits))


@register.filter
def number(value, digits=None):
    if value in (None, ""):
        return ""
    return thai.format_number(value, 0, _digits(digits))


@register.filter
def bahttext(value):
    if value in (None, ""):
        return ""
    return thai.bahttext(value)


@register.filter
def percent(value, digits=None):
    if value in (None, ""):
        return ""
    return thai.format_percent(value, digits=_digits(digits))


@register.filter
def thai_date(value, style="full"):
    """``style`` is full, medium, short or numeric; add "-thai" for Thai digits."""
    if not isinstance(value, datetime.date):
        return ""
    value = thai.bangkok_date(value)
    style, _, digits = str(style).partition("-")
    return thai.thai_date(value, style=style or "full", digits=_digits(digits))


@register.filter
def bangkok_date(value):
    """The Bangkok calendar day of a stored timestamp (see
    :func:`core.thai.bangkok_date`):
    ``{{ report.submitted_at|bangkok_date|thai_date }}``.

    Templates take a timestamp's day only through this filter, never with
    ``.date``, which gives the UTC day (7 hours behind Bangkok's before 07:00).
    """
    if not isinstance(value, datetime.date):
        return ""
    return thai.bangkok_date(value)


@register.filter
def be_year(value, digits=None):
    """A CE year or date → BE year: 2023 → 2566."""
    year = value.year if isinstance(value, datetime.date) else int(value)
    return thai.with_digits(str(thai.be_year(year)), _digits(digits))


@register.filter
def thai_digits(value):
    return thai.to_thai_digits(value)


@register.filter
def fiscal_year_label(value, digits=None):
    """2567 → "ปีงบประมาณ พ.ศ. 2567"."""
    return thai.with_digits(f"ปีงบประมาณ พ.ศ. {value}", _digits(digits))


@register.filter
def quarter_label(value, digits=None):
    return thai.quarter_label(int(value), _digits(digits))


@register.filter
def name_parts(value):
    """A person's name with each part (title and first name, surname) kept
    whole: the line may break between the parts, never inside a surname,
    which the Thai word breaker would otherwise split ("สุรเสียง / สุวรรณรัตน์")."""
    parts = str(value or "").split()
    return mark_safe(  # noqa: S308 - every part is escaped
        " ".join(f'<span class="nobr">{escape(part)}</span>' for part in parts)
    )
