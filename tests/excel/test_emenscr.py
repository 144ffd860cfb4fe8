"""The eMENSCR workbook (issue 21 item 3): one sheet per eMENSCR entry screen,
the projects missing a required link listed first."""

from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core import xlsx
from excel import emenscr
from plans.models import PolicyItem
from projects.models import Objective, Project
from tests.factories import ActivityFactory, ProjectFactory, ProjectKPIFactory

pytestmark = pytest.mark.django_db

SEED = "000"  # the workbook the ``seed_plan`` fixture imports


def book_of(plan):
    return load_workbook(BytesIO(xlsx.to_bytes(emenscr.emenscr_workbook(plan))))


def rows(book, key: str) -> list[dict]:
    """A sheet's rows as dicts by header."""
    worksheet = book[emenscr.SHEETS[key].name]
    values = list(worksheet.iter_rows(values_only=True))
    headers = values[0]
    return [dict(zip(headers, row, strict=True)) for row in values[1:]]


def by_code(book, key: str) -> dict[str, dict]:
    return {row["รหัสโครงการ"]: row for row in rows(book, key)}


def _policy(kind: str, code: str) -> PolicyItem:
    return PolicyItem.objects.get(kind=kind, code=code)


@pytest.fixture
def linked(crafted):
    """X-001 linked to sub-plan 12.1 (so to master plan 12 and strategy 3),
    with an objective and a period: nothing missing. X-002 and X-003 keep
    their gaps."""
    crafted.first.policy_items.set([_policy("master_plan", "12.1")])
    Objective.objects.create(project=crafted.first, order=1, text="เพื่ออ่านคล่อง")
    return crafted


def test_sheets_follow_the_entry_screens_check_first(linked):
    book = book_of(linked.plan)
    assert book.sheetnames == [
        "ตรวจก่อนกรอก",
        "1 ข้อมูลทั่วไป",
        "2 ความสอดคล้อง",
        "3 วัตถุประสงค์และตัวชี้วัด",
        "4 กิจกรรม",
        "5 แผนการใช้จ่ายงบประมาณ",
        "6 รายงานผลการดำเนินงาน",
        xlsx.ABOUT_SHEET,
    ]
    assert all(len(name) <= 31 for name in book.sheetnames)


def test_projects_missing_a_required_link_are_listed_first(linked):
    check = rows(book_of(linked.plan), "check")
    assert [row["รหัสโครงการ"] for row in check] == ["X-002", "X-003", "X-001"]
    missing = {row["รหัสโครงการ"]: row["สิ่งที่ต้องเพิ่มก่อนกรอก eMENSCR"] for row in check}
    assert missing["X-001"] == emenscr.READY
    for gap in (
        emenscr.MISSING_NATIONAL_STRATEGY,
        emenscr.MISSING_MASTER_PLAN,
        emenscr.MISSING_SUB_PLAN,
        emenscr.MISSING_KPI_TARGET,
    ):
        assert gap in missing["X-002"]
    assert emenscr.MISSING_ACTIVITY in missing["X-003"]


def test_the_chain_is_read_up_from_the_deepest_link(linked):
    row = by_code(book_of(linked.plan), "alignment")["X-001"]
    assert row["ยุทธศาสตร์ชาติ (ด้าน)"] == ("3 ด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์")
    assert row["แผนแม่บทภายใต้ยุทธศาสตร์ชาติ (ประเด็น)"] == "12 ประเด็นการพัฒนาการเรียนรู้"
    assert row["แผนย่อยของแผนแม่บท"].startswith("12.1 แผนย่อยการปฏิรูปกระบวนการเรียนรู้")
    assert row["กลยุทธ์ของสำนักงาน"] == "กลยุทธ์ที่ 1 พัฒนาคุณภาพผู้เรียน"


def test_a_strategy_link_counts_for_its_projects(crafted):
    """The office links most projects through their strategy."""
    crafted.first.strategies.get().policy_items.set(
        [_policy("master_plan", "11.3"), _policy("obec_strategy", "(๒)")]
    )
    row = by_code(book_of(crafted.plan), "alignment")["X-001"]
    assert row["แผนย่อยของแผนแม่บท"] == "11.3 แผนย่อยการพัฒนาช่วงวัยเรียน/วัยรุ่น"
    assert row["นโยบาย/แผนระดับ 3"] == "(๒) พัฒนาคุณภาพผู้เรียน"


