"""Read-side queries for project sheets: plain data for templates and PDFs.

``project_sheet`` returns only strings, numbers (money as ``Decimal``),
booleans, lists and dicts, so the same structure is stored as a revision
snapshot (JSON, money as a decimal string) and rendered by the same partial,
``templates/projects/partials/sheet.html``, which formats the money as baht.
"""

import datetime
from collections import Counter

from django.db.models import F, Prefetch

from core import thai
from core.thai import ZERO
from plans.models import Indicator
from projects.models import (
    Activity,
    Project,
    ProjectKPI,
    ProjectResponsible,
    ProjectRevision,
    _count_of,
)
from projects.sheet_money import sheet_money


def activities_with_budget(activities=None):
    """Activities (all, or the given queryset) with ``budget`` = the sum of
    their own cost lines, the sum ``budgets`` supplies
    (:mod:`projects.sheet_money`)."""
    if activities is None:
        activities = Activity.objects.all()
    return activities.annotate(budget=sheet_money().activity_budget())


def projects_with_budget():
    """Projects with ``total_budget`` = the sum of their activities' cost lines
    (supplied by ``budgets``: :mod:`projects.sheet_money`)."""
    return Project.objects.annotate(total_budget=sheet_money().project_budget())


def _with_section_counts(projects):
    """``projects`` with the counts of ``Project.sections()``, as
    ``budgets.rollups.with_section_counts`` (the cost-line count comes from
    ``budgets`` through :mod:`projects.sheet_money`)."""
    return projects.with_part_counts().annotate(
        n_cost_lines=sheet_money().cost_line_count()
    )


# ------------------------------------------------------------------ formatting


def month_span_label(start: datetime.date | None, end: datetime.date | None) -> str:
    """ "มิถุนายน – กันยายน 2562", or with both years when they differ.

    "-" for a project without a period, as offices print an empty cell.
    """
    if start is None or end is None:
        return "-"
    if start == end:
        return thai.thai_month_year(start, abbr=False)
    if start.year == end.year:
        return f"{thai.THAI_MONTHS[start.month - 1]} – " + thai.thai_month_year(
            end, abbr=False
        )
    return (
        f"{thai.thai_month_year(start, abbr=False)} – "
        f"{thai.thai_month_year(end, abbr=False)}"
    )


def months_label(months: list[datetime.date]) -> str:
    """Consecutive runs joined: "ต.ค. 2567 – ธ.ค. 2567, ก.พ. 2568"."""
    runs: list[list[datetime.date]] = []
    for day in sorted(set(months)):
        if runs and _next_month(runs[-1][-1]) == day:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        first, last = thai.thai_month_year(run[0]), thai.thai_month_year(run[-1])
        parts.append(first if len(run) == 1 else f"{first} – {last}")
    return ", ".join(parts)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def grid_columns(
    fiscal_year: int, start: datetime.date | None, end: datetime.date | None, extra=()
) -> list[datetime.date]:
    """Months of every fiscal year touched by the project (ต.ค. … ก.ย. each).

    A project without a period prints its plan year's months (unticked unless
    an activity names them).
    """
    days = [day for day in (start, end, *extra) if day is not None] or [
        thai.fiscal_year_range(fiscal_year)[0]
    ]
    first = min(thai.fiscal_year_of(day) for day in days)
    last = max(thai.fiscal_year_of(day) for day in days)
    first, last = min(first, fiscal_year), max(last, fiscal_year)
    columns: list[datetime.date] = []
    for year in range(first, last + 1):
        columns.extend(thai.fiscal_month_dates(year))
    return columns


# ------------------------------------------------------------------ the sheet


def sheet_queryset():
    """Everything the sheet prints, in a fixed number of queries (11)."""
    approved_revisions = ProjectRevision.objects.filter(approved_at__isnull=False)
    return (
        _with_section_counts(Project.objects.all())
        .annotate(n_approved_revisions=_count_of(approved_revisions, "project"))
        .select_related("plan__organization", "group", "budget_source")
        .prefetch_related(
            Prefetch(
                "responsibles",
                queryset=ProjectResponsible.objects.select_related("person"),
            ),
            "objectives",
            "targets",
            "expected_results",
            Prefetch(
                "activities",
                queryset=activities_with_budget().select_related("responsible"),
            ),
            "kpis",
            "strategies",
            "goals",
            Prefetch(
                "indicators", queryset=Indicator.objects.select_related("strategy")
            ),
            "policy_items",
        )
    )


