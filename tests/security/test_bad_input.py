"""Bad-input sweep (issue 10, item 6): fuzz what users can type.

Three layers, all with Hypothesis, derandomized so CI is reproducible:

1. the parsers of ``core.thai`` (money, Thai/Arabic digits, Buddhist-era dates,
   percent, fiscal years), the months of ``projects.forms`` and the form fields
   built on them: any text gives a correct value or the documented error
   (``ValueError`` from the parsers, ``ValidationError`` from the fields) with
   a Thai message, never another exception; formatting then parsing round-trips;
2. the main forms (project sheet, activity, cost line, quarter plan,
   disbursement, progress report, plan direction, Excel upload, filters):
   ``is_valid()`` never raises and every error is Thai;
3. the data-entry screens through the test client: status < 500 and every
   error shown (form errors, messages, error pages) is Thai.

Plain regression tests for the bugs the sweep found are at the end.
"""

import ast
import datetime
import re
import time
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgets.forms import (
    CostLineForm,
    DisbursementAdminForm,
    FiscalYearForm,
    QuarterPlanForm,
)
from budgets.models import BudgetSource, CostLine, Disbursement, ExpenseCategory
from core import thai
from core.forms import ThaiDateField, ThaiDecimalField
from core.roles import Role
from excel.forms import FiscalYearForm as ExcelFiscalYearForm
from excel.forms import UploadForm
from plans.models import Indicator, Plan, Strategy
from progress.forms import (
    ActivityProgressForm,
    EvidenceForm,
    KPIActualForm,
    ReportForm,
    ReturnForm,
)
from progress.models import parse_kpi_actual
from progress.services import round_create_for_year
from projects.forms import (
    CommentForm,
    ProjectFilterForm,
    ThaiMonthField,
    ThaiMonthsField,
    parse_thai_month,
    parse_thai_months,
)
from projects.models import VIREMENT_WORDINGS, Activity, Project, ProjectKPI
from reports.forms import ReportFilterForm
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    GoalFactory,
    GroupHeadAssignmentFactory,
    IndicatorFactory,
    OfficeGroupFactory,
    OrganizationFactory,
    PlanFactory,
    ProjectFactory,
    ProjectKPIFactory,
    ProjectResponsibleFactory,
    StrategyFactory,
    make_staff,
)
from tests.html_forms import form_data

THAI = re.compile(r"[\u0E00-\u0E7F]")

#: Parsers and fields: pure functions, many examples.
PARSERS = settings(derandomize=True, database=None, deadline=None, max_examples=300)
#: Forms validated against the database of one fixture.
FORMS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
#: Whole requests through the test client.
CLIENT = settings(FORMS, max_examples=25)


# ------------------------------------------------------------------ strategies

THAI_DIGITS = thai.THAI_DIGITS
MONTH_WORDS = [*thai.THAI_MONTHS, *thai.THAI_MONTHS_ABBR, "ตค", "ต.ค", "ตุลา"]

#: Characters that survive UTF-8 (the test client encodes every value).
any_text = st.text(st.characters(codec="utf-8"), max_size=40)

number_bits = st.sampled_from(
    [
        *"0123456789",
        *THAI_DIGITS,
        ",",
        ".",
        "-",
        "+",
        " ",
        "\u00a0",
        "\t",
        "e",
        "E",
        "บาท",
        " บาท",
        "%",
        "ร้อยละ",
        "\u2212",  # minus sign
        "\x00",
    ]
)
number_like = st.lists(number_bits, max_size=20).map("".join)

date_bits = st.sampled_from(
    [*"0123456789", *THAI_DIGITS, "/", "-", ".", " ", "  ", *MONTH_WORDS, "พ.ศ."]
)
date_like = st.lists(date_bits, max_size=8).map("".join)

month_bits = st.sampled_from(
    [*"0123456789", *THAI_DIGITS, "/", "-", " - ", "–", "—", "ถึง", ",", ";", "\n"]
    + [" ", *MONTH_WORDS]
)
months_like = st.lists(month_bits, max_size=10).map("".join)

SPECIAL = [
    "",
    " ",
    "\t\n",
    "\x00",
    "1\x00",
    "ก\x00ข",
    "NaN",
    "nan",
    "-NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "1e9",
    "1E+400",
    "-1e-9",
    "๑e๙",
    "0x10",
    "1_000",
    "25,0๐๐",
    "๑๒,๕๐๐.๕๐",
    "-0",
    "+5",
    ".5",
    "5.",
    "..",
    "1.2.3",
    "1,,2",
    "\u22125",
    "١٢٣",  # Arabic-Indic digits
    "１２３",  # fullwidth digits
    "²",
    "½",
    "Ⅻ",
    "9" * 40,
    "-" + "9" * 40,
    "0." + "0" * 40 + "1",
    "999999999999.995",
    "999999999999.99",
    "-999999999999.99",
    "99999999.99",
    "๙๙,๙๙๙,๙๙๙.๙๙",
    "ต.ค. 2567",
    "ต.ค. – ธ.ค. 2567",
    "ก.ค. – ก.ย.",
    "31/02/2569",
    "29/02/2567",
    "0/0/0000",
    "1 ตุลาคม 2566",
    "๑ ต.ค. ๖๖",
    "2566-13-01",
    "9999-12-31",
    "0001-01-01",
    "1/1/1",
    "99/99/9999",
    "💥",
    "\u200b",
    "\ufeff1",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%s %d %(value)s",
    "{value}",
    "\\",
    "\r\n",
]

signed_huge = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
)

overlong = st.builds(
    lambda piece, count: piece * count,
    st.sampled_from([" ", "9", "ก", "1,", "\x00", "ต.ค. ", " - ", "a", "๑"]),
    st.integers(min_value=300, max_value=3000),
)

