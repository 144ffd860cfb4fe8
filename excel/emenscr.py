"""The eMENSCR workbook: a fiscal year's projects laid out as eMENSCR's entry
screens, so an officer copies each screen's fields without retyping.

eMENSCR (emenscr.nesdc.go.th, the NESDC's project register) asks every state
project for the same six screens: general data, alignment with the national
strategy chain, objectives/targets/KPIs, activities, the spending plan and
the results of each reporting round. The office already holds all of it, in
the plan's projects, the policy chain (``plans.PolicyItem``), the budget
rollups and the progress reports; this module only lays it out. One sheet
per screen, the project's code and name on every row so rows can be matched,
and a first sheet ("ตรวจก่อนกรอก") listing the projects eMENSCR would refuse
(a missing national-strategy link, master plan, sub-plan, KPI target …)
first, so the officer fixes them in Phaen before typing anything.

Reads a fixed number of queries whatever the number of projects; every cell
goes through :mod:`core.xlsx` (formula-like text stays text).
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from openpyxl import Workbook

from budgets.rollups import QUARTERS, annotate_activity_budget, with_project_budget
from core import xlsx
from core.thai import ZERO
from core.xlsx import Column, Kind, Sheet
from plans.indicators import Unit
from plans.models import Plan, PolicyItem
from progress.models import ProgressReport
from projects.models import Activity, Project, ProjectKPI, book_order

#: The words eMENSCR's screen 2 uses for the 13th national economic and
#: social development plan. The register ships the plan as its own kind
#: (``PolicyItem.Kind.DEVELOPMENT_PLAN``, the หมุดหมาย as its children);
#: before it did, an office could only enter it as "อื่น ๆ" under a root item
#: so named, and those items are still read.
NESDP_WORDS = "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ"
#: Plans below the national level that eMENSCR calls แผนระดับ 3 / นโยบาย.
LEVEL3_KINDS = (
    PolicyItem.Kind.NATIONAL_EDUCATION_PLAN,
    PolicyItem.Kind.MOE_POLICY,
    PolicyItem.Kind.OBEC_POLICY,
    PolicyItem.Kind.OBEC_STRATEGY,
)

CHECK_SHEET = "ตรวจก่อนกรอก"
READY = "พร้อมกรอก"
MISSING_NATIONAL_STRATEGY = "ยังไม่เชื่อมยุทธศาสตร์ชาติ"
MISSING_MASTER_PLAN = "ยังไม่เชื่อมแผนแม่บทภายใต้ยุทธศาสตร์ชาติ"
MISSING_SUB_PLAN = "ยังไม่เชื่อมแผนย่อยของแผนแม่บท"
MISSING_OBJECTIVE = "ยังไม่มีวัตถุประสงค์"
MISSING_KPI_TARGET = "ยังไม่มีตัวชี้วัดที่มีค่าเป้าหมาย"
MISSING_PERIOD = "ยังไม่ระบุระยะเวลาดำเนินการ"
MISSING_ACTIVITY = "ยังไม่มีกิจกรรม"

CODE = Column("code", "รหัสโครงการ", Kind.CODE, width=12)
NAME = Column("name", "ชื่อโครงการ", width=45)

SHEETS = {
    "check": Sheet(
        CHECK_SHEET,
        (
            CODE,
            NAME,
            Column("group", "กลุ่มที่รับผิดชอบ", width=28),
            Column("count", "จำนวนรายการที่ขาด", Kind.INT, width=12),
            Column("missing", "สิ่งที่ต้องเพิ่มก่อนกรอก eMENSCR", width=70),
        ),
    ),
    "general": Sheet(
        "1 ข้อมูลทั่วไป",
        (
            CODE,
            NAME,
            Column("office", "หน่วยงาน", width=30),
            Column("group", "กลุ่มที่รับผิดชอบ", width=28),
            Column("fiscal_year", "ปีงบประมาณ", Kind.INT, width=10),
            Column("kind", "ลักษณะโครงการ", width=16),
            Column("start", "วันเริ่มต้น", Kind.DATE, width=12),
            Column("end", "วันสิ้นสุด", Kind.DATE, width=12),
            Column("budget", "งบประมาณ (บาท)", Kind.MONEY, width=16),
            Column("source", "แหล่งงบประมาณ", width=24),
            Column("status", "สถานะการดำเนินงาน", width=20),
            Column("approval", "สถานะในระบบแผน", width=14),
            Column("responsibles", "ผู้รับผิดชอบ", width=30),
        ),
    ),
    "alignment": Sheet(
        "2 ความสอดคล้อง",
        (
            CODE,
            NAME,
            Column("national_strategy", "ยุทธศาสตร์ชาติ (ด้าน)", width=40),
            Column("master_plan", "แผนแม่บทภายใต้ยุทธศาสตร์ชาติ (ประเด็น)", width=40),
            Column("sub_plan", "แผนย่อยของแผนแม่บท", width=45),
            Column("reform_plan", "แผนการปฏิรูปประเทศ", width=35),
            Column("nesdp", "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ ฉบับที่ 13 (หมุดหมาย)", width=35),
            Column("level3", "นโยบาย/แผนระดับ 3", width=50),
            Column("strategies", "กลยุทธ์ของสำนักงาน", width=40),
        ),
    ),
    "objectives": Sheet(
        "3 วัตถุประสงค์และตัวชี้วัด",
        (
            CODE,
            NAME,
            Column("kind", "หัวข้อ", width=22),
            Column("order", "ข้อที่", Kind.INT, width=7),
            Column("text", "รายละเอียด", width=60),
            Column("target", "ค่าเป้าหมาย", Kind.NUMBER, width=12),
            Column("unit", "หน่วยนับ", width=12),
            Column("target_text", "ค่าเป้าหมาย (ข้อความ)", width=30),
        ),
    ),
    "activities": Sheet(
        "4 กิจกรรม",
        (
            CODE,
            NAME,
            Column("order", "กิจกรรมที่", Kind.INT, width=9),
            Column("parent", "ภายใต้กิจกรรมที่", Kind.INT, width=9),
            Column("activity", "ชื่อกิจกรรม", width=50),
            Column("budget", "งบประมาณ (บาท)", Kind.MONEY, width=16),
            Column("first_month", "เดือนเริ่มต้น", Kind.MONTH, width=12),
            Column("last_month", "เดือนสิ้นสุด", Kind.MONTH, width=12),
            Column("responsible", "ผู้รับผิดชอบ", width=24),
        ),
    ),
    "spending": Sheet(
        "5 แผนการใช้จ่ายงบประมาณ",
        (
            CODE,
            NAME,
            Column("budget", "งบประมาณทั้งสิ้น (บาท)", Kind.MONEY, width=16),
            *(
                Column(f"q{q}", f"ไตรมาส {q} (บาท)", Kind.MONEY, width=15)
                for q in QUARTERS
            ),
            Column("planned", "รวมตามแผน (บาท)", Kind.MONEY, width=16),
            Column("unplanned", "ยังไม่กระจายลงไตรมาส (บาท)", Kind.MONEY, width=16),
        ),
    ),
    "results": Sheet(
        "6 รายงานผลการดำเนินงาน",
        (
            CODE,
            NAME,
            Column("round", "รอบการรายงาน", width=14),
            Column("period_end", "ข้อมูล ณ วันที่", Kind.DATE, width=12),
            Column("status", "สถานะการดำเนินงาน", width=20),
            Column("percent", "ร้อยละความก้าวหน้า", Kind.NUMBER, width=12),
            Column("planned", "แผนการใช้จ่ายสะสม (บาท)", Kind.MONEY, width=16),
            Column("disbursed", "ผลการใช้จ่ายสะสม (บาท)", Kind.MONEY, width=16),
            Column("kpis", "ผลตามตัวชี้วัด", width=60),
            Column("problems", "ปัญหาอุปสรรค", width=40),
            Column("suggestions", "ข้อเสนอแนะ", width=40),
            Column("state", "สถานะรายงาน", width=16),
        ),
    ),
}


# ------------------------------------------------------------------ the chain


@dataclass
class Alignment:
    """A project's place in the national chain, as eMENSCR's screen 2 asks."""

    national_strategy: list = field(default_factory=list)
    master_plan: list = field(default_factory=list)
    sub_plan: list = field(default_factory=list)
    reform_plan: list = field(default_factory=list)
    nesdp: list = field(default_factory=list)
    level3: list = field(default_factory=list)


def _label(item: PolicyItem) -> str:
    return f"{item.code} {item.title}".strip()


def _ancestors(item: PolicyItem, items: dict[int, PolicyItem]) -> list[PolicyItem]:
    """``item``'s parents, nearest first (the tree is small and read once)."""
    chain, seen = [], {item.pk}
    current = items.get(item.parent_id)
    while current is not None and current.pk not in seen:
        chain.append(current)
        seen.add(current.pk)
        current = items.get(current.parent_id)
    return chain


