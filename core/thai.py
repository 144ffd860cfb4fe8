"""Fiscal years and Thai formatting: the one place these rules live.

Thai fiscal year N (Buddhist era) runs 1 October of CE year N-544 to
30 September of CE year N-543: FY 2567 = 2023-10-01 … 2024-09-30.
Quarter 1 is ต.ค.–ธ.ค., quarter 4 is ก.ค.–ก.ย.
"""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from pythainlp.util import num_to_thaiword

BE_OFFSET = 543
#: Typed years at or above this are Buddhist era, below it Christian era.
BE_THRESHOLD = 2400

THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_ABBR = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
#: Calendar months of a fiscal year in order, October first.
FISCAL_MONTHS = (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9)

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC_DIGITS = "0123456789"
_TO_THAI = str.maketrans(ARABIC_DIGITS, THAI_DIGITS)
_TO_ARABIC = str.maketrans(THAI_DIGITS, ARABIC_DIGITS)

SATANG = Decimal("0.01")
#: Zero baht, the start of every money sum. The one definition: every app
#: (and ``budgets.rollups``) imports it from here, so a sum of nothing is
#: ``Decimal("0.00")`` everywhere, never ``0`` or ``Decimal("0")``.
ZERO = Decimal("0.00")

#: Nothing a user types into one box is longer: the parsers refuse longer
#: text before any regex work, so no pattern can be slow on a pasted page.
MAX_TYPED = 200

#: The Buddhist-era fiscal years the app accepts.
FISCAL_YEARS = range(2500, 2701)
#: A fiscal year is four digits; spaces around them are forgiven.
MAX_FISCAL_YEAR_TYPED = 20
ERROR_FISCAL_YEAR = "ปีงบประมาณต้องเป็นปีพุทธศักราช เช่น 2570"
ERROR_TOO_MANY_DIGITS = "ตัวเลขมีจำนวนหลักมากเกินกว่าที่ระบบคำนวณได้"
ERROR_NOT_A_MONTH = "เดือนไม่ถูกต้อง ให้พิมพ์เช่น ต.ค. 2567 หรือ 10/2567"
ERROR_NOT_A_DATE = "“{value}” ไม่ใช่วันที่ที่ถูกต้อง ให้พิมพ์เช่น 1/10/2566 หรือ 1 ต.ค. 2566"
ERROR_DATE_YEAR = (
    "“{shown}” อ่านได้เป็นวันที่ {understood} (ค.ศ. {year}) ซึ่งอยู่นอกช่วงปีที่ใช้ได้ "
    "ให้พิมพ์ปีเป็นพุทธศักราช เช่น 1/10/2569"
)
ERROR_DATE_BE_INVALID = (
    "“{shown}” ไม่มีวันนี้ในปฏิทิน (ปี พ.ศ. {be} = ค.ศ. {year}) "
    "ให้ตรวจวันที่แล้วพิมพ์ใหม่ เช่น 1/10/2569"
)
#: Western (CE) years a date in a plan can really have; anything outside is a
#: mistyped year, refused rather than stored centuries off.
CE_YEARS = range(1900, 2200)


class DateYearError(ValueError):
    """A date that was understood, but whose year cannot be meant."""


def _shortened(value: object) -> str:
    """``value`` for an error message: a pasted page is cut, not echoed."""
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


# ------------------------------------------------------------------ digits


def to_thai_digits(value: object) -> str:
    """``"2566"`` → ``"๒๕๖๖"``; other characters are kept."""
    return str(value).translate(_TO_THAI)


def to_arabic_digits(value: object) -> str:
    """``"๒๕๖๖"`` → ``"2566"``; other characters are kept."""
    return str(value).translate(_TO_ARABIC)


def with_digits(text: str, digits: str = "arabic") -> str:
    """Return ``text`` in the chosen digit style, ``"arabic"`` or ``"thai"``."""
    return to_thai_digits(text) if digits == "thai" else text


# ------------------------------------------------------------------ line breaks

