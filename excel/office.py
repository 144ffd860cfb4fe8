"""The office's own sheets of the plan workbook, on import.

The plan book of an office is more than its projects: the direction (vision,
missions, goals, strategies and their guidelines), the strategy indicators
with a target per year, each project's alignment with national and OBEC
policy, the envelope allocated by source and the office's own running costs.
Entering seed 003's 80 indicators through the admin took one page each; in
the workbook they are one sheet. :class:`OfficeSections` validates these
sheets for :class:`excel.importer.PlanImport` (same all-or-nothing rule, same
Thai messages naming sheet, row and column) and writes them through the bulk
services of :mod:`core.services`, before the projects, so that project links
("กลยุทธ์ที่ 1,3") can name a strategy the same file creates.

Each sheet is optional (an older template has none of them) and an empty
sheet leaves its part of the plan alone; a sheet with rows *replaces* that
part: rows are matched by their numbers (a strategy keeps its identity, and
the projects linked to it, when its title changes), rows the file no longer
has are deleted.
"""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError

from budgets.models import (
    Allocation,
    BudgetSource,
    OperatingCost,
    OperatingDisbursement,
)
from budgets.rollups import source_envelope
from budgets.services import envelope_totals_validate
from core.services import (
    links_replace,
    rows_create,
    rows_delete,
    rows_links_changed,
    rows_update,
)
from excel import layout, parsing
from excel.diff import FieldDiff, SheetCounts, field_changes, short
from excel.diff import numbers as listed_numbers
from excel.workbook import Row
from plans.indicators import Comparison, Unit
from plans.models import (
    Goal,
    Guideline,
    Indicator,
    IndicatorTarget,
    Mission,
    Plan,
    PolicyItem,
    Strategy,
)
from projects.models import Project

ERROR_OTHER_YEAR = (
    "ไฟล์นี้เป็นแผนปีงบประมาณ {file_year} แต่เลือกนำเข้าเป็นปีงบประมาณ {chosen} จึงไม่นำเข้า "
    "(เดือนในไฟล์จะถูกย้ายไปเป็นปี {chosen}) กรุณาเลือกปีงบประมาณ {file_year} "
    "หรือแก้ปีในชีต 'แผน' ถ้าตั้งใจใช้ไฟล์นี้เป็นแผนปี {chosen}"
)
ERROR_ONE_PLAN_ROW = "ชีต 'แผน' มีได้แถวเดียว (พบแถวนี้เพิ่มจากแถว {first})"
ERROR_NO_STRATEGY = "ไม่มีกลยุทธ์ที่ {number} ในแผน (ดูชีต 'ทิศทาง')"
ERROR_NO_GOAL = "ไม่มีเป้าประสงค์ที่ {numbers} ในแผน (ดูชีต 'ทิศทาง')"
ERROR_INDICATOR_DIFFERS = (
    "ข้อมูลตัวชี้วัด {code} ไม่ตรงกับแถว {first} "
    "(ชื่อ หน่วย เป้าประสงค์ ค่าฐาน ต้องเหมือนกันทุกแถวของตัวชี้วัดเดียวกัน)"
)
ERROR_TARGET_YEAR = "กรุณากรอกปีของค่าเป้าหมาย เช่น 2570"
ERROR_UNKNOWN_POLICY = "ไม่พบ{kind} “{value}” ในทะเบียนนโยบายของระบบ"
ERROR_AMBIGUOUS_POLICY = (
    "{kind} “{value}” ตรงกับหลายรายการในทะเบียนนโยบาย กรุณาใส่ทั้งหมายเลขและชื่อ"
)
ERROR_POLICY_WHICH = "กรุณากรอกหมายเลขหรือชื่อ"
ERROR_DUPLICATE_SOURCE_ROUND = "แหล่งงบประมาณ “{source}” ครั้งที่ {round} ซ้ำกับแถว {first}"
ERROR_PAID_RUNNING_COST = (
    "ค่าใช้จ่ายดำเนินงานลำดับ {number} “{description}” มีการเบิกจ่ายแล้ว "
    "จึงลบออกจากชีตไม่ได้ กรุณาคงแถวนี้ไว้"
)

