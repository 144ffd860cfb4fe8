"""The project list, described once (:mod:`core.tables`): the page prints it
with ``{% data_table %}`` and its workbook ("ดาวน์โหลด Excel") writes it, from
the rows of :func:`projects.selectors.project_list`; the look is
:mod:`core.xlsx`'s.
"""

from django.http import HttpResponse
from django.urls import reverse

from core.tables import Table, money, text, whole
from core.xlsx import add_about, add_table, filter_lines, new_book, respond
from projects.models import Project


def budget_note(project) -> str:
    return "" if project.uses_budget else "ไม่ใช้งบประมาณ"


def project_list_table(projects: list) -> Table:
    """The projects as listed: the page links each name to the project's
    sheet and shows its status as a badge; the workbook has the same columns
    as text and numbers."""
    return Table(
        "โครงการ",
        [
            whole("sequence", "ที่", 6, css="w-no"),
            text("code", "รหัสโครงการ", 12, css="w-code"),
            text("name", "โครงการ", 50, link="url"),
            text("group", "กลุ่ม", 30),
            text("status", "สถานะ", 16, badge=True),
            whole("activities", "กิจกรรม"),
            whole("kpis", "ตัวชี้วัด"),
            money("budget", "งบประมาณ (บาท)"),
            text("note", "หมายเหตุ", 16),
        ],
        [
            {
                "sequence": project.sequence,
                "code": project.code,
                "name": project.name,
                "url": reverse("projects:detail", args=[project.pk]),
                "group": project.group.display_name,
                "status": project.get_status_display(),
                "activities": project.n_activities,
                "kpis": project.n_kpis,
                "budget": project.total_budget if project.uses_budget else None,
                "note": budget_note(project),
            }
            for project in projects
        ],
        empty="ไม่พบโครงการตามเงื่อนไข",
        testid="project-list",
    )


def project_list_response(
    projects: list, fiscal_year: int, filters: dict, status_counts: list
) -> HttpResponse:
    """``projects:list``: the office's projects of a year, as filtered
    (``filters``: the list form's valid choices)."""
    book = new_book()
    labels = []
    if filters.get("group"):
        labels.append(f"กลุ่ม: {filters['group'].name}")
    if filters.get("status"):
        labels.append(f"สถานะ: {Project.Status(filters['status']).label}")
    add_table(book, project_list_table(projects))
    add_about(
        book,
        f"โครงการ ปีงบประมาณ พ.ศ. {fiscal_year}",
        [
            *filter_lines(labels),
            *((f"สถานะ{label}", count) for label, count in status_counts),
        ],
    )
    return respond(book, f"โครงการ-{fiscal_year}.xlsx")