NBSP = "\u00a0"
_DIGIT = "[0-9\u0e50-\u0e59]"
_NUMBER = _DIGIT + "[0-9\u0e50-\u0e59,.]*"
#: A word that belongs with the number after it: "พ.ศ. 2570", "รอบ 6 เดือน",
#: "ไตรมาส 1", "เขต 2", "กลยุทธ์ที่ 3". (Not "ปีงบประมาณ 2570": as one
#: piece it is wider than a narrow table column.)
_BEFORE = r"(?:พ\.ศ\.|ค\.ศ\.|ปี|รอบ|ไตรมาส(?:ที่)?|ครั้งที่|ฉบับที่|เขต|ที่|ข้อ|หน้า)"
#: A unit that belongs with the number before it: "6 เดือน", "1,234.50 บาท".
#: (Not nouns that start the next phrase: "กิจกรรมที่ 1 โครงการ…".)
_AFTER = r"(?:เดือน|บาท|คน|ครั้ง|วัน|ปี|แห่ง|เล่ม)(?![ก-ฮ])"
#: A number with the word before it, the unit after it, or both.
_PHRASE = re.compile(rf"{_BEFORE} +{_NUMBER}(?: +{_AFTER})?|{_NUMBER} +{_AFTER}")


def keep_together(text: str) -> str:
    """``text`` with a non-breaking space inside each phrase an office never
    breaks ("พ.ศ. 2570", "รอบ 6 เดือน", "1,000,000 บาท")."""
    return _PHRASE.sub(lambda match: _joined(match[0]), text)


def keep_together_html(text: str, css: str = "nobr") -> str:
    """Escaped HTML text with each such phrase in ``<span class="nobr">``.

    A printed title broke as "รอบ ๖ / เดือน" and "พ.ศ. / ๒๕๗๐". A
    non-breaking space is not enough: the line breaker of WeasyPrint and
    Pango still breaks after U+00A0 (and U+202F, U+2060) before Thai text,
    so the phrase is marked up for ``white-space: nowrap`` instead (its
    spaces stay ordinary: the PDF's text reads the same). ``text`` must be
    HTML text (escaped, no tags): the span goes in as markup.
    """
    return _PHRASE.sub(lambda match: f'<span class="{css}">{match[0]}</span>', text)


def _joined(phrase: str) -> str:
    return re.sub(" +", NBSP, phrase)


# ------------------------------------------------------------------ numbers


#: What a number box accepts, shown in every refusal (Thai and Arabic digits,
#: thousands separators, the ".-" of office documents, the unit).
NUMBER_EXAMPLES = "1,500 หรือ ๑,๕๐๐ หรือ 12.5"
MONEY_EXAMPLES = "11,000 หรือ ๑๑,๐๐๐.- หรือ 11000.50 บาท"
ERROR_NOT_NUMBER_SHOWN = "“{value}” ไม่ใช่ตัวเลข ให้พิมพ์เช่น " + NUMBER_EXAMPLES
ERROR_NOT_MONEY = "“{value}” ไม่ใช่จำนวนเงิน ให้พิมพ์เช่น " + MONEY_EXAMPLES
#: Spaces people paste with numbers: ordinary, non-breaking (Excel and Word
#: put one between digits and "บาท"), narrow non-breaking and thin.
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009\t")
#: After the unit, the ".-" and the spaces are gone: an optional sign, digits
#: either plain or grouped by threes with commas, optional decimals. ASCII
#: digits only (Thai ones are translated first): ``\d`` would take any
#: script's digits, which no Thai user means.
_NUMBER = re.compile(
    r"[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|[-+]?\.[0-9]+"
)


def _number_text(text: str) -> str | None:
    """The plain number (``"-1234.5"``) in what was typed, or ``None``.

    Why by hand and in this order: an office document writes "๑๑,๐๐๐.- บาท"
    or "บาท 11,000" or "11,000-"; the unit is cut first (before or after),
    then the ".-" that closes an amount, then the spaces. No ``re.sub`` with
    ``\\s*``: that is quadratic on a cell of spaces.
    """
    text = to_arabic_digits(text).strip()
    for unit in ("บาท", "฿"):
        text = text.removeprefix(unit).removesuffix(unit).strip()
    text = text.translate(_SPACES)
    if text.endswith(".-"):
        text = text[:-2]
    elif text.endswith("-") and len(text) > 1:
        text = text[:-1]
    if not _NUMBER.fullmatch(text):
        return None
    return text.replace(",", "")


