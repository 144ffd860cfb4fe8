import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plans import services
from plans.models import (
    Goal,
    Guideline,
    Indicator,
    IndicatorTarget,
    Mission,
    Plan,
    PlanRevision,
    Strategy,
)
from tests.factories import PlanFactory
from tests.plans.conftest import build_direction

pytestmark = pytest.mark.django_db

REVISED_ON = datetime.date(2025, 3, 15)


def _approved(plan, planner, director):
    services.plan_submit(plan=plan, user=planner)
    return services.plan_approve(plan=plan, user=director)


def test_planner_submits_and_director_approves(plan, planner, director):
    # when
    services.plan_submit(plan=plan, user=planner)
    plan.refresh_from_db()
    # then
    assert plan.status == Plan.Status.SUBMITTED
    assert plan.submitted_at is not None
    services.plan_approve(plan=plan, user=director)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED
    assert plan.approved_by == director
    assert plan.is_locked


def test_only_a_director_approves(plan, planner, head_a, viewer, outsider):
    services.plan_submit(plan=plan, user=planner)
    for user in (planner, head_a, viewer, outsider):
        with pytest.raises(PermissionDenied, match="เฉพาะผู้บริหาร"):
            services.plan_approve(plan=plan, user=user)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED


def test_director_of_another_office_cannot_approve(plan, planner, other_office):
    from core.roles import Role
    from tests.factories import make_staff

    other_director = make_staff(other_office, roles=[Role.DIRECTOR]).user
    services.plan_submit(plan=plan, user=planner)
    with pytest.raises(PermissionDenied):
        services.plan_approve(plan=plan, user=other_director)


def test_a_draft_cannot_be_approved_and_a_submitted_plan_not_resubmitted(
    plan, planner, director
):
    with pytest.raises(ValidationError, match=services.ERROR_APPROVE_NOT_SUBMITTED):
        services.plan_approve(plan=plan, user=director)
    services.plan_submit(plan=plan, user=planner)
    with pytest.raises(ValidationError, match=services.ERROR_SUBMIT_NOT_DRAFT):
        services.plan_submit(plan=plan, user=planner)


def test_group_head_and_viewer_cannot_submit(plan, head_a, viewer, director):
    for user in (head_a, viewer, director):
        with pytest.raises(PermissionDenied, match=services.ERROR_CANNOT_MANAGE):
            services.plan_submit(plan=plan, user=user)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_approved_plan_is_locked_until_a_revision(plan, planner, director):
    _approved(plan, planner, director)
    with pytest.raises(ValidationError) as error:
        services.plan_ensure_editable(plan)
    assert error.value.messages == [services.ERROR_PLAN_LOCKED]
    # when
    revision = services.plan_start_revision(
        plan=plan, reason="ปรับตามนโยบาย สพฐ. ใหม่", revised_on=REVISED_ON, user=planner
    )
    plan.refresh_from_db()
    # then
    assert revision.version == 2
    assert revision.reason == "ปรับตามนโยบาย สพฐ. ใหม่"
    assert revision.revised_on == REVISED_ON
    assert revision.created_by == planner
    assert plan.version == 2
    assert plan.status == Plan.Status.DRAFT
    assert plan.approved_at is None and plan.approved_by is None
    services.plan_ensure_editable(plan)  # no error
    # a second round of approval and revision numbers the next version
    _approved(plan, planner, director)
    services.plan_start_revision(
        plan=plan, reason="ปรับครั้งที่สอง", revised_on=REVISED_ON, user=planner
    )
    plan.refresh_from_db()
    assert plan.version == 3
    assert list(plan.revisions.values_list("version", flat=True)) == [2, 3]


def test_revision_needs_a_reason_and_an_approved_plan(plan, planner, director):
    with pytest.raises(ValidationError, match=services.ERROR_REVISE_NOT_APPROVED):
        services.plan_start_revision(
            plan=plan, reason="เหตุผล", revised_on=REVISED_ON, user=planner
        )
    _approved(plan, planner, director)
    with pytest.raises(ValidationError) as error:
        services.plan_start_revision(
            plan=plan, reason="   ", revised_on=REVISED_ON, user=planner
        )
    assert error.value.message_dict == {"reason": [services.ERROR_REVISION_REASON]}
    plan.refresh_from_db()
    assert plan.version == 1 and plan.is_locked
    assert not PlanRevision.objects.exists()


def test_only_planners_start_a_revision(plan, planner, director, head_a, outsider):
    _approved(plan, planner, director)
    for user in (director, head_a, outsider):
        with pytest.raises(PermissionDenied):
            services.plan_start_revision(
                plan=plan, reason="เหตุผล", revised_on=REVISED_ON, user=user
            )
    assert not PlanRevision.objects.exists()


