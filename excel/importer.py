"""Import of the plan workbook: validate everything, then write everything.

:func:`plan_import` reads the workbook (:mod:`excel.workbook`), checks every
row of every sheet against the office's groups, the plan's strategies, the
expense categories and the other sheets, and collects every problem as a Thai
:class:`~excel.workbook.Issue`. Only when there is none does it write, in one
transaction, with bulk queries (no query per row):

- projects are matched by code within the plan: new codes are created, known
  codes updated; projects of the plan that are not in the file are left alone;
- the child rows (objectives, targets, expected results, activities, cost
  lines, quarterly plan, KPIs, responsible persons, strategy links) of every
  project in the file are replaced by the file's rows. Rows are matched by
  their position (ข้อที่/ลำดับ), so an activity keeps its identity (and its
  disbursements and progress) when it is edited in place.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from budgets import rates
from budgets.models import (
    ERROR_PROJECT_WITHOUT_BUDGET,
    UNCLASSIFIED,
    BudgetSource,
    CostLine,
    Disbursement,
    ExpenseCategory,
    QuarterPlan,
)
from budgets.rollups import source_envelope
from budgets.services import source_envelope_validate
from core import thai
from core.models import OfficeGroup, Organization, Person
from core.services import (
    links_replace,
    rows_create,
    rows_delete,
    rows_links_changed,
    rows_update,
)
from excel import layout, parsing
from excel.diff import FieldDiff, SheetCounts, field_changes, numbers, short
from excel.office import OfficeSections
from excel.workbook import Issue, Issues, Row, read_sheets
from plans.models import Goal, Indicator, Plan, Strategy
from plans.services import plan_create
from projects.models import (
    ERROR_PARENT_NESTED,
    VIREMENT_WORDINGS,
    Activity,
    ExpectedResult,
    Objective,
    Project,
    ProjectKPI,
    ProjectResponsible,
    ProjectTarget,
    activity_months_validate,
)

ERROR_PLAN_APPROVED = (
    "แผนปฏิบัติการปีงบประมาณ {year} อนุมัติแล้ว จึงนำเข้าไม่ได้ ถ้าต้องการแก้ไขให้ปรับแผนก่อน"
)
ERROR_PROJECT_LOCKED = "โครงการ {code} อนุมัติแล้ว แก้ไขได้โดยการปรับแผนเท่านั้น"
ERROR_UNKNOWN_GROUP = "ไม่พบกลุ่ม “{value}” ในสำนักงานนี้ (ดูชีต 'รหัสอ้างอิง')"
ERROR_AMBIGUOUS_GROUP = "ชื่อกลุ่ม “{value}” ตรงกับหลายกลุ่ม ({names}) กรุณาพิมพ์ให้ชัดเจน"
ERROR_UNKNOWN_SOURCE = "ไม่พบแหล่งงบประมาณ “{value}” (ดูชีต 'รหัสอ้างอิง')"
ERROR_UNKNOWN_CATEGORY = "ไม่พบหมวดรายจ่าย “{value}” (ใช้ชื่อหรือรหัสตามชีต 'รหัสอ้างอิง')"
ERROR_UNKNOWN_STRATEGY = "ไม่มีกลยุทธ์ที่ {numbers} ในแผนปีงบประมาณ {year}"
ERROR_UNKNOWN_GOAL = "ไม่มีเป้าประสงค์ที่ {numbers} ในแผนปีงบประมาณ {year}"
ERROR_UNKNOWN_INDICATOR = "ไม่มีตัวชี้วัดกลยุทธ์ {codes} ในแผนปีงบประมาณ {year}"
ERROR_UNKNOWN_PROJECT = "ไม่พบรหัสโครงการ “{code}” ในชีต 'โครงการ'"
ERROR_CODES_UNREADABLE = " (รหัสโครงการบางแถวในชีต 'โครงการ' อ่านไม่ได้ ให้แก้แถวเหล่านั้นก่อน)"
ERROR_UNKNOWN_ACTIVITY = "ไม่พบกิจกรรมลำดับ {number} ของโครงการ {code} ในชีต 'กิจกรรม'"
ERROR_END_BEFORE_START = "เดือนสิ้นสุดต้องไม่ก่อนเดือนเริ่มต้น"
ERROR_HALF_PERIOD = "ใส่ทั้งเดือนเริ่มต้นและเดือนสิ้นสุด หรือเว้นว่างทั้งคู่"
ERROR_PARENT_MISSING = "ไม่พบกิจกรรมหลักลำดับ {number} ในโครงการเดียวกัน"
ERROR_PARENT_SELF = "กิจกรรมเป็นกิจกรรมหลักของตัวเองไม่ได้"
ERROR_MONTH_IN_YEAR = "{month} อยู่ในปีงบประมาณ {year} ให้ทำเครื่องหมาย ✓ ในช่องเดือนนั้นแทน"
ERROR_ACTIVITY_HAS_MONEY = (
    "กิจกรรมลำดับ {number} ของโครงการ {code} มีการเบิกจ่ายแล้ว จึงลบออกจากไฟล์ไม่ได้"
)
#: The change reason of every row written past the envelope warnings; the
#: warnings follow it, so the project's history page says who overrode what.
OVERRIDE_REASON = "ยืนยันนำเข้าแม้เกินกรอบวงเงิน"
ERROR_OVERRIDE_NEEDED = (
    "ไฟล์นี้เกินกรอบวงเงินตามรายการข้างต้น จึงยังไม่ได้บันทึกข้อมูลใด ๆ "
    "ถ้าต้องการนำเข้าตามไฟล์ ให้เลือก “ยืนยันนำเข้าแม้เกินกรอบวงเงิน” แล้วกดยืนยันอีกครั้ง"
)
ERROR_LINE_HAS_MONEY = (
    "รายการค่าใช้จ่ายลำดับ {line} ของกิจกรรม {number} โครงการ {code} "
    "มีการเบิกจ่ายแล้ว จึงลบออกจากไฟล์ไม่ได้"
)


@dataclass
class ImportResult:
    errors: list = field(default_factory=list)
    #: The envelope and budget rules the file breaks: shown in the preview,
    #: a refusal on confirm unless the planner overrides them.
    warnings: list = field(default_factory=list)
    #: Notes that stop nothing (a payment past its project's period plan,
    #: the disbursement screen's own warning): shown in the preview and on
    #: the result page.
    notices: list = field(default_factory=list)
    #: Cost lines above the rate table (:func:`budgets.rates.check`): shown
    #: in the preview and on the result page, never a refusal.
    rate_warnings: list = field(default_factory=list)
    counts: list[SheetCounts] = field(default_factory=list)
    plan: Plan | None = None
    plan_created: bool = False
    written: bool = False
    #: Confirmed, but the file changes nothing: nothing was written.
    unchanged: bool = False
    #: Confirmed past the warnings with the planner's explicit override.
    overridden: bool = False
    #: Confirm refused only for the warnings: the preview offers the override.
    budget_refused: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def has_changes(self) -> bool:
        return self.plan_created or any(c.changes for c in self.counts)

    @property
    def done(self) -> bool:
        """The confirm went through: written, or nothing to write."""
        return self.written or self.unchanged

    def count(self, sheet: str) -> SheetCounts:
        return next(c for c in self.counts if c.sheet == sheet)


# ---------------------------------------------------------------- lookups


def match_group(value: str, groups: list[OfficeGroup]) -> OfficeGroup:
    """The office group named ``value``; "กลุ่มนิเทศติดตามฯ" matches by prefix.

    Spaces are ignored. Raises ``ValueError`` (Thai) when nothing or more than
    one group matches.
    """
    key = parsing.compact(value)
    found = [
        g
        for g in groups
        if key in (parsing.compact(g.name), parsing.compact(g.short_name))
    ]
    if not found and "ฯ" in key:
        prefix = key.split("ฯ", 1)[0]
        found = [
            g for g in groups if prefix and parsing.compact(g.name).startswith(prefix)
        ]
    unique = list(dict.fromkeys(found))
    if len(unique) == 1:
        return unique[0]
    if unique:
        names = ", ".join(g.name for g in unique)
        raise ValueError(ERROR_AMBIGUOUS_GROUP.format(value=value, names=names))
    names = [name for g in groups for name in (g.name, g.short_name)]
    raise ValueError(
        ERROR_UNKNOWN_GROUP.format(value=value) + parsing.did_you_mean(value, names)
    )


class Lookups:
    """Everything rows are matched against, loaded once (a handful of queries)."""

    def __init__(self, organization: Organization, plan: Plan | None):
        self.groups = list(OfficeGroup.objects.filter(organization=organization))
        self.sources = list(
            BudgetSource.objects.filter(organization__in=[organization.pk])
            | BudgetSource.objects.filter(organization__isnull=True)
        )
        self.categories = list(ExpenseCategory.objects.all())
        self.category_index = {}
        for category in self.categories:
            self.category_index[parsing.compact(category.name)] = category
            self.category_index[category.code.lower()] = category
        people = list(Person.objects.filter(organization=organization))
        index: dict[str, list[Person]] = defaultdict(list)
        for person in people:
            for name in {person.full_name, f"{person.first_name} {person.last_name}"}:
                index[parsing.compact(name)].append(person)
        self.people = {k: v[0] for k, v in index.items() if len(set(v)) == 1}
        #: Related model → {pk: name}: the diff prints names, not ids.
        self.labels = {
            OfficeGroup: {g.pk: g.name for g in self.groups},
            BudgetSource: {s.pk: s.name for s in self.sources},
            ExpenseCategory: {c.pk: c.name for c in self.categories},
            Person: {p.pk: p.full_name for p in people},
        }
        self.strategies = {}
        self.goals = {}
        self.indicators = {}
        if plan is not None:
            self.strategies = {s.number: s for s in Strategy.objects.filter(plan=plan)}
            self.goals = {g.number: g for g in Goal.objects.filter(plan=plan)}
            self.indicators = {
                i.code: i
                for i in Indicator.objects.filter(strategy__plan=plan).select_related(
                    "strategy"
                )
            }

    def source(self, value: str) -> BudgetSource:
        key = parsing.compact(value)
        for source in self.sources:
            if key in (parsing.compact(source.name), source.code.lower()):
                return source
        names = [name for s in self.sources for name in (s.name, s.code)]
        raise ValueError(
            ERROR_UNKNOWN_SOURCE.format(value=value)
            + parsing.did_you_mean(value, names)
        )

    def category(self, value: str | None) -> ExpenseCategory | None:
        """The category a cell names; ``None`` for a blank cell or the
        UNCLASSIFIED label (the workbook's own word for "no category"), so a
        source's unclassified money stays unclassified, never guessed."""
        if not value or parsing.compact(value) == parsing.compact(UNCLASSIFIED):
            return None
        category = self.category_index.get(parsing.compact(value)) or (
            self.category_index.get(value.strip().lower())
        )
        if category is None:
            names = [name for c in self.categories for name in (c.name, c.code)]
            raise ValueError(
                ERROR_UNKNOWN_CATEGORY.format(value=value)
                + parsing.did_you_mean(value, names)
            )
        return category

    def person(self, name: str) -> Person | None:
        return self.people.get(parsing.compact(name))


def _known_numbers(table: dict) -> str:
    """`` (มีที่ 1, 2, 3)``: the numbers a refused strategy or goal number
    could have been (numbers have no spelling to suggest from)."""
    if not table:
        return ""
    return " (มีที่ " + ", ".join(str(n) for n in sorted(table)) + ")"


def _positions(objects, group_key) -> dict:
    """``{(group, position): object}`` with positions 1, 2, … in (order, pk)."""
    grouped = defaultdict(list)
    for obj in objects:
        grouped[group_key(obj)].append(obj)
    result = {}
    for group, members in grouped.items():
        members.sort(key=lambda obj: (obj.order, obj.pk))
        for position, obj in enumerate(members, start=1):
            result[(*group, position)] = obj
    return result


@dataclass
class Op:
    """One row to write: the existing object (or ``None``) and its new values."""

    key: tuple
    obj: object | None
    values: dict
    extra: dict = field(default_factory=dict)


# ---------------------------------------------------------------- the import


COST_FIELDS = ("times", "persons", "days", "rate", "amount")

TARGET_KINDS = {value: label for label, value in layout.TARGET_KIND_CHOICES.items()}
TARGET_KIND_UNSTATED = "ไม่ระบุประเภท"


def row_label(sheet, key: tuple, text="") -> str:
    """A row of the diff named by its natural key, as the sheet numbers it:
    "69-001 กิจกรรม 2 รายการ 1 ค่าอาหาร"."""
    code = key[0]
    if sheet is layout.PROJECTS:
        label = code
    elif sheet is layout.TARGETS:
        kind = TARGET_KINDS.get(key[1], key[1]) or TARGET_KIND_UNSTATED
        label = f"{code} {kind} ข้อ {key[2]}"
    elif sheet is layout.ACTIVITIES:
        label = f"{code} กิจกรรม {key[1]}"
    elif sheet is layout.COST_LINES:
        label = f"{code} กิจกรรม {key[1]} รายการ {key[2]}"
    elif sheet is layout.QUARTERS:
        label = f"{code} กิจกรรม {key[1]} ไตรมาส {key[2]}"
    elif sheet is layout.KPIS:
        label = f"{code} ตัวชี้วัด {key[1]}"
    else:
        label = f"{code} ข้อ {key[1]}"
    text = short(text)
    return f"{label} {text}" if text else label


def _no_progress(done: int, total: int) -> None:
    pass


def _text(values) -> str:
    """The words that name a row (its name, text or description)."""
    get = values.get if isinstance(values, dict) else lambda k: getattr(values, k, "")
    return next((get(k) for k in ("name", "text", "description") if get(k)), "")


class PlanImport:
    """One run of the import; see :func:`plan_import`."""

    def __init__(self, *, organization, fiscal_year, user=None, progress=None):
        self.organization = organization
        #: ``progress(rows_done, rows_total)``, called as sheets are checked.
        self.progress = progress or _no_progress
        self.rows_done = self.rows_total = 0
        self.fiscal_year = fiscal_year
        self.user = user
        self.issues = Issues()
        #: Envelope and budget rules: warnings in the preview, a refusal on
        #: confirm unless overridden (see :func:`plan_import`).
        self.warnings = Issues()
        #: The change reason of every history row the import writes.
        self.reason = IMPORT_REASON
        #: Projects whose links (strategies, goals, indicators) the write
        #: changed: they get a "changed" history row (see :meth:`write`).
        self.links_moved: set[int] = set()
        self.plan = Plan.objects.filter(
            organization=organization, fiscal_year=fiscal_year
        ).first()
        self.months = [d.isoformat() for d in thai.fiscal_month_dates(fiscal_year)]
        self.counts = {s.name: SheetCounts(s.name) for s in layout.DATA_SHEETS}
        #: The direction, plan indicators, envelope, running costs and policy
        #: links (:mod:`excel.office`).
        self.office = OfficeSections(self)
        self.ops: dict[str, list[Op]] = defaultdict(list)
        self.stale: dict[str, list] = defaultdict(list)
        self.uses_budget: dict[str, bool] = {}
        #: Approved projects in the file (code → its row in 'โครงการ').
        self.locked: dict[str, Row] = {}
        #: Project codes the file creates, changes or deletes rows of.
        self.touched: set[str] = set()
        #: The file's cost lines as read (unsaved), for the rate check.
        self.rate_lines: list[CostLine] = []

    @staticmethod
    def new_counts(sheet: str) -> SheetCounts:
        return SheetCounts(sheet)

    def error(self, sheet, row: Row | None, column_key: str | None, message: str):
        header = sheet.column(column_key).header if column_key else None
        self.issues.add(
            self.issues.title(sheet.name), row.number if row else None, header, message
        )

    def warn(self, sheet, row: Row, column_key: str, message: str, value) -> None:
        """A budget rule the file breaks, on its row, with the cell's value."""
        self.warnings.add(
            self.issues.title(sheet.name),
            row.number,
            sheet.column(column_key).header,
            message,
            thai.format_baht(value) if value is not None else "",
        )

    def rate_warnings(self) -> list[str]:
        """The file's cost lines above the rate table, each on its row
        (:func:`budgets.rates.check`, as the editor and the checker)."""
        title = self.issues.title(layout.COST_LINES.name)
        return [
            f"{title} แถว {warning.line.row_number}: {warning.message}"
            for warning in rates.check(
                self.rate_lines, self.fiscal_year, self.organization
            )
        ]

    # -------------------------------------------------------------- phase 1
    def validate(self, source) -> bool:
        if self.plan is not None and self.plan.status == Plan.Status.APPROVED:
            self.issues.add(
                "", None, None, ERROR_PLAN_APPROVED.format(year=self.fiscal_year)
            )
            return False
        rows = read_sheets(
            source, layout.ALL_SHEETS, self.issues, optional=layout.OPTIONAL_SHEETS
        )
        if rows is None or self.issues.structural:
            return False
        if not self.office.check_year(rows):
            return False
        self.rows_total = sum(len(sheet_rows) for sheet_rows in rows.values())
        self.lookups = Lookups(self.organization, self.plan)
        self.office.validate()
        self._load_existing(rows)
        self._projects(rows[layout.PROJECTS.name])
        self._advance(rows, layout.PROJECTS)
        self._simple_children(rows)
        self._advance(rows, layout.OBJECTIVES, layout.EXPECTED_RESULTS)
        self._activities(rows[layout.ACTIVITIES.name])
        self._advance(rows, layout.ACTIVITIES)
        self._cost_lines(rows[layout.COST_LINES.name])
        self._advance(rows, layout.COST_LINES)
        self._quarters(rows[layout.QUARTERS.name])
        self._advance(rows, layout.QUARTERS)
        self._kpis(rows[layout.KPIS.name])
        self._advance(rows, layout.KPIS)
        self.office.validate_policy()
        self._skip_locked()
        if not self.issues:  # rows that failed would look deleted otherwise
            self._check_protected()
        if not self.issues:  # totals of a file with bad rows would mislead
            self._check_envelopes()
        return not self.issues

    def _advance(self, rows, *sheets) -> None:
        """Tell :attr:`progress` the rows of ``sheets`` are checked (a task's
        progress bar; the office's own sheets count when the check ends)."""
        self.rows_done += sum(len(rows.get(sheet.name, ())) for sheet in sheets)
        self.progress(min(self.rows_done, self.rows_total), self.rows_total)

    def _load_existing(self, rows):
        codes = {
            row.values["code"] for row in rows[layout.PROJECTS.name] if not row.bad
        }
        projects = (
            Project.objects.filter(plan=self.plan, code__in=codes).prefetch_related(
                "strategies",
                "goals",
                Prefetch(
                    "indicators", queryset=Indicator.objects.select_related("strategy")
                ),
                "responsibles",
            )
            if self.plan
            else Project.objects.none()
        )
        self.existing = {p.code: p for p in projects}
        if self.plan is not None:
            # Not in the file: left alone, listed so the planner knows.
            counts = self.counts[layout.PROJECTS.name]
            for code, name in (
                Project.objects.filter(plan=self.plan)
                .exclude(code__in=codes)
                .order_by("sequence", "code")
                .values_list("code", "name")
            ):
                counts.keep(row_label(layout.PROJECTS, (code,), name))
        by_code = {p.pk: p.code for p in self.existing.values()}
        ids = list(by_code)
        self.old_objectives = _positions(
            Objective.objects.filter(project_id__in=ids),
            lambda o: (by_code[o.project_id],),
        )
        self.old_targets = _positions(
            ProjectTarget.objects.filter(project_id__in=ids),
            lambda o: (by_code[o.project_id], o.kind),
        )
        self.old_expected = _positions(
            ExpectedResult.objects.filter(project_id__in=ids),
            lambda o: (by_code[o.project_id],),
        )
        self.old_kpis = _positions(
            ProjectKPI.objects.filter(project_id__in=ids),
            lambda o: (by_code[o.project_id],),
        )
        self.old_activities = _positions(
            Activity.objects.filter(project_id__in=ids),
            lambda o: (by_code[o.project_id],),
        )
        activity_key = {a.pk: key for key, a in self.old_activities.items()}
        self.old_lines = _positions(
            CostLine.objects.filter(activity__project_id__in=ids),
            lambda o: activity_key[o.activity_id],
        )
        self.old_quarters = {
            (*activity_key[q.activity_id], q.quarter): q
            for q in QuarterPlan.objects.filter(activity__project_id__in=ids)
        }
        paid = Disbursement.objects.filter(activity__project_id__in=ids).values_list(
            "activity_id", "cost_line_id"
        )
        self.paid_activities = {a for a, _ in paid}
        self.paid_lines = {line for _, line in paid if line}

    def _add(self, sheet, key, obj, values, **extra):
        """Count and diff one row of the file against its stored row.

        ``more`` are changes the values do not show (links, responsibles,
        the main activity), already as :class:`~excel.diff.FieldDiff`.
        A changed ``order`` is not a change: rows are matched by their
        *position*, which is what the file's ลำดับ holds, while the stored
        ``order`` may be any increasing numbers (the demo and the screens
        number a project's targets 1, 2, 3 across both kinds; the export
        writes 1, 2 and 1 per kind).
        """
        counts = self.counts[sheet.name]
        more = extra.pop("more", ())
        label = row_label(sheet, key, _text(values))
        if obj is None:
            counts.add(label)
            self.touched.add(key[0])
        else:
            changes = field_changes(obj, values, self.lookups.labels) + list(more)
            if changes:
                counts.change(label, changes)
                self.touched.add(key[0])
            else:
                counts.same()
                extra["unchanged"] = True
        self.ops[sheet.name].append(Op(key, obj, values, extra))

    def _stale(self, sheet, old: dict, keys: set):
        for key, obj in old.items():
            if key[0] in self.codes and key not in keys:
                self.touched.add(key[0])
                self.stale[sheet.name].append(obj)
                self.counts[sheet.name].remove(row_label(sheet, key, _text(obj)))

    # -- โครงการ
    def _projects(self, rows: list[Row]):
        sheet, lookups, year = layout.PROJECTS, self.lookups, self.fiscal_year
        self.codes = {row.values["code"] for row in rows if row.values.get("code")}
        #: A code cell of 'โครงการ' was refused (e.g. 2.10 stored as 2.1): the
        #: child rows that name it are unknown because of that row.
        self.codes_unreadable = any(not row.values.get("code") for row in rows)
        for position, row in enumerate(rows, start=1):
            if row.bad:
                continue
            v = row.values
            old = self.existing.get(v["code"])
            if old is not None and old.is_locked:
                # Checked once every sheet is read: untouched rows of an
                # approved project are skipped, any change is refused.
                self.locked[v["code"]] = row
            values = {
                "name": v["name"],
                "budget_plan": v["budget_plan"],
                "start_month": v["start_month"],
                "end_month": v["end_month"],
                "virement_allowed": v["virement"],
                "rationale": v["rationale"],
                "output_statement": v["output_statement"],
                "outcome_statement": v["outcome_statement"],
                "location": v["location"],
                "target_group": v["target_group"],
                "responsible_note": v["responsible_note"],
                "funding_agency": v.get("funding_agency") or "",
            }
            if v["sequence"] is not None or old is None:
                values["sequence"] = (
                    v["sequence"] if v["sequence"] is not None else position
                )
            # Both months or neither: a project may have no period (the source
            # gives none), but half a period is a typing slip.
            if (v["start_month"] is None) != (v["end_month"] is None):
                missing = "end_month" if v["end_month"] is None else "start_month"
                self.error(sheet, row, missing, ERROR_HALF_PERIOD)
            elif v["start_month"] and v["end_month"] < v["start_month"]:
                self.error(sheet, row, "end_month", ERROR_END_BEFORE_START)
            for key, parse in (
                ("group", lambda x: match_group(x, lookups.groups).pk),
                ("kind", lambda x: parsing.choice(x, layout.KIND_CHOICES, "")),
                (
                    "virement_wording",
                    lambda x: parsing.choice(
                        x, layout.VIREMENT_CHOICES, VIREMENT_WORDINGS[0][0]
                    ),
                ),
                ("budget_source", lambda x: lookups.source(x).pk if x else None),
                ("uses_budget", parsing.uses_budget),
            ):
                try:
                    values[
                        {"group": "group_id", "budget_source": "budget_source_id"}.get(
                            key, key
                        )
                    ] = parse(v[key])
                except ValueError as error:
                    self.error(sheet, row, key, str(error))
            links = self._links(sheet, row, year)
            names = parsing.name_list(v["responsibles"])
            too_long = [n for n in names if len(n) > 255]
            if too_long:
                self.error(sheet, row, "responsibles", "ชื่อยาวเกิน 255 ตัวอักษร")
            responsibles = [(lookups.person(n), n) for n in names]
            self.uses_budget[v["code"]] = values.get("uses_budget", True)
            self._add(
                sheet,
                (v["code"],),
                old,
                values,
                links=links,
                responsibles=responsibles,
                more=self._link_changes(old, links, responsibles) if old else (),
            )

    def _link_changes(self, old, links, responsibles) -> list[FieldDiff]:
        """A stored project's links and responsibles against the file's."""
        result = []
        stored = _link_keys(old)
        for name, label in LINK_LABELS:
            if stored[name] != links[name]:
                result.append(
                    FieldDiff(label, numbers(stored[name]), numbers(links[name]))
                )
        people = self.lookups.labels[Person]
        was = [
            (r.person_id, "" if r.person_id else r.name_text)
            for r in old.responsibles.all()
        ]
        now = [(p.pk if p else None, "" if p else n) for p, n in responsibles]
        if was != now:
            result.append(
                FieldDiff(
                    "ผู้รับผิดชอบ",
                    ", ".join(people.get(p, t) if p else t for p, t in was) or "–",
                    ", ".join(n for _, n in responsibles) or "–",
                )
            )
        return result

    def _links(self, sheet, row, year) -> dict[str, set]:
        """Strategy and goal numbers and indicator codes of a project row.

        Kept as numbers until the write, because the file may create the
        strategies it names (sheet 'ทิศทาง'): they have no key yet."""
        v, office = row.values, self.office
        links = {"strategies": set(), "goals": set(), "indicators": set()}
        for key, table, message in (
            ("strategies", office.strategy_numbers(), ERROR_UNKNOWN_STRATEGY),
            ("goals", office.goal_numbers(), ERROR_UNKNOWN_GOAL),
        ):
            try:
                numbers = parsing.number_list(v[key])
            except ValueError as error:
                self.error(sheet, row, key, str(error))
                continue
            unknown = [str(n) for n in numbers if n not in table]
            if unknown:
                self.error(
                    sheet,
                    row,
                    key,
                    message.format(numbers=", ".join(unknown), year=year)
                    + _known_numbers(table),
                )
            links[key] = {n for n in numbers if n in table}
        indicators = office.indicator_codes()
        codes = parsing.code_list(v["indicators"])
        unknown = [c for c in codes if c not in indicators]
        if unknown:
            self.error(
                sheet,
                row,
                "indicators",
                ERROR_UNKNOWN_INDICATOR.format(codes=", ".join(unknown), year=year)
                + "".join(parsing.did_you_mean(c, indicators, n=1) for c in unknown),
            )
        links["indicators"] = {c for c in codes if c not in unknown}
        return links

    def _known_project(self, sheet, row) -> str | None:
        code = row.values["project"]
        if code not in self.codes:
            self.error(
                sheet,
                row,
                "project",
                ERROR_UNKNOWN_PROJECT.format(code=code)
                + parsing.did_you_mean(code, self.codes)
                + (ERROR_CODES_UNREADABLE if self.codes_unreadable else ""),
            )
            return None
        return code

    # -- วัตถุประสงค์ เป้าหมาย ผลที่คาดว่าจะได้รับ
    def _simple_children(self, rows):
        for sheet, old in (
            (layout.OBJECTIVES, self.old_objectives),
            (layout.EXPECTED_RESULTS, self.old_expected),
        ):
            keys = set()
            for row in rows[sheet.name]:
                if row.bad or not self._known_project(sheet, row):
                    continue
                key = (row.values["project"], row.values["order"])
                keys.add(key)
                values = {"order": row.values["order"], "text": row.values["text"]}
                self._add(sheet, key, old.get(key), values)
            self._stale(sheet, old, keys)
        sheet, keys = layout.TARGETS, set()
        for row in rows[sheet.name]:
            if row.bad or not self._known_project(sheet, row):
                continue
            v = row.values
            try:
                # An empty cell is a target printed under no heading.
                kind = parsing.choice(v["kind"], layout.TARGET_KIND_CHOICES, "")
            except ValueError as error:
                self.error(sheet, row, "kind", str(error))
                continue
            key = (v["project"], kind, v["order"])
            if key in keys:
                self.error(sheet, row, "order", "ข้อมูลซ้ำกับแถวก่อนหน้า")
                continue
            keys.add(key)
            values = {
                "kind": kind,
                "order": v["order"],
                "text": v["text"],
                "quantity": v["quantity"],
                "unit": v["unit"],
            }
            self._add(sheet, key, self.old_targets.get(key), values)
        self._stale(sheet, self.old_targets, keys)

    # -- กิจกรรม
    def _activities(self, rows: list[Row]):
        sheet = layout.ACTIVITIES
        self.activity_rows: dict[tuple, Row] = {}
        for row in rows:
            if not row.bad and self._known_project(sheet, row):
                self.activity_rows[(row.values["project"], row.values["activity"])] = (
                    row
                )
        old_parent = {a.pk: key for key, a in self.old_activities.items()}
        for key, row in self.activity_rows.items():
            v = row.values
            parent = v["parent"]
            if parent is not None:
                if parent == v["activity"]:
                    self.error(sheet, row, "parent", ERROR_PARENT_SELF)
                elif (v["project"], parent) not in self.activity_rows:
                    self.error(
                        sheet, row, "parent", ERROR_PARENT_MISSING.format(number=parent)
                    )
                elif (
                    self.activity_rows[(v["project"], parent)].values["parent"]
                    is not None
                ):
                    self.error(sheet, row, "parent", ERROR_PARENT_NESTED)
            person = self.lookups.person(v["responsible"]) if v["responsible"] else None
            months = [
                m
                for (k, _, _), m in zip(layout.MONTH_COLUMNS, self.months, strict=True)
                if v[k]
            ]
            months = sorted({*months, *self._other_months(sheet, row)})
            try:
                activity_months_validate(
                    [datetime.date.fromisoformat(m) for m in months],
                    self.fiscal_year,
                )
            except ValidationError as error:
                self.error(sheet, row, "other_months", error.messages[0])
            values = {
                "order": v["activity"],
                "name": v["name"],
                "target": v["target"],
                "months": months,
                "responsible_id": person.pk if person else None,
                "responsible_text": "" if person else v["responsible"],
                "notes": v["notes"],
            }
            old = self.old_activities.get(key)
            was = old_parent.get(old.parent_id) if old and old.parent_id else None
            was = was[1] if was else None
            more = []
            if old is not None and was != parent:
                more.append(FieldDiff("กิจกรรมหลัก", str(was or "–"), str(parent or "–")))
            self._add(sheet, key, old, values, parent=parent, more=more)
        self._stale(sheet, self.old_activities, set(self.activity_rows))

    def _other_months(self, sheet, row: Row) -> list[str]:
        """The months the activity runs outside the year's grid (ISO dates).

        A month of this fiscal year is refused here: it has its grid cell, and
        two ways to say one month would let the two disagree."""
        raw = row.values["other_months"]
        if not raw:
            return []
        found = []
        for piece in str(raw).replace(";", ",").split(","):
            if not piece.strip():
                continue
            try:
                day = parsing.month(piece)
            except ValueError as error:
                self.error(sheet, row, "other_months", str(error))
                continue
            if day.isoformat() in self.months:
                self.error(
                    sheet,
                    row,
                    "other_months",
                    ERROR_MONTH_IN_YEAR.format(
                        month=thai.thai_month_year(day, abbr=False),
                        year=self.fiscal_year,
                    ),
                )
                continue
            found.append(day.isoformat())
        return found

    def _known_activity(self, sheet, row) -> tuple | None:
        code = self._known_project(sheet, row)
        if code is None:
            return None
        key = (code, row.values["activity"])
        if key not in self.activity_rows:
            self.error(
                sheet,
                row,
                "activity",
                ERROR_UNKNOWN_ACTIVITY.format(number=key[1], code=code),
            )
            return None
        return key

    # -- รายการค่าใช้จ่าย
    def _cost_lines(self, rows: list[Row]):
        sheet = layout.COST_LINES
        keys: set = set()
        given = defaultdict(set)
        for row in rows:
            if not row.bad and row.values["order"] is not None:
                given[(row.values["project"], row.values["activity"])].add(
                    row.values["order"]
                )
        next_free = defaultdict(int)
        for row in rows:
            activity = None if row.bad else self._known_activity(sheet, row)
            if activity is None:
                continue
            v = row.values
            order = v["order"]
            if order is None:
                order = next_free[activity] + 1
                while order in given[activity]:
                    order += 1
                next_free[activity] = order
            try:
                category = self.lookups.category(v["category"])
            except ValueError as error:
                self.error(sheet, row, "category", str(error))
                continue
            line = CostLine(
                **{k: v[k] for k in COST_FIELDS},
                **{k: v[k] for k in ("times_unit", "persons_unit", "days_unit")},
            )
            try:
                line.clean()  # the budgets app's own rules, without the DB ones
            except ValidationError as error:
                for name, problems in error.message_dict.items():
                    column = name if name in COST_FIELDS else "amount"
                    for problem in problems:
                        self.error(sheet, row, column, problem)
                continue
            if not self.uses_budget.get(activity[0], True):
                self.error(sheet, row, "project", ERROR_PROJECT_WITHOUT_BUDGET)
                continue
            line.description = v["description"] or ""
            line.row_number = row.number
            self.rate_lines.append(line)
            amount = line.amount
            if amount >= 10**12:
                self.error(sheet, row, "amount", "ตัวเลขมากเกินไป")
                continue
            key = (*activity, order)
            keys.add(key)
            values = {
                "order": order,
                "category_id": category.pk if category else None,
                "description": v["description"],
                "times": v["times"],
                "times_unit": v["times_unit"],
                "persons": v["persons"],
                "persons_unit": v["persons_unit"],
                "days": v["days"],
                "days_unit": v["days_unit"],
                "rate": v["rate"],
                "amount": amount,
                "note": v["note"],
            }
            self._add(
                sheet, key, self.old_lines.get(key), values, activity=activity, row=row
            )
        self._stale(sheet, self.old_lines, keys)

    # -- แผนรายไตรมาส
    def _quarters(self, rows: list[Row]):
        sheet = layout.QUARTERS
        keys: set = set()
        for row in rows:
            activity = None if row.bad else self._known_activity(sheet, row)
            if activity is None:
                continue
            for quarter in (1, 2, 3, 4):
                amount = row.values[f"q{quarter}"]
                if amount is None:
                    continue
                key = (*activity, quarter)
                keys.add(key)
                self._add(
                    sheet,
                    key,
                    self.old_quarters.get(key),
                    {"amount": amount},
                    activity=activity,
                    quarter=quarter,
                )
        self._stale(sheet, self.old_quarters, keys)

    # -- ตัวชี้วัด
    def _kpis(self, rows: list[Row]):
        sheet = layout.KPIS
        keys: set = set()
        for row in rows:
            if row.bad or not self._known_project(sheet, row):
                continue
            v = row.values
            values = {
                "order": v["order"],
                "name": v["name"],
                "unit_label": v["unit_label"],
                "target_value": v["target_value"],
                "target_text": v["target_text"],
                "method": v["method"],
                "instrument": v["instrument"],
                "level_criteria": layout.level_criteria(v),
            }
            failed = False
            for key, choices, default in (
                # Empty stays empty: the source did not say which.
                ("result_kind", layout.RESULT_KIND_CHOICES, ""),
                ("nature", layout.NATURE_CHOICES, ""),
                ("unit", layout.UNIT_CHOICES, "percent"),
                ("comparison", layout.COMPARISON_CHOICES, "gte"),
            ):
                try:
                    values[key] = parsing.choice(v[key], choices, default)
                except ValueError as error:
                    self.error(sheet, row, key, str(error))
                    failed = True
            if failed:
                continue
            kpi = ProjectKPI(**values)
            try:
                kpi.clean()
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    column = layout.ERROR_COLUMNS.get(name, "target_value")
                    for message in messages:
                        self.error(sheet, row, column, message)
                continue
            # clean() settles a level target's comparison ("ไม่น้อยกว่า").
            values["comparison"] = kpi.comparison
            key = (v["project"], v["order"])
            keys.add(key)
            self._add(sheet, key, self.old_kpis.get(key), values)
        self._stale(sheet, self.old_kpis, keys)

    def _skip_locked(self):
        """Approved projects: refuse a change, drop an untouched one.

        An approved project changes only through ปรับแผน, but the plan export
        carries every project, so re-importing a file in which only the
        drafts were edited must not fail on the approved ones. Their rows are
        compared like any other; untouched ones are removed from the write
        (not even their links are rewritten), any difference is the error.
        """
        sheet = layout.PROJECTS
        for code, row in self.locked.items():
            if code in self.touched:
                self.error(sheet, row, "code", ERROR_PROJECT_LOCKED.format(code=code))
        skipped = set(self.locked) - self.touched
        if not skipped:
            return
        for name, ops in self.ops.items():
            self.ops[name] = [op for op in ops if op.key[0] not in skipped]
        self.existing = {
            code: project
            for code, project in self.existing.items()
            if code not in skipped
        }

    def _check_envelopes(self):
        """The admin's envelope rule over the whole file, source by source.

        After the import a source's projects hold the file's lines of the
        projects it writes plus the stored lines of every other project of
        the office and year (approved ones skipped above included). When
        that is beyond the envelope, ``budgets.services`` gives the message
        (the admin's, word for word) and it is reported on the cost line row
        at which the file's running total first goes over.
        """
        sheet = layout.COST_LINES
        source_of = {
            op.key[0]: op.values.get("budget_source_id")
            for op in self.ops[layout.PROJECTS.name]
        }
        by_source = defaultdict(list)
        for op in self.ops[sheet.name]:
            source = source_of.get(op.key[0])
            if source:
                by_source[source].append(op)
        replaced = (
            CostLine.objects.filter(
                activity__project__plan=self.plan,
                activity__project__code__in=list(source_of),
            )
            if self.plan is not None
            else None
        )
        checked = (
            self.office.check_envelopes(by_source, replaced)
            if self.office.budget_given
            else set()
        )
        for source, ops in by_source.items():
            if source in checked:
                continue
            envelope = source_envelope(
                source=source,
                organization=self.organization,
                fiscal_year=self.fiscal_year,
                excluding=replaced,
            )
            if not envelope.rounds:
                continue
            total = envelope.projects
            first_over = None
            for op in ops:
                total += op.values["amount"]
                if first_over is None and total > envelope.available:
                    first_over = op
            if first_over is None:
                continue
            try:
                source_envelope_validate(
                    source=source,
                    organization=self.organization,
                    fiscal_year=self.fiscal_year,
                    adding=total - envelope.projects,
                    excluding=replaced,
                )
            except ValidationError as error:
                for message in error.messages:
                    self.warn(
                        sheet,
                        first_over.extra["row"],
                        "amount",
                        message,
                        first_over.values["amount"],
                    )

    def _check_protected(self):
        for activity in self.stale[layout.ACTIVITIES.name]:
            if activity.pk in self.paid_activities:
                key = next(k for k, a in self.old_activities.items() if a is activity)
                self.issues.add(
                    self.issues.title(layout.ACTIVITIES.name),
                    None,
                    None,
                    ERROR_ACTIVITY_HAS_MONEY.format(number=key[1], code=key[0]),
                )
        for line in self.stale[layout.COST_LINES.name]:
            if line.pk in self.paid_lines:
                key = next(k for k, c in self.old_lines.items() if c is line)
                self.issues.add(
                    self.issues.title(layout.COST_LINES.name),
                    None,
                    None,
                    ERROR_LINE_HAS_MONEY.format(
                        line=key[2], number=key[1], code=key[0]
                    ),
                )

    # -------------------------------------------------------------- phase 2
    @transaction.atomic
    def write(self) -> bool:
        """Apply the validated rows. Returns whether the plan was created.

        Every row goes through ``core.services``' bulk writes: a history row
        per created, changed or deleted object with the importing user, and
        ``edit_version`` bumped on changed projects, activities and cost
        lines (a screen opened before the import then sees the conflict).
        """
        created = self.plan is None
        if created:
            self.plan = plan_create(
                organization=self.organization,
                fiscal_year=self.fiscal_year,
                user=self.user,
            )
        self.office.write(self.plan, self.user)
        # Activities are deleted after the kept ones have their new parent:
        # deleting a stale main activity would otherwise cascade to a
        # sub-activity the file keeps.
        for sheet in reversed(layout.DATA_SHEETS):
            if sheet is not layout.ACTIVITIES:
                self._delete(type_of(sheet), self.stale[sheet.name])
        projects = self._write_projects()
        for sheet, model in (
            (layout.OBJECTIVES, Objective),
            (layout.EXPECTED_RESULTS, ExpectedResult),
            (layout.TARGETS, ProjectTarget),
            (layout.KPIS, ProjectKPI),
        ):
            self._apply(
                model,
                self.ops[sheet.name],
                lambda op, model=model: model(project=projects[op.key[0]]),
                replaceable=None if model is ProjectKPI else _always,
            )
        activities = self._write_activities(projects)
        self._delete(Activity, self.stale[layout.ACTIVITIES.name])
        self._apply(
            CostLine,
            self.ops[layout.COST_LINES.name],
            lambda op: CostLine(activity=activities[op.extra["activity"]]),
        )
        self._apply(
            QuarterPlan,
            self.ops[layout.QUARTERS.name],
            lambda op: QuarterPlan(
                activity=activities[op.extra["activity"]], quarter=op.extra["quarter"]
            ),
            replaceable=_always,
        )
        # The links were written in bulk, without the signal that has
        # simple-history record a changed link: one "changed" row per kept
        # project whose links moved, so its history page and the network's
        # figures see a file that changes nothing but a project's links (a
        # new project's links come with its "created" row).
        moved = self.links_moved | self.office.write_policy(projects)
        rows_links_changed(
            Project,
            [
                project
                for code, project in projects.items()
                if project.pk in moved and code in self.existing
            ],
            user=self.user,
            reason=self.reason,
        )
        return created

    def _delete(self, model, objs: list) -> None:
        rows_delete(model, objs, user=self.user, reason=self.reason)

    def _apply(self, model, ops: list[Op], build, replaceable=None) -> dict:
        """Create or update the objects of ``ops`` in bulk; ``{key: object}``.

        Changed rows of a model without ``edit_version`` that
        ``replaceable(obj)`` says nothing points to are deleted and created
        again (history: deleted, then created): bulk inserts are many times
        faster than ``bulk_update``, whose CASE expressions grow with every
        row and field. Versioned rows (projects, activities, cost lines) keep
        their identity and are updated, so their version goes up.
        """
        to_create, to_update, to_replace, fields, result = [], [], [], set(), {}
        for op in ops:
            obj = op.obj
            if (
                obj is not None
                and not op.extra.get("unchanged")
                and replaceable is not None
                and replaceable(obj)
            ):
                to_replace.append(obj)
                obj = None
            if obj is None:
                obj = build(op)
                to_create.append(obj)
            elif not op.extra.get("unchanged"):
                to_update.append(obj)
            for name, value in op.values.items():
                setattr(obj, name, value)
            fields.update(op.values)
            result[op.key] = obj
        self._delete(model, to_replace)
        rows_create(model, to_create, user=self.user, reason=self.reason)
        rows_update(model, to_update, fields, user=self.user, reason=self.reason)
        return result

    def _write_projects(self) -> dict[str, Project]:
        now = timezone.now()
        ops = self.ops[layout.PROJECTS.name]
        for op in ops:
            op.values["updated_at"] = now
        projects = self._apply(
            Project,
            ops,
            lambda op: Project(plan=self.plan, code=op.key[0], created_by=self.user),
        )
        by_code = {op.key[0]: projects[op.key] for op in ops}
        ids = [p.pk for p in by_code.values()]
        # The file's numbers, now that its strategies are written.
        keys = {
            "strategies": {
                s.number: s.pk for s in Strategy.objects.filter(plan=self.plan)
            },
            "goals": {g.number: g.pk for g in Goal.objects.filter(plan=self.plan)},
            "indicators": {
                i.code: i.pk
                for i in Indicator.objects.filter(
                    strategy__plan=self.plan
                ).select_related("strategy")
            },
        }
        for name in ("strategies", "goals", "indicators"):
            self.links_moved |= links_replace(
                Project,
                name,
                {
                    by_code[op.key[0]].pk: {
                        keys[name][k] for k in op.extra["links"][name]
                    }
                    for op in ops
                },
            )
        self._delete(
            ProjectResponsible,
            list(ProjectResponsible.objects.filter(project_id__in=ids)),
        )
        rows_create(
            ProjectResponsible,
            [
                ProjectResponsible(
                    project=by_code[op.key[0]],
                    order=index,
                    person=person,
                    name_text="" if person else name,
                )
                for op in ops
                for index, (person, name) in enumerate(
                    op.extra["responsibles"], start=1
                )
            ],
            user=self.user,
            reason=self.reason,
        )
        return by_code

    def _write_activities(self, projects) -> dict[tuple, Activity]:
        """Main activities first, then sub-activities pointing at them."""
        ops = self.ops[layout.ACTIVITIES.name]
        mains = [op for op in ops if op.extra["parent"] is None]
        subs = [op for op in ops if op.extra["parent"] is not None]
        for op in mains:
            op.values["parent_id"] = None

        def build(op):
            return Activity(project=projects[op.key[0]])

        activities = self._apply(Activity, mains, build)
        for op in subs:
            op.values["parent_id"] = activities[(op.key[0], op.extra["parent"])].pk
        activities.update(self._apply(Activity, subs, build))
        return activities


IMPORT_REASON = "นำเข้าจากไฟล์ Excel"

LINK_LABELS = (
    ("strategies", "กลยุทธ์ที่"),
    ("goals", "เป้าประสงค์ที่"),
    ("indicators", "ตัวชี้วัดกลยุทธ์"),
)


def type_of(sheet):
    return {
        layout.PROJECTS.name: Project,
        layout.OBJECTIVES.name: Objective,
        layout.TARGETS.name: ProjectTarget,
        layout.EXPECTED_RESULTS.name: ExpectedResult,
        layout.ACTIVITIES.name: Activity,
        layout.COST_LINES.name: CostLine,
        layout.QUARTERS.name: QuarterPlan,
        layout.KPIS.name: ProjectKPI,
    }[sheet.name]


def _link_keys(project) -> dict[str, set]:
    """A stored project's links as the sheet writes them (numbers, codes)."""
    return {
        "strategies": {s.number for s in project.strategies.all()},
        "goals": {g.number for g in project.goals.all()},
        "indicators": {i.code for i in project.indicators.all()},
    }


def _always(obj) -> bool:
    return True


def plan_import(
    *,
    source,
    organization: Organization,
    fiscal_year: int,
    user=None,
    dry_run: bool = False,
    override_budget_rules: bool = False,
    progress=None,
) -> ImportResult:
    """Validate the plan workbook ``source`` and, if it is clean, write it.

    1. Read every sheet (file size/format, sheets, columns, merged cells,
       formulas, cell values) and collect every problem.
    2. Match rows to the office and plan: the diff (rows added, changed
       field by field, removed, per sheet) and the envelope warnings.
    3. If there is no problem and not ``dry_run``: write all of it in one
       transaction (creating the plan of ``fiscal_year`` if it is missing).

    ``progress(rows_done, rows_total)`` is told as the sheets are checked
    (the import task's progress record).

    The envelope and budget rules are the planner's call, not the file's
    validity: a preview lists them as warnings; a confirm with warnings is
    refused as a whole (each warning then an error on its row) unless
    ``override_budget_rules``, and then every history row the import writes
    carries the override and the warnings as its change reason (the user
    and time are the history row's own). A file that changes nothing writes
    nothing, not even a history row.
    """
    run = PlanImport(
        organization=organization,
        fiscal_year=fiscal_year,
        user=user,
        progress=progress,
    )
    valid = run.validate(source)
    run.progress(run.rows_total, run.rows_total)
    warnings = run.warnings.sorted(layout.ALL_SHEETS) if valid else []
    result = ImportResult(
        errors=run.issues.sorted(layout.ALL_SHEETS),
        warnings=warnings,
        counts=list(run.counts.values()),
        plan=run.plan,
        plan_created=run.plan is None,
    )
    if valid:
        result.rate_warnings = run.rate_warnings()
    if not valid or dry_run:
        return result
    if warnings and not override_budget_rules:
        result.errors = [*warnings, Issue("", None, None, ERROR_OVERRIDE_NEEDED)]
        result.budget_refused = True
        return result
    if not result.has_changes:
        result.unchanged = True
        return result
    if warnings:
        run.reason = f"{IMPORT_REASON} · {OVERRIDE_REASON}: " + " / ".join(
            str(w) for w in warnings
        )
        result.overridden = True
    run.write()
    result.plan = run.plan
    result.written = True
    return result
