"""An office's read-only summary for its overseer (issue 20 item 5): linked
from the office's row on every network page, 404 for an office outside the
overseer's node and for anyone who oversees nothing."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.roles import Role
from tests.factories import make_staff
from tests.network.test_pages import YEAR, office_with_money

pytestmark = pytest.mark.django_db


def url(office):
    return reverse("network:office", args=[office.pk]) + f"?fiscal_year={YEAR}"


def test_the_overseer_reads_an_office_of_the_node(client, network, north_overseer):
    office_with_money(network["n1"], paid=600)
    client.force_login(north_overseer)
    response = client.get(url(network["n1"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert network["n1"].name in page
    assert 'data-testid="network-office-projects"' in page
    assert "2,400.00" in page  # the project's budget
    assert "600.00" in page  # paid
    assert "รอบที่ 1" in page
    # read-only: the only form that posts is the menu's log-out
    assert page.count('method="post"') == 1


def test_every_network_page_links_its_offices_for_the_year(
    client, network, north_overseer
):
    office_with_money(network["n1"])
    client.force_login(north_overseer)
    for slug in ("compliance", "money", "indicators"):
        page = client.get(
            reverse("network:page", args=[slug]), {"fiscal_year": YEAR}
        ).content.decode()
        assert f'href="{url(network["n1"])}"' in page, slug


@pytest.mark.parametrize("who", ["other_overseer", "office_director", "outsider"])
def test_anyone_else_gets_404(client, network, north_overseer, who):
    office_with_money(network["s1"])
    user = {
        "other_overseer": lambda: north_overseer,
        "office_director": lambda: (
            make_staff(network["s1"], roles=[Role.DIRECTOR]).user
        ),
        "outsider": lambda: make_staff(network["n1"], roles=[Role.PLANNER]).user,
    }[who]()
    client.force_login(user)
    response = client.get(url(network["s1"]))
    assert response.status_code == 404
    assert "ไม่พบ" in response.content.decode()


def test_a_region_is_not_an_office(client, network, obec_overseer):
    client.force_login(obec_overseer)
    assert client.get(url(network["north"])).status_code == 404
    assert client.get(url(network["n1"])).status_code == 200


@pytest.mark.pdf
def test_the_pdf_prints_office_names_without_links(client, network, north_overseer):
    office_with_money(network["n1"])
    client.force_login(north_overseer)
    response = client.get(
        reverse("network:page_pdf", args=["compliance"]), {"fiscal_year": YEAR}
    )
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    uris = [
        str(annotation.get_object().get("/A", {}).get("/URI", ""))
        for page in reader.pages
        for annotation in page.get("/Annots") or []
    ]
    assert not [uri for uri in uris if "network/office" in uri]
    assert "สพป.เหนือ" in "".join(page.extract_text() for page in reader.pages)
