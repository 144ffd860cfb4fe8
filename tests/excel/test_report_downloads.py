""" "ดาวน์โหลด Excel" on the report and list pages: the same rows and figures as
the HTML page, with its filters, permissions and office."""

import datetime
import re
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.roles import Role
from core.thai import format_baht
from core.xlsx import ABOUT_SHEET, MONEY_FORMAT, PERCENT_FORMAT, XLSX_TYPE
from reports.selectors import data_as_of
from tests.excel.conftest import OURS, THEIRS
from tests.excel.test_admin_export import _more
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

#: xlsx URL name → its HTML twin (arguments name attributes of ``crafted``).
DOWNLOADS = {
    "reports:budget_report_xlsx": ("reports:budget_report", ()),
    "reports:kpi_report_xlsx": ("reports:kpi_report", ()),
    "reports:progress_report_xlsx": ("reports:progress_report", ("round1",)),
    "budgets:summary_xlsx": ("budgets:summary", ()),
    "budgets:disbursement_xlsx": ("budgets:disbursement", ()),
    "progress:board_xlsx": ("progress:board", ()),
    "projects:list_xlsx": ("projects:list", ()),
}


#: Downloads whose page shows counts and results but no baht figure.
WITHOUT_MONEY = {"reports:kpi_report_xlsx", "progress:board_xlsx"}


def as_cell(day: datetime.date) -> datetime.datetime:
    """What openpyxl reads back from the date cell of ``day``."""
    return datetime.datetime.combine(day, datetime.time())


def kpi_actual(book):
    return rows(book["ตัวชี้วัดโครงการ"])[0]["ผลการดำเนินงาน"]


def url(crafted, name: str, args=()) -> str:
    return reverse(name, args=[getattr(crafted, arg).pk for arg in args])


def download(client, crafted, name: str, **query):
    _, args = DOWNLOADS[name]
    response = client.get(url(crafted, name, args), query)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    return load_workbook(BytesIO(response.content))


def rows(sheet) -> list[dict]:
    headers = [cell.value for cell in sheet[1]]
    return [
        dict(zip(headers, values, strict=True))
        for values in sheet.iter_rows(min_row=2, values_only=True)
    ]


def about(book) -> dict:
    return {row["รายการ"]: row["ข้อมูล"] for row in rows(book[ABOUT_SHEET])}


def texts(book) -> str:
    return " ".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
    )


def by(sheet, key: str) -> dict:
    return {row[key]: row for row in rows(sheet)}


# ------------------------------------------------------------------ every download


@pytest.mark.parametrize("name", DOWNLOADS)
def test_every_sheet_is_thai_frozen_and_numeric(client, planner, crafted, name):
    client.force_login(planner)
    book = download(client, crafted, name, round=crafted.round1.pk)
    assert book.active.title == book.sheetnames[0] != ABOUT_SHEET
    assert book.sheetnames[-1] == ABOUT_SHEET
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet["A1"].font.bold
        assert all(
            cell.value and any("\u0e00" <= ch <= "\u0e7f" for ch in cell.value)
            for cell in sheet[1]
        ), sheet.title
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if cell.number_format in (MONEY_FORMAT, PERCENT_FORMAT):
                    assert cell.value is None or cell.data_type == "n"
    money = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if cell.number_format == MONEY_FORMAT and cell.value
    ]
    assert bool(money) == (name not in WITHOUT_MONEY), "baht figures as numbers"
    assert THEIRS not in texts(book) and "Z-001" not in texts(book)


@pytest.mark.parametrize("name", DOWNLOADS)
def test_page_links_to_its_download(client, planner, crafted, name):
    client.force_login(planner)
    page, args = DOWNLOADS[name]
    response = client.get(url(crafted, page, args))
    assert response.status_code == 200
    content = response.content.decode()
    assert "ดาวน์โหลด Excel" in content
    assert f'href="{url(crafted, name, args)}' in content


@pytest.mark.parametrize("name", DOWNLOADS)
def test_downloads_do_not_query_per_project(client, planner, crafted, name):
    client.force_login(planner)
    target = url(crafted, name, DOWNLOADS[name][1])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(target).status_code == 200
        return len(captured)

    before = count()
    _more(crafted, 5)
    assert count() == before


# ------------------------------------------------------------------ permissions


@pytest.mark.parametrize("name", DOWNLOADS)
def test_refused_like_the_page(client, crafted, name):
    page, args = DOWNLOADS[name]
    response = client.get(url(crafted, name, args))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(UserFactory(roles=[Role.PLANNER]))  # no office
    refused = client.get(url(crafted, page, args)).status_code
    assert refused in (403, 404)
    assert client.get(url(crafted, name, args)).status_code == refused


