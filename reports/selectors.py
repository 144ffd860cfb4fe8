"""Data for the official documents, as plain rows, in a fixed number of queries.

Each document has one function here returning plain data; the HTML page and
the PDF render it with the same body partial. None of them runs a query per
project: everything is loaded with ``select_related``/``prefetch_related`` or
summed by the database (pinned by ``tests/reports/test_queries.py``).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, Func, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from budgets.models import (
    BudgetSource,
    CostLine,
    Disbursement,
    QuarterPlan,
)
from budgets.rollups import (
    AlignmentSummary,
    SpendingPlan,
    alignment_totals,
    approved_filter,
    cost_tables,
    disbursed_subquery,
    frozen_cost_tables,
    frozen_quarter_tables,
    office_ledger,
    period_verdict,
    planned_until_subquery,
    project_money_totals,
    quarter_tables,
    spending_plan,
    total_budget_subquery,
    with_project_budget,
)
from budgets.selectors import BudgetSummary, budget_summary, disbursement_progress
from core.models import GroupHeadAssignment, OfficeGroup, Organization
from core.thai import (
    ZERO,
    fiscal_year_range,
    percent_of,
    percent_shares,
    to_arabic_digits,
)
from plans.indicators import level_label
from plans.models import Indicator, IndicatorTarget, Plan, PolicyItem, Strategy
from plans.selectors import Direction, direction_for_plan
from progress.models import (
    ActivityProgress,
    Evidence,
    KPIActual,
    ProgressReport,
    ReportingRound,
)
from progress.selectors import round_projects
from projects.models import Project, book_order
from projects.selectors import (
    approved_sheet,
    frozen_versions,
    sheet_from_loaded,
    sheet_queryset,
)
from reports.charts import Series, Slice, bar_chart, pie_chart
from reports.models import BookSection, IndicatorResult

# ------------------------------------------------------------------ shared


def plan_for(organization: Organization, fiscal_year: int) -> Plan | None:
    """The office's plan of ``fiscal_year`` with its office and director."""
    return (
        Plan.objects.select_related("organization__director")
        .filter(organization=organization, fiscal_year=fiscal_year)
        .first()
    )


def change_stamp(plan: Plan) -> str:
    """A fingerprint of everything a plan document prints. One query.

    Built from ``updated_at`` maxima and counts/sums of the tables behind the
    plan book and reports, so any saved change yields a new stamp (and a new
    cache key) while an unchanged plan keeps its stamp.
    """
    plan_ref = OuterRef("pk")

    def aggregate(queryset, expression):
        # A plain SQL function, not a Django aggregate: no GROUP BY is added,
        # so each subquery returns exactly one row.
        function, column = expression
        return Subquery(
            queryset.order_by()
            .annotate(_value=Func(F(column), function=function))
            .values("_value")[:1]
        )

    lines = CostLine.objects.filter(activity__project__plan=plan_ref)
    stamp = (
        Plan.objects.filter(pk=plan.pk)
        .annotate(
            projects_changed=aggregate(
                Project.objects.filter(plan=plan_ref), ("MAX", "updated_at")
            ),
            projects_count=aggregate(
                Project.objects.filter(plan=plan_ref), ("COUNT", "pk")
            ),
            sections_changed=aggregate(
                BookSection.objects.filter(plan=plan_ref), ("MAX", "updated_at")
            ),
            sections_count=aggregate(
                BookSection.objects.filter(plan=plan_ref), ("COUNT", "pk")
            ),
            lines_count=aggregate(lines, ("COUNT", "pk")),
            lines_max=aggregate(lines, ("MAX", "pk")),
            lines_sum=aggregate(lines, ("SUM", "amount")),
            quarter_sum=aggregate(
                QuarterPlan.objects.filter(activity__project__plan=plan_ref),
                ("SUM", "amount"),
            ),
            paid_count=aggregate(
                Disbursement.objects.filter(activity__project__plan=plan_ref),
                ("COUNT", "pk"),
            ),
            paid_sum=aggregate(
                Disbursement.objects.filter(activity__project__plan=plan_ref),
                ("SUM", "amount"),
            ),
            results_changed=aggregate(
                IndicatorResult.objects.filter(indicator__strategy__plan=plan_ref),
                ("MAX", "updated_at"),
            ),
        )
        .values_list(
            "updated_at",
            "projects_changed",
            "projects_count",
            "sections_changed",
            "sections_count",
            "lines_count",
            "lines_max",
            "lines_sum",
            "quarter_sum",
            "paid_count",
            "paid_sum",
            "results_changed",
        )
        .get()
    )
    return "|".join(str(value) for value in stamp)


