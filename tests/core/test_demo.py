import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest

from core import rules
from core.models import OfficeGroup, Organization, Person, StandardGroup
from core.roles import Role
from plans.models import Plan
from tests.factories import PlanFactory, ProjectKPIFactory

pytestmark = pytest.mark.django_db


def test_reference_fixture_loads_the_standard_groups():
    call_command("loaddata", "standard_groups", verbosity=0)
    assert StandardGroup.objects.count() == 10
    assert StandardGroup.objects.filter(name="กลุ่มนโยบายและแผน").exists()


def test_demo_users_have_the_promised_roles(client):
    call_command("load_demo", password="demo-pass", verbosity=0)
    User = get_user_model()
    office = Organization.objects.get(short_name="สพป.ยโสธร เขต 2")
    head_promotion = User.objects.get(username="head_promotion")
    head_personnel = User.objects.get(username="head_personnel")
    promotion = office.groups.get(name="กลุ่มส่งเสริมการจัดการศึกษา")
    personnel = office.groups.get(name="กลุ่มบริหารงานบุคคล")
    assert rules.can_edit_group_work(head_promotion, promotion)
    assert not rules.can_edit_group_work(head_promotion, personnel)
    assert rules.can_edit_group_work(head_personnel, personnel)
    assert rules.can_approve(User.objects.get(username="director"), office)
    assert rules.has_role(User.objects.get(username="planner"), Role.PLANNER)
    assert client.login(
        request=HttpRequest(), username="director", password="demo-pass"
    )


DEMO_MODELS = (
    "plans.Plan",
    "plans.Indicator",
    "plans.IndicatorTarget",
    "projects.Project",
    "projects.Activity",
    "projects.ProjectKPI",
    "projects.ProjectTransition",
    "projects.ProjectRevision",
    "budgets.Allocation",
    "budgets.OperatingCost",
    "budgets.CostLine",
    "budgets.QuarterPlan",
    "budgets.Disbursement",
    "budgets.DisbursementTarget",
    "progress.ReportingRound",
    "progress.ProgressReport",
    "progress.ActivityProgress",
    "progress.KPIActual",
    "progress.ReportEvent",
    "reports.BookSection",
    "reports.IndicatorResult",
    "core.Organization",
    "core.OfficeGroup",
    "core.Person",
)


def _counts():
    from django.apps import apps

    return {label: apps.get_model(label).objects.count() for label in DEMO_MODELS}


def _user_work(media):
    """What people do in the demo office between two ``make run``: pay, attach
    evidence, report a KPI, add a project, rename one, change a password."""
    import datetime
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from budgets.models import CostLine, Disbursement
    from progress.models import Evidence, KPIActual, ProgressReport
    from projects.models import Project
    from tests.factories import ProjectFactory

    line = CostLine.objects.filter(activity__project__plan__organization_id=1).first()
    paid = Disbursement.objects.create(
        activity=line.activity,
        cost_line=line,
        paid_on=datetime.date.today(),
        amount=Decimal("1.00"),
        document_number="ผู้ใช้ 1/2568",
    )
    report = ProgressReport.objects.filter(round__organization_id=1).first()
    evidence = Evidence.objects.create(
        report=report,
        file=SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n user photo"),
        kind="photo",
        caption="ภาพกิจกรรมที่ผู้ใช้แนบ",
    )
    kpi = report.project.kpis.exclude(
        actuals__report=report
    ).first() or ProjectKPIFactory(project=report.project)
    actual = KPIActual.objects.create(report=report, kpi=kpi, actual_text="ผู้ใช้บันทึก")
    demo_project = Project.objects.filter(plan=report.project.plan).first()
    added = ProjectFactory(
        plan=demo_project.plan, group=demo_project.group, name="โครงการที่ผู้ใช้เพิ่ม"
    )
    Project.objects.filter(pk=demo_project.pk).update(name="ชื่อที่ผู้ใช้แก้")
    Organization.objects.filter(pk=1).update(phone="045-999999")
    director = get_user_model().objects.get(username="director")
    director.set_password("my-own-secret")
    director.save()
    assert (media / evidence.file.name).exists()
    return {
        "disbursement": paid.pk,
        "evidence": evidence.pk,
        "file": media / evidence.file.name,
        "actual": actual.pk,
        "project": added.pk,
        "renamed": demo_project.pk,
    }


