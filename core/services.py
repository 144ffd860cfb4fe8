"""Writes that touch more than one model, and the bulk writes of the apps.

The bulk helpers are the one way an app writes many rows at once (the Excel
import): like a row-by-row ``save()`` they write a history row per object
with the acting user and bump ``edit_version`` of versioned models, which a
plain ``bulk_create``/``bulk_update``/``QuerySet.update`` silently skips.
The rules (envelope, approval and round locks, permissions) stay with each
app's services, which validate before calling these.
"""

import datetime
import logging
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
    get_history_manager_for_model,
)

from core.locking import VersionedModel
from core.models import (
    GroupHeadAssignment,
    OfficeGroup,
    Organization,
    Person,
    StandardGroup,
    TaskRecord,
)
from core.roles import Role, sync_roles
from core.rules import can_manage_office

ERROR_NOT_OFFICE_MANAGER = (
    "เฉพาะผู้ดูแลระบบและนักวิเคราะห์นโยบายและแผนของสำนักงานเท่านั้นที่แก้ไข{what}ได้"
)
ERROR_SUPERUSER_ONLY = "{what}แก้ไขได้เฉพาะผู้ดูแลระบบกลางเท่านั้น"
ERROR_OFFICE_NAME_TAKEN = "มีสำนักงานชื่อ “{name}” อยู่แล้ว"
ERROR_OFFICE_SHORT_NAME_TAKEN = "มีสำนักงานชื่อย่อ “{name}” อยู่แล้ว"
ERROR_USERNAME_TAKEN = "มีบัญชีผู้ใช้ชื่อ “{name}” อยู่แล้ว กรุณาใช้ชื่ออื่น"
ERROR_SAME_USERNAME = "ชื่อผู้ใช้ของผู้ดูแลระบบและนักวิเคราะห์นโยบายและแผนต้องไม่ซ้ำกัน"
ERROR_REQUIRED = "กรุณากรอก{label}"
ERROR_TOO_LONG = "ยาวเกิน {limit} ตัวอักษร"
ERROR_KIND = "กรุณาเลือกประเภทสำนักงาน: สพป. สพม. หรือหน่วยงานอื่น"
#: The standard group each first login works in (``fixtures/standard_groups``).
ADMIN_GROUP_CODE = "director-office"
PLANNER_GROUP_CODE = "policy-planning"


def _has_history(model) -> bool:
    try:
        get_history_manager_for_model(model)
    except NotHistoricalModelError:
        return False
    return True


def rows_create(model, objs: list, *, user=None, reason: str = "") -> list:
    """Insert ``objs`` in batches, each with its "created" history row."""
    if not objs:
        return []
    if not _has_history(model):
        return model._default_manager.bulk_create(objs, batch_size=500)
    return bulk_create_with_history(
        objs,
        model,
        batch_size=500,
        default_user=user,
        default_change_reason=reason or None,
    )


def rows_update(model, objs: list, fields, *, user=None, reason: str = "") -> int:
    """Update ``fields`` of ``objs`` in batches, each with its "changed"
    history row; a versioned model's ``edit_version`` goes up by one, as a
    ``save()`` would, so a form opened before the write sees the conflict."""
    if not objs:
        return 0
    fields = set(fields)
    if issubclass(model, VersionedModel):
        for obj in objs:
            obj.edit_version = (obj.edit_version or 0) + 1
        fields.add("edit_version")
    if not _has_history(model):
        return model._default_manager.bulk_update(objs, sorted(fields), batch_size=100)
    # Small batches: bulk_update builds one CASE per field and batch, which
    # grows much slower than linearly with the batch size.
    return bulk_update_with_history(
        objs,
        model,
        sorted(fields),
        batch_size=100,
        default_user=user,
        default_change_reason=reason or None,
    )


def rows_delete(model, objs: list, *, user=None, reason: str = "") -> None:
    """Delete ``objs`` one by one so each writes its "deleted" history row
    with ``user`` (a ``QuerySet.delete()`` records no user); what they
    cascade to is deleted with them."""
    if not _has_history(model):  # link tables: nothing to record
        pks = [obj.pk for obj in objs]
        for start in range(0, len(pks), 500):
            model._default_manager.filter(pk__in=pks[start : start + 500]).delete()
        return
    for obj in objs:
        obj._history_user = user
        if reason:
            obj._change_reason = reason
        obj.delete()