#: Amounts the money boxes accept, up to the largest: products of a few of
#: them overflow the formula of a cost line.
typed_money = st.builds(
    thai.format_baht,
    st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2),
    st.sampled_from(["arabic", "thai"]),
)

fuzz_text = st.one_of(
    st.sampled_from(SPECIAL),
    typed_money,
    any_text,
    number_like,
    date_like,
    months_like,
    signed_huge,
    signed_huge.map(thai.to_thai_digits),
    overlong,
)


def assert_thai(message: object, typed=()) -> None:
    """``message`` is Thai by itself, not only through what the user typed."""
    text = str(message)
    for value in sorted({str(v) for v in typed}, key=len, reverse=True):
        for variant in (value, value.strip(), thai.to_arabic_digits(value).strip()):
            if variant:
                text = text.replace(variant, "")
    assert THAI.search(text), f"not Thai: {message!r}"


def expect_value_or_thai_error(function, raw, *, error=ValueError):
    """``function(raw)``; ``None`` when refused with a Thai ``error``."""
    try:
        return function(raw)
    except error as refused:
        messages = getattr(refused, "messages", None) or [str(refused)]
        for message in messages:
            assert_thai(message, typed=[raw])
        return None


# ------------------------------------------------------------------ 1. parsers


@PARSERS
@given(raw=fuzz_text)
def test_parse_decimal_gives_a_finite_number_or_a_thai_error(raw):
    value = expect_value_or_thai_error(thai.parse_decimal, raw)
    if value is None:
        return
    assert isinstance(value, Decimal)
    assert value.is_finite()
    # whatever was accepted formats and parses back (money keeps satang)
    money = expect_value_or_thai_error(thai.quantize_baht, value)
    if money is not None:
        assert money.as_tuple().exponent == -2
        assert thai.parse_decimal(thai.format_baht(money)) == money
        assert thai.parse_decimal(thai.format_baht(money, digits="thai")) == money


money = st.decimals(
    min_value=Decimal("-999999999999.99"),
    max_value=Decimal("999999999999.99"),
    places=2,
)


@PARSERS
@given(amount=money, digits=st.sampled_from(["arabic", "thai"]), unit=st.booleans())
def test_money_round_trips_through_format_and_parse(amount, digits, unit):
    text = thai.format_baht(amount, digits=digits) + (" บาท" if unit else "")
    assert thai.parse_decimal(text) == amount
    assert thai.quantize_baht(text) == amount
    assert THAI.search(thai.bahttext(amount))


@PARSERS
@given(number=st.integers(min_value=0, max_value=10**15), data=st.data())
def test_mixed_thai_and_arabic_digits_parse_to_the_same_number(number, data):
    """ "25,0๐๐" is 25000: each digit may be Thai or Arabic, commas anywhere."""
    typed = ""
    for digit in f"{number:,}":
        if digit.isdigit() and data.draw(st.booleans()):
            digit = thai.to_thai_digits(digit)
        typed += digit
    satang = data.draw(st.integers(min_value=0, max_value=99))
    typed += "." + thai.to_thai_digits(f"{satang:02d}")
    assert thai.parse_decimal(typed) == Decimal(number) + Decimal(satang) / 100


@PARSERS
@given(raw=fuzz_text)
def test_money_field_gives_at_most_two_decimals_or_a_thai_error(raw):
    """The money boxes of the cost lines, quarters and disbursements."""
    field = ThaiDecimalField(max_digits=14, decimal_places=2, required=False)
    value = expect_value_or_thai_error(field.clean, raw, error=ValidationError)
    if value is None:
        return
    sign, digits, exponent = value.as_tuple()
    assert exponent >= -2
    assert len(digits) <= 14
    assert abs(value) < Decimal("1000000000000")


@PARSERS
@given(raw=fuzz_text)
def test_percent_field_gives_zero_to_hundred_or_a_thai_error(raw):
    """ร้อยละความก้าวหน้า of the progress report."""
    form = ReportForm({"status": "in_progress", "percent_complete": raw})
    assert_form_errors_thai(form, typed=[raw])
    if "percent_complete" not in form.errors:
        value = form.cleaned_data["percent_complete"]
        assert Decimal(0) <= value <= Decimal(100)
        assert value.as_tuple().exponent == -2


PERCENT_KPI = ProjectKPI(unit="percent", target_value=80)
COUNT_KPI = ProjectKPI(unit="count", unit_label="คน", target_value=300)


@PARSERS
@given(raw=fuzz_text, kpi=st.sampled_from([PERCENT_KPI, COUNT_KPI]))
def test_kpi_result_is_a_number_or_a_thai_error(raw, kpi):
    result = expect_value_or_thai_error(
        lambda text: parse_kpi_actual(kpi, text), raw, error=ValidationError
    )
    if result is not None and result[0] is not None:
        assert result[0].is_finite()
        if kpi is PERCENT_KPI:
            assert Decimal(0) <= result[0] <= Decimal(100)


@PARSERS
@given(
    percent=st.decimals(min_value=0, max_value=100, places=2),
    digits=st.sampled_from(["arabic", "thai"]),
)
def test_percent_round_trips_through_format_and_parse(percent, digits):
    text = thai.format_percent(percent, digits=digits)  # "ร้อยละ 12.00"
    assert parse_kpi_actual(PERCENT_KPI, text) == (percent, "")
    assert parse_kpi_actual(PERCENT_KPI, f"{percent}%") == (percent, "")


@PARSERS
@given(raw=fuzz_text)
def test_parse_thai_date_gives_a_date_or_a_thai_error(raw):
    day = expect_value_or_thai_error(thai.parse_thai_date, raw)
    if day is not None:
        assert isinstance(day, datetime.date)
        assert thai.parse_thai_date(thai.thai_date(day, "numeric")) == day


