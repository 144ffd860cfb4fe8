"""Project sheet for approval, progress and annual reports, filtered reports."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from budgets.models import OUTSIDE_TOTAL_CODES, BudgetSource
from reports.digits import convert_digits
from reports.selectors import (
    annual_document,
    indicator_attainment,
    progress_document,
)
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    DisbursementFactory,
    ProgressReportFactory,
    ProjectFactory,
    QuarterPlanFactory,
)
from tests.pdf_utils import normalise
from tests.reports.conftest import flat, pdftotext

pytestmark = pytest.mark.django_db


def _get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(f"reports:{name}", args=args), params)


# ------------------------------------------------------------------ project sheet


@pytest.mark.pdf
def test_project_sheet_pdf_has_signatures_from_the_data(client, viewer, book):
    response = _get(client, viewer, "project_sheet_pdf", book.p1.pk)

    assert response.status_code == 200
    text = flat(pdftotext(response.content))
    for expected in (
        "แบบเสนอโครงการ",
        "ผู้เสนอโครงการ",
        "ผู้เห็นชอบโครงการ",
        "ผู้อนุมัติโครงการ",
        "นางเจ้าหน้าที่ใจดี",  # lead responsible person
        "ตำแหน่งนักวิชาการศึกษา",
        "นางหัวหน้าเอใจดี",  # head of group A
        "ตำแหน่งผู้อำนวยการกลุ่มส่งเสริม",
        "นางผู้อำนวยการใจดี",  # Organization.director
        "๗,๐๐๐.๐๐",
        "เจ็ดพันบาทถ้วน",
    ):
        assert flat(normalise(expected)) in text, text[-700:]


def test_acting_head_signs_with_the_acting_title(book, head_b):
    from reports.selectors import project_document

    signatures = project_document(book.p2)["signatures"]

    assert signatures[1].name == "นางหัวหน้าบี ใจดี"
    assert signatures[1].position == "รักษาการในตำแหน่งผู้อำนวยการกลุ่มบริหารงานบุคคล"


# ------------------------------------------------------------------ progress


def test_progress_round_figures_by_hand(book):
    data = progress_document(book.round1)

    by_label = {row.label: (row.count, str(row.share)) for row in data["statuses"]}
    assert by_label["อยู่ระหว่างดำเนินการ"] == (1, "50.00")
    assert by_label["ยังไม่รายงาน"] == (1, "50.00")
    assert [row.label for row in data["quarters"]] == ["ไตรมาส 1 (ต.ค.–ธ.ค.)"]
    q1 = data["quarters"][0]
    assert str(q1.planned_cumulative) == "8600.00"  # 6,000 + 2,600
    assert str(q1.disbursed_cumulative) == "5600.00"  # 3,600 + 2,000
    assert str(data["disbursed_percent"]) == "58.33"  # 5,600 / 9,600


def test_progress_statuses_by_funding_group_by_hand(client, viewer, book):
    """Seed 002 counts projects per funding group: plan, OBEC-allocated, other."""
    obec = BudgetSource.objects.get(code="obec")
    other = BudgetSource.objects.get(code="other-agency")
    for name, source, status in [
        ("โครงการ สพฐ. หนึ่ง", obec, "completed"),
        ("โครงการ สพฐ. สอง", obec, "in_progress"),
        ("โครงการ สพฐ. สาม", obec, "in_progress"),
        ("โครงการหน่วยงานอื่น", other, None),
    ]:
        project = ProjectFactory(
            plan=book.plan, name=name, status="approved", budget_source=source
        )
        if status:
            ProgressReportFactory(project=project, round=book.round1, status=status)

    groups = progress_document(book.round1)["funding_groups"]

    summary = {
        group.code: (
            group.count,
            [(row.label, row.count, str(row.share)) for row in group.statuses],
        )
        for group in groups
    }
    # plan: P1 in progress, P2 not reported: 1/2 each
    assert summary["plan"] == (
        2,
        [("อยู่ระหว่างดำเนินการ", 1, "50.00"), ("ยังไม่รายงาน", 1, "50.00")],
    )
    # OBEC: 1 completed, 2 in progress: 33.33 + 66.67 (largest remainder) = 100
    assert summary["obec"] == (
        3,
        [("อยู่ระหว่างดำเนินการ", 2, "66.67"), ("ดำเนินการเสร็จสิ้นแล้ว", 1, "33.33")],
    )
    assert summary["other"] == (1, [("ยังไม่รายงาน", 1, "100.00")])
    assert groups[0].label == "โครงการตามแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2568"

    client.force_login(viewer)
    page = client.get(
        reverse("reports:progress_report", args=[book.round1.pk]), {"digits": "arabic"}
    ).content.decode()
    assert "1.2 โครงการที่ได้รับจัดสรรงบประมาณจาก สพฐ. จำนวน 3 โครงการ" in page
    assert "อยู่ระหว่างดำเนินการ จำนวน 2 โครงการ คิดเป็นร้อยละ 66.67" in page


def test_other_agency_projects_are_grouped_under_their_agency_outside_the_totals(
    client, viewer, book
):
    """Issue 17 item 5: seed 002 prints its two NIETS projects under "โครงการที่
    ได้รับงบประมาณจากหน่วยงานอื่น (สถาบันทดสอบทางการศึกษาแห่งชาติ)" and
    counts them in no office figure."""
    # Shipped so by migration 0012; the book fixture's loaddata resets it.
    BudgetSource.objects.filter(organization=None, code__in=OUTSIDE_TOTAL_CODES).update(
        outside_total=True
    )
    before = progress_document(book.round1)
    other = BudgetSource.objects.get(code="other-agency")
    agency = "สถาบันทดสอบทางการศึกษาแห่งชาติ"
    for name, status in (("โอเน็ต", "in_progress"), ("เอ็นที", "in_progress")):
        project = ProjectFactory(
            plan=book.plan,
            name=f"โครงการทดสอบ {name}",
            status="approved",
            budget_source=other,
            funding_agency=agency,
        )
        activity = ActivityFactory(project=project)
        CostLineFactory(
            activity=activity, amount=385480, times=1, persons=1, rate=385480
        )
        QuarterPlanFactory(activity=activity, quarter=1, amount=385480)
        DisbursementFactory(activity=activity, amount=1000)
        ProgressReportFactory(project=project, round=book.round1, status=status)

    data = progress_document(book.round1)

    agencies = [group for group in data["funding_groups"] if group.code == "other"]
    assert [(group.label, group.count) for group in agencies] == [
        (f"โครงการที่ได้รับงบประมาณจากหน่วยงานอื่น ({agency})", 2)
    ]
    assert [(r.label, r.count, str(r.share)) for r in agencies[0].statuses] == [
        ("อยู่ระหว่างดำเนินการ", 2, "100.00")
    ]
    # the office's own figures are as they were without them
    assert data["project_count"] == before["project_count"]
    assert data["outside_count"] == 2
    assert [(r.label, r.count, r.share) for r in data["statuses"]] == [
        (r.label, r.count, r.share) for r in before["statuses"]
    ]
    assert data["budget"] == before["budget"]
    assert data["disbursed"] == before["disbursed"]
    assert [
        (q.planned_cumulative, q.disbursed_cumulative) for q in data["quarters"]
    ] == [(q.planned_cumulative, q.disbursed_cumulative) for q in before["quarters"]]

    client.force_login(viewer)
    page = client.get(
        reverse("reports:progress_report", args=[book.round1.pk]), {"digits": "arabic"}
    ).content.decode()
    assert f"โครงการที่ได้รับงบประมาณจากหน่วยงานอื่น ({agency}) จำนวน 2 โครงการ" in page
    assert "และโครงการที่ได้รับงบประมาณจากหน่วยงานอื่น 2 โครงการ" in page


@pytest.mark.pdf
def test_progress_pdf_prints_summary_chart_and_escapes_text(client, viewer, book):
    response = _get(client, viewer, "progress_report_pdf", book.round4.pk)

    assert response.status_code == 200
    text = flat(pdftotext(response.content))
    assert flat(normalise("รายงานผลการดำเนินงาน")) in text
    assert flat(normalise("รอบ ๑๒ เดือน")) in text
    assert flat(normalise("ดำเนินการเสร็จสิ้นแล้ว")) in text
    assert "๗,๗๐๐.๐๐" in text  # 3,600 + 2,000 + 2,100 by 30 Sep 2025
    assert flat(normalise("ปัญหาอุปสรรคและข้อเสนอแนะ")) in text
    assert "<script>alert(๑)</script>" in text  # printed as text, not run


def test_progress_html_escapes_user_text(client, viewer, book):
    content = _get(client, viewer, "progress_report", book.round4.pk).content

    assert b"<script>alert(1)" not in content
    assert "ครูติดภารกิจ &lt;script&gt;".encode() in content
    assert b"<svg" in content  # the same server-side charts as the PDF


@pytest.mark.pdf
def test_render_progress_command(book, tmp_path, client, viewer):
    output = tmp_path / "round.pdf"

    call_command(
        "render_progress",
        "--fiscal-year=2568",
        "--round=1",
        f"--output={output}",
        f"--office={book.plan.organization.short_name}",
        "--digits=arabic",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )

    download = _get(
        client, viewer, "progress_report_pdf", book.round1.pk, digits="arabic"
    )
    assert output.read_bytes() == download.content
    assert "5,600.00" in pdftotext(download.content)


# ------------------------------------------------------------------ annual


def test_annual_budget_execution_and_attainment_by_hand(book):
    data = annual_document(book.plan)

    operating = next(row for row in data["execution"] if row.name == "งบดำเนินงาน")
    assert (str(operating.allocated), str(operating.disbursed)) == (
        "9600.00",
        "7700.00",
    )
    # The office's allocation (1,000,000) is the table's total (seed 004's
    # Table 13): what the projects do not plan is a row of its own.
    unplanned = data["execution"][-1]
    assert (unplanned.name, str(unplanned.allocated)) == (
        "เงินจัดสรรที่ยังไม่ได้กำหนดรายการใช้จ่าย",
        "990400.00",
    )
    total = data["execution_total"]
    assert (str(total.allocated), str(total.disbursed)) == ("1000000.00", "7700.00")
    assert str(total.remaining) == "992300.00"
    assert str(total.percent) == "0.77"
    assert data["is_final"]
    attainment = data["attainment"]
    assert (attainment.achieved, attainment.total, str(attainment.percent)) == (
        1,
        2,
        "50.00",
    )
    p1 = next(row for row in data["projects"] if row["id"] == book.p1.pk)
    assert p1["kpis"][0]["achieved"] is True


def test_annual_report_downloads_as_xlsx_with_the_same_figures(
    client, viewer, outsider, book
):
    client.force_login(viewer)
    page = client.get(reverse("reports:annual_report", args=[book.plan.pk]))
    assert reverse("reports:annual_report_xlsx", args=[book.plan.pk]) in (
        page.content.decode()
    )

    response = client.get(reverse("reports:annual_report_xlsx", args=[book.plan.pk]))

    workbook = load_workbook(io.BytesIO(response.content))
    execution = workbook["ผลการบริหารจัดการงบประมาณ"]
    assert [cell.value for cell in execution[1]][:5] == [  # seed 004's Table 13
        "รายการ",
        "ได้รับจัดสรร (บาท)",
        "เบิกแล้ว (บาท)",
        "คงเหลือ (บาท)",
        "ร้อยละการเบิกจ่าย",
    ]
    total = [cell.value for cell in execution[execution.max_row]]
    # the office's allocation, 1,000,000; 7,700 paid
    assert total[:5] == ["รวมทั้งสิ้น", 1000000, 7700, 992300, 0.77]
    assert execution.cell(execution.max_row, 2).number_format == "#,##0.00"
    assert execution.freeze_panes == "A2"
    indicators = workbook["ตัวชี้วัดกลยุทธ์"]
    verdicts = [row[6].value for row in indicators.iter_rows(min_row=2)]
    assert sorted(verdicts) == ["บรรลุ", "ไม่บรรลุ"]
    names = [row[1].value for row in workbook["ผลรายโครงการ"].iter_rows(min_row=2)]
    assert "โครงการส่งเสริมการอ่านออกเขียนได้" in names

    client.force_login(outsider)
    refused = client.get(reverse("reports:annual_report_xlsx", args=[book.plan.pk]))
    assert refused.status_code == 404


def test_attainment_filtered_by_strategy(book):
    attainment = indicator_attainment(book.plan, strategy=book.s2)

    assert (attainment.achieved, attainment.total) == (0, 1)


@pytest.mark.pdf
def test_annual_pdf_prints_the_tables(client, director, book):
    response = _get(client, director, "annual_report_pdf", book.plan.pk)

    text = flat(pdftotext(response.content))
    assert flat(normalise("รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. ๒๕๖๘")) in text
    assert "๙,๖๐๐.๐๐๗,๗๐๐.๐๐๑,๙๐๐.๐๐๘๐.๒๑" in text
    assert flat(normalise("บรรลุ ๑ จาก ๒ ตัวชี้วัด คิดเป็นร้อยละ ๕๐.๐๐")) in text


# ------------------------------------------------------------------ filtered


def test_budget_report_filters_by_group(client, planner, book, group_a):
    response = _get(
        client,
        planner,
        "budget_report",
        fiscal_year=2568,
        group=group_a.pk,
        digits="arabic",
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "โครงการส่งเสริมการอ่านออกเขียนได้" in content
    assert "โครงการพัฒนาระบบบริหารงานบุคคล" not in content.split("สรุปงบประมาณ")[0]
    assert "7,000.00" in content
    assert "ร้อยละ 80.00" in content  # 5,600 of 7,000 disbursed


def _add_budgeted_projects(book, count):
    for _ in range(count):
        project = ProjectFactory(plan=book.plan, group=book.p1.group)
        project.strategies.set([book.s1])
        activity = ActivityFactory(project=project)
        line = CostLineFactory(activity=activity, category=book.category["services"])
        QuarterPlanFactory(activity=activity, quarter=1, amount=line.amount)
        DisbursementFactory(activity=activity, cost_line=line, amount=100)


@pytest.mark.parametrize(("extra", "group"), [(0, False), (6, False), (6, True)])
def test_budget_report_queries_do_not_grow_with_projects(
    client, planner, book, extra, group, django_assert_num_queries
):
    _add_budgeted_projects(book, extra)
    params = {"fiscal_year": 2568, **({"group": book.p1.group.pk} if group else {})}
    client.force_login(planner)
    # session, user, person, roles, plan, budget summary 16, the form's groups,
    # strategies and sources, the data's as-of date; a filter adds its group
    # and its own rows (4)
    with django_assert_num_queries(30 if group else 25):
        response = client.get(reverse("reports:budget_report"), params)
    assert response.status_code == 200
    assert len(response.context["projects"]) == 2 + extra - (1 if group else 0)


def test_budget_report_bad_year_falls_back_without_error(client, planner, book):
    response = _get(client, planner, "budget_report", fiscal_year="abc")

    assert response.status_code in (200, 404)


@pytest.mark.pdf
def test_kpi_report_html_and_pdf(client, head_b, book):
    html = _get(client, head_b, "kpi_report", fiscal_year=2568).content.decode()
    assert "บรรลุ ๑ จาก ๒ ตัวชี้วัด" in html

    response = _get(client, head_b, "kpi_report_pdf", fiscal_year=2568, digits="arabic")
    text = flat(pdftotext(response.content))
    assert flat(normalise("บรรลุ 1 จาก 1 ตัวชี้วัด คิดเป็นร้อยละ 100.00")) in text


def test_filtered_reports_refuse_outsiders_and_anonymous(client, outsider, book):
    assert client.get(reverse("reports:budget_report")).status_code == 302
    client.force_login(outsider)
    response = client.get(reverse("reports:budget_report"), {"fiscal_year": 2568})
    assert response.status_code == 404  # the outsider's office has no plan


def test_index_lists_the_documents_of_the_year(client, viewer, book):
    content = _get(client, viewer, "index", fiscal_year=2568).content.decode()

    assert reverse("reports:plan_book", args=[book.plan.pk]) in content
    assert reverse("reports:progress_report", args=[book.round4.pk]) in content


# ------------------------------------------------------------------ digits and admin


def test_convert_digits_changes_text_only():
    html = '<td class="x1" data-v="12">12 &#39;a&#39;</td><style>.a{width:2em}</style>'

    converted = convert_digits(html, "thai")

    assert converted == (
        '<td class="x1" data-v="12">๑๒ &#39;a&#39;</td><style>.a{width:2em}</style>'
    )
    assert convert_digits("๑๒", "arabic") == "12"


def test_convert_digits_keeps_chart_labels_plain_svg_text():
    """A chart label gets Thai digits but no HTML span: inside SVG the span
    made WeasyPrint drop the labels and spill the legend under the chart."""
    html = (
        "<p>รอบ 6 เดือน</p>"
        '<svg viewBox="0 0 10 10"><text x="1">รอบ 6 เดือน</text>'
        '<text x="2">กลุ่มที่ 2</text></svg>'
    )

    converted = convert_digits(html, "thai")

    chart = converted[converted.index("<svg") :]
    assert "<span" not in chart
    assert '<text x="1">รอบ ๖ เดือน</text>' in chart
    assert '<text x="2">กลุ่มที่ ๒</text>' in chart
    assert converted.startswith('<p><span class="nobr">รอบ ๖ เดือน</span></p>')


def test_admin_lists_book_sections_and_indicator_results(admin_client, book):
    for name in ("booksection", "indicatorresult"):
        response = admin_client.get(reverse(f"admin:reports_{name}_changelist"))
        assert response.status_code == 200


# ------------------------------------------------------------------ photos


@pytest.fixture
def photo_report(book, settings, tmp_path):
    """P1's 12-month report with a captioned photo and a PDF document."""
    from django.core.files.base import ContentFile
    from PIL import Image

    from progress.models import Evidence, ProgressReport

    settings.MEDIA_ROOT = str(tmp_path)
    image = io.BytesIO()
    Image.new("RGB", (320, 200), (30, 110, 60)).save(image, "PNG")
    report = ProgressReport.objects.get(project=book.p1, round=book.round4)
    photo = Evidence(report=report, kind="photo", caption="ครูร่วมอบรมการอ่าน")
    photo.file.save("photo.png", ContentFile(image.getvalue()), save=True)
    document = Evidence(report=report, kind="pdf", caption="รายงานการประชุม")
    document.file.save("minutes.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=True)
    return photo


@pytest.mark.pdf
def test_annual_report_prints_activity_photos_with_captions(
    client, viewer, book, photo_report
):
    data = annual_document(book.plan)
    p1 = next(row for row in data["projects"] if row["id"] == book.p1.pk)
    assert p1["photos"] == [
        {
            "url": reverse("progress:evidence_file", args=[photo_report.pk]),
            "caption": "ครูร่วมอบรมการอ่าน",
        }
    ]  # photos only, not the PDF document
    client.force_login(viewer)

    response = client.get(reverse("reports:annual_report_pdf", args=[book.plan.pk]))

    reader = PdfReader(io.BytesIO(response.content))
    images = {image.data: image for page in reader.pages for image in page.images}
    assert len(images) == 1  # one picture (pages may share its object)
    assert next(iter(images.values())).image.size == (320, 200)
    text = flat(pdftotext(response.content, layout=False))
    assert flat(normalise("ครูร่วมอบรมการอ่าน")) in text


def test_pdf_fetcher_reads_photos_only(photo_report):
    from progress.models import Evidence
    from reports.pdf import StaticOnlyURLFetcher

    fetcher = StaticOnlyURLFetcher()
    fetched = fetcher.fetch(f"file:///progress/evidence/{photo_report.pk}/")
    assert fetched.read().startswith(b"\x89PNG")
    document = Evidence.objects.get(kind="pdf")
    for url in (
        f"file:///progress/evidence/{document.pk}/",
        "file:///progress/evidence/999999/",
    ):
        with pytest.raises(ValueError, match="ไม่อนุญาต"):
            fetcher.fetch(url)
