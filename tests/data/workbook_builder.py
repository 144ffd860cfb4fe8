"""What every seed builder (``tests/data/build_seed*.py``) shares: Django set up
from the repository root, the whole-office workbook written sheet by sheet in
``excel.layout`` order, and the check that a committed workbook still holds its
builder's rows.

The builders run as scripts (``python tests/data/build_seed000.py``), so the
settings are set here before ``excel`` can be imported: that is why the
first-party imports below sit inside the functions.
"""

import os
from pathlib import Path


def setup_django() -> None:
    """Make Django ready (a builder's first step, before it imports ``excel``)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def write_book(path: Path, data: dict[str, list[dict]], sheets=None) -> None:
    """Write ``data`` (rows per sheet name) as a workbook of ``sheets``.

    ``sheets`` defaults to every sheet of the whole-office workbook, in its
    order, empty ones included, as the importer and the export lay it out.
    """
    from openpyxl import Workbook

    from core import xlsx
    from excel import layout

    book = Workbook()
    book.remove(book.active)
    for sheet in layout.ALL_SHEETS if sheets is None else sheets:
        xlsx.write_sheet(book.create_sheet(), sheet, data.get(sheet.name, []))
    path.write_bytes(xlsx.to_bytes(book))
    print(path)


def write_payments(path: Path, payments: list[dict]) -> None:
    """The disbursement workbook: its one sheet (``import_disbursements``)."""
    from excel import layout

    write_book(path, {layout.DISBURSEMENTS.name: payments}, [layout.DISBURSEMENTS])


def numbered(texts_by_project: dict, key: str = "text") -> list[dict]:
    """Rows of a sheet numbered per project (วัตถุประสงค์, ผลที่คาดว่าจะได้รับ…):
    ``{"2.1": ("a", "b")}`` → project 2.1's rows 1 and 2."""
    return [
        {"project": str(code), "order": order, key: text}
        for code, texts in texts_by_project.items()
        for order, text in enumerate(texts, start=1)
    ]


def written_rows(path: Path) -> dict[str, int]:
    """The non-empty data rows of each whole-office sheet of the workbook at
    ``path``: what a committed workbook holds, to compare with its builder."""
    from openpyxl import load_workbook

    from excel import layout

    book = load_workbook(path, read_only=True)
    return {
        sheet.name: sum(
            1
            for row in book[sheet.name].iter_rows(min_row=2, values_only=True)
            if any(cell is not None for cell in row)
        )
        for sheet in layout.ALL_SHEETS
    }


def builder_rows(data: dict[str, list[dict]]) -> dict[str, int]:
    """The rows a builder's ``rows()`` gives, counted like :func:`written_rows`."""
    from excel import layout

    return {sheet.name: len(data.get(sheet.name, [])) for sheet in layout.ALL_SHEETS}
