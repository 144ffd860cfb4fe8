"""The ITA disclosure pack (issue 21 item 2): one .zip per year, its items
and their names read from ``fixtures/ita/<year>.json``, a cover sheet first."""

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from public import exports
from tests.factories import ReportingRoundFactory
from tests.public.conftest import (
    DRAFT_NAME,
    OTHER_OFFICE_NAME,
    PUBLIC_NAME,
    UNPUBLISHED_NAME,
    YEAR,
)

pytestmark = pytest.mark.django_db


def _listing(year: int) -> list[str]:
    """The file names the fixture gives, in its order."""
    data = json.loads((exports.ITA_DIR / "2569.json").read_text(encoding="utf-8"))
    return [item["filename"].format(year=year) for item in data["items"]]


def test_the_command_packs_every_item_of_the_fixture(world, tmp_path):
    for number in (2, 4):  # the 6-month and the year's rounds, locked
        ReportingRoundFactory(
            organization=world.office, fiscal_year=YEAR, number=number, status="locked"
        )
    output = tmp_path / "pack.zip"
    call_command(
        "ita_pack",
        office=world.office.short_name,
        fiscal_year=YEAR,
        output=str(output),
    )
    archive = zipfile.ZipFile(output)
    assert archive.namelist() == [exports.COVER_NAME, *_listing(YEAR)]
    cover = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(archive.read(exports.COVER_NAME))).pages
    )
    for code in ("O10", "O11", "O12"):
        assert code in cover
    assert "ข้อมูล ณ วันที่" in cover
    assert "ยังไม่มีเอกสาร" not in cover
    book = archive.read(_listing(YEAR)[0])
    assert book.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(book)).pages)
    assert "อ่านออกเขียนได้" in text.replace("\n", "")
    for secret in (DRAFT_NAME, OTHER_OFFICE_NAME, UNPUBLISHED_NAME):
        assert secret not in text.replace("\n", "")


def test_the_items_are_data_not_code(world, tmp_path, monkeypatch, client):
    """Another year's list (a new file) changes the pack without code: here
    one item, filed under a new name."""
    (tmp_path / "2567.json").write_text(
        json.dumps(
            {
                "assessment_year": 2567,
                "title": "รายการทดสอบ",
                "items": [
                    {
                        "code": "O99",
                        "title": "แผนการใช้จ่าย",
                        "document": "spending_plan",
                        "filename": "O99-แผนการใช้จ่าย-{year}.xlsx",
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(exports, "ITA_DIR", tmp_path)
    assert exports.ita_list(YEAR).assessment_year == 2567  # the latest earlier list
    response = client.get(f"/public/phoeiphrae1/{YEAR}/ita.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == [exports.COVER_NAME, f"O99-แผนการใช้จ่าย-{YEAR}.xlsx"]
    sheet = archive.read(f"O99-แผนการใช้จ่าย-{YEAR}.xlsx")
    book = load_workbook(io.BytesIO(sheet))
    cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert any(PUBLIC_NAME in str(value) for value in cells)


def test_the_command_refuses_a_plan_not_approved_in_thai(world, tmp_path):
    with pytest.raises(CommandError, match="ยังไม่มีแผนที่อนุมัติแล้ว"):
        call_command(
            "ita_pack",
            office=world.office.short_name,
            fiscal_year=YEAR + 1,
            output=str(tmp_path / "x.zip"),
        )
    assert not (tmp_path / "x.zip").exists()


def test_the_committed_sample_matches_the_fixture():
    """docs/samples/ita-pack-demo-2569.zip, made by ``manage.py ita_pack`` from
    the demo office, lists the cover and every item of the 2569 list."""
    sample = exports.ITA_DIR.parent.parent / "docs/samples/ita-pack-demo-2569.zip"
    assert sample.stat().st_size < 3_000_000
    names = zipfile.ZipFile(sample).namelist()
    assert names == [exports.COVER_NAME, *_listing(2569)]