def _responsible_line(names: list[str], note: str) -> str:
    """ "นางศิรินภา ศรีสุข นางสาวเพ็ญประภา มีเพียร และนางสมจิตต์ รวมแก้ว"."""
    if not names:
        line = ""
    elif len(names) == 1:
        line = names[0]
    else:
        line = " ".join(names[:-1]) + " และ" + names[-1]
    return f"{line} {note}".strip()


def _activity_rows(project: Project, columns: list[datetime.date]) -> list[dict]:
    activities = list(project.activities.all())
    children: dict[int, list[Activity]] = {}
    for activity in activities:
        if activity.parent_id:
            children.setdefault(activity.parent_id, []).append(activity)
    rows = []
    top_level = [activity for activity in activities if not activity.parent_id]
    for number, activity in enumerate(top_level, start=1):
        rows.append(_activity_row(activity, str(number), columns, child=False))
        for sub, child in enumerate(children.get(activity.pk, []), start=1):
            rows.append(_activity_row(child, f"{number}.{sub}", columns, child=True))
    return rows


def _activity_row(activity, number, columns, *, child: bool) -> dict:
    months = set(activity.month_dates())
    responsible = (
        activity.responsible.full_name
        if activity.responsible_id
        else activity.responsible_text
    )
    return {
        "id": activity.pk,
        "number": number,
        "order": activity.order,
        "is_child": child,
        "name": activity.name,
        "target": activity.target,
        "budget": activity.budget or None,
        "months": [day.isoformat() for day in sorted(months)],
        "months_label": months_label(list(months)),
        "grid": [column in months for column in columns],
        "responsible": responsible,
        "notes": activity.notes,
    }


def _kpi_row(kpi: ProjectKPI, number: int) -> dict:
    return {
        "number": number,
        "name": kpi.name,
        "nature": kpi.get_nature_display(),
        "target": kpi.target_display(kpi.unit, kpi.unit_label),
        "method": kpi.method,
        "instrument": kpi.instrument,
        # A success-level KPI's five criteria, printed under the table with
        # the target level marked (issue 21 item 5).
        "levels": kpi.level_rows(kpi.target_value) if kpi.is_success_level else [],
    }


def project_sheet(project: Project) -> dict:
    """The whole sheet as plain data (see the module docstring). 11 queries."""
    return sheet_from_loaded(sheet_queryset().get(pk=project.pk))


