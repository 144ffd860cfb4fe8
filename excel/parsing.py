"""Cell values as users type them → Python values, or a Thai ``ValueError``.

Each parser takes a raw openpyxl cell value (``str``, ``int``, ``float``,
``datetime`` or ``None``) and returns a clean value; ``None`` means blank.
"""

import datetime
import difflib
import re
from collections.abc import Iterable
from decimal import Decimal

from core import thai

ERROR_NEGATIVE = "ต้องไม่ติดลบ"
ERROR_NOT_WHOLE = "ต้องเป็นจำนวนเต็ม"
ERROR_NOT_INTEGER = "“{value}” ไม่ใช่ตัวเลข ให้พิมพ์เป็นจำนวนเต็ม เช่น 3 หรือ ๓"
ERROR_NOT_MONTH = "ไม่ใช่เดือนที่ถูกต้อง ให้พิมพ์เช่น ต.ค. 2569, ตุลาคม 2569 หรือ 10/2569"
ERROR_NOT_DATE = "ไม่ใช่วันที่ที่ถูกต้อง ให้พิมพ์เช่น 15/11/2569 หรือ 15 พ.ย. 2569"
ERROR_CHOICE = "ไม่รู้จักค่า “{value}” ให้ใช้ {choices}"
ERROR_NUMBER_LIST = "ให้พิมพ์หมายเลขคั่นด้วยจุลภาค เช่น 1,3"
ERROR_FLAG = "ให้ทำเครื่องหมาย ✓ หรือเว้นว่าง"
ERROR_CODE_NUMBER = (
    "รหัส “{value}” ถูกเก็บเป็นตัวเลข ไม่ใช่ข้อความ Excel อาจเปลี่ยนรหัสไปแล้ว ({why}) "
    "ให้จัดรูปแบบคอลัมน์นี้เป็นข้อความ (Text) หรือพิมพ์ ' นำหน้ารหัส เช่น '{typed} "
    "แล้วนำเข้าใหม่"
)
#: Whole numbers from this size up lose digits in a spreadsheet (15 of them
#: are kept), so a code cell holding one is no longer the code typed.
EXACT_DIGITS = 10**15

CHECK_MARKS = {"✓", "✔", "✅", "/", "x", "X", "×", "1", "ใช่", "y", "Y", "yes", "true"}
NO_BUDGET_WORDS = {"ไม่ใช้งบประมาณ", "ไม่ใช้งบ", "ไม่ใช้"}


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: object) -> str:
    """Trimmed text; numbers typed into a text column keep their digits."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.date):
        try:  # a date cell in a text column: the date the user typed, in BE
            return thai.thai_date(thai.date_from_cell(value), style="numeric")
        except ValueError:
            return thai.thai_date(_as_date(value), style="numeric")
    return str(value).strip()


def _shown_float(value: float) -> str:
    """A float cell as the sheet shows it: the shortest text of at most 10
    decimals that is the same number (2.0999999999999996 → "2.1")."""
    for places in range(1, 11):
        shown = f"{value:.{places}f}"
        if abs(float(shown) - value) < 1e-9 * max(1.0, abs(value)):
            return shown.rstrip("0").rstrip(".") if "." in shown else shown
    return repr(value)


def code(value: object) -> str:
    """A code cell (project code) as text: ``"2.10"`` stays ``"2.10"``.

    A whole number cell is its digits (``70`` → ``"70"``): Excel keeps those.
    A fractional number cell is refused, because Excel turns the code "2.10"
    typed into a General cell into the number 2.1: read as "2.1" it would be
    another project (or a duplicate of the real 2.1), so the message names
    the cell's text, says what Excel may have done and how to keep codes as
    text. Very long whole numbers are refused for the same reason (Excel
    keeps 15 digits).
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return text(value)
    if isinstance(value, float) and not value.is_integer():
        shown = _shown_float(value)
        cell = repr(value) if len(repr(value)) <= 20 else shown
        typed = shown + "0" if "." in shown else shown
        why = f"เช่น {typed} กลายเป็น {shown}"
        raise ValueError(ERROR_CODE_NUMBER.format(value=cell, why=why, typed=typed))
    if abs(value) >= EXACT_DIGITS:
        shown = f"{value:.0f}"
        why = "Excel เก็บตัวเลขได้เพียง 15 หลัก"
        raise ValueError(ERROR_CODE_NUMBER.format(value=shown, why=why, typed=shown))
    return str(int(value))


