"""Form fields and forms for project sheets: months as Thai users type them."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError

from core import thai
from core.forms import FiscalYearField
from core.models import OfficeGroup
from projects.models import Project
from projects.selectors import months_label

#: The one month parser lives in core/thai.py; imported here for the fields.
parse_thai_month = thai.parse_thai_month

ERROR_MONTH = thai.ERROR_NOT_A_MONTH
ERROR_MONTH_RANGE = "ช่วงเดือนไม่ถูกต้อง: เดือนแรกต้องไม่หลังเดือนสุดท้าย ({value})"
ERROR_MONTH_RANGE_TOO_LONG = "ช่วงเดือนยาวเกิน 36 เดือน ({value})"

#: Parts are stripped after splitting: a leading ``\s*`` here (or in any
#: pattern searched through the text) takes quadratic time on long spaces.
_RANGE_SPLIT = re.compile(r"–|—|ถึง|\s-\s|-(?=\D)")


def parse_thai_months(value: str) -> list[datetime.date]:
    """A set of months: "ต.ค. 2567, พ.ย. 2567" or ranges "ต.ค. – ธ.ค. 2567".

    In a range the first month may omit its year; it is then the latest such
    month not after the last one ("ก.ค. – ก.ย. 2568", "พ.ย. – ม.ค. 2568").
    """
    months: set[datetime.date] = set()
    for token in re.split(r"[,;\n]", thai.to_arabic_digits(value)):
        token = token.strip()
        if not token:
            continue
        parts = [part.strip() for part in _RANGE_SPLIT.split(token)]
        if len(parts) == 1:
            months.add(parse_thai_month(token))
            continue
        if len(parts) != 2:
            raise ValueError(ERROR_MONTH)
        last = parse_thai_month(parts[1])
        first = parse_thai_month(parts[0], default_year=last.year)
        if first > last and not re.search(r"\d", parts[0]):
            first = first.replace(year=first.year - 1)
        if first > last:
            raise ValueError(ERROR_MONTH_RANGE.format(value=token))
        day, count = first, 0
        while day <= last:
            months.add(day)
            day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
            count += 1
            if count > 36:
                raise ValueError(ERROR_MONTH_RANGE_TOO_LONG.format(value=token))
    return sorted(months)


class ThaiMonthInput(forms.TextInput):
    def __init__(self, attrs=None):
        defaults = {"placeholder": "เช่น ต.ค. 2567 หรือ 10/2567", "autocomplete": "off"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return thai.thai_month_year(value)
        return super().format_value(value)


class ThaiMonthField(forms.DateField):
    """A month in Buddhist era; stored as its first day."""

    widget = ThaiMonthInput
    default_error_messages = {"invalid": ERROR_MONTH}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_thai_month(value)
        except ValueError as error:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from error


class ThaiMonthsWidget(forms.TextInput):
    def __init__(self, attrs=None):
        defaults = {"placeholder": "เช่น ต.ค. – ธ.ค. 2567, ก.พ. 2568", "size": 28}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, list):
            return months_label([datetime.date.fromisoformat(v) for v in value])
        return super().format_value(value)


class ThaiMonthsField(forms.Field):
    """A set of months, cleaned to the ISO list stored in ``Activity.months``."""

    widget = ThaiMonthsWidget

    def to_python(self, value):
        if isinstance(value, list):
            return value
        if value in self.empty_values:
            return []
        try:
            return [day.isoformat() for day in parse_thai_months(value)]
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from error

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (initial or [])
        except ValidationError:
            return True


class CommentForm(forms.Form):
    """The comment of a return (ส่งกลับแก้ไข) or the reason of a revision."""

    comment = forms.CharField(
        label="ความเห็น / เหตุผล",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "กรุณาระบุความเห็นหรือเหตุผล"},
    )


class ProjectFilterForm(forms.Form):
    fiscal_year = FiscalYearField(label="ปีงบประมาณ", required=False)
    group = forms.ModelChoiceField(
        label="กลุ่ม",
        queryset=OfficeGroup.objects.none(),
        required=False,
        empty_label="ทุกกลุ่ม",
    )
    status = forms.ChoiceField(
        label="สถานะ",
        choices=[("", "ทุกสถานะ"), *Project.Status.choices],
        required=False,
    )

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = OfficeGroup.objects.filter(
            organization=organization, is_active=True
        )
