import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from reports import pdf
from reports.models import BookSection
from reports.selectors import plan_book
from tests.factories import ActivityFactory, CostLineFactory, ProjectFactory
from tests.pdf_utils import normalise, pdf_fonts, pdf_page_count
from tests.reports.conftest import flat, pdftotext

pytestmark = pytest.mark.django_db

THAI = "๐๑๒๓๔๕๖๗๘๙"


def _download(client, user, plan, digits="thai"):
    client.force_login(user)
    url = reverse("reports:plan_book_pdf", args=[plan.pk])
    return client.get(url, {"digits": digits})


# ------------------------------------------------------------------ content


@pytest.mark.pdf
def test_plan_book_pdf_prints_every_part_with_reconciled_totals(client, viewer, book):
    response = _download(client, viewer, book.plan)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "inline" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    assert any("Sarabun" in name for name in pdf_fonts(response.content))
    text = flat(pdftotext(response.content))
    for heading in (
        "คำนำ",
        "สารบัญ",
        "ส่วนที่๑ข้อมูลพื้นฐาน",
        "ส่วนที่๒ทิศทางการพัฒนา",
        "ส่วนที่๓งบประมาณและโครงการ",
        "แผนการใช้จ่ายงบประมาณ",
        "ความสอดคล้องของโครงการกับยุทธศาสตร์และกลยุทธ์",
        "ส่วนที่๔การบริหารแผน",
        "ภาคผนวก",
        "คำสั่งแต่งตั้งคณะกรรมการ",
        "โครงการส่งเสริมการอ่านออกเขียนได้",
        "โครงการพัฒนาระบบบริหารงานบุคคล",
    ):
        assert flat(normalise(heading)) in text, heading
    # 3,600 + 2,400 + 1,000 = 7,000; 2,100 + 500 = 2,600; together 9,600
    assert "๗,๐๐๐.๐๐" in text
    assert "๒,๖๐๐.๐๐" in text
    assert "๙,๖๐๐.๐๐" in text
    assert flat(normalise("เจ็ดพันบาทถ้วน")) in text
    # the generated formulas of the cost table (a cell may wrap: drawing order)
    cells = flat(pdftotext(response.content, layout=False))
    assert flat(normalise("๑ ครั้ง ๆ ละ ๑๒ คน คนละ ๒๐๐ บาท")) in cells
    assert flat(normalise("๑ ครั้ง ๆ ละ ๓๐ คน คนละ ๒ มื้อ ๆ ละ ๓๕ บาท")) in cells
    # the context table typed as "ระดับ | จำนวนโรงเรียน"
    assert flat(normalise("ประถมศึกษา๑๒๔")) in text
    assert flat(normalise("หน้า ๒")) in text


@pytest.fixture(params=["one process", "parts side by side"])
def layout(request, settings):
    """Both ways a book is laid out: whole, or cut in parts for two workers."""
    if request.param == "parts side by side":
        settings.PHAEN_PDF_TAGS = False  # a tagged book stays in one piece
        settings.PHAEN_PDF_WORKERS = 2
        settings.PHAEN_PDF_PARALLEL_MIN_CHARS = 0
    else:
        settings.PHAEN_PDF_WORKERS = 1
    return request.param


DIGITS = {
    "thai": str.maketrans("0123456789", THAI),
    "arabic": str.maketrans("", ""),
}


def _toc_page(content: bytes) -> str:
    for page in range(1, pdf_page_count(content) + 1):
        text = pdftotext(content, page)
        if "สารบัญ" in text:
            return text
    return ""


