"""Import safety (issue 15 item 3): the preview shows the diff against the
database before anything is written, the envelope rules are warnings in the
preview and a refusal on confirm unless the planner ticks the override, which
the history of the written rows records. Through the real upload screens and
the ``import_plan`` command."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from budgets.models import CostLine
from excel import layout
from excel.importer import ERROR_OVERRIDE_NEEDED, OVERRIDE_REASON
from excel.uploads import SESSION_KEY
from plans.models import Guideline, Mission, Plan
from projects.models import Activity, Objective, Project, ProjectResponsible
from tests.excel.conftest import FISCAL_YEAR, exported, set_cell, workbook_bytes
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    CostLineFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parent.parent / "data" / "seed003_direction.xlsx"
OVER = "เกินวงเงินที่ใช้ได้"


def _upload(client, book, fiscal_year=FISCAL_YEAR):
    data = workbook_bytes(book)
    data.name = "แผน.xlsx"
    response = client.post(
        reverse("excel:import_plan"), {"fiscal_year": fiscal_year, "file": data}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def _counts(response) -> dict:
    return {
        c.sheet: (c.created, c.updated, c.deleted, c.kept)
        for c in response.context["result"].counts
    }


def _delete_rows_of(book, sheet, code) -> None:
    """Remove every row of project ``code`` from ``sheet``."""
    worksheet = book[sheet.name]
    column = [c.key for c in sheet.columns].index(
        "code" if sheet is layout.PROJECTS else "project"
    )
    for row in range(worksheet.max_row, 1, -1):
        if worksheet.cell(row, column + 1).value == code:
            worksheet.delete_rows(row)


def _history_rows() -> int:
    return sum(
        model.history.count()
        for model in (Project, Objective, Activity, CostLine, ProjectResponsible, Plan)
    )


def _stored() -> list:
    return [
        list(Project.objects.order_by("pk").values_list("pk", "name", "edit_version")),
        list(CostLine.objects.order_by("pk").values_list("pk", "amount")),
        list(Objective.objects.order_by("pk").values_list("pk", "text")),
        _history_rows(),
    ]


# ------------------------------------------------------------------ the diff


def test_the_preview_shows_added_changed_and_removed_rows_per_sheet(
    client, planner, full_plan
):
    client.force_login(planner)
    book = exported(full_plan)
    set_cell(book, layout.PROJECTS, 2, "name", "ชื่อที่แก้ใน Excel")
    book[layout.OBJECTIVES.name].delete_rows(3)  # 69-001 ข้อ 2
    costs = book[layout.COST_LINES.name]
    new_line = [c.value for c in costs[3]]
    new_line[[c.key for c in layout.COST_LINES.columns].index("order")] = 3
    new_line[[c.key for c in layout.COST_LINES.columns].index("description")] = (
        "ค่าถ่ายเอกสาร"
    )
    costs.append(new_line)
    # 69-002 is left out of the file: kept, not deleted.
    for sheet in layout.DATA_SHEETS:
        _delete_rows_of(book, sheet, "69-002")
    before = _stored()

    response = client.get(_upload(client, book))

    assert response.status_code == 200
    counts = _counts(response)
    assert counts["โครงการ"] == (0, 1, 0, 1)
    assert counts["วัตถุประสงค์"] == (0, 0, 1, 0)
    assert counts["รายการค่าใช้จ่าย"] == (1, 0, 0, 0)
    assert counts["กิจกรรม"] == (0, 0, 0, 0)
    text = response.content.decode()
    assert "ชื่อโครงการ</strong>: โครงการพัฒนาการอ่านออกเขียนได้ → ชื่อที่แก้ใน Excel" in text
    assert "69-001 ข้อ 2 เพื่อพัฒนานักเรียน" in text
    assert "69-001 กิจกรรม 1 รายการ 3 ค่าถ่ายเอกสาร" in text
    assert "จะถูกลบเมื่อยืนยัน" in text
    assert "69-002 โครงการนิเทศออนไลน์" in text
    assert "ไม่อยู่ในไฟล์ ไม่ลบ คงไว้ตามเดิม" in text
    assert "ไม่มีการเปลี่ยนแปลง</strong>" not in text
    assert _stored() == before


def test_an_unchanged_reimport_says_so_and_changes_nothing(client, planner, full_plan):
    client.force_login(planner)
    preview_url = _upload(client, exported(full_plan))
    response = client.get(preview_url)
    assert "ไม่มีการเปลี่ยนแปลง</strong>" in response.content.decode()
    assert not response.context["result"].has_changes
    before = _stored()

    response = client.post(preview_url, follow=True)

    assert response.status_code == 200
    assert "ไม่มีการเปลี่ยนแปลง ไม่ได้บันทึกข้อมูลใด ๆ" in response.content.decode()
    assert _stored() == before
    assert client.session[SESSION_KEY] == {}


def test_the_seed_workbook_diff_through_the_screens(client, planner, office):
    """Seed 003's direction: all added into an empty year; re-uploaded with a
    mission edited and a guideline row gone: one change, one removal."""
    client.force_login(planner)
    book = load_workbook(SEED)
    response = client.get(_upload(client, book, fiscal_year=2566))
    counts = _counts(response)
    assert counts["ทิศทาง"] == (15, 0, 0, 0)  # 4 missions, 7 goals, 4 strategies
    assert counts["แนวทางการพัฒนา"] == (62, 0, 0, 0)
    assert counts["ตัวชี้วัดกลยุทธ์"] == (80, 0, 0, 0)
    assert "จะสร้างแผนปฏิบัติการปีงบประมาณ 2566 ใหม่" in response.content.decode()
    preview_url = response.wsgi_request.path
    assert client.post(preview_url, follow=True).status_code == 200
    plan = Plan.objects.get(organization=office, fiscal_year=2566)
    assert Guideline.objects.filter(strategy__plan=plan).count() == 62

    response = client.get(_upload(client, load_workbook(SEED), fiscal_year=2566))
    assert not response.context["result"].has_changes
    assert "ไม่มีการเปลี่ยนแปลง</strong>" in response.content.decode()

    book = load_workbook(SEED)
    direction = book[layout.DIRECTION.name]
    kind = [c.key for c in layout.DIRECTION.columns].index("kind") + 1
    row = next(
        r
        for r in range(2, direction.max_row + 1)
        if direction.cell(r, kind).value == "พันธกิจ"
    )
    set_cell(book, layout.DIRECTION, row, "text", "พันธกิจที่แก้ในไฟล์")
    book[layout.GUIDELINES.name].delete_rows(book[layout.GUIDELINES.name].max_row)
    mission = Mission.objects.get(plan=plan, number=1)

    response = client.get(_upload(client, book, fiscal_year=2566))

    counts = _counts(response)
    assert counts["ทิศทาง"] == (0, 1, 0, 0)
    assert counts["แนวทางการพัฒนา"] == (0, 0, 1, 0)
    assert counts["ตัวชี้วัดกลยุทธ์"] == (0, 0, 0, 0)
    text = response.content.decode()
    assert f"{mission.text} → พันธกิจที่แก้ในไฟล์" in text
    assert Mission.objects.get(pk=mission.pk).text == mission.text


def test_the_dry_run_command_prints_the_diff(full_plan, office, tmp_path):
    book = exported(full_plan)
    set_cell(book, layout.ACTIVITIES, 2, "name", "อบรมครูภาษาไทย")
    path = tmp_path / "plan.xlsx"
    book.save(path)
    out = StringIO()
    call_command(
        "import_plan",
        str(path),
        "--fiscal-year",
        str(FISCAL_YEAR),
        "--dry-run",
        stdout=out,
    )
    printed = out.getvalue()
    assert "กิจกรรม: สร้างใหม่ 0 แก้ไข 1 ไม่เปลี่ยนแปลง 2 ลบ 0" in printed
    assert "  ~ 69-001 กิจกรรม 1 อบรมครูภาษาไทย" in printed
    assert "      กิจกรรม: อบรมครู → อบรมครูภาษาไทย\n" in printed
    assert Activity.objects.get(project__code="69-001", order=1).name == "อบรมครู"

    exported(full_plan).save(path)
    out = StringIO()
    call_command(
        "import_plan",
        str(path),
        "--fiscal-year",
        str(FISCAL_YEAR),
        "--dry-run",
        stdout=out,
    )
    assert out.getvalue().startswith("ไม่มีการเปลี่ยนแปลง\n")


# ------------------------------------------------------------------ envelope


@pytest.fixture
def over_envelope(full_plan, office, reference):
    """The plan's file with ค่าวัสดุ at 500,000 on a 20,000 envelope."""
    AllocationFactory(
        organization=office,
        fiscal_year=FISCAL_YEAR,
        source=reference.obec,
        amount=Decimal("20000"),
    )
    book = exported(full_plan)
    # Row 3 of 'รายการค่าใช้จ่าย' is ค่าวัสดุ (5,000.25) of project 69-001.
    set_cell(book, layout.COST_LINES, 3, "amount", 500000)
    set_cell(book, layout.PROJECTS, 2, "name", "ชื่อใหม่ตามไฟล์")
    return book


