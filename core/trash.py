"""Soft delete: a deleted project or progress report goes to the trash
(:class:`core.models.DeletedObject`) with every child row, and a planner can
restore it with the same primary keys.

Deleting:
1. Collect the object and everything that cascades from it (Django's
   ``Collector``, the same walk ``delete()`` does); protected rows such as
   disbursements stop it with :data:`ERROR_PROTECTED`.
2. Serialize the rows with ``django.core.serializers`` (many-to-many links
   travel inside their object) into one ``DeletedObject``.
3. Really delete. The audit history keeps a "ลบ" row for each object.

Restoring recreates every row in one transaction and checks the foreign keys
before committing; any clash (a row with the same key exists again, a parent
such as the plan or a strategy is gone, a unique code was reused) refuses
with :data:`ERROR_RESTORE_CONFLICT` and changes nothing.
"""

import json
from collections import Counter

from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.base import DeserializationError
from django.db import IntegrityError, connection, models, router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone

from core import rules
from core.models import DeletedObject

ERROR_PROTECTED = (
    "ลบ{label} “{name}” ไม่ได้ เพราะมีข้อมูลที่ต้องเก็บไว้เป็นหลักฐาน: {items} "
    "(เช่น การเบิกจ่ายที่บันทึกแล้ว) กรุณาตรวจสอบกับการเงินก่อน"
)
ERROR_RESTORE_CONFLICT = "กู้คืน “{label}” ไม่ได้ เพราะ{detail} ระบบไม่ได้เปลี่ยนแปลงข้อมูลใด ๆ"
DETAIL_EXISTS = "มีข้อมูลเดียวกันอยู่ในระบบแล้ว ({items}) อาจกู้คืนไปแล้วหรือสร้างใหม่ทับ"
DETAIL_MISSING_PARENT = (
    "ข้อมูลที่รายการนี้อ้างถึงถูกลบไปแล้ว หรือรหัสซ้ำกับข้อมูลใหม่ (เช่น แผน กลยุทธ์ กิจกรรม หรือรหัสโครงการ)"
)
ERROR_ALREADY_RESTORED = "รายการนี้กู้คืนไปแล้ว"
ERROR_NOT_ALLOWED_DELETE = "ท่านไม่มีสิทธิ์ลบรายการของสำนักงานอื่น"
ERROR_NOT_ALLOWED_RESTORE = "เฉพาะนักวิเคราะห์นโยบายและแผนของสำนักงานเท่านั้นที่กู้คืนจากถังขยะได้"
RESTORED_REASON = "กู้คืนจากถังขยะ"
DELETED_REASON = "ย้ายไปถังขยะ"


def _organization_of(obj):
    """The office owning a project or a progress report. Note: may query."""
    if obj._meta.label == "projects.Project":
        return obj.plan.organization
    return obj.round.organization


def _kind_of(obj) -> str:
    if obj._meta.label == "projects.Project":
        return DeletedObject.Kind.PROJECT
    return DeletedObject.Kind.PROGRESS_REPORT


def _collect(obj) -> list:
    """``obj`` and every row its delete would remove, parents first."""
    using = router.db_for_write(type(obj))
    collector = Collector(using=using)
    collector.collect([obj])
    rows = []
    for instances in collector.data.values():
        rows.extend(instances)
    for queryset in collector.fast_deletes:
        # Auto-created many-to-many rows travel inside their object.
        if not queryset.model._meta.auto_created:
            rows.extend(queryset)
    # Parents before children, so a plain reading of the trash makes sense;
    # the restore itself relies on deferred foreign key checks.
    rows.sort(key=lambda row: (row._meta.label != obj._meta.label,))
    return rows


def _describe(instances) -> str:
    counts = Counter(str(item._meta.verbose_name) for item in instances)
    return ", ".join(f"{name} {count} รายการ" for name, count in counts.items())


def trash_rows(obj) -> list:
    """The rows deleting ``obj`` would remove; ``ValidationError`` (Thai) when
    protected rows (disbursements) forbid the delete."""
    try:
        return _collect(obj)
    except (ProtectedError, RestrictedError) as error:
        protected = getattr(error, "protected_objects", None) or getattr(
            error, "restricted_objects", ()
        )
        message = ERROR_PROTECTED.format(
            label=obj._meta.verbose_name, name=obj, items=_describe(protected)
        )
        raise ValidationError(message, code="protected") from error


