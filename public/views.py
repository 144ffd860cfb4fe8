"""The public plan page (no login) and the office's page to publish it.

Anyone may read a published year: ``/public/<slug>/`` lists the office's
published years, ``/public/<slug>/<year>/`` shows one, with its workbook,
its stored PDFs and the ITA pack. Anything not published, an unapproved
plan, or a slug nobody has answers 404, the same as an address that never
existed, so the public cannot tell an unpublished year from a missing one.

The year's page is cached (Django's cache) under its data stamp
(:func:`public.selectors.year_stamp`): a change the page prints makes a new
key, so the next request shows it; the page has no per-user part (its own
base template, no menu, no form), so one copy serves everyone.

A public download never lays out a PDF in the request: it serves the PDF
already stored for the data of today, or asks for one render through the
document jobs of ``reports.services`` (one job per document and data
stamp, however many people click), and says it is being prepared.
"""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_safe

from budgets.tables import spending_plan_table
from core import rules
from plans.models import Plan
from public import exports, selectors
from public.forms import PublicSettingsForm
from public.models import PublicOffice
from public.services import public_settings_save
from public.tables import projects_table, quarters_table
from reports.services import document_job_request

ERROR_NOT_MANAGER = "หน้านี้สำหรับผู้ดูแลและผู้วางแผนของสำนักงานเท่านั้น"
SAVED = "บันทึกการเผยแพร่แล้ว"
#: Seconds a browser or proxy may keep the page; the server's copy follows
#: the data stamp.
BROWSER_SECONDS = 60
#: Seconds the server keeps a page of one data stamp.
CACHE_SECONDS = 60 * 60


def _office(slug: str) -> PublicOffice:
    office = selectors.public_office(slug)
    if office is None or not selectors.published_years(office):
        raise Http404("ไม่พบหน้าที่ต้องการ")
    return office


def _plan(slug: str, fiscal_year: int):
    office = _office(slug)
    plan = selectors.published_plan(office, fiscal_year)
    if plan is None:
        raise Http404("ไม่พบหน้าที่ต้องการ")
    return plan


def _public(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=BROWSER_SECONDS)
    return response


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    )
    return response


def _cache_key(what: str, slug: str, plan, documents) -> str:
    """The key of the year's page or pack: the data stamp and which PDFs are
    stored (a finished render shows its link on the next request)."""
    ready = "".join("1" if d.stored() or not d.is_pdf else "0" for d in documents)
    stamp = f"{selectors.year_stamp(plan)}|{ready}"
    digest = hashlib.sha256(stamp.encode()).hexdigest()[:24]
    return f"public:{what}:{slug}:{plan.fiscal_year}:{digest}"


@require_safe
def office_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The office's published years (a stable address for its website)."""
    office = _office(slug)
    return _public(
        render(
            request,
            "public/office.html",
            {"office": office, "years": selectors.published_years(office)},
        )
    )


@require_safe
def year_page(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    """One published year, from the cache while its data stamp holds."""
    plan = _plan(slug, fiscal_year)
    key = _cache_key("page", slug, plan, selectors.year_documents(plan))
    html = cache.get(key)
    if html is None:
        year = selectors.public_year(selectors.public_office(slug), plan)
        html = render_to_string(
            "public/year.html",
            {
                "year": year,
                "slug": slug,
                "projects": projects_table(year),
                "quarters": quarters_table(year),
                "spending": spending_plan_table(year.spending),
            },
        )
        cache.set(key, html, CACHE_SECONDS)
    return _public(HttpResponse(html))


@require_safe
def year_xlsx(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    """The page's tables as a workbook (made from the page's data, cheap)."""
    plan = _plan(slug, fiscal_year)
    year = selectors.public_year(selectors.public_office(slug), plan)
    return _attachment(
        exports.public_workbook(year),
        f"แผนปฏิบัติการ-{fiscal_year}.xlsx",
        exports.XLSX_TYPE,
    )


@require_safe
def document(
    request: HttpRequest, slug: str, fiscal_year: int, key: str
) -> HttpResponse:
    """A published PDF: the stored one, or one render asked for and a page
    saying it is being prepared (202), never a layout in the request."""
    plan = _plan(slug, fiscal_year)
    found = {d.key: d for d in selectors.year_documents(plan) if d.is_pdf}
    if key not in found:
        raise Http404("ไม่พบเอกสารที่ต้องการ")
    chosen = found[key]
    stored = chosen.stored()
    if stored is not None:
        response = FileResponse(stored.open("rb"), content_type="application/pdf")
        response["Content-Disposition"] = (
            f"inline; filename*=UTF-8''{escape_uri_path(chosen.filename)}"
        )
        return _public(response)
    job = document_job_request(spec=chosen.spec)
    response = render(
        request,
        "public/preparing.html",
        {"document": chosen, "job": job, "slug": slug, "fiscal_year": fiscal_year},
        status=202,
    )
    response["Retry-After"] = "30"
    return response


@require_safe
def ita_pack(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    """The year's ITA pack from the stored documents (the cover names any
    not yet made); kept in the cache under the same stamp as the page."""
    plan = _plan(slug, fiscal_year)
    year = selectors.public_year(selectors.public_office(slug), plan)
    key = _cache_key("ita", slug, plan, year.documents)
    content = cache.get(key)
    if content is None:
        try:
            content = exports.ita_pack(year, render=False)
        except LookupError as error:  # no list of items installed
            raise Http404(str(error)) from error
        cache.set(key, content, CACHE_SECONDS)
    return _attachment(content, exports.pack_name(year), "application/zip")


# ------------------------------------------------------------------ the office's switch


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """The office's public address and the years it publishes (its admins
    and planners, ``core.rules.can_manage_office``)."""
    organization = rules.organization_of(request.user)
    if organization is None or not rules.can_manage_office(request.user, organization):
        raise PermissionDenied(ERROR_NOT_MANAGER)
    office = PublicOffice.objects.filter(organization=organization).first()
    years = list(
        Plan.objects.filter(organization=organization)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
    )
    chosen = list(office.years.values_list("fiscal_year", flat=True)) if office else []
    initial = {"slug": office.slug if office else "", "years": chosen}
    form = PublicSettingsForm(request.POST or None, initial=initial, years=years)
    if request.method == "POST" and form.is_valid():
        try:
            public_settings_save(
                user=request.user,
                organization=organization,
                slug=form.cleaned_data["slug"],
                years=form.cleaned_data["years"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, SAVED)
            return redirect("public:manage")
    approved = set(
        Plan.objects.filter(
            organization=organization, status=Plan.Status.APPROVED
        ).values_list("fiscal_year", flat=True)
    )
    return render(
        request,
        "public/manage.html",
        {
            "form": form,
            "office": office,
            "approved": approved,
            "links": [
                (year, reverse("public:year", args=[office.slug, year]))
                for year in chosen
            ]
            if office
            else [],
        },
    )