def test_money_quarters_and_results_are_the_rollups_hand_known_values(linked):
    book = book_of(linked.plan)
    general = by_code(book, "general")["X-001"]
    assert general["งบประมาณ (บาท)"] == pytest.approx(15000.75)
    assert general["ปีงบประมาณ"] == linked.fiscal_year
    assert general["สถานะการดำเนินงาน"] == "อยู่ระหว่างดำเนินการ"
    spending = by_code(book, "spending")
    assert spending["X-001"]["ไตรมาส 1 (บาท)"] == pytest.approx(10000.00)
    assert spending["X-001"]["ไตรมาส 2 (บาท)"] == pytest.approx(5000.75)
    assert spending["X-002"]["ไตรมาส 2 (บาท)"] == pytest.approx(20000.00)
    assert spending["X-003"]["งบประมาณทั้งสิ้น (บาท)"] == 0
    (result,) = rows(book, "results")
    assert result["รหัสโครงการ"] == "X-001"
    assert result["รอบการรายงาน"] == "รอบ 3 เดือน"
    assert result["ร้อยละความก้าวหน้า"] == pytest.approx(40)
    assert result["แผนการใช้จ่ายสะสม (บาท)"] == pytest.approx(10000.00)
    assert result["ผลการใช้จ่ายสะสม (บาท)"] == pytest.approx(4000.25)
    assert "(บรรลุ)" in result["ผลตามตัวชี้วัด"]
    activities = rows(book, "activities")
    assert [(a["รหัสโครงการ"], a["ชื่อกิจกรรม"]) for a in activities] == [
        ("X-001", "อบรมครู"),
        ("X-002", "ประชุมบุคลากร"),
    ]
    assert activities[0]["งบประมาณ (บาท)"] == pytest.approx(15000.75)


def test_baht_are_numbers_with_two_decimals_and_dates_are_be_date_cells(linked):
    book = book_of(linked.plan)
    sheet = book[emenscr.SHEETS["general"].name]
    headers = [cell.value for cell in sheet[1]]
    money = sheet.cell(2, headers.index("งบประมาณ (บาท)") + 1)
    assert money.data_type == "n" and money.number_format == xlsx.MONEY_FORMAT
    start = sheet.cell(2, headers.index("วันเริ่มต้น") + 1)
    if start.value is not None:
        assert start.number_format == xlsx.DATE_FORMAT


def test_kpi_targets_and_units_are_listed_per_item(linked):
    items = [
        r
        for r in rows(book_of(linked.plan), "objectives")
        if r["รหัสโครงการ"] == "X-001"
    ]
    kinds = [r["หัวข้อ"] for r in items]
    assert kinds[0] == "วัตถุประสงค์"
    kpi = next(r for r in items if r["หัวข้อ"] == "ตัวชี้วัด")
    assert kpi["ค่าเป้าหมาย"] == 80
    assert kpi["หน่วยนับ"] == "ร้อยละ"
    assert kpi["ค่าเป้าหมาย (ข้อความ)"] == "ไม่น้อยกว่าร้อยละ 80"


def test_another_offices_project_is_never_in_the_book(linked):
    texts = {
        cell.value
        for sheet in book_of(linked.plan).worksheets
        for row in sheet.iter_rows()
        for cell in row
    }
    assert "Z-001" not in texts


def test_the_seed_000_plan_lists_its_sixteen_projects(seed_plan):
    book = book_of(seed_plan)
    general = by_code(book, "general")
    assert len(general) == 16
    assert general["2.5"]["งบประมาณ (บาท)"] == pytest.approx(100000)
    assert general["2.1"]["วันเริ่มต้น"] is None  # the source prints no period
    check = rows(book, "check")
    assert len(check) == 16
    gaps = {row["รหัสโครงการ"]: row["สิ่งที่ต้องเพิ่มก่อนกรอก eMENSCR"] for row in check}
    assert emenscr.MISSING_PERIOD in gaps["2.1"]
    # seed 000 links its projects to the OBEC strategy only, not to the
    # national chain eMENSCR requires: every project is listed to be fixed.
    assert all(emenscr.MISSING_SUB_PLAN in gap for gap in gaps.values())
    alignment = by_code(book, "alignment")
    assert alignment["2.1"]["นโยบาย/แผนระดับ 3"] == "(๒) พัฒนาคุณภาพผู้เรียน"
    first_activity = rows(book, "activities")[0]
    assert (first_activity["รหัสโครงการ"], first_activity["ชื่อกิจกรรม"]) == (
        "2.1",
        "ประชุมคณะกรรมการดำเนินงาน",
    )


# ------------------------------------------------------------------ the page


