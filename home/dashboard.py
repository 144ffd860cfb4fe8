"""The home page of each role: plain data read through the report selectors.

Every figure comes from the selector the matching report uses (the plan
checker, ``budgets.selectors``, ``progress.selectors.board``, the project list),
so a number on a dashboard is the number printed in the report. Each function
runs a fixed number of queries whatever the number of projects; the charts are
the same server-side SVGs as the reports (:mod:`reports.charts`).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from budgets.checker import plan_findings
from budgets.rollups import (
    TargetComparison,
    annotate_project_budget,
    target_comparison,
)
from budgets.selectors import (
    BudgetSummary,
    DisbursementProgress,
    budget_summary,
    disbursement_progress,
)
from core import rules
from core.models import OfficeGroup, Organization
from core.roles import Role
from core.thai import (
    ZERO,
    current_fiscal_year,
    percent_of,
    percent_shares,
    thai_date,
)
from network.selectors import MedianComparison, disbursed_median
from network.views import PAGES as NETWORK_PAGES
from plans.models import Plan
from progress.models import ProgressReport, ReportEvent, ReportingRound
from progress.selectors import MISSING, Board, board
from projects.models import Project, ProjectTransition
from projects.selectors import project_list, status_counts
from reports.charts import Series, Slice, bar_chart, pie_chart
from reports.documents import wait_message
from reports.selectors import indicator_attainment

#: Panels in the order they appear when a user holds several roles.
PLANNER, GROUP_HEAD, DIRECTOR, FINANCE, OFFICER, VIEWER, OVERSEER = (
    "planner",
    "group_head",
    "director",
    "finance",
    "officer",
    "viewer",
    "overseer",
)

#: What the group does next with a project, by workflow state.
NEXT_ACTION = {
    Project.Status.DRAFT: "กรอกแบบเสนอโครงการให้ครบแล้วเสนอ",
    Project.Status.RETURNED: "แก้ไขตามความเห็น",
    Project.Status.SUBMITTED: "รอตรวจ",
    Project.Status.CHECKED: "รออนุมัติ",
    Project.Status.REVISING: "ปรับแผนในแบบเสนอโครงการแล้วเสนอขออนุมัติการปรับแผน",
    Project.Status.REVISION_PENDING: "รออนุมัติการปรับแผน",
}
REPORT_DUE = "รายงานไตรมาส {quarter} ครบกำหนด {due}"
REPORT_RETURNED = "แก้ไขรายงานไตรมาส {quarter} ตามความเห็น"
REPORT_WAITING = "รายงานไตรมาส {quarter} รอตรวจ"
REPORT_DONE = "รายงานไตรมาส {quarter} ตรวจรับแล้ว"
NO_ROUND = "ดำเนินโครงการตามแผน"


# ------------------------------------------------------------------ shared


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    #: a long PDF: what the wait overlay says while it is made
    wait: str = ""


def fiscal_years(organization: Organization, chosen: int) -> list[int]:
    """Years for the switcher: the office's plans, this year and ``chosen``."""
    years = set(
        Plan.objects.filter(organization=organization).values_list(
            "fiscal_year", flat=True
        )
    )
    years.update({current_fiscal_year(), chosen})
    return sorted(years, reverse=True)


@dataclass(frozen=True)
class StatusRow:
    status: str
    label: str
    count: int
    share: Decimal


@dataclass
class StatusSummary:
    rows: list[StatusRow]
    total: int
    chart: SafeString


def status_summary(projects: list[Project], title: str) -> StatusSummary:
    """Projects by workflow state (the project list's own counts) and a pie."""
    counts = status_counts(projects)
    shares = percent_shares([count for _, count in counts])
    rows = [
        StatusRow(value, label, count, share)
        for (value, _), (label, count), share in zip(
            Project.Status.choices, counts, shares, strict=True
        )
    ]
    chart = pie_chart([Slice(label, count) for label, count in counts], title=title)
    return StatusSummary(rows=rows, total=len(projects), chart=chart)


def _plan(organization, fiscal_year: int) -> Plan | None:
    return Plan.objects.filter(
        organization=organization, fiscal_year=fiscal_year
    ).first()


