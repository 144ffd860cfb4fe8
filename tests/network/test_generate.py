"""``manage.py generate_network`` (issue 20 item 4), at a small size."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from budgets.models import CostLine
from core.models import Organization
from network import selectors
from progress.models import ProgressReport, ReportingRound
from projects.models import Activity, Project

pytestmark = pytest.mark.django_db


def test_generate_a_small_network():
    out = io.StringIO()
    call_command(
        "generate_network",
        "--offices=4",
        "--projects=6",
        "--activities=40",
        "--fiscal-year=2568",
        stdout=out,
    )
    assert "4 สำนักงาน" in out.getvalue()
    assert "ตัวชี้วัด" in out.getvalue() and "การเชื่อมโยงนโยบาย" in out.getvalue()
    offices = Organization.objects.offices()
    assert offices.count() == 4
    assert offices.filter(kind="spp").count() == 3  # 183 of 245 are primary
    obec = Organization.objects.get(kind="obec")
    assert Organization.objects.offices().under(obec).count() == 4
    assert Project.objects.count() == 24
    assert Activity.objects.count() == 160  # 40 per office
    assert CostLine.objects.count() == 800  # 5 per activity
    assert ReportingRound.objects.count() == 16
    assert ProgressReport.objects.exists()
    rows = selectors.money(offices, 2568, datetime.date(2025, 9, 30))
    assert all(row.budget > 0 for row in rows)
    # the policy and indicator pages have something to show at scale
    assert sum(row.projects for row in selectors.policy(offices, 2568)) >= 24
    assert all(row.reported for row in selectors.indicators(offices, 2568))


def test_offices_must_be_positive():
    with pytest.raises(CommandError):
        call_command("generate_network", "--offices=0")