def sheet_from_loaded(project: Project) -> dict:
    """The sheet of a project loaded through ``sheet_queryset()`` (no query).

    The plan book loads every project of a plan with one ``sheet_queryset()``
    and builds each sheet here, so its query count does not grow with them.
    """
    plan = project.plan
    activities = list(project.activities.all())
    extra_months = [day for activity in activities for day in activity.month_dates()]
    columns = grid_columns(
        plan.fiscal_year, project.start_month, project.end_month, extra_months
    )
    total_budget = sum((activity.budget for activity in activities), ZERO)
    rows = _activity_rows(project, columns)
    targets = list(project.targets.all())
    kpis = list(project.kpis.all())
    names = [responsible.display_name for responsible in project.responsibles.all()]
    # KPIs and targets the source printed under no heading are listed apart,
    # unheaded: putting them under ผลผลิต or เชิงปริมาณ would invent a fact.
    unstated = [kpi for kpi in kpis if not kpi.result_kind]
    outputs = [kpi for kpi in kpis if kpi.result_kind == ProjectKPI.ResultKind.OUTPUT]
    outcomes = [kpi for kpi in kpis if kpi.result_kind == ProjectKPI.ResultKind.OUTCOME]
    return {
        "id": project.pk,
        "code": project.code,
        "name": project.name,
        "version": project.version,
        # N of "ฉบับปรับปรุงครั้งที่ N": the project's own approved revisions
        "revision_round": getattr(project, "n_approved_revisions", 0),
        "status": project.status,
        "status_label": project.get_status_display(),
        "organization": plan.organization.short_name,
        "organization_name": plan.organization.name,
        "fiscal_year": plan.fiscal_year,
        "budget_plan": project.budget_plan,
        "kind_label": project.get_kind_display(),
        "group": project.group.name,
        "responsibles": names,
        "responsible_line": _responsible_line(names, project.responsible_note),
        "start_month": project.start_month.isoformat() if project.start_month else "",
        "end_month": project.end_month.isoformat() if project.end_month else "",
        "duration": month_span_label(project.start_month, project.end_month),
        "alignment": {
            "strategies": [str(item) for item in project.strategies.all()],
            "goals": [
                f"เป้าประสงค์ที่ {item.number} {item.text}" for item in project.goals.all()
            ],
            "indicators": [
                "ตัวชี้วัดที่ "
                f"{plan.indicator_label(item.strategy.number, item.number)} {item.name}"
                for item in project.indicators.all()
            ],
            "policy_items": [str(item) for item in project.policy_items.all()],
        },
        "rationale_paragraphs": [
            line.strip() for line in project.rationale.splitlines() if line.strip()
        ],
        "objectives": [item.text for item in project.objectives.all()],
        "targets_unstated": [_target_text(item) for item in targets if not item.kind],
        "targets_quantitative": [
            _target_text(item) for item in targets if item.kind == "quantitative"
        ],
        "targets_qualitative": [
            _target_text(item) for item in targets if item.kind == "qualitative"
        ],
        "uses_budget": project.uses_budget,
        "total_budget": total_budget,
        "budget_source": str(project.budget_source or ""),
        "virement_allowed": project.virement_allowed,
        "virement_wording": project.virement_wording,
        "grid_columns": _grid_headings(columns),
        "activities": rows,
        "grid_years": _grid_years(columns, rows),
        "kpis_unstated": [_kpi_row(kpi, n) for n, kpi in enumerate(unstated, start=1)],
        "kpis_output": [_kpi_row(kpi, n) for n, kpi in enumerate(outputs, start=1)],
        "kpis_outcome": [_kpi_row(kpi, n) for n, kpi in enumerate(outcomes, start=1)],
        "kpi_levels": [
            _kpi_row(kpi, n)
            for n, kpi in enumerate([*unstated, *outputs, *outcomes], start=1)
            if kpi.is_success_level
        ],
        "output_statement": project.output_statement,
        "outcome_statement": project.outcome_statement,
        "location": project.location,
        "target_group": project.target_group,
        "expected_results": [item.text for item in project.expected_results.all()],
        "sections": [
            {"number": s.number, "title": s.title, "complete": s.complete}
            for s in project.sections()
        ],
    }


def _grid_headings(columns: list[datetime.date]) -> list[str]:
    """ "ต.ค." … "ก.ย."; with the short BE year when the grid spans years."""
    spans = len(columns) > 12
    return [
        thai.thai_month_year(day, short_year=True)
        if spans
        else thai.THAI_MONTHS_ABBR[day.month - 1]
        for day in columns
    ]


def _grid_years(columns: list[datetime.date], rows: list[dict]) -> list[dict]:
    """The month calendar cut into one table per fiscal year (ต.ค. … ก.ย.).

    A project that runs into the next fiscal year has 24 (or 36) months; in
    one row their headings ("มิ.ย. 70") overlap on a portrait page. The
    offices print such a calendar a fiscal year at a time, the way its budget
    is approved, so each table keeps the twelve short month names that fit.
    """
    years = []
    for start in range(0, len(columns), 12):
        years.append(
            {
                "fiscal_year": thai.fiscal_year_of(columns[start]),
                "headings": [
                    thai.THAI_MONTHS_ABBR[day.month - 1]
                    for day in columns[start : start + 12]
                ],
                "rows": [
                    {
                        "number": row["number"],
                        "name": row["name"],
                        "marks": row["grid"][start : start + 12],
                    }
                    for row in rows
                ],
            }
        )
    return years


