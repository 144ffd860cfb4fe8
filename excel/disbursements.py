"""Import of the finance group's disbursement sheet (all or nothing).

Columns: วันที่ (BE date), เลขที่เอกสาร, รหัสโครงการ, ลำดับกิจกรรม (optional: the
project's first activity), จำนวนเงิน, ลำดับรายการค่าใช้จ่าย or หมวดรายจ่าย (what
the money was spent on: a line of the activity, or a category of the project's
cost lines; with a category and no activity number the first activity with a
line in it), and ลำดับค่าใช้จ่ายดำเนินงาน: a row with no
project code pays the office's running cost of that number (salaries,
utilities, subsidies: the money of the annual report's budget table that is
no project's; a file made before the column is read as before). Each row
goes through the budgets app's own controls
(:func:`budgets.services.disbursement_record`; from the command line, where
there is no user, without the permission check), in file order inside one
transaction, so a later row sees the money of the earlier ones;
any problem rolls everything back. A payment that takes its project past the
spending plan of its quarter is recorded with the disbursement screen's own
warning (:func:`budgets.services.disbursement_period_warning`), listed in
the preview and on the result page.
"""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from budgets import services as budget_services
from budgets.models import CostLine, Disbursement, ExpenseCategory, OperatingCost
from core.models import Organization
from excel import layout, parsing
from excel.importer import ImportResult, SheetCounts
from excel.workbook import Issues, read_sheets
from plans.models import Plan
from projects.models import Activity, Project

#: Rows between two progress reports of :func:`disbursement_import`.
PROGRESS_EVERY = 50
ERROR_NO_PLAN = "ยังไม่มีแผนปฏิบัติการปีงบประมาณ {year} ของสำนักงานนี้"
ERROR_UNKNOWN_PROJECT = "ไม่พบรหัสโครงการ “{code}” ในแผนปีงบประมาณ {year}"
ERROR_UNKNOWN_ACTIVITY = "โครงการ {code} ไม่มีกิจกรรมลำดับ {number}"
ERROR_NO_ACTIVITY = "โครงการ {code} ยังไม่มีกิจกรรม จึงบันทึกการเบิกจ่ายไม่ได้"
ERROR_NOT_POSITIVE = "จำนวนเงินต้องมากกว่า 0"
ERROR_PROJECT_OR_RUNNING = "กรุณากรอกรหัสโครงการ หรือลำดับค่าใช้จ่ายดำเนินงาน อย่างใดอย่างหนึ่ง"
ERROR_UNKNOWN_RUNNING = "ไม่พบค่าใช้จ่ายดำเนินงานลำดับ {number} ของปีงบประมาณ {year}"
ERROR_UNKNOWN_LINE = "กิจกรรมลำดับ {number} ของโครงการ {code} ไม่มีรายการค่าใช้จ่ายลำดับ {line}"
ERROR_UNKNOWN_CATEGORY = "ไม่พบหมวดรายจ่าย “{value}”"
ERROR_CATEGORY_NOT_IN_PROJECT = budget_services.ERROR_DISBURSE_CATEGORY_NOT_IN_PROJECT
ERROR_OUTSIDE_YEAR = budget_services.ERROR_DISBURSE_OUTSIDE_YEAR
ERROR_ALREADY_RECORDED = budget_services.ERROR_DISBURSE_DOCUMENT_RECORDED
NOTICE_ROW = "แถวที่ {row}: {warning}"


class _Rollback(Exception):
    pass