def data_as_of(
    organization: Organization,
    fiscal_year: int,
    *,
    reporting_round: ReportingRound | None = None,
    today: datetime.date | None = None,
) -> datetime.date:
    """The date a report's "ข้อมูล ณ วันที่ …" prints: how recent its data is.

    A round that has ended is its own date (its figures stop there). A round
    still running, or no round (the budget report), is as recent as its data:
    the last disbursement or the last accepted progress report, never after
    today nor after the round's or year's end. Printing the fiscal year's end
    for a year in progress claimed figures nobody had yet (issue 16). With no
    data at all it is today, or the year's end for a year long over. One
    query, none for an ended round.
    """
    today = today or timezone.localdate()
    if reporting_round is not None and reporting_round.period_end <= today:
        return reporting_round.period_end
    _start, end = fiscal_year_range(fiscal_year)
    cap = min(today, end if reporting_round is None else reporting_round.period_end)
    office = OuterRef("pk")
    paid, accepted = (
        Organization.objects.filter(pk=organization.pk)
        .annotate(
            paid=Subquery(
                Disbursement.objects.filter(
                    activity__project__plan__organization=office,
                    activity__project__plan__fiscal_year=fiscal_year,
                    paid_on__lte=cap,
                )
                .order_by("-paid_on")
                .values("paid_on")[:1]
            ),
            accepted=Subquery(
                ProgressReport.objects.filter(
                    round__organization=office,
                    round__fiscal_year=fiscal_year,
                    state=ProgressReport.State.ACCEPTED,
                )
                .order_by("-updated_at")
                .values("updated_at")[:1]
            ),
        )
        .values_list("paid", "accepted")
        .get()
    )
    dates = [paid] if paid else []
    if accepted:
        dates.append(timezone.localdate(accepted))
    return min(max(dates), cap) if dates else cap


# ------------------------------------------------------------------ plan book


@dataclass
class AlignmentRow:
    number: int
    name: str
    #: office strategies, in ``PlanBook.alignment_strategies`` order
    marks: list[bool]
    #: the project's code ("2.1"), printed instead of the running number
    code: str = ""
    #: OBEC strategies, in ``PlanBook.obec_strategies`` order
    obec_marks: list[bool] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.code or str(self.number)


@dataclass
class PlanBook:
    plan: Plan
    organization: Organization
    foreword: list[BookSection]
    context_sections: list[BookSection]
    administration: list[BookSection]
    appendix: list[BookSection]
    direction: Direction
    budget: BudgetSummary
    alignment_strategies: list[int]
    alignment: list[AlignmentRow]
    #: seed 000's spending plan (office running costs, then the projects)
    spending: SpendingPlan | None = None
    #: projects and money per OBEC strategy and per office strategy
    by_obec_strategy: AlignmentSummary | None = None
    by_office_strategy: AlignmentSummary | None = None
    #: the OBEC strategies of the alignment matrix: (code, title)
    obec_strategies: list[tuple[str, str]] = field(default_factory=list)
    sheets: list[dict] = field(default_factory=list)
    #: projects of a draft plan not yet approved: (code, name), for the cover
    unapproved: list[tuple[str, str]] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.plan.display_title

    @property
    def title_names_year(self) -> bool:
        """Whether the title already says the year (in either digit style), so
        the cover does not print it a second time under the title."""
        return str(self.plan.fiscal_year) in to_arabic_digits(self.title)

    @property
    def obec_mark_css(self) -> str:
        return _mark_css(len(self.obec_strategies))

    @property
    def office_mark_css(self) -> str:
        return _mark_css(len(self.alignment_strategies))

    @property
    def revision_round(self) -> int:
        """N of "ฉบับปรับปรุงครั้งที่ N": the plan's approved revision rounds,
        the plan's own (``PlanRevision``, each approved again with the plan)
        and those of its printed projects (an approved ปรับแผน changes what
        the book prints, so the book reissued after it is a revised one)."""
        projects = sum(sheet.get("revision_round", 0) for sheet in self.sheets)
        return max(self.plan.version - 1, 0) + projects

    @property
    def is_draft(self) -> bool:
        """Until the plan is approved every page says "ร่าง"."""
        return self.plan.status != Plan.Status.APPROVED


def _mark_css(count: int) -> str:
    """The alignment matrix's mark columns: one or two are widened so the
    heading over them fits (print.css ``w-mark-1``, ``w-mark-2``)."""
    return f"w-mark-{count}" if count in (1, 2) else "w-mark"


