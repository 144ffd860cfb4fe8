"""The public plan page on a phone (issue 21): at 390 px nothing scrolls
sideways, the tables stack into cards and the downloads are in reach."""

import pytest
from django.urls import reverse

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_layout import OVERFLOW_JS, WIDE_JS
from tests.public.conftest import PUBLIC_NAME, YEAR, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_public_page_fits_a_phone(live_server, browser):
    build_world()
    context = browser.new_context(
        locale="th-TH", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in {
        "office": reverse("public:office", args=["phoeiphrae1"]),
        "year": reverse("public:year", args=["phoeiphrae1", YEAR]),
    }.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200
        page.screenshot(
            path=str(SCREENSHOTS / f"phone-public-{name}.png"), full_page=True
        )
        overflow = page.evaluate(OVERFLOW_JS)
        assert overflow <= 0, (name, overflow, page.evaluate(WIDE_JS))
    assert page.get_by_text(PUBLIC_NAME).first.is_visible()
    assert page.get_by_test_id("public-downloads").is_visible()
    context.close()
