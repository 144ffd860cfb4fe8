"""The reporting-round admin writes through ``progress.services`` (issue 14
item 2): ``round_save``/``round_delete`` hold the lock and fiscal-year rules
that Django's own ``save_model`` skipped, so a locked round's dates could be
moved under reports already judged on them, and a round filed under another
year."""

import datetime
import html

import pytest
from django.urls import reverse

from core.thai import thai_date
from progress import services
from progress.models import ReportingRound
from tests.factories import ProgressReportFactory
from tests.html_forms import form_data
from tests.progress.conftest import FY

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_planner(planner):
    planner.is_staff = True
    planner.save(update_fields=["is_staff"])
    return planner


def _body(client, reporting_round, **changes):
    url = reverse("admin:progress_reportinground_change", args=[reporting_round.pk])
    data = form_data(client.get(url).content)
    data.update(changes)
    return url, data


def _state(reporting_round):
    stored = ReportingRound.objects.get(pk=reporting_round.pk)
    return (
        stored.fiscal_year,
        stored.period_end,
        stored.due_date,
        stored.status,
        stored.history.count(),
    )


def _later(day: datetime.date) -> str:
    return thai_date(day + datetime.timedelta(days=7), style="numeric")


def test_a_planner_moves_a_due_date_through_the_service(client, staff_planner, round1):
    client.force_login(staff_planner)
    url, data = _body(client, round1, due_date=_later(round1.due_date))

    response = client.post(url, data)

    assert response.status_code == 302
    stored = ReportingRound.objects.get(pk=round1.pk)
    assert stored.due_date == round1.due_date + datetime.timedelta(days=7)
    assert stored.history.first().history_user == staff_planner


def test_a_locked_round_keeps_its_dates(client, staff_planner, round1):
    services.round_lock(reporting_round=round1, user=staff_planner)
    client.force_login(staff_planner)
    url, data = _body(client, round1, due_date=_later(round1.due_date))
    before = _state(round1)

    response = client.post(url, data)

    assert response.status_code == 200
    assert services.ERROR_ROUND_LOCKED in html.unescape(response.content.decode())
    assert _state(round1) == before


def test_the_data_date_stays_in_the_rounds_fiscal_year(client, staff_planner, round1):
    client.force_login(staff_planner)
    next_year = datetime.date(FY - 543, 10, 31)  # in fiscal year FY + 1
    url, data = _body(
        client,
        round1,
        period_end=thai_date(next_year, "numeric"),
        due_date=_later(next_year),
    )
    before = _state(round1)

    response = client.post(url, data)

    assert response.status_code == 200
    assert "ต้องอยู่ในปีงบประมาณ" in html.unescape(response.content.decode())
    assert _state(round1) == before


def test_a_round_with_reports_stays_in_its_year(
    client, staff_planner, round1, project_a
):
    ProgressReportFactory(project=project_a, round=round1)
    client.force_login(staff_planner)
    url, data = _body(client, round1, fiscal_year=str(FY + 1))
    data["period_end"] = thai_date(
        ReportingRound.default_period_end(FY + 1, 1), "numeric"
    )
    data["due_date"] = thai_date(ReportingRound.default_due_date(FY + 1, 1), "numeric")
    before = _state(round1)

    response = client.post(url, data)

    assert response.status_code == 200
    assert "มีรายงานความก้าวหน้าแล้ว 1 รายงาน" in html.unescape(response.content.decode())
    assert _state(round1) == before


def test_a_locked_round_is_not_deleted(client, staff_planner, round1):
    services.round_lock(reporting_round=round1, user=staff_planner)
    client.force_login(staff_planner)
    before = _state(round1)

    response = client.post(
        reverse("admin:progress_reportinground_delete", args=[round1.pk]),
        {"post": "yes"},
    )

    assert response.status_code == 200
    assert services.ERROR_ROUND_LOCKED in html.unescape(response.content.decode())
    assert _state(round1) == before


def test_an_open_round_is_deleted_through_the_service(client, staff_planner, round2):
    client.force_login(staff_planner)
    response = client.post(
        reverse("admin:progress_reportinground_delete", args=[round2.pk]),
        {"post": "yes"},
    )
    assert response.status_code == 302
    assert not ReportingRound.objects.filter(pk=round2.pk).exists()
    deleted = ReportingRound.history.get(id=round2.pk, history_type="-")
    assert deleted.history_user == staff_planner