def plan_book(plan: Plan) -> PlanBook:
    """Everything the annual action plan book prints. 40 queries, any size.

    1. the written sections; 2. the direction (8); 3. the budget summary (16);
    4. every project sheet (11); 5. cost lines and quarterly plans (2);
    6. the OBEC strategies and the office's running costs (2).

    Once the plan is approved the book is the approved plan: a project not
    approved (still drafted, returned, added later) neither prints nor counts
    in any total, and a project being revised prints and counts as last
    approved (its sheet and cost table from the revision's frozen copy, its
    money through ``budgets.rollups.FrozenMoney``; 1 query more, 4 while a
    project is being revised). Before that the book is a draft showing every
    project, and its cover names those not yet approved.
    """
    approved_only = plan.status == Plan.Status.APPROVED
    sections: dict[str, list[BookSection]] = defaultdict(list)
    for section in BookSection.objects.filter(plan=plan):
        sections[section.part].append(section)
    direction = direction_for_plan(plan)
    budget = budget_summary(
        organization=plan.organization,
        fiscal_year=plan.fiscal_year,
        approved_only=approved_only,
    )
    # The office's own codes (2.1 … 2.16) are the book's order and numbers.
    projects = sorted(
        sheet_queryset().filter(plan=plan, **approved_filter(approved_only, "")),
        key=book_order,
    )
    unapproved = [
        (project.code, project.name)
        for project in projects
        if project.status != Project.Status.APPROVED
    ]
    # the approved version of a project being revised is its frozen copy
    frozen = frozen_versions(projects) if approved_only else {}
    strategy_numbers = [row.number for row in direction.strategies]
    obec = _obec_strategies(plan, projects)
    budgets = {project.pk: project.total_budget for project in budget.projects}
    alignment = []
    sheets = []
    office_items, obec_items = [], []
    for number, project in enumerate(projects, start=1):
        linked = {strategy.number for strategy in project.strategies.all()}
        linked_obec = {
            item.pk
            for item in project.policy_items.all()
            if item.kind == PolicyItem.Kind.OBEC_STRATEGY
        }
        money = budgets.get(project.pk, ZERO)
        office_items.append((linked, money))
        obec_items.append((linked_obec, money))
        alignment.append(
            AlignmentRow(
                number=number,
                name=project.name,
                marks=[n in linked for n in strategy_numbers],
                code=project.code,
                obec_marks=[item.pk in linked_obec for item in obec],
            )
        )
        sheet = approved_sheet(project, frozen)
        sheet["number"] = number
        sheet["label"] = project.code or str(number)
        sheets.append(sheet)
    activity_labels = {}
    for sheet in sheets:
        for row in sheet["activities"]:
            activity_labels[row["id"]] = f"{row['number']}. {row['name']}"
    scope = {"activity__project__plan": plan, **approved_filter(approved_only)}
    costs = cost_tables(activity_labels, **scope)
    quarters = quarter_tables(activity_labels, **scope)
    for project_id in frozen:
        # the live lines and plans are not the approved ones; a copy frozen
        # before snapshots kept quarterly plans has no quarter table until
        # approval
        costs.pop(project_id, None)
        quarters.pop(project_id, None)
    costs |= frozen_cost_tables(frozen, activity_labels)
    quarters |= frozen_quarter_tables(frozen, activity_labels)
    for sheet in sheets:
        sheet["cost_table"] = costs.get(sheet["id"])
        sheet["quarter_table"] = quarters.get(sheet["id"])
    return PlanBook(
        plan=plan,
        organization=plan.organization,
        foreword=sections[BookSection.Part.FOREWORD],
        context_sections=sections[BookSection.Part.CONTEXT],
        administration=sections[BookSection.Part.ADMINISTRATION],
        appendix=sections[BookSection.Part.APPENDIX],
        direction=direction,
        budget=budget,
        alignment_strategies=strategy_numbers,
        alignment=alignment,
        sheets=sheets,
        unapproved=unapproved,
        spending=spending_plan(
            plan.organization,
            plan.fiscal_year,
            budget.projects,
        ),
        by_obec_strategy=alignment_totals(
            obec_items, [(item.pk, _obec_label(item)) for item in obec]
        ),
        by_office_strategy=alignment_totals(
            office_items,
            [
                (row.number, f"กลยุทธ์ที่ {row.number} {row.title}")
                for row in direction.strategies
            ],
        ),
        obec_strategies=[(item.code or str(item.order), item.title) for item in obec],
    )


def _obec_label(item: PolicyItem) -> str:
    return f"{item.code} {item.title}".strip()


