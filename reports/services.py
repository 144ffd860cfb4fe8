"""Writes of the plan book's own text and of the strategy indicators' results.

The book's written sections (foreword, Part 1, Part 4, appendix) and the
yearly results are the office's: its admins and planners write them
(``core.rules.can_manage_office``, as the admin screens already allowed).
A section is part of the plan it belongs to: once that plan is approved,
its book is the approved document, so the text changes only after the plan
is reopened for a revision (``plans.services.plan_start_revision``), like
its direction.
"""

from django.db import transaction

from core.services import require_office_manager
from plans.services import plan_ensure_editable
from reports.models import BookSection, IndicatorResult


def _stored(obj):
    if obj.pk is None:
        return None
    return type(obj)._default_manager.filter(pk=obj.pk).first()


def book_section_validate(*, section: BookSection) -> None:
    """The plan the section is in (and was in) is not approved."""
    before = _stored(section)
    if before is not None:
        plan_ensure_editable(before.plan)
    if section.plan_id:
        plan_ensure_editable(section.plan)


@transaction.atomic
def book_section_save(*, section: BookSection, user) -> BookSection:
    """Save a written section of the plan book of an office the user
    manages, in a plan that is not approved (:func:`book_section_validate`)."""
    before = _stored(section)
    offices = [section.plan.organization_id]
    if before is not None:
        offices.append(before.plan.organization_id)
    require_office_manager(user, *offices, what="เนื้อหาเล่มแผน")
    section.full_clean()
    book_section_validate(section=section)
    section.save()
    return section


@transaction.atomic
def book_section_delete(*, section: BookSection, user) -> None:
    require_office_manager(user, section.plan.organization_id, what="เนื้อหาเล่มแผน")
    plan_ensure_editable(section.plan)
    section.delete()


def _office_of(result: IndicatorResult):
    return result.indicator.strategy.plan.organization_id


@transaction.atomic
def indicator_result_save(*, result: IndicatorResult, user) -> IndicatorResult:
    """Save a year's result of an indicator of an office the user manages
    (and, when the indicator changes, managed the old one's office too).
    Results are recorded after the year, in an approved plan: no plan lock."""
    before = _stored(result)
    offices = [_office_of(result)]
    if before is not None:
        offices.append(_office_of(before))
    require_office_manager(user, *offices, what="ผลตามตัวชี้วัดกลยุทธ์")
    result.full_clean()
    result.save()
    return result


@transaction.atomic
def indicator_result_delete(*, result: IndicatorResult, user) -> None:
    require_office_manager(user, _office_of(result), what="ผลตามตัวชี้วัดกลยุทธ์")
    result.delete()
