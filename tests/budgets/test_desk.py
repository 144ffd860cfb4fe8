"""The finance desk (issue 18 item 2): several disbursements at once,
project → activity → cost line (or category) cascading with what is left,
all or nothing, Thai messages naming money and dates."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.models import Disbursement
from core.roles import Role
from projects.models import Project
from tests.budgets.conftest import FISCAL_YEAR, approve_money_projects
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    ProjectFactory,
    make_staff,
)

pytestmark = pytest.mark.django_db

DESK = reverse("budgets:desk")
#: The date a row of FY 2568 offers (the year is past: its last day).
DEFAULT_DATE = "30/09/2568"


@pytest.fixture
def finance(office):
    return make_staff(office, roles=[Role.FINANCE], first_name="การเงิน").user


def _row(index, *, project, activity, target, amount, paid_on="01/12/2567", doc=""):
    prefix = f"row-{index}-"
    return {
        prefix + "project": str(project.pk),
        prefix + "activity": str(activity.pk),
        prefix + "target": target,
        prefix + "paid_on": paid_on,
        prefix + "amount": amount,
        prefix + "document_number": doc,
    }


def _post(client, *rows, total=5):
    data = {
        "row-TOTAL_FORMS": str(total),
        "row-INITIAL_FORMS": "0",
        "row-MIN_NUM_FORMS": "0",
        "row-MAX_NUM_FORMS": "30",
        "fiscal_year": str(FISCAL_YEAR),
    }
    for index in range(total):
        data[f"row-{index}-paid_on"] = DEFAULT_DATE  # as the page offers it
    for row in rows:
        data.update(row)
    return client.post(f"{DESK}?fiscal_year={FISCAL_YEAR}", data)


def _line(activity, description):
    return activity.cost_lines.get(description=description)


def _paid():
    return list(
        Disbursement.objects.order_by("pk").values_list(
            "cost_line", "category", "amount", "paid_on", "document_number"
        )
    )


def test_finance_records_several_rows_with_thai_messages(client, finance, seed000):
    approve_money_projects(seed000)
    area, quality = seed000.area, seed000.quality
    a1, a5 = seed000.area_activities[0], seed000.area_activities[3]
    lunch = _line(a5, "ค่าอาหารกลางวัน")
    meeting = quality.activities.get()
    client.force_login(finance)
    response = _post(
        client,
        _row(0, project=area, activity=a5, target=f"line-{lunch.pk}", amount="2,400"),
        _row(
            2,
            project=quality,
            activity=meeting,
            target=f"category-{lunch.category_id}",  # ค่าใช้สอย, no line known
            amount="๑๒,๕๐๐.๕๐",
            paid_on="5 ธ.ค. 2567",
            doc="ขบ 12/2568",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response.url == f"{DESK}?fiscal_year={FISCAL_YEAR}"
    assert _paid() == [
        (lunch.pk, None, Decimal("2400.00"), datetime.date(2024, 12, 1), ""),
        (
            None,
            lunch.category_id,
            Decimal("12500.50"),
            datetime.date(2024, 12, 5),
            "ขบ 12/2568",
        ),
    ]
    assert Disbursement.objects.filter(recorded_by=finance).count() == 2
    content = client.get(response.url).content.decode()
    assert "บันทึกการเบิกจ่าย 2,400.00 บาท วันที่ 1 ธ.ค. 2567 แล้ว" in content
    assert "บันทึกการเบิกจ่าย 12,500.50 บาท วันที่ 5 ธ.ค. 2567 แล้ว" in content
    # what is left now shows in the choices
    content = client.get(
        DESK,
        {"fiscal_year": FISCAL_YEAR, "row-0-project": area.pk, "row-0-activity": a1.pk},
    ).content.decode()
    assert "นิเทศบูรณาการโดยใช้พื้นที่เป็นฐาน · คงเหลือ 27,600.00 บาท" in content
    assert a1.name in content


def test_choices_narrow_to_the_project_and_activity(client, finance, seed000):
    """The admin listed every cost line of the office (31 lunches in the
    seed); a desk row lists the chosen activity's lines only."""
    approve_money_projects(seed000)
    a1, a5 = seed000.area_activities[0], seed000.area_activities[3]
    client.force_login(finance)
    # a project with one activity: it is chosen, and its one line too
    content = client.get(
        DESK, {"fiscal_year": FISCAL_YEAR, "row-0-project": seed000.reading.pk}
    ).content.decode()
    row0 = content[content.index('id="desk-row-0"') : content.index('id="desk-row-1"')]
    reading_line = seed000.reading.activities.get().cost_lines.get()
    assert f'value="line-{reading_line.pk}" selected' in row0
    assert "ค่าวัสดุ (ค่าวัสดุ) · คงเหลือ 45,000.00 บาท" in row0
    # the area project: its six activities, then a5's line and category
    content = client.get(
        DESK,
        {
            "fiscal_year": FISCAL_YEAR,
            "row-0-project": seed000.area.pk,
            "row-0-activity": a5.pk,
        },
    ).content.decode()
    row0 = content[content.index('id="desk-row-0"') : content.index('id="desk-row-1"')]
    assert row0.count("<option") == 1 + 1 + 6 + 1 + 2 + 4  # blanks, projects
    assert "5. ประชุมสรุปผลการนิเทศ · คงเหลือ 2,400.00 บาท" in row0
    assert "ค่าอาหารกลางวัน (ค่าใช้สอย) · คงเหลือ 2,400.00 บาท" in row0
    assert "หมวดค่าใช้สอย (ไม่ระบุรายการ) · คงเหลือ 2,400.00 บาท" in row0
    assert a1.cost_lines.first().description not in row0
    # other rows are untouched
    row1 = content[content.index('id="desk-row-1"') :]
    assert "ค่าอาหารกลางวัน" not in row1


