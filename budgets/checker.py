"""The plan checker: every problem that would embarrass a director at sign-off.

It lives in ``budgets`` rather than ``projects`` because half its questions
are about money (cost lines, the quarterly plan): an app only reads the layers
below it, so the checker sits at the lowest layer that holds all its data.

``plan_findings(plan)`` runs a fixed number of queries (7) whatever the number
of projects: counts come from correlated subqueries, money sums from
per-activity subqueries (a join of cost lines and quarter plans would multiply
the sums).

It is also where the gaps a source leaves go (a cost line or running cost
without a category, a project without a period, a text indicator without a
target, a target or KPI printed under no เชิงปริมาณ/ผลผลิต heading): the
data may stay empty, and the documents print such a field blank or "-", so
this screen is the one place that says what is still missing.

Cost lines above the Finance Ministry's highest rate (:mod:`budgets.rates`)
are listed too, as advisories: a rate the director may approve in writing
never blocks the plan.
"""

from dataclasses import dataclass

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from budgets import rates
from budgets.models import CostLine, OperatingCost, QuarterPlan, money_subquery
from budgets.rollups import activity_total_budget_subquery, with_section_counts
from core import thai
from plans.indicators import Unit
from plans.models import Indicator, Plan
from projects.models import Activity, Project, ProjectKPI
from projects.selectors import month_span_label, months_label

NO_STRATEGY = "ยังไม่เชื่อมโยงกับกลยุทธ์ของสำนักงาน"
NO_KPI = "ยังไม่มีตัวชี้วัดความสำเร็จ"
NO_RESPONSIBLE = "ยังไม่ระบุผู้รับผิดชอบโครงการ"
NO_OBJECTIVE = "ยังไม่มีวัตถุประสงค์"
NO_COST_LINES = "ระบุว่าใช้งบประมาณ แต่ยังไม่มีรายการค่าใช้จ่าย"
NO_PERIOD = "ยังไม่ระบุระยะเวลาดำเนินโครงการ"
NO_RATIONALE = "ยังไม่มีหลักการและเหตุผล"
NO_TARGET = "ยังไม่มีเป้าหมาย"
NO_ACTIVITY = "ยังไม่มีกิจกรรม"
NO_EXPECTED = "ยังไม่มีผลที่คาดว่าจะได้รับ"
COST_LINES_NO_CATEGORY = (
    "กิจกรรม “{activity}” มีรายการค่าใช้จ่าย {count} รายการที่ยังไม่ระบุหมวดรายจ่าย"
)
OPERATING_NO_CATEGORY = "ค่าใช้จ่ายดำเนินงาน “{cost}” ยังไม่ระบุหมวดรายจ่าย"
KPI_NO_TARGET = "ตัวชี้วัด “{kpi}” ยังไม่มีค่าเป้าหมาย"
INDICATOR_NO_TARGET = "ตัวชี้วัดกลยุทธ์ {code} “{name}” ยังไม่มีค่าเป้าหมายของปี {year}"
#: What an office-wide finding (no project of its own) is listed under.
OFFICE_SUBJECT = "ค่าใช้จ่ายดำเนินงานของสำนักงาน"
PLAN_SUBJECT = "ตัวชี้วัดกลยุทธ์ของสำนักงาน"
ACTIVITY_OUTSIDE = "กิจกรรม “{activity}” มีเดือน {months} อยู่นอกระยะเวลาโครงการ ({period})"
ACTIVITY_NO_MONTHS = "กิจกรรม “{activity}” ยังไม่ระบุเดือนที่ดำเนินการ"
KPI_NO_METHOD = "ตัวชี้วัด “{kpi}” ยังไม่ระบุ{missing}"
UNSTATED_KIND = "ไม่ระบุประเภทของเป้าหมาย/ตัวชี้วัด: {parts}"
UNSTATED_TARGETS = "เป้าหมาย {count} ข้อ (เชิงปริมาณ/เชิงคุณภาพ)"
UNSTATED_KPIS = "ตัวชี้วัด {count} ตัว (ผลผลิต/ผลลัพธ์ หรือ เชิงปริมาณ/เชิงคุณภาพ)"
BUDGET_MISMATCH = (
    "กิจกรรม “{activity}” รายการค่าใช้จ่ายรวม {lines} บาท "
    "แต่แผนการใช้จ่ายรายไตรมาสรวม {quarters} บาท (ต่างกัน {difference} บาท)"
)