def test_load_demo_again_changes_nothing_and_keeps_what_users_entered(
    settings, tmp_path, capsys, django_capture_on_commit_callbacks
):
    from budgets.models import Disbursement
    from progress.models import Evidence, KPIActual
    from projects.models import Project
    from tests.core.tables import changed_tables, table_checksums

    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", password="demo-pass")
    first_output = capsys.readouterr().out
    assert "director" in first_output and "demo-pass" in first_output
    assert Organization.objects.count() == 1 and OfficeGroup.objects.count() == 10
    assert get_user_model().objects.count() == 8
    assert Person.objects.filter(user__isnull=False).count() == 8
    fresh = _counts()
    assert all(fresh.values()), fresh
    assert fresh["plans.Plan"] == 2 and fresh["progress.ReportingRound"] == 8

    # a second run on an unchanged database changes no row of any table
    before = table_checksums()
    call_command("load_demo", password="demo-pass")
    assert changed_tables(before, table_checksums()) == []
    assert "มีข้อมูลอยู่แล้ว" in capsys.readouterr().out

    # after people worked in the demo office, a re-run keeps all of it
    work = _user_work(tmp_path)
    before = table_checksums()
    call_command("load_demo", password="other-pass")
    assert changed_tables(before, table_checksums()) == []
    assert Disbursement.objects.filter(pk=work["disbursement"]).exists()
    assert Evidence.objects.filter(pk=work["evidence"]).exists()
    assert work["file"].exists()
    assert KPIActual.objects.filter(pk=work["actual"]).exists()
    assert Project.objects.filter(pk=work["project"]).exists()
    assert Project.objects.get(pk=work["renamed"]).name == "ชื่อที่ผู้ใช้แก้"
    assert Organization.objects.get(pk=1).phone == "045-999999"
    assert (
        get_user_model()
        .objects.get(username="director")
        .check_password("my-own-secret")
    )

    # --reset wipes the demo office (user rows and files too) and loads it again;
    # another office is not touched
    other = PlanFactory()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", password="reset-pass", reset=True)
    assert "ล้างและโหลดข้อมูลสำนักงานตัวอย่างใหม่" in capsys.readouterr().out
    assert _counts() == {
        **fresh,
        "core.Organization": fresh["core.Organization"] + 1,
        "plans.Plan": fresh["plans.Plan"] + 1,
    }
    assert not Project.objects.filter(name__in=["โครงการที่ผู้ใช้เพิ่ม", "ชื่อที่ผู้ใช้แก้"])
    assert not Evidence.objects.exists() and not work["file"].exists()
    assert Organization.objects.get(pk=1).phone == "045-000000"
    assert (
        get_user_model().objects.get(username="director").check_password("reset-pass")
    )
    assert Person.objects.filter(user__isnull=False).count() == 8
    assert Plan.objects.filter(pk=other.pk).exists()


def test_load_demo_leaves_the_reference_rows_to_migrate(monkeypatch):
    """Reference rows come with ``migrate`` (core.reference_data): a demo
    load neither restores a row a superuser removed nor undoes an edit."""
    from budgets.models import BudgetSource
    from home import demo
    from tests.core.tables import changed_tables, table_checksums

    monkeypatch.setattr(demo, "build_demo_office", lambda office: None)
    StandardGroup.objects.filter(pk=1).update(name="ชื่อกลุ่มที่ผู้ใช้แก้")
    BudgetSource.objects.filter(pk=2).delete()

    call_command("load_demo", password="demo-pass", verbosity=0)

    assert StandardGroup.objects.get(pk=1).name == "ชื่อกลุ่มที่ผู้ใช้แก้"
    assert not BudgetSource.objects.filter(pk=2).exists()
    assert Organization.objects.filter(pk=1).exists()
    before = table_checksums()
    call_command("load_demo", password="demo-pass", verbosity=0)
    assert changed_tables(before, table_checksums()) == []
