"""The group screen does not lose updates: a head and a project officer open
the same round; the first save wins, the second is refused with the Thai
conflict message listing what changed, keeping what the second person typed."""

import pytest
from django.urls import reverse

from core.locking import ERROR_EDIT_CONFLICT
from progress.models import ProgressReport
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

CONFLICT_START = ERROR_EDIT_CONFLICT.split("{")[0]


def _open(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.content)


@pytest.mark.parametrize("report_exists", [False, True])
def test_second_save_is_refused_and_keeps_input(
    client, round1, group_a, project_a, head_a, officer, report_exists
):
    if report_exists:
        ProgressReport.objects.create(project=project_a, round=round1)
    url = reverse("progress:group_round", args=[round1.pk, group_a.pk])
    prefix = f"p{project_a.pk}"
    first = _open(client, head_a, url)
    second = _open(client, officer, url)

    client.force_login(head_a)
    first[f"{prefix}-output_progress"] = "ประชุมชี้แจงครบ 124 โรงเรียน"
    assert client.post(url, first).status_code == 302

    client.force_login(officer)
    second[f"{prefix}-problems"] = "ครูติดภารกิจสอบ O-NET"
    response = client.post(url, second)

    content = response.content.decode()
    assert response.status_code == 200
    assert CONFLICT_START in content
    assert "ความก้าวหน้าต่อเป้าหมายเชิงผลผลิต (Output): “ประชุมชี้แจงครบ 124 โรงเรียน”" in content
    assert "ครูติดภารกิจสอบ O-NET" in content
    report = ProgressReport.objects.get(project=project_a, round=round1)
    assert report.output_progress == "ประชุมชี้แจงครบ 124 โรงเรียน"
    assert report.problems == ""

    # The re-shown form carries the current version: saving again overwrites.
    again = form_data(content)
    assert client.post(url, again).status_code == 302
    report.refresh_from_db()
    assert report.problems == "ครูติดภารกิจสอบ O-NET"
