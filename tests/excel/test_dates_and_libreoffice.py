"""Workbooks as offices really keep them: dates typed in either calendar,
files opened and re-saved with LibreOffice Calc, .ods uploads, and exports
whose dates are date cells.

LibreOffice runs headless (``soffice``, installed by scripts/system-deps.sh);
each test uses its own profile directory so parallel runs do not collide, and
converts several files per call because soffice takes seconds to start.
"""

import csv
import datetime
import io
import re
import shutil
import subprocess
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from budgets.models import Disbursement
from core import thai, xlsx
from excel import export, layout, parsing, workbook
from excel.disbursements import disbursement_import
from excel.forms import UploadForm
from excel.importer import plan_import
from projects.models import Project, ProjectTarget
from tests.excel.conftest import FISCAL_YEAR, framework, workbook_bytes
from tests.factories import PlanFactory, ProjectTargetFactory

pytestmark = pytest.mark.django_db

#: Every sheet as UTF-8 CSV, cells "as shown" (formatted), one file per sheet.
CSV_ALL_SHEETS = (
    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
)
#: How LibreOffice in the Thai locale reads typed text (language 1054 = th-TH).
THAI_CSV_IMPORT = "CSV:44,34,76,1,,1054"
ERROR_CELLS = re.compile(r"#VALUE!|#REF!|#NAME\?|#DIV/0!|Err:\d+|#N/A")
BE_DATE = re.compile(r"^\d{1,2}/\d{1,2}/25\d\d$")


# ------------------------------------------------------------------ soffice


def soffice(tmp_path: Path, convert_to: str, files: list[Path], infilter=None):
    """Convert ``files`` with one headless LibreOffice; the output directory."""
    assert shutil.which("soffice"), "LibreOffice is missing: run scripts/system-deps.sh"
    out = tmp_path / f"out-{uuid.uuid4().hex[:8]}"
    out.mkdir()
    command = [
        "soffice",
        f"-env:UserInstallation=file://{tmp_path}/lo-profile-{uuid.uuid4().hex[:8]}",
        "--headless",
        "--norestore",
        *([f"--infilter={infilter}"] if infilter else []),
        "--convert-to",
        convert_to,
        "--outdir",
        str(out),
        *map(str, files),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=240)
    return out


def save(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def resaved(tmp_path: Path, data: bytes, fmt: str = "xlsx") -> bytes:
    """``data`` opened and saved again by LibreOffice as ``fmt``."""
    source = save(tmp_path, f"book-{uuid.uuid4().hex[:8]}.xlsx", data)
    out = soffice(tmp_path, fmt, [source])
    return (out / f"{source.stem}.{fmt}").read_bytes()


def typed_in_thai_libreoffice(tmp_path: Path, rows: list[list[str]], fmt: str):
    """A workbook made by typing ``rows`` into a Thai-locale LibreOffice."""
    source = tmp_path / f"typed-{uuid.uuid4().hex[:8]}.csv"
    with open(source, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    out = soffice(tmp_path, fmt, [source], infilter=THAI_CSV_IMPORT)
    return (out / f"{source.stem}.{fmt}").read_bytes()


# ------------------------------------------------------------------ reading


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        # 1/10/2569 typed into a Western-calendar cell: year 2569 "CE"
        (datetime.datetime(2569, 10, 1), datetime.date(2026, 10, 1)),
        (datetime.date(2569, 10, 1), datetime.date(2026, 10, 1)),
        # 1/10/2026, or Excel with the Thai calendar: a real date
        (datetime.datetime(2026, 10, 1, 0, 0), datetime.date(2026, 10, 1)),
        ("1/10/2569", datetime.date(2026, 10, 1)),
        ("๑/๑๐/๒๕๖๙", datetime.date(2026, 10, 1)),
        ("1 ต.ค. 2569", datetime.date(2026, 10, 1)),
    ],
)
def test_one_function_reads_date_cells_and_text_in_both_calendars(cell, expected):
    assert thai.date_from_cell(cell) == expected
    assert parsing.date(cell) == expected
    assert parsing.month(cell) == expected.replace(day=1)


