"""Issue 18 item 5, measured: a group head reports on three projects with two
evidence files each (a Word file and a photo), makes one mistake, fixes it
from the error summary and submits everything, in at most 25 interactions
and with no edit conflict against their own attempt. And at 390 px the form
has no horizontal scroll and every select shows its whole option text."""

import pytest

from core.locking import ERROR_EDIT_CONFLICT
from core.thai import current_fiscal_year
from progress.models import Evidence, ProgressReport
from tests.browser.conftest import SCREENSHOTS
from tests.browser.journeys import (
    PASSWORD,
    TIMEOUT,
    CountedUser,
    approved_project,
    current_direction,
    small_docx,
    small_png,
)
from tests.factories import ReportingRoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = [
    "โครงการส่งเสริมการอ่านออกเขียนได้",
    "โครงการพัฒนาห้องเรียนวิทยาศาสตร์",
    "โครงการนิเทศภายในสถานศึกษา",
]
CONFLICT_START = ERROR_EDIT_CONFLICT.split("{")[0]

#: Horizontal overflow of the page, and selects narrower than their longest
#: option's text (measured with the select's own font) plus the arrow.
OVERFLOW_JS = "() => document.documentElement.scrollWidth - window.innerWidth"
CLIPPED_SELECTS_JS = """
() => {
  const canvas = document.createElement('canvas').getContext('2d');
  return Array.from(document.querySelectorAll('form select')).filter((el) => {
    if (el.offsetParent === null) return false;
    const style = getComputedStyle(el);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const widths = Array.from(el.options).map((o) => canvas.measureText(o.text).width);
    const text = Math.max(...widths);
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    return el.getBoundingClientRect().width < text + padding + 16;
  }).map((el) => el.name);
}
"""


@pytest.fixture
def three_projects(office, group_a, head_a):
    year = current_fiscal_year()
    plan, strategy = current_direction(office, year)
    projects = [
        approved_project(plan, strategy, group_a, name=name, responsible=head_a)
        for name in NAMES
    ]
    reporting_round = ReportingRoundFactory(
        organization=office, fiscal_year=year, number=1
    )
    return reporting_round, projects


def _evidence(project) -> list[dict]:
    return [
        {
            "name": f"รายงานผล {project.pk}.docx",
            "mimeType": "application/vnd.openxmlformats-officedocument"
            ".wordprocessingml.document",
            "buffer": small_docx(),
        },
        {
            "name": f"ภาพกิจกรรม {project.pk}.png",
            "mimeType": "image/png",
            "buffer": small_png(),
        },
    ]


def _attach(user, project) -> None:
    """Open the card's file chooser (an interaction) and pick both files."""
    picker = f"#id_p{project.pk}-evidence"
    with user.page.expect_file_chooser():
        user.click(picker)
    user.attach_content(picker, _evidence(project))


def test_head_reports_three_projects_with_evidence_fixing_one_error(
    live_server, page, screenshot, group_a, head_a, three_projects
):
    page.set_default_timeout(TIMEOUT)
    reporting_round, projects = three_projects
    user = CountedUser(page, live_server)

    user.goto("/accounts/login/")
    user.fill("#id_username", head_a.username)
    user.fill("#id_password", PASSWORD)
    user.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    user.click(
        page.get_by_role("link", name=f"รายงานความก้าวหน้า {reporting_round.label}").first
    )
    page.wait_for_url(f"**/progress/round/{reporting_round.pk}/group/{group_a.pk}/")

    # The content of three reports; the second percent mistyped (150).
    percents = ["35", "150", "60"]
    for project, percent in zip(projects, percents, strict=True):
        prefix = f"#id_p{project.pk}"
        user.choose_content(f"{prefix}-status", "in_progress")
        user.type_content(f"{prefix}-percent_complete", percent)
        user.type_content(f"{prefix}-output_progress", f"อบรมครู {percent} คน")
        _attach(user, project)
    screenshot("p18-form-filled")
    user.click(page.get_by_test_id("submit-all"))

    # One summary, linking to the field; nothing saved, nothing claimed.
    summary = page.get_by_test_id("error-summary")
    summary.wait_for()
    assert summary.count() == 1
    assert "ร้อยละความก้าวหน้าต้องอยู่ระหว่าง 0 ถึง 100" in summary.inner_text()
    assert page.locator(".messages").count() == 0
    assert not ProgressReport.objects.exists()
    screenshot("p18-error-summary")
    wrong = projects[1]
    user.click(summary.locator(f'a[href="#id_p{wrong.pk}-percent_complete"]'))
    assert page.evaluate("() => document.activeElement.id") == (
        f"id_p{wrong.pk}-percent_complete"
    )
    user.type_content(f"#id_p{wrong.pk}-percent_complete", "15")
    # The browser forgets chosen files on a new page; the server kept them,
    # listed under each project: nothing to choose again.
    assert "กรุณาเลือกไฟล์อีกครั้ง" not in summary.inner_text()
    for project in projects:
        kept = page.get_by_test_id(f"kept-{project.pk}")
        assert "ไฟล์ที่แนบไว้แล้ว" in kept.inner_text()
        assert kept.get_by_test_id("kept-item").count() == 2
    screenshot("p18-kept-files")
    user.click(page.get_by_test_id("submit-all"))

    page.locator(".messages").wait_for()
    message = page.locator(".messages").inner_text()
    assert CONFLICT_START not in page.content()
    assert "แนบหลักฐาน 6 ไฟล์" in message
    for project in projects:
        assert project.name in message
    reports = ProgressReport.objects.filter(round=reporting_round)
    assert sorted(reports.values_list("state", flat=True)) == ["submitted"] * 3
    assert reports.get(project=wrong).percent_complete == 15
    kinds = sorted(Evidence.objects.values_list("kind", flat=True))
    assert kinds == ["photo"] * 3 + ["word"] * 3
    screenshot("p18-submitted")
    assert user.interactions <= 25, user.report()
    print(user.report())


def test_progress_form_fits_a_phone(
    live_server, browser, group_a, head_a, three_projects
):
    reporting_round, projects = three_projects
    context = browser.new_context(
        locale="th-TH", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", head_a.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.goto(
            f"{live_server.url}/progress/round/{reporting_round.pk}/group/{group_a.pk}/"
        )
        assert page.locator("form select").count() >= 3 * 3
        assert page.evaluate(OVERFLOW_JS) <= 0
        assert page.evaluate(CLIPPED_SELECTS_JS) == []
        page.screenshot(path=str(_shot("p18-phone")), full_page=True)
        # An error keeps the layout: still no scroll, still whole options.
        page.fill(f"#id_p{projects[0].pk}-percent_complete", "150")
        page.select_option(f"#id_p{projects[0].pk}-status", "in_progress")
        page.get_by_test_id("submit-all").click()
        page.get_by_test_id("error-summary").wait_for()
        assert page.get_by_test_id("error-summary").count() == 1
        assert page.evaluate(OVERFLOW_JS) <= 0
        assert page.evaluate(CLIPPED_SELECTS_JS) == []
        page.screenshot(path=str(_shot("p18-phone-error")), full_page=True)
    finally:
        context.close()


def _shot(name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