def _obec_strategies(plan: Plan, projects: list) -> list[PolicyItem]:
    """The OBEC strategies of the plan's year, and any older one a project
    still names, in the register's order. One query (the projects' links are
    prefetched)."""
    linked = {
        item.pk
        for project in projects
        for item in project.policy_items.all()
        if item.kind == PolicyItem.Kind.OBEC_STRATEGY
    }
    items = (
        PolicyItem.objects.filter(kind=PolicyItem.Kind.OBEC_STRATEGY)
        .annotate(
            # the register's heading ("ยุทธศาสตร์ สพฐ. ปีงบประมาณ 2562") holds
            # the strategies; it is not one of them
            heading=Exists(PolicyItem.objects.filter(parent=OuterRef("pk")))
        )
        .order_by("order", "code", "pk")
    )
    return [
        item
        for item in items
        if not item.heading
        and (item.pk in linked or (item.is_active and item.in_force(plan.fiscal_year)))
    ]


# ------------------------------------------------------------------ one project


@dataclass(frozen=True)
class Signature:
    role: str
    name: str
    position: str


def _head_signature(group: OfficeGroup, organization: Organization) -> Signature:
    """The (acting) head of ``group``; else the head of the planning group."""
    assignment = group.current_head_assignment()
    if assignment is None:
        assignment = (
            GroupHeadAssignment.objects.in_force()
            .filter(
                group__organization=organization, group__name__contains="นโยบายและแผน"
            )
            .select_related("person", "group")
            .order_by("kind", "-start_date")
            .first()
        )
    if assignment is None:
        return Signature("ผู้เห็นชอบโครงการ", "", f"ผู้อำนวยการ{group.name}")
    if assignment.group_id == group.pk:
        assignment.group = group  # signature_position reads it; spare a query
    return Signature(
        "ผู้เห็นชอบโครงการ",
        assignment.person.full_name,
        assignment.signature_position,
    )


def project_document(project: Project) -> dict:
    """A single project sheet for approval, with its three signature blocks."""
    loaded = (
        sheet_queryset()
        .select_related("plan__organization__director")
        .get(pk=project.pk)
    )
    sheet = sheet_from_loaded(loaded)
    activity_labels = {
        row["id"]: f"{row['number']}. {row['name']}" for row in sheet["activities"]
    }
    plan = loaded.plan
    sheet["cost_table"] = cost_tables(activity_labels, activity__project=loaded).get(
        loaded.pk
    )
    sheet["quarter_table"] = quarter_tables(
        activity_labels, activity__project=loaded
    ).get(loaded.pk)
    lead = next(iter(loaded.responsibles.all()), None)
    proposer = Signature(
        "ผู้เสนอโครงการ",
        lead.display_name if lead else "",
        lead.person.position if lead and lead.person_id else "",
    )
    director = plan.organization.director
    approver = Signature(
        "ผู้อนุมัติโครงการ",
        director.full_name if director else "",
        director.position
        if director and director.position
        else f"ผู้อำนวยการ{plan.organization.name}",
    )
    return {
        "sheet": sheet,
        "plan": plan,
        "organization": plan.organization,
        "signatures": [
            proposer,
            _head_signature(loaded.group, plan.organization),
            approver,
        ],
    }


# ------------------------------------------------------------------ progress


@dataclass
class StatusRow:
    label: str
    count: int
    share: Decimal


@dataclass
class FundingGroupSummary:
    """Projects of one funding group counted by status, as seed 002 prints
    them: "๑. โครงการตามแผนปฏิบัติการประจำปี … จำนวน 17 โครงการ", then one line
    per status that has projects, with its share to two decimals."""

    code: str
    label: str
    count: int
    statuses: list[StatusRow]
    #: the group's project rows (``_round_projects``), for its table
    projects: list[dict] = field(default_factory=list)
    #: the other agency that funds the group's projects ("" for the office's)
    agency: str = ""


def _funding_groups(projects: list[dict], fiscal_year: int) -> list:
    """One summary per funding group that has projects, in the groups' order.

    Projects funded by another agency get one group per agency, its name in
    the heading as seed 002 prints it: "โครงการที่ได้รับงบประมาณจากหน่วยงานอื่น
    (สถาบันทดสอบทางการศึกษาแห่งชาติ)"; agencies in the order first met.
    """
    groups = BudgetSource.FundingGroup
    summaries = []
    for code, label in groups.choices:
        members = [row for row in projects if row["funding_group"] == code]
        if code == groups.PLAN:
            label = f"โครงการตามแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. {fiscal_year}"
        agencies = [""]
        if code == groups.OTHER:
            agencies = list(dict.fromkeys(row["funding_agency"] for row in members))
        for agency in agencies:
            agency_members = [
                row
                for row in members
                if code != groups.OTHER or row["funding_agency"] == agency
            ]
            if not agency_members:
                continue
            statuses = [row["status_value"] for row in agency_members]
            rows = [row for row in _status_rows(statuses) if row.count]
            summaries.append(
                FundingGroupSummary(
                    code,
                    f"{label} ({agency})" if agency else label,
                    len(statuses),
                    rows,
                    agency_members,
                    agency,
                )
            )
    return summaries