@PARSERS
@given(raw=fuzz_text)
def test_thai_date_field_gives_a_date_or_a_thai_error(raw):
    value = expect_value_or_thai_error(
        ThaiDateField(required=False).clean, raw, error=ValidationError
    )
    assert value is None or isinstance(value, datetime.date)


@PARSERS
@given(
    day=st.dates(min_value=datetime.date(1900, 1, 1)),
    style=st.sampled_from(["full", "medium", "numeric"]),
    digits=st.sampled_from(["arabic", "thai"]),
)
def test_buddhist_era_dates_round_trip(day, style, digits):
    if day.year + thai.BE_OFFSET > 9999:
        return  # four-digit BE years only
    assert thai.parse_thai_date(thai.thai_date(day, style, digits)) == day
    if day.year < thai.BE_THRESHOLD:  # typed years from 2400 on are BE
        assert thai.parse_thai_date(day.isoformat()) == day


@PARSERS
@given(
    day=st.dates(
        min_value=datetime.date(1957, 1, 1), max_value=datetime.date(2056, 12, 31)
    )
)
def test_two_digit_buddhist_years_round_trip(day):
    assert thai.parse_thai_date(thai.thai_date(day, "short")) == day


@PARSERS
@given(raw=fuzz_text)
def test_month_parsers_give_months_or_a_thai_error(raw):
    month = expect_value_or_thai_error(parse_thai_month, raw)
    if month is not None:
        assert month.day == 1
        if month.year + thai.BE_OFFSET >= 1000:  # printed with a 4-digit BE year
            assert parse_thai_month(thai.thai_month_year(month)) == month
    months = expect_value_or_thai_error(parse_thai_months, raw)
    if months is not None:
        assert months == sorted(set(months))
        assert all(m.day == 1 for m in months)
    for field in (ThaiMonthField(required=False), ThaiMonthsField(required=False)):
        expect_value_or_thai_error(field.clean, raw, error=ValidationError)


@PARSERS
@given(
    day=st.dates(
        min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2400, 1, 1)
    )
)
def test_fiscal_year_and_quarter_contain_the_day(day):
    year = thai.fiscal_year_of(day)
    start, end = thai.fiscal_year_range(year)
    assert start <= day <= end
    assert day in thai.fiscal_month_dates(year) or day.replace(day=1) in (
        thai.fiscal_month_dates(year)
    )
    quarter = thai.fiscal_quarter_of(day)
    first, last = thai.fiscal_quarter_range(year, quarter)
    assert first <= day <= last
    assert THAI.search(thai.quarter_label(quarter))


@PARSERS
@given(quarter=st.integers())
def test_fiscal_quarter_outside_one_to_four_is_a_thai_error(quarter):
    result = expect_value_or_thai_error(
        lambda q: thai.fiscal_quarter_range(2568, q), quarter
    )
    assert (result is not None) == (quarter in (1, 2, 3, 4))


@PARSERS
@given(raw=fuzz_text)
def test_fiscal_year_filters_give_a_be_year_or_a_thai_error(raw):
    for form_class in (FiscalYearForm, ExcelFiscalYearForm):
        form = form_class({"fiscal_year": raw})
        assert_form_errors_thai(form, typed=[raw])
        if form.is_valid() and form.cleaned_data["fiscal_year"] is not None:
            assert 2500 <= form.cleaned_data["fiscal_year"] <= 2700
    assert 2500 <= FiscalYearForm({"fiscal_year": raw}).chosen_year() <= 2700


# ------------------------------------------------------------------ 2. forms


def form_errors(form) -> list[str]:
    """Every message of a form or formset, as the page would show them."""
    if isinstance(form, forms.BaseFormSet):
        messages = list(form.non_form_errors())
        for item in form.forms:
            messages += form_errors(item)
        return messages
    return [message for errors in form.errors.values() for message in errors]


def assert_form_errors_thai(form, typed=()) -> None:
    form.is_valid()  # never raises
    for message in form_errors(form):
        assert_thai(message, typed=typed)


def _staff(person):
    person.user.is_staff = True
    person.user.save(update_fields=["is_staff"])
    return person.user


@pytest.fixture
def world(db):
    """One office with everything the data-entry screens need."""
    call_command("loaddata", "budget_sources", "expense_categories", verbosity=0)
    office = OrganizationFactory(short_name="สพป.ทดสอบ เขต 1")
    group_a = OfficeGroupFactory(organization=office, name="กลุ่มส่งเสริม", order=1)
    fiscal_year = thai.current_fiscal_year()
    plan = PlanFactory(organization=office, fiscal_year=fiscal_year)
    strategy = StrategyFactory(plan=plan, number=1)
    goal = GoalFactory(plan=plan, number=1)
    indicator = IndicatorFactory(strategy=strategy, number=1)
    source = BudgetSource.objects.get(code="basic-human-capital")
    AllocationFactory(
        organization=office, fiscal_year=fiscal_year, source=source, amount=1000000
    )
    planner = _staff(make_staff(office, roles=[Role.PLANNER], first_name="แผน"))
    head_person = make_staff(office, roles=[Role.GROUP_HEAD], group=group_a)
    GroupHeadAssignmentFactory(group=group_a, person=head_person)
    head = _staff(head_person)
    finance = _staff(make_staff(office, roles=[Role.FINANCE], first_name="การเงิน"))
    start = thai.fiscal_year_range(fiscal_year)[0]
    draft = ProjectFactory(
        plan=plan,
        group=group_a,
        budget_source=source,
        uses_budget=True,
        start_month=start,
        end_month=start.replace(year=start.year + 1, month=9),
    )
    draft.strategies.add(strategy)
    activity = ActivityFactory(
        project=draft, order=1, months=[start.isoformat()], name="ประชุม"
    )
    category = ExpenseCategory.objects.get(code="services")
    CostLine.objects.create(
        activity=activity,
        category=category,
        description="ค่าอาหาร",
        times=1,
        persons=12,
        rate=200,
        amount=2400,
    )
    approved = ProjectFactory(
        plan=plan, group=group_a, status="approved", budget_source=source
    )
    paid_activity = ActivityFactory(project=approved, order=1, name="นิเทศติดตาม")
    # Money goes out only on an approved project: the disbursement forms pay here.
    CostLine.objects.create(
        activity=paid_activity,
        category=category,
        description="ค่าพาหนะ",
        amount=5000,
    )
    for order, unit, target in [(1, "percent", 80), (2, "count", 300)]:
        ProjectKPIFactory(project=approved, order=order, unit=unit, target_value=target)
    ProjectKPIFactory(
        project=approved, order=3, unit="text", target_value=None, target_text="ดี"
    )
    ProjectResponsibleFactory(project=approved, person=head_person)
    rounds = round_create_for_year(organization=office, fiscal_year=fiscal_year)
    return SimpleNamespace(
        office=office,
        group_a=group_a,
        fiscal_year=fiscal_year,
        plan=plan,
        strategy=strategy,
        goal=goal,
        indicator=indicator,
        source=source,
        planner=planner,
        head=head,
        finance=finance,
        draft=draft,
        activity=activity,
        paid_activity=paid_activity,
        category=category,
        approved=approved,
        round=rounds[0],
    )


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def _admin_form(model, world, data, obj=None, user="planner"):
    request = _request(getattr(world, user))
    model_admin = admin.site._registry[model]
    if obj is not None:  # a fresh copy: a bound form changes its instance
        obj = model._default_manager.get(pk=obj.pk)
    form_class = model_admin.get_form(request, obj, change=obj is not None)
    return form_class(data, instance=obj) if obj is not None else form_class(data)