def alignment(linked, items: dict[int, PolicyItem]) -> Alignment:
    """Where the ``linked`` items sit in the chain.

    A project linked to a sub-plan is thereby linked to its master plan and
    national strategy: eMENSCR asks for all three, and Phaen's users pick the
    deepest item, so each level is read from the item or its ancestors. The
    roots (the titles "ยุทธศาสตร์ชาติ 20 ปี", "แผนแม่บท …") are containers and
    are not a level's answer.
    """
    found = Alignment()

    def add(bucket: list, item: PolicyItem) -> None:
        if item not in bucket:
            bucket.append(item)

    Policy = PolicyItem.Kind
    for item in linked:
        path = [item, *_ancestors(item, items)]
        for node in path:
            if node.parent_id is None:
                continue  # a root: the plan's title, not an answer
            parent = items.get(node.parent_id)
            if node.kind == Policy.NATIONAL_STRATEGY:
                add(found.national_strategy, node)
            elif node.kind == Policy.MASTER_PLAN:
                if parent is not None and parent.kind == Policy.MASTER_PLAN:
                    add(found.sub_plan, node)
                else:
                    add(found.master_plan, node)
            elif node.kind == Policy.REFORM_PLAN:
                add(found.reform_plan, node)
            elif node.kind == Policy.DEVELOPMENT_PLAN:
                add(found.nesdp, node)
            elif node.kind in LEVEL3_KINDS:
                add(found.level3, node)
            elif node.kind == Policy.OTHER:
                if NESDP_WORDS in path[-1].title:
                    add(found.nesdp, node)
    return found


