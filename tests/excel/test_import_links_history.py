"""The import writes links (project ↔ strategies, goals, indicators, policy
items; strategy ↔ goals) in bulk, which sends no signal, so simple-history
would record nothing: the import writes the owner's "changed" history row
itself, with the links' snapshot, for exactly the owners whose links moved.
The network's roll-up learns of changes from those rows only."""

import pytest
from django.utils import timezone

from excel import layout
from excel.importer import IMPORT_REASON, plan_import
from network import services as network_services
from network.models import OfficeYearFigures
from plans.models import Strategy
from projects.models import Project
from tests.excel.conftest import FISCAL_YEAR, exported, set_cell, workbook_bytes
from tests.factories import PolicyItemFactory

pytestmark = pytest.mark.django_db


def _import(book, office, user):
    result = plan_import(
        source=workbook_bytes(book),
        organization=office,
        fiscal_year=FISCAL_YEAR,
        user=user,
    )
    assert result.ok and result.written, [str(e) for e in result.errors]
    return result


def _snapshot(record, name) -> set:
    """The targets of link ``name`` the history row ``record`` recorded."""
    target = record.instance_type._meta.get_field(name).m2m_reverse_field_name()
    rows = getattr(type(record), name).model.objects.filter(history=record)
    return set(rows.values_list(f"{target}_id", flat=True))


def test_a_file_changing_only_a_policy_link_leaves_the_projects_history_row(
    full_plan, office, planner
):
    old = PolicyItemFactory(kind="obec_policy", code="9", title="ความปลอดภัย")
    new = PolicyItemFactory(kind="obec_policy", code="10", title="ลดความเหลื่อมล้ำ")
    project = Project.objects.get(code="69-001")
    project.policy_items.set([old])
    strategies = set(project.strategies.values_list("pk", flat=True))
    network_services.office_figures([office.pk], FISCAL_YEAR)
    stamp = timezone.now()
    OfficeYearFigures.objects.update(computed_at=stamp)  # fresh as of now
    rows_before = project.history.count()
    book = exported(full_plan)
    set_cell(book, layout.POLICY_LINKS, 2, "code", "10")
    set_cell(book, layout.POLICY_LINKS, 2, "title", None)

    _import(book, office, planner)

    assert list(project.policy_items.all()) == [new]
    assert project.history.count() == rows_before + 1
    latest = project.history.first()
    assert (latest.history_type, latest.history_user) == ("~", planner)
    assert latest.history_change_reason == IMPORT_REASON
    assert _snapshot(latest, "policy_items") == {new.pk}
    assert _snapshot(latest, "strategies") == strategies
    # The network's refresh sees the office and reads it again.
    assert office.pk in network_services._changed_since(stamp)
    network_services.office_figures([office.pk], FISCAL_YEAR)
    assert OfficeYearFigures.objects.get().computed_at != stamp


def test_links_a_file_leaves_alone_are_not_rewritten(full_plan, office, planner):
    project = Project.objects.get(code="69-001")
    through = Project.strategies.through
    links = sorted(through.objects.filter(project=project).values_list("pk", flat=True))
    rows_before = project.history.count()
    book = exported(full_plan)
    set_cell(book, layout.PROJECTS, 2, "name", "โครงการพัฒนาการอ่าน (ปรับชื่อ)")

    _import(book, office, planner)

    assert project.history.count() == rows_before + 1  # the rename only
    assert (
        sorted(through.objects.filter(project=project).values_list("pk", flat=True))
        == links
    )


def test_a_strategys_goals_changed_by_the_file_leave_its_history_row(
    full_plan, office, planner
):
    strategy = Strategy.objects.get(plan=full_plan, number=1)
    goals = {g.number: g.pk for g in full_plan.goals.all()}
    assert not strategy.goals.exists()
    rows_before = strategy.history.count()
    book = exported(full_plan)
    sheet = book[layout.DIRECTION.name]
    keys = [c.key for c in layout.DIRECTION.columns]
    row = next(
        index
        for index, cells in enumerate(sheet.iter_rows(values_only=True), start=1)
        if cells[keys.index("kind")] == "กลยุทธ์" and cells[keys.index("number")] == 1
    )
    set_cell(book, layout.DIRECTION, row, "goals", "1,2")

    _import(book, office, planner)

    assert set(strategy.goals.values_list("pk", flat=True)) == set(goals.values())
    assert strategy.history.count() == rows_before + 1
    latest = strategy.history.first()
    assert (latest.history_type, latest.history_user) == ("~", planner)
    assert _snapshot(latest, "goals") == set(goals.values())
