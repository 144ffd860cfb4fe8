from axes.admin import AccessAttemptAdmin as BaseAccessAttemptAdmin
from axes.admin import AccessFailureLogAdmin as BaseAccessFailureLogAdmin
from axes.admin import AccessLogAdmin as BaseAccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import (
    AutocompleteSelect,
    AutocompleteSelectMultiple,
)
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    ReadOnlyPasswordHashField,
    ReadOnlyPasswordHashWidget,
    UserChangeForm,
)
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseNotAllowed
from django.utils import timezone
from django.utils.text import smart_split
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject as HistoryDeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from core import rules, thai
from core.admin_choices import OfficeChoicesAdminMixin, is_autocomplete
from core.forms import ThaiDateField, ThaiDateInput, ThaiDecimalField, ThaiDecimalInput
from core.models import (
    DeletedObject,
    GroupHeadAssignment,
    OfficeGroup,
    Organization,
    Person,
    StandardGroup,
)
from core.reference import ReferenceDataAdminMixin
from core.roles import Role
from core.selectors import (
    is_visible,
    office_id_of,
    office_path_of,
    shared_when_empty,
    visible_to,
)
from core.services import (
    group_head_delete,
    group_head_save,
    login_sync_admin_access,
    office_group_delete,
    office_group_save,
    organization_add_standard_groups,
    organization_delete,
    organization_save,
    person_delete,
    person_save,
    standard_group_delete,
    standard_group_save,
)
from core.trash import trash_restore


class ThaiDateAdminMixin:
    """Date fields in the admin show and accept Buddhist-era dates."""

    formfield_overrides = {
        models.DateField: {"form_class": ThaiDateField, "widget": ThaiDateInput},
    }


# ------------------------------------------------------------------ numbers


def is_money(db_field) -> bool:
    """Whether a decimal column holds baht (its label says so: "จำนวนเงิน
    (บาท)", "อัตรา (บาท)"), so that a refusal speaks of money."""
    label = str(getattr(db_field, "verbose_name", ""))
    return "บาท" in label or "เงิน" in label


class ThaiNumberAdminMixin:
    """Every decimal field of the admin reads numbers by the app's one parser
    (:func:`core.thai.parse_decimal`): "1,000,000" and "๑,๐๐๐,๐๐๐.-" are
    accepted as the import accepts them, in a text box (``type=number``
    refuses commas in the browser), and a refusal is the parser's Thai
    message with the typed text kept in the box.

    A method, not ``formfield_overrides``: a class's overrides dictionary
    replaces a mixin's (the Thai dates, the small text boxes of inlines).
    Every admin has it through :class:`BadInputAdminMixin`; the inlines that
    lack that mixin list it themselves (a test walks every admin and inline).
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DecimalField):
            kwargs.setdefault("form_class", ThaiDecimalField)
            if issubclass(kwargs["form_class"], ThaiDecimalField):
                kwargs.setdefault("widget", ThaiDecimalInput)
                kwargs.setdefault("money", is_money(db_field))
        return super().formfield_for_dbfield(db_field, request, **kwargs)


#: Words of a search that are looked up; the rest are ignored.
MAX_SEARCH_WORDS = 20


class _KnownIdsOnly:
    """Django's autocomplete widgets look the submitted values up with
    ``pk__in=[…]`` when a refused form is shown again; a value that is no id
    (" ", "1.5", "ก") raised ``ValueError`` there, a 500 instead of the
    form's Thai error. Only values the id field accepts are looked up."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        opts = remote.model._meta
        to_field = opts.get_field(getattr(remote, "field_name", opts.pk.attname))
        known = []
        for item in value:
            try:
                to_field.get_prep_value(item)
            except (TypeError, ValueError, ValidationError):
                continue
            known.append(item)
        return super().optgroups(name, known, attr)


class KnownIdsAutocompleteSelect(_KnownIdsOnly, AutocompleteSelect):
    pass


class KnownIdsAutocompleteSelectMultiple(_KnownIdsOnly, AutocompleteSelectMultiple):
    pass