def test_board_download_is_for_board_readers(client, officer, head_a, viewer, crafted):
    for user in (officer, head_a):
        client.force_login(user)
        assert client.get(reverse("progress:board")).status_code == 403
        assert client.get(reverse("progress:board_xlsx")).status_code == 403
    client.force_login(viewer)
    assert client.get(reverse("progress:board_xlsx")).status_code == 200


def test_another_office_round_is_not_found(client, outsider, crafted):
    client.force_login(outsider)
    ours = url(crafted, "reports:progress_report_xlsx", ("round1",))
    assert client.get(ours).status_code == 404
    theirs = url(crafted, "reports:progress_report_xlsx", ("their_round",))
    book = load_workbook(BytesIO(client.get(theirs).content))
    assert THEIRS in texts(book) and OURS not in texts(book)


@pytest.mark.parametrize("name", [n for n in DOWNLOADS if "progress_report" not in n])
def test_other_office_downloads_its_own_figures(client, outsider, crafted, name):
    client.force_login(outsider)
    book = download(client, crafted, name)
    assert OURS not in texts(book) and "X-001" not in texts(book)
    assert "15,000.75" not in texts(book) and 15000.75 not in _numbers(book)


def _numbers(book) -> set:
    return {
        value
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, int | float)
    }


# ------------------------------------------------------------------ figures


def test_budget_report_figures(client, planner, crafted):
    client.force_login(planner)
    book = download(client, crafted, "reports:budget_report_xlsx")
    sheet = book["โครงการตามเงื่อนไข"]
    assert [cell.value for cell in sheet[1]] == [
        "ที่",
        "รหัสโครงการ",
        "โครงการ",
        "กลุ่ม",
        "งบประมาณ",
        "ไตรมาส 1",
        "ไตรมาส 2",
        "ไตรมาส 3",
        "ไตรมาส 4",
        "เบิกจ่าย",
        "คงเหลือ",
    ]
    projects = rows(sheet)
    assert [row["รหัสโครงการ"] for row in projects] == ["X-001", "X-002", "X-003", None]
    first, total = projects[0], projects[-1]
    assert (first["งบประมาณ"], first["ไตรมาส 1"], first["ไตรมาส 2"]) == (
        15000.75,
        10000,
        5000.75,
    )
    assert (first["เบิกจ่าย"], first["คงเหลือ"]) == (4000.25, 11000.50)
    assert total["โครงการ"] == "รวม" and sheet.cell(sheet.max_row, 3).font.bold
    assert (total["งบประมาณ"], total["ไตรมาส 2"], total["เบิกจ่าย"]) == (
        35000.75,
        25000.75,
        5500.25,
    )
    assert total["คงเหลือ"] == 29500.50
    assert sheet["E2"].data_type == "n" and sheet["E2"].number_format == MONEY_FORMAT
    sources = rows(book["แหล่งงบประมาณ"])
    assert sources[-1] == {
        "แหล่งงบประมาณ": "รวมทั้งสิ้น",
        "ได้รับจัดสรร": 100000,
        "ค่าใช้จ่ายดำเนินงานของสำนักงาน": 0,
        "งบประมาณโครงการ": 35000.75,
        "คงเหลือยังไม่จัดสรร": 64999.25,
        "หมายเหตุ": None,
    }
    assert about(book)["ร้อยละการเบิกจ่าย"] == 15.71  # 5,500.25 / 35,000.75
    # the HTML page prints the same totals
    html = client.get(reverse("reports:budget_report"), {"digits": "arabic"})
    html = html.content.decode()
    for figure in (35000.75, 25000.75, 5500.25, 29500.50, 64999.25):
        assert format_baht(figure) in html


def test_budget_report_filters_from_the_query_string(client, planner, group_b, crafted):
    client.force_login(planner)
    book = download(client, crafted, "reports:budget_report_xlsx", group=group_b.pk)
    projects = rows(book["โครงการตามเงื่อนไข"])
    assert [row["รหัสโครงการ"] for row in projects] == ["X-002", None]
    assert projects[-1]["งบประมาณ"] == 20000
    assert about(book)["เงื่อนไข"] == f"กลุ่ม: {group_b.name}"
    # the office summary is not filtered, on the page either
    assert rows(book["แหล่งงบประมาณ"])[-1]["งบประมาณโครงการ"] == 35000.75
    page = client.get(reverse("reports:budget_report"), {"group": group_b.pk})
    link = f"{reverse('reports:budget_report_xlsx')}?group={group_b.pk}"
    assert link in page.content.decode()


