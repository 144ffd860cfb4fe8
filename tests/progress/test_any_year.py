"""Reporting rounds of any fiscal year from the screens (issue 15 item 6): an
office that starts with Phaen enters last year's results, which used to need
the admin because the button made this year's rounds only."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.thai import current_fiscal_year, to_thai_digits
from progress.models import ReportingRound

pytestmark = pytest.mark.django_db

URL = "progress:round_create"


def test_planner_creates_last_years_rounds_and_the_board_shows_them(
    client, office, planner
):
    last_year = current_fiscal_year() - 1
    client.force_login(planner)
    page = client.get(reverse("progress:index")).content.decode()
    assert f'<option value="{last_year}">' in page

    response = client.post(reverse(URL), {"fiscal_year": str(last_year)})

    rounds = ReportingRound.objects.filter(organization=office).order_by("number")
    assert [(r.fiscal_year, r.number) for r in rounds] == [
        (last_year, n) for n in (1, 2, 3, 4)
    ]
    assert response.url == f"{reverse('progress:board')}?round={rounds[0].pk}"
    board = client.get(response.url)
    assert board.context["fiscal_year"] == last_year
    assert board.context["board"].round == rounds[0]


def test_thai_digits_choose_the_year_and_the_current_year_stays_the_default(
    client, office, planner
):
    client.force_login(planner)
    year = current_fiscal_year() - 2
    client.post(reverse(URL), {"fiscal_year": to_thai_digits(str(year))})
    client.post(reverse(URL))
    years = set(office.reporting_rounds.values_list("fiscal_year", flat=True))
    assert years == {year, current_fiscal_year()}


@pytest.mark.parametrize("value", ["2400", "abc", "²²²²", "", "9" * 300])
def test_a_year_out_of_the_list_is_refused_in_thai(client, office, planner, value):
    client.force_login(planner)
    response = client.post(reverse(URL), {"fiscal_year": value})
    assert response.status_code == 302
    assert not office.reporting_rounds.exists()
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "กรุณาเลือกปีงบประมาณจากรายการ" in text


def test_head_cannot_create_a_past_years_rounds(client, office, head_a):
    client.force_login(head_a)
    body = {"fiscal_year": str(current_fiscal_year() - 1)}
    assert client.post(reverse(URL), body).status_code == 403
    assert not ReportingRound.objects.exists()