@dataclass
class Compliance:
    """The open round's board totals (the compliance board's own tally)."""

    round: ReportingRound | None
    board: Board | None
    url: str

    @property
    def cells(self):
        return self.board.tally.cells if self.board else []


def compliance(organization, fiscal_year: int, today=None) -> Compliance:
    """The open round of the year and its board. Two queries."""
    reporting_round = ReportingRound.objects.current_for(organization, fiscal_year)
    url = reverse("progress:board")
    if reporting_round is None:
        return Compliance(None, None, url)
    return Compliance(
        reporting_round,
        board(reporting_round, today),
        f"{url}?round={reporting_round.pk}",
    )


# ------------------------------------------------------------------ planner


@dataclass
class PlannerPanel:
    plan: Plan | None
    finding_count: int
    projects_with_findings: int
    checker_url: str
    states: StatusSummary
    budget: BudgetSummary
    compliance: Compliance
    targets: TargetComparison


def planner_panel(*, organization, fiscal_year: int, today=None) -> PlannerPanel:
    """Plan completeness, projects by state, envelopes by source, compliance,
    the office's and groups' disbursement against the target.

    31 queries: plan 1, checker 7, project list 1, budget summary 16, board 2,
    targets 4.
    """
    today = today or timezone.localdate()
    plan = _plan(organization, fiscal_year)
    findings = plan_findings(plan) if plan else []
    projects = project_list(
        organization=organization, fiscal_year=fiscal_year, with_counts=False
    )
    return PlannerPanel(
        plan=plan,
        finding_count=len(findings),
        projects_with_findings=len({f.project.pk for f in findings if f.project}),
        checker_url=f"{reverse('projects:checker')}?fiscal_year={fiscal_year}",
        states=status_summary(projects, "โครงการจำแนกตามสถานะ"),
        budget=budget_summary(
            organization=organization, fiscal_year=fiscal_year, today=today
        ),
        compliance=compliance(organization, fiscal_year, today),
        targets=target_comparison(organization, fiscal_year, today=today),
    )


# ------------------------------------------------------------------ group work


@dataclass
class ProjectRow:
    project: Project
    next_action: str
    priority: int
    comment: str
    action_url: str

    @property
    def is_returned(self) -> bool:
        return self.priority == 0


def _work_queryset(organization, fiscal_year: int, reporting_round):
    """Projects with money, the last return comment and the round's report."""
    last_return = ProjectTransition.objects.filter(
        project=OuterRef("pk"), to_status=Project.Status.RETURNED
    ).order_by("-created_at", "-pk")
    queryset = annotate_project_budget(
        Project.objects.filter(
            plan__organization=organization, plan__fiscal_year=fiscal_year
        )
    ).annotate(return_comment=Subquery(last_return.values("comment")[:1]))
    if reporting_round is not None:
        reports = ProgressReport.objects.filter(
            round=reporting_round, project=OuterRef("pk")
        )
        returned = ReportEvent.objects.filter(
            report__round=reporting_round,
            report__project=OuterRef("pk"),
            action=ReportEvent.Action.RETURN,
        ).order_by("-created_at", "-pk")
        queryset = queryset.annotate(
            report_state=Subquery(reports.values("state")[:1]),
            report_id=Subquery(reports.values("pk")[:1]),
            report_comment=Subquery(returned.values("comment")[:1]),
        )
    return queryset.select_related("group").order_by("sequence", "pk")


def _report_step(project, reporting_round) -> tuple[str, int, str]:
    """(next action, priority, return comment) of an approved project."""
    if reporting_round is None:
        return NO_ROUND, 3, ""
    quarter = reporting_round.number
    state = project.report_state or MISSING
    if state == ProgressReport.State.RETURNED:
        comment = project.report_comment or ""
        return REPORT_RETURNED.format(quarter=quarter), 0, comment
    if state in (MISSING, ProgressReport.State.DRAFT):
        due = thai_date(reporting_round.due_date, "medium")
        return REPORT_DUE.format(quarter=quarter, due=due), 1, ""
    if state == ProgressReport.State.SUBMITTED:
        return REPORT_WAITING.format(quarter=quarter), 2, ""
    return REPORT_DONE.format(quarter=quarter), 3, ""


