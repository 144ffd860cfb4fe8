"""Long downloads show progress (issue 18 item 4): clicking the plan book on
the director's home shows the wait overlay (spinner, "กำลังจัดทำเอกสาร
ประมาณ N วินาที"), the PDF still arrives as a download under its own name,
and the overlay closes; the script breaks no Content-Security-Policy rule."""

import pytest
from django.urls import reverse

from core.thai import current_fiscal_year
from projects.models import Project
from tests.browser.journeys import TIMEOUT, current_direction, full_project, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Records every overlay the page shows (it may close before a test could
#: look) and every CSP violation; init scripts run outside the page's policy.
RECORD = """
window.__overlays = [];
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
new MutationObserver((changes) => {
  for (const change of changes) {
    for (const node of change.addedNodes) {
      if (node.classList && node.classList.contains("wait-overlay")) {
        window.__overlays.push({
          text: node.innerText,
          spinner: !!node.querySelector(".spinner"),
          role: node.getAttribute("role"),
        });
      }
    }
  }
}).observe(document, { childList: true, subtree: true });
"""


def test_plan_book_link_shows_the_wait_then_downloads(
    live_server, page, tmp_path, office, group_a, director
):
    page.set_default_timeout(TIMEOUT)
    plan, strategy = current_direction(office, current_fiscal_year())
    full_project(
        plan, strategy, group_a, name="โครงการพัฒนาครู", status=Project.Status.APPROVED
    )
    page.add_init_script(RECORD)
    login(page, live_server, director)
    book_url = reverse("reports:plan_book_pdf", args=[plan.pk])
    link = page.locator(f"[data-testid=documents] a[href='{book_url}']")
    assert link.get_attribute("data-wait") == "กำลังจัดทำเอกสาร ประมาณ 5 วินาที"
    with page.expect_download(timeout=120_000) as download_info:
        link.click()
    download = download_info.value
    path = tmp_path / "book.pdf"
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    assert download.suggested_filename == f"แผนปฏิบัติการ-{plan.fiscal_year}.pdf"
    overlays = page.evaluate("window.__overlays")
    assert len(overlays) == 1, overlays
    assert "กำลังจัดทำเอกสาร ประมาณ 5 วินาที" in overlays[0]["text"]
    assert overlays[0]["spinner"] and overlays[0]["role"] == "status"
    page.locator(".wait-overlay").wait_for(state="detached")
    assert page.url == f"{live_server.url}/"  # still on the home page
    assert page.evaluate("window.__cspViolations") == []


def test_a_refused_download_opens_the_servers_thai_page(
    live_server, page, office, group_a, director, other_office
):
    """A link that answers with a page, not a file (here another office's
    plan: 404), is opened as a page, so its Thai message shows."""
    page.set_default_timeout(TIMEOUT)
    current_direction(office, current_fiscal_year())
    other_plan, _ = current_direction(other_office, current_fiscal_year())
    login(page, live_server, director)
    url = reverse("reports:plan_book_pdf", args=[other_plan.pk])
    page.evaluate(
        """(url) => {
          const a = document.createElement("a");
          a.href = url; a.dataset.wait = "กำลังจัดทำเอกสาร ประมาณ 5 วินาที";
          a.textContent = "PDF"; a.id = "probe"; document.body.append(a);
        }""",
        url,
    )
    page.click("#probe")
    page.wait_for_url(f"{live_server.url}{url}")
    assert "ไม่พบ" in page.locator("main").inner_text()
