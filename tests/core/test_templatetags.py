import datetime
from decimal import Decimal

from django.template import Context, Template


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_filters_format_money_dates_and_percent():
    day = datetime.date(2023, 10, 1)
    assert render("{{ a|baht }}", a=Decimal("30000")) == "30,000.00"
    assert render('{{ a|baht:"thai" }}', a=Decimal("30000")) == "๓๐,๐๐๐.๐๐"
    assert render("{{ a|bahttext }}", a=Decimal("30000")) == "สามหมื่นบาทถ้วน"
    assert render("{{ d|thai_date }}", d=day) == "1 ตุลาคม 2566"
    assert render('{{ d|thai_date:"short" }}', d=day) == "1 ต.ค. 66"
    assert render('{{ d|thai_date:"full-thai" }}', d=day) == "๑ ตุลาคม ๒๕๖๖"
    assert render("{{ p|percent }}", p=Decimal("12")) == "ร้อยละ 12.00"
    assert render("{{ y|be_year }}", y=2023) == "2566"
    assert render("{{ y|fiscal_year_label }}", y=2567) == "ปีงบประมาณ พ.ศ. 2567"
    assert render("{{ n|number }}", n=1234567) == "1,234,567"
    assert render("{{ s|thai_digits }}", s="ข้อ 12") == "ข้อ ๑๒"


def test_filters_render_empty_for_missing_values():
    assert (
        render("[{{ a|baht }}][{{ d|thai_date }}][{{ p|percent }}]", a=None, d=None)
        == "[][][]"
    )
