"""No cyclic garbage collection while a PDF is laid out and written
(``reports.pdf.cyclic_gc_paused``): it took a quarter of the plan book's
CPU time to walk objects that all live until the render ends."""

import gc
import sys

import pytest

from reports import pdf

pytestmark = pytest.mark.pdf

#: Enough boxes and glyphs for the collector to run many times unpaused.
HTML = (
    '<html lang="th"><head><title>ทดสอบ</title>'
    '<link rel="stylesheet" href="/static/css/print.css"></head><body>'
    + "".join(
        f"<h2>ส่วนที่ {part}</h2><table class='data'>"
        + "".join(
            f"<tr><td>{n}</td><td>ค่าอาหารกลางวัน สำนักงานเขตพื้นที่การศึกษา</td>"
            f"<td class='num'>๒,๔๐๐.๐๐</td></tr>"
            for n in range(40)
        )
        + "</table>"
        for part in range(3)
    )
    + "</body></html>"
)


def _in_weasyprint() -> bool:
    frame = sys._getframe(1)
    while frame is not None:
        if "/weasyprint/" in frame.f_code.co_filename:
            return True
        frame = frame.f_back
    return False


@pytest.fixture
def collections():
    """Generations of the cyclic collections run while WeasyPrint worked
    (one may run right after, when the collector is switched on again)."""
    runs = []

    def record(phase, info):
        if phase == "start" and _in_weasyprint():
            runs.append(info["generation"])

    gc.callbacks.append(record)
    yield runs
    gc.callbacks.remove(record)


def test_no_collection_runs_while_a_pdf_is_rendered(collections):
    assert gc.isenabled()
    content = pdf.render_pdf(HTML, tagged=True)

    assert content.startswith(b"%PDF")
    assert collections == []
    assert gc.isenabled()  # collected again afterwards


def test_a_pdf_laid_out_in_parts_runs_no_collection_either(collections):
    part = pdf.lay_out_part(HTML)

    assert part.pages >= 2
    assert collections == []
    assert gc.isenabled()


def test_the_pause_ends_with_the_last_of_overlapping_renders():
    with pdf.cyclic_gc_paused():
        with pdf.cyclic_gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer render is still running
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    try:
        with pdf.cyclic_gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_pause_ends_when_the_render_fails():
    with pytest.raises(ValueError), pdf.cyclic_gc_paused():
        raise ValueError("แบบทดสอบ")
    assert gc.isenabled()
