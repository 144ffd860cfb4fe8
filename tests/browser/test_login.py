import datetime

import pytest

from core.thai import fiscal_year_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_planner_logs_in_and_lands_on_home(
    live_server, page, screenshot, planner, head_a
):
    # given the login page
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "เข้าสู่ระบบ"

    # when the planner signs in
    page.fill("#id_username", planner.username)
    page.fill("#id_password", "secret-pass")
    page.click("button[type=submit]")

    # then the home page shows the office and the current fiscal year
    page.wait_for_url(f"{live_server.url}/")
    fiscal_year = fiscal_year_of(datetime.date.today())
    assert f"พ.ศ. {fiscal_year}" in page.get_by_test_id("fiscal-year").inner_text()
    assert "กลุ่มส่งเสริมการจัดการศึกษา" in page.content()
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Sarabun" in font
    assert page.evaluate("document.fonts.check('16px Sarabun')")
    path = screenshot("home-after-login")
    assert path.stat().st_size > 10_000


def test_wrong_password_shows_thai_error(live_server, page, planner):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", planner.username)
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    assert page.get_by_role("alert").is_visible()
    assert page.input_value("#id_username") == planner.username
