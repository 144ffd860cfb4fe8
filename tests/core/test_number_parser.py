"""The one number parser (``core.thai.parse_decimal`` / ``parse_money``) that
the admin, the in-app forms and the Excel import share (issue 15 item 4):
what office documents write is accepted, the rest refused with a Thai message
that shows the text and an example, and long input is refused at once."""

import time
from decimal import Decimal

import pytest

from budgets.forms import CostLineForm, QuarterPlanForm
from core import thai
from core.forms import ThaiDecimalField
from excel import parsing

NBSP = "\u00a0"

ACCEPTED = [
    ("1,000,000", "1000000"),
    ("๑,๐๐๐,๐๐๐.-", "1000000"),
    ("๑๑,๐๐๐.-", "11000"),
    ("11,000.-", "11000"),
    ("11,000-", "11000"),
    ("11000.50 บาท", "11000.50"),
    ("บาท 11,000", "11000"),
    ("๑๑,๐๐๐.- บาท", "11000"),
    ("11,000บาท", "11000"),
    ("฿1,250.75", "1250.75"),
    (f"{NBSP}12,500{NBSP}บาท{NBSP}", "12500"),
    (f"1{NBSP}000", "1000"),
    ("  25,0๐๐  ", "25000"),
    ("๑๒.๕", "12.5"),
    ("0.5", "0.5"),
    (".5", "0.5"),
    ("-500", "-500"),  # the sign is the caller's rule, as before
    ("+3", "3"),
    (1500, "1500"),
    (12.5, "12.5"),
    (Decimal("7.25"), "7.25"),
]

REFUSED = [
    "๑๑,๐๐๐.- ๆ",
    "สองร้อย",
    "2,5",  # a decimal comma: refused rather than read as 25
    "1,2,3",
    "1,0000",
    "1e5",
    "NaN",
    "inf",
    "-",
    ".-",
    "12 บาท 50",
    "١٢",  # Arabic-Indic digits are no Thai user's digits
    "²²",
]


@pytest.mark.parametrize("typed, expected", ACCEPTED)
def test_accepted(typed, expected):
    assert thai.parse_decimal(typed) == Decimal(expected)
    assert thai.parse_money(typed) == Decimal(expected)


@pytest.mark.parametrize("typed", REFUSED)
def test_refused_with_the_text_and_an_example(typed):
    with pytest.raises(ValueError) as number:
        thai.parse_decimal(typed)
    assert str(number.value) == (
        f"“{typed}” ไม่ใช่ตัวเลข ให้พิมพ์เช่น 1,500 หรือ ๑,๕๐๐ หรือ 12.5"
    )
    with pytest.raises(ValueError) as money:
        thai.parse_money(typed)
    assert str(money.value) == (
        f"“{typed}” ไม่ใช่จำนวนเงิน ให้พิมพ์เช่น 11,000 หรือ ๑๑,๐๐๐.- หรือ 11000.50 บาท"
    )


@pytest.mark.parametrize("filler", ["1", " ", ",", NBSP, "1,000", "บาท"])
def test_sixteen_thousand_characters_are_refused_fast(filler):
    typed = (filler * 16_000)[:16_000]
    started = time.perf_counter()
    parsers = [thai.parse_decimal, thai.parse_money]
    if typed.strip():  # a cell of spaces is a blank cell to the import
        parsers.append(parsing.money)
    for parse in parsers:
        with pytest.raises(ValueError) as error:
            parse(typed)
        assert len(str(error.value)) < 200  # the page is cut, not echoed
    assert time.perf_counter() - started < 0.05


def test_the_import_reads_what_the_admin_reads():
    field = ThaiDecimalField(max_digits=14, decimal_places=2, money=True)
    for typed, expected in ACCEPTED:
        if isinstance(typed, str) and not typed.startswith("-"):
            assert field.clean(typed) == Decimal(expected)
            assert parsing.money(typed) == Decimal(expected).quantize(Decimal("0.01"))


def test_the_import_refuses_with_the_cell_text():
    with pytest.raises(ValueError, match="^“๑๑,๐๐๐.- ๆ” ไม่ใช่จำนวนเงิน ให้พิมพ์เช่น"):
        parsing.money("๑๑,๐๐๐.- ๆ")
    with pytest.raises(ValueError, match="^“สาม” ไม่ใช่ตัวเลข ให้พิมพ์เป็นจำนวนเต็ม"):
        parsing.integer("สาม")
    with pytest.raises(ValueError, match="ต้องไม่ติดลบ"):
        parsing.money("-500")  # negative money stays refused in the import


def test_the_form_field_is_a_text_box_with_the_parsers_message():
    field = ThaiDecimalField(max_digits=14, decimal_places=2)
    html = field.widget.render("amount", "1,000,000")
    assert 'type="text"' in html and 'inputmode="decimal"' in html
    with pytest.raises(Exception) as error:
        field.clean("12 บาท 50")
    assert "“12 บาท 50” ไม่ใช่ตัวเลข ให้พิมพ์เช่น" in str(error.value)


def test_in_app_boxes_read_office_style_numbers():
    """The cost-line and quarterly-plan screens (and their admin inlines)."""
    amount = QuarterPlanForm().fields["amount"]
    assert amount.clean("๑,๐๐๐,๐๐๐.-") == Decimal("1000000")
    assert 'type="text"' in amount.widget.render("amount", "")
    with pytest.raises(Exception, match="“๑๑,๐๐๐.- ๆ” ไม่ใช่จำนวนเงิน"):
        amount.clean("๑๑,๐๐๐.- ๆ")
    persons = CostLineForm().fields["persons"]
    assert persons.clean("1,000") == Decimal("1000")
    with pytest.raises(Exception, match="“สิบ” ไม่ใช่ตัวเลข ให้พิมพ์เช่น"):
        persons.clean("สิบ")