@pytest.mark.pdf
@pytest.mark.parametrize("digits", ["thai", "arabic"])
def test_table_of_contents_page_numbers_match_the_pages(
    client, viewer, book, layout, digits
):
    """The contents' numbers (``target-counter()``) are the pages where each
    heading is printed, read back page by page from the PDF."""
    content = _download(client, viewer, book.plan, digits).content
    pages = pdf_page_count(content)
    toc = _toc_page(content)
    headings = {
        "ส่วนที่ 1": "ส่วนที่ 1 ข้อมูลพื้นฐาน",
        "ส่วนที่ 2": "ส่วนที่ 2 ทิศทางการพัฒนา",
        "ส่วนที่ 3": "ส่วนที่ 3 งบประมาณและโครงการ",
        "ความสอดคล้อง": "ความสอดคล้องของโครงการกับยุทธศาสตร์และกลยุทธ์",
        "แผนการใช้จ่าย": "แผนการใช้จ่ายงบประมาณ",
        "ส่วนที่ 4": "ส่วนที่ 4 การบริหารแผน",
        "ภาคผนวก": "ภาคผนวก",
        # the sheet's heading, with the project's code: the names are listed
        # in part 3 too
        f"โครงการที่ {book.p1.code}": f"โครงการที่ {book.p1.code}",
        f"โครงการที่ {book.p2.code}": f"โครงการที่ {book.p2.code}",
    }
    style = DIGITS[digits]
    headings = {
        normalise(entry.translate(style)): normalise(heading.translate(style))
        for entry, heading in headings.items()
    }
    number_digits = THAI if digits == "thai" else "0123456789"
    checked = {}
    pending = None  # pdftotext may wrap an entry before its page number
    for line in toc.splitlines():
        for entry in headings:
            if entry in line:
                pending = entry
        match = re.search(rf"\s([{number_digits}]+)\s*$", line)
        if pending and match:
            number = int(match.group(1).translate(str.maketrans(THAI, "0123456789")))
            assert 1 < number <= pages
            checked[pending] = number
            pending = None
    assert len(checked) == len(headings), toc
    texts = {number: flat(pdftotext(content, number)) for number in range(1, pages + 1)}
    for entry, number in checked.items():
        heading = flat(headings[entry])
        starts = [
            n for n, text in texts.items() if heading in text and "สารบัญ" not in text
        ]
        assert starts, entry
        assert starts[0] == number, (entry, number, starts)


@pytest.mark.pdf
def test_parts_laid_out_side_by_side_make_the_same_book(
    client, viewer, book, settings, tmp_path
):
    settings.PHAEN_PDF_WORKERS = 1
    whole = _download(client, viewer, book.plan).content
    settings.PHAEN_DOCUMENT_DIR = tmp_path  # nothing stored: render again
    settings.PHAEN_PDF_TAGS = False  # a tagged book stays in one piece
    settings.PHAEN_PDF_WORKERS = 2
    settings.PHAEN_PDF_PARALLEL_MIN_CHARS = 0
    rendered = pdf.RENDER_COUNT["documents"]
    parts = _download(client, viewer, book.plan).content

    assert pdf.RENDER_COUNT["documents"] == rendered + 1
    one, other = PdfReader(io.BytesIO(whole)), PdfReader(io.BytesIO(parts))
    assert len(other.pages) == len(one.pages)
    for number, (page, twin) in enumerate(
        zip(one.pages, other.pages, strict=True), start=1
    ):
        assert (page.mediabox.width, page.mediabox.height) == (
            twin.mediabox.width,
            twin.mediabox.height,
        ), number  # landscape pages stay landscape
        text = flat(pdftotext(parts, number))
        if number == 1:
            assert "หน้า" not in text  # the cover has no number
        else:
            assert text.endswith(flat(f"หน้า {_thai(number)}")), (number, text[-40:])
        assert flat(pdftotext(whole, number)) == text, number
    # the contents link to their pages
    links = [
        annotation.get_object()
        for annotation in other.pages[2].get("/Annots", [])
        if annotation.get_object()["/Subtype"] == "/Link"
    ]
    assert len(links) >= 7
    assert other.metadata.title.startswith("แผนปฏิบัติการประจำปีงบประมาณ")