def test_budget_summary_matches_the_page(client, planner, crafted):
    client.force_login(planner)
    summary = client.get(reverse("budgets:summary")).context["summary"]
    book = download(client, crafted, "budgets:summary_xlsx")
    groups = by(book["กลุ่ม"], "กลุ่ม")
    for row in summary.groups:
        assert groups[row.name]["งบประมาณโครงการ"] == float(row.total_budget)
        assert groups[row.name]["เบิกจ่ายแล้ว"] == float(row.disbursed)
    assert groups["รวม"]["จำนวนโครงการ"] == summary.totals["project_count"] == 3
    projects = by(book["รายโครงการ"], "รหัสโครงการ")
    assert projects["X-003"]["งบประมาณ"] is None
    assert projects["X-003"]["หมายเหตุ"] == "ไม่ใช้งบประมาณ"
    assert projects[None]["คงเหลือ"] == float(summary.balance) == 29500.50
    quarters = rows(book["รายไตรมาส"])
    assert [row["แผนการใช้จ่าย"] for row in quarters] == [10000, 25000.75, 0, 0, 35000.75]
    assert quarters[0]["เบิกจ่ายสะสม (ร้อยละของงบโครงการ)"] == 15.71
    assert book["รายไตรมาส"]["F2"].number_format == PERCENT_FORMAT
    strategies = by(book["กลยุทธ์"], "กลยุทธ์")
    assert strategies["ไม่ระบุกลยุทธ์"]["งบประมาณโครงการ"] == 20000
    categories = by(book["หมวดรายจ่าย"], "หมวดรายจ่าย")
    assert categories["ค่าใช้สอย"]["รวม"] == 32000.50
    assert categories["รวมทั้งสิ้น"]["รวม"] == 35000.75


def test_budget_summary_year_from_the_query_string(client, planner, crafted):
    client.force_login(planner)
    book = download(
        client, crafted, "budgets:summary_xlsx", fiscal_year=crafted.fiscal_year - 1
    )
    assert rows(book["รายโครงการ"]) == [
        {
            "ที่": None,
            "รหัสโครงการ": None,
            "โครงการ": "รวม",
            "กลุ่ม": None,
            "งบประมาณ": 0,
            "ไตรมาส 1": 0,
            "ไตรมาส 2": 0,
            "ไตรมาส 3": 0,
            "ไตรมาส 4": 0,
            "เบิกจ่ายแล้ว": 0,
            "คงเหลือ": 0,
            "หมายเหตุ": None,
        }
    ]


def test_disbursement_progress_figures(client, planner, crafted):
    client.force_login(planner)
    book = download(client, crafted, "budgets:disbursement_xlsx")
    projects = by(book["รายโครงการ"], "รหัสโครงการ")
    assert set(projects) == {"X-001", "X-002", None}  # budget users only
    assert projects["X-001"]["ร้อยละการเบิกจ่าย"] == 26.67  # 4,000.25 / 15,000.75
    assert projects[None]["เบิกจ่ายแล้ว"] == 5500.25
    assert about(book)["คงเหลือ (บาท)"] == 29500.50


def test_kpi_report_figures(client, planner, crafted):
    client.force_login(planner)
    book = download(client, crafted, "reports:kpi_report_xlsx")
    (indicator,) = rows(book["ตัวชี้วัดกลยุทธ์"])
    assert indicator["ตัวชี้วัดที่"] == "1.1"
    assert (indicator["ผลการดำเนินงาน"], indicator["ผลการประเมิน"]) == ("85", "บรรลุ")
    assert kpi_actual(book) == 85  # a number, not the text "85"
    (kpi,) = rows(book["ตัวชี้วัดโครงการ"])
    assert kpi["โครงการ"] == OURS
    assert kpi["ค่าเป้าหมาย"] == "ไม่น้อยกว่าร้อยละ 80"
    assert kpi["ผลการประเมิน"] == "บรรลุ"
    info = about(book)
    # the round's end once it is over, else its data so far (issue 16 item 8)
    as_of = data_as_of(
        crafted.plan.organization, crafted.fiscal_year, reporting_round=crafted.round1
    )
    assert as_of <= crafted.round1.period_end
    assert info["ข้อมูล ณ วันที่"] == as_cell(as_of)
    assert (info["ตัวชี้วัดโครงการทั้งหมด"], info["ร้อยละตัวชี้วัดโครงการที่บรรลุ"]) == (
        1,
        100,
    )
    html = client.get(reverse("reports:kpi_report"), {"digits": "arabic"})
    html = html.content.decode()
    assert "บรรลุ 1 จาก 1 ตัวชี้วัด" in html


