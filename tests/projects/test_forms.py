import datetime

import pytest
from django.core.exceptions import ValidationError

from projects.forms import (
    ThaiMonthField,
    ThaiMonthsField,
    parse_thai_month,
    parse_thai_months,
)

D = datetime.date


@pytest.mark.parametrize(
    "typed",
    [
        "ต.ค. 2567",
        "ตุลาคม 2567",
        "ต.ค. 67",
        "10/2567",
        "๑๐/๒๕๖๗",
        "2024-10",
        "2024-10-01",
    ],
)
def test_month_accepts_what_users_type(typed):
    assert parse_thai_month(typed) == D(2024, 10, 1)


def test_month_field_rejects_nonsense_in_thai():
    with pytest.raises(ValidationError) as error:
        ThaiMonthField().clean("13/2567")
    assert error.value.code == "invalid"
    assert "ต.ค. 2567" in error.value.messages[0]


def test_month_field_shows_buddhist_era():
    assert ThaiMonthField().widget.format_value(D(2025, 9, 1)) == "ก.ย. 2568"


def test_months_ranges_and_lists():
    assert parse_thai_months("ต.ค. – ธ.ค. 2567, ก.พ. 2568") == [
        D(2024, 10, 1),
        D(2024, 11, 1),
        D(2024, 12, 1),
        D(2025, 2, 1),
    ]
    # a range crossing the calendar year with the year given once
    assert parse_thai_months("พ.ย. – ม.ค. 2568") == [
        D(2024, 11, 1),
        D(2024, 12, 1),
        D(2025, 1, 1),
    ]


def test_months_field_cleans_to_iso_and_round_trips():
    field = ThaiMonthsField(required=False)
    cleaned = field.clean("ต.ค. 2567 ถึง ธ.ค. 2567")
    assert cleaned == ["2024-10-01", "2024-11-01", "2024-12-01"]
    shown = field.widget.format_value(cleaned)
    assert shown == "ต.ค. 2567 – ธ.ค. 2567"
    assert field.clean(shown) == cleaned
    assert field.clean("") == []


def test_months_field_rejects_reversed_range():
    with pytest.raises(ValidationError) as error:
        ThaiMonthsField().clean("ธ.ค. 2567 – ต.ค. 2567")
    assert "เดือนแรกต้องไม่หลังเดือนสุดท้าย" in error.value.messages[0]
