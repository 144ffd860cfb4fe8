import pytest

from core.thai import current_fiscal_year
from progress.demo import load_demo_progress
from progress.models import ProgressReport, ReportEvent, ReportingRound
from tests.factories import (
    ActivityFactory,
    GroupHeadAssignmentFactory,
    OfficeGroupFactory,
    OrganizationFactory,
    PlanFactory,
    ProjectFactory,
    ProjectKPIFactory,
)

pytestmark = pytest.mark.django_db


def test_demo_without_office_does_nothing():
    load_demo_progress()
    assert not ReportingRound.objects.exists()


def test_demo_builds_rounds_and_mixed_reports_idempotently(planner):
    # given: the demo office with nine approved projects in two groups
    office = OrganizationFactory(short_name="สพป.ยโสธร เขต 2")
    plan = PlanFactory(organization=office, fiscal_year=current_fiscal_year())
    groups = [OfficeGroupFactory(organization=office) for _ in range(2)]
    GroupHeadAssignmentFactory(group=groups[0])
    for index in range(9):
        project = ProjectFactory(plan=plan, group=groups[index % 2], status="approved")
        ActivityFactory(project=project)
        ActivityFactory(project=project)
        ProjectKPIFactory(project=project)
    ProjectFactory(plan=plan, group=groups[0], status="draft")

    # when: loaded twice
    load_demo_progress()
    load_demo_progress()

    # then
    rounds = ReportingRound.objects.filter(organization=office).order_by("number")
    assert [r.number for r in rounds] == [1, 2, 3, 4]
    assert all(r.status == "open" for r in rounds)
    states = sorted(ProgressReport.objects.values_list("state", flat=True))
    # 6 of 9 reported; 3 missing
    assert states == [
        "accepted",
        "draft",
        "draft",
        "returned",
        "submitted",
        "submitted",
    ]
    assert (
        ReportEvent.objects.filter(action="return").get().comment.startswith("กรุณาระบุ")
    )
    returned = ProgressReport.objects.get(state="returned")
    assert returned.activity_progress.count() == 2
