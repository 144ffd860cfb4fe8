"""The progress admin saves through ``progress.services`` with the group
screen's permissions: who may not report is refused (nothing written) even
with a body an allowed user posts; who may report gets the service's save
(history with the user, the "saved" event, the activity rows)."""

import pytest
from django.urls import reverse

from progress import services
from progress.admin import ADMIN_SAVE_COMMENT
from progress.models import ActivityProgress, ProgressReport, ReportEvent
from tests.factories import ProgressReportFactory
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


def _staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def report(project_a, round1):
    return ProgressReportFactory(project=project_a, round=round1, problems="")


def _change_body(client, user, report, **changes):
    """The change form as ``user`` (who may report) would post it."""
    client.force_login(user)
    url = reverse("admin:progress_progressreport_change", args=[report.pk])
    response = client.get(url)
    assert response.status_code == 200
    data = form_data(response.content)
    data.update(changes)
    return url, data


def _snapshot(report):
    report = ProgressReport.objects.get(pk=report.pk)
    return (
        report.problems,
        report.edit_version,
        report.history.count(),
        ReportEvent.objects.filter(report=report).count(),
        ActivityProgress.objects.filter(report=report).count(),
    )


def test_a_planner_cannot_change_a_report_the_group_screen_refuses_him(
    client, head_a, planner, report
):
    url, data = _change_body(client, _staff(head_a), report, problems="งบประมาณโอนล่าช้า")
    before = _snapshot(report)

    client.force_login(_staff(planner))
    response = client.post(url, data)

    assert response.status_code == 403
    assert _snapshot(report) == before


def test_a_planner_cannot_add_a_report_for_a_group(
    client, head_a, planner, project_a, round1
):
    client.force_login(_staff(head_a))
    url = reverse("admin:progress_progressreport_add")
    data = form_data(client.get(url).content)
    data.update(
        {
            "round": str(round1.pk),
            "project": str(project_a.pk),
            "status": "in_progress",
            "percent_complete": "10",
            "output_progress": "ประชุมแล้ว",
        }
    )

    client.force_login(_staff(planner))
    response = client.post(url, data)

    assert response.status_code == 200
    assert services.ERROR_NOT_REPORTER in response.content.decode()
    assert not ProgressReport.objects.exists()
    assert not ReportEvent.objects.exists()


def test_the_group_head_saves_through_the_service(client, head_a, report):
    activity = report.project.activities.order_by("order").first()
    version = report.edit_version
    url, data = _change_body(
        client,
        _staff(head_a),
        report,
        problems="งบประมาณโอนล่าช้า",
        **{
            "activity_progress-TOTAL_FORMS": "1",
            "activity_progress-0-activity": str(activity.pk),
            "activity_progress-0-state": ActivityProgress.State.DONE,
            "activity_progress-0-note": "ประชุมครบทุกโรงเรียน",
            "activity_progress-0-report": str(report.pk),
        },
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    assert report.problems == "งบประมาณโอนล่าช้า"
    assert report.edit_version > version
    assert report.updated_by == head_a
    assert report.history.first().history_user == head_a
    event = ReportEvent.objects.get(report=report)
    assert (event.action, event.actor, event.comment) == (
        ReportEvent.Action.SAVE,
        head_a,
        ADMIN_SAVE_COMMENT,
    )
    row = ActivityProgress.objects.get(report=report)
    assert (row.activity, row.state, row.note) == (
        activity,
        ActivityProgress.State.DONE,
        "ประชุมครบทุกโรงเรียน",
    )


def test_the_admin_records_a_text_kpis_verdict_through_the_service(
    client, head_a, report
):
    from progress.models import KPIActual

    text_kpi = report.project.kpis.get(order=3)
    url, data = _change_body(
        client,
        _staff(head_a),
        report,
        **{
            "kpi_actuals-TOTAL_FORMS": "1",
            "kpi_actuals-0-kpi": str(text_kpi.pk),
            "kpi_actuals-0-actual_text": "ระดับดีมาก",
            "kpi_actuals-0-achieved_verdict": "true",
            "kpi_actuals-0-report": str(report.pk),
        },
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    row = KPIActual.objects.get(report=report)
    assert (row.actual_text, row.achieved_verdict, row.achieved) == (
        "ระดับดีมาก",
        True,
        True,
    )
    assert row.history.first().history_user == head_a
