import xml.etree.ElementTree as ET
from decimal import Decimal

from reports.charts import Series, Slice, bar_chart, pie_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_pie_chart_draws_one_slice_per_nonzero_value_and_exact_shares():
    svg = pie_chart(
        [Slice("เสร็จสิ้น", 2), Slice("ระหว่างดำเนินการ", 15), Slice("ยังไม่ดำเนินการ", 0)]
    )
    root = ET.fromstring(str(svg))
    assert len(root.findall(f"{SVG}path")) == 2
    legend = " ".join(text.text for text in root.findall(f"{SVG}text"))
    # seed 002: 2 of 17 is 11.76 %, and the column adds up to exactly 100.00
    assert "เสร็จสิ้น – 2 (ร้อยละ 11.76)" in legend
    assert "ระหว่างดำเนินการ – 15 (ร้อยละ 88.24)" in legend
    assert "ยังไม่ดำเนินการ – 0 (ร้อยละ 0.00)" in legend


def test_pie_chart_with_one_category_is_a_full_circle_and_thai_digits():
    root = ET.fromstring(str(pie_chart([Slice("เสร็จสิ้น", 5)], digits="thai")))
    assert len(root.findall(f"{SVG}circle")) == 1
    assert "ร้อยละ ๑๐๐.๐๐" in root.findall(f"{SVG}text")[0].text


def test_pie_chart_without_data_says_so():
    root = ET.fromstring(str(pie_chart([Slice("ก", 0)])))
    assert any(text.text == "ไม่มีข้อมูล" for text in root.findall(f"{SVG}text"))


def test_labels_are_escaped():
    svg = str(pie_chart([Slice('<script>alert("x")</script>', 1)]))
    assert "<script>" not in svg
    ET.fromstring(svg)  # still well-formed


def test_bar_chart_heights_are_proportional_to_values():
    svg = bar_chart(
        ["ไตรมาส 1", "ไตรมาส 2"],
        [
            Series("แผน", [Decimal("100000"), Decimal("50000")]),
            Series("เบิกจ่าย", [Decimal("25000"), Decimal("0")]),
        ],
    )
    root = ET.fromstring(str(svg))
    bars = [rect for rect in root.findall(f"{SVG}rect") if rect.get("data-series")]
    assert len(bars) == 4
    heights = {
        (b.get("data-series"), b.get("data-value")): float(b.get("height"))
        for b in bars
    }
    assert heights[("แผน", "100000")] == 2 * heights[("แผน", "50000")]
    assert heights[("แผน", "100000")] == 4 * heights[("เบิกจ่าย", "25000")]
    assert heights[("เบิกจ่าย", "0")] == 0
    axis = [text.text for text in root.findall(f"{SVG}text")]
    assert "100,000" in axis
