"""Benchmark: the annual plan book of a large office.

Builds a throwaway SQLite database with one office of 60 projects, 400
activities, 2,000 cost lines, quarterly plans, disbursements and 4 rounds of
progress, renders the plan book and prints:

- render time (database + templates, then layout + write as the web download
  does it: in parts side by side, a tagged PDF joined before it is written,
  or with ``PHAEN_PDF_TAGGED_PARTS=0`` a tagged PDF in one process),
- the CPU time of that layout, worker processes included: on a shared
  machine the wall-clock time also counts other people's work,
- where that CPU time goes, phase by phase (``bench/phases.py``),
- pages, queries, peak memory (max RSS),
- the ratio of total time to WeasyPrint's own layout + write time of the same
  HTML in one process,
- the time of a second, cached download.

Run: ``.venv/bin/python bench/plan_book.py [--projects 60] [--digits thai]``.
Targets (issue 7, kept by issue 16): under 20 s; database + template time
under 15 % of the total; query count independent of the number of projects.
"""

import argparse
import datetime
import os
import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from phases import phases, report  # noqa: E402 (bench/ is the script's folder)


def _setup(database: Path) -> None:
    import django
    from django.conf import settings

    settings.DATABASES["default"] = {
        **settings.DATABASES["default"],
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(database),
    }
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("loaddata", "budget_sources", "expense_categories", verbosity=0)


