"""Replay the demo office's year through the services (``load_demo``'s second half).

``build_demo_office`` imports each year's whole-office workbook from
``fixtures/demo/`` through :func:`excel.importer.plan_import` (the function
behind ``import_plan`` and the web upload) as the planner, then plays
``workflow.json`` in order: each event is one service call (project submit,
check, approve, return, revise, revision submit and approval; report save,
submit, return, accept; round lock; disbursement; plan submit, approve) by
the login that did it, at the
moment it was recorded. What no workbook holds comes from ``book.json``.
The demo thus holds nothing a real office could not, and needs no write of
its own (``tests/test_writes_go_through_services.py`` scans this file).
"""

import datetime
import json
from contextlib import ExitStack, contextmanager
from decimal import Decimal
from functools import cache
from pathlib import Path
from unittest import mock

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from budgets import services as budgets_services
from budgets.models import DisbursementTarget, OperatingCost
from core.models import Organization
from core.services import rows_create
from excel.importer import plan_import
from plans import services as plans_services
from plans.models import Indicator, Plan, Strategy
from progress import services as progress_services
from progress.models import ProgressReport, ReportingRound
from projects import services as projects_services
from projects.models import Project
from reports.models import BookSection, IndicatorResult

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
#: One whole-office workbook per fiscal year, imported in this order.
DEMO_YEARS = (2569, 2570)
REASON = "ข้อมูลสำนักงานตัวอย่าง"
ERROR_WORKBOOK = "นำเข้าแผนสำนักงานตัวอย่าง fixtures/demo/plan-{year}.xlsx ไม่ได้:"


@contextmanager
def _clock(moment: datetime.datetime):
    """Run the services as at ``moment``: their stamps (``submitted_at``,
    history dates, transitions) say when it happened, not when it was loaded.

    A field whose default is ``timezone.now`` (a report event's time) holds
    the function itself, so its default is set to the moment too.
    """
    with ExitStack() as stack:
        for f in _now_defaults():
            stack.enter_context(mock.patch.object(f, "_get_default", lambda: moment))
        stack.enter_context(mock.patch("django.utils.timezone.now", lambda: moment))
        yield


@cache
def _now_defaults() -> list:
    return [
        f
        for model in apps.get_models()
        for f in model._meta.concrete_fields
        if f.default is timezone.now
    ]


def build_demo_office(office: Organization) -> None:
    """Import each year's workbook as the planner, then replay the year."""
    users = {u.username: u for u in get_user_model().objects.all()}
    plans = {}
    for year in DEMO_YEARS:
        with (DEMO_DIR / f"plan-{year}.xlsx").open("rb") as source:
            result = plan_import(
                source=source,
                organization=office,
                fiscal_year=year,
                user=users["planner"],
            )
        if not result.ok:
            raise ValidationError(
                [ERROR_WORKBOOK.format(year=year)]
                + [str(error) for error in result.errors]
            )
        plans[year] = result.plan
        progress_services.round_create_for_year(organization=office, fiscal_year=year)
    book = json.loads((DEMO_DIR / "book.json").read_text(encoding="utf-8"))
    _strategy_policies(plans, book["strategy_policies"])
    workflow = json.loads((DEMO_DIR / "workflow.json").read_text(encoding="utf-8"))
    # The usual quarterly targets are shared by every office: add the
    # missing ones, never overwrite those an administrator set.
    have = set(
        DisbursementTarget.objects.filter(organization=None).values_list(
            "fiscal_year", "quarter"
        )
    )
    targets = [
        DisbursementTarget(
            organization=None,
            fiscal_year=row["year"],
            quarter=row["quarter"],
            cumulative_percent=Decimal(row["percent"]),
        )
        for row in workflow["targets"]
        if (row["year"], row["quarter"]) not in have
    ]
    rows_create(DisbursementTarget, targets, reason=REASON)
    replay = _Replay(office, plans, users)
    for event in workflow["events"]:
        with _clock(datetime.datetime.fromisoformat(event["at"])):
            getattr(replay, event["do"])(event, users[event["user"]])
    _book(plans, book)


def _strategy_policies(plans: dict[int, Plan], links: list[dict]) -> None:
    """Each strategy's national and OBEC policies: the workbook links policies
    to projects only (ความสอดคล้อง), so the strategies' links come from
    ``book.json``, written in bulk like the importer writes the projects'."""
    strategies = {
        (s.plan.fiscal_year, s.number): s
        for s in Strategy.objects.filter(plan__in=plans.values()).select_related("plan")
    }
    through = Strategy.policy_items.through
    rows = [
        through(
            strategy_id=strategies[link["year"], link["strategy"]].pk,
            policyitem_id=link["policy_item"],
        )
        for link in links
    ]
    rows_create(through, rows)


