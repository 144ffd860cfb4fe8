"""The demo's finished year of progress reports (``fixtures/demo/workflow.json``
replayed through the progress services by ``home.demo.load_demo``)."""

import pytest

from home.demo import DEMO_YEARS, load_demo
from progress.models import ReportingRound

PREVIOUS_YEAR, CURRENT_YEAR = DEMO_YEARS

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------ a finished year


def _previous_year_rounds():
    load_demo(password="demo-pass")
    return list(
        ReportingRound.objects.filter(
            organization__short_name="สพป.ยโสธร เขต 2",
            fiscal_year=PREVIOUS_YEAR,
        )
        .order_by("number")
        .prefetch_related("reports__events", "reports__project")
    )


#: The last recorded step of a report for each state it can be left in.
LAST_STEP = {
    "draft": "save",
    "submitted": "submit",
    "returned": "return",
    "accepted": "accept",
}


def test_demo_previous_year_has_four_locked_rounds_in_realistic_states():
    from collections import Counter

    from projects.models import Project

    rounds = _previous_year_rounds()

    assert [r.number for r in rounds] == [1, 2, 3, 4]
    for reporting_round in rounds:
        assert reporting_round.is_locked
        assert reporting_round.locked_by.username == "planner"
        assert reporting_round.locked_at.date() > reporting_round.due_date
    states = {
        r.number: Counter(report.state for report in r.reports.all()) for r in rounds
    }
    assert states == {
        1: {"accepted": 10, "submitted": 1, "draft": 1},
        2: {"accepted": 10, "returned": 1},
        3: {"accepted": 11, "submitted": 1},
        4: {"accepted": 11, "submitted": 1},
    }
    approved = Project.objects.filter(
        plan__organization=rounds[0].organization,
        plan__fiscal_year=rounds[0].fiscal_year,
        status="approved",
    )
    assert approved.count() == 12
    # every project reported every round, except one missing in round 2
    assert [r.reports.count() for r in rounds] == [12, 11, 12, 12]
    # the current year is untouched: its round 1 is open with mixed states
    current = ReportingRound.objects.filter(
        organization=rounds[0].organization, fiscal_year=CURRENT_YEAR
    )
    assert all(r.status == "open" for r in current)


def test_demo_previous_year_reports_match_their_review_trail():
    rounds = _previous_year_rounds()

    late = []
    for reporting_round in rounds:
        lock = reporting_round.locked_at
        for report in reporting_round.reports.all():
            events = list(report.events.all())
            actions = [event.action for event in events]
            assert actions[0] == "save"
            assert actions[-1] == LAST_STEP[report.state], (report, actions)
            assert all(event.created_at < lock for event in events)
            assert [e.created_at for e in events] == sorted(
                e.created_at for e in events
            )
            submits = [e.created_at for e in events if e.action == "submit"]
            assert report.submitted_at == (submits[-1] if submits else None)
            if report.state != "draft":
                assert report.output_progress.strip()
            for event in events:
                if event.action in ("return", "accept"):
                    assert event.actor.username == "planner"
                if event.action == "return":
                    assert "กรุณา" in event.comment
            if report.submitted_at and report.submitted_at.date() > (
                reporting_round.due_date
            ):
                late.append(report)
    # one report returned, fixed and accepted, with the comment trail
    resubmitted = [
        report
        for report in rounds[0].reports.all()
        if [e.action for e in report.events.all()]
        == ["save", "submit", "return", "save", "submit", "accept"]
    ]
    assert len(resubmitted) == 1 and resubmitted[0].state == "accepted"
    # one report of round 2 sent after its due date, then accepted
    assert [(r.round.number, r.state) for r in late] == [(2, "accepted")]


def test_demo_previous_year_progress_moves_forward():
    from collections import Counter

    from progress.models import ActivityProgress, KPIActual

    rounds = _previous_year_rounds()

    by_project = {}
    for reporting_round in rounds:
        for report in reporting_round.reports.all():
            by_project.setdefault(report.project_id, []).append(report)
    for reports in by_project.values():
        percents = [report.percent_complete for report in reports]
        assert percents == sorted(percents)
        statuses = [report.status for report in reports]
        if "completed" in statuses:  # once completed, it stays completed
            first = statuses.index("completed")
            assert set(statuses[first:]) == {"completed"}
    final = Counter(report.status for report in rounds[3].reports.all())
    assert final == {"completed": 10, "cancelled": 1, "postponed": 1}
    first = Counter(report.status for report in rounds[0].reports.all())
    assert first["in_progress"] >= 6 and first["not_started"] >= 2
    # one row per activity in every report; completed reports are all done
    for reporting_round in rounds:
        for report in reporting_round.reports.all():
            rows = ActivityProgress.objects.filter(report=report)
            assert rows.count() == report.project.activities.count()
            if report.status == "completed":
                assert set(rows.values_list("state", flat=True)) == {"done"}
                assert all(row.on_date <= reporting_round.period_end for row in rows)
    # KPI actuals of the 12-month round: most targets met, some not
    verdicts = [
        actual.achieved
        for actual in KPIActual.objects.filter(report__round=rounds[3]).select_related(
            "kpi"
        )
    ]
    assert verdicts.count(True) >= 10 and verdicts.count(False) >= 2
    # problems and suggestions are written in some reports
    assert rounds[1].reports.exclude(problems="").exclude(suggestions="").count() >= 3
    stopped = rounds[3].reports.filter(status__in=["cancelled", "postponed"])
    assert all(report.problems and report.suggestions for report in stopped)