def project_rows(projects, reporting_round) -> list[ProjectRow]:
    """Each project with its next action; returned items first."""
    rows = []
    for project in projects:
        detail = reverse("projects:detail", args=[project.pk])
        if project.status == Project.Status.APPROVED:
            action, priority, comment = _report_step(project, reporting_round)
            url = (
                reverse(
                    "progress:group_round",
                    args=[reporting_round.pk, project.group_id],
                )
                if reporting_round is not None and priority < 3
                else detail
            )
        else:
            action = NEXT_ACTION[project.status]
            returned = project.status == Project.Status.RETURNED
            priority = 0 if returned else (1 if project.status == "draft" else 2)
            comment = (project.return_comment or "") if returned else ""
            url = detail
        rows.append(ProjectRow(project, action, priority, comment, url))
    rows.sort(key=lambda row: row.priority)
    return rows


@dataclass
class GroupMoney:
    group: OfficeGroup
    project_count: int
    budget: Decimal
    disbursed: Decimal

    @property
    def disbursed_percent(self) -> Decimal:
        return percent_of(self.disbursed, self.budget)


@dataclass
class GroupHeadPanel:
    groups: list[OfficeGroup]
    round: ReportingRound | None
    rows: list[ProjectRow]
    reports_due: int
    report_links: list[Link]
    money: list[GroupMoney]
    targets: TargetComparison


def group_head_panel(
    *, user, organization, fiscal_year: int, today=None
) -> GroupHeadPanel:
    """The headed groups' projects, next actions, reports due and money, and
    each of their projects' disbursement against the target.

    24 queries: headed group ids 1, groups 1, round 1, projects 1, budget
    summary 16 (its by-group table gives the group's budget and disbursement),
    targets 4.
    """
    today = today or timezone.localdate()
    group_ids = rules.headed_group_ids(user)
    groups = list(
        OfficeGroup.objects.filter(pk__in=group_ids, organization=organization)
    )
    reporting_round = ReportingRound.objects.current_for(organization, fiscal_year)
    projects = _work_queryset(organization, fiscal_year, reporting_round).filter(
        group__in=groups
    )
    rows = project_rows(projects, reporting_round)
    due = [row for row in rows if row.project.status == "approved" and row.priority < 2]
    links = []
    if reporting_round is not None:
        links = [
            Link(
                f"รายงานความก้าวหน้า {reporting_round.label} ({group.name})",
                reverse("progress:group_round", args=[reporting_round.pk, group.pk]),
            )
            for group in groups
        ]
    summary = budget_summary(
        organization=organization, fiscal_year=fiscal_year, today=today
    )
    by_group = {row.pk: row for row in summary.groups}
    money = [
        GroupMoney(
            group,
            by_group[group.pk].project_count if group.pk in by_group else 0,
            by_group[group.pk].total_budget if group.pk in by_group else ZERO,
            by_group[group.pk].disbursed if group.pk in by_group else ZERO,
        )
        for group in groups
    ]
    return GroupHeadPanel(
        groups=groups,
        round=reporting_round,
        rows=rows,
        reports_due=len(due),
        report_links=links,
        money=money,
        targets=target_comparison(
            organization,
            fiscal_year,
            today=today,
            group_ids=[group.pk for group in groups],
            with_projects=True,
        ),
    )


@dataclass
class OfficerPanel:
    round: ReportingRound | None
    rows: list[ProjectRow]


def officer_panel(*, person, organization, fiscal_year: int) -> OfficerPanel:
    """Projects the person is named on, with next actions. Two queries."""
    reporting_round = ReportingRound.objects.current_for(organization, fiscal_year)
    projects = (
        _work_queryset(organization, fiscal_year, reporting_round)
        .filter(responsibles__person=person)
        .distinct()
    )
    return OfficerPanel(reporting_round, project_rows(projects, reporting_round))


# ------------------------------------------------------------------ director


@dataclass
class StrategyAttainment:
    number: int
    title: str
    indicators: int
    with_results: int
    achieved: int

    @property
    def achieved_percent(self) -> Decimal:
        return percent_of(self.achieved, self.indicators)


