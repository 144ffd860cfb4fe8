"""Who may report, review and watch progress; built on :mod:`core.rules`.

- The (acting) head of the project's group, or a project officer named on the
  project, reports (edits and submits) its progress. Admins may too.
- Planners (and admins) of the office review: return or accept, open and lock
  rounds, send reminders.
- Planners, directors and the monitoring committee (viewers) read the board.
"""

from collections.abc import Iterable

from core import rules
from core.roles import Role


def responsible_person_ids(project) -> set[int]:
    """Person ids named on ``project``; uses prefetched ``responsibles`` if any."""
    cache = getattr(project, "_prefetched_objects_cache", {})
    if "responsibles" in cache:
        return {r.person_id for r in cache["responsibles"] if r.person_id}
    return set(
        project.responsibles.filter(person__isnull=False).values_list(
            "person_id", flat=True
        )
    )


def can_report_group(user, group) -> bool:
    """Heads (acting included) and admins report for every project of ``group``."""
    if rules.is_overseer(user) or not rules.belongs_to(user, group.organization_id):
        return False
    if rules.has_role(user, Role.ADMIN):
        return True
    return rules.has_role(user, Role.GROUP_HEAD) and group.pk in rules.headed_group_ids(
        user
    )


def can_report(user, project, responsible_ids: Iterable[int] | None = None) -> bool:
    """May ``user`` edit and submit ``project``'s progress reports?"""
    group = project.group
    if can_report_group(user, group):
        return True
    person = rules.person_of(user)
    if person is None or person.organization_id != group.organization_id:
        return False
    if not rules.has_role(user, Role.PROJECT_OFFICER):
        return False
    ids = (
        set(responsible_ids)
        if responsible_ids is not None
        else responsible_person_ids(project)
    )
    return person.pk in ids


def can_review(user, organization) -> bool:
    """Planners and admins of the office review reports and manage rounds."""
    return rules.can_manage_office(user, organization)


def can_view_board(user, organization) -> bool:
    return rules.belongs_to(user, organization) and rules.has_role(
        user, Role.ADMIN, Role.PLANNER, Role.DIRECTOR, Role.VIEWER
    )


def can_view_report(user, report) -> bool:
    project = report.project
    return can_report(user, project) or can_view_board(
        user, project.group.organization_id
    )
