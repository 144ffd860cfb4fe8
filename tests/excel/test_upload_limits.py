"""Workbook bombs and the life of an upload.

A 1 MB upload could unpack to 1 GB, 300,000 rows took half a minute, a
DOCTYPE with entities reached the XML parser, every preview parsed the file
again and uploads piled up in the host's shared temporary folder. Now the
zip's own sizes are checked before openpyxl opens anything, rows are capped,
XML goes through defusedxml, an upload is parsed once into JSON kept in the
instance's own folder, and confirm (or a day) removes it.
"""

import io
import json
import os
import time
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape
from openpyxl import Workbook

from budgets.models import Disbursement
from excel import layout, workbook
from excel.uploads import SESSION_KEY
from plans.models import Plan
from projects.models import Project
from tests.excel.conftest import FISCAL_YEAR, empty_book, exported, workbook_bytes

pytestmark = pytest.mark.django_db

SST = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">'
        % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    + b"]>\n"
)


def rezip(data: bytes, **members: bytes) -> bytes:
    """``data`` (an .xlsx) with members replaced or added (``xl/...`` paths
    given with ``__`` for ``/`` and ``_x_`` for ``.``)."""
    changes = {
        name.replace("__", "/").replace("_x_", "."): content
        for name, content in members.items()
    }
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename not in changes:
                target.writestr(info.filename, source.read(info.filename))
        for name, content in changes.items():
            target.writestr(name, content)
    return out.getvalue()


def with_doctype(data: bytes, member: str) -> bytes:
    """``member``'s XML behind a "billion laughs" DOCTYPE."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        xml = source.read(member)
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    body = body.replace(b"<t>", b"<t>&lol9;", 1)  # three billion characters
    changed = {member.replace("/", "__").replace(".", "_x_"): LAUGHS + body}
    return rezip(data, **changed)


def with_shared_strings(data: bytes, xml: bytes) -> bytes:
    """``data`` with a shared strings part (openpyxl writes inline strings)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        types = source.read("[Content_Types].xml")
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" />'
    )
    types = types.replace(b"</Types>", override + b"</Types>")
    return rezip(data, xl__sharedStrings_x_xml=xml, **{"[Content_Types]_x_xml": types})


def finance_bytes(rows: int) -> bytes:
    book = Workbook()
    book.active.append(layout.DISBURSEMENTS.headers)
    for number in range(rows):
        book.active.append(["15/11/2568", f"ขบ {number}", "69-001", None, 100])
    return workbook_bytes(book).getvalue()


def plan_bytes(plan) -> bytes:
    return workbook_bytes(exported(plan)).getvalue()


def bomb(plan) -> bytes:
    """A valid plan workbook whose shared strings unpack 1,000 times over."""
    strings = SST + b"<si><t>" + b"a" * (20 * 1024 * 1024) + b"</t></si></sst>"
    return with_shared_strings(plan_bytes(plan), strings)


# ------------------------------------------------------------------ the cases

#: name → (settings to lower, bytes of the file from the plan, Thai message)
CASES = {
    "compression bomb": ({}, bomb, workbook.ERROR_SUSPICIOUS_ZIP),
    "unpacks too large": (
        {"PHAEN_IMPORT_MAX_UNPACKED_BYTES": 1024 * 1024},
        lambda plan: rezip(
            plan_bytes(plan), xl__media__pad_x_bin=os.urandom(1024 * 1024)
        ),
        workbook.ERROR_UNPACKS_TOO_LARGE.format(limit=1),
    ),
    "too many members": (
        {"PHAEN_IMPORT_MAX_MEMBERS": 5},
        plan_bytes,
        workbook.ERROR_SUSPICIOUS_ZIP,
    ),
    "too many rows": (
        {"PHAEN_IMPORT_MAX_ROWS": 3},
        lambda plan, kind="plan": (
            finance_bytes(4)
            if kind == "disbursements"
            else workbook_bytes(
                empty_book(
                    **{
                        layout.PROJECTS.name: [
                            [f"70-{n:03d}", n, f"โครงการ {n}"] for n in range(1, 5)
                        ]
                    }
                )
            ).getvalue()
        ),
        workbook.ERROR_TOO_MANY_ROWS.format(sheet="{sheet}", limit=3),
    ),
    "entities in a sheet": (
        {},
        lambda plan: with_doctype(plan_bytes(plan), "xl/worksheets/sheet2.xml"),
        workbook.ERROR_UNSAFE_XML,
    ),
    "entities in the shared strings": (
        {},
        lambda plan: with_shared_strings(
            plan_bytes(plan), LAUGHS + SST + b"<si><t>&lol9;</t></si></sst>"
        ),
        workbook.ERROR_UNSAFE_XML,
    ),
    "malformed sheet XML": (
        {},
        lambda plan: rezip(
            plan_bytes(plan), xl__worksheets__sheet2_x_xml=b"<worksheet><sheetData><row"
        ),
        workbook.ERROR_NOT_XLSX,
    ),
}