def _joined(items) -> str:
    return "\n".join(_label(item) for item in items)


# ------------------------------------------------------------------ reading


def _projects(plan: Plan) -> list[Project]:
    """The plan's projects with everything the sheets read, in book order;
    a fixed number of queries."""
    projects = list(
        Project.objects.filter(plan=plan)
        .select_related("group", "budget_source")
        .prefetch_related(
            "policy_items",
            "strategies__policy_items",
            "responsibles__person",
            "objectives",
            "targets",
            Prefetch("kpis", queryset=ProjectKPI.objects.all()),
            Prefetch(
                "activities",
                queryset=annotate_activity_budget(
                    Activity.objects.select_related("responsible")
                ),
            ),
            Prefetch(
                "progress_reports",
                queryset=ProgressReport.objects.with_disbursed()
                .select_related("round")
                .prefetch_related("kpi_actuals__kpi")
                .order_by("round__number"),
            ),
        )
    )
    return sorted(with_project_budget(projects), key=book_order)


def _linked_items(project: Project) -> list[PolicyItem]:
    """The project's own links, then those its strategies carry (the office
    links most projects through their strategy)."""
    linked = list(project.policy_items.all())
    for strategy in project.strategies.all():
        linked += [i for i in strategy.policy_items.all() if i not in linked]
    return linked


def _kpi_unit(kpi) -> str:
    return kpi.unit_label or ("ร้อยละ" if kpi.unit == Unit.PERCENT else "")


def _has_target(kpi) -> bool:
    return kpi.target_value is not None or bool(kpi.target_text.strip())


def missing_links(project: Project, found: Alignment) -> list[str]:
    """What eMENSCR requires that the project lacks, in screen order."""
    missing = []
    if not found.national_strategy:
        missing.append(MISSING_NATIONAL_STRATEGY)
    if not found.master_plan:
        missing.append(MISSING_MASTER_PLAN)
    if not found.sub_plan:
        missing.append(MISSING_SUB_PLAN)
    if not [o for o in project.objectives.all() if o.text.strip()]:
        missing.append(MISSING_OBJECTIVE)
    if not any(_has_target(kpi) for kpi in project.kpis.all()):
        missing.append(MISSING_KPI_TARGET)
    if not project.has_period:
        missing.append(MISSING_PERIOD)
    if not project.activities.all():
        missing.append(MISSING_ACTIVITY)
    return missing


