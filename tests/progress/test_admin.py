import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from progress import services
from progress.models import RoundReopening
from tests.factories import ProgressReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_planner(planner):
    planner.is_staff = True
    planner.save()
    return planner


@pytest.fixture
def report(project_a, round1):
    return ProgressReportFactory(project=project_a, round=round1)


@pytest.mark.parametrize("model", ["reportinground", "progressreport"])
def test_admin_changelist_add_and_search(admin_client, model, report):
    base = f"admin:progress_{model}"
    assert admin_client.get(reverse(f"{base}_changelist")).status_code == 200
    assert (
        admin_client.get(reverse(f"{base}_changelist"), {"q": "โครงการ"}).status_code
        == 200
    )
    assert admin_client.get(reverse(f"{base}_add")).status_code == 200


def test_report_change_page_shows_inlines_and_disbursed(admin_client, report):
    response = admin_client.get(
        reverse("admin:progress_progressreport_change", args=[report.pk])
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "ความก้าวหน้ารายกิจกรรม" in content
    assert "ผลตามตัวชี้วัด" in content
    assert "หลักฐานประกอบรายงาน" in content
    assert "0.00" in content


def test_planner_sees_only_own_office(client, staff_planner, report, other_office):
    other_round = services.round_create_for_year(
        organization=other_office, fiscal_year=2570
    )[0]
    client.force_login(staff_planner)

    response = client.get(reverse("admin:progress_reportinground_changelist"))

    assert response.status_code == 200
    assert (
        list(response.context["cl"].queryset.values_list("organization", flat=True))
        == [report.round.organization_id] * 4
    )
    assert (
        client.get(
            reverse("admin:progress_reportinground_change", args=[other_round.pk])
        ).status_code
        == 302
    )


def _action(client, rounds, **extra):
    return client.post(
        reverse("admin:progress_reportinground_changelist"),
        {
            "action": "reopen_rounds",
            helpers.ACTION_CHECKBOX_NAME: [r.pk for r in rounds],
            **extra,
        },
    )


def test_reopen_action_asks_for_a_reason_then_records_it(client, staff_planner, round1):
    services.round_lock(reporting_round=round1, user=staff_planner)
    client.force_login(staff_planner)

    asked = _action(client, [round1])
    assert asked.status_code == 200
    assert "เหตุผลการเปิดรอบ" in asked.content.decode()

    empty = _action(client, [round1], apply="1", reason=" ")
    assert services.ERROR_REASON_REQUIRED in empty.content.decode()
    round1.refresh_from_db()
    assert round1.is_locked

    _action(client, [round1], apply="1", reason="แก้ไขข้อมูลการเบิกจ่าย")

    round1.refresh_from_db()
    assert not round1.is_locked
    assert RoundReopening.objects.get().reason == "แก้ไขข้อมูลการเบิกจ่าย"


def test_lock_action(client, staff_planner, round1):
    client.force_login(staff_planner)
    client.post(
        reverse("admin:progress_reportinground_changelist"),
        {"action": "lock_rounds", helpers.ACTION_CHECKBOX_NAME: [round1.pk]},
    )
    round1.refresh_from_db()
    assert round1.is_locked and round1.locked_by == staff_planner
