"""No lost updates: optimistic locking with an edit version counter.

A versioned model (:class:`VersionedModel`) bumps ``edit_version`` on every
save. Edit forms carry the version they were opened at in a hidden field
(:class:`VersionedFormMixin`); on save the version is checked with a
conditional ``UPDATE … WHERE edit_version = n`` inside the saving
transaction, which also holds the row until the save is done. A stale form
is refused with :data:`ERROR_EDIT_CONFLICT`, listing what changed since
(from the audit history), and the user's input stays in the form.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from core.history import record_changes

ERROR_EDIT_CONFLICT = (
    "มีผู้อื่นบันทึก{label}นี้หลังจากที่ท่านเปิดหน้าแก้ไข ระบบจึงยังไม่บันทึกข้อมูลของท่าน "
    "(ข้อมูลที่ท่านพิมพ์ยังอยู่ในหน้านี้ครบ) สิ่งที่เปลี่ยนไป: {changes} "
    "โปรดตรวจสอบ แล้วกดบันทึกอีกครั้งถ้าต้องการบันทึกทับ"
)
NO_DETAIL = "ไม่มีรายละเอียดในประวัติ"


class VersionedModel(models.Model):
    """Abstract base: an ``edit_version`` counter bumped by every save."""

    edit_version = models.PositiveIntegerField(
        "รุ่นการแก้ไข",
        default=0,
        editable=False,
        help_text="เพิ่มขึ้นทุกครั้งที่บันทึก ใช้กันการบันทึกทับกัน",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.edit_version = (self.edit_version or 0) + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "edit_version"}
        super().save(*args, **kwargs)


class EditConflict(ValidationError):
    """The object was saved by someone else after the form was opened."""

    def __init__(self, message: str, *, current_version: int):
        super().__init__(message, code="edit_conflict")
        self.current_version = current_version


def changes_since(instance: VersionedModel, version: int) -> str:
    """ "ชื่อโครงการ: “ค่าใหม่”; …" – fields changed after ``version``.

    Note: two or three queries (the history rows, and related names).
    """
    history = instance.history.all()
    latest = history.first()
    if version < 0:  # opened before the object existed: since its creation
        base = history.last()
    else:
        base = history.filter(edit_version__lte=version).first()
    if latest is None or base is None or latest.pk == base.pk:
        return NO_DETAIL
    changes = record_changes(latest, base, fk_labels=_fk_labels(latest, base))
    who = latest.history_user
    parts = [f"{change.label}: “{change.new}”" for change in changes]
    text = "; ".join(parts) or NO_DETAIL
    if who is not None:
        name = getattr(getattr(who, "person", None), "full_name", None) or who
        text = f"{text} (บันทึกโดย {name})"
    return text


def _fk_labels(*records) -> dict:
    labels: dict = {}
    opts = records[0].instance_type._meta
    for model_field in opts.concrete_fields:
        if not model_field.is_relation:
            continue
        ids = {getattr(r, model_field.attname) for r in records} - {None}
        if not ids:
            continue
        related = model_field.related_model
        labels[related] = {
            obj.pk: str(obj) for obj in related._base_manager.filter(pk__in=ids)
        }
    return labels


def check_edit_version(instance: VersionedModel, expected: int | None) -> None:
    """Refuse with :class:`EditConflict` when ``instance`` moved past ``expected``.

    Runs ``UPDATE … SET edit_version = n WHERE pk = … AND edit_version = n``:
    it matches only if nobody saved since, and (in the caller's transaction)
    holds the row until the caller's own save bumps the version.
    """
    if expected is None or instance.pk is None:
        return
    model = type(instance)
    matched = model._base_manager.filter(pk=instance.pk, edit_version=expected).update(
        edit_version=expected
    )
    if matched:
        return
    current = (
        model._base_manager.filter(pk=instance.pk)
        .values_list("edit_version", flat=True)
        .first()
    )
    message = ERROR_EDIT_CONFLICT.format(
        label=model._meta.verbose_name, changes=changes_since(instance, expected)
    )
    raise EditConflict(message, current_version=current or 0)


class VersionedModelForm(forms.ModelForm):
    """Base ModelForm for a :class:`VersionedModel`: carries and checks the version.

    ``opened_version`` (hidden) holds the version the form was opened at; list
    it in the admin ``fieldsets``/inline ``fields`` so it is rendered. It is
    optional so scripted posts without it still save (they have no
    opened-at version to protect).
    """

    opened_version = forms.IntegerField(
        label="ฉบับที่เปิดแก้ไข", widget=forms.HiddenInput, required=False
    )
    # A read-only admin page names a form-only field by this, or else by its
    # Python name ("Opened version").
    opened_version.short_description = opened_version.label

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.edit_version

    def clean(self):
        cleaned = super().clean()
        try:
            check_edit_version(self.instance, cleaned.get("opened_version"))
        except EditConflict as conflict:
            # Re-show the form at the current version: a second save,
            # after reading the message, deliberately overwrites.
            self.data = self.data.copy()
            self.data[self.add_prefix("opened_version")] = conflict.current_version
            raise
        return cleaned
