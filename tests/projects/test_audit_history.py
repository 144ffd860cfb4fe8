"""ประวัติการแก้ไข: who changed what in a project and its parts, field by field,
in time order; reasons from the workflow; deleted parts stay in the history;
a fixed number of queries; only people who may view the project see it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.models import CostLine
from projects import services
from projects.models import Project
from reports.history import project_history
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    ProjectKPIFactory,
    QuarterPlanFactory,
)

pytestmark = pytest.mark.django_db


def _url(project):
    return reverse("reports:project_history", args=[project.pk])


def _as(user, instance, **changes):
    """Save ``changes`` to ``instance`` as ``user`` (what the middleware does)."""
    for name, value in changes.items():
        setattr(instance, name, value)
    instance._history_user = user
    instance.save()


def test_page_shows_who_changed_which_field_old_to_new(client, project, planner):
    _as(planner, project, name="โครงการพัฒนาครูรุ่นใหม่")
    activity = ActivityFactory(project=project, name="อบรมครู")
    line = CostLineFactory(activity=activity, description="ค่าอาหาร")
    _as(planner, line, description="ค่าอาหารกลางวัน", persons=20, amount=4000)

    client.force_login(planner)
    response = client.get(_url(project))

    content = response.content.decode()
    assert response.status_code == 200
    assert "ชื่อโครงการ</strong>: โครงการพัฒนาครูด้านการจัดการเรียนรู้เชิงรุก → " in (content)
    assert "โครงการพัฒนาครูรุ่นใหม่" in content
    assert "รายการ</strong>: ค่าอาหาร → ค่าอาหารกลางวัน" in content
    assert "จำนวนคน/หน่วย</strong>: 12.00 → 20.00" in content
    assert "จำนวนเงิน (บาท)</strong>: 2,400.00 → 4,000.00" in content
    assert "แผน" in content  # the planner's name (first name แผน)
    # Time order: the project rename comes before the cost line change.
    assert content.index("โครงการพัฒนาครูรุ่นใหม่") < content.index("ค่าอาหารกลางวัน")


def test_history_survives_deleting_an_activity(client, project, planner):
    activity = ActivityFactory(project=project, name="กิจกรรมที่จะถูกลบ")
    CostLineFactory(activity=activity, description="ค่าวัสดุที่จะถูกลบ")
    activity.delete()
    assert not CostLine.objects.exists()

    client.force_login(planner)
    content = client.get(_url(project)).content.decode()

    assert "กิจกรรม: กิจกรรมที่จะถูกลบ" in content
    assert "รายการค่าใช้จ่าย: ค่าวัสดุที่จะถูกลบ" in content
    assert content.count(">ลบ<") == 2  # the activity and its cost line


def test_workflow_reasons_are_recorded(project, strategy, planner, director):
    from tests.projects.conftest import complete

    complete(project, strategy)
    project.status = Project.Status.SUBMITTED
    project.save()
    services.project_return(project=project, user=planner, comment="เพิ่มตัวชี้วัด")

    entries = project_history(project)

    reasons = [entry.reason for entry in entries if entry.reason]
    assert "ส่งกลับแก้ไข: เพิ่มตัวชี้วัด" in reasons
    returned = next(e for e in entries if e.reason == "ส่งกลับแก้ไข: เพิ่มตัวชี้วัด")
    assert [(c.label, c.old, c.new) for c in returned.changes] == [
        ("สถานะ", "เสนอ", "ส่งกลับแก้ไข")
    ]


def test_alignment_changes_show_names(project, strategy):
    project.strategies.add(strategy)

    entries = project_history(project)

    change = entries[-1].changes[0]
    assert change.label == "กลยุทธ์ของสำนักงาน"
    assert (change.old, change.new) == ("–", str(strategy))


def _fill(project, n):
    for i in range(n):
        activity = ActivityFactory(project=project, name=f"กิจกรรม {i}")
        line = CostLineFactory(activity=activity)
        line.amount = Decimal("2400.00")
        line.note = f"แก้ไข {i}"
        line.save()
        QuarterPlanFactory(activity=activity, quarter=1, amount=100)
        ProjectKPIFactory(project=project, name=f"ตัวชี้วัด {i}")


def test_page_runs_a_fixed_number_of_queries(
    client, project, strategy, planner, django_assert_num_queries
):
    project.strategies.add(strategy)
    _fill(project, 1)
    client.force_login(planner)
    client.get(_url(project))
    # session, user, project, person, roles; 15 history tables, 4 alignment
    # link tables; names of strategies, categories and users.
    with django_assert_num_queries(27):
        client.get(_url(project))
    _fill(project, 5)
    with django_assert_num_queries(27):
        response = client.get(_url(project))
    assert "หมายเหตุ</strong>: – → แก้ไข 4" in response.content.decode()


def test_only_people_of_the_office_see_it(client, project, viewer, outsider):
    assert client.get(_url(project)).status_code == 302
    client.force_login(outsider)
    assert client.get(_url(project)).status_code == 404
    client.force_login(viewer)
    assert client.get(_url(project)).status_code == 200


def test_sheet_links_to_the_history(client, project, viewer):
    client.force_login(viewer)
    content = client.get(reverse("projects:detail", args=[project.pk])).content
    assert _url(project).encode() in content