def disbursement_import(
    *,
    source,
    organization: Organization,
    fiscal_year: int,
    user=None,
    dry_run: bool = False,
    progress=None,
) -> ImportResult:
    """Validate and record every row of the finance sheet, or none of them;
    ``progress(rows_done, rows_total)`` is told every :data:`PROGRESS_EVERY`
    rows (the import task's progress record)."""
    sheet = layout.DISBURSEMENTS
    issues = Issues()
    counts = SheetCounts(sheet.name)
    result = ImportResult(counts=[counts])
    plan = Plan.objects.filter(
        organization=organization, fiscal_year=fiscal_year
    ).first()
    result.plan = plan
    rows = read_sheets(source, (sheet,), issues, first_sheet=True)
    if rows is not None and plan is None:
        issues.add("", None, None, ERROR_NO_PLAN.format(year=fiscal_year))
        issues.structural = True
    if issues.structural:
        result.errors = issues.items
        return result
    rows = rows[sheet.name]
    codes = {row.values.get("project") for row in rows}
    projects = {
        p.code: p
        for p in Project.objects.filter(plan=plan, code__in=codes).select_related(
            "plan", "group"
        )
    }
    activities = defaultdict(list)
    for activity in Activity.objects.filter(project__in=projects.values()):
        activities[activity.project_id].append(activity)
    for members in activities.values():
        members.sort(key=lambda a: (a.order, a.pk))
    lines = defaultdict(list)
    for line in CostLine.objects.filter(
        activity__project__in=projects.values()
    ).order_by("order", "pk"):
        lines[line.activity_id].append(line)
    categories = {}
    for category in ExpenseCategory.objects.all():
        categories[parsing.compact(category.name)] = category
        categories[category.code.lower()] = category
    recorded = set(
        Disbursement.objects.filter(activity__project__in=projects.values())
        .exclude(document_number="")
        .values_list("activity__project__code", "document_number")
    )

    running = {
        cost.order: cost
        for cost in OperatingCost.objects.filter(
            organization=organization, fiscal_year=fiscal_year
        )
    }
    plan_codes = None
    notices = []

    def add(row, key, message):
        shown = issues.title(sheet.name)  # the user's own sheet name
        issues.add(shown, row.number, sheet.column(key).header, message)

    try:
        with transaction.atomic():
            for number, row in enumerate(rows):
                if progress and number % PROGRESS_EVERY == 0:
                    progress(number, len(rows))
                if row.bad:
                    continue
                v = row.values
                if bool(v["project"]) == (v.get("running_cost") is not None):
                    add(row, "project", ERROR_PROJECT_OR_RUNNING)
                    continue
                if not v["project"]:
                    if _running_row(user, row, v, running, fiscal_year, add):
                        counts.created += 1
                    continue
                project = projects.get(v["project"])
                if project is None:
                    if plan_codes is None:  # only when a code is unknown
                        plan_codes = list(
                            Project.objects.filter(plan=plan).values_list(
                                "code", flat=True
                            )
                        )
                    add(
                        row,
                        "project",
                        ERROR_UNKNOWN_PROJECT.format(
                            code=v["project"], year=fiscal_year
                        )
                        + parsing.did_you_mean(v["project"], plan_codes),
                    )
                    continue
                members = activities[project.pk]
                if not members:
                    add(row, "project", ERROR_NO_ACTIVITY.format(code=project.code))
                    continue
                category = None
                if v.get("category"):
                    category = categories.get(
                        parsing.compact(v["category"])
                    ) or categories.get(v["category"].strip().lower())
                    if category is None:
                        names = [c.name for c in set(categories.values())]
                        add(
                            row,
                            "category",
                            ERROR_UNKNOWN_CATEGORY.format(value=v["category"])
                            + parsing.did_you_mean(v["category"], names),
                        )
                        continue
                number = v["activity"] or _first_with(members, lines, category)
                if number is None:
                    add(
                        row,
                        "category",
                        ERROR_CATEGORY_NOT_IN_PROJECT.format(
                            code=project.code,
                            category=category.name,
                            categories=budget_services.categories_label(project),
                        ),
                    )
                    continue
                if number > len(members) or number < 1:
                    add(
                        row,
                        "activity",
                        ERROR_UNKNOWN_ACTIVITY.format(code=project.code, number=number),
                    )
                    continue
                if v["amount"] <= 0:
                    add(row, "amount", ERROR_NOT_POSITIVE)
                    continue
                try:  # the rule of every path, not a copy of it
                    budget_services.disbursement_paid_on_validate(
                        paid_on=v["paid_on"], fiscal_year=fiscal_year
                    )
                except ValidationError as error:
                    for message in error.messages:
                        add(row, "paid_on", message)
                    continue
                if v["document_number"] and (
                    (project.code, v["document_number"]) in recorded
                ):
                    add(
                        row,
                        "document_number",
                        ERROR_ALREADY_RECORDED.format(
                            number=v["document_number"], code=project.code
                        ),
                    )
                    continue
                activity = members[number - 1]
                activity.project = project
                cost_line = None
                if v.get("cost_line") is not None:
                    own = lines[activity.pk]
                    if not 1 <= v["cost_line"] <= len(own):
                        add(
                            row,
                            "cost_line",
                            ERROR_UNKNOWN_LINE.format(
                                number=number, code=project.code, line=v["cost_line"]
                            ),
                        )
                        continue
                    cost_line = own[v["cost_line"] - 1]
                try:
                    disbursement = _record(user, activity, v, cost_line, category)
                except (ValidationError, PermissionDenied) as error:
                    messages = getattr(error, "messages", None) or [str(error)]
                    for message in messages:
                        add(row, "amount", message)
                    continue
                counts.created += 1
                warning = budget_services.disbursement_period_warning(disbursement)
                if warning:
                    notices.append(NOTICE_ROW.format(row=row.number, warning=warning))
                if v["document_number"]:
                    recorded.add((project.code, v["document_number"]))
            if issues or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if progress:
        progress(len(rows), len(rows))
    result.errors = issues.sorted()
    # Kept only while the file is importable: a failed file writes nothing.
    result.notices = [] if issues else notices
    result.written = not issues and not dry_run
    return result


def _first_with(members: list, lines: dict, category) -> int | None:
    """The number of the first activity with a cost line in ``category``
    (without a category: the first activity); ``None`` when none has one."""
    if category is None:
        return 1
    for number, activity in enumerate(members, start=1):
        if any(line.category_id == category.pk for line in lines[activity.pk]):
            return number
    return None


def _record(
    user, activity: Activity, values: dict, cost_line, category
) -> Disbursement:
    """Through the budgets service, which locks the project and applies every
    control; without a user (the command line) only the permission check is
    skipped."""
    return budget_services.disbursement_record(
        user=user,
        activity=activity,
        cost_line=cost_line,
        category=category,
        amount=values["amount"],
        paid_on=values["paid_on"],
        document_number=values["document_number"],
        note=values["note"],
        as_command=user is None,
    )


def _running_row(user, row, values: dict, running: dict, fiscal_year: int, add):
    """A payment of the running cost numbered in ``values``, through the
    budgets service (its controls and messages); ``True`` once recorded."""
    cost = running.get(values["running_cost"])
    if cost is None:
        add(
            row,
            "running_cost",
            ERROR_UNKNOWN_RUNNING.format(
                number=values["running_cost"], year=fiscal_year
            ),
        )
        return False
    try:
        budget_services.operating_disbursement_record(
            user=user,
            cost=cost,
            amount=values["amount"],
            paid_on=values["paid_on"],
            document_number=values["document_number"],
            note=values["note"],
            as_command=user is None,
        )
    except (ValidationError, PermissionDenied) as error:
        for message in getattr(error, "messages", None) or [str(error)]:
            add(row, "amount", message)
        return False
    return True
