from decimal import Decimal

import pytest
from django.urls import reverse

from progress import services
from progress.forms import ERROR_PERCENT_REQUIRED
from progress.models import ProgressReport
from tests.factories import DisbursementFactory, ProgressReportFactory
from tests.html_forms import form_data
from tests.progress.conftest import make_project

pytestmark = pytest.mark.django_db


def _url(reporting_round, group):
    return reverse("progress:group_round", args=[reporting_round.pk, group.pk])


def _data(project, **fields):
    """A full POST for one project as the screen would send it."""
    prefix = f"p{project.pk}"
    data = {
        f"{prefix}-status": "in_progress",
        f"{prefix}-percent_complete": "50",
        f"{prefix}-output_progress": "ประชุมชี้แจงโรงเรียนแล้ว 124 โรงเรียน",
        f"{prefix}-outcome_progress": "",
        f"{prefix}-problems": "",
        f"{prefix}-suggestions": "",
    }
    for name, items, key in [
        ("act", list(project.activities.all()), "activity"),
        ("kpi", list(project.kpis.all()), "kpi"),
    ]:
        data[f"{prefix}-{name}-TOTAL_FORMS"] = str(len(items))
        data[f"{prefix}-{name}-INITIAL_FORMS"] = str(len(items))
        for index, item in enumerate(items):
            data[f"{prefix}-{name}-{index}-{key}"] = str(item.pk)
            if name == "act":
                data[f"{prefix}-act-{index}-state"] = "in_progress"
                data[f"{prefix}-act-{index}-note"] = ""
                data[f"{prefix}-act-{index}-on_date"] = ""
            else:
                data[f"{prefix}-kpi-{index}-actual"] = ""
    data.update({f"{prefix}-{key}": value for key, value in fields.items()})
    return data