IMPORT_REASON = "นำเข้าจากไฟล์ Excel"


def _differs(obj, values: dict) -> bool:
    return any(getattr(obj, name) != value for name, value in values.items())


def _text(values) -> str:
    get = values.get if isinstance(values, dict) else lambda k: getattr(values, k, "")
    return next(
        (get(k) for k in ("title", "name", "text", "description") if get(k)), ""
    )


def _target_text(target) -> str:
    """A yearly target as the diff prints it ("≥ 80", "ระดับดี", "–")."""
    if target is None:
        return "–"
    get = target.get if isinstance(target, dict) else lambda k: getattr(target, k)
    value = get("target_value")
    shown = (
        format(value.normalize(), "f") if isinstance(value, Decimal) else value
    ) or get("target_text")
    sign = dict(Comparison.choices).get(get("comparison"), "")
    return f"{sign} {shown}".strip() if shown else "–"


class Section:
    """One model's rows: stored ones by key, the file's values by key.

    ``label(key)`` names a row in the diff by its number ("กลยุทธ์ที่ 2");
    ``more`` holds, by key, changes its values do not show (a strategy's
    goals, an indicator's yearly targets), so a row changed only there is
    still a changed row.
    """

    def __init__(self, model, existing: dict, label=str):
        self.model = model
        self.existing = existing
        self.desired: dict = {}
        self.label = label
        self.more: dict = defaultdict(list)
        self.reason = IMPORT_REASON

    def _name(self, key, values) -> str:
        text = short(_text(values))
        return f"{self.label(key)} {text}" if text else self.label(key)

    def count(self, counts: SheetCounts, labels: dict | None = None) -> None:
        for key, values in self.desired.items():
            obj = self.existing.get(key)
            if obj is None:
                counts.add(self._name(key, values))
                continue
            changes = field_changes(obj, values, labels, skip=()) + self.more.get(
                key, []
            )
            if changes:
                counts.change(self._name(key, values), changes)
            else:
                counts.same()
        for key, obj in self.existing.items():
            if key not in self.desired:
                counts.remove(self._name(key, obj))

    def write(self, build, user, extra=lambda key: {}) -> dict:
        """Create, update and delete in bulk; ``{key: object}``.

        ``extra(key)`` gives the foreign keys known only now (a goal the
        same file creates); they count as a change like any value.
        """
        to_create, to_update, fields, result = [], [], set(), {}
        for key, values in self.desired.items():
            values = {**values, **extra(key)}
            obj = self.existing.get(key)
            if obj is None:
                obj = build(key)
                to_create.append(obj)
            elif _differs(obj, values):
                to_update.append(obj)
                fields.update(values)
            for name, value in values.items():
                setattr(obj, name, value)
            result[key] = obj
        stale = [obj for key, obj in self.existing.items() if key not in self.desired]
        rows_delete(self.model, stale, user=user, reason=self.reason)
        rows_create(self.model, to_create, user=user, reason=self.reason)
        rows_update(self.model, to_update, fields, user=user, reason=self.reason)
        return result