def _group_status_chart(groups: list[FundingGroupSummary]):
    """Projects of each funding group by status: one bar per status that any
    group has, one cluster per group (numbered as the summary above it)."""
    labels = [label for _, label in ProgressReport.Status.choices] + ["ยังไม่รายงาน"]
    present = [
        label
        for label in labels
        if any(row.label == label for group in groups for row in group.statuses)
    ]
    return bar_chart(
        [f"กลุ่มที่ {number}" for number, _ in enumerate(groups, 1)],
        [
            Series(
                label,
                [
                    next((row.count for row in g.statuses if row.label == label), 0)
                    for g in groups
                ],
            )
            for label in present
        ],
        title="สถานะการดำเนินงานโครงการ จำแนกตามกลุ่มโครงการ",
    )


def _has_detail(row: dict, report) -> bool:
    """A project gets its own page only when its report has something to say:
    results in words, a percentage, KPI results, activities or photos. A
    project not started (or not reported) is a row of its group's table; the
    seed 002 report printed 38 pages giving each of them a page (issue 16)."""
    if report is None or report.status == ProgressReport.Status.NOT_STARTED:
        return False
    return bool(
        row["output_progress"]
        or row["outcome_progress"]
        or row["percent_complete"]
        or row["kpis"]
        or row["activities"]
        or row["photos"]
    )


def _result_summary(row: dict) -> str:
    """The table's short "result" cell: progress and KPI tally; "–" if none."""
    parts = []
    if row["percent_complete"]:
        parts.append(f"ความก้าวหน้าร้อยละ {row['percent_complete']:.2f}")
    if row["kpis"]:
        achieved = sum(1 for kpi in row["kpis"] if kpi["achieved"])
        parts.append(f"บรรลุ {achieved} จาก {len(row['kpis'])} ตัวชี้วัด")
    return " ".join(parts) or "–"


def _status_rows(statuses: list[str | None]) -> list[StatusRow]:
    """Projects per status; ``None`` (no report yet) is its own row."""
    choices = [*ProgressReport.Status.choices, (None, "ยังไม่รายงาน")]
    counts = [sum(1 for status in statuses if status == value) for value, _ in choices]
    shares = percent_shares(counts)
    return [
        StatusRow(label, count, share)
        for (_, label), count, share in zip(choices, counts, shares, strict=True)
        if count or _ is not None
    ]


#: Activity photos printed per project (seed 004 prints a few with captions).
PHOTOS_PER_PROJECT = 4


def _project_progress(project, report) -> dict:
    """One project's progress page as plain data (reads prefetched rows only)."""
    kpis = []
    activities = []
    photos = []
    if report is not None:
        for actual in report.kpi_actuals.all():
            kpis.append(
                {
                    "name": actual.kpi.name,
                    "kind": actual.kpi.get_result_kind_display(),
                    "target": actual.target_label,
                    "actual": actual.reached_label,
                    "actual_value": actual.actual_value,
                    "achieved": actual.achieved,
                    "levels": actual.level_rows()
                    if actual.kpi.is_success_level
                    else [],
                }
            )
        photos = [
            {
                "url": reverse("progress:evidence_file", args=[evidence.pk]),
                "caption": evidence.caption,
            }
            for evidence in list(report.evidence.all())[:PHOTOS_PER_PROJECT]
        ]
        for item in report.activity_progress.all():
            activities.append(
                {
                    "name": item.activity.name,
                    "state": item.get_state_display(),
                    "note": item.note,
                    "on_date": item.on_date,
                }
            )
    return {
        "id": project.pk,
        "name": project.name,
        "group": project.group.name,
        "total_budget": project.total_budget,
        "disbursed": project.disbursed,
        "disbursed_percent": percent_of(project.disbursed, project.total_budget),
        "remaining": project.total_budget - project.disbursed,
        "uses_budget": project.uses_budget,
        "objectives": [objective.text for objective in project.objectives.all()],
        "status": report.get_status_display() if report else "ยังไม่รายงาน",
        # A project not started has no percent to print (0 is what the
        # report stores for "nothing yet", not a measured figure).
        "percent_complete": report.percent_complete
        if report and report.status != ProgressReport.Status.NOT_STARTED
        else None,
        "output_progress": report.output_progress if report else "",
        "outcome_progress": report.outcome_progress if report else "",
        "problems": report.problems if report else "",
        "suggestions": report.suggestions if report else "",
        "activities": activities,
        "kpis": kpis,
        "photos": photos,
    }


