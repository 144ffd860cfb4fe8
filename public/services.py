"""The office's choice to publish, written here only.

Publishing is the office's decision: its admins and planners make it
(``core.rules.can_manage_office`` through ``core.services.require_office_manager``),
like the rest of the office's own set-up. The choice is per fiscal year; the
page still shows a chosen year only while its plan is approved
(:func:`public.selectors.published_plan`), so reopening a plan for a revision
hides it until it is approved again, without anyone switching it off.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from core.services import require_office_manager
from plans.models import Plan
from public.models import PublicOffice, PublishedYear

ERROR_SLUG_TAKEN = "ชื่อที่อยู่นี้มีสำนักงานอื่นใช้แล้ว กรุณาเลือกชื่ออื่น"
ERROR_SLUG_RESERVED = "ชื่อที่อยู่นี้ใช้ไม่ได้ กรุณาเลือกชื่ออื่น"
#: Words of the app's own addresses under /public/.
RESERVED_SLUGS = frozenset({"manage"})
ERROR_NO_PLAN = "สำนักงานไม่มีแผนของปีงบประมาณ พ.ศ. {year}"
WHAT = "การเผยแพร่แผนต่อสาธารณะ"


@transaction.atomic
def public_settings_save(*, user, organization, slug: str, years) -> PublicOffice:
    """Set the office's public address and exactly the ``years`` it publishes
    (years of its own plans). An empty ``years`` publishes nothing; the
    address stays, so links made earlier work again once a year is chosen."""
    require_office_manager(user, organization.pk, what=WHAT)
    years = {int(year) for year in years}
    known = set(
        Plan.objects.filter(
            organization=organization, fiscal_year__in=years
        ).values_list("fiscal_year", flat=True)
    )
    for year in sorted(years - known):
        raise ValidationError({"years": ERROR_NO_PLAN.format(year=year)})
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": ERROR_SLUG_RESERVED})
    if (
        PublicOffice.objects.filter(slug=slug)
        .exclude(organization=organization)
        .exists()
    ):
        raise ValidationError({"slug": ERROR_SLUG_TAKEN})
    office = PublicOffice.objects.filter(organization=organization).first()
    if office is None:
        office = PublicOffice(organization=organization)
    office.slug = slug
    office.full_clean()
    office.save()
    office.years.exclude(fiscal_year__in=years).delete()
    have = set(office.years.values_list("fiscal_year", flat=True))
    for year in sorted(years - have):
        PublishedYear.objects.create(office=office, fiscal_year=year, published_by=user)
    return office
