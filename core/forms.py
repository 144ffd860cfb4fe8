"""Form fields that accept what Thai users type, and the first-run form."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from core.models import Organization
from core.thai import (
    ERROR_FISCAL_YEAR,
    FISCAL_YEARS,
    current_fiscal_year,
    fiscal_year_from_text,
    parse_decimal,
    parse_money,
    parse_thai_date,
    thai_date,
    to_arabic_digits,
)

PASSWORD_HELP = "เว้นว่างเพื่อให้ระบบสร้างรหัสผ่านให้ (แสดงครั้งเดียวหลังบันทึก)"  # noqa: S105 (help text)


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


#: How many past fiscal years the year choosers offer: an office that starts
#: using Phaen enters last year's plan and results (and a few before).
PAST_FISCAL_YEARS = 10
ERROR_FISCAL_YEAR_CHOICE = "กรุณาเลือกปีงบประมาณจากรายการ (พ.ศ. {first}–{last})"


def fiscal_year_choices() -> list[tuple[int, str]]:
    """Next fiscal year first, then this one and the past ones."""
    this_year = current_fiscal_year()
    years = range(this_year + 1, this_year - PAST_FISCAL_YEARS - 1, -1)
    return [(year, f"พ.ศ. {year}") for year in years]


class FiscalYearChoiceField(forms.TypedChoiceField):
    """A fiscal year chosen from next year back to ``PAST_FISCAL_YEARS`` ago.

    Screens used to create a year's rounds or plan for the current year only;
    a past year needed the admin. Thai digits are accepted ("๒๕๖๗").
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "ปีงบประมาณ")
        kwargs.setdefault("initial", current_fiscal_year)
        super().__init__(choices=fiscal_year_choices, coerce=int, **kwargs)
        years = [year for year, _ in fiscal_year_choices()]
        self.error_messages["invalid_choice"] = ERROR_FISCAL_YEAR_CHOICE.format(
            first=years[-1], last=years[0]
        )
        self.error_messages["required"] = self.error_messages["invalid_choice"]

    def to_python(self, value):
        return super().to_python(to_arabic_digits(str(value or "")[:20]).strip())


class OfficeSetupForm(forms.Form):
    """The first-run page's questions, the same as ``manage.py create_office``.

    The form only shapes what was typed; ``core.services.office_create``
    decides what is refused (a taken name or login, a weak password) and its
    errors are put back on these fields by name.
    """

    name = forms.CharField(
        label="ชื่อเต็มของสำนักงาน",
        max_length=255,
        help_text="เช่น สำนักงานเขตพื้นที่การศึกษาประถมศึกษายโสธร เขต 2",
    )
    short_name = forms.CharField(
        label="ชื่อย่อ", max_length=100, help_text="เช่น สพป.ยโสธร เขต 2"
    )
    kind = forms.ChoiceField(label="ประเภท", choices=Organization.Kind.choices)
    address = forms.CharField(
        label="ที่อยู่", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    admin_username = forms.CharField(label="ชื่อผู้ใช้ของผู้ดูแลระบบของสำนักงาน")
    admin_name = forms.CharField(
        label="ชื่อ-นามสกุลของผู้ดูแลระบบ", max_length=100, required=False
    )
    admin_password = forms.CharField(
        label="รหัสผ่านของผู้ดูแลระบบ",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=PASSWORD_HELP,
    )
    planner_username = forms.CharField(label="ชื่อผู้ใช้ของนักวิเคราะห์นโยบายและแผน")
    planner_name = forms.CharField(
        label="ชื่อ-นามสกุลของนักวิเคราะห์นโยบายและแผน", max_length=100, required=False
    )
    planner_password = forms.CharField(
        label="รหัสผ่านของนักวิเคราะห์นโยบายและแผน",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=PASSWORD_HELP,
    )

    def add_service_errors(self, error: ValidationError) -> None:
        """Put ``office_create``'s errors under the fields they name."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.message_dict.items():
            self.add_error(field if field in self.fields else None, errors)