def strategy_attainment(plan: Plan | None) -> list[StrategyAttainment]:
    """Indicators per strategy, counted from the annual report's own table
    (``reports.selectors.indicator_attainment``). Four queries."""
    if plan is None:
        return []
    return [
        StrategyAttainment(
            number=strategy.number,
            title=strategy.title,
            indicators=len(strategy.indicators),
            with_results=sum(1 for line in strategy.indicators if line.result),
            achieved=strategy.achieved_count,
        )
        for strategy in indicator_attainment(plan).strategies
    ]


def _latest_round(organization, fiscal_year: int, today) -> ReportingRound | None:
    """The last round whose period has ended, else the first one of the year."""
    rounds = list(
        ReportingRound.objects.filter(
            organization=organization, fiscal_year=fiscal_year
        ).order_by("number")
    )
    ended = [r for r in rounds if r.period_end <= today]
    return ended[-1] if ended else (rounds[0] if rounds else None)


def document_links(
    organization, fiscal_year: int, plan, today, projects: int = 0
) -> list[Link]:
    """The plan book and the latest progress report PDFs of the year, each
    telling how long it takes to make for ``projects`` projects."""
    links = []
    wait = wait_message(projects)
    if plan is not None:
        url = reverse("reports:plan_book_pdf", args=[plan.pk])
        links.append(Link(f"ดาวน์โหลดเล่ม{plan.display_title} (PDF)", url, wait))
    reporting_round = _latest_round(organization, fiscal_year, today)
    if reporting_round is not None:
        url = reverse("reports:progress_report_pdf", args=[reporting_round.pk])
        label = f"ดาวน์โหลดรายงานความก้าวหน้า {reporting_round.label} (PDF)"
        links.append(Link(label, url, wait))
    return links


@dataclass
class DirectorPanel:
    plan: Plan | None
    awaiting: list[Link]
    progress: DisbursementProgress
    quarter_chart: SafeString
    states: StatusSummary
    attainment: list[StrategyAttainment]
    documents: list[Link]
    targets: TargetComparison
    median: MedianComparison


def director_panel(*, organization, fiscal_year: int, today=None) -> DirectorPanel:
    """Approvals waiting, money by quarter, project states, KPI attainment and
    the documents to download, the office's and groups' disbursement against
    the target, and the office's paid percentage beside the median of its
    network (issue 20: no other office named). 20 queries: plan 1, project
    list 1, disbursement progress 6, attainment 4, rounds 1, targets 4,
    median 3 (the network's offices, the others' roll-up rows, which of them
    changed: ``network.selectors.disbursed_median``; the office's own figure
    is the targets' office row, never its own roll-up row, which a change
    made minutes ago would have recomputed on every view), plus 16 when
    another office changed in the last minutes has its row recomputed."""
    today = today or timezone.localdate()
    plan = _plan(organization, fiscal_year)
    projects = project_list(
        organization=organization, fiscal_year=fiscal_year, with_counts=False
    )
    awaiting = []
    if plan is not None and plan.status == Plan.Status.SUBMITTED:
        awaiting.append(
            Link(
                f"{plan.display_title} (เสนออนุมัติแผน)",
                reverse("plans:direction", args=[plan.pk]),
            )
        )
    awaiting += [
        Link(project.name, reverse("projects:detail", args=[project.pk]))
        for project in projects
        if project.status == Project.Status.CHECKED
    ]
    # plan changes wait for the same signature (the queue lists them too)
    awaiting += [
        Link(
            f"{project.name} (ขอปรับแผน)",
            reverse("projects:detail", args=[project.pk]),
        )
        for project in projects
        if project.status == Project.Status.REVISION_PENDING
    ]
    progress = disbursement_progress(
        organization=organization,
        fiscal_year=fiscal_year,
        today=today,
        with_projects=False,
    )
    chart = bar_chart(
        [f"ไตรมาส {row.quarter}" for row in progress.quarters],
        [
            Series("แผนการใช้จ่าย", [row.planned for row in progress.quarters]),
            Series("เบิกจ่ายจริง", [row.disbursed for row in progress.quarters]),
        ],
        title="งบประมาณตามแผนและการเบิกจ่ายรายไตรมาส",
    )
    targets = target_comparison(organization, fiscal_year, today=today)
    return DirectorPanel(
        plan=plan,
        awaiting=awaiting,
        progress=progress,
        quarter_chart=chart,
        states=status_summary(projects, "สถานะโครงการ"),
        attainment=strategy_attainment(plan),
        documents=document_links(
            organization, fiscal_year, plan, today, projects=len(projects)
        ),
        targets=targets,
        # the office row is the median's own figure: approved projects'
        # budget and payments up to today, already read
        median=disbursed_median(
            organization,
            fiscal_year,
            today,
            own=(targets.office.budget, targets.office.paid),
        ),
    )


