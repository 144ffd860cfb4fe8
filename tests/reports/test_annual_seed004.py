"""Seed 004's annual report (FY2565) reproduced from its rows: Table 13 from
the office's allocations, running costs and payments imported through the
plan workbook and the finance sheet (no pseudo-project), and the project
indicators' attainment (issue 16 item 7, issue 17 items 1 and 3)."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from budgets.models import Allocation, OperatingCost, OperatingDisbursement
from budgets.rollups import office_ledger
from core.thai import percent_of
from projects.models import Project
from tests.data import build_seed004_money as seed
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data"


def import_seed_money(office):
    out = StringIO()
    call_command(
        "import_plan",
        str(DATA / "seed004_money.xlsx"),
        "--fiscal-year",
        "2565",
        stdout=out,
    )
    call_command(
        "import_disbursements",
        str(DATA / "seed004_payments.xlsx"),
        "--fiscal-year",
        "2565",
        stdout=out,
    )
    return out.getvalue()


def test_table_13_is_reproduced_from_the_imported_rows():
    office = OrganizationFactory(name=seed.OFFICE, short_name=seed.OFFICE_SHORT)
    import_seed_money(office)
    assert Allocation.objects.filter(organization=office).count() == 6
    assert OperatingCost.objects.filter(organization=office).count() == 6
    assert OperatingDisbursement.objects.count() == 6
    assert not Project.objects.exists()  # no pseudo-project carries the money

    ledger = office_ledger(office, 2565)
    figures = {
        row.name: (row.allocated, row.disbursed, row.remaining, row.percent)
        for row in ledger.rows
    }
    # the budget law's order, the categories' own
    assert [row.name for row in ledger.rows] == [
        "งบบุคลากร",
        "งบดำเนินงาน",
        "งบลงทุน",
        "งบเงินอุดหนุน",
        "งบรายจ่ายอื่น",
    ]
    assert figures["งบบุคลากร"] == (
        Decimal("18497700.00"),
        Decimal("18368345.14"),
        Decimal("129354.86"),
        Decimal("99.30"),
    )
    assert figures["งบดำเนินงาน"][2:] == (Decimal("509339.95"), Decimal("98.09"))
    assert figures["งบเงินอุดหนุน"][2:] == (Decimal("73500.00"), Decimal("99.97"))
    assert figures["งบลงทุน"][2:] == (Decimal("14890.63"), Decimal("99.94"))
    assert figures["งบรายจ่ายอื่น"][2:] == (Decimal("7030.00"), Decimal("99.59"))
    total = ledger.total
    assert (total.allocated, total.disbursed, total.remaining, total.percent) == (
        Decimal("318223938.00"),
        Decimal("317489822.56"),
        Decimal("734115.44"),
        Decimal("99.77"),
    )
    # the central fund: below the total, never in it; the seed prints 5.20
    [central] = ledger.outside
    assert central.name == "งบกลาง (สำรองฉุกเฉิน)"
    assert (central.allocated, central.disbursed, central.remaining) == (
        Decimal("5851800.00"),
        Decimal("5851795.80"),
        Decimal("4.20"),
    )
    # 99.99993 %: money left never prints as 100.00 (the seed: 99.99)
    assert central.percent == Decimal("99.99")


def test_project_indicators_attain_49_of_51():
    """Computed from the 51 rows (never the seed's printed ratio)."""
    met = [result >= target for _p, _n, _u, _l, target, result in seed.INDICATORS]
    assert (sum(met), len(met)) == (49, 51)
    assert percent_of(sum(met), len(met)) == Decimal("96.08")