def _round_projects(reporting_round) -> list[dict]:
    """Approved projects with their report of ``reporting_round``. 7 queries."""
    from django.db.models import Prefetch

    reports = ProgressReport.objects.filter(round=reporting_round).prefetch_related(
        Prefetch(
            "activity_progress",
            queryset=ActivityProgress.objects.select_related("activity"),
        ),
        Prefetch("kpi_actuals", queryset=KPIActual.objects.select_related("kpi")),
        Prefetch(
            "evidence",
            queryset=Evidence.objects.filter(kind=Evidence.Kind.PHOTO).order_by("pk"),
        ),
    )
    projects = (
        round_projects(reporting_round)
        .select_related("budget_source")
        .annotate(
            disbursed=disbursed_subquery(until=reporting_round.period_end),
            total_budget=total_budget_subquery(),
            # the 3/6/9/12-month plan: quarters 1 to the round's number
            planned_period=planned_until_subquery(reporting_round.number),
        )
        .prefetch_related("objectives", Prefetch("progress_reports", queryset=reports))
    )
    rows = []
    for project in projects:
        report = next(iter(project.progress_reports.all()), None)
        rows.append(_project_progress(project, report))
        rows[-1]["status_value"] = report.status if report else None
        source = project.budget_source if project.uses_budget else None
        rows[-1]["funding_group"] = (
            source.funding_group if source else BudgetSource.FundingGroup.PLAN
        )
        rows[-1]["funding_agency"] = project.funding_agency
        # money of a source printed outside the total (another agency's):
        # the project is reported under its group, never in the office's sums
        rows[-1]["outside_total"] = bool(source and source.outside_total)
        rows[-1]["code"] = project.code
        rows[-1]["planned_period"] = project.planned_period
        rows[-1]["verdict"] = (
            period_verdict(project.planned_period, project.disbursed)
            if project.uses_budget
            else "ไม่ใช้งบประมาณ"
        )
        rows[-1]["has_detail"] = _has_detail(rows[-1], report)
        rows[-1]["result"] = _result_summary(rows[-1])
    return rows


def _report_signatures(organization: Organization) -> list[Signature]:
    """The progress report's sign-off: the planning group's head reports
    (seed 002 ends "กลุ่มนโยบายและแผน"), the director acknowledges. Names
    from the office's people; a blank line to sign where nobody is set."""
    planning = (
        GroupHeadAssignment.objects.in_force()
        .filter(group__organization=organization, group__name__contains="นโยบายและแผน")
        .select_related("person", "group")
        .order_by("kind", "-start_date")
        .first()
    )
    reporter = Signature(
        "ผู้รายงาน",
        planning.person.full_name if planning else "",
        planning.signature_position if planning else "ผู้อำนวยการกลุ่มนโยบายและแผน",
    )
    director = organization.director
    return [
        reporter,
        Signature(
            "ผู้รับรองรายงาน",
            director.full_name if director else "",
            director.position
            if director and director.position
            else f"ผู้อำนวยการ{organization.name}",
        ),
    ]


def progress_document(reporting_round) -> dict:
    """The progress report of one round (3/6/9/12 months). 14 queries (the
    last two: the planning head and the director who sign it)."""
    projects = _round_projects(reporting_round)
    # The office's own projects make its headline figures; another agency's
    # are counted in their own group only (seed 002: 17 + 18 projects, and
    # "๓. … จากหน่วยงานอื่น … จำนวน ๒ โครงการ" apart).
    own = [row for row in projects if not row["outside_total"]]
    statuses = _status_rows([row["status_value"] for row in own])
    funding_groups = _funding_groups(projects, reporting_round.fiscal_year)
    money = disbursement_progress(
        organization=reporting_round.organization,
        fiscal_year=reporting_round.fiscal_year,
        today=reporting_round.period_end + datetime.timedelta(days=1),
        with_projects=False,  # the office's quarters only; rows come from above
        own_only=True,
    )
    quarters = money.quarters[: reporting_round.number]
    # Headline figures are the office's, as the quarter table below them.
    budget = money.budget
    disbursed = quarters[-1].disbursed_cumulative if quarters else ZERO
    return {
        "round": reporting_round,
        "as_of": data_as_of(
            reporting_round.organization,
            reporting_round.fiscal_year,
            reporting_round=reporting_round,
        ),
        "organization": reporting_round.organization,
        "statuses": statuses,
        "funding_groups": funding_groups,
        "group_chart": _group_status_chart(funding_groups),
        "project_count": len(own),
        "outside_count": len(projects) - len(own),
        "status_chart": pie_chart(
            [Slice(row.label, row.count) for row in statuses],
            title="สถานะการดำเนินงานโครงการ",
            empty="–",
        ),
        "projects": projects,
        # one page each only for projects with something to report
        "detailed": [row for row in projects if row["has_detail"]],
        "signatures": _report_signatures(reporting_round.organization),
        "budget": budget,
        "disbursed": disbursed,
        "disbursed_percent": percent_of(disbursed, budget),
        "quarters": quarters,
        "quarter_chart": bar_chart(
            [row.label for row in quarters],
            [
                Series("แผนการใช้จ่ายสะสม", [row.planned_cumulative for row in quarters]),
                Series("เบิกจ่ายสะสม", [row.disbursed_cumulative for row in quarters]),
            ],
            title="ผลการเบิกจ่ายเทียบกับแผนรายไตรมาส",
        ),
        "issues": [row for row in projects if row["problems"] or row["suggestions"]],
    }