@pytest.fixture
def snapshot(full_plan):
    def take():
        return (
            Plan.objects.count(),
            sorted(Project.objects.values_list("code", "name")),
            Disbursement.objects.count(),
        )

    return take


def _post(client, url_name: str, data: bytes):
    upload = io.BytesIO(data)
    upload.name = "แผน.xlsx"
    return client.post(reverse(url_name), {"fiscal_year": FISCAL_YEAR, "file": upload})


@pytest.mark.parametrize(
    "url_name", ["excel:import_plan", "excel:import_disbursements"]
)
@pytest.mark.parametrize("case", CASES)
def test_the_upload_form_refuses_it_in_thai_and_keeps_nothing(
    client, planner, full_plan, snapshot, settings, upload_dir, case, url_name
):
    lowered, build, message = CASES[case]
    kind = url_name.removeprefix("excel:import_")
    data = build(full_plan, kind) if case == "too many rows" else build(full_plan)
    sheet = layout.PROJECTS.name if kind == "plan" else "Sheet"  # named freely
    message = message.replace("{sheet}", sheet)
    for name, value in lowered.items():
        setattr(settings, name, value)
    before = snapshot()
    client.force_login(planner)
    response = _post(client, url_name, data)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert escape(message) in response.content.decode()
    assert snapshot() == before
    assert not client.session.get(SESSION_KEY)
    assert not upload_dir.exists() or not list(upload_dir.iterdir())


@pytest.mark.parametrize("case", CASES)
def test_the_import_plan_command_refuses_it_in_thai(
    tmp_path, full_plan, office, snapshot, settings, capsys, case
):
    lowered, build, message = CASES[case]
    message = message.replace("{sheet}", layout.PROJECTS.name)
    path = tmp_path / "plan.xlsx"
    path.write_bytes(build(full_plan))
    for name, value in lowered.items():
        setattr(settings, name, value)
    before = snapshot()
    with pytest.raises(CommandError, match="พบข้อผิดพลาด 1 รายการ"):
        call_command("import_plan", str(path), "--fiscal-year", str(FISCAL_YEAR))
    assert message in capsys.readouterr().err
    assert snapshot() == before


def test_a_bomb_is_refused_before_openpyxl_opens_it(full_plan, monkeypatch):
    data = bomb(full_plan)

    def never(*args, **kwargs):
        raise AssertionError("openpyxl opened a zip bomb")

    monkeypatch.setattr(workbook, "load_workbook", never)
    with pytest.raises(workbook.FileRefused, match="โครงสร้างผิดปกติ"):
        workbook.parse(io.BytesIO(data), layout.DATA_SHEETS)


def test_exactly_the_row_cap_is_read(office, settings):
    settings.PHAEN_IMPORT_MAX_ROWS = 3
    rows = [[f"70-{n:03d}", n, f"โครงการ {n}"] for n in range(1, 4)]
    book = empty_book(**{layout.PROJECTS.name: rows})
    parsed = workbook.parse(workbook_bytes(book), layout.DATA_SHEETS)
    assert [row.number for row in parsed.rows[layout.PROJECTS.name]] == [2, 3, 4]


