"""Form fields that accept what Thai users type."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from core.thai import (
    ERROR_FISCAL_YEAR,
    FISCAL_YEARS,
    fiscal_year_from_text,
    parse_decimal,
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


class ThaiDecimalField(forms.DecimalField):
    """Accepts Thai digits and separators: "25,0๐๐" is 25000."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_decimal(value)
        except ValueError as error:
            raise ValidationError(
                "กรุณากรอกตัวเลข เช่น 25,000.50", code="invalid"
            ) from error


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