def _thai(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", THAI))


@pytest.mark.pdf
def test_arabic_digits_when_chosen(client, viewer, book):
    text = pdftotext(_download(client, viewer, book.plan, "arabic").content)

    assert "9,600.00" in text
    assert normalise("หน้า 2") in text
    assert not any(digit in text for digit in THAI)


def test_screen_page_shows_the_same_body_in_thai_digits(client, viewer, book):
    client.force_login(viewer)
    response = client.get(reverse("reports:plan_book", args=[book.plan.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "๙,๖๐๐.๐๐" in content
    assert 'href="#part-1"' in content  # attributes keep their ASCII digits
    assert "โครงการส่งเสริมการอ่านออกเขียนได้" in content


@pytest.mark.parametrize(
    ("title", "year_lines"),
    [
        ("", 0),  # the default title names the year
        ("แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๖๘", 0),  # typed in Thai digits
        ("แผนปฏิบัติการ สพป.ตัวอย่าง", 1),
    ],
)
def test_cover_prints_the_year_once(client, viewer, book, title, year_lines):
    book.plan.title = title
    book.plan.save(update_fields=["title"])
    client.force_login(viewer)
    response = client.get(reverse("reports:plan_book", args=[book.plan.pk]))
    content = response.content.decode()

    assert content.count('class="cover-fy"') == year_lines


# ------------------------------------------------------------------ access


@pytest.mark.parametrize(
    "role", ["planner", "head_a", "head_b", "officer", "director", "viewer"]
)
def test_every_role_of_the_office_reads_the_book(client, book, role, request):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("reports:plan_book", args=[book.plan.pk]))

    assert response.status_code == 200


def test_other_offices_get_404_and_anonymous_go_to_login(client, book, outsider):
    urls = [
        reverse("reports:plan_book", args=[book.plan.pk]),
        reverse("reports:plan_book_pdf", args=[book.plan.pk]),
        reverse("reports:annual_report", args=[book.plan.pk]),
        reverse("reports:project_sheet_pdf", args=[book.p1.pk]),
        reverse("reports:progress_report", args=[book.round1.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(outsider)
    before = pdf.RENDER_COUNT["documents"]
    for url in urls:
        assert client.get(url).status_code == 404
    assert pdf.RENDER_COUNT["documents"] == before


def test_user_entered_text_is_escaped(client, viewer, book):
    BookSection.objects.filter(part="foreword").update(
        body="คำนำ <script>alert('x')</script>"
    )
    client.force_login(viewer)

    content = client.get(reverse("reports:plan_book", args=[book.plan.pk])).content

    assert b"<script>alert" not in content
    assert b"&lt;script&gt;" in content


# ------------------------------------------------------------------ speed


def _add_projects(book, count):
    for _ in range(count):
        project = ProjectFactory(plan=book.plan, group=book.p1.group)
        project.strategies.set([book.s1])
        CostLineFactory(
            activity=ActivityFactory(project=project),
            category=book.category["services"],
        )


@pytest.mark.parametrize("extra", [0, 6])
def test_plan_book_queries_do_not_grow_with_projects(
    book, extra, django_assert_num_queries
):
    _add_projects(book, extra)

    # 38, and the OBEC strategies and the running costs of the new chapters
    with django_assert_num_queries(40):
        data = plan_book(book.plan)

    assert len(data.sheets) == 2 + extra


@pytest.mark.pdf
def test_second_download_is_served_from_cache_until_data_change(client, viewer, book):
    first = _download(client, viewer, book.plan).content
    rendered = pdf.RENDER_COUNT["documents"]

    again = _download(client, viewer, book.plan).content

    assert again == first
    assert pdf.RENDER_COUNT["documents"] == rendered

    # when a cost line changes, the book is laid out again
    line = book.a1.cost_lines.get(description="ค่าอาหารกลางวัน")
    line.amount = 2500
    line.save()
    changed = _download(client, viewer, book.plan).content
    assert pdf.RENDER_COUNT["documents"] == rendered + 1
    assert "๙,๗๐๐.๐๐" in pdftotext(changed)


@pytest.mark.pdf
def test_render_plan_command_writes_the_downloaded_file(client, viewer, book, tmp_path):
    output = tmp_path / "plan.pdf"

    call_command(
        "render_plan",
        "--fiscal-year",
        "2568",
        "--office",
        book.plan.organization.short_name,
        "--output",
        str(output),
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )

    assert output.read_bytes() == _download(client, viewer, book.plan).content


def test_render_plan_refuses_an_unknown_office_in_thai(book, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ไม่พบสำนักงาน"):
        call_command(
            "render_plan",
            "--fiscal-year=2568",
            "--office=ไม่มี",
            f"--output={tmp_path / 'x.pdf'}",
        )
    with pytest.raises(CommandError, match="ไม่พบแผนปฏิบัติการ"):
        call_command(
            "render_plan",
            "--fiscal-year=2500",
            f"--office={book.plan.organization.short_name}",
            f"--output={tmp_path / 'x.pdf'}",
        )