WARNING_AT = (
    "ชีต 'รายการค่าใช้จ่าย' แถว 3 คอลัมน์ 'จำนวนเงิน (บาท)' (ในไฟล์ 500,000.00): "
    "งบประมาณโครงการจาก “งบประมาณจาก สพฐ.” ปีงบประมาณ 2569 รวม 514,460.00 บาท"
)


def test_the_envelope_overrun_is_a_warning_in_the_preview(
    client, planner, over_envelope
):
    client.force_login(planner)
    response = client.get(_upload(client, over_envelope))
    result = response.context["result"]
    assert result.errors == []
    assert [str(w)[: len(WARNING_AT)] for w in result.warnings] == [WARNING_AT]
    text = response.content.decode().replace("&#x27;", "'")
    assert "คำเตือน: เกินกรอบวงเงิน 1 รายการ" in text
    assert WARNING_AT in text
    assert 'name="override_budget_rules"' in text
    assert "ยืนยันนำเข้าแม้เกินกรอบวงเงิน" in text


def test_confirm_without_the_override_is_refused_and_saves_nothing(
    client, planner, over_envelope
):
    client.force_login(planner)
    preview_url = _upload(client, over_envelope)
    before = _stored()

    response = client.post(preview_url, {}, follow=True)

    text = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert "พบข้อผิดพลาด 2 รายการ ยังไม่มีการบันทึกข้อมูลใด ๆ" in text
    assert WARNING_AT in text
    assert ERROR_OVERRIDE_NEEDED in text
    assert 'name="override_budget_rules"' in text  # it can still be ticked
    assert "หรือเลือก “ยืนยันนำเข้าแม้เกินกรอบวงเงิน” ด้านล่าง" in text
    assert _stored() == before
    assert CostLine.objects.get(description="ค่าวัสดุ").amount == Decimal("5000.25")
    assert client.session[SESSION_KEY]  # the upload is kept for a second try