# ------------------------------------------------------------------ annual


@dataclass
class IndicatorLine:
    code: str
    name: str
    target: str
    result: str
    achieved: bool | None
    #: A success-level indicator's criteria with the year's target and the
    #: level reached marked (``IndicatorFields.level_rows``); else empty.
    levels: list[dict] = field(default_factory=list)


@dataclass
class StrategyAttainment:
    number: int
    title: str
    indicators: list[IndicatorLine]

    @property
    def achieved_count(self) -> int:
        return sum(1 for line in self.indicators if line.achieved)


@dataclass
class Attainment:
    strategies: list[StrategyAttainment]

    @property
    def total(self) -> int:
        return sum(len(strategy.indicators) for strategy in self.strategies)

    @property
    def achieved(self) -> int:
        return sum(strategy.achieved_count for strategy in self.strategies)

    @property
    def percent(self) -> Decimal:
        return percent_of(self.achieved, self.total)


def indicator_attainment(plan: Plan, *, strategy=None) -> Attainment:
    """Strategy indicators of the plan against the year's targets. 4 queries."""
    from django.db.models import Prefetch

    year = plan.fiscal_year
    strategies = Strategy.objects.filter(plan=plan).prefetch_related(
        Prefetch(
            "indicators",
            queryset=Indicator.objects.prefetch_related(
                Prefetch(
                    "targets", queryset=IndicatorTarget.objects.filter(fiscal_year=year)
                ),
                Prefetch(
                    "results", queryset=IndicatorResult.objects.filter(fiscal_year=year)
                ),
            ),
        )
    )
    if strategy is not None:
        strategies = strategies.filter(pk=strategy.pk)
    rows = []
    for item in strategies:
        lines = []
        for indicator in item.indicators.all():
            target = next(iter(indicator.targets.all()), None)
            result = next(iter(indicator.results.all()), None)
            reached = result.actual_value if result else None
            levels = []
            if indicator.is_success_level:
                levels = indicator.level_rows(
                    target.target_value if target else None, reached
                )
            lines.append(
                IndicatorLine(
                    code=plan.indicator_label(item.number, indicator.number),
                    name=indicator.name,
                    target=target.target_display(indicator.unit, indicator.unit_label)
                    if target
                    else "",
                    result=level_label(reached)
                    if indicator.is_success_level and reached is not None
                    else result.display_value
                    if result
                    else "",
                    achieved=result.achieved(target) if result else None,
                    levels=levels,
                )
            )
        rows.append(StrategyAttainment(item.number, item.title, lines))
    return Attainment(rows)


@dataclass(frozen=True)
class Tally:
    """Indicators met out of those counted, and the share met."""

    achieved: int
    total: int

    @property
    def percent(self) -> Decimal:
        return percent_of(self.achieved, self.total)


@dataclass(frozen=True)
class AttainmentSummary:
    """Issue 17 item 3: strategy indicators and project KPIs counted
    separately and together. Each is counted from its rows: a text or level
    result counts as met only when its recorded result says so (the rows'
    ``achieved`` is ``True``), never from a printed ratio."""

    strategy: Tally
    projects: Tally

    @property
    def combined(self) -> Tally:
        return Tally(
            self.strategy.achieved + self.projects.achieved,
            self.strategy.total + self.projects.total,
        )


def attainment_summary(
    attainment: Attainment, projects: list[dict]
) -> AttainmentSummary:
    """Strategy indicators (``attainment``) and the KPIs of ``projects``
    (rows of :func:`_round_projects`). No query."""
    kpis = [kpi for row in projects for kpi in row["kpis"]]
    return AttainmentSummary(
        strategy=Tally(attainment.achieved, attainment.total),
        projects=Tally(sum(1 for kpi in kpis if kpi["achieved"] is True), len(kpis)),
    )


