"""Read-side queries for progress: projects of a round, money disbursed so far,
the compliance board and reminder recipients. Every function runs a fixed
number of queries whatever the number of projects."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from budgets.rollups import disbursed_subquery, total_budget_subquery
from core.models import GroupHeadAssignment, OfficeGroup
from core.thai import percent_of, percent_shares
from progress.models import (
    ActivityProgress,
    KPIActual,
    ProgressReport,
    ReportEvent,
    ReportingRound,
)
from projects.models import Project, ProjectResponsible

# ------------------------------------------------------------------ projects


def round_projects(reporting_round: ReportingRound):
    """Approved projects of the office's plan for the round's fiscal year."""
    return (
        Project.objects.filter(
            plan__organization_id=reporting_round.organization_id,
            plan__fiscal_year=reporting_round.fiscal_year,
            status=Project.Status.APPROVED,
        )
        .select_related("group")
        .order_by("group__order", "group__name", "sequence", "pk")
    )


def group_round_projects(*, reporting_round: ReportingRound, group: OfficeGroup):
    """The group's projects for the round, ready for the reporting screen.

    Five queries: projects (with money annotated), activities, KPIs,
    responsible people, and nothing more.
    """
    return list(
        round_projects(reporting_round)
        .filter(group=group)
        .annotate(
            disbursed=disbursed_subquery(until=reporting_round.period_end),
            total_budget=total_budget_subquery(),
        )
        .prefetch_related(
            "activities",
            "kpis",
            Prefetch(
                "responsibles",
                queryset=ProjectResponsible.objects.select_related("person"),
            ),
        )
    )


def reports_by_project(
    reporting_round: ReportingRound | None, project_ids
) -> dict[int, ProgressReport]:
    """Reports of ``reporting_round`` for ``project_ids``, with their parts."""
    if reporting_round is None:
        return {}
    reports = (
        ProgressReport.objects.filter(round=reporting_round, project_id__in=project_ids)
        .select_related("round")
        .prefetch_related(
            "activity_progress",
            "kpi_actuals",
            "evidence",
            Prefetch(
                "events",
                queryset=ReportEvent.objects.select_related("actor__person"),
            ),
        )
    )
    return {report.project_id: report for report in reports}


def previous_round(reporting_round: ReportingRound) -> ReportingRound | None:
    if reporting_round.number == 1:
        return None
    return ReportingRound.objects.filter(
        organization_id=reporting_round.organization_id,
        fiscal_year=reporting_round.fiscal_year,
        number=reporting_round.number - 1,
    ).first()


def report_detail(report_id: int) -> ProgressReport | None:
    return (
        ProgressReport.objects.with_disbursed()
        .select_related("round__organization", "project__group", "submitted_by")
        .prefetch_related(
            Prefetch(
                "activity_progress",
                queryset=ActivityProgress.objects.select_related("activity"),
            ),
            Prefetch(
                "kpi_actuals",
                queryset=KPIActual.objects.select_related("kpi"),
            ),
            "evidence",
            "project__responsibles",
            Prefetch(
                "events", queryset=ReportEvent.objects.select_related("actor__person")
            ),
        )
        .filter(pk=report_id)
        .first()
    )


def review_reports(reporting_round: ReportingRound) -> list[ProgressReport]:
    """Submitted reports of the round, oldest submission first."""
    return list(
        ProgressReport.objects.filter(
            round=reporting_round, state=ProgressReport.State.SUBMITTED
        )
        .with_disbursed()
        .select_related("project__group", "submitted_by__person")
        .order_by("submitted_at", "pk")
    )


# ------------------------------------------------------------------ board

MISSING = "missing"
#: Board columns in order: the report state, or "missing" when none exists.
BOARD_STATES = [
    (MISSING, "ยังไม่รายงาน"),
    (ProgressReport.State.DRAFT, "ร่าง"),
    (ProgressReport.State.SUBMITTED, "ส่งแล้ว รอตรวจ"),
    (ProgressReport.State.RETURNED, "ส่งกลับแก้ไข"),
    (ProgressReport.State.ACCEPTED, "ตรวจรับแล้ว"),
]
STATE_LABELS = dict(BOARD_STATES)
#: States that still need the group to act (reminders go out for these).
PENDING_STATES = (MISSING, ProgressReport.State.DRAFT, ProgressReport.State.RETURNED)
DONE_STATES = (ProgressReport.State.SUBMITTED, ProgressReport.State.ACCEPTED)


@dataclass
class BoardRow:
    project: Project
    state: str
    report_id: int | None
    overdue: bool

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass
class Tally:
    """Counts per state with shares adding up to exactly 100.00."""

    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(STATE_LABELS, 0)
    )
    overdue: int = 0

    def add(self, row: BoardRow) -> None:
        self.counts[row.state] += 1
        self.overdue += row.overdue

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        return sum(self.counts[state] for state in DONE_STATES)

    @property
    def done_percent(self) -> Decimal:
        """Submitted or accepted, as a percentage of all projects."""
        return percent_of(self.done, self.total)

    @property
    def cells(self) -> list[tuple[str, str, int, Decimal]]:
        """(state, label, count, share) per board column."""
        shares = percent_shares([self.counts[state] for state, _ in BOARD_STATES])
        return [
            (state, label, self.counts[state], share)
            for (state, label), share in zip(BOARD_STATES, shares, strict=True)
        ]


@dataclass
class BoardGroup:
    group: OfficeGroup
    rows: list[BoardRow] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)


@dataclass
class Board:
    round: ReportingRound
    groups: list[BoardGroup]
    tally: Tally
    overdue: bool


def board(reporting_round: ReportingRound, today: datetime.date | None = None) -> Board:
    """Per group and project, the state of the round's report. One query.

    A project is overdue when the due date has passed and its report is
    neither submitted nor accepted.
    """
    today = today or timezone.localdate()
    past_due = reporting_round.is_overdue(today)
    reports = ProgressReport.objects.filter(
        round=reporting_round, project=OuterRef("pk")
    )
    projects = round_projects(reporting_round).annotate(
        report_state=Subquery(reports.values("state")[:1]),
        report_id=Subquery(reports.values("pk")[:1]),
    )
    groups: dict[int, BoardGroup] = {}
    overall = Tally()
    for project in projects:
        state = project.report_state or MISSING
        row = BoardRow(
            project=project,
            state=state,
            report_id=project.report_id,
            overdue=past_due and state not in DONE_STATES,
        )
        entry = groups.setdefault(project.group_id, BoardGroup(group=project.group))
        entry.rows.append(row)
        entry.tally.add(row)
        overall.add(row)
    return Board(
        round=reporting_round,
        groups=list(groups.values()),
        tally=overall,
        overdue=past_due,
    )


# ------------------------------------------------------------------ reminders


@dataclass
class Reminder:
    group: OfficeGroup
    rows: list[BoardRow]
    recipients: list[str]
    names: list[str]
    without_email: list[str]


def _email_of(person) -> str:
    if person.email:
        return person.email
    user = person.user
    return user.email if user is not None else ""


def reminders(
    reporting_round: ReportingRound, today: datetime.date | None = None
) -> list[Reminder]:
    """Groups with missing, draft or returned reports, and whom to remind.

    Recipients are the heads in force (acting included) and the people named
    on the pending projects. Three queries.
    """
    result = []
    pending = [
        (entry, [row for row in entry.rows if row.state in PENDING_STATES])
        for entry in board(reporting_round, today).groups
    ]
    pending = [(entry, rows) for entry, rows in pending if rows]
    group_ids = [entry.group.pk for entry, _ in pending]
    project_ids = [row.project.pk for _, rows in pending for row in rows]
    heads: dict[int, list] = {}
    for assignment in (
        GroupHeadAssignment.objects.in_force(today)
        .filter(group_id__in=group_ids)
        .select_related("person__user")
        .order_by("kind", "-start_date")
    ):
        heads.setdefault(assignment.group_id, []).append(assignment.person)
    officers: dict[int, list] = {}
    for responsible in ProjectResponsible.objects.filter(
        project_id__in=project_ids, person__isnull=False
    ).select_related("person__user", "project"):
        officers.setdefault(responsible.project.group_id, []).append(responsible.person)
    for entry, rows in pending:
        people = heads.get(entry.group.pk, []) + officers.get(entry.group.pk, [])
        recipients, names, without = [], [], []
        for person in people:
            email = _email_of(person)
            if person.full_name not in names:
                names.append(person.full_name)
            if not email:
                without.append(person.full_name)
            elif email not in recipients:
                recipients.append(email)
        result.append(Reminder(entry.group, rows, recipients, names, without))
    return result


def round_years(rounds) -> list[tuple[int, int]]:
    """(fiscal year, its first round's id) for each year in ``rounds`` (ordered
    newest year first, then by number): the board's links to other years."""
    first: dict[int, int] = {}
    for reporting_round in rounds:
        first.setdefault(reporting_round.fiscal_year, reporting_round.pk)
    return list(first.items())
