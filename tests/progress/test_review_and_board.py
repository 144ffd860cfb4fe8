import datetime

import pytest
from django.core import mail
from django.urls import reverse

from core.models import Person
from progress import services
from progress.models import ProgressReport, ReportingRound
from tests.factories import ProgressReportFactory
from tests.progress.conftest import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(project_a, round1, head_a):
    report = ProgressReportFactory(project=project_a, round=round1, problems="ฝนตกหนัก")
    return services.report_submit(report=report, user=head_a)


# ------------------------------------------------------------------ review


def test_planner_sees_submitted_reports_to_review(client, planner, round1, submitted):
    client.force_login(planner)

    response = client.get(reverse("progress:review", args=[round1.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert f'data-testid="review-{submitted.pk}"' in content
    assert "ฝนตกหนัก" in content


@pytest.mark.parametrize("who", ["head_a", "director", "viewer"])
def test_non_planners_cannot_open_review(client, request, round1, submitted, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("progress:review", args=[round1.pk])).status_code == 403


def test_outsider_gets_404_on_review_and_actions(client, outsider, round1, submitted):
    client.force_login(outsider)
    assert client.get(reverse("progress:review", args=[round1.pk])).status_code == 404
    response = client.post(reverse("progress:report_accept", args=[submitted.pk]))
    assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_planner_accepts_and_history_shows_it(client, planner, round1, submitted):
    client.force_login(planner)

    response = client.post(reverse("progress:report_accept", args=[submitted.pk]))

    assert response.url == reverse("progress:review", args=[round1.pk])
    submitted.refresh_from_db()
    assert submitted.state == "accepted"
    detail = client.get(reverse("progress:report_detail", args=[submitted.pk]))
    history = detail.content.decode().split('data-testid="history"')[1]
    assert history.index("ส่งรายงาน") < history.index("ตรวจรับ")


def test_return_without_comment_is_refused_with_thai_message(
    client, planner, round1, submitted
):
    client.force_login(planner)

    response = client.post(
        reverse("progress:report_return", args=[submitted.pk]),
        {"comment": ""},
        follow=True,
    )

    assert services.ERROR_COMMENT_REQUIRED in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_return_with_comment_shows_on_history(client, planner, submitted):
    client.force_login(planner)

    client.post(
        reverse("progress:report_return", args=[submitted.pk]),
        {"comment": "ขอให้ระบุจำนวนผู้เข้าร่วม"},
    )

    submitted.refresh_from_db()
    assert submitted.state == "returned"
    content = client.get(
        reverse("progress:report_detail", args=[submitted.pk])
    ).content.decode()
    assert "ขอให้ระบุจำนวนผู้เข้าร่วม" in content


def test_head_cannot_accept_own_report(client, head_a, submitted):
    client.force_login(head_a)
    assert (
        client.post(reverse("progress:report_accept", args=[submitted.pk])).status_code
        == 403
    )
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_report_detail_visible_to_board_readers_not_other_groups(
    client, submitted, director, head_b
):
    client.force_login(director)
    assert (
        client.get(reverse("progress:report_detail", args=[submitted.pk])).status_code
        == 200
    )
    client.force_login(head_b)
    assert (
        client.get(reverse("progress:report_detail", args=[submitted.pk])).status_code
        == 403
    )


# ------------------------------------------------------------------ board


def test_board_shows_states_counts_and_percentages(
    client, planner, plan, group_a, group_b, round1, project_a, project_b, submitted
):
    client.force_login(planner)

    response = client.get(reverse("progress:board"))

    content = response.content.decode()
    assert response.status_code == 200
    assert f'data-testid="row-{project_a.pk}"' in content
    # 2 projects: 1 submitted, 1 missing → 50.00 % reported
    assert 'data-testid="done-percent">ร้อยละ 50.00' in content
    assert "ยังไม่รายงาน" in content
    assert "ส่งแล้ว รอตรวจ" in content
    assert "เกินกำหนด</strong>" not in content


def test_board_highlights_overdue_reports(
    client, director, round1, project_a, project_b, submitted
):
    ReportingRound.objects.filter(pk=round1.pk).update(
        period_end=datetime.date(2020, 12, 31), due_date=datetime.date(2021, 1, 15)
    )
    client.force_login(director)

    content = client.get(reverse("progress:board")).content.decode()

    row_b = content.split(f'data-testid="row-{project_b.pk}"')[0].rsplit("<tr", 1)[1]
    row_a = content.split(f'data-testid="row-{project_a.pk}"')[0].rsplit("<tr", 1)[1]
    assert 'class="overdue"' in row_b
    assert 'class="overdue"' not in row_a
    assert 'data-testid="overdue-count">1<' in content


@pytest.mark.parametrize("who", ["head_a", "officer"])
def test_board_is_for_planners_directors_and_committee(client, request, round1, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("progress:board")).status_code == 403


def test_board_query_count_does_not_grow_with_projects(
    client, planner, plan, group_a, group_b, round1, django_assert_num_queries
):
    client.force_login(planner)
    make_project(plan, group_a)
    client.get(reverse("progress:board"))
    # session, user, person, roles, rounds, board projects
    with django_assert_num_queries(6):
        client.get(reverse("progress:board"))
    for index in range(8):
        project = make_project(plan, group_a if index % 2 else group_b)
        if index % 3:
            ProgressReportFactory(project=project, round=round1)
    with django_assert_num_queries(6):
        response = client.get(reverse("progress:board"))
    assert response.content.decode().count('data-testid="row-') == 9


def test_remind_button_sends_mail_to_pending_groups(
    client, planner, head_a, round1, project_a
):
    Person.objects.filter(user=head_a).update(email="head.a@example.go.th")
    client.force_login(planner)

    response = client.post(reverse("progress:remind", args=[round1.pk]), follow=True)

    assert [m.to for m in mail.outbox] == [["head.a@example.go.th"]]
    assert "ส่งอีเมลแจ้งเตือนแล้ว 1 กลุ่ม" in response.content.decode()


def test_director_cannot_send_reminders(client, director, round1, project_a, head_a):
    Person.objects.filter(user=head_a).update(email="head.a@example.go.th")
    client.force_login(director)
    assert client.post(reverse("progress:remind", args=[round1.pk])).status_code == 403
    assert mail.outbox == []


def test_nav_links_to_progress(client, planner):
    client.force_login(planner)
    content = client.get(reverse("home:home")).content.decode()
    assert f'href="{reverse("progress:index")}">ติดตามความก้าวหน้า' in content


def test_locked_round_report_cannot_be_reviewed_on_screen(
    client, planner, round1, submitted
):
    services.round_lock(reporting_round=round1, user=planner)
    client.force_login(planner)

    client.post(reverse("progress:report_accept", args=[submitted.pk]))

    assert ProgressReport.objects.get(pk=submitted.pk).state == "submitted"
