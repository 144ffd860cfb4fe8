"""Issue 21 item 5: success-level indicators (ระดับความสำเร็จ 1–5).

A KPI or strategy indicator may be measured in five levels with a criterion
per level; its target is a level; the group reports the level reached with
evidence per level; it is met when the level reached is at least the target.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from home.dashboard import strategy_attainment
from plans.indicators import (
    ERROR_LEVEL_CRITERIA,
    ERROR_LEVEL_CRITERIA_UNUSED,
    ERROR_LEVEL_TARGET,
    Comparison,
)
from progress.models import ERROR_KPI_LEVEL, KPIActual, ProgressReport
from progress.services import ERROR_FOREIGN_KPI
from reports.models import IndicatorResult
from reports.selectors import indicator_attainment
from tests.factories import (
    IndicatorFactory,
    IndicatorTargetFactory,
    OfficeGroupFactory,
    PlanFactory,
    ProjectKPIFactory,
    StrategyFactory,
)
from tests.progress.conftest import FY, make_project

pytestmark = pytest.mark.django_db

CRITERIA = [
    "มีคำสั่งแต่งตั้งคณะทำงาน",
    "มีแผนการนิเทศที่ผ่านความเห็นชอบ",
    "ดำเนินการนิเทศครบทุกโรงเรียน",
    "สรุปผลการนิเทศและรายงานผู้บริหาร",
    "นำผลไปปรับปรุงและเผยแพร่แนวปฏิบัติที่ดี",
]


def level_kpi(project, **fields):
    return ProjectKPIFactory(
        project=project,
        name="ระดับความสำเร็จของการนิเทศติดตาม",
        unit="success",
        target_value=4,
        level_criteria=CRITERIA,
        **fields,
    )


# ------------------------------------------------------------------ model


@pytest.mark.parametrize("target", [None, 0, 6, Decimal("3.5")])
def test_a_level_target_is_a_whole_level_1_to_5(target):
    kpi = ProjectKPIFactory.build(
        unit="success", target_value=target, level_criteria=CRITERIA
    )
    with pytest.raises(ValidationError) as caught:
        kpi.clean()
    assert ERROR_LEVEL_TARGET in caught.value.message_dict["target_value"]


@pytest.mark.parametrize(
    "criteria", [[], CRITERIA[:4], [*CRITERIA[:4], "  "], "ระดับ 1"]
)
def test_a_success_level_indicator_needs_five_criteria(criteria):
    kpi = ProjectKPIFactory.build(
        unit="success", target_value=4, level_criteria=criteria
    )
    with pytest.raises(ValidationError) as caught:
        kpi.clean()
    assert caught.value.message_dict["level_criteria"] == [ERROR_LEVEL_CRITERIA]


def test_criteria_on_a_percent_indicator_are_refused():
    indicator = IndicatorFactory.build(unit="percent", level_criteria=CRITERIA)
    with pytest.raises(ValidationError) as caught:
        indicator.clean()
    assert caught.value.message_dict["level_criteria"] == [ERROR_LEVEL_CRITERIA_UNUSED]


def test_a_level_target_always_means_this_level_or_higher():
    kpi = ProjectKPIFactory.build(
        unit="success", target_value=4, level_criteria=CRITERIA, comparison="lte"
    )
    kpi.clean()
    assert kpi.comparison == Comparison.AT_LEAST
    assert kpi.target_display(kpi.unit) == "ระดับ 4"
    assert [row["is_target"] for row in kpi.level_rows(kpi.target_value)] == [
        False,
        False,
        False,
        True,
        False,
    ]


# ------------------------------------------------------------------ attainment


def test_attainment_counts_a_level_met_when_reached_is_at_least_the_target(plan):
    """By hand: level target 4 reached 4 = met, reached 3 = not met, a
    percent indicator 85 against 80 = met → 2 of 3 (67 %)."""
    strategy = StrategyFactory(plan=plan, number=1)
    rows = [("success", 4, 4), ("success", 4, 3), ("percent", 80, 85)]
    for number, (unit, target, actual) in enumerate(rows, start=1):
        indicator = IndicatorFactory(
            strategy=strategy,
            number=number,
            unit=unit,
            level_criteria=CRITERIA if unit == "success" else [],
        )
        IndicatorTargetFactory(indicator=indicator, fiscal_year=FY, target_value=target)
        IndicatorResult.objects.create(
            indicator=indicator, fiscal_year=FY, actual_value=actual
        )

    attainment = indicator_attainment(plan)

    lines = attainment.strategies[0].indicators
    assert [line.achieved for line in lines] == [True, False, True]
    assert (attainment.achieved, attainment.total) == (2, 3)
    assert attainment.percent == Decimal("66.67")
    assert [line.result for line in lines[:2]] == ["ระดับ 4", "ระดับ 3"]
    reached = [row["level"] for row in lines[1].levels if row["is_reached"]]
    target = [row["level"] for row in lines[1].levels if row["is_target"]]
    assert (reached, target) == ([3], [4])
    assert lines[2].levels == []
    (dashboard,) = strategy_attainment(plan)
    assert (dashboard.achieved, dashboard.indicators) == (2, 3)


def test_a_project_kpi_level_is_met_from_the_level_reached(plan, group_a, round1):
    project = make_project(plan, group_a)
    kpi = level_kpi(project)
    report = ProgressReport.objects.create(project=project, round=round1)
    met = KPIActual(report=report, kpi=kpi, actual_value=4)
    missed = KPIActual(report=report, kpi=kpi, actual_value=3)
    assert (met.achieved, missed.achieved) == (True, False)
    assert met.reached_label == "ระดับ 4"


# ------------------------------------------------------------------ progress screen


def _url(reporting_round, group):
    return reverse("progress:group_round", args=[reporting_round.pk, group.pk])


def _data(project, kpi_index=0, **kpi_fields):
    """The full POST the group screen sends for ``project`` with one KPI."""
    prefix = f"p{project.pk}"
    kpis = list(project.kpis.all())
    data = {
        f"{prefix}-status": "in_progress",
        f"{prefix}-percent_complete": "60",
        f"{prefix}-output_progress": "นิเทศครบทุกโรงเรียนแล้ว",
        f"{prefix}-outcome_progress": "",
        f"{prefix}-problems": "",
        f"{prefix}-suggestions": "",
        f"{prefix}-act-TOTAL_FORMS": "0",
        f"{prefix}-act-INITIAL_FORMS": "0",
        f"{prefix}-kpi-TOTAL_FORMS": str(len(kpis)),
        f"{prefix}-kpi-INITIAL_FORMS": str(len(kpis)),
        "save": "1",
    }
    for index, kpi in enumerate(kpis):
        data[f"{prefix}-kpi-{index}-kpi"] = str(kpi.pk)
        data[f"{prefix}-kpi-{index}-actual"] = ""
    for name, value in kpi_fields.items():
        data[f"{prefix}-kpi-{kpi_index}-{name}"] = value
    return data


LEVEL_POST = {
    "actual": "ระดับ ๔",
    "evidence_1": "คำสั่งที่ 12/2569",
    "evidence_2": "แผนการนิเทศ.pdf",
    "evidence_3": "",
    "evidence_4": "รายงานสรุปผลการนิเทศ",
}


@pytest.fixture
def level_project(plan, group_a):
    project = make_project(plan, group_a, name="โครงการนิเทศติดตามคุณภาพ")
    level_kpi(project)
    return project


def test_the_screen_shows_the_criteria_and_records_level_and_evidence(
    client, round1, group_a, level_project, head_a
):
    client.force_login(head_a)
    page = client.get(_url(round1, group_a)).content.decode()
    for text in CRITERIA:
        assert text in page
    assert "(เป้าหมาย)" in page
    assert "หลักฐานระดับ 5" in page

    response = client.post(_url(round1, group_a), _data(level_project, **LEVEL_POST))

    assert response.status_code == 302
    actual = KPIActual.objects.get(report__project=level_project)
    assert actual.actual_value == 4
    assert actual.level_evidence == [
        "คำสั่งที่ 12/2569",
        "แผนการนิเทศ.pdf",
        "",
        "รายงานสรุปผลการนิเทศ",
        "",
    ]
    assert actual.achieved is True
    reopened = client.get(_url(round1, group_a)).content.decode()
    assert 'value="รายงานสรุปผลการนิเทศ"' in reopened


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"actual": "6"}, ERROR_KPI_LEVEL),
        ({"actual": "3.5"}, ERROR_KPI_LEVEL),
        ({"actual": "ระดับดีมาก"}, ERROR_KPI_LEVEL),
        (
            {"actual": "3", "evidence_4": "รายงานสรุปผล"},
            "ระดับ 4 ยังสูงกว่าระดับที่ทำได้",
        ),
    ],
)
def test_a_bad_level_or_evidence_above_it_is_refused_in_thai(
    client, round1, group_a, level_project, head_a, fields, message
):
    client.force_login(head_a)
    response = client.post(_url(round1, group_a), _data(level_project, **fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not KPIActual.objects.exists()


def test_another_offices_level_kpi_is_refused(
    client, round1, group_a, level_project, head_a, outsider, other_office
):
    """A valid level POST: by another office's planner on this office's
    screen (404), and for another office's KPI id on this office's form."""
    client.force_login(outsider)
    response = client.post(_url(round1, group_a), _data(level_project, **LEVEL_POST))
    assert response.status_code == 404

    foreign = make_project(
        PlanFactory(organization=other_office, fiscal_year=FY),
        OfficeGroupFactory(organization=other_office),
    )
    foreign_kpi = level_kpi(foreign)
    client.force_login(head_a)
    data = _data(level_project, **LEVEL_POST)
    data[f"p{level_project.pk}-kpi-0-kpi"] = str(foreign_kpi.pk)
    response = client.post(_url(round1, group_a), data)

    assert response.status_code == 200
    assert ERROR_FOREIGN_KPI in response.content.decode()
    assert not KPIActual.objects.exists()
    assert not ProgressReport.objects.exists()


def test_the_planners_report_page_shows_which_evidence_supports_which_level(
    client, planner, round1, group_a, level_project
):
    report = ProgressReport.objects.create(project=level_project, round=round1)
    KPIActual.objects.create(
        report=report,
        kpi=level_project.kpis.get(),
        actual_value=2,
        level_evidence=["คำสั่งที่ 12/2569", "แผนการนิเทศ.pdf", "", "", ""],
    )
    client.force_login(planner)
    page = client.get(reverse("progress:report_detail", args=[report.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "ระดับ 2" in text
    assert "เกณฑ์ระดับความสำเร็จและหลักฐาน" in text
    assert "แผนการนิเทศ.pdf" in text and CRITERIA[1] in text
