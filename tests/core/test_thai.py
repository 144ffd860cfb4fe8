import datetime
import re
from decimal import Decimal

import pytest

from core import thai


@pytest.mark.parametrize(
    ("day", "fiscal_year"),
    [
        (datetime.date(2023, 9, 30), 2566),
        (datetime.date(2023, 10, 1), 2567),
        (datetime.date(2024, 1, 1), 2567),
        (datetime.date(2024, 9, 30), 2567),
        (datetime.date(2024, 10, 1), 2568),
    ],
)
def test_fiscal_year_of_starts_on_first_of_october(day, fiscal_year):
    assert thai.fiscal_year_of(day) == fiscal_year


def test_fiscal_year_range_2567():
    assert thai.fiscal_year_range(2567) == (
        datetime.date(2023, 10, 1),
        datetime.date(2024, 9, 30),
    )


def test_fiscal_year_round_trips_for_every_day_of_a_leap_year():
    start, end = thai.fiscal_year_range(2567)
    day = start
    while day <= end:
        assert thai.fiscal_year_of(day) == 2567
        day += datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("quarter", "start", "end"),
    [
        (1, datetime.date(2023, 10, 1), datetime.date(2023, 12, 31)),
        (2, datetime.date(2024, 1, 1), datetime.date(2024, 3, 31)),
        (3, datetime.date(2024, 4, 1), datetime.date(2024, 6, 30)),
        (4, datetime.date(2024, 7, 1), datetime.date(2024, 9, 30)),
    ],
)
def test_fiscal_quarter_ranges(quarter, start, end):
    assert thai.fiscal_quarter_range(2567, quarter) == (start, end)
    assert thai.fiscal_quarter_of(start) == quarter
    assert thai.fiscal_quarter_of(end) == quarter


def test_fiscal_quarter_range_rejects_quarter_five():
    with pytest.raises(ValueError, match="ไตรมาส"):
        thai.fiscal_quarter_range(2567, 5)


def test_fiscal_months_run_october_to_september():
    months = thai.fiscal_month_dates(2567)
    assert months[0] == datetime.date(2023, 10, 1)
    assert months[-1] == datetime.date(2024, 9, 1)
    assert [thai.THAI_MONTHS_ABBR[m.month - 1] for m in months[:3]] == [
        "ต.ค.",
        "พ.ย.",
        "ธ.ค.",
    ]


def test_quarter_label():
    assert thai.quarter_label(1) == "ไตรมาส 1 (ต.ค.–ธ.ค.)"
    assert thai.quarter_label(4, "thai") == "ไตรมาส ๔ (ก.ค.–ก.ย.)"


@pytest.mark.parametrize(
    ("style", "digits", "expected"),
    [
        ("full", "arabic", "1 ตุลาคม 2566"),
        ("short", "arabic", "1 ต.ค. 66"),
        ("medium", "arabic", "1 ต.ค. 2566"),
        ("numeric", "arabic", "01/10/2566"),
        ("full", "thai", "๑ ตุลาคม ๒๕๖๖"),
    ],
)
def test_thai_date_styles(style, digits, expected):
    assert thai.thai_date(datetime.date(2023, 10, 1), style, digits) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "1/10/2566",
        "01-10-2566",
        "1.10.2566",
        "2566-10-01",
        "1 ต.ค. 2566",
        "1 ตค 2566",
        "1 ตุลาคม 2566",
        "๑ ตุลาคม ๒๕๖๖",
        "๑/๑๐/๒๕๖๖",
        "1 ต.ค. 66",
        "2023-10-01",
        "1/10/2023",
    ],
)
def test_parse_thai_date_accepts_what_users_type(typed):
    assert thai.parse_thai_date(typed) == datetime.date(2023, 10, 1)


@pytest.mark.parametrize(
    "typed", ["", "31/02/2567", "1 ตุลา", "abc", "1/13/2566", "2566/10", "1 foo 2566"]
)
def test_parse_thai_date_rejects_malformed_dates_with_thai_message(typed):
    with pytest.raises(ValueError, match="ไม่ใช่วันที่ที่ถูกต้อง"):
        thai.parse_thai_date(typed)


def test_digit_conversion_both_ways():
    assert thai.to_thai_digits("2566-10-01") == "๒๕๖๖-๑๐-๐๑"
    assert thai.to_arabic_digits("๒๕๖๖ บาท") == "2566 บาท"
    assert thai.to_arabic_digits(thai.to_thai_digits("0123456789")) == "0123456789"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("25,0๐๐", Decimal("25000")),
        ("๒๕,๐๐๐.๕๐", Decimal("25000.50")),
        ("1 234", Decimal("1234")),
        ("12,000 บาท", Decimal("12000")),
        ("-5.25", Decimal("-5.25")),
        (7, Decimal("7")),
        (0.1, Decimal("0.1")),
    ],
)
def test_parse_decimal(typed, expected):
    assert thai.parse_decimal(typed) == expected


@pytest.mark.parametrize("typed", ["", "สองพัน", "1,2a", "1.2.3", "--5"])
def test_parse_decimal_rejects_text(typed):
    with pytest.raises(ValueError, match="ไม่ใช่ตัวเลข"):
        thai.parse_decimal(typed)


