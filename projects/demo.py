"""Demo project sheets of สพป.ยโสธร เขต 2 (seed 000 style).

``load_demo_projects`` runs after ``plans.demo.load_demo_plan``. It builds every
sheet of ``PROJECTS`` for the current fiscal year, in several workflow states,
and the subset ``PREVIOUS_YEAR`` for the previous fiscal year, all approved
before that year began (a whole year of the product: budgets, progress and
reports demos build on them). Projects are keyed by code
("{fiscal_year % 100}-001" …) and their parts by order, so a second run
updates rows in place and keeps primary keys (budgets, progress and
disbursements of other apps point at activities and KPIs). The workflow of each
project is replayed through the services only when its recorded history does
not already match, so transitions are created once.

Activity orders are 1, 2, 3 … in the order listed below; the budgets demo
keys its cost lines on (project code, activity order).

``home.demo.load_demo`` (``make run``) runs this builder only on a demo office
that holds no plan, money or reporting round yet, so the rows it rewrites or
deletes when called again are never ones people entered.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.models import OfficeGroup, Organization, Person
from core.thai import current_fiscal_year, fiscal_month_dates, fiscal_year_range
from plans.models import Plan, PolicyItem, Strategy
from projects import services
from projects.models import (
    Activity,
    ExpectedResult,
    Objective,
    Project,
    ProjectKPI,
    ProjectResponsible,
    ProjectRevision,
    ProjectTarget,
    ProjectTransition,
)

DEMO_OFFICE_PK = 1
BASIC = "พื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพคน"
EQUITY = "พื้นฐานด้านการสร้างโอกาสและความเสมอภาคทางสังคม"
ADMIN = "พื้นฐานด้านการปรับสมดุลและพัฒนาระบบการบริหารจัดการภาครัฐ"

# Workflow paths. "return:…" and "revise:…" carry the comment / reason.
DRAFT: list[str] = []
SUBMITTED = ["submit"]
CHECKED = ["submit", "check"]
APPROVED = ["submit", "check", "approve"]
RETURNED = ["submit", "return:กรุณาเพิ่มตัวชี้วัดผลลัพธ์และระบุเครื่องมือการประเมินให้ชัดเจน"]
REVISED = [
    *APPROVED,
    "revise:ปรับช่วงเวลากิจกรรมตามปฏิทินการสอบของ สพฐ. ที่เลื่อนออกไป",
    *APPROVED,
]

# A KPI: (result kind, name, unit, target value or None, target text, method,
# instrument). Units: percent, count, level, text.
OUT, OUTCOME = "output", "outcome"

PROJECTS = [
    {
        "group": 5,
        "name": "น้อมนำพระบรมราโชบายด้านการศึกษาของในหลวงรัชกาลที่ 10 สู่การปฏิบัติ",
        "budget_plan": BASIC,
        "kind": "continuing",
        "responsibles": [5, 6],
        "note": "และคณะ",
        "period": (0, 11),
        "strategies": [1],
        "policies": ["1", "3"],
        "rationale": [
            "สมเด็จพระเจ้าอยู่หัวมหาวชิราลงกรณ บดินทรเทพยวรางกูร ทรงมีพระบรมราโชบายด้านการศึกษา"
            " มุ่งสร้างพื้นฐานให้แก่ผู้เรียน 4 ด้าน ได้แก่ การมีทัศนคติที่ถูกต้องต่อบ้านเมือง"
            " การมีพื้นฐานชีวิตที่มั่นคงมีคุณธรรม การมีงานทำมีอาชีพ และการเป็นพลเมืองดี",
            "สำนักงานเขตพื้นที่การศึกษาประถมศึกษายโสธร เขต 2 จึงจัดทำโครงการนี้เพื่อส่งเสริมให้"
            "โรงเรียนในสังกัดนำพระบรมราโชบายสู่การปฏิบัติอย่างเป็นรูปธรรมและต่อเนื่อง",
        ],
        "objectives": [
            "เพื่อส่งเสริมให้ผู้เรียนมีทัศนคติที่ดีต่อบ้านเมือง มีโอกาสทำหน้าที่พลเมืองดี"
            " และมีพื้นฐานชีวิตที่มั่นคงและมีคุณธรรม",
            "เพื่อเสริมสร้างให้ผู้เรียนรับรู้ความสามารถของตนด้านการประกอบอาชีพ",
        ],
        "quantitative": [("โรงเรียนในสังกัดน้อมนำพระบรมราโชบายสู่การปฏิบัติ", 124, "โรงเรียน")],
        "qualitative": [
            "ผู้เรียนทุกช่วงวัยมีความรักสถาบันหลักของชาติ และยึดมั่นการปกครองระบอบประชาธิปไตย"
            "อันมีพระมหากษัตริย์ทรงเป็นประมุข"
        ],
        "activities": [
            ("ประชุมคณะกรรมการดำเนินงาน", "คณะกรรมการ 15 คน", [1], 5),
            (
                "จัดกิจกรรมแลกเปลี่ยนเรียนรู้และประกวดผลงานตามพระบรมราโชบายด้านการศึกษา",
                "124 โรงเรียน",
                [4, 5, 6],
                6,
            ),
            ("นิเทศ ติดตามการดำเนินงานในสถานศึกษา", "30 โรงเรียน", [7, 8], 6),
            ("สรุป รายงานผลการดำเนินงานโครงการ", "1 เล่ม", [10, 11], 6),
        ],
        "kpis": [
            (
                OUT,
                "ร้อยละของโรงเรียนที่จัดกิจกรรมตามพระบรมราโชบายด้านการศึกษา",
                "percent",
                100,
                "",
                "ตรวจสอบรายงานของโรงเรียน",
                "แบบรายงานผลการดำเนินงาน",
            ),
            (
                OUTCOME,
                "ร้อยละของนักเรียนที่มีคุณลักษณะอันพึงประสงค์ระดับดีขึ้นไป",
                "percent",
                85,
                "",
                "ประเมินคุณลักษณะอันพึงประสงค์",
                "แบบประเมินคุณลักษณะอันพึงประสงค์",
            ),
        ],
        "expected": [
            "ผู้เรียนทุกช่วงวัยมีความรักสถาบันหลักของชาติ",
            "ผู้เรียนรับรู้ขีดความสามารถของตนเพื่อเป็นแนวทางในการประกอบอาชีพ",
        ],
        "uses_budget": True,
        "workflow": REVISED,
    },
    {
        "group": 5,
        "name": "จิตอาสาพระราชทานตามแนวพระราชดำริ หลักสูตรจิตอาสา 904 “หลักสูตรพื้นฐาน”",
        "budget_plan": BASIC,
        "kind": "new",
        "responsibles": [6, "นางสาวเพ็ญประภา มีเพียร"],
        "note": "และคณะ",
        "period": (8, 10),
        "strategies": [1],
        "policies": ["1"],
        "rationale": [
            "จิตอาสา คือ ผู้ที่มีจิตใจเป็นผู้ให้ ทั้งแรงกาย แรงสมอง และเวลา เพื่อประโยชน์ของส่วนรวม"
            " งานจิตอาสาเป็นช่องทางหนึ่งในการพัฒนายกระดับจิตใจของเยาวชนให้หันมาทำกิจกรรมเพื่อสังคม",
            "สำนักงานเขตพื้นที่การศึกษาจึงจัดทำโครงการนี้ เพื่อเสริมสร้างคุณธรรมและการมีจิตอาสา"
            "ในสถานศึกษาและชุมชนอย่างต่อเนื่อง",
        ],
        "objectives": [
            "เพื่อสร้างจิตสำนึกด้านจิตสาธารณะหรือจิตอาสาให้แก่นักเรียนอย่างต่อเนื่อง",
            "เพื่อให้นักเรียนมีพฤติกรรมจิตอาสาอย่างถาวร อยู่ร่วมกับสังคมได้อย่างเป็นสุข",
        ],
        "quantitative": [("โรงเรียนจัดกิจกรรมจิตอาสา", 124, "โรงเรียน")],
        "qualitative": ["ข้าราชการ ผู้บริหาร ครูและนักเรียนมีจิตสำนึกด้านจิตอาสา"],
        "activities": [
            ("ประชาสัมพันธ์ เผยแพร่กิจกรรมแก่สถานศึกษา", "124 โรงเรียน", [8], 6),
            ("จัดกิจกรรมจิตอาสาในระดับเขตพื้นที่และสถานศึกษา", "1,500 คน", [9], 6),
            ("สรุป ประเมินและเผยแพร่ผลการดำเนินโครงการ", "1 เล่ม", [10], 6),
        ],
        "kpis": [
            (
                OUT,
                "จำนวนนักเรียนที่เข้าร่วมกิจกรรมจิตอาสา",
                "count",
                1500,
                "",
                "นับจำนวนผู้เข้าร่วม",
                "แบบลงทะเบียน",
            ),
            (
                OUTCOME,
                "ร้อยละของผู้เข้าร่วมที่มีพฤติกรรมจิตอาสาระดับดีขึ้นไป",
                "percent",
                80,
                "",
                "สังเกตพฤติกรรม",
                "แบบสังเกตพฤติกรรม",
            ),
        ],
        "expected": ["นักเรียนมีจิตสำนึกด้านจิตสาธารณะหรือจิตอาสา"],
        "uses_budget": False,
        "workflow": APPROVED,
    },
    {
        "group": 5,
        "name": "ส่งเสริมการอ่านออกเขียนได้ของนักเรียนชั้นประถมศึกษาปีที่ 1",
        "budget_plan": BASIC,
        "kind": "continuing",
        "responsibles": [6],
        "note": "",
        "period": (1, 10),
        "strategies": [1],
        "policies": ["3"],
        "rationale": [
            "ผลการประเมินความสามารถด้านการอ่านของนักเรียนชั้นประถมศึกษาปีที่ 1 (RT) ปีที่ผ่านมา"
            " พบว่านักเรียนบางส่วนยังอ่านไม่คล่องและเขียนสะกดคำไม่ถูกต้อง",
            "การอ่านออกเขียนได้เป็นพื้นฐานของการเรียนรู้ทุกกลุ่มสาระ จึงต้องคัดกรอง"
            "และพัฒนาอย่างเป็นระบบตั้งแต่ต้นปีการศึกษา",
        ],
        "objectives": [
            "เพื่อคัดกรองและพัฒนานักเรียนที่มีปัญหาการอ่านการเขียนเป็นรายบุคคล",
            "เพื่อพัฒนาครูผู้สอนภาษาไทยชั้นประถมศึกษาปีที่ 1 ให้ใช้สื่อและนวัตกรรมการสอนอ่าน",
        ],
        "quantitative": [("นักเรียนชั้นประถมศึกษาปีที่ 1", 1250, "คน")],
        "qualitative": ["นักเรียนชั้นประถมศึกษาปีที่ 1 อ่านออกเขียนได้ตามมาตรฐาน"],
        "activities": [
            ("คัดกรองความสามารถด้านการอ่านการเขียน", "1,250 คน", [1, 2], 6),
            ("อบรมครูผู้สอนภาษาไทยด้านการสอนอ่านแบบแจกลูกสะกดคำ", "124 คน", [3], 6),
            ("นิเทศ ติดตาม การสอนอ่านในชั้นเรียน", "40 โรงเรียน", [4, 5, 6], 6),
            ("ประเมินความสามารถด้านการอ่าน (RT) และสรุปผล", "1,250 คน", [5, 10], 6),
        ],
        "kpis": [
            (
                OUT,
                "ร้อยละของครูผู้สอนที่ผ่านการอบรมการสอนอ่าน",
                "percent",
                100,
                "",
                "ตรวจสอบรายชื่อผู้เข้ารับการอบรม",
                "แบบลงทะเบียน",
            ),
            (
                OUTCOME,
                "ร้อยละของนักเรียนที่มีผลการประเมินการอ่านระดับดีขึ้นไป",
                "percent",
                80,
                "",
                "ทดสอบการอ่าน",
                "แบบทดสอบการอ่าน RT",
            ),
        ],
        "expected": [
            "นักเรียนชั้นประถมศึกษาปีที่ 1 อ่านออกเขียนได้",
            "ครูมีทักษะการสอนอ่านที่มีประสิทธิภาพ",
        ],
        "uses_budget": True,
        "workflow": APPROVED,
    },
    {
        "group": 5,
        "name": "ป้องกันและแก้ไขปัญหานักเรียนออกกลางคันและเด็กตกหล่น",
        "budget_plan": EQUITY,
        "kind": "continuing",
        "responsibles": [5],
        "note": "และคณะ",
        "period": (0, 11),
        "strategies": [1, 3],
        "policies": ["2"],
        "rationale": [
            "นโยบาย สพฐ. ด้านโอกาส มุ่งให้เด็กทุกคนได้รับการศึกษาขั้นพื้นฐานอย่างทั่วถึง"
            " ไม่มีเด็กตกหล่นหรือออกกลางคัน",
            "การติดตามนักเรียนกลุ่มเสี่ยงเป็นรายบุคคลร่วมกับผู้ปกครองและชุมชน"
            "จะช่วยให้นักเรียนได้รับการช่วยเหลือได้ทันเวลา",
        ],
        "objectives": [
            "เพื่อติดตามนักเรียนกลุ่มเสี่ยงที่จะออกกลางคันเป็นรายบุคคล",
            "เพื่อนำเด็กตกหล่นกลับเข้าสู่ระบบการศึกษา",
        ],
        "quantitative": [("นักเรียนกลุ่มเสี่ยงได้รับการติดตามช่วยเหลือ", 85, "คน")],
        "qualitative": ["ไม่มีนักเรียนออกกลางคันในปีการศึกษา"],
        "activities": [
            ("สำรวจข้อมูลนักเรียนกลุ่มเสี่ยงและเด็กตกหล่น", "124 โรงเรียน", [0, 1], 6),
            ("ติดตามเยี่ยมบ้านนักเรียนกลุ่มเสี่ยงร่วมกับภาคีเครือข่าย", "85 คน", [2, 3, 4, 5], 6),
            ("สรุปและรายงานผลต่อ สพฐ.", "1 ฉบับ", [11], 5),
        ],
        "kpis": [
            (
                OUT,
                "ร้อยละของนักเรียนกลุ่มเสี่ยงที่ได้รับการติดตามช่วยเหลือ",
                "percent",
                100,
                "",
                "ตรวจสอบข้อมูลการเยี่ยมบ้าน",
                "แบบบันทึกการเยี่ยมบ้าน",
            ),
            (
                OUTCOME,
                "จำนวนนักเรียนที่ออกกลางคัน",
                "count",
                0,
                "",
                "ตรวจสอบข้อมูลนักเรียนรายบุคคล (DMC)",
                "ระบบ DMC",
            ),
        ],
        "expected": ["นักเรียนทุกคนได้รับการศึกษาขั้นพื้นฐานจนจบหลักสูตร"],
        "uses_budget": True,
        "workflow": SUBMITTED,
    },
    {
        "group": 6,
        "name": "โรงเรียนคุณภาพประจำตำบล",
        "budget_plan": BASIC,
        "kind": "continuing",
        "responsibles": [9, "นางสาวสุจิราภรณ์ เงาศรี"],
        "note": "",
        "period": (2, 11),
        "strategies": [3],
        "policies": ["2", "3"],
        "rationale": [
            "นโยบาย 1 ตำบล 1 โรงเรียนคุณภาพ มุ่งพัฒนาโรงเรียนให้มีคุณภาพและได้มาตรฐานตามบริบท"
            " สร้างโอกาสให้นักเรียนในพื้นที่ได้รับการพัฒนาอย่างเต็มศักยภาพ",
            "สำนักงานเขตพื้นที่การศึกษาได้รับมอบหมายให้ขับเคลื่อนโครงการให้เป็นรูปธรรมและยั่งยืน"
            " โดยมีโรงเรียนเป็นศูนย์กลางของชุมชน",
        ],
        "objectives": [
            "เพื่อส่งเสริมและพัฒนาโรงเรียนคุณภาพประจำตำบลให้มีความเข้มแข็ง",
            "เพื่อนิเทศ กำกับ ติดตามการดำเนินงานโครงการโรงเรียนคุณภาพประจำตำบล",
            "เพื่อส่งเสริมการสร้างเครือข่ายความร่วมมือทุกภาคส่วน",
        ],
        "quantitative": [("โรงเรียนคุณภาพประจำตำบลได้รับการส่งเสริมและพัฒนา", 34, "โรงเรียน")],
        "qualitative": [
            "โรงเรียนคุณภาพประจำตำบลได้รับการนิเทศติดตามการดำเนินงาน ร้อยละ 100",
            "โรงเรียนมีเครือข่ายความร่วมมือทุกภาคส่วน ร้อยละ 80",
        ],
        "activities": [
            (
                "การส่งเสริมและพัฒนาโรงเรียนคุณภาพประจำตำบลให้มีความเข้มแข็ง",
                "34 โรงเรียน",
                [2, 3],
                9,
            ),
            ("การส่งเสริมสนับสนุนให้ผู้บริหาร ครูและบุคลากรได้รับการพัฒนา", "34 โรงเรียน", [4, 5], 9),
            (
                "การนิเทศ กำกับ ติดตามการดำเนินงาน",
                "34 โรงเรียน",
                [6, 7, 8],
                "นางสาวสุจิราภรณ์ เงาศรี",
            ),
            ("สรุปและรายงานผล", "34 โรงเรียน", [11], 9),
        ],
        "kpis": [
            (
                OUT,
                "จำนวนโรงเรียนคุณภาพประจำตำบลที่ได้รับการนิเทศ",
                "count",
                34,
                "",
                "นิเทศ ติดตาม",
                "แบบนิเทศติดตาม",
            ),
            (
                OUTCOME,
                "ร้อยละของโรงเรียนที่ผ่านเกณฑ์โรงเรียนคุณภาพ",
                "percent",
                80,
                "",
                "ประเมินตามเกณฑ์โรงเรียนคุณภาพ",
                "แบบประเมินโรงเรียนคุณภาพ",
            ),
        ],
        "expected": [
            "โรงเรียนคุณภาพประจำตำบลเป็นศูนย์กลางการเรียนรู้ของชุมชน",
            "นักเรียนมีผลสัมฤทธิ์ทางการเรียนสูงขึ้น",
        ],
        "uses_budget": True,
        "workflow": APPROVED,
    },
    {
        "group": 6,
        "name": "ยกระดับผลสัมฤทธิ์ทางการเรียนระดับชาติขั้นพื้นฐาน (O-NET)",
        "budget_plan": BASIC,
        "kind": "continuing",
        "responsibles": [9],
        "note": "และคณะ",
        "period": (0, 5),
        "strategies": [1],
        "policies": ["3"],
        "rationale": [
            "ผลการทดสอบทางการศึกษาระดับชาติขั้นพื้นฐาน (O-NET) ชั้นประถมศึกษาปีที่ 6"
            " ของสำนักงานเขตพื้นที่การศึกษายังต่ำกว่าระดับประเทศในบางรายวิชา",
            "จึงจำเป็นต้องวิเคราะห์ผลการทดสอบและพัฒนาการจัดการเรียนรู้ของครูให้ตรงจุด",
        ],
        "objectives": [
            "เพื่อวิเคราะห์ผลการทดสอบและวางแผนยกระดับผลสัมฤทธิ์เป็นรายโรงเรียน",
            "เพื่อเตรียมความพร้อมนักเรียนก่อนการทดสอบระดับชาติ",
        ],
        "quantitative": [("นักเรียนชั้นประถมศึกษาปีที่ 6", 1180, "คน")],
        "qualitative": ["คะแนนเฉลี่ย O-NET ทุกรายวิชาสูงขึ้นจากปีที่ผ่านมา"],
        "activities": [
            ("วิเคราะห์ผลการทดสอบ O-NET รายโรงเรียน", "124 โรงเรียน", [0], 9),
            ("จัดทำแบบฝึกและข้อสอบคู่ขนาน", "4 รายวิชา", [1, 2], 9),
            ("ทดสอบก่อนสอบจริง (Pre O-NET)", "1,180 คน", [3], 9),
            ("สรุปและรายงานผล", "1 เล่ม", [5], 9),
        ],
        "kpis": [
            (
                OUTCOME,
                "ร้อยละของรายวิชาที่มีคะแนนเฉลี่ยสูงขึ้น",
                "percent",
                75,
                "",
                "เปรียบเทียบคะแนนเฉลี่ยกับปีที่ผ่านมา",
                "รายงานผลการทดสอบ O-NET",
            ),
        ],
        "expected": ["ผลสัมฤทธิ์ทางการเรียนระดับชาติของนักเรียนสูงขึ้น"],
        "uses_budget": True,
        "workflow": CHECKED,
    },
    {
        "group": 6,
        "name": "นิเทศ ติดตามการจัดการเรียนรู้เชิงรุก (Active Learning)",
        "budget_plan": BASIC,
        "kind": "new",
        "responsibles": [9],
        "note": "",
        "period": (3, 10),
        "strategies": [2],
        "policies": ["3"],
        "rationale": [
            "การจัดการเรียนรู้เชิงรุกช่วยให้นักเรียนได้ลงมือปฏิบัติและคิดวิเคราะห์"
            " ซึ่งเป็นสมรรถนะสำคัญตามหลักสูตร",
        ],
        "objectives": ["เพื่อนิเทศ ติดตามการจัดการเรียนรู้เชิงรุกของครูในสังกัด"],
        "quantitative": [("ครูได้รับการนิเทศ", 300, "คน")],
        "qualitative": ["ครูจัดการเรียนรู้เชิงรุกได้อย่างมีคุณภาพ"],
        "activities": [
            ("ประชุมชี้แจงแนวทางการนิเทศ", "ศึกษานิเทศก์ 12 คน", [3], 9),
            ("นิเทศการจัดการเรียนรู้ในชั้นเรียน", "300 คน", [4, 5, 6, 7], 9),
            ("สรุปผลการนิเทศ", "1 เล่ม", [10], 9),
        ],
        "kpis": [
            (
                OUT,
                "ร้อยละของครูที่ได้รับการนิเทศ",
                "percent",
                90,
                "",
                "นิเทศในชั้นเรียน",
                "",
            ),
        ],
        "expected": ["ครูจัดการเรียนรู้เชิงรุกเป็นประจำ"],
        "uses_budget": True,
        "workflow": RETURNED,
    },
    {
        "group": 2,
        "name": "จัดทำแผนปฏิบัติการประจำปีงบประมาณ",
        "budget_plan": ADMIN,
        "kind": "continuing",
        "responsibles": [3, 4],
        "note": "",
        "period": (0, 2),
        "strategies": [4],
        "policies": ["4"],
        "rationale": [
            "พระราชกฤษฎีกาว่าด้วยหลักเกณฑ์และวิธีการบริหารกิจการบ้านเมืองที่ดี กำหนดให้ส่วนราชการ"
            "จัดทำแผนปฏิบัติราชการประจำปีเพื่อเป็นกรอบการดำเนินงานและการใช้จ่ายงบประมาณ",
            "กลุ่มนโยบายและแผนจึงจัดทำแผนปฏิบัติการประจำปีโดยการมีส่วนร่วมของทุกกลุ่ม",
        ],
        "objectives": [
            "เพื่อจัดทำแผนปฏิบัติการประจำปีให้สอดคล้องกับนโยบายและทิศทางของ สพฐ.",
            "เพื่อใช้เป็นกรอบการบริหารงบประมาณของสำนักงานเขตพื้นที่การศึกษา",
        ],
        "quantitative": [("แผนปฏิบัติการประจำปี", 1, "เล่ม")],
        "qualitative": ["แผนปฏิบัติการผ่านความเห็นชอบของคณะกรรมการเขตพื้นที่การศึกษา"],
        "activities": [
            ("ประชุมเชิงปฏิบัติการจัดทำแผนปฏิบัติการ", "40 คน", [0], 4),
            ("เสนอแผนต่อคณะกรรมการเขตพื้นที่การศึกษา", "1 ครั้ง", [1], 3),
            ("จัดพิมพ์และเผยแพร่แผนปฏิบัติการ", "50 เล่ม", [2], 4),
        ],
        "kpis": [
            (
                OUT,
                "จำนวนแผนปฏิบัติการที่จัดพิมพ์และเผยแพร่",
                "count",
                50,
                "",
                "ตรวจสอบการเผยแพร่",
                "ทะเบียนการแจกจ่ายเอกสาร",
            ),
            (
                OUTCOME,
                "ระดับความพึงพอใจของผู้ใช้แผน",
                "level",
                4,
                "",
                "สอบถามความพึงพอใจ",
                "แบบสอบถามความพึงพอใจ",
            ),
        ],
        "expected": ["สำนักงานมีแผนปฏิบัติการเป็นกรอบการดำเนินงานตลอดปีงบประมาณ"],
        "uses_budget": True,
        "workflow": APPROVED,
    },
    {
        "group": 2,
        "name": "ติดตาม ประเมินผลและรายงานผลการดำเนินงานตามแผนปฏิบัติการ",
        "budget_plan": ADMIN,
        "kind": "continuing",
        "responsibles": [4],
        "note": "",
        "period": (2, 11),
        "strategies": [4],
        "policies": ["4"],
        "rationale": [
            "การติดตามและรายงานผลรอบ 3, 6, 9 และ 12 เดือน ช่วยให้ผู้บริหารทราบความก้าวหน้า"
            "ของโครงการและการเบิกจ่ายงบประมาณ เพื่อปรับปรุงการดำเนินงานได้ทันเวลา",
        ],
        "objectives": ["เพื่อติดตามและรายงานผลการดำเนินงานตามแผนปฏิบัติการทุกไตรมาส"],
        "quantitative": [("รายงานผลการดำเนินงาน", 4, "ฉบับ")],
        "qualitative": ["ผู้บริหารใช้ผลการติดตามในการตัดสินใจ"],
        "activities": [
            ("แต่งตั้งคณะกรรมการติดตามความก้าวหน้า", "1 คำสั่ง", [2], 4),
            ("ติดตามและรายงานผลรอบ 6 เดือน", "1 ฉบับ", [5, 6], 4),
            ("ติดตามและรายงานผลรอบ 12 เดือน", "1 ฉบับ", [11], 4),
        ],
        "kpis": [
            (
                OUT,
                "จำนวนรายงานผลการดำเนินงานที่จัดทำแล้วเสร็จตามกำหนด",
                "count",
                4,
                "",
                "ตรวจสอบรายงาน",
                "แบบรายงานผล",
            ),
        ],
        "expected": ["สำนักงานมีข้อมูลผลการดำเนินงานสำหรับการวางแผนปีต่อไป"],
        "uses_budget": False,
        "workflow": SUBMITTED,
    },
    {
        "group": 4,
        "name": "เสริมสร้างขวัญกำลังใจและยกย่องเชิดชูเกียรติครูและบุคลากรทางการศึกษา",
        "budget_plan": BASIC,
        "kind": "continuing",
        "responsibles": [7],
        "note": "และคณะ",
        "period": (2, 4),
        "strategies": [2],
        "policies": ["4"],
        "rationale": [
            "ครูและบุคลากรทางการศึกษาที่ปฏิบัติงานด้วยความทุ่มเทควรได้รับการยกย่องเชิดชูเกียรติ"
            " เพื่อเป็นขวัญกำลังใจและแบบอย่างแก่ผู้อื่น",
        ],
        "objectives": [
            "เพื่อคัดเลือกและยกย่องครูและบุคลากรทางการศึกษาที่มีผลงานดีเด่น",
            "เพื่อเสริมสร้างขวัญกำลังใจในการปฏิบัติงาน",
        ],
        "quantitative": [("ครูและบุคลากรได้รับการยกย่องเชิดชูเกียรติ", 60, "คน")],
        "qualitative": ["ครูและบุคลากรมีขวัญกำลังใจในการปฏิบัติงาน"],
        "activities": [
            ("ประกาศหลักเกณฑ์และคัดเลือกผู้มีผลงานดีเด่น", "60 คน", [2], 7),
            ("จัดงานวันครูและมอบเกียรติบัตร", "300 คน", [3], 7),
            ("สรุปและรายงานผล", "1 ฉบับ", [4], 7),
        ],
        "kpis": [
            (
                OUT,
                "จำนวนครูและบุคลากรที่ได้รับการยกย่อง",
                "count",
                60,
                "",
                "ตรวจสอบประกาศผลการคัดเลือก",
                "ประกาศรายชื่อ",
            ),
            (
                OUTCOME,
                "ร้อยละของผู้เข้าร่วมที่มีความพึงพอใจระดับมากขึ้นไป",
                "percent",
                85,
                "",
                "สอบถามความพึงพอใจ",
                "แบบสอบถาม",
            ),
        ],
        "expected": ["ครูและบุคลากรมีขวัญกำลังใจ ปฏิบัติงานอย่างเต็มศักยภาพ"],
        "uses_budget": True,
        "workflow": APPROVED,
    },
    {
        "group": 4,
        "name": "พัฒนาข้าราชการครูให้มีและเลื่อนวิทยฐานะตามเกณฑ์ ว 9/2564",
        "budget_plan": BASIC,
        "kind": "new",
        "responsibles": [7],
        "note": "",
        "period": (4, 9),
        "strategies": [2],
        "policies": ["3"],
        "rationale": [
            "หลักเกณฑ์การให้ข้าราชการครูมีและเลื่อนวิทยฐานะ (ว 9/2564) มุ่งเน้นผลลัพธ์การเรียนรู้"
            "ของผู้เรียน ครูจำนวนมากยังไม่เข้าใจการจัดทำข้อตกลงในการพัฒนางาน (PA)",
        ],
        "objectives": ["เพื่อให้ครูจัดทำข้อตกลงในการพัฒนางานและยื่นคำขอวิทยฐานะได้ถูกต้อง"],
        "quantitative": [("ข้าราชการครูเข้ารับการอบรม", 200, "คน")],
        "qualitative": ["ครูยื่นคำขอมีหรือเลื่อนวิทยฐานะผ่านระบบ DPA ได้ถูกต้อง"],
        "activities": [
            ("อบรมการจัดทำข้อตกลงในการพัฒนางาน (PA)", "200 คน", [4], 7),
            ("คลินิกให้คำปรึกษาการยื่นคำขอผ่านระบบ DPA", "100 คน", [5, 6, 7], 7),
            ("สรุปผลการยื่นคำขอ", "1 ฉบับ", [9], 7),
        ],
        "kpis": [
            (
                OUTCOME,
                "ร้อยละของครูที่ยื่นคำขอได้ถูกต้องครบถ้วน",
                "percent",
                90,
                "",
                "ตรวจสอบคำขอในระบบ DPA",
                "ระบบ DPA",
            ),
        ],
        "expected": ["ครูมีและเลื่อนวิทยฐานะตามเกณฑ์ที่กำหนด"],
        "uses_budget": True,
        "workflow": DRAFT,
    },
    {
        "group": 7,
        "name": "พัฒนาคุณภาพการศึกษาด้วยเทคโนโลยีการศึกษาทางไกลผ่านดาวเทียม (DLTV)",
        "budget_plan": BASIC,
        "kind": "continuing",
        "responsibles": [12, "นายพิษณุ มูลสาร"],
        "note": "",
        "period": (8, 11),
        "strategies": [1, 3],
        "policies": ["2"],
        "rationale": [
            "โรงเรียนขนาดเล็กจำนวนมากขาดแคลนครูไม่ครบชั้น การจัดการเรียนการสอนผ่านระบบ DLTV"
            " ช่วยแก้ปัญหาการขาดแคลนครูได้",
            "แต่บางโรงเรียนยังมีปัญหาการใช้และดูแลรักษาอุปกรณ์ จึงต้องพัฒนาบุคลากรให้ใช้งาน"
            "ได้อย่างมีประสิทธิภาพ",
        ],
        "objectives": [
            "เพื่อช่วยแก้ปัญหาโรงเรียนขนาดเล็กที่มีครูไม่ครบชั้น",
            "เพื่อให้ครูใช้อุปกรณ์และวางแผนการจัดการเรียนการสอนผ่านระบบ DLTV ได้",
        ],
        "quantitative": [("โรงเรียนจัดการเรียนการสอนผ่านระบบ DLTV", 124, "โรงเรียน")],
        "qualitative": ["นักเรียนในโรงเรียนที่ใช้ระบบ DLTV มีผลสัมฤทธิ์ทางการเรียนดีขึ้น"],
        "activities": [
            ("อบรมการดูแลและแก้ไขปัญหาระบบ DLTV", "248 คน", [8, 9], 12),
            (
                "สร้างเครือข่ายโรงเรียนขนาดเล็กและโรงเรียนพี่เลี้ยง",
                "185 โรงเรียน",
                [9, 10, 11],
                "นายพิษณุ มูลสาร",
            ),
        ],
        "kpis": [
            (
                OUT,
                "จำนวนโรงเรียนที่ใช้ระบบ DLTV ได้",
                "count",
                124,
                "",
                "สำรวจการใช้งาน",
                "แบบสำรวจ",
            ),
            (
                OUTCOME,
                "ร้อยละของโรงเรียนที่นักเรียนมีผลสัมฤทธิ์สูงขึ้น",
                "percent",
                70,
                "",
                "เปรียบเทียบผลสัมฤทธิ์",
                "รายงานผลสัมฤทธิ์",
            ),
        ],
        "expected": ["โรงเรียนขนาดเล็กจัดการเรียนการสอนได้อย่างมีประสิทธิภาพ"],
        "uses_budget": False,
        "workflow": CHECKED,
    },
    {
        "group": 7,
        "name": "พัฒนาระบบสารสนเทศเพื่อการบริหารจัดการ (DMC และระบบสำนักงานดิจิทัล)",
        "budget_plan": ADMIN,
        "kind": "new",
        "responsibles": [12],
        "note": "",
        "period": (0, 8),
        "strategies": [4],
        "policies": ["4"],
        "rationale": [
            "ข้อมูลนักเรียนรายบุคคลและระบบสำนักงานอิเล็กทรอนิกส์เป็นฐานของการบริหารด้วยข้อมูล"
            " แต่ยังมีข้อมูลไม่ครบถ้วนและไม่เป็นปัจจุบัน",
        ],
        "objectives": ["เพื่อให้ข้อมูลนักเรียนรายบุคคลถูกต้อง ครบถ้วน เป็นปัจจุบัน"],
        "quantitative": [("เจ้าหน้าที่ธุรการโรงเรียนได้รับการอบรม", 124, "คน")],
        "qualitative": ["สำนักงานใช้ข้อมูลสารสนเทศในการตัดสินใจ"],
        "activities": [
            ("อบรมการบันทึกข้อมูลในระบบ DMC", "124 คน", [0], 12),
            ("ตรวจสอบความถูกต้องของข้อมูลรอบ 10 มิถุนายน", "124 โรงเรียน", [8, 9], 12),
        ],
        "kpis": [
            (
                OUT,
                "ร้อยละของโรงเรียนที่ส่งข้อมูลครบถ้วนตามกำหนด",
                "percent",
                100,
                "",
                "ตรวจสอบในระบบ",
                "ระบบ DMC",
            ),
        ],
        "expected": ["ข้อมูลสารสนเทศถูกต้องและพร้อมใช้"],
        "uses_budget": True,
        "workflow": RETURNED,
    },
    {
        "group": 8,
        "name": "พัฒนาครูด้านการจัดการเรียนรู้วิทยาการคำนวณ (Coding)",
        "budget_plan": BASIC,
        "kind": "new",
        "responsibles": ["นางรัชนี ทองประเสริฐ", "นายสมศักดิ์ ศรีบุญเรือง"],
        "note": "และคณะ",
        "period": (1, 7),
        "strategies": [2],
        "policies": ["3"],
        "rationale": [
            "หลักสูตรกำหนดให้นักเรียนเรียนวิทยาการคำนวณตั้งแต่ชั้นประถมศึกษา"
            " แต่ครูผู้สอนส่วนใหญ่ไม่ได้จบวิชาเอกคอมพิวเตอร์",
        ],
        "objectives": ["เพื่อพัฒนาครูให้จัดการเรียนรู้วิทยาการคำนวณได้"],
        "quantitative": [("ครูผู้สอนวิทยาการคำนวณ", 124, "คน")],
        "qualitative": ["ครูจัดการเรียนรู้แบบ Unplugged และ Plugged Coding ได้"],
        "activities": [
            ("อบรมเชิงปฏิบัติการวิทยาการคำนวณ", "124 คน", [1, 2], "นางรัชนี ทองประเสริฐ"),
            (
                "ชุมชนการเรียนรู้ทางวิชาชีพ (PLC) ออนไลน์",
                "124 คน",
                [3, 4, 5],
                "นายสมศักดิ์ ศรีบุญเรือง",
            ),
            ("ประกวดสื่อการสอนวิทยาการคำนวณ", "30 ผลงาน", [6, 7], "นางรัชนี ทองประเสริฐ"),
        ],
        "kpis": [
            (
                OUT,
                "จำนวนครูที่ผ่านการอบรม",
                "count",
                124,
                "",
                "ตรวจสอบรายชื่อ",
                "แบบลงทะเบียน",
            ),
            (
                OUTCOME,
                "ร้อยละของครูที่นำความรู้ไปจัดการเรียนรู้",
                "percent",
                80,
                "",
                "นิเทศติดตาม",
                "แบบนิเทศ",
            ),
        ],
        "expected": ["นักเรียนมีทักษะการคิดเชิงคำนวณ"],
        "uses_budget": True,
        "workflow": SUBMITTED,
    },
    {
        "group": 1,
        "name": "ส่งเสริมความปลอดภัยในสถานศึกษา (MOE Safety Center)",
        "budget_plan": BASIC,
        "kind": "continuing",
        "responsibles": [10],
        "note": "และคณะ",
        "period": (0, 11),
        "strategies": [3],
        "policies": ["1"],
        "rationale": [
            "นโยบาย สพฐ. ด้านความปลอดภัยมุ่งให้นักเรียน ครูและบุคลากรปลอดภัยจากภัยคุกคามทุกรูปแบบ"
            " สถานศึกษาต้องมีระบบป้องกัน เฝ้าระวังและแจ้งเหตุผ่านระบบ MOE Safety Center",
        ],
        "objectives": [
            "เพื่อให้สถานศึกษามีระบบการดูแลความปลอดภัยที่มีประสิทธิภาพ",
            "เพื่อให้ทุกโรงเรียนแจ้งเหตุผ่านระบบ MOE Safety Center ได้",
        ],
        "quantitative": [("สถานศึกษาประเมินตนเองด้านความปลอดภัย", 124, "โรงเรียน")],
        "qualitative": ["นักเรียนเรียนในสภาพแวดล้อมที่ปลอดภัย"],
        "activities": [
            ("ประชุมชี้แจงการใช้ระบบ MOE Safety Center", "124 คน", [0], 10),
            ("ตรวจเยี่ยมความปลอดภัยของสถานศึกษา", "40 โรงเรียน", [3, 4, 7, 8], 10),
            ("สรุปรายงานผลต่อ สพฐ.", "1 ฉบับ", [11], 10),
        ],
        "kpis": [
            (
                OUT,
                "ร้อยละของสถานศึกษาที่ประเมินตนเองด้านความปลอดภัย",
                "percent",
                100,
                "",
                "ตรวจสอบในระบบ",
                "ระบบ MOE Safety Platform",
            ),
            (
                OUTCOME,
                "ระดับความปลอดภัยของสถานศึกษา",
                "text",
                None,
                "ระดับดีขึ้นไป",
                "ตรวจเยี่ยม",
                "แบบตรวจเยี่ยมความปลอดภัย",
            ),
        ],
        "expected": ["นักเรียน ครูและบุคลากรปลอดภัยจากภัยคุกคามทุกรูปแบบ"],
        "uses_budget": True,
        "workflow": APPROVED,
    },
    {
        "group": 3,
        "name": "เพิ่มประสิทธิภาพการเบิกจ่ายงบประมาณและการจัดซื้อจัดจ้าง",
        "budget_plan": ADMIN,
        "kind": "continuing",
        "responsibles": [11, 8],
        "note": "",
        "period": (0, 11),
        "strategies": [4],
        "policies": ["4"],
        "rationale": [
            "รัฐบาลกำหนดเป้าหมายการเบิกจ่ายงบประมาณรายไตรมาส สำนักงานเขตพื้นที่การศึกษา"
            "ต้องเร่งรัดการเบิกจ่ายและจัดซื้อจัดจ้างให้ถูกต้องตามระเบียบและทันเวลา",
        ],
        "objectives": [
            "เพื่อให้การเบิกจ่ายงบประมาณเป็นไปตามเป้าหมายรายไตรมาส",
            "เพื่อพัฒนาเจ้าหน้าที่การเงินและพัสดุของโรงเรียน",
        ],
        "quantitative": [("เจ้าหน้าที่การเงินและพัสดุของโรงเรียนได้รับการอบรม", 124, "คน")],
        "qualitative": ["การเบิกจ่ายถูกต้องตามระเบียบ ไม่มีข้อทักท้วง"],
        "activities": [
            ("อบรมระบบ New GFMIS Thai และ e-GP", "124 คน", [1], 11),
            ("ติดตามเร่งรัดการเบิกจ่ายรายเดือน", "12 ครั้ง", list(range(12)), 8),
        ],
        "kpis": [
            (
                OUTCOME,
                "ร้อยละการเบิกจ่ายงบประมาณภาพรวม ณ สิ้นปีงบประมาณ",
                "percent",
                100,
                "",
                "ตรวจสอบรายงานการเบิกจ่าย",
                "รายงานจากระบบ New GFMIS Thai",
            ),
        ],
        "expected": ["สำนักงานเบิกจ่ายงบประมาณได้ตามเป้าหมาย"],
        "uses_budget": True,
        "workflow": DRAFT,
    },
    {
        "group": 5,
        "name": "ส่งเสริมการจัดการศึกษาปฐมวัย",
        "budget_plan": BASIC,
        "kind": "new",
        "responsibles": [5],
        "note": "",
        "period": (2, 8),
        "strategies": [],
        "policies": [],
        "rationale": [
            "การพัฒนาเด็กปฐมวัยเป็นรากฐานของการพัฒนาทรัพยากรมนุษย์ตลอดช่วงชีวิต",
        ],
        "objectives": ["เพื่อพัฒนาครูปฐมวัยให้จัดประสบการณ์การเรียนรู้แบบบูรณาการ"],
        "quantitative": [("ครูปฐมวัย", 120, "คน")],
        "qualitative": [],
        "activities": [
            ("อบรมการจัดประสบการณ์แบบบูรณาการ", "120 คน", [2], 5),
            ("นิเทศติดตามชั้นเรียนปฐมวัย", "30 โรงเรียน", [], 6),
        ],
        "kpis": [],
        "expected": [],
        "uses_budget": True,
        "workflow": DRAFT,
    },
]


def project_codes(fiscal_year: int) -> list[str]:
    """Codes of the demo projects, in order: "70-001" … for FY 2570."""
    return [f"{fiscal_year % 100:02d}-{n:03d}" for n in range(1, len(PROJECTS) + 1)]


def _plan(office: Organization, fiscal_year: int) -> Plan:
    plan, _ = Plan.objects.get_or_create(organization=office, fiscal_year=fiscal_year)
    return plan


def _sync(model, project: Project, rows: list[dict]) -> list:
    """Update rows by ``order``; create missing ones; delete leftovers."""
    kept = []
    for order, fields in enumerate(rows, start=1):
        item, _ = model.objects.update_or_create(
            project=project, order=order, defaults=fields
        )
        kept.append(item.pk)
    model.objects.filter(project=project).exclude(pk__in=kept).delete()
    return kept


def _person_or_text(value, people: dict[int, Person]) -> dict:
    if isinstance(value, int):
        return {"person": people[value], "name_text": ""}
    return {"person": None, "name_text": value}


def _build(plan: Plan, number: int, data: dict, people, groups, months) -> Project:
    start, end = data["period"]
    project, _ = Project.objects.update_or_create(
        plan=plan,
        code=f"{plan.fiscal_year % 100:02d}-{number:03d}",
        defaults={
            "sequence": number,
            "name": data["name"],
            "budget_plan": data["budget_plan"],
            "kind": data["kind"],
            "group": groups[data["group"]],
            "responsible_note": data["note"],
            "start_month": months[start],
            "end_month": months[end],
            "rationale": "\n".join(data["rationale"]),
            "uses_budget": data["uses_budget"],
            "location": "สำนักงานเขตพื้นที่การศึกษาและโรงเรียนในสังกัด",
            "target_group": "ผู้บริหาร ครู และนักเรียนในสังกัด",
            # The source of each project's money is chosen by budgets.demo.
        },
    )
    project.strategies.set(
        Strategy.objects.filter(plan=plan, number__in=data["strategies"])
    )
    year = plan.fiscal_year
    project.policy_items.set(
        PolicyItem.objects.filter(
            kind=PolicyItem.Kind.OBEC_POLICY,
            code__in=data["policies"],
            fiscal_year_start__lte=year,
        ).exclude(fiscal_year_end__lt=year)
    )
    _sync(
        ProjectResponsible,
        project,
        [_person_or_text(value, people) for value in data["responsibles"]],
    )
    _sync(Objective, project, [{"text": text} for text in data["objectives"]])
    targets = [
        {"kind": "quantitative", "text": text, "quantity": qty, "unit": unit}
        for text, qty, unit in data["quantitative"]
    ] + [
        {"kind": "qualitative", "text": text, "quantity": None, "unit": ""}
        for text in data["qualitative"]
    ]
    _sync(ProjectTarget, project, targets)
    _sync(
        Activity,
        project,
        [
            {
                "name": name,
                "target": target,
                "months": [months[i].isoformat() for i in indices],
                "parent": None,
                **(
                    {"responsible": people[who], "responsible_text": ""}
                    if isinstance(who, int)
                    else {"responsible": None, "responsible_text": who}
                ),
            }
            for name, target, indices, who in data["activities"]
        ],
    )
    _sync(
        ProjectKPI,
        project,
        [
            {
                "result_kind": kind,
                "nature": "qualitative" if unit == "text" else "quantitative",
                "name": name,
                "unit": unit,
                "unit_label": {"count": "", "level": "ระดับ"}.get(unit, ""),
                "target_value": value,
                "target_text": text,
                "method": method,
                "instrument": instrument,
            }
            for kind, name, unit, value, text, method, instrument in data["kpis"]
        ],
    )
    _sync(ExpectedResult, project, [{"text": text} for text in data["expected"]])
    return project


def _actor_for(step: str, project: Project, users: dict):
    if step == "submit":
        head = users.get("head_promotion")
        return head if project.group_id == 5 and head else users.get("planner")
    if step in ("check", "return", "revise"):
        return users.get("planner")
    return users.get("director")


def _replay(project: Project, steps: list[str], users: dict) -> None:
    """Record the workflow through the services, once."""
    if project.transitions.count() == len(steps):
        return
    ProjectTransition.objects.filter(project=project).delete()
    ProjectRevision.objects.filter(project=project).delete()
    Project.objects.filter(pk=project.pk).update(status=Project.Status.DRAFT, version=1)
    for step in steps:
        action, _, comment = step.partition(":")
        user = _actor_for(action, project, users)
        project = Project.objects.get(pk=project.pk)
        try:
            if action == "submit":
                services.project_submit(project=project, user=user)
            elif action == "check":
                services.project_check(project=project, user=user)
            elif action == "approve":
                services.project_approve(project=project, user=user)
            elif action == "return":
                services.project_return(project=project, user=user, comment=comment)
            elif action == "revise":
                services.project_start_revision(
                    project=project, reason=comment, user=user
                )
        except (ValidationError, PermissionDenied):
            # e.g. no strategies yet: the project stays where it is and the
            # plan checker shows why.
            return


#: The sheets the office carried out in the previous fiscal year: numbers in
#: ``PROJECTS`` (1-based), in the order of that year's plan ("69-001" …).
#: Continuing projects, plus the two projects the progress demo cancels
#: (จิตอาสา) and postpones (DLTV).
PREVIOUS_YEAR = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15]

#: Days before the previous fiscal year began when each step was recorded.
_PREVIOUS_STEP_DAYS = {"submit": 45, "check": 35, "approve": 21}


def previous_year_projects() -> list[dict]:
    """The ``PROJECTS`` entries of the previous fiscal year, in plan order."""
    return [PROJECTS[number - 1] for number in PREVIOUS_YEAR]


def _backdate_transitions(project: Project, fiscal_year: int) -> None:
    """Date the recorded workflow of a previous-year project before its year."""
    start, _ = fiscal_year_range(fiscal_year)
    for transition in project.transitions.order_by("created_at", "pk"):
        days = _PREVIOUS_STEP_DAYS.get(
            {"submitted": "submit", "checked": "check"}.get(
                transition.to_status, "approve"
            )
        )
        moment = timezone.make_aware(
            datetime.datetime.combine(
                start - datetime.timedelta(days=days),
                datetime.time(10, project.sequence % 60),
            )
        )
        if transition.created_at != moment:
            ProjectTransition.objects.filter(pk=transition.pk).update(created_at=moment)


@transaction.atomic
def load_demo_projects() -> list[Project]:
    """≥ 15 project sheets of the demo office for the current fiscal year, and
    the approved projects of the previous year (when its plan exists)."""
    office = Organization.objects.get(pk=DEMO_OFFICE_PK)
    plan = _plan(office, current_fiscal_year())
    people = {
        person.pk: person for person in Person.objects.filter(organization=office)
    }
    groups = {
        group.pk: group for group in OfficeGroup.objects.filter(organization=office)
    }
    usernames = ("planner", "director", "head_promotion")
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=usernames)
    }
    months = fiscal_month_dates(plan.fiscal_year)
    projects = []
    for number, data in enumerate(PROJECTS, start=1):
        project = _build(plan, number, data, people, groups, months)
        _replay(project, data["workflow"], users)
        projects.append(project)

    previous = Plan.objects.filter(
        organization=office, fiscal_year=plan.fiscal_year - 1
    ).first()
    if previous is not None:
        months = fiscal_month_dates(previous.fiscal_year)
        for number, data in enumerate(previous_year_projects(), start=1):
            project = _build(previous, number, data, people, groups, months)
            _replay(project, APPROVED, users)
            _backdate_transitions(project, previous.fiscal_year)
    return projects