def links_replace(model, name: str, wanted: dict) -> set:
    """Make the links ``name`` (a many-to-many field of ``model``) of each
    owner pk of ``wanted`` exactly ``wanted[pk]`` (target pks); returns the
    owners whose links changed. Only those owners' link rows are deleted
    and written again, in bulk: no ``m2m_changed`` signal, so the caller
    records the change with :func:`rows_links_changed`."""
    field = model._meta.get_field(name)
    through = field.remote_field.through
    owner, target = (
        f"{field.m2m_field_name()}_id",
        f"{field.m2m_reverse_field_name()}_id",
    )
    stored: dict = {pk: set() for pk in wanted}
    for owner_pk, target_pk in through.objects.filter(
        **{f"{owner}__in": list(wanted)}
    ).values_list(owner, target):
        stored[owner_pk].add(target_pk)
    changed = {pk for pk, pks in wanted.items() if set(pks) != stored[pk]}
    if changed:
        rows_delete(through, list(through.objects.filter(**{f"{owner}__in": changed})))
        rows_create(
            through,
            [
                through(**{owner: pk, target: target_pk})
                for pk in sorted(changed)
                for target_pk in sorted(wanted[pk])
            ],
        )
    return changed


def rows_links_changed(model, objs: list, *, user=None, reason: str = "") -> None:
    """A "changed" history row of each of ``objs`` whose many-to-many links
    a bulk write (:func:`links_replace`) changed, with the snapshot of every
    tracked link field, as simple-history's own ``m2m_changed`` handler
    writes for ``add``/``set``. Link rows written in bulk send no signal: left
    alone, the change would show on no history page, and the network's
    roll-up, which learns of changes from history rows only, would keep an
    office's old figures (``network.services.CHANGE_SOURCES``)."""
    if not objs or not _has_history(model):
        return
    records = get_history_manager_for_model(model).bulk_history_create(
        objs,
        batch_size=500,
        update=True,
        default_user=user,
        default_change_reason=reason or None,
    )
    if not records:  # history switched off (SIMPLE_HISTORY_ENABLED)
        return
    record_of = {record.id: record for record in records}
    history_model = type(records[0])
    for field in history_model._history_m2m_fields:
        m2m_history = getattr(history_model, field.name).model
        through = field.remote_field.through
        owner = field.m2m_field_name()
        target = field.m2m_reverse_field_name()
        m2m_history.objects.bulk_create(
            (
                m2m_history(
                    history=record_of[row[1]],
                    **{"id": row[0], f"{owner}_id": row[1], f"{target}_id": row[2]},
                )
                for row in through.objects.filter(
                    **{f"{owner}_id__in": list(record_of)}
                ).values_list("id", f"{owner}_id", f"{target}_id")
            ),
            batch_size=500,
        )


@transaction.atomic
def organization_add_standard_groups(*, organization: Organization) -> int:
    """Give ``organization`` every standard group it lacks; returns how many.

    Idempotent: groups already linked to a standard group are left alone;
    retired standard groups are not added.
    """
    have = set(
        OfficeGroup.objects.filter(organization=organization).values_list(
            "standard_id", flat=True
        )
    )
    created = [
        OfficeGroup(
            organization=organization,
            standard=standard,
            name=standard.name,
            short_name=standard.short_name,
            order=standard.order,
        )
        for standard in StandardGroup.objects.filter(is_active=True).exclude(
            pk__in=have
        )
    ]
    rows_create(OfficeGroup, created)
    return len(created)


def login_sync_admin_access(*, user) -> bool:
    """Let ``user`` into the admin screens exactly when a role of theirs works
    there (``Role.ADMIN_SCREENS``); returns the new ``is_staff``.

    An office admin gives roles, never the flag itself: the flag follows the
    roles, so it cannot be used to open the admin to a login without one.
    Superusers keep whatever a superuser set.
    """
    if user.is_superuser:
        return user.is_staff
    staff = user.groups.filter(name__in=Role.ADMIN_SCREENS).exists()
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])
    return staff


@dataclass
class OfficeCreated:
    """What :func:`office_create` made; a generated password is shown once."""

    organization: Organization
    groups: int
    admin: Person
    planner: Person
    #: Only the passwords generated here (``None`` when the caller gave one).
    admin_password: str | None
    planner_password: str | None


def generate_password() -> str:
    """Twelve letters and digits: typed once by hand, then changed."""
    return secrets.token_urlsafe(9)


