"""factory_boy factories for every model; tests build what they need from these."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.models import GroupHeadAssignment, OfficeGroup, Organization, Person


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต {n}")
    short_name = factory.Sequence(lambda n: f"สพป.ทดสอบ เขต {n}")
    kind = Organization.Kind.PRIMARY


class OfficeGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeGroup

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"กลุ่มทดสอบ {n}")
    order = factory.Sequence(lambda n: n)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "secret-pass")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set([Group.objects.get(name=role) for role in extracted])
        if create:
            self.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organization = factory.SubFactory(OrganizationFactory)
    title = "นาง"
    first_name = factory.Sequence(lambda n: f"ทดสอบ{n}")
    last_name = "ใจดี"
    position = "นักวิชาการศึกษา"


class GroupHeadAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupHeadAssignment

    group = factory.SubFactory(OfficeGroupFactory)
    person = factory.SubFactory(
        PersonFactory, organization=factory.SelfAttribute("..group.organization")
    )
    kind = GroupHeadAssignment.Kind.HEAD
    start_date = datetime.date(2020, 10, 1)


def make_staff(organization, *, roles=(), group=None, **person_fields) -> Person:
    """A person of ``organization`` with a login holding ``roles``."""
    user = UserFactory(roles=list(roles))
    return PersonFactory(
        organization=organization, group=group, user=user, **person_fields
    )


# ---------------------------------------------------------------- plans


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.Plan"

    organization = factory.SubFactory(OrganizationFactory)
    fiscal_year = 2568
    vision = "นักเรียนมีคุณภาพ ครูมีสมรรถนะ สถานศึกษามีมาตรฐาน"


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.Goal"

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "ผู้เรียนมีผลสัมฤทธิ์ทางการเรียนสูงขึ้น"


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.Strategy"

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "พัฒนาคุณภาพผู้เรียน"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.Indicator"

    strategy = factory.SubFactory(StrategyFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = "ร้อยละของนักเรียนที่มีผลสัมฤทธิ์ระดับดีขึ้นไป"
    unit = "percent"


class IndicatorTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.IndicatorTarget"

    indicator = factory.SubFactory(IndicatorFactory)
    fiscal_year = 2568
    target_value = 80


class PolicyItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.PolicyItem"

    kind = "obec_strategy"
    code = factory.Sequence(lambda n: f"({n + 1})")
    title = "พัฒนาคุณภาพการศึกษา"


# ---------------------------------------------------------------- budgets (reference)


class BudgetSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budgets.BudgetSource"
        django_get_or_create = ("organization", "code")

    organization = None
    code = factory.Sequence(lambda n: f"source-{n}")
    name = factory.Sequence(lambda n: f"งบประมาณจาก สพฐ. {n}")


class ExpenseCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budgets.ExpenseCategory"
        django_get_or_create = ("code",)

    code = "compensation"
    name = "ค่าตอบแทน"


# ---------------------------------------------------------------- projects


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.Project"

    plan = factory.SubFactory(PlanFactory)
    group = factory.SubFactory(
        OfficeGroupFactory, organization=factory.SelfAttribute("..plan.organization")
    )
    sequence = factory.Sequence(lambda n: n + 1)
    code = factory.Sequence(lambda n: f"P-{n + 1:03d}")
    name = factory.Sequence(lambda n: f"โครงการพัฒนาคุณภาพการศึกษา {n}")
    start_month = datetime.date(2024, 10, 1)
    end_month = datetime.date(2025, 9, 1)
    rationale = "เพื่อพัฒนาคุณภาพการศึกษาของสถานศึกษาในสังกัด"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.Activity"

    project = factory.SubFactory(ProjectFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = "ประชุมเชิงปฏิบัติการ"
    months = ["2024-11-01", "2024-12-01"]


class ProjectKPIFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.ProjectKPI"

    project = factory.SubFactory(ProjectFactory)
    name = "ร้อยละของผู้เข้ารับการอบรมที่ผ่านเกณฑ์"
    unit = "percent"
    target_value = 80
    method = "ทดสอบ"
    instrument = "แบบทดสอบ"


# ---------------------------------------------------------------- budgets (money)


class CostLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budgets.CostLine"

    activity = factory.SubFactory(ActivityFactory)
    category = factory.SubFactory(ExpenseCategoryFactory)
    description = "ค่าอาหารกลางวัน"
    times = 1
    persons = 12
    rate = 200
    amount = 2400


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budgets.Allocation"

    organization = factory.SubFactory(OrganizationFactory)
    fiscal_year = 2568
    source = factory.SubFactory(BudgetSourceFactory)
    round_number = 1
    amount = 1000000


class OperatingCostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budgets.OperatingCost"

    organization = factory.SubFactory(OrganizationFactory)
    fiscal_year = 2568
    source = factory.SubFactory(BudgetSourceFactory)
    category = factory.SubFactory(
        ExpenseCategoryFactory, code="utilities", name="ค่าสาธารณูปโภค"
    )
    description = "ค่าสาธารณูปโภค"
    amount = 300000


class QuarterPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budgets.QuarterPlan"
        django_get_or_create = ("activity", "quarter")

    activity = factory.SubFactory(ActivityFactory)
    quarter = 1
    amount = 0


class DisbursementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budgets.Disbursement"

    activity = factory.SubFactory(ActivityFactory)
    paid_on = datetime.date(2024, 11, 15)
    amount = 1000
    document_number = factory.Sequence(lambda n: f"ขบ {n + 1}/2568")


class DisbursementTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budgets.DisbursementTarget"
        django_get_or_create = ("organization", "fiscal_year", "quarter")

    organization = None
    fiscal_year = 2568
    quarter = 1
    cumulative_percent = 30


# ---------------------------------------------------------------- project sheet parts


class ProjectResponsibleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.ProjectResponsible"

    project = factory.SubFactory(ProjectFactory)
    order = factory.Sequence(lambda n: n + 1)
    person = factory.SubFactory(
        PersonFactory, organization=factory.SelfAttribute("..project.plan.organization")
    )


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.Objective"

    project = factory.SubFactory(ProjectFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "เพื่อพัฒนาครูให้มีสมรรถนะในการจัดการเรียนรู้"


class ProjectTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.ProjectTarget"

    project = factory.SubFactory(ProjectFactory)
    kind = "quantitative"
    order = factory.Sequence(lambda n: n + 1)
    quantity = 124
    unit = "โรงเรียน"
    text = "โรงเรียนในสังกัด"


class ExpectedResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.ExpectedResult"

    project = factory.SubFactory(ProjectFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "ครูมีสมรรถนะในการจัดการเรียนรู้สูงขึ้น"


# ---------------------------------------------------------------- plans (direction)


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.Mission"

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "ส่งเสริมการจัดการศึกษาเพื่อพัฒนานักเรียนให้มีคุณภาพตามหลักสูตร"


class GuidelineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.Guideline"

    strategy = factory.SubFactory(StrategyFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "ส่งเสริมให้ครูจัดการเรียนรู้เชิงรุก (Active Learning)"


# ---------------------------------------------------------------- progress


def _quarter_end(fiscal_year: int, number: int) -> datetime.date:
    from core.thai import fiscal_quarter_range

    return fiscal_quarter_range(fiscal_year, number)[1]


class ReportingRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "progress.ReportingRound"
        django_get_or_create = ("organization", "fiscal_year", "number")

    organization = factory.SubFactory(OrganizationFactory)
    fiscal_year = 2568
    number = 1
    period_end = factory.LazyAttribute(lambda o: _quarter_end(o.fiscal_year, o.number))
    due_date = factory.LazyAttribute(
        lambda o: o.period_end + datetime.timedelta(days=15)
    )


class ProgressReportFactory(factory.django.DjangoModelFactory):
    """Pass ``project`` (approved, in the round's plan) and ``round``."""

    class Meta:
        model = "progress.ProgressReport"

    status = "in_progress"
    percent_complete = 40
    output_progress = "จัดประชุมเชิงปฏิบัติการแล้ว 1 ครั้ง ผู้เข้าร่วม 120 คน"