def _today_be() -> str:
    return thai.thai_date(timezone.localdate(), "numeric")


@dataclass
class FormCase:
    name: str
    build: object  # (world, data) -> form
    valid: object  # world -> a dict the form accepts (or nearly)
    lists: tuple = ()  # fields posted as lists (multiple choice)


FORM_CASES = [
    FormCase(
        "project",
        lambda w, d: _admin_form(Project, w, d),
        lambda w: {
            "plan": w.plan.pk,
            "group": w.group_a.pk,
            "code": "68-099",
            "sequence": "9",
            "name": "โครงการทดสอบ",
            "kind": "new",
            "start_month": "ต.ค. 2567",
            "end_month": "9/2568",
            "strategies": [w.strategy.pk],
            "goals": [w.goal.pk],
            "indicators": [w.indicator.pk],
            "uses_budget": "on",
            "budget_source": w.source.pk,
            "virement_wording": VIREMENT_WORDINGS[0][0],
        },
        lists=("strategies", "goals", "indicators", "policy_items"),
    ),
    FormCase(
        "project-change",
        lambda w, d: _admin_form(Project, w, d, obj=w.draft),
        lambda w: {
            "plan": w.plan.pk,
            "group": w.group_a.pk,
            "code": "68-100",
            "sequence": "1",
            "name": "โครงการเดิม",
            "kind": "new",
            "start_month": "ต.ค. 2567",
            "end_month": "ก.ย. 2568",
            "strategies": [w.strategy.pk],
            "virement_wording": VIREMENT_WORDINGS[0][0],
            "opened_version": str(w.draft.edit_version),
        },
        lists=("strategies", "goals", "indicators", "policy_items"),
    ),
    FormCase(
        "activity",
        lambda w, d: _admin_form(Activity, w, d),
        lambda w: {
            "project": w.draft.pk,
            "order": "2",
            "name": "อบรม",
            "months": f"พ.ย. – ธ.ค. {w.fiscal_year - 1}",  # in the plan's year
        },
    ),
    FormCase(
        "cost-line",
        lambda w, d: CostLineForm(
            d, instance=CostLine(activity=Activity.objects.get(pk=w.activity.pk))
        ),
        lambda w: {
            "order": "1",
            "category": w.category.pk,
            "description": "ค่าอาหารว่าง",
            "times": "๑",
            "persons": "๓๐",
            "days": "2",
            "rate": "๓๕",
            "amount": "",
        },
    ),
    FormCase(
        "quarter-plan",
        lambda w, d: QuarterPlanForm(d),
        lambda w: {"quarter": "1", "amount": "๑๒,๕๐๐.๕๐"},
    ),
    FormCase(
        "disbursement",
        lambda w, d: _admin_form(Disbursement, w, d, user="finance"),
        lambda w: {
            "activity": w.paid_activity.pk,
            "paid_on": _today_be(),
            "amount": "1,000",
            "document_number": "ขบ 1/2568",
        },
    ),
    FormCase(
        "disbursement-form",
        lambda w, d: DisbursementAdminForm(d),
        # the bare form (outside the admin) has Django's own date field
        lambda w: {
            "activity": w.paid_activity.pk,
            "paid_on": timezone.localdate().isoformat(),
            "amount": "5",
        },
    ),
    FormCase(
        "progress-report",
        lambda w, d: ReportForm(d, prefix="p1"),
        lambda w: {"p1-status": "in_progress", "p1-percent_complete": "๕๐"},
    ),
    FormCase(
        "activity-progress",
        lambda w, d: ActivityProgressForm(
            d, activities={a.pk: a for a in w.approved.activities.all()}
        ),
        lambda w: {
            "activity": w.approved.activities.first().pk,
            "state": "done",
            "on_date": "1 ต.ค. 2567",
        },
    ),
    FormCase(
        "kpi-actual",
        lambda w, d: KPIActualForm(d, kpis={k.pk: k for k in w.approved.kpis.all()}),
        lambda w: {"kpi": w.approved.kpis.first().pk, "actual": "ร้อยละ 85"},
    ),
    FormCase("return", lambda w, d: ReturnForm(d), lambda w: {"comment": "แก้ไข"}),
    FormCase("comment", lambda w, d: CommentForm(d), lambda w: {"comment": "เหตุผล"}),
    FormCase(
        "plan",
        lambda w, d: _admin_form(Plan, w, d),
        lambda w: {
            "organization": w.office.pk,
            "fiscal_year": str(w.fiscal_year + 1),
            "title": "แผนปฏิบัติการ",
            "indicator_numbering": Plan.IndicatorNumbering.BY_STRATEGY,
        },
    ),
    FormCase(
        "strategy",
        lambda w, d: _admin_form(Strategy, w, d),
        lambda w: {"plan": w.plan.pk, "number": "2", "title": "กลยุทธ์ใหม่"},
        lists=("goals", "policy_items"),
    ),
    FormCase(
        "indicator",
        lambda w, d: _admin_form(Indicator, w, d),
        lambda w: {
            "strategy": w.strategy.pk,
            "number": "2",
            "name": "ร้อยละของโรงเรียน",
            "unit": "percent",
            "direction": "higher",
            "baseline_value": "๗๕.๕๐",
        },
    ),
    FormCase(
        "project-filter",
        lambda w, d: ProjectFilterForm(d, organization=w.office),
        lambda w: {"fiscal_year": "2568", "group": w.group_a.pk},
    ),
    FormCase(
        "report-filter",
        lambda w, d: ReportFilterForm(d, organization=w.office),
        lambda w: {"fiscal_year": "2568", "group": w.group_a.pk},
    ),
    FormCase(
        "money-filter",
        lambda w, d: FiscalYearForm(d),
        lambda w: {"fiscal_year": "๒๕๖๘"},
    ),
]


