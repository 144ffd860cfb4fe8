"""The Excel screens through the test client, with permissions."""

import datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from excel import layout, workbook
from excel.uploads import SESSION_KEY
from projects.models import Project
from tests.excel.conftest import FISCAL_YEAR, exported, set_cell, workbook_bytes

pytestmark = pytest.mark.django_db


def _upload(client, book, fiscal_year=FISCAL_YEAR, url="excel:import_plan"):
    data = workbook_bytes(book)
    data.name = "แผน.xlsx"
    return client.post(reverse(url), {"fiscal_year": fiscal_year, "file": data})


def test_planner_uploads_previews_and_confirms(client, planner, full_plan):
    client.force_login(planner)
    book = exported(full_plan)
    set_cell(book, layout.PROJECTS, 2, "name", "ชื่อที่แก้ใน Excel")
    # upload → redirect to the preview
    response = _upload(client, book)
    assert response.status_code == 302
    preview_url = response["Location"]
    # preview: one project changed, nothing saved yet
    response = client.get(preview_url)
    assert response.status_code == 200
    counts = {c.sheet: c for c in response.context["result"].counts}
    assert (counts["โครงการ"].updated, counts["โครงการ"].unchanged) == (1, 1)
    assert "ยืนยันการนำเข้า" in response.content.decode()
    assert Project.objects.get(code="69-001").name != "ชื่อที่แก้ใน Excel"
    # confirm: saved, the stored file forgotten
    response = client.post(preview_url, follow=True)
    assert response.status_code == 200
    assert "นำเข้าไฟล์ แผน.xlsx เรียบร้อยแล้ว" in response.content.decode()
    assert Project.objects.get(code="69-001").name == "ชื่อที่แก้ใน Excel"
    assert client.session[SESSION_KEY] == {}
    assert client.post(preview_url, follow=True).status_code == 404


def test_preview_lists_every_error_and_confirm_saves_nothing(
    client, planner, full_plan
):
    client.force_login(planner)
    book = exported(full_plan)
    set_cell(book, layout.COST_LINES, 2, "rate", "ไม่ทราบ")
    set_cell(book, layout.PROJECTS, 2, "group", "กลุ่มที่ไม่มี")
    preview_url = _upload(client, book)["Location"]
    response = client.get(preview_url)
    text = response.content.decode()
    assert "พบข้อผิดพลาด 2 รายการ" in text
    assert (
        "ชีต &#x27;รายการค่าใช้จ่าย&#x27; แถว 2 คอลัมน์ &#x27;อัตรา (บาท)&#x27;: "
        "“ไม่ทราบ” ไม่ใช่จำนวนเงิน ให้พิมพ์เช่น" in text
    )
    assert "ยืนยันการนำเข้า" not in text
    client.post(preview_url, follow=True)
    assert Project.objects.get(code="69-001").group.name != "กลุ่มที่ไม่มี"


def test_upload_refuses_a_file_that_is_not_xlsx_in_the_form(client, planner, office):
    client.force_login(planner)
    from io import BytesIO

    data = BytesIO(b"code,name\n")
    data.name = "plan.csv"
    response = client.post(
        reverse("excel:import_plan"), {"fiscal_year": 2570, "file": data}
    )
    assert response.status_code == 200
    assert workbook.ERROR_NOT_XLSX in response.context["form"].errors["file"]


@pytest.mark.parametrize("who", ["head_a", "head_b", "viewer", "officer"])
def test_others_may_not_import_a_plan(client, request, full_plan, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("excel:import_plan")).status_code == 403
    response = _upload(client, exported(full_plan))
    assert response.status_code == 403
    assert not client.session.get(SESSION_KEY)


def test_an_outsider_imports_only_into_their_own_office(client, outsider, full_plan):
    client.force_login(outsider)
    book = exported(full_plan)
    set_cell(book, layout.PROJECTS, 2, "name", "แก้โดยคนนอก")
    preview_url = _upload(client, book)["Location"]
    response = client.post(preview_url, follow=True)
    # their office has none of our groups: refused there, ours untouched
    assert "ไม่พบกลุ่ม" in response.content.decode()
    assert Project.objects.get(code="69-001").name != "แก้โดยคนนอก"


def test_anonymous_is_sent_to_login(client):
    for name in (
        "excel:index",
        "excel:import_plan",
        "excel:template",
        "excel:export_plan",
    ):
        response = client.get(reverse(name))
        assert (
            response.status_code == 302 and "/accounts/login/" in response["Location"]
        )


def test_a_token_of_another_session_is_not_found(client, planner, full_plan, viewer):
    client.force_login(planner)
    preview_url = _upload(client, exported(full_plan))["Location"]
    client.force_login(viewer)
    assert client.get(preview_url).status_code == 404


def test_template_download_opens_with_instructions_and_examples(
    client, planner, reference
):
    client.force_login(planner)
    response = client.get(reverse("excel:template"), {"fiscal_year": 2570})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(workbook_bytes_of(response))
    assert book.sheetnames[0] == "คำอธิบาย"
    assert [s.name for s in layout.DATA_SHEETS] == book.sheetnames[1:9]
    assert "แบบฟอร์มนำเข้าแผนปฏิบัติการประจำปี" in book["คำอธิบาย"]["A1"].value
    projects = book["โครงการ"]
    assert [c.value for c in projects[1]] == layout.PROJECTS.headers
    assert projects.cell(2, 1).value == "ตัวอย่าง-01"
    assert projects.cell(2, 7).value == datetime.datetime(2026, 10, 1)  # ต.ค. 2569
    assert "ค่าใช้สอย" in [c.value for c in book["รหัสอ้างอิง"]["D"]]


def test_the_template_imports_cleanly(client, planner, office, group_a, reference):
    from excel.importer import plan_import

    client.force_login(planner)
    response = client.get(reverse("excel:template"), {"fiscal_year": 2570})
    result = plan_import(
        source=workbook_bytes_of(response),
        organization=office,
        fiscal_year=2570,
        dry_run=True,
    )
    assert [str(e) for e in result.errors] == [
        "ชีต 'โครงการ' แถว 2 คอลัมน์ 'กลยุทธ์ที่': ไม่มีกลยุทธ์ที่ 1 ในแผนปีงบประมาณ 2570"
    ]


def test_plan_export_for_office_members_only(client, viewer, outsider, full_plan):
    client.force_login(viewer)
    response = client.get(reverse("excel:export_plan"), {"fiscal_year": FISCAL_YEAR})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert (
        client.get(reverse("excel:export_plan"), {"fiscal_year": 2590}).status_code
        == 404
    )
    client.force_login(outsider)
    response = client.get(reverse("excel:export_plan"), {"fiscal_year": FISCAL_YEAR})
    assert response.status_code == 404


def test_index_and_nav_link_for_planners(client, planner, viewer, office):
    client.force_login(planner)
    response = client.get(reverse("excel:index"))
    assert response.status_code == 200
    assert "นำเข้า/ส่งออก Excel" in response.content.decode()
    assert reverse("excel:import_plan") in response.content.decode()
    client.force_login(viewer)
    response = client.get(reverse("home:home"))
    assert "นำเข้า/ส่งออก Excel" not in response.content.decode()


def workbook_bytes_of(response):
    from io import BytesIO

    return BytesIO(response.content)
