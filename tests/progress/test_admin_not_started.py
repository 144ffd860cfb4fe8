"""The progress admin, like the group's screen, takes a report of a project
not started without a percent (issue 15: "a not-started project needs no
percent … to be reported ยังไม่ดำเนินการ"); a started one still needs it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from progress.forms import ERROR_PERCENT_REQUIRED
from progress.models import ProgressReport
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


def _add_body(client, user, project, round1, **values):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    url = reverse("admin:progress_progressreport_add")
    data = form_data(client.get(url).content)
    data.update(
        {
            "round": str(round1.pk),
            "project": str(project.pk),
            "percent_complete": "",
            **values,
        }
    )
    return url, data


def test_a_not_started_report_is_saved_without_a_percent(
    client, head_a, project_a, round1
):
    url, data = _add_body(client, head_a, project_a, round1, status="not_started")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    report = ProgressReport.objects.get(project=project_a, round=round1)
    assert report.status == ProgressReport.Status.NOT_STARTED
    assert report.percent_complete == Decimal("0")


def test_a_started_report_without_a_percent_is_refused_in_thai(
    client, head_a, project_a, round1
):
    url, data = _add_body(client, head_a, project_a, round1, status="in_progress")
    response = client.post(url, data)
    assert response.status_code == 200
    assert ERROR_PERCENT_REQUIRED in response.content.decode()
    assert not ProgressReport.objects.exists()