def _as_date(value: datetime.date) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _shown(value: object) -> str:
    """A cell's text for a message, cut when long (a pasted page)."""
    shown = text(value) if not isinstance(value, bool) else str(value)
    return shown if len(shown) <= 40 else shown[:40] + "…"


def _number(value: object, money: bool = False) -> Decimal | None:
    """``value`` read by the app's one number parser, blank → None; a date
    cell or a tick is no number, refused with the same message (the cell as
    the user sees it and an example)."""
    if is_blank(value):
        return None
    if isinstance(value, bool | datetime.date):
        message = thai.ERROR_NOT_MONEY if money else thai.ERROR_NOT_NUMBER_SHOWN
        raise ValueError(message.format(value=_shown(value)))
    return thai.parse_money(value) if money else thai.parse_decimal(value)


def decimal(value: object, *, non_negative: bool = False) -> Decimal | None:
    """ "25,0๐๐" or "๑๑,๐๐๐.-" → 25000 / 11000; blank → None; anything else →
    the Thai message of :func:`core.thai.parse_decimal` (the cell's text and
    an example), so the import accepts exactly what the admin and forms do."""
    number = _number(value)
    if non_negative and number is not None and number < 0:
        raise ValueError(ERROR_NEGATIVE)
    return number


def money(value: object) -> Decimal | None:
    """Baht, non-negative, rounded to satang; a refusal speaks of money."""
    number = _number(value, money=True)
    if number is None:
        return None
    if number < 0:
        raise ValueError(ERROR_NEGATIVE)
    return thai.quantize_baht(number)


def integer(value: object) -> int | None:
    """A whole number (an order, an activity number): read by the one parser,
    refused with a whole-number example."""
    try:
        number = decimal(value)
    except ValueError:
        raise ValueError(ERROR_NOT_INTEGER.format(value=_shown(value))) from None
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValueError(ERROR_NOT_WHOLE)
    if number < 0:
        raise ValueError(ERROR_NEGATIVE)
    return int(number)


def flag(value: object) -> bool:
    """✓ (and the marks people use for it) → True; blank → False."""
    if is_blank(value) or value is False or value == 0:
        return False
    if value is True or text(value) in CHECK_MARKS:
        return True
    raise ValueError(ERROR_FLAG)


def uses_budget(value: object) -> bool:
    """ "ไม่ใช้งบประมาณ" → False; blank, ✓ or "ใช้งบประมาณ" → True."""
    if is_blank(value):
        return True
    word = text(value).replace(" ", "")
    if word in NO_BUDGET_WORDS or word in {"-", "ไม่", "no", "0"}:
        return False
    if word in {"ใช้งบประมาณ", "ใช้", "ใช้งบ"} or word in CHECK_MARKS:
        return True
    raise ValueError(
        ERROR_CHOICE.format(value=value, choices="ใช้งบประมาณ หรือ ไม่ใช้งบประมาณ")
    )


def choice(value: object, choices: dict[str, str], default: str | None = None) -> str:
    """A Thai label (or the stored value, or a prefix such as "ใหม่") → stored value."""
    if is_blank(value):
        if default is None:
            raise ValueError("ต้องกรอก")
        return default
    word = text(value).replace(" ", "")
    for label, stored in choices.items():
        compact = label.replace(" ", "")
        if word in (compact, stored) or compact.endswith(word) and len(word) >= 3:
            return stored
    raise ValueError(ERROR_CHOICE.format(value=value, choices=" / ".join(choices)))