class OfficeSections:
    """The office's sheets of one :class:`~excel.importer.PlanImport` run."""

    def __init__(self, run):
        self.run = run
        self.rows: dict[str, list[Row]] = {}
        self.sections: dict[str, Section] = {}
        self.plan_values: dict | None = None
        self.strategy_goals: dict[int, set[int]] = {}
        self.indicator_goals: dict[tuple, int | None] = {}
        self.policy: dict[str, list[int]] | None = None
        self.budget_rows: dict[int, Row] = {}

    # ------------------------------------------------------------ reading
    def given(self, sheet) -> bool:
        """The file has rows in ``sheet``: that part of the plan is replaced."""
        return bool(self.rows.get(sheet.name))

    def check_year(self, rows: dict[str, list[Row]]) -> bool:
        """The workbook's own fiscal year is the chosen one.

        A 2562 workbook imported as 2570 would move every month of every
        project to 2570 without a word; refused here, before anything else
        is checked, naming both years.
        """
        self.rows = {
            sheet.name: rows[sheet.name]
            for sheet in layout.OPTIONAL_SHEETS
            if sheet.name in rows
        }
        sheet = layout.PLAN
        plan_rows = [row for row in self.rows.get(sheet.name, []) if not row.bad]
        for row in plan_rows[1:]:
            self.run.error(
                sheet, row, None, ERROR_ONE_PLAN_ROW.format(first=plan_rows[0].number)
            )
        if not plan_rows:
            return True
        row = plan_rows[0]
        file_year = row.values["fiscal_year"]
        if file_year != self.run.fiscal_year:
            self.run.error(
                sheet,
                row,
                "fiscal_year",
                ERROR_OTHER_YEAR.format(
                    file_year=file_year, chosen=self.run.fiscal_year
                ),
            )
            return False
        self.plan_values = {
            key: row.values[key]
            for key in (
                "title",
                "vision",
                "announced_on",
                "signatory",
                "edition_label",
                "preamble",
            )
        }
        counts = self.run.counts.setdefault(sheet.name, SheetCounts(sheet.name))
        label = f"แผนปฏิบัติการปีงบประมาณ {file_year}"
        if self.run.plan is None:
            counts.add(label)
        elif changes := field_changes(self.run.plan, self.plan_values):
            counts.change(label, changes)
        else:
            counts.same()
        return True

    def validate(self) -> None:
        """Every office sheet but the policy links (they need the projects)."""
        if self.given(layout.DIRECTION):
            self._direction()
        if self.given(layout.GUIDELINES):
            self._guidelines()
        if self.given(layout.PLAN_INDICATORS):
            self._indicators()
        if self.given(layout.ALLOCATIONS):
            self._allocations()
        if self.given(layout.OPERATING_COSTS):
            self._operating_costs()

    def _counts(self, sheet, *sections: Section) -> None:
        counts = self.run.counts.setdefault(sheet.name, self.run.new_counts(sheet.name))
        for section in sections:
            section.count(counts, self.run.lookups.labels)

    def _stored(self, model, **filters) -> list:
        if self.run.plan is None and "organization" not in filters:
            return []
        return list(model.objects.filter(**filters))

    # -- ทิศทาง
    def _direction(self) -> None:
        sheet, plan = layout.DIRECTION, self.run.plan
        missions = Section(
            Mission,
            {m.number: m for m in self._stored(Mission, plan=plan)},
            "พันธกิจที่ {}".format,
        )
        goals = Section(
            Goal,
            {g.number: g for g in self._stored(Goal, plan=plan)},
            "เป้าประสงค์ที่ {}".format,
        )
        strategies = Section(
            Strategy,
            {s.number: s for s in self._stored(Strategy, plan=plan)},
            "กลยุทธ์ที่ {}".format,
        )
        wanted_goals: dict[int, tuple[Row, list[int]]] = {}
        for row in self.rows[sheet.name]:
            if row.bad:
                continue
            v = row.values
            try:
                kind = parsing.choice(v["kind"], layout.DIRECTION_KIND_CHOICES)
            except ValueError as error:
                self.run.error(sheet, row, "kind", str(error))
                continue
            if kind == "mission":
                missions.desired[v["number"]] = {"text": v["text"]}
            elif kind == "goal":
                goals.desired[v["number"]] = {"text": v["text"]}
            else:
                try:
                    numbers = parsing.number_list(v["goals"])
                except ValueError as error:
                    self.run.error(sheet, row, "goals", str(error))
                    continue
                strategies.desired[v["number"]] = {
                    "title": v["text"],
                    "description": v["description"],
                    "characteristics": v["characteristics"],
                }
                wanted_goals[v["number"]] = (row, numbers)
        for number, (row, numbers) in wanted_goals.items():
            unknown = [str(n) for n in numbers if n not in goals.desired]
            if unknown:
                self.run.error(
                    sheet,
                    row,
                    "goals",
                    ERROR_NO_GOAL.format(numbers=", ".join(unknown)),
                )
            self.strategy_goals[number] = set(numbers)
        stored_goals = defaultdict(set)
        if plan is not None:
            for strategy, goal in Strategy.goals.through.objects.filter(
                strategy__plan=plan
            ).values_list("strategy__number", "goal__number"):
                stored_goals[strategy].add(goal)
        for number, wanted in self.strategy_goals.items():
            if number in strategies.existing and stored_goals[number] != wanted:
                strategies.more[number].append(
                    FieldDiff(
                        "เป้าประสงค์",
                        listed_numbers(stored_goals[number]),
                        listed_numbers(wanted),
                    )
                )
        self.sections.update(missions=missions, goals=goals, strategies=strategies)
        self._counts(sheet, missions, goals, strategies)

    def _drop_cascaded(self, section: Section, strategy_of) -> None:
        """Forget stored rows of strategies the file deletes: they go with
        their strategy, and are not deleted a second time."""
        kept = self.strategy_numbers()
        for key in list(section.existing):
            if strategy_of(key) not in kept:
                del section.existing[key]

    def strategy_numbers(self) -> set[int]:
        if "strategies" in self.sections:
            return set(self.sections["strategies"].desired)
        return set(self.run.lookups.strategies)

    def goal_numbers(self) -> set[int]:
        if "goals" in self.sections:
            return set(self.sections["goals"].desired)
        return set(self.run.lookups.goals)

    def indicator_codes(self) -> set[str]:
        if "indicators" in self.sections:
            return {f"{s}.{n}" for s, n in self.sections["indicators"].desired}
        return set(self.run.lookups.indicators)

    def _strategy_known(self, sheet, row, number) -> bool:
        if number in self.strategy_numbers():
            return True
        self.run.error(sheet, row, "strategy", ERROR_NO_STRATEGY.format(number=number))
        return False

    # -- แนวทางการพัฒนา
    def _guidelines(self) -> None:
        sheet = layout.GUIDELINES
        stored = Guideline.objects.filter(strategy__plan=self.run.plan).select_related(
            "strategy"
        )
        section = Section(
            Guideline,
            {(g.strategy.number, g.number): g for g in stored} if self.run.plan else {},
            lambda key: f"แนวทางที่ {key[0]}.{key[1]}",
        )
        for row in self.rows[sheet.name]:
            v = row.values
            if row.bad or not self._strategy_known(sheet, row, v["strategy"]):
                continue
            section.desired[(v["strategy"], v["number"])] = {"text": v["text"]}
        self._drop_cascaded(section, lambda key: key[0])
        self.sections["guidelines"] = section
        self._counts(sheet, section)

    # -- ตัวชี้วัดกลยุทธ์
    def _indicators(self) -> None:
        sheet, plan = layout.PLAN_INDICATORS, self.run.plan
        stored = (
            list(
                Indicator.objects.filter(strategy__plan=plan).select_related(
                    "strategy", "goal"
                )
            )
            if plan
            else []
        )
        indicators = Section(
            Indicator,
            {(i.strategy.number, i.number): i for i in stored},
            lambda key: f"ตัวชี้วัด {key[0]}.{key[1]}",
        )
        targets = Section(
            IndicatorTarget,
            {
                (t.indicator.strategy.number, t.indicator.number, t.fiscal_year): t
                for t in IndicatorTarget.objects.filter(
                    indicator__strategy__plan=plan
                ).select_related("indicator__strategy")
            }
            if plan
            else {},
        )
        goals = self.goal_numbers()
        first: dict[tuple, tuple[int, dict, int | None]] = {}
        for row in self.rows[sheet.name]:
            if row.bad:
                continue
            v = row.values
            key = (v["strategy"], v["number"])
            failed = not self._strategy_known(sheet, row, v["strategy"])
            if v["goal"] is not None and v["goal"] not in goals:
                self.run.error(
                    sheet, row, "goal", ERROR_NO_GOAL.format(numbers=v["goal"])
                )
                failed = True
            values = {
                "name": v["name"],
                "unit_label": v["unit_label"],
                "baseline_value": v["baseline_value"],
                "baseline_text": v["baseline_text"],
                "tags": v["tags"],
                "states_target": v["states_target"],
                "level_criteria": layout.level_criteria(v),
            }
            for name, choices, default in (
                ("unit", layout.UNIT_CHOICES, "percent"),
                ("direction", layout.INDICATOR_DIRECTION_CHOICES, "higher"),
            ):
                try:
                    values[name] = parsing.choice(v[name], choices, default)
                except ValueError as error:
                    self.run.error(sheet, row, name, str(error))
                    failed = True
            if failed:
                continue
            try:
                Indicator(**values).clean_levels()
            except ValidationError as error:
                for message in error.message_dict["level_criteria"]:
                    self.run.error(sheet, row, "criterion_1", message)
                continue
            if key in first:
                number, seen, goal = first[key]
                if (seen, goal) != (values, v["goal"]):
                    self.run.error(
                        sheet,
                        row,
                        "name",
                        ERROR_INDICATOR_DIFFERS.format(
                            code=f"{key[0]}.{key[1]}", first=number
                        ),
                    )
                    continue
            else:
                first[key] = (row.number, values, v["goal"])
                indicators.desired[key] = values
                self.indicator_goals[key] = v["goal"]
            if v["fiscal_year"] is None:
                if v["target_value"] is not None or v["target_text"]:
                    self.run.error(sheet, row, "fiscal_year", ERROR_TARGET_YEAR)
                continue
            if (
                values["unit"] == Unit.TEXT
                and v["target_value"] is None
                and not v["target_text"]
            ):
                # A text-only indicator whose source gives no target: it has
                # none (documents print "–"); typing a stand-in sentence such
                # as "บรรลุตามตัวชี้วัด" would print invented data as the source's.
                continue
            try:
                comparison = parsing.choice(
                    v["comparison"], layout.COMPARISON_CHOICES, "gte"
                )
            except ValueError as error:
                self.run.error(sheet, row, "comparison", str(error))
                continue
            target = {
                "comparison": comparison,
                "target_value": v["target_value"],
                "target_text": v["target_text"],
            }
            checked = IndicatorTarget(**target)
            try:
                checked.clean_target(values["unit"])
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    column = layout.ERROR_COLUMNS.get(name, "target_value")
                    for message in messages:
                        self.run.error(sheet, row, column, message)
                continue
            # A level target's comparison is settled by the check.
            target["comparison"] = checked.comparison
            targets.desired[(*key, v["fiscal_year"])] = target
        self._drop_cascaded(indicators, lambda key: key[0])
        self._drop_cascaded(targets, lambda key: key[0])
        for key in list(targets.existing):
            if key[:2] not in indicators.desired:
                del targets.existing[key]  # deleted with their indicator
        self._indicator_changes(indicators, targets)
        self.sections.update(indicators=indicators, targets=targets)
        self._counts(sheet, indicators)

    def _indicator_changes(self, indicators: Section, targets: Section) -> None:
        """A stored indicator's goal and yearly targets, against the file's.

        The sheet has a row per indicator and year: the diff shows an
        indicator once, with its goal and each year's target as fields."""
        for key, indicator in indicators.existing.items():
            if key not in indicators.desired:
                continue
            was = indicator.goal.number if indicator.goal_id else None
            now = self.indicator_goals.get(key)
            if was != now:
                indicators.more[key].append(
                    FieldDiff("เป้าประสงค์", str(was or "–"), str(now or "–"))
                )
        years = sorted(
            {k for k in targets.existing if k[:2] in indicators.existing}
            | {k for k in targets.desired if k[:2] in indicators.existing}
        )
        for key in years:
            old, new = targets.existing.get(key), targets.desired.get(key)
            if old is not None and new is not None and not _differs(old, new):
                continue
            indicators.more[key[:2]].append(
                FieldDiff(f"ค่าเป้าหมายปี {key[2]}", _target_text(old), _target_text(new))
            )

    # -- กรอบวงเงิน
    def _allocations(self) -> None:
        sheet, run = layout.ALLOCATIONS, self.run
        sources = run.lookups.labels[BudgetSource]
        section = Section(
            Allocation,
            {
                (a.source_id, a.round_number): a
                for a in Allocation.objects.filter(
                    organization=run.organization, fiscal_year=run.fiscal_year
                )
            },
            lambda key: f"{sources.get(key[0], key[0])} ครั้งที่ {key[1]}",
        )
        seen: dict[tuple, int] = {}
        for row in self.rows[sheet.name]:
            if row.bad:
                continue
            v = row.values
            try:
                source = run.lookups.source(v["source"])
            except ValueError as error:
                run.error(sheet, row, "source", str(error))
                continue
            key = (source.pk, v["round"])
            if key in seen:
                run.error(
                    sheet,
                    row,
                    "round",
                    ERROR_DUPLICATE_SOURCE_ROUND.format(
                        source=source.name, round=v["round"], first=seen[key]
                    ),
                )
                continue
            seen[key] = row.number
            self.budget_rows.setdefault(source.pk, row)
            section.desired[key] = {
                "amount": v["amount"],
                "allocated_on": v["allocated_on"],
                "reference": v["reference"],
                "note": v["note"],
            }
        self.sections["allocations"] = section
        self._counts(sheet, section)

    # -- ค่าใช้จ่ายดำเนินงาน
    def _operating_costs(self) -> None:
        sheet, run = layout.OPERATING_COSTS, self.run
        stored = OperatingCost.objects.filter(
            organization=run.organization, fiscal_year=run.fiscal_year
        ).order_by("order", "pk")
        section = Section(
            OperatingCost, dict(enumerate(stored, start=1)), "ลำดับ {}".format
        )
        self.operating_rows: dict[int, Row] = {}
        for row in self.rows[sheet.name]:
            if row.bad:
                continue
            v = row.values
            values = {
                "order": v["order"],
                "description": v["description"],
                "amount": v["amount"],
            }
            try:
                source = run.lookups.source(v["source"])
                values["source_id"] = source.pk
            except ValueError as error:
                run.error(sheet, row, "source", str(error))
            try:
                category = run.lookups.category(v["category"])
                values["category_id"] = category.pk if category else None
            except ValueError as error:
                run.error(sheet, row, "category", str(error))
            if len(values) < 5:
                continue
            self.operating_rows.setdefault(source.pk, row)
            section.desired[v["order"]] = values
        # A paid running cost stays: its payments are the annual report's
        # money (deleting it would take them along, or fail on them).
        stale = [
            cost for key, cost in section.existing.items() if key not in section.desired
        ]
        paid = set(
            OperatingDisbursement.objects.filter(operating_cost__in=stale).values_list(
                "operating_cost_id", flat=True
            )
        )
        for cost in stale:
            if cost.pk in paid:
                run.error(
                    sheet,
                    None,
                    None,
                    ERROR_PAID_RUNNING_COST.format(
                        number=cost.order, description=cost.description
                    ),
                )
        self.sections["operating"] = section
        self._counts(sheet, section)

    @property
    def budget_given(self) -> bool:
        return "allocations" in self.sections or "operating" in self.sections

    def check_envelopes(self, lines_by_source: dict, replaced) -> set:
        """The envelope rule with the file's allocations and running costs.

        Returns the sources checked here: those whose allocations or running
        costs the file changes. The others are left to the importer's own
        check, which reports on the cost line that goes over with the
        admin's message.

        Per source: running costs plus project budgets (the file's cost lines
        and the stored lines of projects not in it) within the allocations,
        each taken from the file when it has that sheet, else as stored.
        The refusal is the budgets service's, on the row that brings the
        source's allocation (or running cost, or first cost line).
        """
        run = self.run
        allocations = self.sections.get("allocations")
        operating = self.sections.get("operating")
        sources = set(lines_by_source)
        for section in (allocations, operating):
            if section is not None:
                sources |= {
                    key[0] if section is allocations else values["source_id"]
                    for key, values in section.desired.items()
                }
        checked = set()
        for source in sources:
            envelope = source_envelope(
                source=source,
                organization=run.organization,
                fiscal_year=run.fiscal_year,
                excluding=replaced,
            )
            rounds, allocated = envelope.rounds, envelope.allocated
            if allocations is not None:
                amounts = [
                    values["amount"]
                    for key, values in allocations.desired.items()
                    if key[0] == source
                ]
                rounds, allocated = len(amounts), sum(amounts, Decimal(0))
            spent = envelope.operating
            if operating is not None:
                spent = sum(
                    (
                        values["amount"]
                        for values in operating.desired.values()
                        if values["source_id"] == source
                    ),
                    Decimal(0),
                )
            if not rounds:
                continue
            if (rounds, allocated, spent) == (
                envelope.rounds,
                envelope.allocated,
                envelope.operating,
            ):
                continue
            checked.add(source)
            ops = lines_by_source.get(source, [])
            projects = envelope.projects + sum(
                (op.values["amount"] for op in ops), Decimal(0)
            )
            try:
                envelope_totals_validate(
                    source=envelope.source,
                    fiscal_year=run.fiscal_year,
                    allocated=allocated,
                    operating=spent,
                    projects=projects,
                )
            except ValidationError as error:
                if source in self.budget_rows:
                    sheet, row = layout.ALLOCATIONS, self.budget_rows[source]
                    value = row.values["amount"]
                elif source in getattr(self, "operating_rows", {}):
                    sheet, row = layout.OPERATING_COSTS, self.operating_rows[source]
                    value = row.values["amount"]
                else:
                    sheet, row = layout.COST_LINES, ops[0].extra["row"]
                    value = ops[0].values["amount"]
                for message in error.messages:
                    run.warn(sheet, row, "amount", message, value)
        return checked

    # -- ความสอดคล้อง
    def validate_policy(self) -> None:
        """Project ↔ policy items, matched by level and number (or name).

        Needs the project codes (read first). A project of the file whose
        links change counts as touched, so an approved one is refused.
        """
        sheet, run = layout.POLICY_LINKS, self.run
        if sheet.name not in self.rows:
            return
        items = list(PolicyItem.objects.all())
        self.policy = {code: [] for code in run.codes}
        for row in self.rows[sheet.name]:
            if row.bad or not run._known_project(sheet, row):
                continue
            v = row.values
            try:
                kind = parsing.choice(v["kind"], layout.POLICY_KIND_CHOICES)
            except ValueError as error:
                run.error(sheet, row, "kind", str(error))
                continue
            item = self._policy_item(sheet, row, kind, items)
            if item is not None and item.pk not in self.policy[v["project"]]:
                self.policy[v["project"]].append(item.pk)
        counts = run.counts.setdefault(sheet.name, run.new_counts(sheet.name))
        stored = defaultdict(set)
        if run.plan is not None:
            for code, pk in Project.policy_items.through.objects.filter(
                project__plan=run.plan, project__code__in=list(self.policy)
            ).values_list("project__code", "policyitem_id"):
                stored[code].add(pk)
        names = {i.pk: f"{i.code} {short(i.title, 40)}".strip() for i in items}

        def listed(pks) -> str:
            return ", ".join(names[pk] for pk in sorted(pks)) or "–"

        for code, pks in self.policy.items():
            if code in run.existing and set(pks) != stored[code]:
                change = FieldDiff("นโยบายที่สอดคล้อง", listed(stored[code]), listed(pks))
                counts.change(code, [change])
                run.touched.add(code)
            elif code not in run.existing:
                for pk in pks:
                    counts.add(f"{code} {names[pk]}")
            else:
                counts.same()

    def _policy_item(self, sheet, row, kind: str, items) -> PolicyItem | None:
        v, run = row.values, self.run
        label = next(
            k for k, value in layout.POLICY_KIND_CHOICES.items() if value == kind
        )
        candidates = [i for i in items if i.kind == kind]
        code, title = parsing.compact(v["code"]), parsing.compact(v["title"])
        if not code and not title:
            run.error(sheet, row, "title", ERROR_POLICY_WHICH)
            return None
        found = [
            i
            for i in candidates
            if (not code or parsing.compact(i.code) == code)
            and (not title or parsing.compact(i.title) == title)
        ]
        if len(found) > 1:
            found = [i for i in found if i.in_force(run.fiscal_year)] or found
        column, value = ("code", v["code"]) if code else ("title", v["title"])
        if not found:
            names = [i.code if code else i.title for i in candidates]
            run.error(
                sheet,
                row,
                column,
                ERROR_UNKNOWN_POLICY.format(kind=label, value=value)
                + parsing.did_you_mean(value, names),
            )
            return None
        if len(found) > 1:
            run.error(
                sheet,
                row,
                column,
                ERROR_AMBIGUOUS_POLICY.format(kind=label, value=value),
            )
            return None
        return found[0]

    # ------------------------------------------------------------ writing
    def write(self, plan: Plan, user) -> None:
        """Plan fields, direction and envelope, before the projects."""
        reason = self.run.reason
        if self.plan_values is not None and _differs(plan, self.plan_values):
            for name, value in self.plan_values.items():
                setattr(plan, name, value)
            rows_update(Plan, [plan], self.plan_values, user=user, reason=reason)
        sections = self.sections
        for section in sections.values():
            section.reason = reason
        goals: dict[int, Goal] = {g.number: g for g in Goal.objects.filter(plan=plan)}
        if "missions" in sections:
            sections["missions"].write(lambda key: Mission(plan=plan, number=key), user)
            goals = sections["goals"].write(
                lambda key: Goal(plan=plan, number=key), user
            )
            strategies = sections["strategies"].write(
                lambda key: Strategy(plan=plan, number=key), user
            )
            moved = links_replace(
                Strategy,
                "goals",
                {
                    strategy.pk: {
                        goals[g].pk for g in self.strategy_goals.get(number, ())
                    }
                    for number, strategy in strategies.items()
                },
            )
            rows_links_changed(
                Strategy,
                [
                    strategy
                    for number, strategy in strategies.items()
                    if strategy.pk in moved
                    and number in sections["strategies"].existing
                ],
                user=user,
                reason=reason,
            )
        strategies = {s.number: s for s in Strategy.objects.filter(plan=plan)}
        if "guidelines" in sections:
            sections["guidelines"].write(
                lambda key: Guideline(strategy=strategies[key[0]], number=key[1]), user
            )
        if "indicators" in sections:
            indicators = sections["indicators"].write(
                lambda key: Indicator(strategy=strategies[key[0]], number=key[1]),
                user,
                extra=lambda key: {
                    "goal_id": goals[self.indicator_goals[key]].pk
                    if self.indicator_goals.get(key) is not None
                    else None
                },
            )
            sections["targets"].write(
                lambda key: IndicatorTarget(
                    indicator=indicators[key[:2]], fiscal_year=key[2]
                ),
                user,
            )
        office, year = self.run.organization, self.run.fiscal_year
        if "allocations" in sections:
            sections["allocations"].write(
                lambda key: Allocation(
                    organization=office,
                    fiscal_year=year,
                    source_id=key[0],
                    round_number=key[1],
                ),
                user,
            )
        if "operating" in sections:
            sections["operating"].write(
                lambda key: OperatingCost(organization=office, fiscal_year=year), user
            )

    def write_policy(self, projects: dict[str, Project]) -> set[int]:
        """Replace the policy links of the projects the import writes;
        returns the pks of those whose links changed (the caller writes
        their history row: the network's policy page counts these links)."""
        if self.policy is None:
            return set()
        return links_replace(
            Project,
            "policy_items",
            {
                projects[code].pk: set(pks)
                for code, pks in self.policy.items()
                if code in projects
            },
        )
