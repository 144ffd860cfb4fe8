"""Form fields that accept what Thai users type."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from core.thai import (
    ERROR_FISCAL_YEAR,
    FISCAL_YEARS,
    fiscal_year_from_text,
    parse_decimal,
    parse_money,
    parse_thai_date,
    thai_date,
)


class ThaiDateInput(forms.TextInput):
    """A text box showing dates in Buddhist era, "01/10/2566"."""

    def __init__(self, attrs=None):
        defaults = {"placeholder": "วว/ดด/ปปปป เช่น 01/10/2566", "autocomplete": "off"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return thai_date(value, style="numeric")
        return super().format_value(value)


class ThaiDateField(forms.DateField):
    """Accepts "1/10/2566", "1 ต.ค. 2566", "๑ ตุลาคม ๒๕๖๖", "2023-10-01"…"""

    widget = ThaiDateInput
    default_error_messages = {
        "invalid": "วันที่ไม่ถูกต้อง ให้พิมพ์เช่น 1/10/2566 หรือ 1 ต.ค. 2566"
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_thai_date(value)
        except ValueError as error:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from error


class ThaiDecimalInput(forms.TextInput):
    """A text box for numbers: ``type=number`` would let the browser refuse
    "1,000,000" and "๑๑,๐๐๐.-" before the server could read them (and say so
    in the browser's language); ``inputmode`` still brings up the digits."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", **(attrs or {})})


class ThaiDecimalField(forms.DecimalField):
    """Accepts what :func:`core.thai.parse_decimal` accepts: "1,000,000",
    "๑๑,๐๐๐.-", "25,0๐๐ บาท". A refusal shows what was typed and an example
    (as money when ``money=True``); the box keeps the typed text."""

    widget = ThaiDecimalInput

    def __init__(self, *args, money: bool = False, **kwargs):
        self.money = money
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        parse = parse_money if self.money else parse_decimal
        try:
            return parse(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from error


class FiscalYearField(forms.IntegerField):
    """A Buddhist-era fiscal year, read by :func:`core.thai.fiscal_year_from_text`
    (Thai digits accepted, the year range checked, long text refused) with
    its Thai error. Every form and filter that takes a fiscal year uses it,
    so the pages agree on what a year is."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "ปีงบประมาณ (พ.ศ.)")
        kwargs.setdefault("min_value", FISCAL_YEARS.start)
        kwargs.setdefault("max_value", FISCAL_YEARS.stop - 1)
        messages = {
            "invalid": ERROR_FISCAL_YEAR,
            "min_value": ERROR_FISCAL_YEAR,
            "max_value": ERROR_FISCAL_YEAR,
            "required": "กรุณากรอกปีงบประมาณ",
        }
        kwargs["error_messages"] = {**messages, **kwargs.get("error_messages", {})}
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return fiscal_year_from_text(value)
        except ValueError as error:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from error
