"""Writes of the network app: the roll-up the overseer pages read
(:func:`office_figures`), and the scale data of issue 20 item 4.

:func:`generate_network` builds a realistic national network for benchmarks
and load tests: OBEC, its regions, and ``offices`` offices (183 primary to 62
secondary, as the real 245), each with ~60 approved projects, ~400
activities, ~2,000 cost lines, payments, an allocation and four progress
rounds with reports, some late, projects aligned to OBEC policy items, and
strategies with indicators, targets and results. It writes with
``bulk_create`` in chunks of offices (one ``INSERT … RETURNING`` per table
and chunk), never row by row:
the per-row ``save()``, history and service rules are for people's edits,
and would take hours for half a million cost lines. No history rows are
written for generated data; the roll-up is computed at the end.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import IntegerField, Max, Value
from django.utils import timezone

from budgets.models import Allocation, BudgetSource, CostLine, Disbursement
from core.models import OfficeGroup, Organization
from core.thai import ZERO, fiscal_year_range
from network import live
from network.models import OfficeYearFigures
from plans.models import (
    Indicator,
    IndicatorTarget,
    Plan,
    PolicyItem,
    Strategy,
)
from progress.models import ProgressReport, ReportingRound
from projects.models import Activity, Project
from reports.models import IndicatorResult

# ------------------------------------------------------------------ roll-up

#: How far back a row's stamp is set from the moment its figures were read.
#: A change saved inside a transaction still open during the read carries an
#: earlier ``history_date`` than the read yet is invisible to it; setting the
#: stamp back keeps such a change "newer than the row" for this long, so the
#: office is read again (two minutes: longer than the Excel import's longest
#: transaction). The cost: an office changed in the last two minutes is
#: re-read on each overseer request until the margin has passed (a few grouped
#: queries over that office's rows only).
STAMP_MARGIN = datetime.timedelta(minutes=2)

#: Where each table behind the four pages records its changes, and the path
#: from that record to the office (``None``: the table belongs to no office,
#: so a change there concerns every office). The rule is total: every write
#: that changes what the pages show leaves an audit history row with an
#: indexed ``history_date`` here, and ``tests/network/test_change_sources``
#: fails when a table the live functions (``network.live``) read is missing.
#:
#: - Forms, services, the Excel import's ``rows_*`` helpers and cascaded
#:   deletes write a history row per object, deletions a "-" row (indicator
#:   results too, since they keep history).
#: - Links (``Project.policy_items``): the link table keeps no history of its
#:   own; simple-history's m2m tracking writes a "~" row of the *project*
#:   (with its links' snapshot in the m2m history table, which hangs off that
#:   row and so needs no part here) on every ``add``/``set``/``remove``/
#:   ``clear``; the Excel import, which writes links in bulk without signals,
#:   writes that row itself (``core.services.rows_links_changed``).
#: - The OBEC policy items decide which links count (their ``kind``), and
#:   deleting one drops its links without a signal: any change to an item
#:   refreshes every office, once (items are reference data, edited rarely).
#:
#: Not here, because the pages read them live, never from the stored rows:
#: the offices themselves (names, tree) and the disbursement targets.
#: The generator (below) writes no history; it stores the roll-up itself.
CHANGE_SOURCES = (
    (Plan.history.model, "organization", "history_date"),
    (Allocation.history.model, "organization", "history_date"),
    (Project.history.model, "plan__organization", "history_date"),
    (Activity.history.model, "project__plan__organization", "history_date"),
    (CostLine.history.model, "activity__project__plan__organization", "history_date"),
    (Disbursement.history.model, "project__plan__organization", "history_date"),
    (ReportingRound.history.model, "organization", "history_date"),
    (ProgressReport.history.model, "round__organization", "history_date"),
    (Strategy.history.model, "plan__organization", "history_date"),
    (Indicator.history.model, "strategy__plan__organization", "history_date"),
    (
        IndicatorTarget.history.model,
        "indicator__strategy__plan__organization",
        "history_date",
    ),
    (
        IndicatorResult.history.model,
        "indicator__strategy__plan__organization",
        "history_date",
    ),
    (PolicyItem.history.model, None, "history_date"),
)

#: The key of :func:`_changed_since` for a change that concerns every office.
#: No office has primary key 0, and ``None`` already means a row whose parent
#: is gone (skipped: the parent's own "-" row names the office).
EVERY_OFFICE = 0


def _part(model, path, date, since):
    recent = model.objects.filter(**{f"{date}__gte": since}).order_by()
    if path is None:
        # One row (0, latest or NULL): no GROUP BY, the union's columns alike.
        recent = recent.annotate(office=Value(EVERY_OFFICE, IntegerField()))
        path = "office"
    return recent.values_list(path).annotate(last=Max(date))


def _changed_since(since: datetime.datetime) -> dict:
    """``{office pk: latest change}`` of every office changed at or after
    ``since`` (key :data:`EVERY_OFFICE`: a change that concerns them all):
    one ``UNION ALL`` query, each part a range scan of a history
    table's indexed ``history_date`` (recent rows only), grouped by office.
    Not filtered by the page's offices: a list of 245 ids in each of the
    parts cost more to plan than the scan of recent history costs to run."""
    parts = [_part(model, path, date, since) for model, path, date in CHANGE_SOURCES]
    changed: dict = {}
    for pk, last in parts[0].union(*parts[1:], all=True):
        if pk is None or last is None:
            continue
        if pk not in changed or last > changed[pk]:
            changed[pk] = last
    return changed


#: Rows checked fresh whose stamp is older than this get a new stamp, so the
#: history scanned from the oldest stamp stays a short, recent range.
ADVANCE_AFTER = datetime.timedelta(hours=1)


def office_figures(
    pks: list[int], fiscal_year: int, fields: tuple[str, ...] = ()
) -> dict:
    """``{office pk: OfficeYearFigures}`` of ``pks`` for ``fiscal_year``, each
    right as of now.

    Why lazily, by a stamp, and not refreshed by the services that change the
    figures: those services live in seven apps below this one (plans,
    projects, budgets, progress, reports, the Excel import, the admin) with
    no single function they all call, and they may not import this app
    (the layers). Every one of them, however, leaves an audit history row
    with an indexed date. So each row keeps the moment it was computed
    (``computed_at``) and a request asks once which of its offices have a
    history row at least as recent (:func:`_changed_since`), then recomputes
    only those, and offices without a row, in one set of grouped queries
    (:func:`refresh_figures`). A page over 245 unchanged offices runs two
    queries here (a third, an ``UPDATE``, at most once an hour to move old
    stamps forward); the count never depends on how many offices are stale.
    ``fields``: read only these of the stored rows (and what the check
    needs; the director's median wants three numbers, not the JSON of 245
    rows); a recomputed row comes back whole.
    """
    stored = OfficeYearFigures.objects.filter(
        organization_id__in=pks, fiscal_year=fiscal_year
    )
    if fields:
        stored = stored.only("organization", "fiscal_year", "computed_at", *fields)
    rows = {row.organization_id: row for row in stored}
    stale = set(pks) - set(rows)
    if rows:
        now = timezone.now()
        since = min(row.computed_at for row in rows.values())
        changed = _changed_since(since)
        everyone = changed.pop(EVERY_OFFICE, None)
        for pk, row in rows.items():
            last = changed.get(pk)
            if (last is not None and last >= row.computed_at) or (
                everyone is not None and everyone >= row.computed_at
            ):
                stale.add(pk)
        if since < now - ADVANCE_AFTER:
            # Nothing of these offices changed up to now: their figures are
            # still right as of the new stamp (the margin as for a refresh).
            OfficeYearFigures.objects.filter(
                organization_id__in=[pk for pk in rows if pk not in stale],
                fiscal_year=fiscal_year,
            ).update(computed_at=now - STAMP_MARGIN)
    if stale:
        rows.update(refresh_figures(sorted(stale), fiscal_year))
    return rows


def refresh_figures(
    pks: list[int], fiscal_year: int, *, margin: datetime.timedelta = STAMP_MARGIN
) -> dict:
    """Recompute and store the roll-up rows of offices ``pks``, from the same
    grouped queries as the live selectors (``network.live.*_live``),
    restricted to those offices: fifteen queries, however many offices.
    Returns ``{pk: row}``. ``margin``: see :data:`STAMP_MARGIN`; none when
    the caller's own transaction wrote all the data (the generator)."""
    stamp = timezone.now() - margin
    offices = Organization.objects.filter(pk__in=pks)
    compliance = {
        row.office["pk"]: row for row in live.compliance_live(offices, fiscal_year)
    }
    plans = dict(
        Plan.objects.filter(organization__in=pks, fiscal_year=fiscal_year)
        .order_by()
        .values_list("organization_id", "status")
    )
    allocated, budgets, paid = live.money_sums(offices, fiscal_year, None)
    policy = live.policy_by_office(offices, fiscal_year)
    indicators = {
        row.office["pk"]: row for row in live.indicators_live(offices, fiscal_year)
    }
    rows = []
    for pk in compliance:
        paid_total, last_paid_on = paid.get(pk, (ZERO, None))
        rows.append(
            OfficeYearFigures(
                organization_id=pk,
                fiscal_year=fiscal_year,
                computed_at=stamp,
                plan_status=plans.get(pk, ""),
                projects=compliance[pk].projects,
                rounds={
                    str(number): list(counts)
                    for number, counts in compliance[pk].rounds.items()
                },
                allocated=allocated.get(pk, ZERO),
                budget=budgets.get(pk, ZERO),
                paid=paid_total,
                last_paid_on=last_paid_on,
                policy={
                    str(item): [projects, str(budget)]
                    for item, (projects, budget) in policy.get(pk, {}).items()
                },
                indicators=indicators[pk].indicators,
                indicators_reported=indicators[pk].reported,
                indicators_achieved=indicators[pk].achieved,
            )
        )
    OfficeYearFigures.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["organization", "fiscal_year"],
        update_fields=[
            field.name
            for field in OfficeYearFigures._meta.concrete_fields
            if field.name not in ("id", "organization", "fiscal_year")
        ],
    )
    return {row.organization_id: row for row in rows}