@transaction.atomic
def trash_delete(*, obj, user) -> DeletedObject:
    """Move a project or a progress report, with all its rows, to the trash."""
    organization = _organization_of(obj)
    if not rules.belongs_to(user, organization):
        raise PermissionDenied(ERROR_NOT_ALLOWED_DELETE)
    rows = trash_rows(obj)
    data = json.loads(serializers.serialize("json", rows))
    entry = DeletedObject.objects.create(
        kind=_kind_of(obj),
        organization=organization,
        object_id=obj.pk,
        label=str(obj)[:600],
        data=data,
        row_count=len(data),
        deleted_by=user if getattr(user, "is_authenticated", False) else None,
    )
    obj._change_reason = DELETED_REASON
    obj.delete()
    return entry


def _existing(objects) -> list:
    """Deserialized rows whose primary key is taken again (one query per model)."""
    by_model: dict = {}
    for item in objects:
        by_model.setdefault(type(item.object), []).append(item.object.pk)
    taken = []
    for model, pks in by_model.items():
        taken.extend(model._base_manager.filter(pk__in=pks))
    return taken


def _tables(objects) -> list[str]:
    """Tables the restore writes: the models' and their many-to-many links."""
    tables = set()
    for model in {type(item.object) for item in objects}:
        tables.add(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            tables.add(field.remote_field.through._meta.db_table)
    return sorted(tables)


def _record_history(objects, user) -> None:
    """A "สร้าง" history row (with its many-to-many links) for each restored
    object, reason กู้คืนจากถังขยะ.

    The rows were saved raw with history switched off, so the history shows
    one clean "restored" step instead of a row per link.
    """
    who = user if getattr(user, "is_authenticated", False) else None
    for item in objects:
        instance = item.object
        del instance.skip_history_when_saving
        if getattr(type(instance), "history", None) is None:
            continue
        instance._change_reason = RESTORED_REASON
        instance._history_user = who
        models.signals.post_save.send(
            sender=type(instance), instance=instance, created=True, raw=False
        )


@transaction.atomic
def trash_restore(*, entry: DeletedObject, user):
    """Recreate everything in ``entry`` with the same keys; all or nothing."""
    if not rules.can_manage_office(user, entry.organization_id):
        raise PermissionDenied(ERROR_NOT_ALLOWED_RESTORE)
    entry = DeletedObject.objects.select_for_update().get(pk=entry.pk)
    if entry.is_restored:
        raise ValidationError(ERROR_ALREADY_RESTORED, code="restored")

    def refuse(detail: str, error=None):
        raise ValidationError(
            ERROR_RESTORE_CONFLICT.format(label=entry.label, detail=detail),
            code="conflict",
        ) from error

    try:
        objects = list(serializers.deserialize("json", json.dumps(entry.data)))
    except DeserializationError as error:
        refuse(DETAIL_MISSING_PARENT, error)
    taken = _existing(objects)
    if taken:
        refuse(DETAIL_EXISTS.format(items=_describe(taken)))
    tables = _tables(objects)
    try:
        with transaction.atomic():
            for item in objects:
                item.object.skip_history_when_saving = True
                item.save()
            # Foreign keys are deferred to commit; check them now so a
            # missing parent is refused here with a message, not at commit.
            connection.check_constraints(table_names=tables)
    except IntegrityError as error:
        refuse(DETAIL_MISSING_PARENT, error)
    _record_history(objects, user)
    entry.restored_at = timezone.now()
    entry.restored_by = user
    entry.save(update_fields=["restored_at", "restored_by"])
    return objects[0].object if objects else None


class TrashAdminMixin:
    """ModelAdmin mixin: deleting moves the object to the trash.

    Deletes still need the admin's delete permission; protected objects are
    refused with the Thai message before the confirmation page.
    """

    def delete_view(self, request, object_id, extra_context=None):
        from django.contrib import messages
        from django.contrib.admin.utils import unquote
        from django.shortcuts import redirect

        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.has_delete_permission(request, obj):
            try:
                trash_rows(obj)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                opts = self.model._meta
                return redirect(
                    f"admin:{opts.app_label}_{opts.model_name}_change", obj.pk
                )
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        trash_delete(obj=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        from django.contrib import messages

        for obj in queryset:
            try:
                with transaction.atomic():
                    trash_delete(obj=obj, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(getattr(error, "messages", None) or [str(error)])
                self.message_user(request, text, messages.ERROR)
