"""What the public page and the ITA pack read: an office's published year.

A year is public only when the office published it (a :class:`PublishedYear`
row) *and* its plan is approved; within it only approved projects count, as
in the approved plan book (``approved_only`` of :mod:`budgets.rollups`, the
one home of every total). Progress is shown from locked rounds only (a round
still open may change). Nothing here reads people beyond the names and
positions the documents themselves print.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from budgets.models import OperatingCost
from budgets.rollups import spending_plan
from budgets.selectors import BudgetSummary, budget_summary
from core.thai import bangkok_date
from plans.models import Plan
from progress.models import ProgressReport, ReportingRound
from public.models import PublicOffice, PublishedYear
from reports import documents
from reports.digits import chosen_digits

#: The digits of the published documents: Thai, as the offices print them.
DIGITS = chosen_digits(None)
#: The rounds whose reports the public sees: the 6-month one (ITA O11) and
#: the 12-month one, the year's results (the annual report).
HALF_YEAR, FULL_YEAR = 2, 4
NO_REPORT = "ยังไม่มีรายงาน"


def public_office(slug: str) -> PublicOffice | None:
    return PublicOffice.objects.select_related("organization").filter(slug=slug).first()


def published_years(office: PublicOffice) -> list[int]:
    """The years the office published whose plan is approved, newest first."""
    chosen = set(office.years.values_list("fiscal_year", flat=True))
    return list(
        Plan.objects.filter(
            organization_id=office.organization_id,
            fiscal_year__in=chosen,
            status=Plan.Status.APPROVED,
        )
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
    )


def published_plan(office: PublicOffice, fiscal_year: int) -> Plan | None:
    """The approved plan of a published year; ``None`` for anything else."""
    if not PublishedYear.objects.filter(
        office=office, fiscal_year=fiscal_year
    ).exists():
        return None
    return (
        Plan.objects.select_related("organization__director")
        .filter(
            organization_id=office.organization_id,
            fiscal_year=fiscal_year,
            status=Plan.Status.APPROVED,
        )
        .first()
    )


def locked_round(plan: Plan, number: int) -> ReportingRound | None:
    return (
        ReportingRound.objects.select_related("organization__director")
        .filter(
            organization_id=plan.organization_id,
            fiscal_year=plan.fiscal_year,
            number=number,
            status=ReportingRound.Status.LOCKED,
        )
        .first()
    )


# ------------------------------------------------------------------ documents


@dataclass
class PublicDocument:
    """One published document: ``key`` names it in URLs and in the ITA
    fixture (``plan_book``, ``spending_plan``, ``progress_6``, ``annual``)."""

    key: str
    title: str
    filename: str
    #: the day the data it prints is from
    as_of: datetime.date | None
    #: the PDF's spec (``None`` for the workbook, made from the page's data)
    spec: documents.DocumentSpec | None = None

    @property
    def is_pdf(self) -> bool:
        return self.spec is not None

    def stored(self) -> Path | None:
        """The PDF of today's data when it was rendered already."""
        return self.spec.stored() if self.spec is not None else None


def year_documents(plan: Plan) -> list[PublicDocument]:
    """The documents a published year offers, in the order an office files
    them: the plan book and its spending plan, then the locked rounds'
    reports. A report of a round not yet locked is not offered."""
    year = plan.fiscal_year
    approved_on = bangkok_date(plan.approved_at or plan.updated_at)
    found = [
        PublicDocument(
            "plan_book",
            f"แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. {year}",
            f"แผนปฏิบัติการ-{year}.pdf",
            approved_on,
            documents.plan_book_spec(plan, DIGITS),
        ),
        PublicDocument(
            "spending_plan",
            f"แผนการใช้จ่ายงบประมาณ ปีงบประมาณ พ.ศ. {year} (Excel)",
            f"แผนการใช้จ่ายงบประมาณ-{year}.xlsx",
            approved_on,
        ),
    ]
    half = locked_round(plan, HALF_YEAR)
    if half is not None:
        found.append(
            PublicDocument(
                "progress_6",
                f"รายงานผลการดำเนินงาน รอบ 6 เดือน ปีงบประมาณ พ.ศ. {year}",
                f"รายงานผลการดำเนินงาน-รอบ6เดือน-{year}.pdf",
                half.period_end,
                documents.progress_spec(half, DIGITS),
            )
        )
    full = locked_round(plan, FULL_YEAR)
    if full is not None:
        found.append(
            PublicDocument(
                "annual",
                f"รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. {year}",
                f"รายงานผลการดำเนินงานประจำปี-{year}.pdf",
                full.period_end,
                documents.annual_spec(plan, DIGITS),
            )
        )
    return found


# ------------------------------------------------------------------ the page


@dataclass
class PublicYear:
    office: PublicOffice
    plan: Plan
    summary: BudgetSummary
    projects: list
    documents: list[PublicDocument] = field(default_factory=list)
    #: the last locked round whose statuses the projects show
    status_round: ReportingRound | None = None

    @property
    def organization(self):
        return self.office.organization

    @property
    def spending(self):
        return spending_plan(
            self.organization, self.plan.fiscal_year, self.summary.projects
        )


def public_year(office: PublicOffice, plan: Plan) -> PublicYear:
    """The page's data: the approved projects with their money (the budget
    summary of approved projects) and each one's status in the last locked
    round, and the plan's direction (vision, missions, goals, strategies)."""
    summary = budget_summary(
        organization=office.organization,
        fiscal_year=plan.fiscal_year,
        approved_only=True,
    )
    status_round = (
        ReportingRound.objects.filter(
            organization_id=plan.organization_id,
            fiscal_year=plan.fiscal_year,
            status=ReportingRound.Status.LOCKED,
        )
        .order_by("-number")
        .first()
    )
    statuses = {}
    if status_round is not None:
        statuses = dict(
            ProgressReport.objects.filter(
                round=status_round, state=ProgressReport.State.ACCEPTED
            ).values_list("project_id", "status")
        )
    labels = dict(ProgressReport.Status.choices)
    for project in summary.projects:
        code = statuses.get(project.pk)
        project.public_status = labels.get(code, NO_REPORT)
    return PublicYear(
        office=office,
        plan=direction(plan),
        summary=summary,
        projects=summary.projects,
        documents=year_documents(plan),
        status_round=status_round,
    )


def direction(plan: Plan) -> Plan:
    """The plan with its missions, goals and strategies read in three queries."""
    return (
        Plan.objects.select_related("organization")
        .prefetch_related("missions", "goals", "strategies")
        .get(pk=plan.pk)
    )


def year_stamp(plan: Plan) -> str:
    """The stamp of everything the year's page prints: the annual report's
    (the plan, its projects and money, the year's progress reports, today),
    the rounds' states, and the office's running costs (the spending plan's
    part 1, which the plan's stamp does not read; a dozen rows, read whole)."""
    office_year = {
        "organization_id": plan.organization_id,
        "fiscal_year": plan.fiscal_year,
    }
    rounds = ReportingRound.objects.filter(**office_year).values_list(
        "number", "status"
    )
    running = OperatingCost.objects.filter(**office_year).values_list(
        "pk", "order", "description", "amount"
    )
    return "|".join(
        [
            documents.annual_spec(plan, DIGITS).stamp,
            str(sorted(rounds)),
            str(sorted(running)),
        ]
    )
