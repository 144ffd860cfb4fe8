import datetime

import pytest
from django import forms

from core.forms import ThaiDateField, ThaiDecimalField


class DateForm(forms.Form):
    day = ThaiDateField()
    amount = ThaiDecimalField(max_digits=12, decimal_places=2, required=False)


def test_date_field_accepts_buddhist_era():
    form = DateForm(data={"day": "1 ต.ค. 2566", "amount": "25,0๐๐"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2023, 10, 1)
    assert str(form.cleaned_data["amount"]) == "25000"


@pytest.mark.parametrize("typed", ["31/02/2567", "พรุ่งนี้", "2566"])
def test_malformed_date_gives_one_thai_error_and_keeps_the_input(typed):
    form = DateForm(data={"day": typed})
    assert not form.is_valid()
    assert form.errors.as_data()["day"][0].code == "invalid"
    assert "วันที่ไม่ถูกต้อง" in form.errors["day"][0]
    # what the user typed is shown back to them
    assert f'value="{typed}"' in str(form["day"])


def test_date_widget_shows_buddhist_era():
    form = DateForm(initial={"day": datetime.date(2024, 9, 30)})
    assert 'value="30/09/2567"' in str(form["day"])


def test_decimal_field_rejects_words_with_thai_message():
    form = DateForm(data={"day": "1/10/2566", "amount": "สองพัน"})
    assert not form.is_valid()
    assert form.errors.as_data()["amount"][0].code == "invalid"