def test_confirm_with_the_override_writes_and_records_it(
    client, planner, over_envelope, full_plan
):
    client.force_login(planner)
    preview_url = _upload(client, over_envelope)

    response = client.post(preview_url, {"override_budget_rules": "on"}, follow=True)

    assert response.status_code == 200
    text = response.content.decode()
    assert "นำเข้าไฟล์ แผน.xlsx เรียบร้อยแล้ว" in text
    assert 'data-testid="overridden"' in text
    line = CostLine.objects.get(description="ค่าวัสดุ")
    assert line.amount == Decimal("500000")
    project = Project.objects.get(code="69-001")
    assert project.name == "ชื่อใหม่ตามไฟล์"
    for record in (line.history.first(), project.history.first()):
        assert record.history_user == planner
        assert record.history_change_reason.startswith(
            f"นำเข้าจากไฟล์ Excel · {OVERRIDE_REASON}: "
        )
        assert WARNING_AT in record.history_change_reason
    page = client.get(reverse("reports:project_history", args=[project.pk]))
    assert OVERRIDE_REASON in page.content.decode()


def test_a_group_head_cannot_confirm(client, planner, head_a, over_envelope):
    client.force_login(planner)
    preview_url = _upload(client, over_envelope)
    before = _stored()
    client.force_login(head_a)

    refused = client.post(preview_url, {"override_budget_rules": "on"}, follow=True)
    upload = client.post(
        reverse("excel:import_plan"),
        {"fiscal_year": FISCAL_YEAR, "file": workbook_bytes(over_envelope)},
    )

    assert refused.status_code in (403, 404)
    assert upload.status_code == 403
    assert _stored() == before


def test_the_command_refuses_then_overrides(over_envelope, tmp_path):
    path = tmp_path / "plan.xlsx"
    over_envelope.save(path)
    args = ["import_plan", str(path), "--fiscal-year", str(FISCAL_YEAR)]
    out = StringIO()
    call_command(*args, "--dry-run", stdout=out)
    assert f"คำเตือน: {WARNING_AT}" in out.getvalue()
    before = _stored()
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(*args, stdout=StringIO(), stderr=err)
    assert WARNING_AT in err.getvalue()
    assert _stored() == before

    out = StringIO()
    call_command(*args, "--override-budget-rules", stdout=out)

    assert "นำเข้าเรียบร้อย" in out.getvalue()
    line = CostLine.objects.get(description="ค่าวัสดุ")
    assert line.amount == Decimal("500000")
    assert OVERRIDE_REASON in line.history.first().history_change_reason


# ------------------------------------------------------------------ queries


def _grow(plan, group, reference, n: int) -> None:
    """``n`` more projects, each with two activities and three cost lines."""
    for i in range(n):
        project = ProjectFactory(
            plan=plan,
            group=group,
            code=f"69-1{i:02d}",
            sequence=10 + i,
            budget_source=reference.obec,
        )
        for order in (1, 2):
            activity = ActivityFactory(project=project, order=order, months=[])
            for line in (1, 2, 3):
                CostLineFactory(
                    activity=activity,
                    order=line,
                    category=reference.services,
                    times=None,
                    persons=None,
                    rate=None,
                    amount=Decimal("100.00"),
                )


# The upload (session, the stored file, the task record and its progress
# writes) and the check task together, with the rate limits in force (one
# query, budgets.rates); the same for any number of projects.
PREVIEW_QUERIES = 54


@pytest.mark.parametrize("more", [0, 6])
def test_the_preview_runs_a_fixed_number_of_queries(
    client, planner, full_plan, group_a, reference, django_assert_num_queries, more
):
    _grow(full_plan, group_a, reference, more)
    book = exported(full_plan)
    set_cell(book, layout.PROJECTS, 2, "name", "ชื่อที่แก้ใน Excel")
    client.force_login(planner)
    # The check runs as a task when the file is uploaded (the immediate
    # backend here): the upload holds the preview's queries.
    with django_assert_num_queries(PREVIEW_QUERIES):
        preview_url = _upload(client, book)
    response = client.get(preview_url)
    assert response.context["result"].count("โครงการ").updated == 1