class GetOnlyHistoryMixin:
    """The admin's history pages only read: anything but GET or HEAD is 405
    (they rendered for a POST too, and simple-history's saved it)."""

    def history_view(self, request, object_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return super().history_view(request, object_id, extra_context)


#: Django's names of the rows that only link two others (a project and its
#: indicators, a login and its roles): ``locale/th`` calls them all
#: "ความเชื่อมโยงระหว่างรายการ".
def _link_names() -> set[str]:
    return {
        str(model._meta.verbose_name)
        for model in apps.get_models(include_auto_created=True)
        if model._meta.auto_created
    }


def _without_links(items: list, names: set[str]) -> list:
    kept = []
    for item in items:
        if isinstance(item, list):
            kept.append(_without_links(item, names))
        elif not any(str(item).startswith(f"{name}: ") for name in names):
            kept.append(item)
    return kept


def _without_version(fields) -> list:
    return [
        _without_version(field) if isinstance(field, list | tuple) else field
        for field in fields
        if field != "opened_version"
    ]


class ReadOnlyWithoutVersionMixin:
    def get_fieldsets(self, request, obj=None):
        """A page the user may only read drops ``opened_version``, the hidden
        bookkeeping of an edit (core.locking): read-only, the admin showed it
        as a field of its own, "ฉบับที่เปิดแก้ไข: None"."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [
            (name, {**options, "fields": _without_version(options["fields"])})
            for name, options in fieldsets
        ]


class ThaiDeleteSummaryMixin:
    """The delete page lists what goes with the object. The rows that only
    link two objects have no name of their own and were listed as
    "Project_indicators object (1)", one line each (79 for a role); they
    stay counted in the summary and leave the list."""

    def get_deleted_objects(self, objs, request):
        to_delete, counts, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        return _without_links(to_delete, _link_names()), counts, perms_needed, protected


#: Django stores a permission's name in English when migrate creates it
#: ("Can add historical โครงการ", "Can view HistoricalProject_goals"); the
#: lists of permissions name it from its codename and model instead.
PERMISSION_ACTIONS = {"add": "เพิ่ม", "change": "แก้ไข", "delete": "ลบ", "view": "ดู"}


def _model_name(model) -> str:
    """The model's Thai name; simple-history's tables of a many-to-many
    field's past values ("HistoricalProject_goals") have none: they are the
    history of that field."""
    name = str(model._meta.verbose_name)
    if model.__name__.startswith("Historical") and "_" in model.__name__:
        base_name, _, field_name = model.__name__[10:].partition("_")
        base = apps.get_model(model._meta.app_label, base_name)
        field = base._meta.get_field(field_name)
        return f"ประวัติ{field.verbose_name}ของ{base._meta.verbose_name}"
    return name


def permission_label(permission) -> str:
    model = permission.content_type.model_class()
    action, _, _ = permission.codename.partition("_")
    if model is None or action not in PERMISSION_ACTIONS:
        return str(permission)
    app = model._meta.app_config.verbose_name
    return f"{app} | {_model_name(model)} | {PERMISSION_ACTIONS[action]}"


# The lists of permissions (a role's and a login's, editable or read-only)
# show each one by its ``str``.
Permission.__str__ = permission_label


class BadInputAdminMixin(
    ReadOnlyWithoutVersionMixin,
    ThaiDeleteSummaryMixin,
    ThaiNumberAdminMixin,
    GetOnlyHistoryMixin,
    OfficeChoicesAdminMixin,
):
    """Admin screens that survive bad input (found by the bad-input sweep):

    - ``autocomplete_fields`` whose widgets skip submitted values that are no
      id instead of failing to show the refused form again;
    - a search (also the autocomplete's ``?term=``) without NUL characters,
      which PostgreSQL refuses in text (the changelist's search form refuses
      them itself, the autocomplete view does not), and of at most
      :data:`MAX_SEARCH_WORDS` words: each word adds a condition, and a
      thousand of them made SQLite give up ("Expression tree is too large").

    Every admin has this mixin (a test checks), so it also brings
    :class:`~core.admin_choices.OfficeChoicesAdminMixin`: another office's ids
    are no valid choice and list filters name only the office's rows.
    """

    def get_search_results(self, request, queryset, search_term):
        words = list(smart_split(search_term.replace("\x00", "")))
        search_term = " ".join(words[:MAX_SEARCH_WORDS])
        return super().get_search_results(request, queryset, search_term)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = KnownIdsAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = KnownIdsAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class EmptyForeignKeyContextHelper(HistoricalRecordContextHelper):
    """simple-history 3.x reads an empty foreign key in the history list as a
    deleted row and prints "ที่ถูกลบ (pk=None)"; an office that had no
    parent (สังกัด) before its first move reads "–" instead, as on the app's
    own history pages (``core.history.display_value``)."""

    def prepare_delta_change_value(self, change, value):
        if isinstance(value, HistoryDeletedObject) and value.pk is None:
            return "–"
        return super().prepare_delta_change_value(change, value)


class ScopedHistoryAdmin(GetOnlyHistoryMixin, SimpleHistoryAdmin):
    """Audit-history pages that only read, and only what the list shows.

    simple-history's object history and "version" pages looked the object up
    in the history table itself, so anyone who could view the model read (and,
    through the version page's form, *saved*) another office's rows, skipping
    the change permission, office scoping, approval and round locks. Here:

    - the version page (``history/<history_id>/``) answers GET only; a POST is
      refused for everyone (405): reverting is not a way to write data, every
      write goes through the change page and its services;
    - both pages are 404 unless the object is in :meth:`get_queryset` for this
      request, the same office-scoped queryset as the changelist.

    Every admin with history pages uses this class (a test names any that
    does not).
    """

    def _ensure_visible(self, request, object_id) -> None:
        pk_name = self.model._meta.pk.attname
        try:
            visible = self.get_queryset(request).filter(**{pk_name: object_id}).exists()
        except (TypeError, ValueError, ValidationError):
            visible = False
        if not visible:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._ensure_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        self._ensure_visible(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return EmptyForeignKeyContextHelper(self.model, historical_record)

    def revert_disabled(self, request, obj=None):
        return True


class _DryRun(Exception):
    pass


def delete_refusals(objs, delete) -> list[str]:
    """Why deleting ``objs`` (one by one with ``delete``, a service) would be
    refused, found by doing it and rolling it all back.

    The admin's delete page and its "delete selected" action ask
    ``get_deleted_objects`` first and delete nothing while it reports a
    protected row; asking the service itself, in the order a real deletion
    runs, refuses exactly what the service would (the last round of an
    envelope, not each round alone) with its Thai message, instead of an
    error page half-way through the rows.
    """
    try:
        with transaction.atomic():
            for obj in objs:
                # A fresh copy: a deleted instance loses its primary key.
                delete(type(obj)._default_manager.get(pk=obj.pk))
            raise _DryRun
    except _DryRun:
        return []
    except (ValidationError, PermissionDenied, ProtectedError) as error:
        if isinstance(error, ValidationError):
            return list(error.messages)
        return [error.args[0] if error.args else str(error)]


def with_delete_refusals(found, objs, delete):
    """``get_deleted_objects``' answer with :func:`delete_refusals` added as
    protected rows, when Django itself found nothing in the way."""
    deleted, counts, perms_needed, protected = found
    if not protected and not perms_needed:
        protected = delete_refusals(objs, delete)
    return deleted, counts, perms_needed, protected


def save_rows(formset, *, save, delete) -> None:
    """An inline formset's rows through services, never ``formset.save()``:
    ``delete(row)`` for each row marked for deletion, then ``save(row)`` for
    each new or changed one (a service that refuses raises, and the admin's
    transaction undoes the page's earlier rows)."""
    rows = formset.save(commit=False)
    for row in formset.deleted_objects:
        delete(row)
    for row in rows:
        save(row)
    formset.save_m2m()


class OfficeGroupInline(OfficeChoicesAdminMixin, admin.TabularInline):
    model = OfficeGroup
    extra = 0
    fields = ["order", "name", "short_name", "standard", "is_active"]
    show_change_link = True


class OfficeScopedAdmin(BadInputAdminMixin):
    """The one office-scoping rule of every admin of an office-owned model.

    It was written six times (two classes named ``OfficeScopedAdmin``, one
    more in ``reports``, a mixin here and hand-written ``get_queryset``
    methods), each with its own idea of users without an office or of shared
    rows. Now every such admin names no rule at all: the model's
    ``office_path`` (``"project__plan__organization"``, see
    :mod:`core.selectors`) says how a row reaches its office, and this mixin
    applies :func:`core.selectors.visible_to` to

    - the admin's queryset, hence the changelist, change/delete pages,
      actions, the history pages (:class:`ScopedHistoryAdmin` looks there),
      the Excel export (:mod:`core.admin_export` exports the changelist) and
      the autocomplete results of fields that point at this model;
    - every foreign-key and many-to-many choice that points at an
      office-owned model (:class:`~core.admin_choices.OfficeChoicesAdminMixin`,
      inherited through :class:`BadInputAdminMixin`);
    - the object permissions: ``has_view/change/delete_permission(obj)`` is
      False for another office's row, and shared rows (no office) change only
      for superusers.

    An admin whose rows reach their office some other way (logins, through
    their person) sets ``office_path`` itself. Who of the office may *change*
    a row stays with each admin and its ``rules.py`` predicates.
    """

    #: The lookup from a row to its office; ``None``: the model's ``office_path``.
    office_path: str | None = None

    def get_office_path(self) -> str:
        return self.office_path or office_path_of(self.model)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return visible_to(queryset, request.user, self.get_office_path())

    def in_office(self, request, obj) -> bool:
        """True for no object, or a row this user may see."""
        return obj is None or is_visible(obj, request.user, self.get_office_path())

    def _shared_row(self, obj) -> bool:
        return (
            obj is not None
            and shared_when_empty(self.model)
            and office_id_of(obj, self.get_office_path()) is None
        )

    def has_view_permission(self, request, obj=None):
        return self.in_office(request, obj) and super().has_view_permission(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        if self._shared_row(obj) and not request.user.is_superuser:
            return False
        return self.in_office(request, obj) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        if self._shared_row(obj) and not request.user.is_superuser:
            return False
        return self.in_office(request, obj) and super().has_delete_permission(
            request, obj
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """An office field offers only the user's office (the choices mixin
        narrows it), is filled in with it and may not be left empty: only
        superusers add shared rows."""
        if db_field.related_model is Organization and not request.user.is_superuser:
            kwargs.setdefault("initial", rules.organization_of(request.user))
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Organization)
class OrganizationAdmin(OfficeScopedAdmin, ScopedHistoryAdmin):
    list_display = ["short_name", "name", "kind", "director"]
    list_filter = ["kind"]
    list_select_related = ["director"]
    search_fields = ["name", "short_name"]
    raw_id_fields = ["director"]
    inlines = [OfficeGroupInline]
    actions = ["add_standard_groups"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "kind", "director"]}),
        ("เครือข่าย", {"fields": ["parent"]}),
        (
            "ข้อมูลเพิ่มเติม",
            {
                "classes": ["collapse"],
                "fields": ["address", "phone", "email", "website"],
            },
        ),
    ]

    def has_add_permission(self, request):
        return request.user.is_superuser  # offices are set up by the host

    def get_readonly_fields(self, request, obj=None):
        """Only superusers build the network: an office's admin cannot leave
        its overseers (the parent is read-only for them)."""
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("parent")
        return fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        """An office's admin may still say primary or secondary, but cannot
        turn the office into a network node (it would drop out of its
        overseers' pages)."""
        if db_field.name == "kind" and not request.user.is_superuser:
            kwargs["choices"] = [
                choice
                for choice in Organization.Kind.choices
                if choice[0] not in Organization.NODE_KINDS
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_standard_groups_permission(self, request) -> bool:
        """Only who manages the office (its admin, or a superuser) gives it
        groups; the action used to run for anyone who could see the list."""
        user = request.user
        return self.has_change_permission(request) and (
            user.is_superuser
            or rules.can_manage_office(user, rules.organization_of(user))
        )

    @admin.action(
        description="เพิ่มกลุ่มมาตรฐานที่ยังไม่มี", permissions=["add_standard_groups"]
    )
    def add_standard_groups(self, request, queryset):
        added = sum(
            organization_add_standard_groups(organization=organization)
            for organization in queryset
        )
        self.message_user(request, f"เพิ่มกลุ่มแล้ว {added} กลุ่ม", messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        organization_save(organization=obj, user=request.user)

    def save_formset(self, request, form, formset, change):
        """The office's groups, each through ``office_group_save``."""
        save_rows(
            formset,
            save=lambda group: office_group_save(group=group, user=request.user),
            delete=lambda group: office_group_delete(group=group, user=request.user),
        )

    def delete_model(self, request, obj):
        organization_delete(organization=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for organization in queryset:
            self.delete_model(request, organization)


@admin.register(StandardGroup)
class StandardGroupAdmin(ReferenceDataAdminMixin, BadInputAdminMixin, admin.ModelAdmin):
    """Shared by every office: superusers only; retired, not deleted."""

    list_display = ["order", "name", "short_name", "code", "is_active"]
    list_display_links = ["name"]
    list_filter = ["is_active"]
    search_fields = ["name", "short_name", "code"]

    def save_model(self, request, obj, form, change):
        standard_group_save(group=obj, user=request.user)

    def delete_model(self, request, obj):
        standard_group_delete(group=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for group in queryset:
            self.delete_model(request, group)


class GroupHeadAssignmentInline(
    OfficeChoicesAdminMixin, ThaiDateAdminMixin, admin.TabularInline
):
    model = GroupHeadAssignment
    extra = 0
    raw_id_fields = ["person"]


@admin.register(OfficeGroup)
class OfficeGroupAdmin(OfficeScopedAdmin, ScopedHistoryAdmin):
    list_display = ["name", "short_name", "organization", "order", "is_active"]
    list_filter = ["organization", "is_active"]
    list_select_related = ["organization"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["organization"]
    inlines = [GroupHeadAssignmentInline]

    def save_model(self, request, obj, form, change):
        office_group_save(group=obj, user=request.user)

    def save_formset(self, request, form, formset, change):
        """The group's heads, each through ``group_head_save``."""
        save_rows(
            formset,
            save=lambda head: group_head_save(assignment=head, user=request.user),
            delete=lambda head: group_head_delete(assignment=head, user=request.user),
        )

    def delete_model(self, request, obj):
        office_group_delete(group=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for group in queryset:
            self.delete_model(request, group)


@admin.register(Person)
class PersonAdmin(OfficeScopedAdmin, ScopedHistoryAdmin):
    list_display = ["full_name", "position", "group", "organization", "user"]
    list_filter = ["organization", "group", "is_active"]
    list_select_related = ["group", "organization", "user"]
    search_fields = ["first_name", "last_name", "position"]
    autocomplete_fields = ["organization", "group", "user"]
    fieldsets = [
        (None, {"fields": ["organization", "title", "first_name", "last_name"]}),
        (None, {"fields": ["position", "group", "user", "is_active"]}),
        ("ข้อมูลเพิ่มเติม", {"classes": ["collapse"], "fields": ["email", "phone"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = linkable_logins(
                request.user, getattr(request, "_phaen_form_object", None)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="ชื่อ–นามสกุล", ordering="first_name")
    def full_name(self, person: Person) -> str:
        return person.full_name

    def save_model(self, request, obj, form, change):
        person_save(person=obj, user=request.user)

    def delete_model(self, request, obj):
        person_delete(person=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for person in queryset:
            self.delete_model(request, person)


@admin.register(GroupHeadAssignment)
class GroupHeadAssignmentAdmin(
    OfficeScopedAdmin,
    ThaiDateAdminMixin,
    ScopedHistoryAdmin,
):
    list_display = ["group", "person", "kind", "start_date", "end_date"]
    list_filter = ["kind", "group__organization"]
    list_select_related = ["group", "person"]
    search_fields = ["person__first_name", "person__last_name", "group__name"]
    autocomplete_fields = ["group", "person"]

    def save_model(self, request, obj, form, change):
        group_head_save(assignment=obj, user=request.user)

    def delete_model(self, request, obj):
        group_head_delete(assignment=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for assignment in queryset:
            self.delete_model(request, assignment)


class PersonFormSet(BaseInlineFormSet):
    default_error_messages = {
        "too_few_forms": "กรุณากรอกข้อมูลบุคลากร (สำนักงาน ชื่อ ตำแหน่ง) ของผู้ใช้นี้ด้วย",
        "too_many_forms": "ผู้ใช้หนึ่งคนผูกกับบุคลากรได้คนเดียว",
    }


class PersonInline(OfficeChoicesAdminMixin, admin.StackedInline):
    """The staff record of a login; an office admin must fill it, so the
    login belongs to the office (and stays in the admin's list)."""

    model = Person
    formset = PersonFormSet
    extra = 0
    max_num = 1
    fields = ["organization", "title", "first_name", "last_name", "position", "group"]

    def get_min_num(self, request, obj=None, **kwargs):
        return 0 if request.user.is_superuser else 1

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("validate_min", not request.user.is_superuser)
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            office = rules.organization_of(request.user)
            if db_field.name == "organization":
                kwargs["queryset"] = Organization.objects.filter(
                    pk=getattr(office, "pk", None)
                )
                kwargs["initial"] = office
            elif db_field.name == "group":
                kwargs["queryset"] = OfficeGroup.objects.filter(organization=office)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


User = get_user_model()
admin.site.unregister(User)


def plain_logins():
    """Logins with no power beyond the office roles: not superusers, no
    permission of their own, no group that is not a role. Only these are an
    office admin's to manage; anything more is the superusers' business (an
    office admin who could set such a login's password would hold its
    powers)."""
    loose = User.user_permissions.through.objects.values("user_id")
    other_groups = User.groups.through.objects.exclude(group__name__in=Role.ALL).values(
        "user_id"
    )
    return (
        User.objects.filter(is_superuser=False)
        .exclude(pk__in=loose)
        .exclude(pk__in=other_groups)
    )


def linkable_logins(user, person: Person | None):
    """The logins a non-superuser may link to ``person``: the one it has now
    and, for the office's admins, plain logins not linked to anyone yet (a
    login belongs to an office through its person, so a free login has
    none). A superuser's login is never among them: linking it to one's own
    staff record put it in one's list of logins, password page included."""
    current = Q(pk=getattr(person, "user_id", None) or 0)
    if rules.has_role(user, Role.ADMIN) and rules.organization_of(user) is not None:
        free = Q(pk__in=plain_logins().filter(person__isnull=True).values("pk"))
        return User.objects.filter(current | free).order_by("username")
    return User.objects.filter(current).order_by("username")


class PasswordStatusWidget(ReadOnlyPasswordHashWidget):
    """Whether the login has a password, not how it is hashed: Django listed
    the algorithm, iterations, salt and hash ("algorithm: pbkdf2_sha256"),
    words and letters nobody at the office can use."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["summary"] and "value" in context["summary"][0]:
            context["summary"] = [{"label": "ตั้งรหัสผ่านแล้ว"}]
        return context


class ThaiUserChangeForm(UserChangeForm):
    password = ReadOnlyPasswordHashField(
        label="รหัสผ่าน",
        widget=PasswordStatusWidget,
        help_text="ระบบไม่เก็บรหัสผ่านในรูปที่อ่านได้ จึงไม่มีใครดูรหัสผ่านของผู้ใช้ได้ "
        "ตั้งรหัสผ่านใหม่ได้จากปุ่มด้านบน",
    )


#: The password page's help for "เข้าสู่ระบบด้วยรหัสผ่าน" (HTML: the admin
#: shows help texts unescaped, as Django's own did).
_LOGIN_SWITCH_HELP = (
    "ผู้ใช้นี้เข้าสู่ระบบด้วยรหัสผ่านได้หรือไม่ ถ้าปิดใช้ จะเข้าสู่ระบบด้วยรหัสผ่านไม่ได้"
    '<ul id="id_unusable_warning" class="messagelist"><li class="warning">'
    "ถ้าปิดใช้ รหัสผ่านปัจจุบันของผู้ใช้นี้จะถูกลบ</li></ul>"
)


class ThaiAdminPasswordChangeForm(AdminPasswordChangeForm):
    """Django builds this help text once, in English, when it is imported
    (a translated text joined with an untranslated warning)."""

    usable_password_help_text = _LOGIN_SWITCH_HELP


@admin.register(User)
class UserAdmin(OfficeScopedAdmin, BaseUserAdmin):
    """Logins. An office admin (not a superuser) manages only the office's
    logins and gives them roles, never superuser status or loose permissions."""

    office_path = "person__organization"
    form = ThaiUserChangeForm
    change_password_form = ThaiAdminPasswordChangeForm
    inlines = [PersonInline]
    list_display = ["username", "person_name", "is_active", "is_staff"]
    list_select_related = ["person"]

    def get_queryset(self, request):
        """Superusers: every login. Others: the office's plain logins (list,
        change, password, history and delete pages all look here); the
        autocomplete of a person's login offers the free plain logins."""
        if request.user.is_superuser:
            return super().get_queryset(request)
        if is_autocomplete(request, "person", "user"):
            return linkable_logins(request.user, None)
        return super().get_queryset(request).filter(pk__in=plain_logins().values("pk"))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        hidden = {"is_staff", "is_superuser", "user_permissions"}
        return [
            (
                name,
                {
                    **options,
                    "fields": [f for f in options["fields"] if f not in hidden],
                },
            )
            for name, options in fieldsets
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=Role.ALL)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        """The login's staff record through ``person_save`` (the login is
        Django's; the person is the office's data)."""
        save_rows(
            formset,
            save=lambda person: person_save(person=person, user=request.user),
            delete=lambda person: person_delete(person=person, user=request.user),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not request.user.is_superuser:
            # The office admin gives roles; admin access follows them.
            login_sync_admin_access(user=form.instance)

    @admin.display(description="บุคลากร")
    def person_name(self, user) -> str:
        person = getattr(user, "person", None)
        return person.full_name if person else "–"


admin.site.unregister(AccessAttempt)
admin.site.unregister(AccessLog)
admin.site.unregister(AccessFailureLog)
admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(ThaiDeleteSummaryMixin, GetOnlyHistoryMixin, BaseGroupAdmin):
    """The roles (Django groups), with read-only history pages."""


def _when(moment) -> str:
    if moment is None:
        return "–"
    local = timezone.localtime(moment)
    return f"{thai.thai_date(local.date(), 'short')} {local:%H:%M:%S}"


# django-axes names its rows in English f-strings ("Attempted Access: …",
# "Failed access: user x on …"), the title of their admin pages; these are
# the same facts in Thai. Set here, where the admin shows them.
AccessAttempt.__str__ = lambda self: (
    f"ความพยายามเข้าสู่ระบบ {self.username or '–'} {_when(self.attempt_time)}"
)
AccessLog.__str__ = lambda self: (
    f"การเข้าสู่ระบบของ {self.username or '–'} {_when(self.attempt_time)}"
)
AccessFailureLog.__str__ = lambda self: (
    f"เข้าสู่ระบบไม่สำเร็จ {self.username or '–'}"
    f"{' (ถูกระงับ)' if self.locked_out else ''} {_when(self.attempt_time)}"
    f" จาก {self.ip_address}"
)


@admin.register(AccessLog)
class AccessLogAdmin(GetOnlyHistoryMixin, BaseAccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(GetOnlyHistoryMixin, BaseAccessFailureLogAdmin):
    pass


@admin.register(AccessAttempt)
class AccessAttemptAdmin(GetOnlyHistoryMixin, BaseAccessAttemptAdmin):
    """django-axes' list of login attempts; its clean-up action read a
    request attribute that only axes' login middleware sets (a 500)."""

    @admin.display(description="สถานะ")
    def status(self, obj: AccessAttempt) -> str:
        left = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        return f"เหลือ {left} ครั้ง" if left > 0 else "ถูกระงับ"

    @admin.action(description="ล้างความพยายามเข้าสู่ระบบที่หมดอายุแล้ว")
    def cleanup_expired_attempts(self, request, queryset):
        request.axes_attempt_time = timezone.now()
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(request, f"ล้างแล้ว {count} รายการ", messages.SUCCESS)


@admin.register(DeletedObject)
class DeletedObjectAdmin(OfficeScopedAdmin, admin.ModelAdmin):
    """The trash: deleted projects and reports, restorable by planners."""

    list_display = [
        "label",
        "kind",
        "organization",
        "row_count",
        "deleted_by",
        "deleted_at",
        "restored_at",
    ]
    list_filter = ["kind", ("restored_at", admin.EmptyFieldListFilter)]
    list_select_related = ["organization", "deleted_by", "restored_by"]
    search_fields = ["label"]
    readonly_fields = [
        "kind",
        "organization",
        "object_id",
        "label",
        "row_count",
        "deleted_by",
        "deleted_at",
        "restored_by",
        "restored_at",
    ]
    fields = readonly_fields
    actions = ["restore"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")

    def has_view_permission(self, request, obj=None):
        """The office's planners and admins, whatever their model permissions."""
        organization = rules.organization_of(request.user)
        return self.in_office(request, obj) and (
            request.user.is_superuser
            or rules.can_manage_office(request.user, organization)
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.action(description="กู้คืนรายการที่เลือก (พร้อมข้อมูลย่อยทั้งหมด)")
    def restore(self, request, queryset):
        for entry in queryset:
            try:
                trash_restore(entry=entry, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(getattr(error, "messages", None) or [str(error)])
                self.message_user(request, text, messages.ERROR)
            else:
                self.message_user(request, f"กู้คืน “{entry.label}” แล้ว", messages.SUCCESS)
