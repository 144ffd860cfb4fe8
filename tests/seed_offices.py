"""The seed workbooks' offices, imported as an office would import them.

Seed 000's FY2562 year (16 projects, 12 without money) and seed 003's FY2566
direction go into สพป.ยโสธร เขต 2; seed 004's fourteen projects, its office's
money (allocations and running costs) and its payments into
สพม.พิษณุโลก อุตรดิตถ์ (FY2565). Everything goes through the management
commands (``create_office``, ``import_plan``, ``import_disbursements``).
"""

from io import StringIO
from pathlib import Path
from types import SimpleNamespace

from django.core.management import call_command

from plans.models import Plan

DATA = Path(__file__).resolve().parent / "data"
SEED000_OFFICE = "สพป.ยโสธร เขต 2"
SEED004_OFFICE = "สพม.พิษณุโลก อุตรดิตถ์"


def _create_office(name: str, short_name: str, kind: str, user: str) -> None:
    call_command(
        "create_office",
        "--noinput",
        "--name",
        name,
        "--short-name",
        short_name,
        "--kind",
        kind,
        "--admin-username",
        f"{user}_admin",
        "--planner-username",
        f"{user}_plan",
        stdout=StringIO(),
    )


def _import(workbook: str, year: int, *options: str) -> None:
    out = StringIO()
    call_command(
        "import_plan",
        str(DATA / workbook),
        "--fiscal-year",
        str(year),
        *options,
        stdout=out,
    )
    assert "นำเข้าเรียบร้อย" in out.getvalue(), out.getvalue()


def build_seeds() -> SimpleNamespace:
    """The three seeds: seed 000 and 003 in one office, seed 004 in another."""
    seed000 = build_seed000()
    _import("seed003_direction.xlsx", 2566, "--office", SEED000_OFFICE)
    _create_office(
        "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาพิษณุโลก อุตรดิตถ์",
        SEED004_OFFICE,
        "spm",
        "plk",
    )
    _import("seed004_projects.xlsx", 2565, "--office", SEED004_OFFICE)
    _import(
        "seed004_money.xlsx",
        2565,
        "--office",
        SEED004_OFFICE,
        "--override-budget-rules",
    )
    out = StringIO()
    call_command(
        "import_disbursements",
        str(DATA / "seed004_payments.xlsx"),
        "--fiscal-year",
        "2565",
        "--office",
        SEED004_OFFICE,
        stdout=out,
    )
    return SimpleNamespace(
        seed000=seed000,
        seed003=Plan.objects.get(fiscal_year=2566),
        seed004=Plan.objects.get(fiscal_year=2565),
    )


def build_seed000() -> Plan:
    """Seed 000's year alone (what the plan book tests need)."""
    _create_office(
        "สำนักงานเขตพื้นที่การศึกษาประถมศึกษายโสธร เขต 2",
        SEED000_OFFICE,
        "spp",
        "yst2",
    )
    _import("seed000_fy2562.xlsx", 2562, "--office", SEED000_OFFICE)
    return Plan.objects.get(organization__short_name=SEED000_OFFICE, fiscal_year=2562)
