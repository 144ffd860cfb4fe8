"""The public plan page (issue 21 item 1): what anyone may read, and what
never leaks from it."""

import io
import zipfile

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from plans.models import Plan
from projects.models import Project
from public.models import PublicOffice, PublishedYear
from public.services import ERROR_SLUG_TAKEN, public_settings_save
from tests.factories import OperatingCostFactory, make_staff
from tests.public.conftest import (
    DRAFT_AMOUNT,
    DRAFT_NAME,
    EMAIL,
    OTHER_AMOUNT,
    OTHER_OFFICE_NAME,
    PHONE,
    PUBLIC_NAME,
    UNAPPROVED_PLAN_NAME,
    UNPUBLISHED_NAME,
    USERNAME,
    YEAR,
)

pytestmark = pytest.mark.django_db

#: Never on a public page, workbook or pack of our office's published year.
NEVER = [
    DRAFT_NAME,
    f"{DRAFT_AMOUNT:,}",
    UNAPPROVED_PLAN_NAME,
    UNPUBLISHED_NAME,
    OTHER_OFFICE_NAME,
    f"{OTHER_AMOUNT:,}",
    EMAIL,
    PHONE,
    USERNAME,
]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def _year_url(name="public:year", slug="phoeiphrae1", year=YEAR):
    return reverse(name, args=[slug, year])


def _workbook_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return "\n".join(
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )


def test_anyone_reads_the_published_year(client, world):
    response = client.get(_year_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert PUBLIC_NAME in html
    assert "2,400.00" in html  # its budget, from the approved budget summary
    assert "1,000.00" in html  # paid
    assert 'data-testid="public-quarters"' in html
    assert 'data-testid="spending-plan"' in html
    assert "public" in response["Cache-Control"]
    office = client.get(reverse("public:office", args=["phoeiphrae1"]))
    assert office.status_code == 200
    assert _year_url() in office.content.decode()


def test_privacy_nothing_unapproved_unpublished_foreign_or_personal(client, world):
    """A draft project of the published plan, a plan not yet approved (even
    though its year is ticked), a year the office did not publish and another
    office's project never appear in the page, the year list or the
    workbook, nor as reachable URLs; no e-mails, phones or usernames."""
    html = client.get(_year_url()).content.decode()
    html += client.get(reverse("public:office", args=["phoeiphrae1"])).content.decode()
    workbook = client.get(_year_url("public:year_xlsx"))
    assert workbook.status_code == 200
    text = _workbook_text(workbook.content)
    for secret in NEVER:
        assert secret not in html, secret
        assert secret not in text, secret
    assert PUBLIC_NAME in text
    assert str(DRAFT_AMOUNT) not in text

    for year in (YEAR - 1, YEAR + 1):  # not published / not approved
        for name in ("public:year", "public:year_xlsx", "public:ita_pack"):
            assert client.get(_year_url(name, year=year)).status_code == 404
        url = reverse("public:document", args=["phoeiphrae1", year, "plan_book"])
        assert client.get(url).status_code == 404
    for year in (YEAR - 1, YEAR + 1):
        assert _year_url(year=year) not in html
    assert client.get(reverse("public:office", args=["nobody"])).status_code == 404
    # the other office's page is its own, at its own address only
    assert OTHER_OFFICE_NAME in client.get(_year_url(slug="uen")).content.decode()


def test_an_office_that_publishes_nothing_is_not_found(client, world):
    public_settings_save(
        user=world.planner, organization=world.office, slug="phoeiphrae1", years=[]
    )
    assert client.get(reverse("public:office", args=["phoeiphrae1"])).status_code == 404
    assert client.get(_year_url()).status_code == 404


def test_the_cached_page_follows_approvals(client, world):
    """The page comes from the cache until its data stamp changes: an
    approved project shows on the next request, a reopened plan hides it."""
    assert DRAFT_NAME not in client.get(_year_url()).content.decode()
    draft = Project.objects.get(pk=world.draft.pk)
    draft.status = Project.Status.APPROVED
    draft.save()
    assert DRAFT_NAME in client.get(_year_url()).content.decode()
    OperatingCostFactory(
        organization=world.office, fiscal_year=YEAR, description="ค่าเช่าเครื่องถ่ายเอกสาร"
    )
    assert "ค่าเช่าเครื่องถ่ายเอกสาร" in client.get(_year_url()).content.decode()
    plan = Plan.objects.get(pk=world.plan.pk)
    plan.status = Plan.Status.SUBMITTED
    plan.save()
    assert client.get(_year_url()).status_code == 404


def test_the_page_is_served_from_the_cache(
    client, world, django_assert_max_num_queries
):
    client.get(_year_url())
    # the second request reads the stamp, not the page's data
    with django_assert_max_num_queries(12):
        again = client.get(_year_url())
    assert PUBLIC_NAME in again.content.decode()


def test_a_missing_pdf_is_asked_for_once_and_never_laid_out_for_the_public(
    client, world, settings
):
    """No stored PDF: the download answers 202 "being prepared" and asks for
    one render (one job per document and data stamp, however many clicks);
    a stored PDF is then served as it is."""
    from reports.models import DocumentJob

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend"}
    }  # a worker would render it: nothing is laid out in the request
    url = reverse("public:document", args=["phoeiphrae1", YEAR, "plan_book"])
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 202
    assert "กำลังจัดทำ" in first.content.decode()
    assert DocumentJob.objects.filter(kind="plan_book").count() == 1
    from public import selectors

    spec = selectors.year_documents(world.plan)[0].spec
    spec.store(b"%PDF-1.7 stored")
    stored = client.get(url)
    assert stored.status_code == 200
    assert b"".join(stored.streaming_content) == b"%PDF-1.7 stored"
    # only documents the year offers: no round is locked, no report yet
    for key in ("progress_6", "annual", "nothing"):
        url = reverse("public:document", args=["phoeiphrae1", YEAR, key])
        assert client.get(url).status_code == 404