def test_htmx_reloads_one_row(client, finance, seed000):
    approve_money_projects(seed000)
    client.force_login(finance)
    response = client.get(
        DESK,
        {
            "fiscal_year": FISCAL_YEAR,
            "row": "3",
            "row-TOTAL_FORMS": "5",
            "row-3-project": seed000.small.pk,
            "row-3-amount": "1,000",
        },
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert content.lstrip().startswith(
        '<fieldset class="desk-row card" id="desk-row-3"'
    )
    assert "<html" not in content
    assert "พัฒนาโรงเรียนขนาดเล็ก · คงเหลือ 50,000.00 บาท" in content
    assert 'value="1,000"' in content


def _refused(client, bad_row, *, message):
    before = _paid()
    response = _post(client, *bad_row)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content, content[:3000]
    assert "ยังไม่ได้บันทึกรายการใดเลย" in content
    assert _paid() == before
    return content


def _good_row(seed000, index=0):
    a5 = seed000.area_activities[3]
    lunch = _line(a5, "ค่าอาหารกลางวัน")
    return _row(
        index,
        project=seed000.area,
        activity=a5,
        target=f"line-{lunch.pk}",
        amount="1,234.50",
        doc="ขบ 1",
    )


def test_over_limit_row_refuses_the_whole_batch_and_keeps_what_was_typed(
    client, finance, seed000
):
    approve_money_projects(seed000)
    seed000.area.virement_allowed = False
    seed000.area.save()
    a1 = seed000.area_activities[0]
    food = _line(a1, "ค่าอาหารและเครื่องดื่ม")  # 2,400
    client.force_login(finance)
    content = _refused(
        client,
        [
            _good_row(seed000),
            _row(
                1,
                project=seed000.area,
                activity=a1,
                target=f"line-{food.pk}",
                amount="2,500",
            ),
        ],
        message=(
            "เบิกจ่ายเกินวงเงินของรายการ “ค่าอาหารและเครื่องดื่ม”: "
            "คงเหลือ 2,400.00 บาท แต่ขอเบิก 2,500.00 บาท"
        ),
    )
    assert 'value="1,234.50"' in content and 'value="2,500"' in content
    assert 'value="ขบ 1"' in content


def test_two_rows_cannot_both_take_a_lines_last_baht(client, finance, seed000):
    approve_money_projects(seed000)
    seed000.area.virement_allowed = False
    seed000.area.save()
    a1 = seed000.area_activities[0]
    food = _line(a1, "ค่าอาหารและเครื่องดื่ม")  # 2,400
    client.force_login(finance)
    kwargs = {"project": seed000.area, "activity": a1, "target": f"line-{food.pk}"}
    _refused(
        client,
        [_row(0, amount="2,000", **kwargs), _row(1, amount="400.01", **kwargs)],
        message="คงเหลือ 400.00 บาท แต่ขอเบิก 400.01 บาท",
    )


def test_unapproved_project_is_refused_by_name(client, finance, seed000):
    approve_money_projects(seed000)
    Project.objects.filter(pk=seed000.small.pk).update(status=Project.Status.DRAFT)
    activity = seed000.small.activities.get()
    client.force_login(finance)
    _refused(
        client,
        [
            _good_row(seed000),
            _row(
                1,
                project=seed000.small,
                activity=activity,
                target=f"line-{activity.cost_lines.get().pk}",
                amount="100",
            ),
        ],
        message=f"โครงการ {seed000.small.code} ยังไม่อนุมัติ",
    )


def test_another_offices_cost_line_is_refused(client, finance, seed000, other_office):
    approve_money_projects(seed000)
    theirs = CostLineFactory(
        activity=ActivityFactory(
            project=ProjectFactory(
                plan__organization=other_office,
                plan__fiscal_year=FISCAL_YEAR,
                status=Project.Status.APPROVED,
            )
        ),
        amount=Decimal("5000"),
    )
    a5 = seed000.area_activities[3]
    client.force_login(finance)
    _refused(
        client,
        [
            _good_row(seed000),
            _row(
                1,
                project=seed000.area,
                activity=a5,
                target=f"line-{theirs.pk}",
                amount="100",
            ),
        ],
        message="รายการค่าใช้จ่ายที่เลือกไม่ได้อยู่ในกิจกรรมนี้",
    )
    # nor their project or activity, by id
    content = _refused(
        client,
        [
            _good_row(seed000),
            _row(
                1,
                project=theirs.activity.project,
                activity=theirs.activity,
                target=f"line-{theirs.pk}",
                amount="100",
            ),
        ],
        message="ไม่พบโครงการที่เลือกในปีงบประมาณ 2568",
    )
    assert theirs.activity.project.name not in content


def test_an_empty_desk_saves_nothing_and_says_so(client, finance, seed000):
    client.force_login(finance)
    response = _post(client)
    assert response.status_code == 200
    assert "ยังไม่ได้กรอกรายการเบิกจ่าย" in response.content.decode()
    assert not Disbursement.objects.exists()
    # a body without the formset's management form: a Thai message, no 500
    response = client.post(DESK, {"row-0-amount": "100"})
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("ข้อมูลแบบฟอร์มไม่ครบ") == 1
    assert 'id="desk-row-4"' in content  # a fresh desk to start again
    # more rows than a batch takes
    response = _post(client, total=31)
    assert response.content.decode().count("บันทึกได้ครั้งละไม่เกิน 30 รายการ") == 1
    assert not Disbursement.objects.exists()


def test_only_money_roles_and_group_heads_open_the_desk(
    client, seed000, viewer, officer, director, head_a, outsider
):
    for user, status in (
        (viewer, 403),
        (officer, 403),
        (director, 403),
        (head_a, 200),
        (outsider, 200),  # their own office's desk
    ):
        client.force_login(user)
        assert client.get(DESK).status_code == status, user


def test_the_menu_links_the_desk_exactly_for_who_may_open_it(
    client, office, viewer, officer, director, head_a, planner, finance, outsider
):
    """The menu's link and the desk's door are one rule: a group head (who
    may record their group's payments) has the link, nobody who would get
    403 has it."""
    link = f'href="{DESK}"'
    for user, shown in (
        (head_a, True),
        (finance, True),
        (planner, True),
        (outsider, True),  # their own office's desk
        (viewer, False),
        (officer, False),
        (director, False),
    ):
        client.force_login(user)
        page = client.get(reverse("home:home")).content.decode()
        assert (link in page) is shown, user
        assert (client.get(DESK).status_code == 200) is shown, user


def test_group_head_sees_only_the_groups_projects(client, seed000, head_a):
    approve_money_projects(seed000)
    client.force_login(head_a)
    content = client.get(DESK, {"fiscal_year": FISCAL_YEAR}).content.decode()
    assert seed000.small.name in content  # group A's
    assert seed000.area.name not in content


def test_desk_reads_the_same_queries_for_one_row_or_thirty(
    client, finance, seed000, django_assert_num_queries
):
    """Choices come from three reads for the whole desk, never per row."""
    approve_money_projects(seed000)
    client.force_login(finance)
    chosen = {"fiscal_year": FISCAL_YEAR}
    client.get(DESK, {**chosen, "rows": "1"})  # the session is warm
    for index in range(30):
        activity = seed000.area_activities[index % 5]
        chosen[f"row-{index}-project"] = seed000.area.pk
        chosen[f"row-{index}-activity"] = activity.pk
        chosen[f"row-{index}-target"] = f"line-{activity.cost_lines.first().pk}"
    with django_assert_num_queries(QUERIES):
        client.get(DESK, {"fiscal_year": FISCAL_YEAR, "rows": "1"})
    with django_assert_num_queries(QUERIES):
        client.get(DESK, {**chosen, "rows": "30"})


#: Session, user, staff record, roles; then the desk's activities (with
#: their projects), cost lines (with what each has paid), payments by
#: activity and category.
QUERIES = 7


def test_admin_names_a_saved_disbursement_in_thai(client, seed000):
    """The admin said "เพิ่มการเบิกจ่าย “2026-12-05 2400”": ``str()`` of a
    payment is now its money and its Buddhist-era date."""
    approve_money_projects(seed000)
    person = make_staff(seed000.office, roles=[Role.FINANCE], first_name="การเงิน")
    person.user.is_staff = True
    person.user.save()
    activity = seed000.area_activities[3]
    client.force_login(person.user)
    response = client.post(
        reverse("admin:budgets_disbursement_add"),
        {
            "activity": activity.pk,
            "cost_line": _line(activity, "ค่าอาหารกลางวัน").pk,
            "paid_on": "5/12/2567",
            "amount": "2400",
            "document_number": "",
            "note": "",
        },
        follow=True,
    )
    content = response.content.decode()
    assert "2,400.00 บาท วันที่ 5 ธ.ค. 2567</a>” เรียบร้อยแล้ว" in content
    assert "2024-12-05" not in content
    record = Disbursement.objects.get()
    assert str(record) == "2,400.00 บาท วันที่ 5 ธ.ค. 2567"


def test_bad_query_strings_answer_the_desk_not_an_error(client, finance, seed000):
    client.force_login(finance)
    for query in (
        {"rows": "abc", "row": "9" * 5000},
        {"rows": "999999", "row-TOTAL_FORMS": "-1"},
        {
            "row-0-project": "abc",
            "row-0-activity": "1 OR 1=1",
            "row-0-target": "line-x",
        },
        {"row-0-paid_on": "31/02/2569", "row-0-amount": "สองพัน", "fiscal_year": "x"},
    ):
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(DESK, {**query, "row": "0"}, headers=headers)
            assert response.status_code == 200, query
    response = client.get(DESK, {"rows": "999"})
    assert response.content.decode().count('class="desk-row') == 30  # at most
