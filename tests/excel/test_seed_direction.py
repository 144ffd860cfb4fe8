"""Seed 003's FY2566 direction, typed into the plan workbook, imports in one go
(it took about a hundred admin saves before; issue 15 item 2)."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from plans.indicators import Unit
from plans.models import (
    Goal,
    Guideline,
    Indicator,
    IndicatorTarget,
    Mission,
    Plan,
    Strategy,
)
from plans.selectors import direction_for_plan
from tests.factories import OrganizationFactory
from tests.pdf_utils import normalise, pdf_text

pytestmark = pytest.mark.django_db

WORKBOOK = Path(__file__).resolve().parent.parent / "data" / "seed003_direction.xlsx"


def test_seed_003_direction_imports_through_the_command():
    office = OrganizationFactory(short_name="สพป.ยโสธร เขต 2")
    out = StringIO()
    call_command("import_plan", str(WORKBOOK), "--fiscal-year", "2566", stdout=out)
    plan = Plan.objects.get(organization=office, fiscal_year=2566)
    counts = (
        Mission.objects.filter(plan=plan).count(),
        Goal.objects.filter(plan=plan).count(),
        Strategy.objects.filter(plan=plan).count(),
        Indicator.objects.filter(strategy__plan=plan).count(),
        Guideline.objects.filter(strategy__plan=plan).count(),
    )
    assert counts == (4, 7, 4, 80, 62)
    # 70 indicators print their 2566 target; the 10 text indicators the seed
    # gives no target for have none (no stand-in sentence is invented).
    targets = IndicatorTarget.objects.filter(
        indicator__strategy__plan=plan, fiscal_year=2566
    )
    assert targets.count() == 70
    untargeted = Indicator.objects.filter(strategy__plan=plan, targets__isnull=True)
    assert untargeted.count() == 10
    assert {i.unit for i in untargeted} == {Unit.TEXT}
    assert not targets.filter(target_text="บรรลุตามตัวชี้วัด").exists()
    # The direction prints "–" for them (its template's default for "").
    printed = {
        row.code: row.targets
        for strategy in direction_for_plan(plan).strategies
        for row in strategy.indicators
    }
    for indicator in untargeted:
        assert printed[indicator.code] == [""]
    assert plan.vision.startswith("ภายในปีงบประมาณ ๒๕๗๐ สำนักงานเขตพื้นที่การศึกษา")
    assert plan.edition_label == "ฉบับปรับปรุง"
    assert plan.missions.get(number=2).text == (
        "พัฒนาผู้บริหาร ครูและบุคลากรทางการศึกษาให้มีคุณภาพตามมาตรฐานวิชาชีพ"
    )
    assert plan.strategies.get(number=4).title == "การพัฒนาสำนักงานเขตพื้นที่การศึกษา"
    first = Indicator.objects.get(strategy__plan=plan, number=1)
    assert first.strategy.number == 1
    assert first.name.startswith("ร้อยละ ๘๐ ของผู้เรียน มีความเข้าใจในภัยคุกคาม")
    assert first.tags == "S,M"
    assert first.targets.get().target_value == Decimal("80")
    last = Indicator.objects.get(strategy__plan=plan, number=80)
    assert last.strategy.number == 4
    assert Guideline.objects.get(
        strategy__plan=plan, strategy__number=1, number=14
    ).text == (
        "สนับสนุน กำหนดแนวทาง และกระบวนการในการส่งต่อนักเรียนให้ได้รับการศึกษาในระดับที่สูงขึ้น "
        "หรือมีทักษะอาชีพในการดำรงชีวิต"
    )
    assert "ทิศทาง: สร้างใหม่ 15" in out.getvalue()


def test_seed_003_under_another_year_is_refused():
    OrganizationFactory(short_name="สพป.ยโสธร เขต 2")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_plan", str(WORKBOOK), "--fiscal-year", "2570", stderr=err)
    assert "ไฟล์นี้เป็นแผนปีงบประมาณ 2566 แต่เลือกนำเข้าเป็นปีงบประมาณ 2570" in err.getvalue()
    assert not Plan.objects.exists()


def test_seed_003_preamble_signer_and_smart_sets_print_in_the_plan_book(tmp_path):
    """The announcement's opening paragraph, date and signer, the S/M/A/R/T
    definitions under each strategy, and each indicator's target said once
    (the seed prints "ร้อยละ ๘๐ ของผู้เรียน …" and no separate target)."""
    import datetime

    office = OrganizationFactory(short_name="สพป.ยโสธร เขต 2")
    call_command(
        "import_plan", str(WORKBOOK), "--fiscal-year", "2566", stdout=StringIO()
    )
    plan = Plan.objects.get(organization=office, fiscal_year=2566)
    assert plan.preamble.startswith("เพื่อให้บรรลุวิสัยทัศน์ของสำนักงานเขตพื้นที่การศึกษา")
    assert plan.preamble.endswith("ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ ดังนี้")
    assert plan.announced_on == datetime.date(2022, 11, 9)
    assert plan.signatory == "นายบวร เทศารินทร์"
    teachers = plan.strategies.get(number=2).characteristics.splitlines()
    assert teachers[0] == (
        "หมายเหตุ : คุณลักษณะของครูและบุคลากรทางการศึกษา (SMART Teachers) ได้แก่"
    )
    assert teachers[1:] == [
        "S ; Space หมายถึง การจัดพื้นที่เรียนรู้ ห้องเรียน การจัดบรรยากาศในห้องเรียน สื่อ นวัตกรรม",
        "M ; Measurement หมายถึง การวัดและประเมินผลการเรียนรู้",
        "A ; Active Learning หมายถึง การจัดการเรียนรู้ และการจัดการเรียนการสอนเชิงรุก",
        "R ; Result หมายถึง ผลลัพธ์ที่คาดหวัง หรือผลสัมฤทธิ์ทางการเรียนรู้",
        "T ; Teacher ideology หมายถึง การมีคุณธรรม จริยธรรม และอุดมการณ์ หรือความเป็นครูมืออาชีพ",
    ]
    assert all(plan.strategies.values_list("characteristics", flat=True))
    stating = Indicator.objects.filter(strategy__plan=plan, states_target=True)
    assert stating.count() == 70
    # The number is still kept, to judge the year's results against.
    assert stating.get(number=1).targets.get().target_value == Decimal("80")

    output = tmp_path / "plan.pdf"
    call_command(
        "render_plan",
        "--fiscal-year",
        "2566",
        "--office",
        "สพป.ยโสธร เขต 2",
        "--output",
        str(output),
        stdout=StringIO(),
    )
    flat = "".join(pdf_text(output.read_bytes()).split())

    def printed(words: str) -> bool:
        return "".join(normalise(words).split()) in flat

    assert printed("เพื่อให้บรรลุวิสัยทัศน์ของสำนักงานเขตพื้นที่การศึกษาประถมศึกษาชัยโสธร")
    assert printed("S ; Skills หมายถึง การมีทักษะวิชาการ")
    assert printed("T ; Technology หมายถึง การมีข้อมูลสารสนเทศ")
    assert printed("ร้อยละ ๘๐ ของผู้เรียน มีความเข้าใจในภัยคุกคามรูปแบบใหม่")
    assert printed("ประกาศ ณ วันที่ ๙ พฤศจิกายน พ.ศ. ๒๕๖๕")
    assert printed("( นายบวร เทศารินทร์ )")
    # Printed once, in the indicator's words; never again as a target cell.
    assert not printed("ไม่น้อยกว่าร้อยละ")
