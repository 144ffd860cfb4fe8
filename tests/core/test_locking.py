"""No lost updates: two people open the same form, the first saves, the
second's save is refused with a Thai message naming what changed (and the
first person's value), the second's input stays on the page, and a second
deliberate save goes through."""

import pytest
from django.urls import reverse

from budgets.models import CostLine
from core.locking import ERROR_EDIT_CONFLICT, VersionedModel
from core.roles import Role
from progress.models import ProgressReport
from projects.models import Activity, Project
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    PlanFactory,
    ProgressReportFactory,
    ProjectFactory,
    ReportingRoundFactory,
    make_staff,
)
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

CONFLICT_START = ERROR_EDIT_CONFLICT.split("{")[0]


@pytest.fixture
def two_planners(office, planner):
    second = make_staff(office, roles=[Role.PLANNER], first_name="แผนสอง").user
    for user in (planner, second):
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return planner, second


@pytest.fixture
def project(office, group_a):
    plan = PlanFactory(organization=office, fiscal_year=2568)
    return ProjectFactory(
        plan=plan, group=group_a, name="โครงการเดิม", location="ห้องประชุมเขต"
    )


def _open(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.content)


def _race(client, two_planners, url, field, first_value, second_field, second_value):
    """Both open ``url``; the first changes ``field``, the second another one."""
    first, second = two_planners
    first_data = _open(client, first, url)
    second_data = _open(client, second, url)

    client.force_login(first)
    first_data[field] = first_value
    response = client.post(url, first_data)
    assert response.status_code == 302, response.content.decode()[:3000]

    client.force_login(second)
    second_data[second_field] = second_value
    return client.post(url, second_data)


def test_versioned_models_count_every_save(project):
    assert isinstance(project, VersionedModel)
    start = project.edit_version
    project.name = "ชื่อใหม่"
    project.save()
    project.save(update_fields=["name"])
    project.refresh_from_db()
    assert project.edit_version == start + 2


def test_project_admin_refuses_stale_save_and_keeps_input(
    client, two_planners, project
):
    url = reverse("admin:projects_project_change", args=[project.pk])

    response = _race(
        client,
        two_planners,
        url,
        "name",
        "โครงการของคนแรก",
        "location",
        "หอประชุมคนที่สอง",
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert CONFLICT_START in content
    assert "ชื่อโครงการ: “โครงการของคนแรก”" in content
    assert "หอประชุมคนที่สอง" in content  # the second person's input is kept
    project.refresh_from_db()
    assert project.name == "โครงการของคนแรก"
    assert project.location == "ห้องประชุมเขต"

    # Having read the message, saving again overwrites on purpose.
    again = form_data(response.content)
    assert again["location"] == "หอประชุมคนที่สอง"
    assert client.post(url, again).status_code == 302
    project.refresh_from_db()
    assert project.location == "หอประชุมคนที่สอง"


def test_activity_admin_refuses_stale_save(client, two_planners, project):
    activity = ActivityFactory(project=project, name="ประชุมชี้แจง", target="")
    url = reverse("admin:projects_activity_change", args=[activity.pk])

    response = _race(
        client, two_planners, url, "name", "ประชุมชี้แจงโรงเรียน", "target", "120 โรง"
    )

    assert response.status_code == 200
    assert "กิจกรรม: “ประชุมชี้แจงโรงเรียน”" in response.content.decode()
    activity.refresh_from_db()
    assert (activity.name, activity.target) == ("ประชุมชี้แจงโรงเรียน", "")


def test_cost_line_inline_refuses_stale_save(client, two_planners, project):
    activity = ActivityFactory(project=project)
    line = CostLineFactory(activity=activity, description="ค่าอาหาร", note="")
    url = reverse("admin:projects_activity_change", args=[activity.pk])
    prefix = "cost_lines-0"

    response = _race(
        client,
        two_planners,
        url,
        f"{prefix}-description",
        "ค่าอาหารกลางวัน",
        f"{prefix}-note",
        "ตามระเบียบ",
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "รายการ: “ค่าอาหารกลางวัน”" in content
    line.refresh_from_db()
    assert (line.description, line.note) == ("ค่าอาหารกลางวัน", "")
    assert CostLine.objects.count() == 1


@pytest.fixture
def two_reporters(office):
    """Two office admins: they report for every group (planners review)."""
    users = [
        make_staff(office, roles=[Role.ADMIN], first_name=name).user
        for name in ("ผู้ดูแลหนึ่ง", "ผู้ดูแลสอง")
    ]
    for user in users:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return users


def test_progress_report_admin_refuses_stale_save(client, two_reporters, project):
    project.status = Project.Status.APPROVED
    project.save()
    reporting_round = ReportingRoundFactory(organization=project.plan.organization)
    report = ProgressReportFactory(project=project, round=reporting_round, problems="")
    url = reverse("admin:progress_progressreport_change", args=[report.pk])

    response = _race(
        client,
        two_reporters,
        url,
        "output_progress",
        "อบรมครูแล้ว 2 รุ่น",
        "problems",
        "งบประมาณล่าช้า",
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "ความก้าวหน้าต่อเป้าหมายเชิงผลผลิต (Output): “อบรมครูแล้ว 2 รุ่น”" in content
    report.refresh_from_db()
    assert report.output_progress == "อบรมครูแล้ว 2 รุ่น"
    assert report.problems == ""


def test_unchanged_form_saves_without_conflict(client, two_planners, project):
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = _open(client, two_planners[0], url)
    data["name"] = "ชื่อใหม่ไม่ชนใคร"
    assert client.post(url, data).status_code == 302
    assert Project.objects.get(pk=project.pk).name == "ชื่อใหม่ไม่ชนใคร"
    assert Activity.objects.count() == 0
    assert ProgressReport.objects.count() == 0