def test_anonymous_is_sent_to_login(client, round1, group_a):
    response = client.get(_url(round1, group_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_other_office_gets_404_and_other_group_head_403(
    client, round1, group_a, project_a, outsider, head_b
):
    client.force_login(outsider)
    assert client.get(_url(round1, group_a)).status_code == 404
    client.force_login(head_b)
    assert client.get(_url(round1, group_a)).status_code == 403
    assert client.post(_url(round1, group_a), _data(project_a)).status_code == 403
    assert not ProgressReport.objects.exists()


def test_head_sees_all_group_projects_with_money_in_fixed_queries(
    client, round1, group_a, plan, project_a, head_a, django_assert_num_queries
):
    DisbursementFactory(
        activity=project_a.activities.first(),
        paid_on=round1.period_end,
        amount=Decimal("12345.50"),
    )
    client.force_login(head_a)
    client.get(_url(round1, group_a))  # warm the session
    # session, user, round, group, person, roles, headed groups, projects,
    # activities, KPIs, responsibles, reports (round 1 has no previous round)
    with django_assert_num_queries(12):
        client.get(_url(round1, group_a))
    for _ in range(3):
        make_project(plan, group_a)
    with django_assert_num_queries(12):
        response = client.get(_url(round1, group_a))

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('data-testid="project-') == 4
    assert "โครงการพัฒนาการอ่านออกเขียนได้" in content
    assert "12,345.50" in content
    assert f'name="p{project_a.pk}-act-TOTAL_FORMS"' in content


def test_officer_sees_only_projects_they_are_named_on(
    client, round1, group_a, plan, project_a, officer
):
    make_project(plan, group_a, name="โครงการที่ไม่ได้รับผิดชอบ")
    client.force_login(officer)

    content = client.get(_url(round1, group_a)).content.decode()

    assert "โครงการพัฒนาการอ่านออกเขียนได้" in content
    assert "โครงการที่ไม่ได้รับผิดชอบ" not in content


def test_save_draft_with_invalid_fields_keeps_typed_input(
    client, round1, group_a, project_a, head_a
):
    client.force_login(head_a)
    count_kpi_index = 1  # KPIs in order: percent, count, text
    data = _data(
        project_a,
        percent_complete="150",
        output_progress="อบรมครูภาษาไทยแล้ว 2 รุ่น",
        problems="โรงเรียนขนาดเล็กส่งครูได้น้อย",
        **{
            f"kpi-{count_kpi_index}-actual": "ประมาณสามร้อยคน",
            "act-0-on_date": "31/02/2569",
        },
    )
    data["save"] = "1"

    response = client.post(_url(round1, group_a), data)

    content = response.content.decode()
    assert response.status_code == 200
    assert "ร้อยละความก้าวหน้าต้องอยู่ระหว่าง 0 ถึง 100" in content
    assert "ตัวชี้วัดนี้ต้องกรอกผลเป็นตัวเลข" in content
    assert "วันที่ไม่ถูกต้อง" in content
    assert 'value="150"' in content
    assert 'value="ประมาณสามร้อยคน"' in content
    assert 'value="31/02/2569"' in content
    assert "อบรมครูภาษาไทยแล้ว 2 รุ่น" in content
    # Issue 18: a failed save writes nothing (no half draft, no version
    # moved); what was typed stays on the screen, and no "saved" message
    # contradicts the error summary.
    assert not ProgressReport.objects.exists()
    assert 'data-testid="error-summary"' in content
    assert "บันทึกร่างแล้ว" not in content


def test_save_draft_then_submit_one_project(client, round1, group_a, project_a, head_a):
    client.force_login(head_a)
    data = _data(
        project_a,
        percent_complete="๔๕",
        **{"kpi-0-actual": "85", "kpi-2-actual": "ระดับดีมาก"},
    )
    data["save"] = "1"

    response = client.post(_url(round1, group_a), data)
    assert response.status_code == 302
    report = ProgressReport.objects.get(project=project_a, round=round1)
    assert (report.state, report.percent_complete) == ("draft", Decimal("45.00"))
    assert [a.achieved for a in report.kpi_actuals.order_by("kpi__order")] == [
        True,
        None,
        None,
    ]

    data.pop("save")
    data["submit"] = str(project_a.pk)
    response = client.post(_url(round1, group_a), data, follow=True)

    report.refresh_from_db()
    assert report.state == "submitted"
    assert report.submitted_by == head_a
    content = response.content.decode()
    assert "ส่งรายงาน “โครงการพัฒนาการอ่านออกเขียนได้” แล้ว" in content
    assert f'name="p{project_a.pk}-status"' not in content  # read-only now


def test_submit_without_output_shows_the_error_under_the_field_and_saves_nothing(
    client, round1, group_a, project_a, head_a
):
    client.force_login(head_a)
    data = _data(project_a, output_progress="")
    data["submit"] = str(project_a.pk)

    response = client.post(_url(round1, group_a), data)

    assert response.status_code == 200
    content = response.content.decode()
    field = f"id_p{project_a.pk}-output_progress"
    assert (
        f'<div class="field-error" id="{field}-error" role="alert">'
        f"{services.ERROR_SUBMIT_NEEDS_OUTPUT}</div>"
    ) in content
    assert f'href="#{field}"' in content
    assert not ProgressReport.objects.exists()


def test_untouched_projects_are_not_turned_into_drafts(
    client, round1, group_a, plan, project_a, head_a
):
    other = make_project(plan, group_a)
    client.force_login(head_a)
    data = {
        **_data(project_a),
        # As the screen sends a first report: not started, no percent typed.
        **_data(other, status="not_started", percent_complete="", output_progress=""),
    }
    data["save"] = "1"

    client.post(_url(round1, group_a), data)

    assert list(ProgressReport.objects.values_list("project", flat=True)) == [
        project_a.pk
    ]


def test_returned_reports_come_first_with_the_planner_comment(
    client, round1, group_a, plan, project_a, head_a, planner
):
    first = make_project(plan, group_a, name="โครงการแรกในแผน", sequence=0)
    report = ProgressReportFactory(project=project_a, round=round1)
    services.report_submit(report=report, user=head_a)
    services.report_return(report=report, user=planner, comment="กรุณาแนบภาพกิจกรรม")
    client.force_login(head_a)

    content = client.get(_url(round1, group_a)).content.decode()

    assert content.index(f'data-testid="project-{project_a.pk}"') < content.index(
        f'data-testid="project-{first.pk}"'
    )
    assert "กรุณาแนบภาพกิจกรรม" in content


def test_second_round_screen_is_prefilled_from_the_first(
    client, round1, round2, group_a, project_a, head_a
):
    ProgressReportFactory(
        project=project_a,
        round=round1,
        output_progress="ทำไปแล้วครึ่งหนึ่ง",
        percent_complete=50,
    )
    client.force_login(head_a)

    content = client.get(_url(round2, group_a)).content.decode()

    assert 'data-testid="prefilled"' in content
    assert "ทำไปแล้วครึ่งหนึ่ง" in content
    assert 'value="50.00"' in content
    assert not ProgressReport.objects.filter(round=round2).exists()


def test_locked_round_shows_no_forms_and_ignores_posts(
    client, round1, group_a, project_a, head_a, planner
):
    services.round_lock(reporting_round=round1, user=planner)
    client.force_login(head_a)

    response = client.post(_url(round1, group_a), {**_data(project_a), "save": "1"})

    content = response.content.decode()
    assert 'data-testid="round-locked"' in content
    assert f'name="p{project_a.pk}-status"' not in content
    assert not ProgressReport.objects.exists()


def test_index_sends_head_to_group_screen_and_planner_to_board(
    client, round1, group_a, head_a, planner, viewer
):
    client.force_login(head_a)
    assert client.get(reverse("progress:index")).url == _url(round1, group_a)
    client.force_login(planner)
    assert client.get(reverse("progress:index")).url == reverse("progress:board")


def test_index_without_rounds_lets_planner_create_them(client, office, planner):
    client.force_login(planner)
    response = client.get(reverse("progress:index"))
    assert 'data-testid="no-round"' in response.content.decode()

    response = client.post(reverse("progress:round_create"))

    assert response.url == reverse("progress:board")
    assert office.reporting_rounds.count() == 4


def test_head_cannot_create_rounds(client, office, head_a):
    client.force_login(head_a)
    assert client.post(reverse("progress:round_create")).status_code == 403
    assert office.reporting_rounds.count() == 0


def test_index_sends_officer_to_own_group_and_others_nowhere(
    client, office, round1, group_a, officer
):
    from core.roles import Role
    from tests.factories import make_staff

    client.force_login(officer)
    assert client.get(reverse("progress:index")).url == _url(round1, group_a)
    finance = make_staff(office, roles=[Role.FINANCE], group=group_a).user
    client.force_login(finance)
    response = client.get(reverse("progress:index"))
    assert response.status_code == 200
    assert "ไม่มีหน้าที่รายงาน" in response.content.decode()


def test_unchanged_and_absent_projects_are_left_alone(
    client, round1, group_a, plan, project_a, head_a
):
    report = ProgressReportFactory(
        project=project_a, round=round1, output_progress="ข้อความเดิม"
    )
    absent = make_project(plan, group_a)
    ProgressReportFactory(project=absent, round=round1, problems="ห้ามหาย")
    client.force_login(head_a)
    data = _data(
        project_a,
        output_progress="ข้อความเดิม",
        percent_complete="40.00",
        **{"act-0-state": "not_started", "act-1-state": "not_started"},
    )
    data["save"] = "1"

    response = client.post(_url(round1, group_a), data)

    assert response.status_code == 302
    assert not report.events.exists()
    assert ProgressReport.objects.get(project=absent).problems == "ห้ามหาย"


def test_a_not_started_project_is_reported_with_its_status_alone(
    client, round1, group_a, plan, head_a
):
    """A project not started yet, with no objective, indicator, activity or
    responsible person, is submitted as "ยังไม่ดำเนินการ" from the screen as
    it opens: no percent, output or KPI result is asked for (none exists)."""
    bare = make_project(plan, group_a, name="โครงการที่ยังไม่เริ่ม")
    assert not (bare.objectives.exists() or bare.kpis.exists())
    assert not bare.responsibles.exists()
    client.force_login(head_a)
    data = form_data(client.get(_url(round1, group_a)).content)
    assert data[f"p{bare.pk}-status"] == "not_started"
    assert data[f"p{bare.pk}-percent_complete"] == ""
    data["submit"] = str(bare.pk)

    response = client.post(_url(round1, group_a), data, follow=True)

    assert "ส่งรายงาน “โครงการที่ยังไม่เริ่ม” แล้ว" in response.content.decode()
    report = ProgressReport.objects.get(project=bare, round=round1)
    assert (report.state, report.status) == ("submitted", "not_started")
    assert (report.percent_complete, report.output_progress) == (0, "")
    assert not report.kpi_actuals.exists()


def test_a_started_project_still_needs_its_percent(
    client, round1, group_a, project_a, head_a
):
    client.force_login(head_a)
    data = _data(project_a, percent_complete="")
    data["submit"] = str(project_a.pk)

    response = client.post(_url(round1, group_a), data)

    assert response.status_code == 200
    assert ERROR_PERCENT_REQUIRED in response.content.decode()
    assert not ProgressReport.objects.filter(state="submitted").exists()


def test_the_group_records_a_verdict_for_a_text_kpi(
    client, round1, group_a, project_a, head_a
):
    """Issue 17 item 3: a text result ("ระดับดีมาก") cannot be compared with
    its target, so the group records the verdict next to it; the numbers of
    a percent KPI judge themselves whatever verdict is posted."""
    client.force_login(head_a)
    opened = client.get(_url(round1, group_a)).content.decode()
    assert "นับว่าบรรลุเมื่อเลือก “บรรลุ” เท่านั้น" in opened
    data = _data(
        project_a,
        **{
            "kpi-0-actual": "70",
            "kpi-0-verdict": "met",
            "kpi-2-actual": "ระดับดีมาก",
            "kpi-2-verdict": "met",
        },
    )
    data["save"] = "1"

    response = client.post(_url(round1, group_a), data)

    assert response.status_code == 302
    report = ProgressReport.objects.get(project=project_a, round=round1)
    actuals = list(report.kpi_actuals.order_by("kpi__order"))
    assert [a.achieved for a in actuals] == [False, None, True]
    assert actuals[2].achieved_verdict is True
    reopened = client.get(_url(round1, group_a)).content.decode()
    assert '<option value="met" selected>บรรลุ</option>' in reopened
