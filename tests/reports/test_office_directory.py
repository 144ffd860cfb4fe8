import io

import pytest
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from pypdf import PdfReader

from core.thai import with_digits
from reports import pdf
from tests.pdf_utils import normalise, pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db


def test_anonymous_cannot_read_the_directory(client):
    assert client.get(reverse("reports:office_directory")).status_code == 302
    assert client.get(reverse("reports:office_directory_pdf")).status_code == 302


def test_user_without_office_is_refused_in_thai(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x")
    client.force_login(user)
    response = client.get(reverse("reports:office_directory"))
    assert response.status_code == 403
    assert "ไม่มีสิทธิ์" in response.content.decode()


def test_directory_html_lists_groups_and_heads(client, viewer, head_a, head_b):
    client.force_login(viewer)
    content = client.get(reverse("reports:office_directory")).content.decode()
    assert "กลุ่มส่งเสริมการจัดการศึกษา" in content
    assert "นางหัวหน้าเอ ใจดี" in content


@pytest.mark.pdf
def test_directory_pdf_renders_thai_with_embedded_sarabun(
    client, viewer, head_a, head_b
):
    client.force_login(viewer)
    response = client.get(reverse("reports:office_directory_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "inline" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert normalise("ทำเนียบกลุ่มและผู้อำนวยการกลุ่ม") in text
    assert normalise("กลุ่มบริหารงานบุคคล") in text
    # official documents print Thai digits by default, the footer too
    assert normalise("หน้า ๑") in text
    assert normalise("หน้า 1") not in text
    assert any("Sarabun" in name for name in pdf_fonts(response.content))


@pytest.mark.pdf
def test_directory_pdf_footer_follows_the_bodys_digit_style(
    client, viewer, head_a, head_b
):
    client.force_login(viewer)
    url = reverse("reports:office_directory_pdf")
    arabic = pdf_text(client.get(url, {"digits": "arabic"}).content)
    assert normalise("หน้า 1") in arabic
    assert not any(digit in arabic for digit in "๐๑๒๓๔๕๖๗๘๙")
    thai = pdf_text(client.get(url).content)
    assert not any(digit in thai for digit in "0123456789"), thai


@pytest.mark.pdf
def test_pdf_fetcher_refuses_files_outside_static_and_media():
    from reports.pdf import StaticOnlyURLFetcher

    fetcher = StaticOnlyURLFetcher()
    with pytest.raises(ValueError, match="ไม่อนุญาต"):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError, match="ไม่อนุญาต"):
        fetcher.fetch("http://example.com/logo.png")
    with pytest.raises(ValueError, match="ไม่อนุญาต"):
        fetcher.fetch("file:///static/../../etc/passwd")
    response = fetcher.fetch("file:///static/css/print.css")
    assert response is not None


@pytest.mark.pdf
@pytest.mark.parametrize(("digits", "label"), [("thai", "๑"), ("arabic", "1")])
def test_directory_pdf_is_laid_out_as_a_document(
    client, office, viewer, head_a, head_b, digits, label
):
    """The directory goes through ``Document.render`` like every other PDF:
    counted, titled in its digit style, with the running title on its page."""
    client.force_login(viewer)
    before = pdf.RENDER_COUNT["documents"]

    response = client.get(reverse("reports:office_directory_pdf"), {"digits": digits})

    assert pdf.RENDER_COUNT["documents"] == before + 1
    assert response["Content-Disposition"] == (
        "inline; filename*=UTF-8''" + escape_uri_path("ทำเนียบกลุ่ม.pdf")
    )
    reader = PdfReader(io.BytesIO(response.content))
    title = f"ทำเนียบกลุ่ม {with_digits(office.short_name, digits)}"
    assert reader.metadata.title == title
    text = pdf_text(response.content)
    assert normalise(title) in text
    assert normalise(f"หน้า {label}") in text
