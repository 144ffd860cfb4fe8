"""The network pages (issue 20): one page per question an overseer asks
across offices, each as a screen, a PDF (``reports.documents.Document``) and
a workbook, all three from one table description (:mod:`network.tables`).

Only overseers (over the offices under their node) and superusers (over the
whole network) open them; everyone else gets 403. ``?node=`` narrows a page
to a region or one office of the overseer's subtree; any other organisation
answers 404, as if it did not exist. The views read through
:mod:`network.selectors` and write nothing; with a read replica configured
those reads go there (:mod:`core.replica`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from core import rules
from core.models import Organization
from core.replica import reading_replica, reads_replica
from core.thai import parse_fiscal_year
from core.xlsx import add_about, add_table, new_book, respond
from network import selectors, tables
from projects.selectors import project_list
from reports.charts import Slice, pie_chart
from reports.digits import chosen_digits
from reports.documents import Document, render_body
from reports.views import pdf_response

ERROR_NOT_OVERSEER = "หน้านี้สำหรับผู้กำกับติดตามระดับเครือข่ายเท่านั้น"
ERROR_NODE = "ไม่พบหน่วยงานนี้ในความกำกับของท่าน"
ALL_OFFICES = "ทุกสำนักงานในความกำกับ"


@dataclass(frozen=True)
class Page:
    title: str
    #: ``build(offices, fiscal_year, today, digits) -> (table, chart)``
    build: Callable


def _compliance(offices, fiscal_year, today, digits):
    rows = selectors.compliance(offices, fiscal_year)
    approved = sum(1 for row in rows if row.plan_approved)
    chart = pie_chart(
        [
            Slice("แผนอนุมัติแล้ว", approved, "#2f7d32"),
            Slice("ยังไม่อนุมัติหรือยังไม่มีแผน", len(rows) - approved, "#b42318"),
        ],
        digits=digits,
        title="สำนักงานที่มีแผนปฏิบัติการอนุมัติแล้ว",
    )
    return tables.compliance_table(rows), chart


LIGHT_COLORS = {"green": "#2f7d32", "amber": "#e0a100", "red": "#b42318"}


def _money(offices, fiscal_year, today, digits):
    rows = selectors.money(offices, fiscal_year, today)
    chart = pie_chart(
        [
            Slice(label, count, LIGHT_COLORS.get(light, "#8a8a8a"))
            for light, label, count in tables.light_counts(rows)
        ],
        digits=digits,
        title="สัญญาณการเบิกจ่ายเทียบเป้าหมายไตรมาส (จำนวนสำนักงาน)",
    )
    return tables.money_table(rows), chart


def _policy(offices, fiscal_year, today, digits):
    return tables.policy_table(selectors.policy(offices, fiscal_year)), ""


def _indicators(offices, fiscal_year, today, digits):
    rows = selectors.indicators(offices, fiscal_year)
    return tables.indicator_table(rows), ""


PAGES = {
    "compliance": Page("การส่งแผนและรายงานความก้าวหน้าของสำนักงาน", _compliance),
    "money": Page("การเบิกจ่ายเทียบเป้าหมายรายไตรมาส", _money),
    "policy": Page("โครงการและงบประมาณตามนโยบาย สพฐ.", _policy),
    "indicators": Page("การบรรลุตัวชี้วัดของสำนักงาน", _indicators),
}


class NetworkFilterForm(forms.Form):
    """The year and the part of the network a page shows (GET)."""

    fiscal_year = forms.IntegerField(label="ปีงบประมาณ (พ.ศ.)", required=False)
    node = forms.ChoiceField(label="หน่วยงาน", required=False)

    def __init__(self, *args, nodes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].choices = [("", ALL_OFFICES)] + [
            (str(node.pk), node.short_name) for node in nodes
        ]


def _scope(request: HttpRequest):
    """The overseer's offices (narrowed by ``?node=``), the node's label and
    the filter form. 403 for anyone but overseers and superusers, 404 for a
    node outside the subtree."""
    user = request.user
    if not rules.can_oversee(user):
        raise PermissionDenied(ERROR_NOT_OVERSEER)
    top = rules.oversight_node(user)
    reach = Organization.objects.under(top) if top is not None else Organization.objects
    label = top.name if top is not None else ALL_OFFICES
    offices = rules.offices_overseen(user)
    chosen = request.GET.get("node") or ""
    if chosen:
        try:
            node = reach.get(pk=int(chosen))
        except (ValueError, Organization.DoesNotExist):
            raise Http404(ERROR_NODE) from None
        offices = offices.under(node)
        label = node.name
    nodes = reach.filter(kind__in=Organization.NODE_KINDS).order_by("path")
    form = NetworkFilterForm(request.GET or None, nodes=nodes)
    return offices, label, form


def _page(slug: str) -> Page:
    page = PAGES.get(slug)
    if page is None:
        raise Http404("ไม่พบหน้านี้")
    return page


@reads_replica
def _content(
    request: HttpRequest, slug: str, digits: str, screen: bool = False
) -> dict:
    """The page's figures, read from the replica when there is one
    (:mod:`core.replica`); the PDF's render records stay on ``default``."""
    page = _page(slug)
    offices, label, form = _scope(request)
    fiscal_year = parse_fiscal_year(request.GET.get("fiscal_year"))
    today = timezone.localdate()
    table, chart = page.build(offices, fiscal_year, today, digits)
    _office_links(table, fiscal_year, screen)
    return {
        "page": page,
        "title": f"{page.title} ปีงบประมาณ พ.ศ. {fiscal_year}",
        "fiscal_year": fiscal_year,
        "node_label": label,
        "today": today,
        "table": table,
        "chart": chart,
        "form": form,
        "digits": digits,
    }