class _Replay:
    """One method per kind of ``workflow.json`` event, each one service call."""

    def __init__(self, office, plans, users):
        self.office, self.plans = office, plans
        self.projects = {
            p.code: p for p in Project.objects.filter(plan__organization=office)
        }

    def project(self, event) -> Project:
        return Project.objects.get(pk=self.projects[event["code"]].pk)

    def report(self, event) -> ProgressReport:
        project = self.project(event)
        return ProgressReport.objects.get(
            project=project, round=self.round(project.plan.fiscal_year, event)
        )

    def round(self, year, event) -> ReportingRound:
        return ReportingRound.objects.get(
            organization=self.office, fiscal_year=year, number=event["round"]
        )

    def plan_submit(self, event, user):
        plan = Plan.objects.get(pk=self.plans[event["year"]].pk)
        plans_services.plan_submit(plan=plan, user=user)

    def plan_approve(self, event, user):
        plan = Plan.objects.get(pk=self.plans[event["year"]].pk)
        plans_services.plan_approve(plan=plan, user=user)

    def project_submit(self, event, user):
        projects_services.project_submit(project=self.project(event), user=user)

    def project_check(self, event, user):
        projects_services.project_check(
            project=self.project(event), user=user, comment=event.get("comment", "")
        )

    def project_approve(self, event, user):
        projects_services.project_approve(
            project=self.project(event), user=user, comment=event.get("comment", "")
        )

    def project_return(self, event, user):
        projects_services.project_return(
            project=self.project(event), user=user, comment=event["comment"]
        )

    def project_revise(self, event, user):
        projects_services.project_start_revision(
            project=self.project(event), reason=event["comment"], user=user
        )

    def project_revise_submit(self, event, user):
        projects_services.project_request_revision(
            project=self.project(event), user=user
        )

    def project_revise_approve(self, event, user):
        projects_services.project_approve_revision(
            project=self.project(event), user=user, comment=event.get("comment", "")
        )

    def report_save(self, event, user):
        project = self.project(event)
        activities = {a.order: a.pk for a in project.activities.all()}
        kpis = {k.order: k.pk for k in project.kpis.all()}
        progress_services.report_save_draft(
            project=project,
            reporting_round=self.round(project.plan.fiscal_year, event),
            user=user,
            fields=event.get("fields"),
            activities={activities[o]: v for o, v in event.get("activities", [])},
            kpis={kpis[o]: v for o, v in event.get("kpis", [])},
            comment=event.get("comment", ""),
        )

    def report_submit(self, event, user):
        progress_services.report_submit(report=self.report(event), user=user)

    def report_return(self, event, user):
        progress_services.report_return(
            report=self.report(event), user=user, comment=event["comment"]
        )

    def report_accept(self, event, user):
        progress_services.report_accept(
            report=self.report(event), user=user, comment=event.get("comment", "")
        )

    def round_lock(self, event, user):
        progress_services.round_lock(
            reporting_round=self.round(event["year"], event), user=user
        )

    def pay(self, event, user):
        activity = self.project(event).activities.get(order=event["activity"])
        line = event.get("line")
        budgets_services.disbursement_record(
            user=user,
            activity=activity,
            cost_line=activity.cost_lines.get(order=line) if line else None,
            amount=Decimal(event["amount"]),
            paid_on=datetime.date.fromisoformat(event["paid_on"]),
            document_number=event.get("document", ""),
            note=event.get("note", ""),
        )

    def pay_running(self, event, user):
        """A payment of the office's own running cost (a finished year's
        utilities, temporary staff...), so the annual report's budget table
        shows the office's spending beside its projects'."""
        budgets_services.operating_disbursement_record(
            user=user,
            cost=OperatingCost.objects.get(
                organization=self.office,
                fiscal_year=event["year"],
                order=event["order"],
            ),
            amount=Decimal(event["amount"]),
            paid_on=datetime.date.fromisoformat(event["paid_on"]),
            document_number=event.get("document", ""),
        )


def _book(plans: dict[int, Plan], book: dict) -> None:
    """The plan books' written sections and last year's indicator results."""
    sections = [
        BookSection(plan=plans[row.pop("year")], **row) for row in book["sections"]
    ]
    rows_create(BookSection, sections, reason=REASON)
    indicators = {
        (i.strategy.plan.fiscal_year, i.strategy.number, i.number): i
        for i in Indicator.objects.filter(
            strategy__plan__in=plans.values()
        ).select_related("strategy__plan")
    }
    results = []
    for row in book["indicator_results"]:
        key = (row.pop("plan_year"), row.pop("strategy"), row.pop("indicator"))
        value = row.pop("actual_value")
        results.append(
            IndicatorResult(
                indicator=indicators[key],
                fiscal_year=row.pop("year"),
                actual_value=Decimal(value) if value is not None else None,
                **row,
            )
        )
    rows_create(IndicatorResult, results, reason=REASON)
