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
    build_seed004_projects()
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


def _seed_plan(
    name: str, short_name: str, kind: str, user: str, workbook: str, year: int
) -> Plan:
    """A fresh office with one plan workbook imported: its plan."""
    _create_office(name, short_name, kind, user)
    _import(workbook, year, "--office", short_name)
    return Plan.objects.get(organization__short_name=short_name, fiscal_year=year)


def build_seed000() -> Plan:
    """Seed 000's year alone (what the plan book tests need)."""
    return _seed_plan(
        "สำนักงานเขตพื้นที่การศึกษาประถมศึกษายโสธร เขต 2",
        SEED000_OFFICE,
        "spp",
        "yst2",
        "seed000_fy2562.xlsx",
        2562,
    )


def build_seed004_projects() -> Plan:
    """Seed 004's fourteen office projects alone, in a fresh office."""
    return _seed_plan(
        "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาพิษณุโลก อุตรดิตถ์",
        SEED004_OFFICE,
        "spm",
        "plk",
        "seed004_projects.xlsx",
        2565,
    )