def test_rows_past_a_wrong_stored_size_are_read(full_plan):
    """The streaming reader trusts the sheet's stored size; ours does not."""
    data = plan_bytes(full_plan)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        xml = source.read("xl/worksheets/sheet2.xml")
    start = xml.index(b"<dimension ref=")
    end = xml.index(b"/>", start) + 2
    lying = xml[:start] + b'<dimension ref="A1:B2"/>' + xml[end:]
    parsed = workbook.parse(
        io.BytesIO(rezip(data, xl__worksheets__sheet2_x_xml=lying)), layout.DATA_SHEETS
    )
    codes = [row.values["code"] for row in parsed.rows[layout.PROJECTS.name]]
    assert codes == ["69-001", "69-002"]


# ------------------------------------------------------------------ parse once


def test_preview_and_confirm_do_not_parse_the_file_again(
    client, planner, full_plan, upload_dir, monkeypatch
):
    client.force_login(planner)
    book = exported(full_plan)
    book[layout.PROJECTS.name]["C2"] = "ชื่อใหม่จาก Excel"
    response = _post(client, "excel:import_plan", workbook_bytes(book).getvalue())
    preview_url = response["Location"]
    (stored,) = upload_dir.iterdir()
    token = preview_url.rstrip("/").rsplit("/", 1)[1]
    assert stored.name == f"{token}.json"

    def never(*args, **kwargs):
        raise AssertionError("the upload was parsed again")

    monkeypatch.setattr(workbook, "load_workbook", never)
    for _ in range(2):
        response = client.get(preview_url)
        assert response.status_code == 200
        assert "ยืนยันการนำเข้า" in response.content.decode()
    response = client.post(preview_url, follow=True)
    assert response.status_code == 200
    assert Project.objects.get(code="69-001").name == "ชื่อใหม่จาก Excel"
    assert list(upload_dir.iterdir()) == []


def test_the_stored_upload_belongs_to_its_user(
    client, planner, full_plan, upload_dir, head_a
):
    client.force_login(planner)
    response = _post(client, "excel:import_plan", plan_bytes(full_plan))
    preview_url = response["Location"]
    (stored,) = upload_dir.iterdir()
    data = json.loads(stored.read_text(encoding="utf-8"))
    assert data["user"] == planner.pk
    data["user"] = head_a.pk
    stored.write_text(json.dumps(data), encoding="utf-8")
    # The confirm task (in a worker, no session) reads the file only as its
    # user's: refused with the Thai error, nothing written.
    response = client.post(preview_url, follow=True)
    assert response.status_code == 200
    assert "ไม่มีข้อมูลใดถูกบันทึก" in response.content.decode()
    assert 'data-state="failed"' in response.content.decode()


# ------------------------------------------------------------------ clean-up


def _aged(path, hours: float):
    path.write_text("{}", encoding="utf-8")
    then = time.time() - hours * 3600
    os.utime(path, (then, then))
    return path


def test_an_upload_removes_uploads_older_than_a_day(
    client, planner, full_plan, upload_dir
):
    upload_dir.mkdir(parents=True)
    old = _aged(upload_dir / "abandoned.json", 25)
    recent = _aged(upload_dir / "recent.json", 2)
    client.force_login(planner)
    assert _post(client, "excel:import_plan", plan_bytes(full_plan)).status_code == 302
    assert not old.exists() and recent.exists()
    assert len(list(upload_dir.iterdir())) == 2


def test_clean_uploads_command(upload_dir, capsys):
    upload_dir.mkdir(parents=True)
    old = _aged(upload_dir / "a.json", 30)
    half_written = _aged(upload_dir / "b.part", 48)
    recent = _aged(upload_dir / "c.json", 1)
    call_command("clean_uploads")
    assert "ลบไฟล์นำเข้าที่ค้างอยู่ 2 ไฟล์" in capsys.readouterr().out
    assert not old.exists() and not half_written.exists() and recent.exists()
    call_command("clean_uploads", "--hours", "0.5")
    assert not recent.exists()


def test_the_default_folder_is_the_instances_own():
    from config import settings as config

    assert config.PHAEN_UPLOAD_DIR == config.VAR_DIR / "uploads"