def _check_office_create(
    *, name, short_name, kind, admin_username, planner_username, passwords
) -> None:
    """Every reason to refuse, by field, in Thai, before anything is written."""
    User = get_user_model()
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    required = {
        "name": ("ชื่อเต็มของสำนักงาน", name),
        "short_name": ("ชื่อย่อของสำนักงาน", short_name),
        "admin_username": ("ชื่อผู้ใช้ของผู้ดูแลระบบ", admin_username),
        "planner_username": ("ชื่อผู้ใช้ของนักวิเคราะห์นโยบายและแผน", planner_username),
    }
    for field, (label, value) in required.items():
        if not value:
            add(field, ERROR_REQUIRED.format(label=label))
    for field, value in (("name", name), ("short_name", short_name)):
        limit = Organization._meta.get_field(field).max_length
        if len(value) > limit:
            add(field, ERROR_TOO_LONG.format(limit=limit))
    if kind not in Organization.Kind.values:
        add("kind", ERROR_KIND)
    if name and Organization.objects.filter(name=name).exists():
        add("name", ERROR_OFFICE_NAME_TAKEN.format(name=name))
    if short_name and Organization.objects.filter(short_name=short_name).exists():
        add("short_name", ERROR_OFFICE_SHORT_NAME_TAKEN.format(name=short_name))
    for field, username in (
        ("admin_username", admin_username),
        ("planner_username", planner_username),
    ):
        if username:
            try:
                User._meta.get_field("username").run_validators(username)
            except ValidationError as error:
                for message in error.messages:
                    add(field, message)
            if User.objects.filter(username__iexact=username).exists():
                add(field, ERROR_USERNAME_TAKEN.format(name=username))
    if admin_username and admin_username.lower() == (planner_username or "").lower():
        add("planner_username", ERROR_SAME_USERNAME)
    for field, (username, password) in passwords.items():
        if password:
            try:
                validate_password(password, User(username=username or ""))
            except ValidationError as error:
                for message in error.messages:
                    add(field, message)
    if errors:
        raise ValidationError(errors)


def _first_login(
    organization, *, username, password, role, first_name, position, group_code
) -> Person:
    user = get_user_model().objects.create_user(username=username, password=password)
    user.groups.set([Group.objects.get(name=role)])
    login_sync_admin_access(user=user)
    group = OfficeGroup.objects.filter(
        organization=organization, standard__code=group_code
    ).first()
    return Person.objects.create(
        organization=organization,
        user=user,
        first_name=first_name,
        position=position,
        group=group,
    )


@transaction.atomic
def office_create(
    *,
    name: str,
    short_name: str,
    kind: str = Organization.Kind.PRIMARY,
    address: str = "",
    admin_username: str,
    planner_username: str,
    admin_password: str | None = None,
    planner_password: str | None = None,
    admin_name: str = "",
    planner_name: str = "",
) -> OfficeCreated:
    """A new office with its standard groups and its first two logins.

    A real install has nobody to give roles yet: this makes the office's
    own administrator (role ผู้ดูแลระบบ, who adds the other logins) and a
    planner (นโยบายและแผน, who enters the plan), each a person of the office
    so that every rule (``core.rules.organization_of``) finds their office.
    A password left empty is generated and returned once. Raises a
    ``ValidationError`` by field, in Thai, and writes nothing, for a name or
    short name another office has, a login name that is taken or a weak
    password. ``manage.py create_office`` and the first-run page
    (``core:setup_office``) both come here.
    """
    name, short_name = (name or "").strip(), (short_name or "").strip()
    admin_username = (admin_username or "").strip()
    planner_username = (planner_username or "").strip()
    _check_office_create(
        name=name,
        short_name=short_name,
        kind=kind,
        admin_username=admin_username,
        planner_username=planner_username,
        passwords={
            "admin_password": (admin_username, admin_password),
            "planner_password": (planner_username, planner_password),
        },
    )
    organization = Organization.objects.create(
        name=name, short_name=short_name, kind=kind, address=address or ""
    )
    groups = organization_add_standard_groups(organization=organization)
    # The role groups exist after migrate; a database restored without them
    # (or a test database) gets them here.
    if Group.objects.filter(name__in=[Role.ADMIN, Role.PLANNER]).count() < 2:
        sync_roles()
    generated_admin = None if admin_password else generate_password()
    generated_planner = None if planner_password else generate_password()
    admin = _first_login(
        organization,
        username=admin_username,
        password=admin_password or generated_admin,
        role=Role.ADMIN,
        first_name=(admin_name or "").strip() or "ผู้ดูแลระบบ",
        position="ผู้ดูแลระบบของสำนักงาน",
        group_code=ADMIN_GROUP_CODE,
    )
    planner = _first_login(
        organization,
        username=planner_username,
        password=planner_password or generated_planner,
        role=Role.PLANNER,
        first_name=(planner_name or "").strip() or "นักวิเคราะห์นโยบายและแผน",
        position="นักวิเคราะห์นโยบายและแผน",
        group_code=PLANNER_GROUP_CODE,
    )
    return OfficeCreated(
        organization=organization,
        groups=groups,
        admin=admin,
        planner=planner,
        admin_password=generated_admin,
        planner_password=generated_planner,
    )


