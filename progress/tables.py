"""The progress board as a workbook ("ดาวน์โหลด Excel"), from the rows the
page renders (:func:`progress.selectors.board`); the look is :mod:`core.xlsx`'s.

The summary by group is described once (:func:`board_summary_table`): the
page prints it with ``{% data_table %}`` and the workbook writes it. The
projects stay hand-written on the page: there each group has its own table,
a late project's row is marked in red and its state is a badge in the
state's colour, which a :class:`core.tables.Table` does not describe; the
workbook lists them in one sheet with the group as a column.
"""

from django.http import HttpResponse

from core.tables import Table, percent, text, whole
from core.xlsx import PERCENT, add_about, add_table, new_book, respond
from progress.selectors import BOARD_STATES


def board_summary_table(board) -> Table:
    """Each group's reports by state (a count and its share), all the office's
    in the total row; no rows and no total without a round (``board`` is
    ``None``)."""
    cells = []
    for state, label in BOARD_STATES:
        cells += [
            whole(state, label, 12),
            percent(f"{state}_share", f"{label} (ร้อยละ)"),
        ]

    def tally_row(name, tally):
        row = {"name": name, "total": tally.total, "done": tally.done_percent}
        for state, _, count, share in tally.cells:
            row.update({state: count, f"{state}_share": share})
        return row

    groups = board.groups if board else []
    return Table(
        "สรุปรายกลุ่ม",
        [
            text("name", "กลุ่ม", 40),
            *cells,
            whole("total", "รวม"),
            percent("done", "ส่งแล้ว (ร้อยละ)"),
        ],
        [tally_row(entry.group.display_name, entry.tally) for entry in groups],
        tally_row("รวมทั้งสำนักงาน", board.tally) if board else None,
        testid="summary",
        css="data compact",
    )


def board_response(board, fiscal_year: int) -> HttpResponse:
    """``progress:board`` (a ``progress.selectors.Board``, or ``None`` when the
    year has no reporting round yet)."""
    book = new_book()
    groups = board.groups if board else []
    add_table(book, board_summary_table(board))
    add_table(
        book,
        Table(
            "รายโครงการ",
            [
                text("group", "กลุ่ม", 40),
                text("code", "รหัสโครงการ", 12),
                text("name", "โครงการ", 50),
                text("state", "สถานะรายงาน", 18),
                text("overdue", "เกินกำหนด", 12),
            ],
            [
                {
                    "group": entry.group.name,
                    "code": row.project.code,
                    "name": row.project.name,
                    "state": row.state_label,
                    "overdue": "เกินกำหนด" if row.overdue else "",
                }
                for entry in groups
                for row in entry.rows
            ],
        ),
    )
    title = f"ติดตามการรายงานความก้าวหน้า ปีงบประมาณ พ.ศ. {fiscal_year}"
    if board is None:
        add_about(book, title, [("รอบการรายงาน", "ยังไม่มีรอบการรายงานของปีงบประมาณนี้")])
        return respond(book, f"ติดตามการรายงาน-{fiscal_year}.xlsx")
    reporting_round = board.round
    add_about(
        book,
        title,
        [
            ("รอบการรายงาน", reporting_round.label),
            ("ข้อมูลสะสม ณ วันที่", reporting_round.period_end),
            ("กำหนดส่ง", reporting_round.due_date),
            ("โครงการทั้งหมด", board.tally.total),
            ("ส่งแล้ว/ตรวจรับแล้ว", board.tally.done),
            ("ร้อยละที่ส่งแล้ว", board.tally.done_percent, PERCENT),
            ("ค้างส่งเกินกำหนด", board.tally.overdue),
        ],
    )
    return respond(
        book, f"ติดตามการรายงาน-{fiscal_year}-รอบ{reporting_round.months}เดือน.xlsx"
    )