def _parse_number(value: object, message: str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):  # a ticked box is no amount
        raise ValueError(message.format(value=value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(message.format(value=value))
        return Decimal(str(value))
    text = str(value)
    # The length is capped before any other work, so a pasted page is refused
    # at once whatever the patterns below would make of it.
    if len(text) > MAX_TYPED:
        raise ValueError(message.format(value=_shortened(text)))
    number = _number_text(text)
    if number is None:
        raise ValueError(message.format(value=_shortened(text.strip())))
    try:
        return Decimal(number)
    except InvalidOperation as error:  # pragma: no cover - the pattern guards this
        raise ValueError(message.format(value=_shortened(text.strip()))) from error


def parse_decimal(value: object) -> Decimal:
    """Parse a number as users type it: ``"25,0๐๐"`` → ``Decimal("25000")``.

    The one number parser of the app: the admin, the in-app forms
    (:class:`core.forms.ThaiDecimalField`) and the Excel import read every
    number through it, so a value one of them accepts the others accept too.
    Accepts Thai and Arabic digits mixed, thousands separators (grouped by
    threes: "2,5" is refused rather than read as 25), "บาท" or "฿" before or
    after, a trailing ".-" or "-" ("๑๑,๐๐๐.-"), ordinary and non-breaking
    spaces and a leading sign. Exponents, NaN and infinity are refused.
    Raises ``ValueError`` whose Thai message shows the text and an example.
    Whether a negative number is allowed is the caller's rule.
    """
    return _parse_number(value, ERROR_NOT_NUMBER_SHOWN)


def parse_money(value: object) -> Decimal:
    """An amount of baht by :func:`parse_decimal`'s rules (not rounded: the
    caller decides, see :func:`quantize_baht`); its refusal speaks of money
    ("ไม่ใช่จำนวนเงิน") and shows money examples."""
    return _parse_number(value, ERROR_NOT_MONEY)


def parse_percent(value: object) -> Decimal:
    """``"ร้อยละ 80"``, ``"80%"`` or ``"๘๐"`` → ``Decimal("80")``; the
    number as :func:`parse_decimal` reads it, its unit typed or not."""
    if isinstance(value, Decimal | int | float):
        return parse_decimal(value)
    if len(str(value)) > MAX_TYPED:
        raise ValueError(ERROR_NOT_NUMBER_SHOWN.format(value=_shortened(value)))
    return parse_decimal(str(value).replace("%", "").removeprefix("ร้อยละ").strip())


def _round_half_up(number: Decimal, unit: Decimal) -> Decimal:
    """``number`` rounded to ``unit``; ``ValueError`` (Thai) when the result
    has more digits than the decimal context holds (28)."""
    try:
        return number.quantize(unit, rounding=ROUND_HALF_UP)
    except InvalidOperation as error:
        raise ValueError(ERROR_TOO_MANY_DIGITS) from error


def quantize_baht(value: object) -> Decimal:
    """Round money to satang, half up, as the Comptroller General does."""
    return _round_half_up(parse_decimal(value), SATANG)


def format_number(value: object, places: int = 0, digits: str = "arabic") -> str:
    """``1234567`` → ``"1,234,567"``; ``places`` decimals, half up."""
    number = parse_decimal(value)
    exponent = Decimal(1).scaleb(-places)
    text = f"{_round_half_up(number, exponent):,.{places}f}"
    return with_digits(text, digits)


def format_baht(value: object, digits: str = "arabic") -> str:
    """``1234567.5`` → ``"1,234,567.50"`` (no unit; templates add "บาท")."""
    return format_number(value, places=2, digits=digits)


def bahttext(value: object) -> str:
    """Thai words for an amount of money, per the official rules.

    ``11`` → "สิบเอ็ดบาทถ้วน", ``21.50`` → "ยี่สิบเอ็ดบาทห้าสิบสตางค์",
    ``1000000`` → "หนึ่งล้านบาทถ้วน", ``0.25`` → "ยี่สิบห้าสตางค์".
    """
    amount = quantize_baht(value)
    sign = "ลบ" if amount < 0 else ""
    amount = abs(amount)
    baht = int(amount)
    satang = int((amount - baht) * 100)
    if baht == 0 and satang == 0:
        return "ศูนย์บาทถ้วน"
    words = sign
    if baht:
        words += num_to_thaiword(baht) + "บาท"
    words += num_to_thaiword(satang) + "สตางค์" if satang else "ถ้วน"
    return words


def format_percent(value: object, places: int = 2, digits: str = "arabic") -> str:
    """``12`` → ``"ร้อยละ 12.00"`` (the word comes before the number)."""
    return "ร้อยละ " + format_number(value, places=places, digits=digits)


def percent_of(part: object, whole: object, places: int = 2) -> Decimal:
    """``part`` as a percentage of ``whole``, rounded half up; 0 when whole is 0."""
    whole = parse_decimal(whole)
    if not whole:
        return Decimal(0).quantize(Decimal(1).scaleb(-places))
    share = parse_decimal(part) * 100 / whole
    return _round_half_up(share, Decimal(1).scaleb(-places))


def percent_shares(counts: list[int | Decimal], places: int = 2) -> list[Decimal]:
    """Shares of a total that add up to exactly 100 (largest remainder method).

    ``[2, 15]`` → ``[Decimal("11.76"), Decimal("88.24")]``. All zeros give zeros.
    """
    total = sum(parse_decimal(count) for count in counts)
    unit = Decimal(1).scaleb(-places)
    if not total:
        return [Decimal(0).quantize(unit) for _ in counts]
    scale = Decimal(10) ** places
    exact = [parse_decimal(count) * 100 * scale / total for count in counts]
    floors = [int(value) for value in exact]
    missing = int(100 * scale) - sum(floors)
    by_remainder = sorted(
        range(len(counts)), key=lambda i: (exact[i] - floors[i], -i), reverse=True
    )
    for index in by_remainder[:missing]:
        floors[index] += 1
    return [(Decimal(value) / scale).quantize(unit) for value in floors]


# ------------------------------------------------------------------ fiscal year


def fiscal_year_of(day: datetime.date) -> int:
    """Buddhist-era fiscal year containing ``day``."""
    return day.year + BE_OFFSET + (1 if day.month >= 10 else 0)


def fiscal_year_range(fiscal_year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a BE fiscal year: 2567 → (2023-10-01, 2024-09-30)."""
    ce_end = fiscal_year - BE_OFFSET
    return datetime.date(ce_end - 1, 10, 1), datetime.date(ce_end, 9, 30)


def fiscal_quarter_of(day: datetime.date) -> int:
    """Fiscal quarter 1–4 of ``day`` (ไตรมาส 1 = ต.ค.–ธ.ค.)."""
    return FISCAL_MONTHS.index(day.month) // 3 + 1


def fiscal_quarter_range(
    fiscal_year: int, quarter: int
) -> tuple[datetime.date, datetime.date]:
    """First and last day of a quarter: (2567, 1) → (2023-10-01, 2023-12-31)."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("ไตรมาสต้องเป็น 1 ถึง 4")
    months = fiscal_month_dates(fiscal_year)
    start, last = months[(quarter - 1) * 3], months[(quarter - 1) * 3 + 2]
    next_month = (last.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return start, next_month - datetime.timedelta(days=1)


def fiscal_month_dates(fiscal_year: int) -> list[datetime.date]:
    """The first day of each month of the fiscal year, October first."""
    start, _ = fiscal_year_range(fiscal_year)
    return [
        datetime.date(start.year if month >= 10 else start.year + 1, month, 1)
        for month in FISCAL_MONTHS
    ]


def current_fiscal_year(today: datetime.date | None = None) -> int:
    from django.utils import timezone

    return fiscal_year_of(today or timezone.localdate())


def fiscal_year_from_text(raw: object) -> int:
    """The one reading of a typed or linked fiscal year (``?fiscal_year=``,
    ``?year=``, a filter box): a Buddhist-era year of
    :data:`FISCAL_YEARS`, Arabic or Thai digits ("2569", " ๒๕๖๙ ").
    Anything else raises ``ValueError`` with the Thai
    :data:`ERROR_FISCAL_YEAR`: a Christian-era year (2026), superscripts
    ("²⁵⁶⁹", which ``int()`` refuses and ``str.isdigit`` accepts), signs,
    or text longer than :data:`MAX_FISCAL_YEAR_TYPED` (read no further)."""
    text = str(raw if raw is not None else "")
    if len(text) > MAX_FISCAL_YEAR_TYPED:
        raise ValueError(ERROR_FISCAL_YEAR)
    text = to_arabic_digits(text).strip()
    if not (text.isascii() and text.isdigit()) or int(text) not in FISCAL_YEARS:
        raise ValueError(ERROR_FISCAL_YEAR)
    return int(text)


def parse_fiscal_year(raw: object) -> int:
    """:func:`fiscal_year_from_text`, or this fiscal year when ``raw`` is
    empty or no fiscal year (a link never fails on it)."""
    try:
        return fiscal_year_from_text(raw)
    except ValueError:
        return current_fiscal_year()


def quarter_label(quarter: int, digits: str = "arabic") -> str:
    """``1`` → "ไตรมาส 1 (ต.ค.–ธ.ค.)"."""
    months = FISCAL_MONTHS[(quarter - 1) * 3 : quarter * 3]
    span = f"{THAI_MONTHS_ABBR[months[0] - 1]}–{THAI_MONTHS_ABBR[months[2] - 1]}"
    return with_digits(f"ไตรมาส {quarter} ({span})", digits)


# ------------------------------------------------------------------ dates


def be_year(year: int) -> int:
    """Buddhist-era year of a Christian-era one: 2023 → 2566."""
    return year + BE_OFFSET


#: The offices' clock. A stored timestamp is UTC; its calendar day is Bangkok's.
BANGKOK = ZoneInfo("Asia/Bangkok")


def bangkok_date(moment):
    """The Bangkok calendar day of ``moment``.

    Timestamps are stored in UTC, and ``moment.date()`` on one gives the UTC
    day: a report sent at 02:17 on 5 December would read 4 December. An aware
    datetime is converted to Asia/Bangkok first (whatever time zone happens to
    be active); a naive one is taken as already local; a date (or ``None``)
    passes through unchanged.
    """
    if isinstance(moment, datetime.datetime):
        if moment.tzinfo is not None and moment.utcoffset() is not None:
            moment = moment.astimezone(BANGKOK)
        return moment.date()
    return moment


def thai_date(day: datetime.date, style: str = "full", digits: str = "arabic") -> str:
    """Format a date in Buddhist era.

    ``style="full"`` → "1 ตุลาคม 2566"; ``"short"`` → "1 ต.ค. 66";
    ``"medium"`` → "1 ต.ค. 2566"; ``"numeric"`` → "01/10/2566";
    ``"official"`` → "1 ตุลาคม พ.ศ. 2566" (as orders and letters write it).
    """
    year = be_year(day.year)
    if style == "official":
        text = f"{day.day} {THAI_MONTHS[day.month - 1]} พ.ศ. {year}"
    elif style == "short":
        text = f"{day.day} {THAI_MONTHS_ABBR[day.month - 1]} {year % 100:02d}"
    elif style == "medium":
        text = f"{day.day} {THAI_MONTHS_ABBR[day.month - 1]} {year}"
    elif style == "numeric":
        text = f"{day.day:02d}/{day.month:02d}/{year}"
    else:
        text = f"{day.day} {THAI_MONTHS[day.month - 1]} {year}"
    return with_digits(text, digits)


def thai_month_year(
    day: datetime.date,
    abbr: bool = True,
    digits: str = "arabic",
    short_year: bool = False,
):
    """``2023-10-01`` → "ต.ค. 2566" (or "ตุลาคม 2566", or "ต.ค. 66")."""
    names = THAI_MONTHS_ABBR if abbr else THAI_MONTHS
    year = be_year(day.year)
    shown = f"{year % 100:02d}" if short_year else str(year)
    return with_digits(f"{names[day.month - 1]} {shown}", digits)


def month_number(name: str) -> int | None:
    """1–12 for a Thai month name, full or abbreviated, dots optional."""
    compact = name.replace(" ", "")
    for index, (full, abbr) in enumerate(
        zip(THAI_MONTHS, THAI_MONTHS_ABBR, strict=True)
    ):
        if compact in (full, abbr, abbr.replace(".", ""), abbr.rstrip(".")):
            return index + 1
    return None


def ce_year(year: int, two_digit: bool) -> int:
    """The Christian-era year of a typed one: BE when ≥ 2400, "66" = 2566."""
    if two_digit:
        # "66" in a Thai document means 2566.
        return 2500 + year - BE_OFFSET
    return year - BE_OFFSET if year >= BE_THRESHOLD else year


def parse_thai_date(value: str) -> datetime.date:
    """Parse a date as Thai users type it; years ≥ 2400 are Buddhist era.

    Accepts "1/10/2566", "01-10-2566", "2566-10-01", "1 ต.ค. 2566",
    "1 ตุลาคม 2566", "1 ต.ค. 66", "2023-10-01", Thai or Arabic digits.
    Raises ``ValueError`` with a Thai message.
    """
    if len(str(value)) > MAX_TYPED:
        raise ValueError(ERROR_NOT_A_DATE.format(value=_shortened(value)))
    text = to_arabic_digits(str(value)).strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        two_digit = False
    else:
        match = re.fullmatch(
            r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})", text
        )
        if match:
            day, month = int(match[1]), int(match[2])
            year, two_digit = int(match[3]), len(match[3]) == 2
        else:
            # No lazy group before ``\s*``: that is quadratic on long spaces.
            match = re.fullmatch(r"(\d{1,2})\s*([^\d\s]\D*)(\d{2}|\d{4})", text)
            month = month_number(match[2].rstrip()) if match else None
            if month is None:
                raise ValueError(ERROR_NOT_A_DATE.format(value=value))
            day = int(match[1])
            year, two_digit = int(match[3]), len(match[3]) == 2
    try:
        return datetime.date(ce_year(year, two_digit), month, day)
    except ValueError as error:
        raise ValueError(ERROR_NOT_A_DATE.format(value=value)) from error


def parse_thai_month(value: object, default_year: int | None = None) -> datetime.date:
    """The first day of a month typed as "ต.ค. 2567", "ตุลาคม 67", "10/2567",
    "๑๐/๒๕๖๗", "2024-10" or "2024-10-01" (years ≥ 2400 are Buddhist era).

    ``default_year`` (CE) is used when only a month name is typed. Raises
    ``ValueError`` with a Thai message.
    """
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    if len(str(value)) > MAX_TYPED:
        raise ValueError(ERROR_NOT_A_MONTH)
    text = to_arabic_digits(str(value)).strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", text)
    if match:
        year, month = ce_year(int(match[1]), False), int(match[2])
    elif match := re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})", text):
        year, month = ce_year(int(match[2]), len(match[2]) == 2), int(match[1])
    elif match := re.fullmatch(r"(\D+)(\d{2}|\d{4})?", text):
        month = month_number(match[1].rstrip())
        if month is None or (match[2] is None and default_year is None):
            raise ValueError(ERROR_NOT_A_MONTH)
        year = ce_year(int(match[2]), len(match[2]) == 2) if match[2] else default_year
    else:
        raise ValueError(ERROR_NOT_A_MONTH)
    try:
        return datetime.date(year, month, 1)
    except ValueError as error:
        raise ValueError(ERROR_NOT_A_MONTH) from error


