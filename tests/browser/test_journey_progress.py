"""Journey C: a group head reports Q1 for the group's projects with a photo;
the planner returns one with a comment; the head fixes and resubmits; the
compliance board follows every step."""

import pytest

from core.thai import current_fiscal_year
from progress.models import Evidence, ProgressReport
from tests.browser.journeys import (
    TIMEOUT,
    approved_project,
    current_direction,
    login,
    small_png,
    success_text,
)
from tests.factories import ReportingRoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READING = "โครงการส่งเสริมการอ่านออกเขียนได้"
SCIENCE = "โครงการพัฒนาห้องเรียนวิทยาศาสตร์"


def _board(page, live_server, reporting_round, *projects) -> list[str]:
    """The board's done percentage, then each project's report state."""
    page.goto(f"{live_server.url}/progress/board/?round={reporting_round.pk}")
    states = [
        page.get_by_test_id(f"row-{project.pk}").locator("td").nth(1).inner_text()
        for project in projects
    ]
    return [page.get_by_test_id("done-percent").inner_text(), *states]


def _fill_report(page, project, *, output: str, percent: str) -> None:
    prefix = f"#id_p{project.pk}"
    page.select_option(f"{prefix}-status", "in_progress")
    page.fill(f"{prefix}-percent_complete", percent)
    page.fill(f"{prefix}-output_progress", output)
    page.fill(f"{prefix}-problems", "ครูติดภารกิจการสอบปลายภาค")


def test_group_head_reports_planner_returns_head_resubmits(
    live_server, page, screenshot, office, group_a, planner, head_a
):
    page.set_default_timeout(TIMEOUT)
    year = current_fiscal_year()
    plan, strategy = current_direction(office, year)
    reading = approved_project(
        plan, strategy, group_a, name=READING, responsible=head_a
    )
    science = approved_project(
        plan, strategy, group_a, name=SCIENCE, responsible=head_a
    )
    reporting_round = ReportingRoundFactory(
        organization=office, fiscal_year=year, number=1
    )

    # 0. the board before anyone reports
    login(page, live_server, planner)
    assert _board(page, live_server, reporting_round, reading, science) == [
        "ร้อยละ 0.00",
        "ยังไม่รายงาน",
        "ยังไม่รายงาน",
    ]
    screenshot("c0-board-before")

    # 1. the head opens the group screen from the home page and fills both
    login(page, live_server, head_a)
    assert page.get_by_test_id("reports-due").inner_text().startswith("2")
    page.get_by_role(
        "link", name=f"รายงานความก้าวหน้า {reporting_round.label}"
    ).first.click()
    page.wait_for_url(f"**/progress/round/{reporting_round.pk}/group/{group_a.pk}/")
    _fill_report(page, reading, output="อบรมครู 40 คน", percent="๓๕")
    _fill_report(page, science, output="จัดซื้ออุปกรณ์แล้ว", percent="30")
    screenshot("c1-group-screen-filled")
    page.get_by_role("button", name="บันทึกร่างทั้งหมด").first.click()
    assert "บันทึกร่างแล้ว 2 โครงการ" in success_text(page)

    # 2. a photo as evidence for the reading project
    report = ProgressReport.objects.get(project=reading, round=reporting_round)
    page.goto(f"{live_server.url}/progress/report/{report.pk}/")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "อบรมครู.png", "mimeType": "image/png", "buffer": small_png()}],
    )
    caption = page.locator("form[enctype] input[type=text], form[enctype] textarea")
    if caption.count():
        caption.first.fill("บรรยากาศการอบรมครู")
    page.get_by_role("button", name="แนบหลักฐาน").click()
    assert "แนบหลักฐานแล้ว" in success_text(page)
    assert Evidence.objects.filter(report=report, kind="photo").count() == 1
    screenshot("c2-photo-attached")

    # 3. submit both from the group screen
    group_url = (
        f"{live_server.url}/progress/round/{reporting_round.pk}/group/{group_a.pk}/"
    )
    for project in (reading, science):
        page.goto(group_url)
        page.get_by_test_id(f"submit-{project.pk}").click()
        assert f"ส่งรายงาน “{project.name}” แล้ว" in success_text(page)
    assert set(
        ProgressReport.objects.filter(round=reporting_round).values_list(
            "state", flat=True
        )
    ) == {"submitted"}
    screenshot("c3-both-submitted")

    # 4. the planner returns the science report with a comment
    login(page, live_server, planner)
    assert _board(page, live_server, reporting_round, reading, science) == [
        "ร้อยละ 100.00",
        "ส่งแล้ว รอตรวจ",
        "ส่งแล้ว รอตรวจ",
    ]
    page.goto(f"{live_server.url}/progress/round/{reporting_round.pk}/review/")
    science_report = ProgressReport.objects.get(project=science, round=reporting_round)
    page.fill(f"#return-{science_report.pk}", "กรุณาระบุจำนวนห้องเรียนที่ได้รับอุปกรณ์")
    page.get_by_test_id(f"return-{science_report.pk}").click()
    assert "กลับให้กลุ่มแก้ไขแล้ว" in success_text(page)
    screenshot("c4-planner-returned")
    assert _board(page, live_server, reporting_round, reading, science) == [
        "ร้อยละ 50.00",
        "ส่งแล้ว รอตรวจ",
        "ส่งกลับแก้ไข",
    ]
    screenshot("c5-board-after-return")

    # 5. the head sees it first, with the comment, fixes and resubmits
    login(page, live_server, head_a)
    work = page.get_by_test_id("work-table")
    first_row = work.locator("tbody tr").first
    assert SCIENCE in first_row.inner_text()
    assert "กรุณาระบุจำนวนห้องเรียนที่ได้รับอุปกรณ์" in first_row.inner_text()
    screenshot("c6-head-home-returned-first")
    first_row.get_by_test_id("next-action").click()
    page.wait_for_url(f"**/progress/round/{reporting_round.pk}/group/{group_a.pk}/")
    assert (
        "กรุณาระบุจำนวนห้องเรียนที่ได้รับอุปกรณ์"
        in page.get_by_test_id("return-comment").inner_text()
    )
    page.fill(
        f"#id_p{science.pk}-output_progress",
        "จัดซื้ออุปกรณ์แล้ว ส่งมอบให้ห้องเรียน 12 ห้อง",
    )
    page.get_by_test_id(f"submit-{science.pk}").click()
    assert f"ส่งรายงาน “{SCIENCE}” แล้ว" in success_text(page)
    science_report.refresh_from_db()
    assert science_report.state == "submitted"
    assert "12 ห้อง" in science_report.output_progress
    screenshot("c7-head-resubmitted")

    # 6. the board shows the change: both submitted, none returned
    login(page, live_server, planner)
    assert _board(page, live_server, reporting_round, reading, science) == [
        "ร้อยละ 100.00",
        "ส่งแล้ว รอตรวจ",
        "ส่งแล้ว รอตรวจ",
    ]
    screenshot("c8-board-after-resubmit")
    home = page.goto(f"{live_server.url}/")
    assert home.ok
    compliance = page.get_by_test_id("compliance-table")
    assert compliance.locator("td[data-state=submitted]").inner_text() == "2"
    assert compliance.locator("td[data-state=returned]").inner_text() == "0"
    assert page.get_by_test_id("compliance-done").inner_text() == "ร้อยละ 100.00"