@pytest.mark.parametrize(
    ("cell", "shown", "understood"),
    [
        # BE typed twice over (2569 + 543): refused, not stored as 3112
        (datetime.date(3112, 10, 1), "1/10/3112", "1 ตุลาคม 3112"),
        (datetime.date(2300, 1, 5), "5/1/2300", "5 มกราคม 2843"),
        ("1/10/2300", "1/10/2300", "1 ตุลาคม 2843"),
        (datetime.date(1500, 1, 5), "5/1/1500", "5 มกราคม 2043"),
    ],
)
def test_impossible_years_are_refused_showing_the_cell_and_what_was_read(
    cell, shown, understood
):
    with pytest.raises(ValueError) as refused:
        parsing.date(cell)
    message = str(refused.value)
    assert f"“{shown}”" in message and understood in message, message
    with pytest.raises(ValueError):
        parsing.month(cell)


def test_a_be_leap_day_the_western_year_lacks_is_refused_in_thai():
    # 29/2/2568 is a date in 2568 "CE" (a leap year) but 2025 CE has no 29 Feb.
    with pytest.raises(ValueError, match="ไม่มีวันนี้ในปฏิทิน"):
        thai.date_from_cell(datetime.date(2568, 2, 29))


def _finance(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "ต.ค.69"
    sheet.append(layout.DISBURSEMENTS.headers)
    for row in rows:
        sheet.append(row)
    return workbook_bytes(book)


def test_openpyxl_date_cells_in_both_calendars_import_as_the_same_day(
    paid_plan, planner
):
    source = _finance(
        [
            [datetime.datetime(2568, 11, 15), "ขบ 1", "69-001", None, 100],
            [datetime.datetime(2025, 11, 16), "ขบ 2", "69-001", None, 100],
        ]
    )
    result = disbursement_import(
        source=source,
        organization=paid_plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )
    assert result.ok, [str(e) for e in result.errors]
    days = sorted(Disbursement.objects.values_list("paid_on", flat=True))
    assert days == [datetime.date(2025, 11, 15), datetime.date(2025, 11, 16)]


def test_plan_months_typed_as_be_date_cells_are_not_543_years_off(full_plan, planner):
    book = load_workbook(workbook_bytes(export.plan_workbook(full_plan)))
    sheet = book[layout.PROJECTS.name]
    headers = [c.value for c in sheet[1]]
    start = headers.index("เดือนเริ่มต้น") + 1
    end = headers.index("เดือนสิ้นสุด") + 1
    sheet.cell(3, start).value = datetime.datetime(2568, 11, 1)  # typed 1/11/2568
    sheet.cell(3, end).value = datetime.datetime(2569, 8, 20)  # a day: its month
    result = plan_import(
        source=workbook_bytes(book),
        organization=full_plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )
    assert result.ok, [str(e) for e in result.errors]
    project = Project.objects.get(code="69-002")
    assert (project.start_month, project.end_month) == (
        datetime.date(2025, 11, 1),
        datetime.date(2026, 8, 1),
    )


def test_a_twice_converted_year_is_refused_with_the_cell_shown(full_plan, planner):
    book = load_workbook(workbook_bytes(export.plan_workbook(full_plan)))
    sheet = book[layout.PROJECTS.name]
    start = [c.value for c in sheet[1]].index("เดือนเริ่มต้น") + 1
    sheet.cell(3, start).value = datetime.datetime(3112, 10, 1)
    before = Project.objects.get(code="69-002").start_month
    result = plan_import(
        source=workbook_bytes(book),
        organization=full_plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )
    assert [str(e) for e in result.errors] == [
        "ชีต 'โครงการ' แถว 3 คอลัมน์ 'เดือนเริ่มต้น': “1/10/3112” อ่านได้เป็นวันที่ "
        "1 ตุลาคม 3112 (ค.ศ. 2569) ซึ่งอยู่นอกช่วงปีที่ใช้ได้ "
        "ให้พิมพ์ปีเป็นพุทธศักราช เช่น 1/10/2569"
    ]
    assert Project.objects.get(code="69-002").start_month == before


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_dates_typed_in_a_thai_libreoffice_import_in_both_calendars(
    paid_plan, planner, tmp_path, fmt
):
    # LibreOffice (th-TH) turns both texts into date cells: 2568-11-15 and
    # 2025-11-16 "CE"; the text month "ต.ค. 2568" column is not needed here.
    data = typed_in_thai_libreoffice(
        tmp_path,
        [
            layout.DISBURSEMENTS.headers,
            ["15/11/2568", "ขบ 1", "69-001", "", "1,500.50"],
            ["16/11/2025", "ขบ 2", "69-001", "", "200"],
        ],
        fmt,
    )
    if fmt == "xlsx":  # the cells really are dates, not text
        cells = [r[0].value for r in load_workbook(io.BytesIO(data)).active.iter_rows()]
        assert isinstance(cells[1], datetime.datetime) and cells[1].year == 2568
        assert isinstance(cells[2], datetime.datetime) and cells[2].year == 2025
    result = disbursement_import(
        source=io.BytesIO(data),
        organization=paid_plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )
    assert result.ok, [str(e) for e in result.errors]
    paid = sorted(Disbursement.objects.values_list("paid_on", "amount"))
    assert paid == [
        (datetime.date(2025, 11, 15), Decimal("1500.50")),
        (datetime.date(2025, 11, 16), Decimal("200.00")),
    ]


def test_errors_name_the_users_own_sheet(full_plan, planner):
    source = _finance([["1/1/2571", "ขบ 1", "69-001", None, 100]])
    result = disbursement_import(
        source=source,
        organization=full_plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )
    (error,) = [str(e) for e in result.errors]
    assert error.startswith("ชีต 'ต.ค.69' แถว 2 คอลัมน์ 'วันที่': ")
    assert "การเบิกจ่าย" not in error


# ------------------------------------------------------------------ .ods in


def test_ods_is_accepted_by_the_command_and_the_upload_form(
    paid_plan, planner, tmp_path
):
    data = typed_in_thai_libreoffice(
        tmp_path,
        [layout.DISBURSEMENTS.headers, ["15/11/2568", "ขบ 9", "69-001", "", "75"]],
        "ods",
    )
    path = save(tmp_path, "เบิกจ่าย.ods", data)
    form = UploadForm(
        data={"fiscal_year": FISCAL_YEAR},
        files={"file": _uploaded("เบิกจ่าย.ods", data)},
    )
    assert form.is_valid(), form.errors
    out = io.StringIO()
    call_command(
        "import_disbursements",
        str(path),
        fiscal_year=FISCAL_YEAR,
        organization=paid_plan.organization.short_name,
        stdout=out,
    )
    assert "นำเข้าเรียบร้อย" in out.getvalue()
    assert Disbursement.objects.get().paid_on == datetime.date(2025, 11, 15)


def _uploaded(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_ods_plan_upload_previews_like_xlsx(client, planner, full_plan, tmp_path):
    client.force_login(planner)
    data = resaved(tmp_path, xlsx.to_bytes(export.plan_workbook(full_plan)), "ods")
    response = client.post(
        reverse("excel:import_plan"),
        {"fiscal_year": FISCAL_YEAR, "file": _uploaded("แผน.ods", data)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = client.get(response["Location"])
    result = preview.context["result"]
    assert result.ok, [str(e) for e in result.errors]
    projects = result.count(layout.PROJECTS.name)
    assert (projects.updated, projects.unchanged) == (0, 2)


def test_a_broken_ods_is_refused_with_the_xlsx_message(full_plan, planner):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<not-xml")
    result = disbursement_import(
        source=io.BytesIO(buffer.getvalue()),
        organization=full_plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )
    assert [str(e) for e in result.errors] == [workbook.ERROR_NOT_XLSX]


# ------------------------------------------------------------------ round trip


def _approve_one(full_plan):
    """69-001 approved (locked), 69-002 a draft; targets numbered across kinds
    like the screens and the demo do (1, 2 → positions 1 and 1)."""
    first = Project.objects.get(code="69-001")
    ProjectTarget.objects.filter(project=first, kind="qualitative").update(order=2)
    draft = Project.objects.get(code="69-002")
    ProjectTargetFactory(project=draft, kind="quantitative", order=1, quantity=5)
    ProjectTargetFactory(
        project=draft, kind="qualitative", order=2, quantity=None, unit="", text="ดี"
    )
    Project.objects.filter(pk=first.pk).update(status="approved")


def _state():
    return [
        (p.code, p.status, p.updated_at, list(p.targets.values_list("pk", "order")))
        for p in Project.objects.order_by("code")
    ]


def _reimport(full_plan, planner, data: bytes):
    return plan_import(
        source=io.BytesIO(data),
        organization=full_plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )


def _assert_no_op(result):
    assert result.ok, [str(e) for e in result.errors]
    changes = {
        c.sheet: (c.created, c.updated, c.deleted)
        for c in result.counts
        if c.created or c.updated or c.deleted
    }
    assert changes == {}


def test_untouched_export_reimports_as_a_no_op_with_approved_and_draft_projects(
    full_plan, planner, tmp_path
):
    _approve_one(full_plan)
    data = xlsx.to_bytes(export.plan_workbook(full_plan))
    before = _state()
    _assert_no_op(_reimport(full_plan, planner, data))
    assert _state() == before
    # … and after LibreOffice opened and saved it, as xlsx and as ods
    for fmt in ("xlsx", "ods"):
        _assert_no_op(_reimport(full_plan, planner, resaved(tmp_path, data, fmt)))
        assert _state() == before


def test_a_change_to_an_approved_project_is_still_refused(full_plan, planner):
    _approve_one(full_plan)
    book = load_workbook(workbook_bytes(export.plan_workbook(full_plan)))
    sheet = book[layout.OBJECTIVES.name]
    sheet.cell(2, 3).value = "วัตถุประสงค์ที่แก้โดยไม่ปรับแผน"
    result = _reimport(full_plan, planner, xlsx.to_bytes(book))
    assert [str(e) for e in result.errors] == [
        "ชีต 'โครงการ' แถว 2 คอลัมน์ 'รหัสโครงการ': "
        "โครงการ 69-001 อนุมัติแล้ว แก้ไขได้โดยการปรับแผนเท่านั้น"
    ]


def test_a_draft_edited_beside_an_untouched_approved_project_imports(
    full_plan, planner
):
    _approve_one(full_plan)
    book = load_workbook(workbook_bytes(export.plan_workbook(full_plan)))
    sheet = book[layout.PROJECTS.name]
    name = [c.value for c in sheet[1]].index("ชื่อโครงการ") + 1
    sheet.cell(3, name).value = "ชื่อใหม่ของโครงการร่าง"
    approved_before = Project.objects.get(code="69-001").updated_at
    result = _reimport(full_plan, planner, xlsx.to_bytes(book))
    assert result.ok, [str(e) for e in result.errors]
    assert result.count(layout.PROJECTS.name).updated == 1
    assert Project.objects.get(code="69-002").name == "ชื่อใหม่ของโครงการร่าง"
    assert Project.objects.get(code="69-001").updated_at == approved_before


def test_the_template_resaved_by_libreoffice_imports(
    office, group_a, reference, planner, tmp_path
):
    framework(PlanFactory(organization=office, fiscal_year=FISCAL_YEAR))
    data = xlsx.to_bytes(export.template_workbook(office, FISCAL_YEAR))
    result = plan_import(
        source=io.BytesIO(resaved(tmp_path, data)),
        organization=office,
        fiscal_year=FISCAL_YEAR,
        user=planner,
        dry_run=True,
    )
    assert result.ok, [str(e) for e in result.errors]
    assert result.count(layout.PROJECTS.name).created == 1


# ------------------------------------------------------------------ exports


def _downloads(client, crafted) -> dict[str, bytes]:
    """Every workbook a planner can download, by a file name."""
    year = {"fiscal_year": crafted.fiscal_year}
    urls = {
        "template": (reverse("excel:template"), year),
        "plan": (reverse("excel:export_plan"), year),
        "projects": (reverse("projects:list_xlsx"), year),
        "summary": (reverse("budgets:summary_xlsx"), year),
        "disbursement": (reverse("budgets:disbursement_xlsx"), year),
        "board": (reverse("progress:board_xlsx"), {"round": crafted.round1.pk}),
        "budget_report": (reverse("reports:budget_report_xlsx"), year),
        "kpi_report": (reverse("reports:kpi_report_xlsx"), year),
        "progress_report": (
            reverse("reports:progress_report_xlsx", args=[crafted.round1.pk]),
            {},
        ),
        "annual_report": (
            reverse("reports:annual_report_xlsx", args=[crafted.plan.pk]),
            {},
        ),
    }
    for model in (
        "projects_project",
        "projects_activity",
        "budgets_costline",
        "budgets_disbursement",
        "budgets_allocation",
        "progress_progressreport",
    ):
        urls[f"admin-{model}"] = (reverse(f"admin:{model}_export"), {})
    result = {}
    for name, (url, query) in urls.items():
        response = client.get(url, query)
        assert response.status_code == 200, (name, response.status_code)
        assert response["Content-Type"] == xlsx.XLSX_TYPE, name
        result[name] = response.content
    return result


def test_every_export_opens_in_libreoffice_with_thai_numbers_and_be_dates(
    client, planner, crafted, tmp_path
):
    planner.is_staff = True
    planner.save(update_fields=["is_staff"])
    client.force_login(planner)
    downloads = _downloads(client, crafted)
    files = [save(tmp_path, f"{name}.xlsx", data) for name, data in downloads.items()]
    # no date written as text in any export
    for name, data in downloads.items():
        for sheet in load_workbook(io.BytesIO(data)).worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert not (
                        isinstance(cell.value, str) and BE_DATE.match(cell.value)
                    ), (name, sheet.title, cell.coordinate, cell.value)
    ods = soffice(tmp_path, "ods", files)
    assert sorted(p.stem for p in ods.glob("*.ods")) == sorted(downloads)
    csvs = soffice(tmp_path, CSV_ALL_SHEETS, files)
    shown: dict[str, str] = {}
    for path in csvs.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        assert not ERROR_CELLS.search(text), (path.name, ERROR_CELLS.search(text))
        shown[path.stem] = text
    everything = "\n".join(shown.values())
    for name in downloads:
        assert any(stem.startswith(f"{name}-") for stem in shown), name
    # Thai text, numbers and BE dates as LibreOffice shows them
    assert crafted.first.name in everything
    assert "15,000.75" in everything or "15000.75" in everything
    paid_on = crafted.q1_start + datetime.timedelta(days=10)
    shown_date = f"{paid_on.day}/{paid_on.month}/{paid_on.year + 543}"
    disbursements = next(
        text for stem, text in shown.items() if stem.startswith("admin-budgets_disb")
    )
    assert shown_date in disbursements, disbursements[:500]
    plan = "\n".join(t for s, t in shown.items() if s.startswith("plan-"))
    assert f"ต.ค. {crafted.fiscal_year - 1}" in plan
    assert str(crafted.fiscal_year - 543) not in re.sub(r"\d{5,}", "", plan)
    kpis = next(
        text for stem, text in shown.items() if stem == "kpi_report-ตัวชี้วัดโครงการ"
    )
    assert ",85," in kpis or ",85\n" in kpis
    xlsx_kpi = load_workbook(io.BytesIO(downloads["kpi_report"]))["ตัวชี้วัดโครงการ"]
    headers = [c.value for c in xlsx_kpi[1]]
    actual = xlsx_kpi.cell(2, headers.index("ผลการดำเนินงาน") + 1)
    assert actual.data_type == "n" and actual.value == 85


class _RegexSpy:
    """Stands in for ``re``; remembers the longest text given to a regex."""

    def __init__(self):
        self.longest = 0

    def __getattr__(self, name):
        real = getattr(re, name)
        if not callable(real) or name in {"compile", "escape"}:
            return real

        def spied(pattern, *args, **kwargs):
            texts = [arg for arg in args if isinstance(arg, str)]
            self.longest = max([self.longest, *map(len, texts)])
            return real(pattern, *args, **kwargs)

        return spied


def test_a_16000_character_month_cell_is_refused_before_any_regex(monkeypatch):
    """``([^\\d]+?)\\s*(\\d{2}|\\d{4})`` in excel/parsing.py was quadratic: this
    cell took 6 s. The month is now read by core/thai.py, which refuses long
    text first (no timing here: the spy shows no regex saw the long text)."""
    spy = _RegexSpy()
    monkeypatch.setattr(parsing, "re", spy)
    monkeypatch.setattr(thai, "re", spy)
    with pytest.raises(ValueError, match="ไม่ใช่เดือนที่ถูกต้อง"):
        parsing.month("ต.ค." + " " * 16_000 + "1")
    assert spy.longest <= thai.MAX_TYPED
    assert parsing.month("ต.ค.   2569") == datetime.date(2026, 10, 1)