def test_progress_report_figures(client, planner, crafted):
    client.force_login(planner)
    book = download(client, crafted, "reports:progress_report_xlsx")
    projects = by(book["ผลรายโครงการ"], "โครงการ")
    first = projects[OURS]
    assert first["สถานะ"] == "อยู่ระหว่างดำเนินการ"
    assert first["ความก้าวหน้า (ร้อยละ)"] == 40
    assert (first["งบประมาณ"], first["เบิกจ่ายแล้ว"], first["คงเหลือ"]) == (
        15000.75,
        4000.25,
        11000.50,
    )
    assert first["ร้อยละการเบิกจ่าย"] == 26.67
    assert projects["โครงการพัฒนาบุคลากร"]["สถานะ"] == "ยังไม่รายงาน"
    assert "โครงการนิเทศออนไลน์" not in projects  # a draft is not reported on
    statuses = by(book["สรุปสถานะ"], "สถานะการดำเนินงาน")
    assert statuses["รวม"]["จำนวนโครงการ"] == 2
    assert statuses["ยังไม่รายงาน"]["ร้อยละ"] == 50
    (activity,) = rows(book["ผลรายกิจกรรม"])
    done_on = crafted.q1_start + datetime.timedelta(days=15)
    assert activity["วันที่"] == as_cell(done_on)
    (quarter,) = rows(book["การเบิกจ่ายรายไตรมาส"])
    assert quarter["เบิกจ่ายสะสม"] == 5500.25
    html = client.get(
        reverse("reports:progress_report", args=[crafted.round1.pk]),
        {"digits": "arabic"},
    ).content.decode()
    # The page's text (an amount and its unit are kept on one line by markup).
    text = re.sub(r"<[^>]+>", "", html)
    assert "เบิกจ่ายแล้ว 5,500.25 บาท" in text
    assert "เบิกจ่ายแล้ว 4,000.25 บาท" in text


def test_board_figures_for_the_chosen_round(client, planner, crafted):
    client.force_login(planner)
    book = download(client, crafted, "progress:board_xlsx", round=crafted.round1.pk)
    groups = by(book["สรุปรายกลุ่ม"], "กลุ่ม")
    assert groups["รวมทั้งสำนักงาน"]["รวม"] == 2
    assert groups["รวมทั้งสำนักงาน"]["ส่งแล้ว รอตรวจ"] == 1
    assert groups["รวมทั้งสำนักงาน"]["ส่งแล้ว (ร้อยละ)"] == 50
    assert groups["กลุ่มส่งเสริมการจัดการศึกษา"]["ส่งแล้ว (ร้อยละ)"] == 100
    projects = by(book["รายโครงการ"], "รหัสโครงการ")
    assert projects["X-001"]["สถานะรายงาน"] == "ส่งแล้ว รอตรวจ"
    assert projects["X-002"]["สถานะรายงาน"] == "ยังไม่รายงาน"
    info = about(book)
    assert info["กำหนดส่ง"] == as_cell(crafted.round1.due_date)
    board = client.get(reverse("progress:board"), {"round": crafted.round1.pk})
    tally = board.context["board"].tally
    assert (tally.total, tally.done) == (2, 1)


def test_board_without_a_round(client, planner, crafted):
    crafted.report.delete()
    crafted.round1.delete()
    client.force_login(planner)
    book = download(client, crafted, "progress:board_xlsx")
    assert rows(book["รายโครงการ"]) == []
    assert about(book)["รอบการรายงาน"] == "ยังไม่มีรอบการรายงานของปีงบประมาณนี้"


def test_project_list_matches_the_page_and_its_filters(client, planner, crafted):
    client.force_login(planner)
    page = client.get(reverse("projects:list"))
    book = download(client, crafted, "projects:list_xlsx")
    projects = by(book["โครงการ"], "รหัสโครงการ")
    for project in page.context["projects"]:
        row = projects[project.code]
        assert row["โครงการ"] == project.name
        assert row["กิจกรรม"] == project.n_activities
        if project.uses_budget:
            assert row["งบประมาณ (บาท)"] == float(project.total_budget)
    assert projects["X-001"]["งบประมาณ (บาท)"] == 15000.75
    assert projects["X-003"]["งบประมาณ (บาท)"] is None
    assert projects["X-003"]["หมายเหตุ"] == "ไม่ใช้งบประมาณ"
    assert about(book)["สถานะอนุมัติ"] == 2
    query = {"fiscal_year": crafted.fiscal_year, "status": "draft"}
    book = download(client, crafted, "projects:list_xlsx", **query)
    assert list(by(book["โครงการ"], "รหัสโครงการ")) == ["X-003"]
    assert about(book)["เงื่อนไข"] == "สถานะ: ร่าง"
    page = client.get(reverse("projects:list"), query).content.decode()
    assert (
        f"{reverse('projects:list_xlsx')}?fiscal_year={crafted.fiscal_year}"
        "&amp;status=draft" in page
    )