# ------------------------------------------------------------------ scale data

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
    policy_links: int = 0
    indicators: int = 0
    results: int = 0


def _activity_count(index: int, activities: int, projects: int) -> int:
    """Spread ``activities`` over ``projects`` (400 over 60: 40 of 7, 20 of 6)."""
    base, extra = divmod(activities, projects)
    return base + (1 if index < extra else 0)


#: Strategies of each generated plan and indicators of each strategy.
STRATEGIES = 4
INDICATORS = 3


def _obec_items(prefix: str) -> list:
    """The OBEC policy and strategy items projects are aligned to: the
    reference data's when loaded, otherwise a few of the generator's own."""
    items = list(PolicyItem.objects.filter(kind__in=live.OBEC_KINDS, is_active=True))
    if items:
        return items
    return PolicyItem.objects.bulk_create(
        PolicyItem(kind=kind, code=str(number), title=f"{prefix} {label} {number}")
        for kind, label, count in (
            (PolicyItem.Kind.OBEC_POLICY, "นโยบาย สพฐ.", 4),
            (PolicyItem.Kind.OBEC_STRATEGY, "ยุทธศาสตร์ สพฐ.", 5),
        )
        for number in range(1, count + 1)
    )


def _policy_and_indicators(rng, plans, new_projects, items, fiscal_year, totals):
    """Each project aligned to one or two OBEC items; each plan's strategies
    with indicators, this year's targets and (most of) their results: what
    the policy and indicator pages read. Bulk, like the rest."""
    through = Project.policy_items.through
    links = through.objects.bulk_create(
        through(project_id=project.pk, policyitem_id=item.pk)
        for project in new_projects
        for item in rng.sample(items, min(len(items), rng.choice((1, 1, 2))))
    )
    strategies = Strategy.objects.bulk_create(
        Strategy(plan=plan, number=number, title=f"กลยุทธ์ที่ {number}")
        for plan in plans
        for number in range(1, STRATEGIES + 1)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            strategy=strategy,
            number=number,
            name=f"ร้อยละของผู้เรียนที่บรรลุเป้าหมายกลยุทธ์ {strategy.number}.{number}",
        )
        for strategy in strategies
        for number in range(1, INDICATORS + 1)
    )
    IndicatorTarget.objects.bulk_create(
        IndicatorTarget(
            indicator=indicator,
            fiscal_year=fiscal_year,
            target_value=Decimal(rng.randrange(60, 95)),
        )
        for indicator in indicators
    )
    results = IndicatorResult.objects.bulk_create(
        IndicatorResult(
            indicator=indicator,
            fiscal_year=fiscal_year,
            actual_value=Decimal(rng.randrange(50, 101)),
        )
        for indicator in indicators
        if rng.random() < 0.85
    )
    totals.policy_links += len(links)
    totals.indicators += len(indicators)
    totals.results += len(results)


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
    items = _obec_items(prefix)
    generated = []
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
        generated += [office.pk for office in made]
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
        _policy_and_indicators(rng, plans, new_projects, items, fiscal_year, totals)
        totals.projects += len(new_projects)
        totals.activities += len(new_activities)
        totals.cost_lines += len(lines)
        totals.disbursements += len(payments)
        totals.reports += len(reports)
    # The roll-up, in one pass of grouped queries, so that the first overseer
    # request after generation finds every office fresh (no refresh of 245
    # offices under load); the generated rows write no history, which is
    # right: nothing has changed since.
    refresh_figures(generated, fiscal_year, margin=datetime.timedelta(0))
    return totals
