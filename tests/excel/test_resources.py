"""Admin export resources: Thai headers, BE dates, numbers as numbers."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from budgets.models import CostLine, Disbursement
from budgets.resources import CostLineResource, DisbursementResource, ProjectResource
from core.admin_export import ThaiXLSX
from core.xlsx import DATE_FORMAT, MONTH_FORMAT
from projects.models import Project, ProjectKPI
from projects.resources import ProjectKPIResource
from tests.factories import DisbursementFactory

pytestmark = pytest.mark.django_db


def _book(resource, queryset):
    dataset = resource.export(queryset)
    return load_workbook(BytesIO(ThaiXLSX().export_data(dataset))).active


def test_cost_lines_export_numbers_with_baht_format(full_plan):
    sheet = _book(CostLineResource(), CostLine.objects.order_by("order"))
    assert [c.value for c in sheet[1]] == [
        "รหัสโครงการ",
        "กิจกรรม",
        "หมวดรายจ่าย",
        "รายการ",
        "จำนวนครั้ง",
        "จำนวนคน/หน่วย",
        "จำนวนวัน/มื้อ",
        "อัตรา (บาท)",
        "จำนวนเงิน (บาท)",
    ]
    assert [c.value for c in sheet[2]][7:] == [120.5, 14460]
    assert sheet["I2"].data_type == "n" and sheet["I2"].number_format == "#,##0.00"
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet["C2"].value == "ค่าใช้สอย"


def test_disbursements_export_be_dates(full_plan):
    DisbursementFactory(
        activity=full_plan.projects.get(code="69-001").activities.first(),
        amount=Decimal("1500.50"),
    )
    sheet = _book(DisbursementResource(), Disbursement.objects.all())
    assert sheet["A1"].value == "วันที่"
    assert sheet["A2"].value == datetime.datetime(2024, 11, 15)
    assert sheet["A2"].number_format == DATE_FORMAT
    assert sheet["E2"].value == 1500.5


def test_project_and_kpi_exports_are_thai(full_plan):
    sheet = _book(ProjectResource(), Project.objects.order_by("code"))
    row = [c.value for c in sheet[2]]
    assert row[:5] == [
        2569,
        "69-001",
        "โครงการพัฒนาการอ่านออกเขียนได้",
        "กลุ่มส่งเสริมการจัดการศึกษา",
        "โครงการต่อเนื่อง",
    ]
    assert row[5:9] == [
        datetime.datetime(2025, 10, 1),
        datetime.datetime(2026, 9, 1),
        "งบประมาณจาก สพฐ.",
        "ใช้งบประมาณ",
    ]
    assert sheet["F2"].number_format == MONTH_FORMAT
    kpis = _book(ProjectKPIResource(), ProjectKPI.objects.order_by("order"))
    assert kpis["D2"].value == "ไม่น้อยกว่าร้อยละ 80"