def build_office(projects: int, activities: int, lines: int):
    """The large office, written with bulk_create (a few seconds)."""
    from budgets.models import (
        Allocation,
        BudgetSource,
        CostLine,
        Disbursement,
        ExpenseCategory,
        QuarterPlan,
    )
    from core.models import OfficeGroup, Organization, Person
    from plans.models import Indicator, IndicatorTarget, Mission, Plan, Strategy
    from progress.models import ProgressReport, ReportingRound
    from projects.models import (
        Activity,
        ExpectedResult,
        Objective,
        Project,
        ProjectKPI,
        ProjectResponsible,
        ProjectTarget,
    )
    from reports.models import BookSection

    year = 2570
    office = Organization.objects.create(
        name="สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 9", short_name="สพป.ทดสอบ เขต 9"
    )
    groups = [
        OfficeGroup.objects.create(organization=office, name=f"กลุ่มทดสอบที่ {n}", order=n)
        for n in range(1, 9)
    ]
    people = Person.objects.bulk_create(
        Person(
            organization=office,
            title="นาง",
            first_name=f"บุคลากร{n}",
            last_name="ใจดี",
            position="นักวิชาการศึกษาชำนาญการ",
            group=groups[n % len(groups)],
        )
        for n in range(40)
    )
    plan = Plan.objects.create(
        organization=office,
        fiscal_year=year,
        vision="นักเรียนมีคุณภาพ ครูมีสมรรถนะ สถานศึกษามีมาตรฐาน บริหารจัดการด้วยธรรมาภิบาล",
    )
    Mission.objects.bulk_create(
        Mission(plan=plan, number=n, text="ส่งเสริมการจัดการศึกษาให้มีคุณภาพ" * 2)
        for n in range(1, 6)
    )
    strategies = [
        Strategy.objects.create(plan=plan, number=n, title=f"กลยุทธ์ด้านที่ {n}")
        for n in range(1, 5)
    ]
    for strategy in strategies:
        for n in range(1, 11):
            indicator = Indicator.objects.create(
                strategy=strategy, number=n, name="ร้อยละของนักเรียนที่มีผลสัมฤทธิ์ระดับดีขึ้นไป"
            )
            IndicatorTarget.objects.create(
                indicator=indicator, fiscal_year=year, target_value=80
            )
    for part, title in [
        ("foreword", "คำนำ"),
        ("context", "ข้อมูลพื้นฐาน"),
        ("administration", "การบริหารแผน"),
        ("appendix", "คำสั่งแต่งตั้งคณะกรรมการ"),
    ]:
        BookSection.objects.create(
            plan=plan,
            part=part,
            title=title,
            body="สำนักงานเขตพื้นที่การศึกษาได้จัดทำแผนปฏิบัติการประจำปี " * 20,
            table="ระดับ | จำนวนโรงเรียน | นักเรียน\nประถมศึกษา | 124 | 9,850",
        )
    source = BudgetSource.objects.get(code="basic-human-capital")
    Allocation.objects.create(
        organization=office, fiscal_year=year, source=source, amount=50_000_000
    )
    categories = list(ExpenseCategory.objects.filter(parent__code="operating"))
    start = datetime.date(2026, 10, 1)  # 1 ต.ค. 2569, the start of FY 2570
    project_rows = Project.objects.bulk_create(
        Project(
            plan=plan,
            group=groups[n % len(groups)],
            sequence=n,
            code=f"70-{n:03d}",
            name=f"โครงการพัฒนาคุณภาพการศึกษาของสถานศึกษาในสังกัด ที่ {n}",
            budget_plan="พื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพคน",
            start_month=start,
            end_month=datetime.date(2027, 9, 1),
            rationale="ตามนโยบายของสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน " * 8,
            status="approved",
            budget_source=source,
        )
        for n in range(1, projects + 1)
    )
    for index, project in enumerate(project_rows):
        project.strategies.set([strategies[index % 4]])
    ProjectResponsible.objects.bulk_create(
        ProjectResponsible(project=p, order=1, person=people[i % len(people)])
        for i, p in enumerate(project_rows)
    )
    Objective.objects.bulk_create(
        Objective(project=p, order=n, text="เพื่อพัฒนาครูให้มีสมรรถนะในการจัดการเรียนรู้")
        for p in project_rows
        for n in range(3)
    )
    ProjectTarget.objects.bulk_create(
        ProjectTarget(
            project=p, kind="quantitative", quantity=124, unit="โรงเรียน", text="โรงเรียน"
        )
        for p in project_rows
    )
    ExpectedResult.objects.bulk_create(
        ExpectedResult(project=p, text="ครูมีสมรรถนะสูงขึ้น") for p in project_rows
    )
    ProjectKPI.objects.bulk_create(
        ProjectKPI(
            project=p,
            name="ร้อยละของผู้เข้าอบรมที่ผ่านเกณฑ์",
            target_value=80,
            method="ทดสอบ",
            instrument="แบบทดสอบ",
        )
        for p in project_rows
    )
    activity_rows = Activity.objects.bulk_create(
        Activity(
            project=project_rows[n % projects],
            order=n,
            name=f"ประชุมเชิงปฏิบัติการพัฒนาครู ครั้งที่ {n}",
            target="ครู 120 คน",
            months=["2026-11-01", "2026-12-01", "2027-01-01"],
        )
        for n in range(activities)
    )
    line_rows = CostLine.objects.bulk_create(
        CostLine(
            activity=activity_rows[n % activities],
            category=categories[n % len(categories)],
            order=n,
            description="ค่าอาหารกลางวัน",
            times=Decimal(1),
            persons=Decimal(12),
            rate=Decimal(200),
            amount=Decimal("2400.00"),
        )
        for n in range(lines)
    )
    QuarterPlan.objects.bulk_create(
        QuarterPlan(activity=a, quarter=q, amount=Decimal("3000.00"))
        for a in activity_rows
        for q in (1, 2, 3, 4)
    )
    Disbursement.objects.bulk_create(
        Disbursement(
            activity=line.activity,
            project_id=line.activity.project_id,  # bulk_create skips save()
            cost_line=line,
            paid_on=datetime.date(2026, 12, 15),
            amount=Decimal("2000.00"),
        )
        for line in line_rows[::2]
    )
    for number in (1, 2, 3, 4):
        end = [
            None,
            datetime.date(2026, 12, 31),
            datetime.date(2027, 3, 31),
            datetime.date(2027, 6, 30),
            datetime.date(2027, 9, 30),
        ][number]
        reporting_round = ReportingRound.objects.create(
            organization=office,
            fiscal_year=year,
            number=number,
            period_end=end,
            due_date=end + datetime.timedelta(days=15),
        )
        ProgressReport.objects.bulk_create(
            ProgressReport(
                round=reporting_round,
                project=p,
                status="in_progress" if number < 4 else "completed",
                percent_complete=25 * number,
                output_progress="ดำเนินการแล้ว",
            )
            for p in project_rows
        )
    return plan


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the layout
    workers)."""
    return _own_cpu_seconds() + _children_cpu_seconds()


def _own_cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def _children_cpu_seconds() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=60)
    parser.add_argument("--activities", type=int, default=400)
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--digits", default="thai", choices=["thai", "arabic"])
    parser.add_argument("--output", default="", help="write the PDF here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        # the stored PDFs of this run only (reports.documents.DocumentSpec)
        os.environ["PHAEN_DOCUMENT_DIR"] = str(Path(folder) / "documents")
        _setup(Path(folder) / "bench.sqlite3")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from plans.models import Plan
        from reports import documents, pdf

        started = time.perf_counter()
        plan = build_office(args.projects, args.activities, args.lines)
        print(f"data built in {time.perf_counter() - started:.1f} s")
        plan = Plan.objects.select_related("organization__director").get(pk=plan.pk)

        # 1. the web/command path (documents.plan_book_pdf before it is stored),
        #    timed in its two halves: data + templates, then the layout (in
        #    parts side by side when the book is long, see reports.pdf)
        total_start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            document = documents.plan_book_document(plan, args.digits)
            html = document.pdf_html()
        prepared = time.perf_counter() - total_start
        layout_start = time.perf_counter()
        cpu_start = _cpu_seconds()
        own_start, children_start = _own_cpu_seconds(), _children_cpu_seconds()
        with phases() as split:
            content = document.render()
        weasy = time.perf_counter() - layout_start
        layout_cpu = _cpu_seconds() - cpu_start
        own_cpu = _own_cpu_seconds() - own_start
        children_cpu = _children_cpu_seconds() - children_start
        total = time.perf_counter() - total_start

        # 2. WeasyPrint alone on the same HTML in one process (untagged), for its
        #    own time
        import weasyprint

        alone_start = time.perf_counter()
        with pdf.cyclic_gc_paused():  # as reports.pdf renders
            rendered = weasyprint.HTML(
                string=html, base_url="/", url_fetcher=pdf.StaticOnlyURLFetcher()
            ).render()
            rendered.write_pdf()
        alone = time.perf_counter() - alone_start

        # 3. a second download of the unchanged book is served from its stored file
        documents.plan_book_pdf(plan, args.digits)  # stores it
        cached_start = time.perf_counter()
        documents.plan_book_pdf(plan, args.digits)
        cached = time.perf_counter() - cached_start

        if args.output:
            Path(args.output).write_bytes(content)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"projects / activities / cost lines: "
            f"{args.projects} / {args.activities} / {args.lines}"
        )
        from django.conf import settings

        print(f"pages:                      {len(rendered.pages)}")
        tagged = settings.PHAEN_PDF_TAGS or document.archival
        whole = tagged and not settings.PHAEN_PDF_TAGGED_PARTS
        kind = "tagged PDF" if tagged else "untagged PDF"
        print(
            f"layout processes:           "
            f"{1 if whole else settings.PHAEN_PDF_WORKERS} "
            f"({kind}{', one piece' if whole else ', PHAEN_PDF_WORKERS'}; "
            f"book body {len(document.body):,} characters)"
        )
        print(f"queries:                    {len(queries)}")
        print(
            f"database + templates:       {prepared:.2f} s "
            f"({100 * prepared / total:.1f} % of total)"
        )
        print(
            f"layout + write:             {weasy:.2f} s "
            f"(WeasyPrint alone, one process: {alone:.2f} s)"
        )
        print(
            f"layout + write, CPU time:   {layout_cpu:.2f} s (all processes: "
            f"this one {own_cpu:.2f} s, workers {children_cpu:.2f} s)"
        )
        if tagged:
            print("  of which, in this process:")
            print(report(split, own_cpu))
        print(f"total render time:          {total:.2f} s")
        print(f"total / WeasyPrint alone:   {total / alone:.3f}")
        print(f"cached second download:     {cached * 1000:.1f} ms")
        print(
            f"peak memory (max RSS):      {peak_mb:.0f} MB "
            f"(largest child process, a layout worker: {worker_mb:.0f} MB)"
        )
        print(f"PDF size:                   {len(content) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
