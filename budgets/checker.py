"""The plan checker: every problem that would embarrass a director at sign-off.

It lives in ``budgets`` rather than ``projects`` because half its questions
are about money (cost lines, the quarterly plan): an app only reads the layers
below it, so the checker sits at the lowest layer that holds all its data.

``plan_findings(plan)`` runs a fixed number of queries (3) whatever the number
of projects: counts come from correlated subqueries, money sums from
per-activity subqueries (a join of cost lines and quarter plans would multiply
the sums).
"""

from dataclasses import dataclass

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from budgets.models import QuarterPlan, money_subquery
from budgets.rollups import activity_total_budget_subquery, with_section_counts
from core import thai
from plans.models import Plan
from projects.models import Activity, Project, ProjectKPI
from projects.selectors import month_span_label, months_label

NO_STRATEGY = "ยังไม่เชื่อมโยงกับกลยุทธ์ของสำนักงาน"
NO_KPI = "ยังไม่มีตัวชี้วัดความสำเร็จ"
NO_RESPONSIBLE = "ยังไม่ระบุผู้รับผิดชอบโครงการ"
NO_OBJECTIVE = "ยังไม่มีวัตถุประสงค์"
NO_COST_LINES = "ระบุว่าใช้งบประมาณ แต่ยังไม่มีรายการค่าใช้จ่าย"
ACTIVITY_OUTSIDE = "กิจกรรม “{activity}” มีเดือน {months} อยู่นอกระยะเวลาโครงการ ({period})"
ACTIVITY_NO_MONTHS = "กิจกรรม “{activity}” ยังไม่ระบุเดือนที่ดำเนินการ"
KPI_NO_METHOD = "ตัวชี้วัด “{kpi}” ยังไม่ระบุ{missing}"
BUDGET_MISMATCH = (
    "กิจกรรม “{activity}” รายการค่าใช้จ่ายรวม {lines} บาท "
    "แต่แผนการใช้จ่ายรายไตรมาสรวม {quarters} บาท (ต่างกัน {difference} บาท)"
)

MONEY = DecimalField(max_digits=14, decimal_places=2)


@dataclass(frozen=True)
class Finding:
    project: Project
    code: str
    message: str
    url: str
    link_label: str


def _short(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _project_url(project: Project) -> str:
    return reverse("admin:projects_project_change", args=[project.pk])


def _activity_url(activity) -> str:
    return reverse("admin:projects_activity_change", args=[activity.pk])


def _project_findings(project: Project) -> list[Finding]:
    url = _project_url(project)
    checks = [
        (project.n_strategies == 0, "no_strategy", NO_STRATEGY),
        (project.n_kpis == 0, "no_kpi", NO_KPI),
        (project.n_responsibles == 0, "no_responsible", NO_RESPONSIBLE),
        (project.n_objectives == 0, "no_objective", NO_OBJECTIVE),
        (
            project.uses_budget and project.n_cost_lines == 0,
            "no_cost_lines",
            NO_COST_LINES,
        ),
    ]
    return [
        Finding(project, code, message, url, "แก้ไขโครงการ")
        for failed, code, message in checks
        if failed
    ]


def _activity_findings(activity, project: Project) -> list[Finding]:
    found = []
    name = _short(activity.name)
    url = _activity_url(activity)
    if not activity.months:
        message = ACTIVITY_NO_MONTHS.format(activity=name)
        found.append(Finding(project, "activity_no_months", message, url, "แก้ไขกิจกรรม"))
    outside = activity.months_outside(project.start_month, project.end_month)
    if outside:
        message = ACTIVITY_OUTSIDE.format(
            activity=name,
            months=months_label(outside),
            period=month_span_label(project.start_month, project.end_month),
        )
        found.append(Finding(project, "activity_outside", message, url, "แก้ไขกิจกรรม"))
    has_money = activity.budget or activity.n_quarter_plans
    if has_money and activity.budget != activity.quarter_total:
        message = BUDGET_MISMATCH.format(
            activity=name,
            lines=thai.format_baht(activity.budget),
            quarters=thai.format_baht(activity.quarter_total),
            difference=thai.format_baht(abs(activity.budget - activity.quarter_total)),
        )
        found.append(Finding(project, "budget_mismatch", message, url, "แก้ไขงบประมาณ"))
    return found


def _quarter_sum():
    """An activity's quarterly plans added up (a correlated subquery)."""
    return money_subquery(QuarterPlan.objects.filter(activity=OuterRef("pk")))


def _quarter_count():
    counted = (
        QuarterPlan.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def plan_findings(plan: Plan) -> list[Finding]:
    """Every finding for every project of ``plan``, in project order. 3 queries."""
    projects = list(
        with_section_counts(Project.objects.filter(plan=plan))
        .select_related("group")
        .order_by("sequence", "pk")
    )
    by_id = {project.pk: project for project in projects}
    activities = (
        Activity.objects.annotate(
            budget=activity_total_budget_subquery(),
            quarter_total=_quarter_sum(),
            n_quarter_plans=_quarter_count(),
        )
        .filter(project__plan=plan)
        .order_by("project", "order", "pk")
    )
    per_project: dict[int, list[Finding]] = {pk: [] for pk in by_id}
    for project in projects:
        per_project[project.pk].extend(_project_findings(project))
    for activity in activities:
        project = by_id[activity.project_id]
        per_project[project.pk].extend(_activity_findings(activity, project))
    kpis = ProjectKPI.objects.filter(project__plan=plan).filter(
        Q(method="") | Q(instrument="")
    )
    for kpi in kpis.order_by("project", "order", "pk"):
        project = by_id[kpi.project_id]
        missing = " และ ".join(
            label
            for label, value in (
                ("วิธีการประเมิน", kpi.method),
                ("เครื่องมือที่ใช้", kpi.instrument),
            )
            if not value
        )
        message = KPI_NO_METHOD.format(kpi=_short(kpi.name), missing=missing)
        per_project[project.pk].append(
            Finding(
                project, "kpi_no_method", message, _project_url(project), "แก้ไขตัวชี้วัด"
            )
        )
    return [finding for project in projects for finding in per_project[project.pk]]
