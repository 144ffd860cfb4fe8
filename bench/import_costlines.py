"""Benchmark: import a plan workbook with 5,000 cost lines.

Run from the project root (uses a throwaway SQLite database, never yours):

    .venv/bin/python bench/import_costlines.py

Builds 250 projects × 4 activities × 5 cost lines (plus activities, quarterly
plans and KPIs), then times parse + validate + write of a first import
(everything created) and of a re-import (everything matched and unchanged).
Target: under 60 s. Override the database with BENCH_DATABASE_URL.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_PATH = Path(tempfile.gettempdir()) / "phaen-bench.sqlite3"
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{DB_PATH}"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PROJECTS, ACTIVITIES, LINES = 250, 4, 5


def build_workbook(group_name: str, rate: str = "1๒0.50"):
    from openpyxl import Workbook

    from excel import layout

    def row(sheet, **values):
        return [values.get(c.key) for c in sheet.columns]

    book = Workbook()
    book.remove(book.active)
    sheets = {s.name: book.create_sheet(s.name) for s in layout.DATA_SHEETS}
    for sheet in layout.DATA_SHEETS:
        sheets[sheet.name].append(sheet.headers)
    for p in range(1, PROJECTS + 1):
        code = f"70-{p:03d}"
        sheets[layout.PROJECTS.name].append(
            row(
                layout.PROJECTS,
                code=code,
                name=f"โครงการที่ {p}",
                group=group_name,
                start_month="ต.ค. 2569",
                end_month="ก.ย. 2570",
                strategies="1",
            )
        )
        sheets[layout.OBJECTIVES.name].append(
            row(layout.OBJECTIVES, project=code, order=1, text="เพื่อพัฒนาคุณภาพ")
        )
        sheets[layout.KPIS.name].append(
            row(
                layout.KPIS,
                project=code,
                order=1,
                name="ร้อยละของครู",
                unit="ร้อยละ",
                target_value=80,
            )
        )
        for a in range(1, ACTIVITIES + 1):
            sheets[layout.ACTIVITIES.name].append(
                row(
                    layout.ACTIVITIES,
                    project=code,
                    activity=a,
                    name=f"กิจกรรม {a}",
                    m02="✓",
                    m05="✓",
                )
            )
            sheets[layout.QUARTERS.name].append(
                row(layout.QUARTERS, project=code, activity=a, q1="1,0๐๐", q2=500)
            )
            for n in range(1, LINES + 1):
                sheets[layout.COST_LINES.name].append(
                    row(
                        layout.COST_LINES,
                        project=code,
                        activity=a,
                        order=n,
                        category="ค่าใช้สอย",
                        description=f"ค่าอาหาร {n}",
                        times=1,
                        persons="๖๐",
                        days=2,
                        rate=rate,
                    )
                )
    return book


def main() -> None:
    if "BENCH_DATABASE_URL" not in os.environ:
        DB_PATH.unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("loaddata", "expense_categories", "budget_sources", verbosity=0)

    from core import xlsx
    from core.models import OfficeGroup, Organization
    from excel import layout
    from excel.importer import plan_import
    from plans.models import Plan, Strategy

    office, _ = Organization.objects.get_or_create(
        short_name="สพป.ทดสอบความเร็ว", defaults={"name": "สำนักงานทดสอบความเร็ว"}
    )
    group, _ = OfficeGroup.objects.get_or_create(
        organization=office, name="กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา"
    )
    plan, _ = Plan.objects.get_or_create(organization=office, fiscal_year=2570)
    Strategy.objects.get_or_create(plan=plan, number=1, defaults={"title": "คุณภาพ"})
    source = xlsx.to_bytes(build_workbook("กลุ่มนิเทศติดตามฯ"))
    changed = xlsx.to_bytes(build_workbook("กลุ่มนิเทศติดตามฯ", rate="130"))
    print(
        f"workbook: {len(source) / 1024:.0f} KB, "
        f"{PROJECTS * ACTIVITIES * LINES} cost lines"
    )
    for label, data in (
        ("first import (create)", source),
        ("re-import (unchanged)", source),
        ("re-import (every rate changed)", changed),
    ):
        from io import BytesIO

        started = time.perf_counter()
        result = plan_import(
            source=BytesIO(data), organization=office, fiscal_year=2570
        )
        elapsed = time.perf_counter() - started
        if not result.ok:
            for error in result.errors[:20]:
                print(error)
            raise SystemExit(1)
        lines = result.count(layout.COST_LINES.name)
        print(
            f"{label}: {elapsed:.1f} s (cost lines: created {lines.created}, "
            f"updated {lines.updated}, unchanged {lines.unchanged})"
        )


if __name__ == "__main__":
    main()