MONEY = DecimalField(max_digits=14, decimal_places=2)

#: The findings that stop a director approving the plan
#: (:mod:`budgets.gates`) unless the approval records an override with a
#: reason. They are the ones that make the plan book wrong: money that does
#: not add up, a budgeted project with nothing to spend on, work dated
#: outside its own project. Every other finding is a gap a source may
#: legitimately leave (no objective text, a KPI without its method…): the
#: checker lists it, approval goes ahead.
BLOCKING_CODES = frozenset({"budget_mismatch", "no_cost_lines", "activity_outside"})


@dataclass(frozen=True)
class Finding:
    """One gap; ``project`` is None for the office's own data (its running
    costs, its strategies' indicators), listed under ``subject`` instead."""

    project: Project | None
    code: str
    message: str
    url: str
    link_label: str
    subject: str = ""

    @property
    def blocking(self) -> bool:
        """Stops the plan's approval (:data:`BLOCKING_CODES`)."""
        return self.code in BLOCKING_CODES


def _short(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _project_url(project: Project) -> str:
    return reverse("admin:projects_project_change", args=[project.pk])


def _activity_url(activity) -> str:
    return reverse("admin:projects_activity_change", args=[activity.pk])


#: A missing section of the project sheet (``Project.sections()``, the
#: admin's completeness column) as the checker lists it: the one definition
#: of "complete" serves both, so they cannot disagree. Section 6 (the
#: calendar) is listed per activity instead ("activity_no_months", naming
#: the activity), or, with no activity at all, by section 5.
SECTION_FINDINGS = {
    1: ("no_rationale", NO_RATIONALE),
    2: ("no_objective", NO_OBJECTIVE),
    3: ("no_target", NO_TARGET),
    4: ("no_cost_lines", NO_COST_LINES),
    5: ("no_activity", NO_ACTIVITY),
    7: ("no_kpi", NO_KPI),
    8: ("no_expected", NO_EXPECTED),
}


def _project_findings(project: Project) -> list[Finding]:
    url = _project_url(project)
    checks = [
        (project.n_strategies == 0, "no_strategy", NO_STRATEGY),
        (project.n_responsibles == 0, "no_responsible", NO_RESPONSIBLE),
        (
            project.start_month is None or project.end_month is None,
            "no_period",
            NO_PERIOD,
        ),
    ]
    found = [
        Finding(project, code, message, url, "แก้ไขโครงการ")
        for failed, code, message in checks
        if failed
    ]
    # A source may print targets and KPIs under no heading (seed 000): the
    # sheet lists them unheaded, and the planner learns here which to label.
    parts = [
        template.format(count=thai.format_number(count))
        for template, count in (
            (UNSTATED_TARGETS, project.n_unstated_targets),
            (UNSTATED_KPIS, project.n_unstated_kpis),
        )
        if count
    ]
    if parts:
        message = UNSTATED_KIND.format(parts=" และ ".join(parts))
        found.append(Finding(project, "unstated_kind", message, url, "แก้ไขโครงการ"))
    for section in project.missing_sections():
        if section.number in SECTION_FINDINGS:
            code, message = SECTION_FINDINGS[section.number]
            found.append(Finding(project, code, message, url, "แก้ไขโครงการ"))
    return found


def _activity_findings(activity, project: Project) -> list[Finding]:
    found = []
    name = _short(activity.name)
    url = _activity_url(activity)
    if not activity.months:
        message = ACTIVITY_NO_MONTHS.format(activity=name)
        found.append(Finding(project, "activity_no_months", message, url, "แก้ไขกิจกรรม"))
    has_period = project.start_month is not None and project.end_month is not None
    outside = has_period and activity.months_outside(
        project.start_month, project.end_month
    )
    if outside:
        message = ACTIVITY_OUTSIDE.format(
            activity=name,
            months=months_label(outside),
            period=month_span_label(project.start_month, project.end_month),
        )
        found.append(Finding(project, "activity_outside", message, url, "แก้ไขกิจกรรม"))
    if activity.n_unclassified:
        message = COST_LINES_NO_CATEGORY.format(
            activity=name, count=thai.format_number(activity.n_unclassified)
        )
        found.append(
            Finding(project, "cost_line_no_category", message, url, "แก้ไขงบประมาณ")
        )
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


def _count(queryset):
    """Rows of ``queryset`` per activity (a correlated subquery on its pk)."""
    counted = (
        queryset.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _rate_findings(plan: Plan, by_id: dict) -> list[Finding]:
    """Cost lines whose rate exceeds the rate table (:func:`budgets.rates.check`):
    two queries (the plan's lines with a rate, the limits in force)."""
    lines = (
        CostLine.objects.filter(activity__project__plan=plan, rate__isnull=False)
        .select_related("activity")
        .order_by("activity__project", "activity__order", "activity", "order", "pk")
    )
    return [
        Finding(
            by_id[warning.line.activity.project_id],
            "rate_above_limit",
            warning.message,
            _activity_url(warning.line.activity),
            "แก้ไขงบประมาณ",
        )
        for warning in rates.check(lines, plan.fiscal_year, plan.organization_id)
    ]


def _office_findings(plan: Plan) -> list[Finding]:
    """The plan's gaps outside any project: running costs without a category
    and strategy indicators of the text kind without this year's target
    (a source may leave both empty; the planner sees them here). 2 queries."""
    found = []
    costs = OperatingCost.objects.filter(
        organization_id=plan.organization_id,
        fiscal_year=plan.fiscal_year,
        category__isnull=True,
    ).order_by("order", "pk")
    for cost in costs:
        found.append(
            Finding(
                None,
                "operating_no_category",
                OPERATING_NO_CATEGORY.format(cost=_short(cost.description)),
                reverse("admin:budgets_operatingcost_change", args=[cost.pk]),
                "แก้ไขค่าใช้จ่ายดำเนินงาน",
                OFFICE_SUBJECT,
            )
        )
    indicators = (
        Indicator.objects.filter(strategy__plan=plan, unit=Unit.TEXT)
        .exclude(targets__fiscal_year=plan.fiscal_year)
        .select_related("strategy")
        .order_by("strategy__number", "number")
    )
    for indicator in indicators:
        message = INDICATOR_NO_TARGET.format(
            code=indicator.code,
            name=_short(indicator.name),
            year=plan.fiscal_year,
        )
        found.append(
            Finding(
                None,
                "indicator_no_target",
                message,
                reverse("admin:plans_indicator_change", args=[indicator.pk]),
                "แก้ไขตัวชี้วัด",
                PLAN_SUBJECT,
            )
        )
    return found


def plan_findings(plan: Plan) -> list[Finding]:
    """Every finding for every project of ``plan``, in project order, then the
    office's own (see :func:`_office_findings`). 7 queries."""
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
            n_quarter_plans=_count(QuarterPlan.objects.all()),
            n_unclassified=_count(CostLine.objects.filter(category__isnull=True)),
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
        Q(method="") | Q(instrument="") | Q(unit=Unit.TEXT, target_text="")
    )
    for kpi in kpis.order_by("project", "order", "pk"):
        project = by_id[kpi.project_id]
        if kpi.unit == Unit.TEXT and not kpi.target_text:
            per_project[project.pk].append(
                Finding(
                    project,
                    "kpi_no_target",
                    KPI_NO_TARGET.format(kpi=_short(kpi.name)),
                    _project_url(project),
                    "แก้ไขตัวชี้วัด",
                )
            )
        if kpi.method and kpi.instrument:
            continue
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
    for finding in _rate_findings(plan, by_id):
        per_project[finding.project.pk].append(finding)
    found = [finding for project in projects for finding in per_project[project.pk]]
    return found + _office_findings(plan)