def _target_text(target) -> str:
    if target.quantity is None:
        return target.text
    places = 0 if target.quantity == target.quantity.to_integral() else 2
    amount = thai.format_number(target.quantity, places=places)
    return f"{target.text} จำนวน {amount} {target.unit}".strip()


def revision_sheet(snapshot: dict) -> dict:
    """A stored snapshot ready for the sheet partial.

    Snapshots taken before money stayed a number hold the project total as
    formatted text under ``budget_total``; the partial reads ``total_budget``
    (the baht filters parse "12,345.00" back), so the old key is renamed.
    """
    if "total_budget" in snapshot or "budget_total" not in snapshot:
        return snapshot
    sheet = {key: value for key, value in snapshot.items() if key != "budget_total"}
    sheet["total_budget"] = snapshot["budget_total"]
    return sheet


def frozen_versions(projects) -> dict[int, dict]:
    """The approved version of each project being revised
    (``Project.BEING_REVISED``): its open revision's frozen copy, ready for
    the sheet partial (:func:`revision_sheet`), by project id. One query,
    none when no project is being revised."""
    ids = [p.pk for p in projects if p.status in Project.BEING_REVISED]
    if not ids:
        return {}
    revisions = ProjectRevision.objects.filter(
        project_id__in=ids, version=F("project__version") - 1
    ).values_list("project_id", "snapshot")
    return {project_id: revision_sheet(snapshot) for project_id, snapshot in revisions}


def approved_sheet(project: Project, frozen: dict[int, dict]) -> dict:
    """The sheet of ``project``'s approved version: the frozen copy while it
    is being revised (``frozen``: :func:`frozen_versions`), else the live
    sheet (``project`` loaded through ``sheet_queryset()``; no query)."""
    if project.pk in frozen:
        return dict(frozen[project.pk])
    return sheet_from_loaded(project)


def project_history(project: Project) -> dict:
    """Workflow steps and revisions (without their snapshots). 2 queries."""
    transitions = project.transitions.select_related("actor__person")
    revisions = list(
        project.revisions.defer("snapshot").select_related("created_by__person")
    )
    approved = 0
    for revision in revisions:  # in version order: N of "ฉบับปรับปรุงครั้งที่ N"
        approved += revision.is_approved
        revision.round = approved
    return {"transitions": list(transitions), "revisions": revisions}


# ------------------------------------------------------------------ the list


def project_list(
    *,
    organization,
    fiscal_year: int,
    group=None,
    status: str | tuple[str, ...] = "",
    with_counts: bool = True,
):
    """Projects of an office's plan for a year, with counts. 1 query.

    ``status``: one state, or several (a tuple) in the same query, as the
    approvals queue asks for new projects and plan changes at once.

    ``with_counts=False`` leaves out the budget and section counts, for pages
    that only count projects by state (the dashboards).
    """
    projects = (
        _with_section_counts(projects_with_budget())
        if with_counts
        else Project.objects.all()
    )
    projects = (
        projects.filter(plan__organization=organization, plan__fiscal_year=fiscal_year)
        .select_related("group", "plan")
        .order_by("sequence", "pk")
    )
    if group is not None:
        projects = projects.filter(group=group)
    if isinstance(status, tuple):
        projects = projects.filter(status__in=status)
    elif status:
        projects = projects.filter(status=status)
    return list(projects)


def status_counts(projects: list[Project]) -> list[tuple[str, int]]:
    """(label, count) for every status, counted from an already loaded list."""
    counts = Counter(project.status for project in projects)
    return [(label, counts[value]) for value, label in Project.Status.choices]


def review_comment(project: Project):
    """The reviewer's comment a returned project is to be fixed by: the last
    return (ส่งกลับแก้ไข) with a comment, or ``None`` unless the project is
    back with its group. Shown at the top of the project page and the editor
    (the admin showed it only at the bottom, in the history)."""
    if project.pk is None or project.status != Project.Status.RETURNED:
        return None
    return (
        project.transitions.filter(to_status=Project.Status.RETURNED)
        .exclude(comment="")
        .select_related("actor__person")
        .order_by("created_at", "pk")
        .last()
    )