def month(value: object) -> datetime.date | None:
    """First day of a month from "ต.ค. 67", "ตุลาคม 2567", "10/2567", a date…

    Text is read by :func:`core.thai.parse_thai_month` (the one month parser,
    which refuses long text before any regex: this module's own pattern took
    6 s on a 16,000-character cell).
    """
    if is_blank(value):
        return None
    if isinstance(value, datetime.date):
        # A date cell (LibreOffice makes one of "1/10/2569"): its month, with
        # the year read by the one rule for date cells.
        return thai.date_from_cell(value).replace(day=1)
    if isinstance(value, bool | int | float):
        raise ValueError(ERROR_NOT_MONTH)
    raw = str(value).strip()
    try:
        first = thai.parse_thai_month(raw)
    except ValueError:
        try:  # a whole date typed into a month column
            return thai.date_from_cell(raw).replace(day=1)
        except thai.DateYearError:
            raise
        except ValueError as error:
            raise ValueError(ERROR_NOT_MONTH) from error
    if first.year not in thai.CE_YEARS:
        raise thai.DateYearError(
            thai.ERROR_DATE_YEAR.format(
                shown=raw,
                understood=thai.thai_month_year(first, abbr=False),
                year=first.year,
            )
        )
    return first


def date(value: object) -> datetime.date | None:
    """A date cell or BE text, read by :func:`core.thai.date_from_cell`."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.date):
        return thai.date_from_cell(value)
    if isinstance(value, bool | int | float):
        raise ValueError(ERROR_NOT_DATE)
    try:
        return thai.date_from_cell(str(value))
    except thai.DateYearError:
        raise  # understood, but of an impossible year: say what was read
    except ValueError as error:
        raise ValueError(ERROR_NOT_DATE) from error


def number_list(value: object) -> list[int]:
    """ "1,3" or "๑, ๓" → [1, 3]."""
    if is_blank(value):
        return []
    if isinstance(value, int | float):
        return [int(value)]
    parts = re.split(r"[,\s;]+", thai.to_arabic_digits(str(value)).strip())
    try:
        return [int(part) for part in parts if part]
    except ValueError as error:
        raise ValueError(ERROR_NUMBER_LIST) from error


def code_list(value: object) -> list[str]:
    """ "1.1, 1.3" → ["1.1", "1.3"] (indicator codes)."""
    if is_blank(value):
        return []
    if isinstance(value, float):
        value = repr(value)
    parts = re.split(r"[,\s;]+", thai.to_arabic_digits(str(value)).strip())
    return [part for part in parts if part]


def name_list(value: object) -> list[str]:
    """Names separated by commas or new lines."""
    if is_blank(value):
        return []
    return [part.strip() for part in re.split(r"[,\n]+", str(value)) if part.strip()]


def compact(name: str) -> str:
    """A name without spaces, for matching "กลุ่มนิเทศ ติดตาม…" to "กลุ่มนิเทศติดตาม…"."""
    return re.sub(r"\s+", "", name or "")


#: Names longer than this get no suggestion (no name is; a pasted page is not
#: compared with every name).
SUGGEST_MAX = 100


def _normal(name: str) -> str:
    """A name as it is compared: no spaces, Arabic digits, lower case."""
    return compact(thai.to_arabic_digits(str(name))).lower()


def did_you_mean(value: object, names: Iterable[str], n: int = 3) -> str:
    """`` หมายถึง “ค่าใช้สอย” หรือไม่`` for a misspelt name, or ``""``.

    The closest of ``names`` by :func:`difflib.get_close_matches` on the
    normalised names (spaces, digit style and case do not count), so a
    refusal of "ค่าใช้สอบ" says which name the sheet meant instead of only
    pointing at the reference sheet.
    """
    key = _normal(value)
    if not key or len(key) > SUGGEST_MAX:
        return ""
    shown: dict[str, str] = {}
    for name in names:
        if name:
            shown.setdefault(_normal(name), str(name))
    close = difflib.get_close_matches(key, list(shown), n=n, cutoff=0.6)
    if not close:
        return ""
    return " หมายถึง " + " หรือ ".join(f"“{shown[k]}”" for k in close) + " หรือไม่"
