"""Issue 18 item 6: a timestamp's day is Bangkok's, never UTC's.

A report sent at 02:17 on 5 December in Bangkok is stored as 19:17 UTC on 4
December; every screen that prints the day of such a time must say 5 December.
"""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from core.thai import bangkok_date
from progress.models import ProgressReport, ReportEvent
from progress.resources import ProgressReportResource
from tests.factories import ProgressReportFactory

pytestmark = pytest.mark.django_db

#: 02:17 on 5 December Bangkok = 19:17 UTC on 4 December.
SENT = datetime.datetime(2026, 12, 4, 19, 17, tzinfo=datetime.UTC)
BANGKOK_DAY = "5 ธันวาคม 2569"
UTC_DAY = "4 ธันวาคม 2569"


def test_bangkok_date_takes_the_bangkok_day_whatever_zone_is_active():
    assert bangkok_date(SENT) == datetime.date(2026, 12, 5)
    with timezone.override(ZoneInfo("UTC")):
        rendered = Template(
            "{% load thai_format %}{{ moment|bangkok_date|thai_date }}"
        ).render(Context({"moment": SENT}))
    assert rendered == BANGKOK_DAY
    assert bangkok_date(datetime.date(2026, 12, 4)) == datetime.date(2026, 12, 4)
    assert bangkok_date(None) is None


@pytest.fixture
def sent_report(project_a, round1, head_a):
    report = ProgressReportFactory(
        project=project_a,
        round=round1,
        state=ProgressReport.State.SUBMITTED,
        submitted_by=head_a,
    )
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=SENT)
    event = ReportEvent.objects.create(
        report=report, action=ReportEvent.Action.SUBMIT, actor=head_a
    )
    ReportEvent.objects.filter(pk=event.pk).update(created_at=SENT)
    report.refresh_from_db()
    return report


def _page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_review_prints_the_bangkok_day(client, planner, sent_report, round1):
    html = _page(client, planner, reverse("progress:review", args=[round1.pk]))
    assert f"ส่งเมื่อ {BANGKOK_DAY}" in html
    assert UTC_DAY not in html


def test_group_report_prints_the_bangkok_day(
    client, head_a, sent_report, round1, group_a
):
    url = reverse("progress:group_round", args=[round1.pk, group_a.pk])
    html = _page(client, head_a, url)
    assert f"ส่งเมื่อ {BANGKOK_DAY}" in html
    assert UTC_DAY not in html


def test_history_prints_the_bangkok_day_and_time(client, head_a, sent_report):
    url = reverse("progress:report_detail", args=[sent_report.pk])
    html = _page(client, head_a, url)
    assert f"{BANGKOK_DAY} 02:17 น." in html
    assert UTC_DAY not in html


def test_export_gives_the_bangkok_day_whatever_zone_is_active(sent_report):
    with timezone.override(ZoneInfo("UTC")):
        day = ProgressReportResource().dehydrate_submitted(sent_report)
    assert day == datetime.date(2026, 12, 5)


def test_no_template_takes_the_utc_day_of_a_timestamp():
    """``.date`` on a stored timestamp is the UTC day: templates use the
    ``bangkok_date`` filter instead."""
    root = Path(__file__).resolve().parents[2] / "templates"
    offenders = [
        f"{path.relative_to(root)}: {line.strip()}"
        for path in root.rglob("*.html")
        for line in path.read_text(encoding="utf-8").splitlines()
        if ".date|" in line or ".date }}" in line
    ]
    assert offenders == []
