"""What an admin form offers, and accepts, stays inside the user's office.

Django builds a foreign-key field's choices from the *whole* table (the
related admin's ``get_queryset`` decides only what an autocomplete lists), so
a form posted with another office's id was saved: a head assignment pointing
at another office's person, a person in another office's group. The mixin
below narrows every choice (drop-downs, raw ids, autocompletes, many-to-many
lists; inlines too) to the user's office after the admin's own narrowing,
and limits list filters to the office's rows, so a filter no longer lists
every office's names. Superusers see everything.

Shared reference data (standard groups, policy items, expense categories,
budget sources) is retired with ``is_active`` instead of deleted: a retired
row is no longer offered, but a row that already points at it keeps it.
"""

from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q
from django.forms.models import _get_foreign_key

from core.selectors import office_path_of, visible_to

#: Reference data retired with ``is_active`` (see :mod:`core.reference`).
RETIRABLE = frozenset(
    {
        "core.standardgroup",
        "plans.policyitem",
        "budgets.expensecategory",
        "budgets.budgetsource",
    }
)


def office_rows(queryset, user):
    """``queryset`` narrowed to the rows ``user`` may see
    (:func:`core.selectors.visible_to`); rows of a model that belongs to no
    office (reference data, logins): unchanged."""
    if office_path_of(queryset.model) is None:
        return queryset
    return visible_to(queryset, user)


def is_autocomplete(request, model_name: str | None = None, field_name=None) -> bool:
    """True for the admin's autocomplete view (optionally: for one field)."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "autocomplete":
        return False
    if model_name is not None and request.GET.get("model_name") != model_name:
        return False
    return field_name is None or request.GET.get("field_name") == field_name


class OfficeRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id box whose label (the row's name printed beside the id) is
    looked up only among the field's choices: Django's own looks in the whole
    table, so a form posted with another office's id came back showing that
    office's project name."""

    def __init__(self, widget: ForeignKeyRawIdWidget, queryset):
        super().__init__(widget.rel, widget.admin_site, widget.attrs, widget.db)
        self.queryset = queryset

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            offered = self.queryset.filter(**{key: value}).exists()
        except (TypeError, ValueError, ValidationError):
            offered = False
        if not offered:
            return "", ""
        return super().label_and_url_for_value(value)


class OfficeChoicesAdminMixin:
    """Every admin (via ``BadInputAdminMixin``) and the inlines that offer
    choices: office-only choices and filters, retired reference data hidden."""

    def get_form(self, request, obj=None, *args, **kwargs):
        # The row being edited: its retired choices stay offered.
        request._phaen_form_object = obj
        return super().get_form(request, obj, *args, **kwargs)

    def get_formset(self, request, obj=None, *args, **kwargs):
        request._phaen_inline_parent = obj
        return super().get_formset(request, obj, *args, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return self._own_office_choices(formfield, db_field, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self._own_office_choices(formfield, db_field, request)

    def _own_office_choices(self, formfield, db_field, request):
        if formfield is None or getattr(formfield, "queryset", None) is None:
            return formfield
        queryset = office_rows(formfield.queryset, request.user)
        if db_field.related_model._meta.label_lower in RETIRABLE:
            queryset = queryset.filter(
                Q(is_active=True) | Q(pk__in=self._chosen_now(request, db_field))
            )
        formfield.queryset = queryset
        if isinstance(formfield.widget, ForeignKeyRawIdWidget):
            formfield.widget = OfficeRawIdWidget(formfield.widget, queryset)
        return formfield

    def _chosen_now(self, request, db_field):
        """Ids that the edited row (inline: the parent's rows) points at now."""
        if isinstance(self, InlineModelAdmin):
            parent = getattr(request, "_phaen_inline_parent", None)
            if parent is None or parent.pk is None:
                return []
            fk = _get_foreign_key(self.parent_model, self.model, fk_name=self.fk_name)
            rows = self.model._default_manager.filter(**{fk.name: parent})
        else:
            obj = getattr(request, "_phaen_form_object", None)
            if obj is None or obj.pk is None or not isinstance(obj, db_field.model):
                return []
            rows = db_field.model._default_manager.filter(pk=obj.pk)
        return rows.values(db_field.name)

    def get_list_filter(self, request):
        """A filter on a related row lists only the rows this user's list
        points at (its queryset is already the office's)."""
        list_filter = super().get_list_filter(request)
        if request.user.is_superuser:
            return list_filter
        return [self._own_rows_filter(spec) for spec in list_filter]

    def _own_rows_filter(self, spec):
        if not isinstance(spec, str):
            return spec
        try:
            field = get_fields_from_path(self.model, spec)[-1]
        except (FieldDoesNotExist, NotRelationField):
            return spec
        if field.is_relation:
            return (spec, admin.RelatedOnlyFieldListFilter)
        return spec

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        if is_autocomplete(request):
            queryset = office_rows(queryset, request.user)
            if self.model._meta.label_lower in RETIRABLE:
                queryset = queryset.filter(is_active=True)
        return queryset, may_have_duplicates