def _planner_signature(organization: Organization) -> Signature:
    """The head (or acting head) of the planning group signs as the one who
    prepared the report; blank lines when no head is recorded."""
    assignment = (
        GroupHeadAssignment.objects.in_force()
        .filter(group__organization=organization, group__name__contains="นโยบายและแผน")
        .select_related("person", "group")
        .order_by("kind", "-start_date")
        .first()
    )
    if assignment is None:
        return Signature("ผู้จัดทำรายงาน", "", "ผู้อำนวยการกลุ่มนโยบายและแผน")
    return Signature(
        "ผู้จัดทำรายงาน", assignment.person.full_name, assignment.signature_position
    )


def _director_signature(organization: Organization) -> Signature:
    director = organization.director
    return Signature(
        "ผู้ให้ความเห็นชอบ",
        director.full_name if director else "",
        director.position
        if director and director.position
        else f"ผู้อำนวยการ{organization.name}",
    )


def annual_document(plan: Plan) -> dict:
    """The annual performance report, in seed 004's five chapters: general
    data, direction, results (the office's budget by expense group, the
    projects, the indicators), summary, next year's direction; with a cover
    and the planner's and the director's sign-off.

    The budget table is the office's whole money (:func:`budgets.rollups.
    office_ledger`): allocations, running costs and approved projects."""
    organization = plan.organization
    rounds = list(
        ReportingRound.objects.filter(
            organization=organization, fiscal_year=plan.fiscal_year
        ).order_by("-number")
    )
    final = next((r for r in rounds if r.number == 4), rounds[0] if rounds else None)
    projects = _round_projects(final) if final else []
    ledger = office_ledger(organization, plan.fiscal_year)
    attainment = indicator_attainment(plan)
    next_plan = plan_for(organization, plan.fiscal_year + 1)
    groups = list(
        OfficeGroup.objects.filter(organization=organization).order_by("order", "name")
    )
    return {
        "plan": plan,
        "organization": organization,
        "groups": groups,
        "round": final,
        "as_of": data_as_of(organization, plan.fiscal_year, reporting_round=final),
        "is_final": bool(final and final.number == 4),
        "projects": projects,
        "issues": [row for row in projects if row["problems"] or row["suggestions"]],
        "execution": ledger.rows,
        "execution_total": ledger.total,
        "execution_outside": ledger.outside,
        "attainment": attainment,
        "attainment_summary": attainment_summary(attainment, projects),
        "direction": direction_for_plan(plan),
        "next_year": plan.fiscal_year + 1,
        "next_direction": direction_for_plan(next_plan) if next_plan else None,
        "signatures": [
            _planner_signature(organization),
            _director_signature(organization),
        ],
    }


# ------------------------------------------------------------------ filtered


def budget_report(*, plan: Plan, group=None, strategy=None, source=None) -> dict:
    """The office budget summary plus the projects matching the filters."""
    summary = budget_summary(
        organization=plan.organization, fiscal_year=plan.fiscal_year
    )
    projects = Project.objects.filter(plan=plan)
    if group is not None:
        projects = projects.filter(group=group)
    if strategy is not None:
        projects = projects.filter(strategies=strategy)
    if source is not None:
        projects = projects.filter(budget_source=source)
    if group is None and strategy is None and source is None:
        rows = summary.projects  # the same rows, already read for the summary
    else:
        rows = with_project_budget(
            list(
                projects.select_related("group", "budget_source").order_by(
                    "sequence", "pk"
                )
            )
        )
    totals = project_money_totals(rows)
    return {
        "summary": summary,
        "as_of": data_as_of(plan.organization, plan.fiscal_year),
        "projects": rows,
        "totals": totals,
        "disbursed_percent": percent_of(totals["disbursed"], totals["total_budget"]),
    }


def kpi_report(*, plan: Plan, group=None, strategy=None) -> dict:
    """Strategy indicator attainment and project KPI results of the latest round."""
    latest = (
        ReportingRound.objects.filter(
            organization=plan.organization, fiscal_year=plan.fiscal_year
        )
        .order_by("-number")
        .first()
    )
    projects = _round_projects(latest) if latest else []
    if group is not None:
        projects = [row for row in projects if row["group"] == group.name]
    if strategy is not None:
        ids = set(strategy.projects.values_list("pk", flat=True))
        projects = [row for row in projects if row["id"] in ids]
    kpis = [kpi for row in projects for kpi in row["kpis"]]
    achieved = sum(1 for kpi in kpis if kpi["achieved"])
    return {
        "plan": plan,
        "round": latest,
        "as_of": data_as_of(
            plan.organization, plan.fiscal_year, reporting_round=latest
        ),
        "attainment": indicator_attainment(plan, strategy=strategy),
        "projects": projects,
        "kpi_count": len(kpis),
        "kpi_achieved": achieved,
        "kpi_percent": percent_of(achieved, len(kpis)),
    }
