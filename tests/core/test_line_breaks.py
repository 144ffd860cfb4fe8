"""Where printed lines may break and how wide printed numbers are."""

import pytest
from django.template import Context, Template

from core import tables, thai
from reports.digits import convert_digits


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("รายงาน รอบ 6 เดือน ปีงบประมาณ พ.ศ. 2570", ["รอบ 6 เดือน", "พ.ศ. 2570"]),
        ("รอบ ๖ เดือน", ["รอบ ๖ เดือน"]),
        ("งบประมาณ 1,000,000 บาท จาก สพฐ.", ["1,000,000 บาท"]),
        ("ไตรมาส 1 (ต.ค.–ธ.ค.)", ["ไตรมาส 1"]),
        ("สพป.ทดสอบ เขต 1", ["เขต 1"]),
    ],
)
def test_keep_together_marks_the_phrases_an_office_never_breaks(text, kept):
    html = thai.keep_together_html(text)
    for phrase in kept:
        assert f'<span class="nobr">{phrase}</span>' in html
    assert html.replace('<span class="nobr">', "").replace("</span>", "") == text
    plain = thai.keep_together(text)
    for phrase in kept:
        assert phrase.replace(" ", thai.NBSP) in plain


def test_keep_together_leaves_other_text_alone():
    text = "นักเรียนมีคุณภาพ ครูมีสมรรถนะ"
    assert thai.keep_together_html(text) == text
    assert thai.keep_together(text) == text


def test_documents_keep_phrases_together_in_text_only():
    html = '<h1 title="รอบ 6 เดือน">รายงาน รอบ 6 เดือน</h1><style>p{}</style>'
    converted = convert_digits(html, "thai")
    assert 'title="รอบ 6 เดือน"' in converted
    assert 'รายงาน <span class="nobr">รอบ ๖ เดือน</span></h1>' in converted


def test_name_parts_keep_each_part_whole_and_escape():
    html = Template("{{ name|name_parts }}").render(
        Context({"name": "นางสาวจิรวรรณ สุรเสียง<b>"})
    )
    assert html == (
        '<span class="nobr">นางสาวจิรวรรณ</span> '
        '<span class="nobr">สุรเสียง&lt;b&gt;</span>'
    )


def test_printed_width_follows_the_measured_digits():
    # Measured in Sarabun bold (tests/reports/test_overflow.py keeps it honest):
    # ๙๙๙,๙๙๙,๙๙๙.๙๙ is 8.57 em, ๗๗๗,๗๗๗,๗๗๗.๗๗ 9.6 em, ๑,๐๐๐,๐๐๐.๐๐ 6.9 em;
    # the estimate adds .5 em of padding and may only be wider.
    assert 9.07 < tables.printed_em("๙๙๙,๙๙๙,๙๙๙.๙๙") < 9.6
    assert 10.0 < tables.printed_em("๗๗๗,๗๗๗,๗๗๗.๗๗") < 10.6
    assert tables.printed_em("1,000,000.00") < 7.4
    assert tables.number_col_class(["12,500"], "w-money") == "w-money"
    assert tables.number_col_class(["๙๙๙,๙๙๙,๙๙๙.๙๙"], "w-money") == "w-num-19"


def _wide_table(count: int) -> tables.Table:
    columns = [
        tables.whole("number", "ที่", css="w-no"),
        tables.text("name", "โครงการ"),
        *[
            tables.amount(f"a{i}", f"ไตรมาส {i}", total=tables.SUM)
            for i in range(count)
        ],
        tables.text("note", "หมายเหตุ"),
    ]
    row = {
        "number": 1,
        "name": "โครงการ",
        "note": "",
        **{f"a{i}": 999999999 for i in range(count)},
    }
    return tables.Table("t", columns, [row], css="data tiny")


def test_a_table_of_small_amounts_prints_as_before():
    table = _wide_table(7)
    table.rows[0].update({f"a{i}": 2400 for i in range(7)})
    printed = tables.html_rows(table, "thai")
    assert not printed["landscape"]
    assert len(printed["parts"]) == 1
    assert [css for _, css in printed["columns"]][2:9] == ["w-amount"] * 7


def test_a_table_too_wide_for_landscape_prints_in_parts_repeating_its_names():
    printed = tables.html_rows(_wide_table(7), "thai")

    assert printed["landscape"]
    parts = printed["parts"]
    assert len(parts) == 2
    for part in parts:
        assert [header for header, _ in part["headers"]][:2] == ["ที่", "โครงการ"]
    amounts = [
        h for part in parts for h, _ in part["headers"] if h.startswith("ไตรมาส")
    ]
    assert amounts == [f"ไตรมาส {i}" for i in range(7)]
    assert parts[-1]["headers"][-1][0] == "หมายเหตุ"
    assert all(len(row) == part["span"] for part in parts for row in part["body"])