def test_the_page_serves_the_workbook_to_the_office(client, viewer, linked):
    client.force_login(viewer)
    response = client.get(reverse("excel:emenscr_xlsx", args=[linked.plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == xlsx.XLSX_TYPE
    assert (
        "eMENSCR"
        in load_workbook(BytesIO(response.content))[xlsx.ABOUT_SHEET]["B2"].value
    )


def test_another_offices_user_is_refused(client, outsider, linked):
    client.force_login(outsider)
    response = client.get(reverse("excel:emenscr_xlsx", args=[linked.plan.pk]))
    assert response.status_code == 403
    assert response["Content-Type"] != xlsx.XLSX_TYPE


def test_an_unknown_plan_is_not_found_not_an_error(client, viewer, linked):
    client.force_login(viewer)
    response = client.get(reverse("excel:emenscr_xlsx", args=[999999]))
    assert response.status_code == 404


def test_the_excel_page_links_the_download(client, viewer, linked):
    client.force_login(viewer)
    response = client.get(reverse("excel:index"))
    assert reverse("excel:emenscr_xlsx", args=[linked.plan.pk]) in response.text


def _add_projects(plan, group, count: int) -> None:
    for n in range(count):
        project = ProjectFactory(plan=plan, group=group, code=f"N-{n}")
        ActivityFactory(project=project, order=1)
        ProjectKPIFactory(project=project, order=1)


def test_query_count_does_not_grow_with_projects(
    client, viewer, linked, group_a, django_assert_num_queries
):
    url = reverse("excel:emenscr_xlsx", args=[linked.plan.pk])
    client.force_login(viewer)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    _add_projects(linked.plan, group_a, 5)
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert len(rows(load_workbook(BytesIO(response.content)), "general")) == 8


# ------------------------------------------------------------------ the command


def test_the_command_writes_the_workbook(tmp_path, linked):
    output = tmp_path / "emenscr.xlsx"
    stdout = StringIO()
    call_command(
        "export_emenscr",
        "--office",
        linked.plan.organization.short_name,
        "--fiscal-year",
        str(linked.fiscal_year),
        "--output",
        str(output),
        stdout=stdout,
    )
    book = load_workbook(output)
    assert book.sheetnames[0] == emenscr.CHECK_SHEET
    assert set(by_code(book, "general")) == {"X-001", "X-002", "X-003"}
    assert Project.objects.filter(plan=linked.plan).count() == 3


def test_the_command_refuses_a_year_without_a_plan_in_thai(tmp_path, linked):
    with pytest.raises(CommandError, match="ไม่พบแผนปีงบประมาณ 2400"):
        call_command(
            "export_emenscr",
            "--office",
            linked.plan.organization.short_name,
            "--fiscal-year",
            "2400",
            "--output",
            str(tmp_path / "x.xlsx"),
        )


def test_the_committed_demo_sample_is_an_emenscr_workbook():
    sample = Path(__file__).resolve().parents[2] / "docs/samples/emenscr-demo-2569.xlsx"
    book = load_workbook(sample)
    assert book.sheetnames[0] == emenscr.CHECK_SHEET
    assert book.sheetnames == [sheet.name for sheet in emenscr.SHEETS.values()] + [
        xlsx.ABOUT_SHEET
    ]
    assert len(rows(book, "general")) > 0


def test_a_development_plan_milestone_fills_the_nesdp_column(linked):
    """The หมุดหมาย ship as their own kind (plans 0012); eMENSCR's screen 2
    asks for them beside the master plan."""
    milestone = _policy("development_plan", "หมุดหมายที่ 12")
    linked.first.policy_items.add(milestone)
    linked.second.policy_items.add(milestone)
    book = book_of(linked.plan)
    alignment = by_code(book, "alignment")
    column = "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ ฉบับที่ 13 (หมุดหมาย)"
    expected = (
        "หมุดหมายที่ 12 ไทยมีกำลังคนสมรรถนะสูง มุ่งเรียนรู้อย่างต่อเนื่อง ตอบโจทย์การพัฒนาแห่งอนาคต"
    )
    assert alignment["X-001"][column] == expected
    assert alignment["X-002"][column] == expected
    assert alignment["X-003"][column] in (None, "")
    # the milestone is not read as any other level
    assert "หมุดหมาย" not in (alignment["X-001"]["นโยบาย/แผนระดับ 3"] or "")
    missing = {
        row["รหัสโครงการ"]: row["สิ่งที่ต้องเพิ่มก่อนกรอก eMENSCR"]
        for row in rows(book, "check")
    }
    assert missing["X-001"] == emenscr.READY
    # a milestone is not a national-strategy link
    assert emenscr.MISSING_NATIONAL_STRATEGY in missing["X-002"]