def _last_day(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _kpi_result(actual) -> str:
    kpi = actual.kpi
    verdict = {True: "บรรลุ", False: "ไม่บรรลุ"}.get(actual.achieved, "")
    value = actual.display_value
    return f"{kpi.name}: {value}" + (f" ({verdict})" if verdict else "")


def emenscr_rows(plan: Plan) -> dict[str, list[dict]]:
    """The rows of every sheet, by the key of :data:`SHEETS`."""
    items = {item.pk: item for item in PolicyItem.objects.all()}
    rows: dict[str, list[dict]] = {key: [] for key in SHEETS}
    checks = []
    office = plan.organization.name
    for project in _projects(plan):
        ids = {"code": project.code, "name": project.name}
        found = alignment(_linked_items(project), items)
        missing = missing_links(project, found)
        checks.append(
            {
                **ids,
                "group": project.group.name,
                "count": len(missing),
                "missing": "; ".join(missing) or READY,
            }
        )
        reports = list(project.progress_reports.all())
        latest = reports[-1] if reports else None
        rows["general"].append(
            {
                **ids,
                "office": office,
                "group": project.group.name,
                "fiscal_year": plan.fiscal_year,
                "kind": project.get_kind_display(),
                "start": project.start_month,
                "end": _last_day(project.end_month) if project.end_month else None,
                "budget": project.total_budget,
                "source": project.budget_source.name if project.budget_source else "",
                "status": latest.get_status_display()
                if latest
                else ProgressReport.Status.NOT_STARTED.label,
                "approval": project.get_status_display(),
                "responsibles": ", ".join(
                    r.display_name for r in project.responsibles.all()
                ),
            }
        )
        rows["alignment"].append(
            {
                **ids,
                "national_strategy": _joined(found.national_strategy),
                "master_plan": _joined(found.master_plan),
                "sub_plan": _joined(found.sub_plan),
                "reform_plan": _joined(found.reform_plan),
                "nesdp": _joined(found.nesdp),
                "level3": _joined(found.level3),
                "strategies": "\n".join(
                    f"กลยุทธ์ที่ {s.number} {s.title}"
                    for s in sorted(project.strategies.all(), key=lambda s: s.number)
                ),
            }
        )
        rows["objectives"] += _objective_rows(project, ids)
        rows["activities"] += _activity_rows(project, ids)
        rows["spending"].append(
            {
                **ids,
                "budget": project.total_budget,
                **{f"q{q}": getattr(project, f"planned_q{q}") for q in QUARTERS},
                "planned": project.planned_total,
                "unplanned": project.unplanned,
            }
        )
        for report in reports:
            number = report.round.number
            rows["results"].append(
                {
                    **ids,
                    "round": report.round.label,
                    "period_end": report.round.period_end,
                    "status": report.get_status_display(),
                    "percent": report.percent_complete,
                    "planned": sum(
                        (
                            getattr(project, f"planned_q{q}")
                            for q in range(1, number + 1)
                        ),
                        ZERO,
                    ),
                    "disbursed": report.disbursed,
                    "kpis": "\n".join(_kpi_result(a) for a in report.kpi_actuals.all()),
                    "problems": report.problems,
                    "suggestions": report.suggestions,
                    "state": report.get_state_display(),
                }
            )
    # Stable: the book order stays within the incomplete and the ready ones.
    rows["check"] = sorted(checks, key=lambda row: row["count"] == 0)
    return rows


def _objective_rows(project: Project, ids: dict) -> list[dict]:
    rows = []
    objectives = [o for o in project.objectives.all() if o.text.strip()]
    for number, objective in enumerate(objectives, start=1):
        rows.append(
            {**ids, "kind": "วัตถุประสงค์", "order": number, "text": objective.text}
        )
    targets = sorted(project.targets.all(), key=lambda t: (t.kind, t.order, t.pk))
    for number, target in enumerate(targets, start=1):
        kind = target.get_kind_display()
        rows.append(
            {
                **ids,
                "kind": f"เป้าหมาย{kind}" if kind else "เป้าหมาย",
                "order": number,
                "text": target.text,
                "target": target.quantity,
                "unit": target.unit,
            }
        )
    for number, kpi in enumerate(project.kpis.all(), start=1):
        rows.append(
            {
                **ids,
                "kind": "ตัวชี้วัด",
                "order": number,
                "text": kpi.name,
                "target": kpi.target_value,
                "unit": _kpi_unit(kpi),
                "target_text": kpi.target_display(kpi.unit, kpi.unit_label)
                if _has_target(kpi)
                else "",
            }
        )
    return rows


def _activity_rows(project: Project, ids: dict) -> list[dict]:
    rows = []
    activities = sorted(project.activities.all(), key=lambda a: (a.order, a.pk))
    number_of = {a.pk: n for n, a in enumerate(activities, start=1)}
    for activity in activities:
        months = activity.month_dates()
        person = activity.responsible
        rows.append(
            {
                **ids,
                "order": number_of[activity.pk],
                "parent": number_of.get(activity.parent_id),
                "activity": activity.name,
                "budget": activity.total_budget,
                "first_month": months[0] if months else None,
                "last_month": months[-1] if months else None,
                "responsible": person.full_name
                if person
                else activity.responsible_text,
            }
        )
    return rows


# ------------------------------------------------------------------ the book


def emenscr_workbook(plan: Plan) -> Workbook:
    """The plan's projects as eMENSCR's entry screens, check sheet first."""
    rows = emenscr_rows(plan)
    book = xlsx.new_book()
    for key, sheet in SHEETS.items():
        worksheet = book.create_sheet()
        xlsx.write_sheet(worksheet, sheet, rows[key])
    xlsx.add_about(
        book,
        "ข้อมูลสำหรับกรอกระบบ eMENSCR",
        [
            ("สำนักงาน", plan.organization.name),
            ("ปีงบประมาณ", plan.fiscal_year),
            ("จำนวนโครงการ", len(rows["general"])),
            (
                "โครงการที่ยังขาดข้อมูลที่ eMENSCR บังคับ",
                sum(1 for row in rows["check"] if row["count"]),
            ),
        ],
    )
    book.active = 0
    return book