# ------------------------------------------------------------------ the office


def require_office_manager(user, *organizations, what: str) -> None:
    """Who may change an office's own rows (its groups, staff, heads and the
    office record): its admins and planners (``core.rules``), for the office
    the row had and the one it gets. ``None`` is a shared row or a new
    office: superusers only."""
    for organization in organizations:
        if organization is None:
            if not getattr(user, "is_superuser", False):
                raise PermissionDenied(ERROR_SUPERUSER_ONLY.format(what=what))
        elif not can_manage_office(user, organization):
            raise PermissionDenied(ERROR_NOT_OFFICE_MANAGER.format(what=what))


def _stored_office(obj, path: str):
    """The office ``obj`` belongs to as stored (``None`` for a new row)."""
    if obj.pk is None:
        return ()
    return type(obj)._default_manager.filter(pk=obj.pk).values_list(path, flat=True)[:1]


def _write(obj, user, *, offices, what: str):
    require_office_manager(user, *offices, what=what)
    obj.full_clean()
    obj._history_user = user
    obj.save()
    return obj


def _remove(obj, user, *, offices, what: str) -> None:
    require_office_manager(user, *offices, what=what)
    obj._history_user = user
    obj.delete()


@transaction.atomic
def organization_save(*, organization: Organization, user) -> Organization:
    """The office record: a new office is the host's (superusers; a real
    install uses :func:`office_create`), an existing one its own managers'."""
    return _write(
        organization,
        user,
        offices=[organization.pk],
        what="ข้อมูลสำนักงาน",
    )


@transaction.atomic
def organization_delete(*, organization: Organization, user) -> None:
    _remove(organization, user, offices=[None], what="การลบสำนักงาน")


@transaction.atomic
def office_group_save(*, group: OfficeGroup, user) -> OfficeGroup:
    """A group of the office (and of the office it had)."""
    offices = [*_stored_office(group, "organization_id"), group.organization_id]
    return _write(group, user, offices=offices, what="กลุ่มของสำนักงาน")


@transaction.atomic
def office_group_delete(*, group: OfficeGroup, user) -> None:
    _remove(group, user, offices=[group.organization_id], what="กลุ่มของสำนักงาน")


@transaction.atomic
def person_save(*, person: Person, user) -> Person:
    """A staff record: the model's checks (its group is of its office)."""
    offices = [*_stored_office(person, "organization_id"), person.organization_id]
    return _write(person, user, offices=offices, what="ข้อมูลบุคลากร")


@transaction.atomic
def person_delete(*, person: Person, user) -> None:
    _remove(person, user, offices=[person.organization_id], what="ข้อมูลบุคลากร")


@transaction.atomic
def group_head_save(*, assignment: GroupHeadAssignment, user) -> GroupHeadAssignment:
    """Who heads a group (the model checks the person is of its office):
    the heads decide who may edit a group's projects, so only the office's
    managers name them."""
    offices = [
        *_stored_office(assignment, "group__organization_id"),
        assignment.group.organization_id,
    ]
    return _write(assignment, user, offices=offices, what="ผู้อำนวยการกลุ่ม")


@transaction.atomic
def group_head_delete(*, assignment: GroupHeadAssignment, user) -> None:
    _remove(
        assignment,
        user,
        offices=[assignment.group.organization_id],
        what="ผู้อำนวยการกลุ่ม",
    )


@transaction.atomic
def standard_group_save(*, group: StandardGroup, user) -> StandardGroup:
    """Shared reference data (``core.reference``): superusers only."""
    return _write(group, user, offices=[None], what="กลุ่มมาตรฐาน")


@transaction.atomic
def standard_group_delete(*, group: StandardGroup, user) -> None:
    _remove(group, user, offices=[None], what="กลุ่มมาตรฐาน")