# ------------------------------------------------------------------ others


@dataclass
class FinancePanel:
    progress: DisbursementProgress
    url: str
    targets: TargetComparison
    #: The finance desk of the year, where payments are recorded.
    desk_url: str = ""


def finance_panel(*, organization, fiscal_year: int, today=None) -> FinancePanel:
    """Disbursement progress (the disbursement report's selector, without its
    per-project rows) and the office's and groups' disbursement against the
    target. 10 queries: progress 6, targets 4."""
    today = today or timezone.localdate()
    return FinancePanel(
        progress=disbursement_progress(
            organization=organization,
            fiscal_year=fiscal_year,
            today=today,
            with_projects=False,
        ),
        url=f"{reverse('budgets:disbursement')}?fiscal_year={fiscal_year}",
        targets=target_comparison(organization, fiscal_year, today=today),
        desk_url=f"{reverse('budgets:desk')}?fiscal_year={fiscal_year}",
    )


@dataclass
class ViewerPanel:
    states: StatusSummary
    compliance: Compliance


def viewer_panel(*, organization, fiscal_year: int, today=None) -> ViewerPanel:
    """Project states and the open round's compliance. 3 queries."""
    projects = project_list(
        organization=organization, fiscal_year=fiscal_year, with_counts=False
    )
    return ViewerPanel(
        states=status_summary(projects, "สถานะโครงการ"),
        compliance=compliance(organization, fiscal_year, today),
    )


# ------------------------------------------------------------------ by role


@dataclass
class Dashboard:
    fiscal_year: int
    years: list[int]
    panels: dict = field(default_factory=dict)


def panels_for(user) -> list[str]:
    """Which panels a user sees, most specific first; one per role held.
    An overseer sees only the network's links: no office panel reads their
    node, which plans no year."""
    if rules.is_overseer(user):
        return [OVERSEER]
    held = []
    if rules.has_role(user, Role.PLANNER, Role.ADMIN):
        held.append(PLANNER)
    if rules.has_role(user, Role.DIRECTOR):
        held.append(DIRECTOR)
    if rules.has_role(user, Role.GROUP_HEAD) and rules.headed_group_ids(user):
        held.append(GROUP_HEAD)
    if rules.has_role(user, Role.FINANCE):
        held.append(FINANCE)
    if rules.has_role(user, Role.PROJECT_OFFICER) and rules.person_of(user):
        held.append(OFFICER)
    if not held and rules.roles_of(user):
        held.append(VIEWER)
    return held


def dashboard_for(
    user, organization: Organization, fiscal_year: int, today=None
) -> Dashboard:
    """Every panel of ``user``'s roles for ``organization`` and ``fiscal_year``."""
    today = today or timezone.localdate()
    person = rules.person_of(user)
    office = {"organization": organization, "fiscal_year": fiscal_year}
    builders = {
        PLANNER: lambda: planner_panel(**office, today=today),
        DIRECTOR: lambda: director_panel(**office, today=today),
        GROUP_HEAD: lambda: group_head_panel(user=user, **office, today=today),
        FINANCE: lambda: finance_panel(**office, today=today),
        OFFICER: lambda: officer_panel(person=person, **office),
        VIEWER: lambda: viewer_panel(**office, today=today),
        OVERSEER: lambda: [
            Link(page.title, reverse("network:page", args=[slug]))
            for slug, page in NETWORK_PAGES.items()
        ],
    }
    return Dashboard(
        fiscal_year=fiscal_year,
        years=fiscal_years(organization, fiscal_year),
        panels={name: builders[name]() for name in panels_for(user)},
    )
