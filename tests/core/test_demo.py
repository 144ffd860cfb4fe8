import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest

from core import rules
from core.models import OfficeGroup, Organization, Person, StandardGroup
from core.roles import Role

pytestmark = pytest.mark.django_db


def test_reference_fixture_loads_the_standard_groups():
    call_command("loaddata", "standard_groups", verbosity=0)
    assert StandardGroup.objects.count() == 10
    assert StandardGroup.objects.filter(name="กลุ่มนโยบายและแผน").exists()


def test_load_demo_is_idempotent_and_prints_logins(capsys):
    call_command("load_demo", password="demo-pass")
    call_command("load_demo", password="demo-pass")
    output = capsys.readouterr().out
    assert "director" in output and "demo-pass" in output
    assert Organization.objects.count() == 1
    assert OfficeGroup.objects.count() == 10
    User = get_user_model()
    assert User.objects.count() == 8
    assert Person.objects.filter(user__isnull=False).count() == 8


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


def test_load_demo_twice_keeps_every_row_count():
    from django.apps import apps

    from core.demo import load_demo

    models = [
        apps.get_model(label)
        for label in (
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
        )
    ]

    def counts():
        return {model._meta.label: model.objects.count() for model in models}

    load_demo(password="demo-pass")
    first = counts()
    load_demo(password="demo-pass")

    assert counts() == first
    assert all(first.values()), first
    assert first["plans.Plan"] == 2
    assert first["progress.ReportingRound"] == 8