def _shown(day: datetime.date) -> str:
    """A date cell's value as the sheet shows it, day/month/year."""
    return f"{day.day}/{day.month}/{day.year}"


def date_from_cell(value: object) -> datetime.date:
    """The date a spreadsheet cell means, whether a date cell or typed text.

    The one reader of dates from workbooks (plan months, disbursement dates),
    because a spreadsheet program turns what a Thai user types into a *date
    cell* of the Western calendar: in a Thai-locale LibreOffice (or Excel
    with Western dates) typing ``1/10/2569`` stores the year 2569 CE, which
    openpyxl hands over as ``datetime(2569, 10, 1)``. So:

    - a date cell whose year is ≥ 2400 is a Buddhist-era year typed into a
      Western-calendar cell: 543 is subtracted (``2569-10-01`` → 2026-10-01);
    - a date cell whose year is in the usual Western range (1900–2199) is a
      real date (Excel with the Thai Buddhist calendar, ``1/10/2026``);
    - text goes through :func:`parse_thai_date` (years ≥ 2400 are BE);
    - anything else (a year 2200–2399 or before 1900, a BE 29 February that
      the Western year lacks) is refused with a Thai ``ValueError`` that shows
      the cell as the user sees it and the year that was understood.
    """
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        shown = _shown(value)
        if value.year >= BE_THRESHOLD:
            try:
                day = value.replace(year=value.year - BE_OFFSET)
            except ValueError as error:  # 29 Feb of a BE year, not of its CE one
                raise DateYearError(
                    ERROR_DATE_BE_INVALID.format(
                        shown=shown, be=value.year, year=value.year - BE_OFFSET
                    )
                ) from error
        else:
            day = value
    else:
        if isinstance(value, bool) or not isinstance(value, str):
            raise ValueError(ERROR_NOT_A_DATE.format(value=value))
        shown = value.strip()
        day = parse_thai_date(value)
    if day.year not in CE_YEARS:
        raise DateYearError(
            ERROR_DATE_YEAR.format(
                shown=shown, understood=thai_date(day), year=day.year
            )
        )
    return day