def test_format_baht():
    assert thai.format_baht(Decimal("1234567.5")) == "1,234,567.50"
    assert thai.format_baht(Decimal("0.005")) == "0.01"
    assert thai.format_baht(30000, "thai") == "๓๐,๐๐๐.๐๐"


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (Decimal("11"), "สิบเอ็ดบาทถ้วน"),
        (Decimal("21.50"), "ยี่สิบเอ็ดบาทห้าสิบสตางค์"),
        (Decimal("1000000"), "หนึ่งล้านบาทถ้วน"),
        (Decimal("100000"), "หนึ่งแสนบาทถ้วน"),
        (Decimal("30000"), "สามหมื่นบาทถ้วน"),
        (Decimal("101"), "หนึ่งร้อยเอ็ดบาทถ้วน"),
        (Decimal("20"), "ยี่สิบบาทถ้วน"),
        (Decimal("0.25"), "ยี่สิบห้าสตางค์"),
        (Decimal("0"), "ศูนย์บาทถ้วน"),
        ("225,000", "สองแสนสองหมื่นห้าพันบาทถ้วน"),
        (Decimal("11000001.01"), "สิบเอ็ดล้านเอ็ดบาทหนึ่งสตางค์"),
    ],
)
def test_bahttext(amount, words):
    assert thai.bahttext(amount) == words


def test_format_percent_puts_the_word_first():
    assert thai.format_percent(12) == "ร้อยละ 12.00"
    assert thai.format_percent(Decimal("99.766")) == "ร้อยละ 99.77"
    assert thai.format_percent(80, places=0, digits="thai") == "ร้อยละ ๘๐"


def test_percent_of():
    # Seed 002: 2 of 17 projects is 11.76 %, not the 12.00 it printed.
    assert thai.percent_of(2, 17) == Decimal("11.76")
    assert thai.percent_of(5, 0) == Decimal("0.00")


def test_percent_shares_add_up_to_exactly_one_hundred():
    shares = thai.percent_shares([2, 15])
    assert shares == [Decimal("11.76"), Decimal("88.24")]
    thirds = thai.percent_shares([1, 1, 1])
    assert sum(thirds) == Decimal("100.00")
    assert thirds == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert thai.percent_shares([0, 0]) == [Decimal("0.00"), Decimal("0.00")]


# ------------------------------------------------------------------ one home
# Issue 14, item 3: every parser caps its input before any regex work.

THAI_LETTERS = re.compile(r"[\u0e00-\u0e7f]")
#: 16,000 characters: the spreadsheet cell that took 6 s in excel/parsing.py.
LONG = "ต.ค." + " " * 16_000 + "1"


class RegexSpy:
    """Stands in for ``re`` in a module; remembers the longest text given
    to a regex, so a test can assert that long text never reached one."""

    def __init__(self):
        self.longest = 0

    def __getattr__(self, name):
        real = getattr(re, name)
        if not callable(real) or name in {"compile", "escape"}:
            return real

        def spied(pattern, *args, **kwargs):
            texts = [arg for arg in args if isinstance(arg, str)]
            self.longest = max([self.longest, *map(len, texts)])
            return real(pattern, *args, **kwargs)

        return spied


@pytest.mark.parametrize(
    "parse",
    [
        thai.parse_decimal,
        thai.parse_percent,
        thai.parse_thai_date,
        thai.parse_thai_month,
    ],
)
def test_parsers_refuse_long_text_before_any_regex(monkeypatch, parse):
    spy = RegexSpy()
    monkeypatch.setattr(thai, "re", spy)
    with pytest.raises(ValueError) as refused:
        parse(LONG)
    message = str(refused.value)
    assert THAI_LETTERS.search(message)
    assert len(message) < 300  # the pasted page is not echoed back whole
    assert spy.longest <= thai.MAX_TYPED


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("80", Decimal("80")),
        ("80%", Decimal("80")),
        ("ร้อยละ ๘๐.๕", Decimal("80.5")),
        (Decimal("12.5"), Decimal("12.5")),
    ],
)
def test_parse_percent_takes_the_number_with_or_without_its_unit(typed, expected):
    assert thai.parse_percent(typed) == expected


def test_parse_fiscal_year_falls_back_on_digits_int_cannot_read():
    """``"²".isdigit()`` is true but ``int("²")`` fails: ``?fiscal_year=²²²²``
    was an HTTP 500 on the home page and the reports."""
    this_year = thai.current_fiscal_year()
    assert thai.parse_fiscal_year("²²²²") == this_year
    assert thai.parse_fiscal_year("2" * 10_000) == this_year
    assert thai.parse_fiscal_year(" ๒๕๖๙ ") == 2569


def test_formats_that_had_copies_elsewhere():
    day = datetime.date(2023, 10, 1)
    assert thai.thai_month_year(day, short_year=True) == "ต.ค. 66"
    assert thai.thai_month_year(day, abbr=False) == "ตุลาคม 2566"
    assert thai.thai_date(day, style="official") == "1 ตุลาคม พ.ศ. 2566"
    assert thai.format_percent(Decimal("30")) == "ร้อยละ 30.00"
    assert thai.parse_thai_month("ต.ค. 67") == datetime.date(2024, 10, 1)