def test_only_the_office_managers_switch_publishing(client, world):
    """The page to publish: our planner saves; a viewer of our office and
    another office's planner are refused and nothing changes."""
    viewer = make_staff(world.office, roles=["ผู้ติดตามและอ่านอย่างเดียว"]).user
    before = set(PublishedYear.objects.values_list("office__slug", "fiscal_year"))
    body = {"slug": "phoeiphrae1", "years": [str(YEAR)]}
    client.force_login(viewer)
    assert client.get(reverse("public:manage")).status_code == 403
    assert client.post(reverse("public:manage"), body).status_code == 403
    other = make_staff(world.other_office, roles=["นโยบายและแผน"]).user
    client.force_login(other)
    response = client.post(reverse("public:manage"), body)
    assert response.status_code == 200  # its own office: the slug is ours
    assert ERROR_SLUG_TAKEN in response.content.decode()
    assert (
        set(PublishedYear.objects.values_list("office__slug", "fiscal_year")) == before
    )
    client.force_login(world.planner)
    response = client.post(reverse("public:manage"), body)
    assert response.status_code == 302
    assert set(
        PublicOffice.objects.get(slug="phoeiphrae1").years.values_list(
            "fiscal_year", flat=True
        )
    ) == {YEAR}


def test_the_ita_pack_of_the_web_holds_only_stored_documents(client, world):
    response = client.get(_year_url("public:ita_pack"))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert names[0].startswith("00-")
    # the spending plan is made from the page's data; no PDF was stored
    assert [name for name in names if name.endswith(".pdf")] == [names[0]]
    assert any(name.endswith(".xlsx") for name in names)


def test_the_public_pages_read_in_thai(client, world):
    """Every word a reader sees is Thai, bar the allowed ones (PDF, Excel,
    ITA) and the office's own data (project codes, the address)."""
    from tests.security.test_thai_everywhere import ALLOWED, data_words, latin_words

    allowed = ALLOWED | data_words() | {"phoeiphrae1"}
    for url in (
        reverse("public:office", args=["phoeiphrae1"]),
        _year_url(),
        reverse("public:document", args=["phoeiphrae1", YEAR, "plan_book"]),
    ):
        response = client.get(url)
        assert response.status_code in (200, 202)
        assert not latin_words(response.content.decode(), allowed), url
