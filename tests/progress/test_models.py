import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from progress.models import (
    KPIActual,
    ProgressReport,
    ReportingRound,
    parse_kpi_actual,
)
from progress.services import round_create_for_year
from tests.factories import ProgressReportFactory, ProjectKPIFactory
from tests.progress.conftest import FY

pytestmark = pytest.mark.django_db


def test_rounds_end_with_fiscal_quarters_and_are_due_15_days_later(office):
    # when
    rounds = round_create_for_year(organization=office, fiscal_year=2570)

    # then: FY 2570 = 1 Oct 2026 – 30 Sep 2027
    assert [(r.number, r.period_end, r.due_date) for r in rounds] == [
        (1, datetime.date(2026, 12, 31), datetime.date(2027, 1, 15)),
        (2, datetime.date(2027, 3, 31), datetime.date(2027, 4, 15)),
        (3, datetime.date(2027, 6, 30), datetime.date(2027, 7, 15)),
        (4, datetime.date(2027, 9, 30), datetime.date(2027, 10, 15)),
    ]
    assert [r.label for r in rounds] == [
        "รอบ 3 เดือน",
        "รอบ 6 เดือน",
        "รอบ 9 เดือน",
        "รอบ 12 เดือน",
    ]
    assert rounds[0].label_thai_digits == "รอบ ๓ เดือน"
    assert all(r.status == ReportingRound.Status.OPEN for r in rounds)


def test_due_days_are_configurable(office, settings):
    settings.PROGRESS_DUE_DAYS = 30

    rounds = round_create_for_year(organization=office, fiscal_year=2570)

    assert rounds[0].due_date == datetime.date(2027, 1, 30)


def test_creating_rounds_twice_keeps_edited_due_dates(office):
    first = round_create_for_year(organization=office, fiscal_year=2570)
    ReportingRound.objects.filter(pk=first[0].pk).update(
        due_date=datetime.date(2027, 1, 20)
    )

    again = round_create_for_year(organization=office, fiscal_year=2570)

    assert [r.pk for r in again] == [r.pk for r in first]
    assert ReportingRound.objects.filter(organization=office).count() == 4
    assert again[0].due_date == datetime.date(2027, 1, 20)


def test_current_round_is_the_earliest_open_one(office, rounds):
    assert ReportingRound.objects.current_for(office, FY) == rounds[0]
    ReportingRound.objects.filter(pk=rounds[0].pk).update(status="locked")
    assert ReportingRound.objects.current_for(office, FY) == rounds[1]


def test_one_report_per_project_per_round(project_a, round1):
    ProgressReportFactory(project=project_a, round=round1)

    with pytest.raises(IntegrityError):
        ProgressReportFactory(project=project_a, round=round1)


def test_percent_over_100_is_refused_in_thai(project_a, round1):
    report = ProgressReport(project=project_a, round=round1, percent_complete=101)

    with pytest.raises(ValidationError) as raised:
        report.full_clean()

    assert raised.value.message_dict["percent_complete"] == [
        "ร้อยละความก้าวหน้าต้องอยู่ระหว่าง 0 ถึง 100"
    ]


@pytest.mark.parametrize(
    ("actual", "achieved"),
    [(Decimal("80"), True), (Decimal("85.5"), True), (Decimal("79.99"), False)],
)
def test_percent_kpi_achieved_against_at_least_target(
    project_a, round1, actual, achieved
):
    report = ProgressReportFactory(project=project_a, round=round1)
    kpi = project_a.kpis.get(order=1)  # ไม่น้อยกว่าร้อยละ 80

    item = KPIActual.objects.create(report=report, kpi=kpi, actual_value=actual)

    assert item.achieved is achieved
    assert item.target_label == "ไม่น้อยกว่าร้อยละ 80"


def test_text_kpi_and_missing_number_are_not_judged(project_a, round1):
    report = ProgressReportFactory(project=project_a, round=round1)
    text_kpi = project_a.kpis.get(order=3)
    count_kpi = project_a.kpis.get(order=2)

    text = KPIActual.objects.create(report=report, kpi=text_kpi, actual_text="ระดับดีมาก")
    empty = KPIActual.objects.create(report=report, kpi=count_kpi)

    assert text.achieved is None
    assert empty.achieved is None


@pytest.mark.parametrize(("verdict", "achieved"), [(True, True), (False, False)])
def test_a_text_kpi_is_met_only_by_its_recorded_verdict(
    project_a, round1, verdict, achieved
):
    report = ProgressReportFactory(project=project_a, round=round1)
    text_kpi = project_a.kpis.get(order=3)

    item = KPIActual.objects.create(
        report=report, kpi=text_kpi, actual_text="ระดับดีมาก", achieved_verdict=verdict
    )

    assert item.achieved is achieved


def test_a_level_kpi_with_a_text_target_takes_the_verdict_numbers_do_not(
    project_a, round1
):
    report = ProgressReportFactory(project=project_a, round=round1)
    percent_kpi = project_a.kpis.get(order=1)  # ไม่น้อยกว่าร้อยละ 80
    level_kpi = ProjectKPIFactory(
        project=project_a, unit="level", target_value=None, target_text="ระดับ AA"
    )

    level = KPIActual.objects.create(
        report=report, kpi=level_kpi, actual_text="AA", achieved_verdict=True
    )
    numbers = KPIActual.objects.create(
        report=report,
        kpi=percent_kpi,
        actual_value=Decimal("70"),
        achieved_verdict=True,
    )

    assert level.achieved is True
    assert numbers.achieved is False


def test_kpi_actual_parses_thai_digits_and_rejects_wrong_type(project_a):
    percent, count, text = project_a.kpis.order_by("order")

    assert parse_kpi_actual(count, "๓๒๐") == (Decimal("320"), "")
    assert parse_kpi_actual(percent, "ร้อยละ 85.5") == (Decimal("85.5"), "")
    assert parse_kpi_actual(text, "ระดับดีมาก") == (None, "ระดับดีมาก")
    assert parse_kpi_actual(count, "  ") == (None, "")
    with pytest.raises(ValidationError) as raised:
        parse_kpi_actual(count, "ประมาณสามร้อย")
    assert raised.value.code == "number"
    with pytest.raises(ValidationError) as raised:
        parse_kpi_actual(percent, "120")
    assert raised.value.code == "percent_range"