def _fuzzed(data, case: FormCase, names, base: dict) -> dict:
    """Each field either keeps its valid value or gets bad input."""
    posted = {}
    for name in names:
        value = data.draw(st.one_of(st.just(base.get(name, "")), fuzz_text), label=name)
        if name in case.lists or name.rsplit("-", 1)[-1] in case.lists:
            extra = data.draw(st.lists(fuzz_text, max_size=2), label=f"{name}[]")
            value = [*(value if isinstance(value, list) else [value]), *extra]
        posted[name] = value
    return posted


def _typed(posted: dict) -> list[str]:
    values = []
    for value in posted.values():
        values += [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return values


@pytest.mark.parametrize("case", FORM_CASES, ids=lambda case: case.name)
@FORMS
@given(data=st.data())
def test_form_never_raises_and_speaks_thai(world, case, data):
    base = case.valid(world)
    names = [bound.html_name for bound in case.build(world, None)]
    posted = _fuzzed(data, case, names, base)
    form = case.build(world, posted)
    assert_form_errors_thai(form, typed=_typed(posted))


def test_every_form_case_accepts_its_valid_data(world):
    """The fuzz starts from data each form accepts, so it reaches every check."""
    for case in FORM_CASES:
        form = case.build(world, case.valid(world))
        assert form.is_valid(), (case.name, form.errors)


upload_bytes = st.one_of(
    st.binary(max_size=200),
    st.binary(max_size=200).map(lambda tail: b"PK\x03\x04" + tail),
    st.sampled_from([b"", b"PK\x03\x04", b"\x00" * 64]),
)


@FORMS
@given(year=fuzz_text, content=upload_bytes, name=any_text)
def test_excel_and_evidence_upload_forms_speak_thai(world, year, content, name):
    name = (name.replace("\x00", "") or "x")[:50] + ".xlsx"
    upload = SimpleUploadedFile(name, content)
    form = UploadForm({"fiscal_year": year}, {"file": upload})
    assert_form_errors_thai(form, typed=[year, name])
    evidence = EvidenceForm(
        {"caption": year}, {"file": SimpleUploadedFile(name, content)}
    )
    assert_form_errors_thai(evidence, typed=[year, name])


# ------------------------------------------------------------------ 3. screens


class _ErrorParser(HTMLParser):
    """Texts of error lists, error messages and the admin's error note."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._stack: list[bool] = []
        self._in_errorlist = 0

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "ul":
            self._in_errorlist += "errorlist" in classes
        collect = tag == "p" and "errornote" in classes
        collect |= tag == "li" and (self._in_errorlist > 0 or "error" in classes)
        if tag in {"li", "p"}:
            self._stack.append(collect)
            if collect:
                self.found.append("")

    def handle_endtag(self, tag):
        if tag == "ul" and self._in_errorlist:
            self._in_errorlist -= 1
        elif tag in {"li", "p"} and self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if any(self._stack):
            self.found[-1] += data


def shown_errors(html: str) -> list[str]:
    parser = _ErrorParser()
    parser.feed(html)
    return [text.strip() for text in parser.found if text.strip()]


def assert_response_thai(response, posted: dict) -> None:
    assert response.status_code < 500
    if response.status_code in (301, 302):
        return
    html = response.content.decode()
    if response.status_code >= 400:
        body = re.sub(r"<[^>]+>", " ", html)
        assert_thai(body, typed=_typed(posted))
        return
    for message in shown_errors(html):
        assert_thai(message, typed=_typed(posted))


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _fuzz_post(data, base: dict, extra_keys=()) -> dict:
    """``base`` with some values replaced by bad input (management forms too)."""
    keys = sorted(base) + [key for key in extra_keys if key not in base]
    chosen = data.draw(
        st.lists(st.sampled_from(keys), min_size=1, max_size=6, unique=True),
        label="fuzzed keys",
    )
    posted = dict(base)
    for key in chosen:
        posted[key] = data.draw(fuzz_text, label=key)
    return posted


def _management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _project_sheet(world) -> dict:
    return {
        "plan": world.plan.pk,
        "group": world.group_a.pk,
        "code": "68-010",
        "sequence": "10",
        "name": "โครงการส่งเสริมการอ่าน",
        "budget_plan": "พื้นฐาน",
        "kind": "new",
        "responsible_note": "",
        "start_month": "ต.ค. 2567",
        "end_month": "9/2568",
        "strategies": [world.strategy.pk],
        "rationale": "นักเรียนอ่านไม่คล่อง",
        "uses_budget": "on",
        "budget_source": world.source.pk,
        "virement_wording": VIREMENT_WORDINGS[0][0],
        "output_statement": "",
        "outcome_statement": "",
        "location": "",
        "target_group": "",
        **_management("responsibles", 0),
        **_management("objectives", 1),
        "objectives-0-order": "1",
        "objectives-0-text": "เพื่อให้นักเรียนอ่านออก",
        **_management("targets", 1),
        "targets-0-kind": "quantitative",
        "targets-0-order": "1",
        "targets-0-text": "นักเรียน ป.1",
        "targets-0-quantity": "1250",
        "targets-0-unit": "คน",
        **_management("activities", 1),
        "activities-0-order": "1",
        "activities-0-name": "คัดกรองการอ่าน",
        "activities-0-target": "",
        "activities-0-months": f"พ.ย. – ธ.ค. {world.fiscal_year - 1}",
        "activities-0-responsible": "",
        "activities-0-responsible_text": "",
        **_management("kpis", 1),
        "kpis-0-order": "1",
        "kpis-0-result_kind": "output",
        "kpis-0-nature": "quantitative",
        "kpis-0-name": "ร้อยละของนักเรียนที่อ่านออก",
        "kpis-0-unit": "percent",
        "kpis-0-unit_label": "",
        "kpis-0-comparison": "gte",
        "kpis-0-target_value": "90",
        "kpis-0-target_text": "",
        "kpis-0-method": "ทดสอบ",
        "kpis-0-instrument": "แบบทดสอบ",
        **_management("expected_results", 1),
        "expected_results-0-order": "1",
        "expected_results-0-text": "นักเรียนอ่านออก",
    }


def _activity_sheet(world) -> dict:
    return {
        "project": world.draft.pk,
        "parent": "",
        "order": "5",
        "name": "ประชุมเชิงปฏิบัติการ",
        "target": "",
        "months": f"ต.ค. – ธ.ค. {world.fiscal_year - 1}",
        "responsible": "",
        "responsible_text": "",
        "notes": "",
        **_management("children", 0),
        **_management("cost_lines", 1),
        "cost_lines-0-order": "1",
        "cost_lines-0-category": world.category.pk,
        "cost_lines-0-description": "ค่าอาหารกลางวัน",
        "cost_lines-0-times": "๑",
        "cost_lines-0-times_unit": "ครั้ง",
        "cost_lines-0-persons": "๓๐",
        "cost_lines-0-persons_unit": "คน",
        "cost_lines-0-days": "2",
        "cost_lines-0-days_unit": "มื้อ",
        "cost_lines-0-rate": "๓๕",
        "cost_lines-0-amount": "",
        "cost_lines-0-note": "",
        **_management("quarter_plans", 2),
        "quarter_plans-0-quarter": "1",
        "quarter_plans-0-amount": "1,000",
        "quarter_plans-1-quarter": "2",
        "quarter_plans-1-amount": "๑,๑๐๐",
    }


def test_base_posts_of_the_screens_are_accepted(world):
    """The client fuzz starts from posts that save, so it reaches every check."""
    client = _logged_in(world.planner)
    response = client.post(reverse("admin:projects_project_add"), _project_sheet(world))
    assert response.status_code == 302, shown_errors(response.content.decode())
    response = client.post(
        reverse("admin:projects_activity_add"), _activity_sheet(world)
    )
    assert response.status_code == 302, shown_errors(response.content.decode())
    assert CostLine.objects.filter(description="ค่าอาหารกลางวัน").exists()


@CLIENT
@given(data=st.data())
def test_project_add_page_survives_bad_input(world, data):
    client = _logged_in(world.planner)
    posted = _fuzz_post(
        data, _project_sheet(world), extra_keys=["opened_version", "goals"]
    )
    response = client.post(reverse("admin:projects_project_add"), posted)
    assert_response_thai(response, posted)


@pytest.fixture
def change_pages(world):
    """The change pages as a browser would post them back (no opened version:
    a save in one example must not turn the next into an edit conflict)."""
    client = _logged_in(world.planner)
    pages = {}
    for name, url in [
        ("project", reverse("admin:projects_project_change", args=[world.draft.pk])),
        (
            "activity",
            reverse("admin:projects_activity_change", args=[world.activity.pk]),
        ),
    ]:
        base = form_data(client.get(url).content)
        pages[name] = (
            url,
            {k: v for k, v in base.items() if not k.endswith("opened_version")},
        )
    return pages


@CLIENT
@given(data=st.data(), page=st.sampled_from(["project", "activity"]))
def test_change_pages_survive_bad_input(world, change_pages, data, page):
    url, base = change_pages[page]
    posted = _fuzz_post(data, base, extra_keys=["opened_version"])
    response = _logged_in(world.planner).post(url, posted)
    assert_response_thai(response, posted)


@CLIENT
@given(data=st.data())
def test_activity_add_page_with_cost_lines_survives_bad_input(world, data):
    posted = _fuzz_post(data, _activity_sheet(world))
    response = _logged_in(world.planner).post(
        reverse("admin:projects_activity_add"), posted
    )
    assert_response_thai(response, posted)


@CLIENT
@given(data=st.data())
def test_disbursement_add_page_survives_bad_input(world, data):
    base = {
        "activity": world.paid_activity.pk,
        "cost_line": "",
        "category": "",
        "paid_on": _today_be(),
        "amount": "1,000",
        "document_number": "ขบ 1/2568",
        "note": "",
    }
    posted = _fuzz_post(data, base)
    response = _logged_in(world.finance).post(
        reverse("admin:budgets_disbursement_add"), posted
    )
    assert_response_thai(response, posted)


@pytest.fixture
def group_round_page(world):
    client = _logged_in(world.head)
    url = reverse("progress:group_round", args=[world.round.pk, world.group_a.pk])
    base = form_data(client.get(url).content)
    prefix = f"p{world.approved.pk}"
    base[f"{prefix}-percent_complete"] = "๔๐"
    base[f"{prefix}-output_progress"] = "ประชุมแล้ว"
    return url, base


@CLIENT
@given(data=st.data())
def test_progress_group_round_survives_bad_input(world, group_round_page, data):
    url, base = group_round_page
    posted = _fuzz_post(data, base, extra_keys=["submit", "save"])
    response = _logged_in(world.head).post(url, posted)
    assert_response_thai(response, posted)


@CLIENT
@given(fiscal_year=fuzz_text, digits=fuzz_text, method=st.sampled_from(["get", "post"]))
def test_money_screens_survive_bad_query(world, fiscal_year, digits, method):
    client = _logged_in(world.finance)
    query = {"fiscal_year": fiscal_year, "digits": digits}
    for name in ("budgets:disbursement", "budgets:summary"):
        response = getattr(client, method)(reverse(name), query)
        assert response.status_code == 200
        assert_response_thai(response, query)


@CLIENT
@given(year=fuzz_text, content=upload_bytes)
def test_excel_upload_survives_bad_files(world, year, content):
    client = _logged_in(world.planner)
    upload = SimpleUploadedFile("แผน.xlsx", content)
    posted = {"fiscal_year": year, "file": upload}
    response = client.post(reverse("excel:import_plan"), posted, follow=True)
    assert_response_thai(response, {"fiscal_year": year})


# ------------------------------------------------------------------ regressions


AUTOCOMPLETES = [
    ("projects", "activity", "project"),
    ("projects", "activity", "parent"),
    ("projects", "activity", "responsible"),
    ("projects", "projectresponsible", "person"),
    ("budgets", "disbursement", "activity"),
    ("plans", "indicator", "strategy"),
]
CHANGELISTS = [
    "admin:projects_project_changelist",
    "admin:projects_activity_changelist",
    "admin:budgets_disbursement_changelist",
]


@CLIENT
@given(
    term=fuzz_text,
    source=st.sampled_from(AUTOCOMPLETES),
    changelist=st.sampled_from(CHANGELISTS),
)
def test_admin_search_and_autocomplete_survive_bad_terms(
    world, term, source, changelist
):
    client = _logged_in(world.planner)
    app_label, model_name, field_name = source
    query = {
        "term": term,
        "app_label": app_label,
        "model_name": model_name,
        "field_name": field_name,
    }
    response = client.get(reverse("admin:autocomplete"), query)
    assert response.status_code == 200
    assert "results" in response.json()
    response = client.get(reverse(changelist), {"q": term})
    assert_response_thai(response, {"q": term})


# ------------------------------------------------------------------ regressions
# Plain tests for what the sweep found; each failed before its fix.


@pytest.mark.parametrize(
    "parse, typed",
    [
        (thai.parse_decimal, "1" + " " * 100_000 + "x"),
        (thai.parse_thai_date, "1 ก" + "\t" * 100_000 + "/"),
        (parse_thai_month, "ต.ค." + " " * 100_000 + "ก"),
        (parse_thai_months, "/" + " " * 100_000 + "-"),
        (parse_thai_months, "ก.ค." + " " * 100_000 + "-"),
    ],
)
def test_long_input_is_refused_in_linear_time(parse, typed):
    """Regexes with ``\\s*`` after a lazy group took minutes on 100,000 spaces
    (a box of the project sheet could keep a worker busy for hours)."""
    started = time.perf_counter()
    with pytest.raises(ValueError, match=THAI):
        parse(typed)
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("1 ต.ค.   2566", datetime.date(2023, 10, 1)),
        ("๑\tตุลาคม\t๒๕๖๖", datetime.date(2023, 10, 1)),
        ("ต.ค.  –  ธ.ค. 2567", None),
        ("25,000   บาท", Decimal("25000")),
    ],
)
def test_spaces_are_still_accepted_where_they_were(typed, expected):
    if expected is None:
        assert parse_thai_months(typed) == [
            datetime.date(2024, 10, 1),
            datetime.date(2024, 11, 1),
            datetime.date(2024, 12, 1),
        ]
    elif isinstance(expected, Decimal):
        assert thai.parse_decimal(typed) == expected
    else:
        assert thai.parse_thai_date(typed) == expected


def test_numbers_beyond_the_decimal_context_are_a_thai_value_error():
    """``Decimal.quantize`` raised ``InvalidOperation`` on 29+ digits."""
    for call in (
        lambda: thai.quantize_baht("9" * 40),
        lambda: thai.format_baht("9" * 40),
        lambda: thai.bahttext("9" * 40),
        lambda: thai.percent_of("9" * 40, "0.01"),
    ):
        with pytest.raises(ValueError, match=THAI):
            call()


def test_excel_money_cell_with_too_many_digits_is_an_issue_not_a_crash():
    from excel import parsing

    with pytest.raises(ValueError, match=THAI):
        parsing.money("9" * 40)


@pytest.mark.parametrize(
    "factors",
    [
        # 26 digits: InvalidOperation (a 500) before the fix
        {"times": "99999999.99", "persons": "99999999.99", "days": "99999999.99"},
        # 20 digits: accepted before the fix, then too big for numeric(14, 2)
        {"times": "99999999.99", "persons": "", "days": ""},
    ],
)
def test_cost_line_formula_beyond_the_money_column_is_refused_in_thai(world, factors):
    data = {
        "order": "1",
        "category": world.category.pk,
        "description": "ค่าตอบแทน",
        "rate": "999,999,999,999.99",
        "amount": "",
        **factors,
    }
    activity = Activity.objects.get(pk=world.activity.pk)
    form = CostLineForm(data, instance=CostLine(activity=activity))
    assert not form.is_valid()
    assert form.errors.as_data()["amount"][0].code == "too_large"
    assert_form_errors_thai(form)


def test_activity_page_with_overflowing_lines_and_quarters_shows_thai_errors(world):
    """The quarter plan re-reads the posted lines: their product overflowed."""
    data = _activity_sheet(world)
    data.update(
        {
            "cost_lines-0-times": "99999999.99",
            "cost_lines-0-persons": "99999999.99",
            "cost_lines-0-days": "99999999.99",
            "cost_lines-0-rate": "999999999999.99",
        }
    )
    response = _logged_in(world.planner).post(
        reverse("admin:projects_activity_add"), data
    )
    assert response.status_code == 200
    errors = shown_errors(response.content.decode())
    assert "จำนวนเงินตามสูตรเกิน 999,999,999,999.99 บาท กรุณาตรวจสอบจำนวนและอัตรา" in errors
    for message in errors:
        assert_thai(message)


def test_huge_id_in_a_multiple_choice_is_a_thai_error(world):
    """SQLite raised ``OverflowError`` on ``pk__in=[2**63]`` (a 500)."""
    huge = str(2**63)
    assert not Strategy.objects.filter(pk__in=[huge, world.strategy.pk]).exclude(
        pk=world.strategy.pk
    )
    assert Strategy.objects.exclude(pk__in=[huge]).count() == Strategy.objects.count()
    data = {**FORM_CASES[0].valid(world), "strategies": [huge]}
    form = _admin_form(Project, world, data)
    assert not form.is_valid()
    assert_form_errors_thai(form, typed=[huge])


@pytest.mark.parametrize("junk", [" ", "1.5", "ก", "1\x00"])
def test_junk_id_in_an_autocomplete_field_shows_the_form_again(world, junk):
    """Django's autocomplete widget looked ``pk__in=[junk]`` up (ValueError)."""
    data = {**_activity_sheet(world), "project": junk, "responsible": junk}
    response = _logged_in(world.planner).post(
        reverse("admin:projects_activity_add"), data
    )
    assert response.status_code == 200
    assert_response_thai(response, data)
    disbursement = {"activity": junk, "paid_on": _today_be(), "amount": "1"}
    response = _logged_in(world.finance).post(
        reverse("admin:budgets_disbursement_add"), disbursement
    )
    assert response.status_code == 200
    assert_response_thai(response, disbursement)


def test_nul_in_an_autocomplete_search_is_not_sent_to_the_database(world):
    """PostgreSQL refuses NUL in text: the autocomplete view was a 500."""
    query = {
        "term": "ประชุม\x00",
        "app_label": "budgets",
        "model_name": "disbursement",
        "field_name": "activity",
    }
    response = _logged_in(world.finance).get(reverse("admin:autocomplete"), query)
    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["ประชุม"]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "ก\x00"}, "อักขระว่าง (NUL)"),
        ({"name": "ก" * 501}, "ต้องยาวไม่เกิน 500 ตัวอักษร"),
        ({"responsibles-TOTAL_FORMS": "x"}, "ข้อมูลควบคุมของแบบฟอร์มขาดหายหรือถูกแก้ไข"),
        ({"targets-0-quantity": "1.999"}, "ทศนิยมต้องมีไม่เกิน 2 ตำแหน่ง"),
        ({"targets-0-quantity": "1" * 20}, "ตัวเลขต้องมีไม่เกิน 14 หลัก"),
    ],
)
def test_django_own_messages_are_thai_on_the_project_sheet(world, data, message):
    """Django's Thai catalog left these in English (locale/th fills them in)."""
    posted = {**_project_sheet(world), **data}
    response = _logged_in(world.planner).post(
        reverse("admin:projects_project_add"), posted
    )
    assert response.status_code == 200
    errors = shown_errors(response.content.decode())
    assert "กรุณาแก้ไขข้อผิดพลาดด้านล่าง" in errors
    assert any(message in error for error in errors), errors
    for error in errors:
        assert_thai(error, typed=_typed(posted))


