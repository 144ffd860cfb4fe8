"""The per-project audit trail (ประวัติการแก้ไข): every history row of the
project and of everything under it, diffed field by field, in time order.

History rows outlive deletes, so children are found through their history
(e.g. cost lines of every activity the project ever had), never through the
live tables. The number of queries is fixed: one per history table, one per
many-to-many field, and one per kind of related object named in a diff.
"""

from collections import defaultdict

from django.contrib.auth import get_user_model

from budgets.models import CostLine, Disbursement, QuarterPlan
from core.history import HistoryEntry, record_changes
from core.models import Person
from plans.models import Plan
from progress.models import (
    ActivityProgress,
    Evidence,
    KPIActual,
    ProgressReport,
    ReportingRound,
)
from projects.models import (
    Activity,
    ExpectedResult,
    Objective,
    Project,
    ProjectKPI,
    ProjectResponsible,
    ProjectTarget,
)

#: Links to the parent: never shown as a change.
PARENT_LINKS = {"project", "activity", "report"}

#: How each kind of row is named on the page (no queries: history fields and
#: the labels fetched in bulk).
LABELS = {
    Project: lambda r, fk: r.name,
    ProjectResponsible: lambda r, fk: (
        fk.get(Person, {}).get(r.person_id) if r.person_id else r.name_text
    ),
    Objective: lambda r, fk: r.text[:80],
    ProjectTarget: lambda r, fk: r.text[:80],
    ExpectedResult: lambda r, fk: r.text[:80],
    Activity: lambda r, fk: r.name[:80],
    ProjectKPI: lambda r, fk: r.name[:80],
    CostLine: lambda r, fk: (
        f"{r.description} ({fk.get(Activity, {}).get(r.activity_id, '')[:40]})"
    ),
    QuarterPlan: lambda r, fk: (
        f"ไตรมาส {r.quarter} ({fk.get(Activity, {}).get(r.activity_id, '')[:40]})"
    ),
    Disbursement: lambda r, fk: f"{r.paid_on} {r.document_number}".strip(),
    ProgressReport: lambda r, fk: fk.get(ReportingRound, {}).get(r.round_id, ""),
    ActivityProgress: lambda r, fk: fk.get(Activity, {}).get(r.activity_id, ""),
    KPIActual: lambda r, fk: fk.get(ProjectKPI, {}).get(r.kpi_id, ""),
    Evidence: lambda r, fk: r.caption or r.file.rsplit("/", 1)[-1],
}

#: Related names that need a special (query-free) label.
SPECIAL_LABELS = {
    Plan: lambda obj: obj.display_title,
    ReportingRound: lambda obj: f"{obj.label} ปีงบประมาณ {obj.fiscal_year}",
}


def _history_querysets(project: Project) -> dict:
    """Model → queryset of its history rows belonging to ``project``."""
    pk = project.pk
    activity_ids = Activity.history.filter(project_id=pk).values("id")
    report_ids = ProgressReport.history.filter(project_id=pk).values("id")
    querysets = {Project: Project.history.filter(id=pk)}
    for model in (
        ProjectResponsible,
        Objective,
        ProjectTarget,
        ExpectedResult,
        Activity,
        ProjectKPI,
        ProgressReport,
    ):
        querysets[model] = model.history.filter(project_id=pk)
    for model in (CostLine, QuarterPlan, Disbursement):
        querysets[model] = model.history.filter(activity_id__in=activity_ids)
    for model in (ActivityProgress, KPIActual, Evidence):
        querysets[model] = model.history.filter(report_id__in=report_ids)
    return {
        model: queryset.select_related("history_user__person").order_by(
            "history_date", "history_id"
        )
        for model, queryset in querysets.items()
    }


def _m2m_values(records) -> dict:
    """History id → field → ids, for the project's many-to-many fields."""
    values: dict = defaultdict(lambda: defaultdict(frozenset))
    if not records:
        return values
    history_model = type(records[0])
    ids = [record.history_id for record in records]
    for model_field in history_model._history_m2m_fields:
        through = getattr(history_model, model_field.name).model
        target = model_field.m2m_reverse_field_name()
        rows = through.objects.filter(history_id__in=ids).values_list(
            "history_id", f"{target}_id"
        )
        grouped = defaultdict(set)
        for history_id, target_id in rows:
            grouped[history_id].add(target_id)
        for history_id, target_ids in grouped.items():
            values[history_id][model_field.name] = frozenset(target_ids)
    return values


def _fk_labels(rows: dict, m2m: dict) -> dict:
    """Related model → {pk: name} for every foreign key and link in the rows."""
    wanted: dict = defaultdict(set)
    for model, records in rows.items():
        for model_field in model._meta.concrete_fields:
            if not model_field.is_relation or model_field.name in PARENT_LINKS:
                continue
            related = model_field.related_model
            wanted[related].update(getattr(r, model_field.attname) for r in records)
    for fields in m2m.values():
        for name, ids in fields.items():
            wanted[Project._meta.get_field(name).related_model].update(ids)
    # Activities and KPIs are named from their own history (deleted ones too).
    labels: dict = {
        Activity: {r.id: r.name[:80] for r in rows.get(Activity, [])},
        ProjectKPI: {r.id: r.name[:80] for r in rows.get(ProjectKPI, [])},
    }
    wanted[ReportingRound].update(r.round_id for r in rows.get(ProgressReport, []))
    user_model = get_user_model()
    for related, ids in wanted.items():
        ids.discard(None)
        if related in labels or not ids:
            continue
        queryset = related._base_manager.filter(pk__in=ids)
        if related is user_model:
            queryset = queryset.select_related("person")
        name = SPECIAL_LABELS.get(related, _user_or_str)
        labels[related] = {obj.pk: name(obj) for obj in queryset}
    return labels


def _user_or_str(obj) -> str:
    person = getattr(obj, "person", None) if hasattr(obj, "username") else None
    return person.full_name if person else str(obj)


def project_history(project: Project) -> list[HistoryEntry]:
    """Every recorded change of ``project`` and its parts, oldest first."""
    rows = {
        model: list(queryset) for model, queryset in _history_querysets(project).items()
    }
    m2m = _m2m_values(rows[Project])
    fk_labels = _fk_labels(rows, m2m)
    entries = []
    for model, records in rows.items():
        previous: dict = {}
        for record in records:
            before = previous.get(record.id)
            previous[record.id] = record
            changes = []
            if record.history_type == "~" and before is not None:
                changes = [
                    change
                    for change in record_changes(
                        record, before, fk_labels, m2m if model is Project else None
                    )
                    if change.name not in PARENT_LINKS
                ]
                if not changes and not record.history_change_reason:
                    continue
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    user=record.history_user,
                    kind=record.history_type,
                    model_label=str(model._meta.verbose_name),
                    object_label=LABELS[model](record, fk_labels) or "–",
                    reason=record.history_change_reason or "",
                    changes=changes,
                    sort_key=(record.history_date, record.history_id),
                )
            )
    entries.sort(key=lambda entry: entry.sort_key)
    return entries
