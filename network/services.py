"""Writes of the network app: only the scale data of issue 20 item 4.

:func:`generate_network` builds a realistic national network for benchmarks
and load tests: OBEC, its regions, and ``offices`` offices (183 primary to 62
secondary, as the real 245), each with ~60 approved projects, ~400
activities, ~2,000 cost lines, payments, an allocation and four progress
rounds with reports, some late. It writes with ``bulk_create`` in chunks of
offices (one ``INSERT … RETURNING`` per table and chunk), never row by row:
the per-row ``save()``, history and service rules are for people's edits,
and would take hours for half a million cost lines. No history rows are
written for generated data.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from budgets.models import Allocation, BudgetSource, CostLine, Disbursement
from core.models import OfficeGroup, Organization
from core.thai import fiscal_year_range
from plans.models import Plan
from progress.models import ProgressReport, ReportingRound
from projects.models import Activity, Project

PREFIX = "เครือข่ายทดสอบ"
REGIONS = 18
GROUPS = (
    "กลุ่มนโยบายและแผน",
    "กลุ่มส่งเสริมการจัดการศึกษา",
    "กลุ่มนิเทศ",
    "กลุ่มบริหารงานบุคคล",
    "กลุ่มบริหารการเงิน",
)
ACTIVITY_NAMES = (
    "ประชุมเชิงปฏิบัติการ",
    "นิเทศติดตาม",
    "อบรมครู",
    "จัดซื้อวัสดุ",
    "ประเมินผล",
    "สรุปรายงาน",
    "ประกวดผลงาน",
)
LINE_NAMES = ("ค่าอาหาร", "ค่าอาหารว่าง", "ค่าที่พัก", "ค่าพาหนะ", "ค่าวัสดุ")
CHUNK = 10


@dataclass
class Generated:
    offices: int
    projects: int
    activities: int
    cost_lines: int
    disbursements: int
    reports: int


def _activity_count(index: int, activities: int, projects: int) -> int:
    """Spread ``activities`` over ``projects`` (400 over 60: 40 of 7, 20 of 6)."""
    base, extra = divmod(activities, projects)
    return base + (1 if index < extra else 0)


@transaction.atomic
def generate_network(
    *,
    offices: int,
    fiscal_year: int,
    today: datetime.date,
    projects: int = 60,
    activities: int = 400,
    lines_per_activity: int = 5,
    seed: int = 20,
    prefix: str = PREFIX,
) -> Generated:
    """``prefix`` starts every organisation's name, so that two generated
    networks live side by side (the benchmark's small and large one)."""
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    obec = Organization(
        name=f"{prefix} สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน",
        short_name=f"{prefix} สพฐ.",
        kind=Organization.Kind.OBEC,
    )
    obec.save()
    regions = []
    for number in range(1, REGIONS + 1):
        region = Organization(
            name=f"{prefix} สำนักงานศึกษาธิการภาค {number}",
            short_name=f"{prefix} ศธภ.{number}",
            kind=Organization.Kind.REGION,
            parent=obec,
        )
        region.save()
        regions.append(region)
    primary = round(offices * 183 / 245)
    source = BudgetSource.objects.create(
        organization=None, code=f"gen-{obec.pk}", name=f"{prefix} งบประมาณ สพฐ."
    )
    start, end = fiscal_year_range(fiscal_year)
    last_paid = min(end, today)
    totals = Generated(offices, 0, 0, 0, 0, 0)
    for first in range(0, offices, CHUNK):
        numbers = range(first, min(first + CHUNK, offices))
        made = Organization.objects.bulk_create(
            Organization(
                name=f"{prefix} สำนักงานเขตพื้นที่การศึกษา เขต {n + 1}",
                short_name=f"{prefix} {'สพป.' if n < primary else 'สพม.'} เขต {n + 1}",
                kind=(
                    Organization.Kind.PRIMARY
                    if n < primary
                    else Organization.Kind.SECONDARY
                ),
                parent=regions[n % REGIONS],
            )
            for n in numbers
        )
        for office in made:
            office.path = f"{office.parent.path}{office.pk}/"
        Organization.objects.bulk_update(made, ["path"])
        groups = OfficeGroup.objects.bulk_create(
            OfficeGroup(organization=office, name=name, order=order)
            for office in made
            for order, name in enumerate(GROUPS, start=1)
        )
        plans = Plan.objects.bulk_create(
            Plan(
                organization=office,
                fiscal_year=fiscal_year,
                status=Plan.Status.APPROVED
                if rng.random() < 0.9
                else Plan.Status.DRAFT,
            )
            for office in made
        )
        Allocation.objects.bulk_create(
            Allocation(
                organization=office,
                fiscal_year=fiscal_year,
                source=source,
                amount=Decimal(rng.randrange(8_000_000, 30_000_000)),
            )
            for office in made
        )
        rounds = ReportingRound.objects.bulk_create(
            ReportingRound(
                organization=office,
                fiscal_year=fiscal_year,
                number=number,
                period_end=ReportingRound.default_period_end(fiscal_year, number),
                due_date=ReportingRound.default_due_date(fiscal_year, number),
            )
            for office in made
            for number in (1, 2, 3, 4)
        )
        by_office = {
            office.pk: [g for g in groups if g.organization_id == office.pk]
            for office in made
        }
        new_projects = Project.objects.bulk_create(
            Project(
                plan=plan,
                group=by_office[plan.organization_id][index % len(GROUPS)],
                sequence=index + 1,
                code=f"P-{index + 1:03d}",
                name=f"โครงการพัฒนาคุณภาพการศึกษา {index + 1}",
                start_month=start,
                end_month=end.replace(day=1),
                status=(
                    Project.Status.APPROVED
                    if rng.random() < 0.95
                    else Project.Status.DRAFT
                ),
            )
            for plan in plans
            for index in range(projects)
        )
        new_activities = Activity.objects.bulk_create(
            Activity(project=project, order=order + 1, name=ACTIVITY_NAMES[order % 7])
            for project in new_projects
            for order in range(
                _activity_count(project.sequence - 1, activities, projects)
            )
        )
        lines = CostLine.objects.bulk_create(
            CostLine(
                activity=activity,
                description=LINE_NAMES[number],
                amount=Decimal(rng.randrange(20, 400) * 100),
            )
            for activity in new_activities
            for number in range(lines_per_activity)
        )
        project_of = {activity.pk: activity.project_id for activity in new_activities}
        approved = {p.pk for p in new_projects if p.status == Project.Status.APPROVED}
        days = max((last_paid - start).days, 0)
        payments = Disbursement.objects.bulk_create(
            Disbursement(
                activity_id=line.activity_id,
                project_id=project_of[line.activity_id],
                cost_line=line,
                amount=line.amount,
                paid_on=start + datetime.timedelta(days=rng.randint(0, days)),
            )
            for line in lines
            if project_of[line.activity_id] in approved and rng.random() < 0.6
        )
        rounds_of = {}
        for reporting_round in rounds:
            rounds_of.setdefault(reporting_round.organization_id, []).append(
                reporting_round
            )
        reports = []
        for project, plan in (
            (p, plan) for plan in plans for p in new_projects if p.plan_id == plan.pk
        ):
            if project.pk not in approved:
                continue
            for reporting_round in rounds_of[plan.organization_id]:
                if reporting_round.due_date > today and rng.random() < 0.5:
                    continue
                late = rng.random() < 0.15
                sent = reporting_round.due_date + datetime.timedelta(
                    days=rng.randint(1, 20) if late else -rng.randint(0, 10)
                )
                reports.append(
                    ProgressReport(
                        round=reporting_round,
                        project=project,
                        state=ProgressReport.State.ACCEPTED,
                        status=ProgressReport.Status.IN_PROGRESS,
                        percent_complete=Decimal(25 * reporting_round.number),
                        submitted_at=datetime.datetime.combine(
                            min(sent, today), datetime.time(9), datetime.UTC
                        ),
                    )
                )
        ProgressReport.objects.bulk_create(reports)
        totals.projects += len(new_projects)
        totals.activities += len(new_activities)
        totals.cost_lines += len(lines)
        totals.disbursements += len(payments)
        totals.reports += len(reports)
    return totals
