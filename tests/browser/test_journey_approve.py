"""Journey B: another group's head cannot edit a submitted project; the
planner checks it, the director approves it and downloads the plan book PDF."""

import subprocess

import pytest
from django.urls import reverse

from core.thai import current_fiscal_year
from projects.models import Project
from tests.browser.journeys import (
    TIMEOUT,
    compact,
    current_direction,
    full_project,
    login,
    make_staff_user,
    success_text,
)
from tests.pdf_utils import normalise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "โครงการส่งเสริมการอ่านออกเขียนได้ของนักเรียนชั้นประถมศึกษาปีที่ 1"


def test_other_head_is_refused_then_planner_checks_and_director_approves(
    live_server,
    page,
    screenshot,
    tmp_path,
    office,
    group_a,
    group_b,
    planner,
    head_a,
    head_b,
    director,
):
    page.set_default_timeout(TIMEOUT)
    plan, strategy = current_direction(office, current_fiscal_year())
    project = full_project(
        plan,
        strategy,
        group_a,
        name=NAME,
        status=Project.Status.SUBMITTED,
        responsible=head_a,
    )
    make_staff_user(head_b)

    # 1. the head of group B sees group A's project read-only
    login(page, live_server, head_b)
    page.goto(f"{live_server.url}/admin/projects/project/{project.pk}/change/")
    assert page.locator("input[name=_save]").count() == 0
    assert page.locator("#id_name").count() == 0
    screenshot("b1-other-head-read-only-admin")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    assert page.get_by_test_id("status").inner_text() == "เสนอ"
    for label in ("แก้ไข", "เสนอโครงการ", "บันทึกว่าตรวจแล้ว"):
        assert page.get_by_role("button", name=label, exact=True).count() == 0
        assert page.get_by_role("link", name=label, exact=True).count() == 0
    response = page.request.post(
        f"{live_server.url}/admin/projects/project/{project.pk}/change/",
        form={"name": "แก้ชื่อโดยกลุ่มอื่น"},
    )
    assert response.status in (403, 302, 200)
    project.refresh_from_db()
    assert project.name == NAME
    screenshot("b2-other-head-no-actions")

    # 2. the planner checks it on the project page
    login(page, live_server, planner)
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.get_by_role("button", name="บันทึกว่าตรวจแล้ว").click()
    assert "บันทึกว่าตรวจแล้ว" in success_text(page)
    assert page.get_by_test_id("status").inner_text() == "ตรวจแล้ว"
    screenshot("b3-planner-checked")

    # 3. the director finds it on the home page and approves it
    login(page, live_server, director)
    waiting = page.get_by_test_id("awaiting-approval")
    assert NAME in waiting.inner_text()
    screenshot("b4-director-dashboard-awaiting")
    waiting.get_by_role("link", name=NAME).click()
    page.get_by_role("button", name="อนุมัติโครงการ").click()
    assert "อนุมัติโครงการแล้ว" in success_text(page)
    assert page.get_by_test_id("status").inner_text() == "อนุมัติ"
    project.refresh_from_db()
    assert project.status == Project.Status.APPROVED
    screenshot("b5-director-approved")

    # 4. and downloads the plan book PDF from the home page
    page.goto(f"{live_server.url}/")
    assert NAME not in page.get_by_test_id("awaiting-approval").inner_text()
    book_url = reverse("reports:plan_book_pdf", args=[plan.pk])
    link = page.locator(f"[data-testid=documents] a[href='{book_url}']")
    with page.expect_download(timeout=120_000) as download_info:
        link.click()
    path = tmp_path / "plan-book.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert compact(normalise(NAME)) in compact(normalise(text))
    screenshot("b6-director-downloaded-plan-book")