def _office_links(table, fiscal_year: int, screen: bool) -> None:
    """On screen an office's row opens its summary for the year the page
    shows; the PDF prints the name only (a link to a page of the site means
    nothing on paper)."""
    for row in table.rows:
        if screen and row.get("office_url"):
            row["office_url"] += f"?fiscal_year={fiscal_year}"
        else:
            row.pop("office_url", None)


def _document(content: dict, slug: str, digits: str) -> Document:
    return Document(
        kind=f"network-{slug}",
        title=content["title"],
        running_title=f"{content['title']} {content['node_label']}",
        filename=f"{content['page'].title}-{content['fiscal_year']}.pdf",
        body=render_body("network/partials/page_body.html", content, digits),
        digits=digits,
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The network pages of the overseer's node. Template: ``network/index.html``."""
    with reading_replica():
        _offices, label, _form = _scope(request)
    links = [
        (page.title, reverse("network:page", args=[slug]))
        for slug, page in PAGES.items()
    ]
    return render(request, "network/index.html", {"links": links, "node_label": label})


@login_required
def page(request: HttpRequest, slug: str) -> HttpResponse:
    """A network page on screen: ``reports/document.html`` around the body
    ``network/partials/page_body.html`` (shared with the PDF). Arabic digits
    by default: a working table of up to 245 offices, not an official paper."""
    digits = chosen_digits(request.GET.get("digits"), default="arabic")
    content = _content(request, slug, digits, screen=True)
    document = _document(content, slug, digits)
    query = request.GET.copy()
    query.pop("digits", None)
    return render(
        request,
        "reports/document.html",
        document.screen_context(
            pdf_url=reverse("network:page_pdf", args=[slug]),
            xlsx_url=reverse("network:page_xlsx", args=[slug]),
            pdf_query=query.urlencode(),
            form=content["form"],
        ),
    )


@login_required
def page_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    digits = chosen_digits(request.GET.get("digits"))
    document = _document(_content(request, slug, digits), slug, digits)
    return pdf_response(document.render(), document.filename)


@login_required
def page_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    """The page's table as a sheet, then "ข้อมูลรายงาน" (year, node, date)."""
    content = _content(request, slug, "arabic")
    book = new_book()
    add_table(book, content["table"])
    add_about(
        book,
        content["title"],
        [
            ("หน่วยงาน", content["node_label"]),
            ("ปีงบประมาณ", content["fiscal_year"]),
            ("ข้อมูล ณ วันที่", content["today"]),
        ],
    )
    return respond(book, f"{content['page'].title}-{content['fiscal_year']}.xlsx")


ERROR_OFFICE = "ไม่พบสำนักงานนี้ในความกำกับของท่าน"


@reads_replica
def _office_content(request: HttpRequest, organization_id: int) -> dict:
    """One office of the overseer's subtree: the network pages' own figures
    for a one-office queryset (plan, rounds, money, indicators) and the
    plan's projects (``projects.selectors.project_list``). 404 for an office
    outside the subtree and for anyone who oversees nothing, as if the
    office did not exist: an office's staff never learn what the overseer
    sees of other offices."""
    offices = rules.offices_overseen(request.user).filter(pk=organization_id)
    office = offices.first()
    if office is None:
        raise Http404(ERROR_OFFICE)
    fiscal_year = parse_fiscal_year(request.GET.get("fiscal_year"))
    today = timezone.localdate()
    compliance = selectors.compliance(offices, fiscal_year)[0]
    money = selectors.money(offices, fiscal_year, today)[0]
    indicators = selectors.indicators(offices, fiscal_year)[0]
    projects = project_list(organization=office, fiscal_year=fiscal_year)
    return {
        "office": office,
        "fiscal_year": fiscal_year,
        "today": today,
        "compliance": compliance,
        "money": money,
        "indicators": indicators,
        "rounds_table": tables.office_rounds_table(compliance),
        "projects_table": tables.office_projects_table(list(projects)),
    }


@login_required
def office(request: HttpRequest, organization_id: int) -> HttpResponse:
    """An office's read-only summary for its overseer, opened from its row on
    a network page. Template: ``network/office.html``."""
    return render(
        request, "network/office.html", _office_content(request, organization_id)
    )
