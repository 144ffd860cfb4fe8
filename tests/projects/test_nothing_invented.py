"""What a source leaves empty stays empty (issue 15): a project's ลักษณะโครงการ
(an empty workbook cell used to import as โครงการใหม่) and a text KPI's target
(seed 000 prints KPIs as statements). Empty goes through the import, the admin
form and the export, and the sheet prints "-" for an empty kind."""

import pytest
from django.urls import reverse

from excel import layout
from excel.importer import plan_import
from projects.models import Project
from tests.excel.conftest import empty_book, exported, workbook_bytes
from tests.factories import PersonFactory
from tests.projects.test_admin import _sheet_post

pytestmark = pytest.mark.django_db


def _project_row(code, kind):
    row = {
        "code": code,
        "name": "โครงการทดสอบ",
        "group": "กลุ่มส่งเสริมการจัดการศึกษา",
        "kind": kind,
        "start_month": "ต.ค. 69",
        "end_month": "ก.ย. 2570",
    }
    return [row.get(column.key) for column in layout.PROJECTS.columns]


def _import(book, office):
    return plan_import(
        source=workbook_bytes(book), organization=office, fiscal_year=2570
    )


def test_an_empty_kind_imports_empty_and_exports_empty(office, group_a, viewer, client):
    book = empty_book(
        **{
            layout.PROJECTS.name: [
                _project_row("70-001", None),
                _project_row("70-002", "โครงการต่อเนื่อง"),
            ]
        }
    )
    result = _import(book, office)
    assert result.ok, [str(error) for error in result.errors]
    kinds = dict(Project.objects.values_list("code", "kind"))
    assert kinds == {"70-001": "", "70-002": "continuing"}

    # Exported, the cell is blank again, and importing it changes nothing.
    blank = Project.objects.get(code="70-001")
    again = exported(blank.plan)
    sheet = again[layout.PROJECTS.name]
    keys = [column.key for column in layout.PROJECTS.columns]
    rows = {
        row[0]: row[keys.index("kind")]
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[0]
    }
    assert rows["70-001"] in (None, "")
    assert rows["70-002"] == "โครงการต่อเนื่อง"
    assert _import(again, office).ok
    assert Project.objects.get(code="70-001").kind == ""

    # The project sheet prints "-" for it.
    client.force_login(viewer)
    response = client.get(reverse("projects:detail", args=[blank.pk]))
    assert response.status_code == 200
    assert "<th>ลักษณะโครงการ</th><td>-</td>" in response.content.decode()


def test_the_admin_saves_a_project_without_a_kind(
    admin_client, plan, group_a, strategy, office
):
    person = PersonFactory(organization=office)
    data = _sheet_post(plan, group_a, strategy, person, kind="")
    response = admin_client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 302, response.context["errors"]
    assert Project.objects.get(code="68-010").kind == ""


def test_the_admin_saves_a_text_kpi_that_prints_no_target(
    admin_client, plan, group_a, strategy, office
):
    """Seed 000's KPIs are statements ("โรงเรียนขนาดเล็ก… สามารถใช้ระบบการสอน
    ทางไกลผ่านดาวเทียม…") with no target beside them."""
    person = PersonFactory(organization=office)
    statement = "โรงเรียนขนาดเล็กสามารถใช้ระบบการสอนทางไกลผ่านดาวเทียม"
    data = _sheet_post(
        plan,
        group_a,
        strategy,
        person,
        **{
            "kpis-0-name": statement,
            "kpis-0-unit": "text",
            "kpis-0-target_value": "",
            "kpis-0-target_text": "",
        },
    )
    response = admin_client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 302, response.context["errors"]
    kpi = Project.objects.get(code="68-010").kpis.get()
    assert (kpi.name, kpi.target_value, kpi.target_text) == (statement, None, "")


def test_a_number_kpi_still_needs_its_target(
    admin_client, plan, group_a, strategy, office
):
    person = PersonFactory(organization=office)
    data = _sheet_post(plan, group_a, strategy, person, **{"kpis-0-target_value": ""})
    response = admin_client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 200
    assert "กรุณากรอกค่าเป้าหมายเป็นตัวเลขหรือข้อความอย่างใดอย่างหนึ่ง" in (
        response.content.decode()
    )
    assert not Project.objects.filter(code="68-010").exists()