# ------------------------------------------------------------------ task records
#
# Background tasks other than documents (the workbook import's check and
# confirm, a round's reminders) run in a worker of Django's Tasks API and
# write their progress record (TaskRecord) through these functions only: the
# waiting page polls it, the task admin lists it, and a failure is kept there
# in Thai after one retry, like a document render's (reports.services).

logger = logging.getLogger(__name__)

#: A task is tried this many times before its error is kept for the user.
TASK_ATTEMPTS = 2
ERROR_TASK_FAILED = (
    "{what}ไม่สำเร็จ ระบบลองแล้ว {attempts} ครั้ง ({reason}) "
    "ไม่มีข้อมูลใดถูกบันทึก กรุณาลองใหม่อีกครั้ง หากยังไม่สำเร็จโปรดแจ้งผู้ดูแลระบบ"
)
ERROR_TASK_QUEUE_DOWN = (
    "{what}ไม่สำเร็จ ระบบคิวงานเบื้องหลังไม่ตอบสนอง "
    "กรุณาลองใหม่ในอีกสักครู่ หากยังไม่สำเร็จโปรดแจ้งผู้ดูแลระบบ"
)


def task_record_create(
    *, kind: str, organization_id: int, title: str = "", user=None, key=None
) -> tuple[TaskRecord, bool]:
    """A new record, queued; with ``key`` the existing one when there is one
    (True in the pair when it was created): a task that must run once (a
    round's reminders of a day) asks by its key."""
    values = {
        "kind": kind,
        "organization_id": organization_id,
        "title": title[:255],
        "user": user if getattr(user, "pk", None) else None,
    }
    if key is None:
        return TaskRecord.objects.create(**values), True
    try:
        return TaskRecord.objects.get_or_create(key=key, defaults=values)
    except IntegrityError:  # another process created it first
        return TaskRecord.objects.get(key=key), False


