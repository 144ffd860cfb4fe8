"""A target's เชิงปริมาณ/เชิงคุณภาพ and a KPI's ผลผลิต/ผลลัพธ์ and
เชิงปริมาณ/เชิงคุณภาพ may be empty (issue 15): seed 000 prints most targets and
KPIs under no such heading. An empty workbook cell used to be refused (a
target) or read as ผลผลิต / เชิงปริมาณ (a KPI), facts the source never printed.
Empty stays empty through the import, the admin form and the export; the
sheet lists such rows unheaded and the plan checker names the gap."""

import pytest
from django.urls import reverse

from budgets.checker import plan_findings
from excel import layout
from excel.importer import plan_import
from projects.models import Project, ProjectKPI, ProjectTarget
from projects.selectors import project_sheet
from tests.excel.conftest import empty_book, exported, workbook_bytes
from tests.factories import PersonFactory, ProjectKPIFactory, ProjectTargetFactory
from tests.projects.test_admin import _sheet_post

pytestmark = pytest.mark.django_db

CODE = "70-001"
UNHEADED_TARGET = "โรงเรียนในสังกัดทุกโรงเรียนน้อมนำพระบรมราโชบายสู่การปฏิบัติ"
HEADED_TARGET = "ครูผู้สอนภาษาไทย"
UNHEADED_KPI = "นักเรียนมีผลสัมฤทธิ์ทางการเรียนดีขึ้นในทุกระดับ"


def _row(sheet, **values):
    return [values.get(column.key) for column in sheet.columns]


def _book():
    return empty_book(
        **{
            layout.PROJECTS.name: [
                _row(
                    layout.PROJECTS,
                    code=CODE,
                    name="โครงการทดสอบ",
                    group="กลุ่มส่งเสริมการจัดการศึกษา",
                    start_month="ต.ค. 69",
                    end_month="ก.ย. 2570",
                )
            ],
            layout.TARGETS.name: [
                _row(layout.TARGETS, project=CODE, order=1, text=UNHEADED_TARGET),
                _row(
                    layout.TARGETS,
                    project=CODE,
                    kind="เชิงปริมาณ",
                    order=1,
                    text=HEADED_TARGET,
                ),
            ],
            layout.KPIS.name: [
                _row(
                    layout.KPIS, project=CODE, order=1, name=UNHEADED_KPI, unit="ข้อความ"
                ),
            ],
        }
    )


def _import(book, office):
    return plan_import(
        source=workbook_bytes(book), organization=office, fiscal_year=2570
    )


def test_empty_kinds_import_empty_and_export_empty(office, group_a):
    result = _import(_book(), office)
    assert result.ok, [str(error) for error in result.errors]
    assert sorted(ProjectTarget.objects.values_list("kind", "text")) == [
        ("", UNHEADED_TARGET),
        ("quantitative", HEADED_TARGET),
    ]
    kpi = ProjectKPI.objects.get()
    assert (kpi.result_kind, kpi.nature, kpi.name) == ("", "", UNHEADED_KPI)

    # Exported, the cells are blank again, and importing the file changes nothing.
    again = exported(Project.objects.get().plan)
    targets = list(again[layout.TARGETS.name].iter_rows(min_row=2, values_only=True))
    keys = [column.key for column in layout.TARGETS.columns]
    kinds = {row[keys.index("text")]: row[keys.index("kind")] for row in targets}
    assert kinds[UNHEADED_TARGET] in (None, "")
    assert kinds[HEADED_TARGET] == "เชิงปริมาณ"
    keys = [column.key for column in layout.KPIS.columns]
    (kpi_row,) = list(again[layout.KPIS.name].iter_rows(min_row=2, values_only=True))
    assert kpi_row[keys.index("result_kind")] in (None, "")
    assert kpi_row[keys.index("nature")] in (None, "")
    result = _import(again, office)
    assert result.ok
    assert not result.has_changes, result.counts
    assert ProjectKPI.objects.get().result_kind == ""


def test_the_sheet_lists_unheaded_rows_without_inventing_a_heading(
    project, client, viewer
):
    ProjectTargetFactory(
        project=project, kind="", order=1, text=UNHEADED_TARGET, quantity=None, unit=""
    )
    ProjectKPIFactory(
        project=project,
        result_kind="",
        nature="",
        order=1,
        name=UNHEADED_KPI,
        unit="text",
        target_value=None,
        target_text="",
    )
    sheet = project_sheet(project)
    assert sheet["targets_unstated"] == [UNHEADED_TARGET]
    assert [row["name"] for row in sheet["kpis_unstated"]] == [UNHEADED_KPI]
    assert sheet["kpis_output"] == sheet["kpis_outcome"] == []

    client.force_login(viewer)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert f"<p>1. {UNHEADED_TARGET}</p>" in page
    assert f"1. {UNHEADED_KPI}" in page
    for heading in ("3.1 เชิงปริมาณ", "3.2 เชิงคุณภาพ", "ด้านผลผลิต", "ด้านผลลัพธ์"):
        assert heading not in page

    # With a headed target besides, both lists print: the plain one and 3.1/3.2.
    ProjectTargetFactory(
        project=project, kind="quantitative", text=HEADED_TARGET, quantity=None, unit=""
    )
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert f"<p>1. {UNHEADED_TARGET}</p>" in page
    assert f"<p>3.1.1 {HEADED_TARGET}</p>" in page


def test_the_checker_lists_unstated_kinds_as_a_gap_not_a_refusal(ready_project, plan):
    assert plan_findings(plan) == []
    ProjectTargetFactory(project=ready_project, kind="", text=UNHEADED_TARGET)
    ProjectKPIFactory(project=ready_project, result_kind="", nature="quantitative")
    ProjectKPIFactory(project=ready_project, result_kind="outcome", nature="")
    (finding,) = plan_findings(plan)
    assert finding.code == "unstated_kind"
    assert not finding.blocking
    assert finding.message.startswith("ไม่ระบุประเภทของเป้าหมาย/ตัวชี้วัด")
    assert "เป้าหมาย 1 ข้อ" in finding.message
    assert "ตัวชี้วัด 2 ตัว" in finding.message


def test_the_admin_saves_a_target_and_a_kpi_without_a_kind(
    admin_client, plan, group_a, strategy, office
):
    person = PersonFactory(organization=office)
    data = _sheet_post(
        plan,
        group_a,
        strategy,
        person,
        **{"targets-0-kind": "", "kpis-0-result_kind": "", "kpis-0-nature": ""},
    )
    response = admin_client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 302, response.context["errors"]
    project = Project.objects.get(code="68-010")
    assert project.targets.get().kind == ""
    kpi = project.kpis.get()
    assert (kpi.result_kind, kpi.nature) == ("", "")