def test_copy_forward_reports_counts(plan, planner):
    # given: 2 missions, 2 goals, 2 strategies × (3 indicators × 2 years, 2 guidelines,
    # 1 policy link); targets for 2568 and 2569
    # when
    report = services.plan_copy_to_fiscal_year(
        plan=plan, fiscal_year=2569, user=planner
    )
    # then
    new = report.plan
    assert new.fiscal_year == 2569 and new.status == Plan.Status.DRAFT
    assert new.organization == plan.organization and new.vision == plan.vision
    assert (report.missions, report.goals, report.strategies) == (2, 2, 2)
    assert (report.indicators, report.guidelines, report.policy_links) == (6, 4, 2)
    # only the targets of 2569 and later travel: 6 indicators × 1 year
    assert report.targets == 6
    assert Mission.objects.filter(plan=new).count() == 2
    assert Goal.objects.filter(plan=new).count() == 2
    assert Indicator.objects.filter(strategy__plan=new).count() == 6
    assert IndicatorTarget.objects.filter(indicator__strategy__plan=new).count() == 6
    assert set(
        IndicatorTarget.objects.filter(indicator__strategy__plan=new).values_list(
            "fiscal_year", "target_value"
        )
    ) == {(2569, 85)}
    assert Guideline.objects.filter(strategy__plan=new).count() == 4
    assert "กลยุทธ์ 2 กลยุทธ์" in report.summary()
    assert "ตัวชี้วัด 6 ตัวชี้วัด" in report.summary()


def test_copy_links_goals_of_the_new_plan_not_the_old(plan, planner):
    new = services.plan_copy_to_fiscal_year(
        plan=plan, fiscal_year=2569, user=planner
    ).plan
    strategy = Strategy.objects.get(plan=new, number=1)
    assert [g.plan_id for g in strategy.goals.all()] == [new.pk]
    assert {i.goal.plan_id for i in strategy.indicators.all()} == {new.pk}
    assert list(strategy.policy_items.all()) == list(
        Strategy.objects.get(plan=plan, number=1).policy_items.all()
    )


def test_copy_is_independent_of_the_original(plan, planner):
    new = services.plan_copy_to_fiscal_year(
        plan=plan, fiscal_year=2569, user=planner
    ).plan
    # when the copy is edited
    Strategy.objects.filter(plan=new, number=1).update(title="กลยุทธ์ใหม่")
    Indicator.objects.filter(strategy__plan=new).update(name="แก้ไขในปีใหม่")
    Mission.objects.filter(plan=new).delete()
    Goal.objects.filter(plan=new, number=1).update(text="เป้าประสงค์ใหม่")
    # then the original is unchanged
    assert Strategy.objects.get(plan=plan, number=1).title == "กลยุทธ์ทดสอบ 1"
    assert not Indicator.objects.filter(strategy__plan=plan, name="แก้ไขในปีใหม่").exists()
    assert Mission.objects.filter(plan=plan).count() == 2
    assert Goal.objects.get(plan=plan, number=1).text == "ผู้เรียนมีสมรรถนะตามหลักสูตร"
    assert IndicatorTarget.objects.filter(indicator__strategy__plan=plan).count() == 12


def test_copy_to_a_year_that_has_a_plan_is_refused(plan, planner):
    PlanFactory(organization=plan.organization, fiscal_year=2569)
    with pytest.raises(ValidationError) as error:
        services.plan_copy_to_fiscal_year(plan=plan, fiscal_year=2569, user=planner)
    assert error.value.messages == [services.ERROR_PLAN_EXISTS.format(year=2569)]
    assert (
        Plan.objects.get(
            organization=plan.organization, fiscal_year=2569
        ).missions.count()
        == 0
    )


def test_copy_of_an_approved_plan_is_a_fresh_draft(plan, planner, director):
    _approved(plan, planner, director)
    new = services.plan_copy_to_fiscal_year(
        plan=plan, fiscal_year=2569, user=planner
    ).plan
    assert new.status == Plan.Status.DRAFT and new.version == 1
    services.plan_ensure_editable(new)


def test_copy_keeps_later_year_targets_and_renames_the_title(office, planner):
    source = build_direction(
        PlanFactory(
            organization=office,
            fiscal_year=2566,
            title="แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
        ),
        strategies=1,
        indicators=1,
        years=(2566, 2567, 2568, 2569, 2570),
    )
    report = services.plan_copy_to_fiscal_year(
        plan=source, fiscal_year=2567, user=planner
    )
    assert report.targets == 4
    assert report.plan.title == "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๖๗"


def test_only_planners_copy(plan, head_a, director, outsider):
    for user in (head_a, director, outsider):
        with pytest.raises(PermissionDenied):
            services.plan_copy_to_fiscal_year(plan=plan, fiscal_year=2569, user=user)
    assert Plan.objects.count() == 1