def test_a_thousand_word_search_is_not_a_500(world):
    """Each word is a condition: SQLite refused 990 of them (a 500)."""
    term = "ต.ค. " * 990
    query = {
        "term": term,
        "app_label": "projects",
        "model_name": "activity",
        "field_name": "project",
    }
    client = _logged_in(world.planner)
    assert client.get(reverse("admin:autocomplete"), query).status_code == 200
    for changelist in CHANGELISTS:
        assert client.get(reverse(changelist), {"q": term}).status_code == 200


def _po_entries(path):
    """``(msgid, msgid_plural, msgstr)`` of a .po file (no contexts used)."""
    entries, current, key = [], {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current.get("msgid"):
                entries.append(
                    (
                        current["msgid"],
                        current.get("msgid_plural"),
                        current.get("msgstr") or current.get("msgstr[0]"),
                    )
                )
            current, key = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
        else:
            key, _, text = line.partition(" ")
            current[key] = ast.literal_eval(text)
    return entries


def test_thai_catalog_is_compiled_and_every_message_is_thai(settings):
    """locale/th/LC_MESSAGES/django.mo must be rebuilt after editing the .po."""
    from django.utils import translation

    path = settings.LOCALE_PATHS[0] / "th" / "LC_MESSAGES" / "django.po"
    entries = _po_entries(path)
    assert len(entries) > 40
    with translation.override("th"):
        for msgid, plural, msgstr in entries:
            assert THAI.search(msgstr), msgid
            if plural:
                assert translation.ngettext(msgid, plural, 2) == msgstr, msgid
            else:
                assert translation.gettext(msgid) == msgstr, msgid