def task_record_enqueue(*, record: TaskRecord, task, args: tuple) -> TaskRecord:
    """Enqueue ``task(*args)`` for ``record``; a queue that is down (Redis
    stopped) fails the record with a Thai message instead of an error page.

    Not atomic on purpose: the record is committed before the task is
    enqueued, so a worker (another process) always finds it."""
    try:
        result = task.enqueue(*args)
    except Exception:
        logger.exception("cannot enqueue %s for task record %s", task, record.pk)
        TaskRecord.objects.filter(pk=record.pk).update(
            state=TaskRecord.State.FAILED,
            error=ERROR_TASK_QUEUE_DOWN.format(what=record.get_kind_display()),
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    else:  # unless a worker (or the immediate backend) has set it already
        TaskRecord.objects.filter(pk=record.pk, task_id="").update(
            task_id=str(result.id)
        )
    record.refresh_from_db()
    return record


ERROR_TASK_STALE = (
    "{what}หยุดกลางคัน ระบบงานเบื้องหลังไม่มีความคืบหน้าเป็นเวลานาน "
    "(เครื่องที่ทำงานอาจหยุดทำงาน){detail} กรุณาลองใหม่ "
    "หากยังไม่สำเร็จโปรดแจ้งผู้ดูแลระบบ"
)
#: What a dead task of each kind left behind, told with its error.
STALE_DETAIL = {
    TaskRecord.Kind.IMPORT_CHECK: " ไม่มีข้อมูลใดถูกบันทึก",
    TaskRecord.Kind.IMPORT_CONFIRM: " ไม่มีข้อมูลใดถูกบันทึก",
    TaskRecord.Kind.REMINDERS: " กลุ่มที่ได้รับอีเมลแล้วจะไม่ได้รับซ้ำเมื่อส่งใหม่",
}


class TaskAbandoned(Exception):
    """The task's record is no longer running (taken for dead and failed, see
    :class:`core.models.Heartbeat`): the worker stops rather than finish a
    task the user was told to start again."""


def task_record_started(*, record_id: int, task_id: str) -> TaskRecord | None:
    """A worker took the task: one more attempt, nothing done yet. ``None``
    when the record is not queued any more: it was taken for dead while it
    waited (the user may have started another) or another worker has it, so
    this run must not do the work a second time."""
    started = TaskRecord.objects.filter(
        pk=record_id, state=TaskRecord.State.QUEUED
    ).update(
        state=TaskRecord.State.RUNNING,
        attempts=F("attempts") + 1,
        rows_done=0,
        error="",
        task_id=task_id,
        updated_at=timezone.now(),
    )
    if not started:
        return None
    return TaskRecord.objects.get(pk=record_id)


def _beat(record: TaskRecord, **values) -> None:
    """Write ``values`` on a running record (the heartbeat moves with them);
    :class:`TaskAbandoned` when it is not running any more."""
    values["updated_at"] = timezone.now()
    moved = TaskRecord.objects.filter(
        pk=record.pk, state=TaskRecord.State.RUNNING
    ).update(**values)
    if not moved:
        raise TaskAbandoned(record.pk)
    for name, value in values.items():
        setattr(record, name, value)


def task_record_progress(*, record: TaskRecord, done: int, total: int) -> None:
    """Rows done of rows total (also the heartbeat of a live task)."""
    _beat(record, rows_done=done, rows_total=total)


def task_record_note(*, record: TaskRecord, done: int, **result) -> None:
    """Keep ``result`` on the record while the task runs (what a retry must
    not do again, e.g. the groups a reminder already reached) with the rows
    done; written at once, outside any transaction of the task, so it stays
    when the task fails or its worker dies right after."""
    _beat(record, rows_done=done, result={**record.result, **result})


def task_record_done(*, record: TaskRecord, result: dict | None = None) -> None:
    record.state = TaskRecord.State.DONE
    record.rows_done = record.rows_total
    record.result = result or {}
    record.finished_at = timezone.now()
    record.save()


def task_record_failed(*, record: TaskRecord, error: BaseException) -> bool:
    """Record a failed attempt; True when the task should run once more."""
    if record.attempts < TASK_ATTEMPTS:
        record.state = TaskRecord.State.QUEUED
        record.save(update_fields=["state", "updated_at"])
        return True
    record.state = TaskRecord.State.FAILED
    record.error = ERROR_TASK_FAILED.format(
        what=record.get_kind_display(),
        attempts=record.attempts,
        reason=type(error).__name__,
    )
    record.finished_at = timezone.now()
    record.save()
    return False


def task_run(*, context, task, record_id: int, args: tuple, work) -> dict | None:
    """Run ``work(record)`` for the task ``task`` of ``record_id``: the
    record is started, then done with what ``work`` returns; on an error the
    task is enqueued once more, and after that the error is kept in Thai and
    raised (the Tasks API marks the task failed). A record that is not
    queued (taken for dead meanwhile) runs nothing; one taken for dead while
    the work runs stops it at its next heartbeat, its transaction undone."""
    record = task_record_started(
        record_id=record_id, task_id=str(context.task_result.id)
    )
    if record is None:
        logger.warning("task record %s is not queued: not run again", record_id)
        return None
    try:
        result = work(record)
    except TaskAbandoned:
        logger.warning("task record %s was taken for dead: stopped", record.pk)
        return None
    except Exception as error:
        logger.exception("task record %s (%s) failed", record.pk, record.kind)
        if not TaskRecord.objects.filter(
            pk=record.pk, state=TaskRecord.State.RUNNING
        ).exists():  # given up meanwhile: no retry behind the user's back
            return None
        if task_record_failed(record=record, error=error):
            task.enqueue(*args)
            return None
        raise
    task_record_done(record=record, result=result)
    return result


def _expire(records) -> int:
    """Fail the stale ones of ``records`` (:class:`core.models.Heartbeat`)
    with the Thai error of their kind; returns how many."""
    expired = 0
    for kind, detail in STALE_DETAIL.items():
        expired += records.filter(TaskRecord.stale_q(), kind=kind).update(
            state=TaskRecord.State.FAILED,
            error=ERROR_TASK_STALE.format(
                what=TaskRecord.Kind(kind).label, detail=detail
            ),
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    return expired


def task_record_expire(*, record: TaskRecord) -> TaskRecord:
    """``record`` failed if it is stale (its worker died), as it is
    otherwise; the waiting page asks before it shows the record. Only a
    record still stale in the database is written, so a beat that came
    meanwhile wins."""
    if record.stale and _expire(TaskRecord.objects.filter(pk=record.pk)):
        record.refresh_from_db()
    return record


def task_records_expire() -> int:
    """Fail every stale record (the scheduled command): a dead task's record
    stops saying it runs even when nobody opens its page."""
    return _expire(TaskRecord.objects.all())


def task_records_prune(*, days: int, now=None) -> int:
    """Delete task records created more than ``days`` ago (the scheduled
    command; a task still running after so long is dead); returns how many."""
    oldest = (now or timezone.now()) - datetime.timedelta(days=days)
    deleted, _ = TaskRecord.objects.filter(created_at__lt=oldest).delete()
    return deleted
