"""The in-app project-sheet editor (issue 18 item 1): /projects/new/ and
/projects/<id>/edit/ write the whole แบบเสนอโครงการ (sections 1–8, the
activities with their months and cost lines) through the services, with the
admin's rules: who may edit, the approval lock, history, edit versions."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.models import CostLine
from core.thai import current_fiscal_year, fiscal_month_dates
from projects.models import Activity, Project, ProjectTransition
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    BudgetSourceFactory,
    CostLineFactory,
    ExpenseCategoryFactory,
    ObjectiveFactory,
    PlanFactory,
    ProjectFactory,
    ProjectKPIFactory,
    ProjectResponsibleFactory,
    StrategyFactory,
)
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

NEW = reverse("projects:new")


@pytest.fixture
def year():
    return current_fiscal_year()


@pytest.fixture
def plan(office, year):
    return PlanFactory(organization=office, fiscal_year=year)


@pytest.fixture
def strategy(plan):
    return StrategyFactory(plan=plan, number=1, title="พัฒนาคุณภาพผู้เรียน")


@pytest.fixture
def category(db):
    return ExpenseCategoryFactory(code="compensation", name="ค่าตอบแทน")


def page_data(client, url) -> dict:
    """The editor's form as the browser would post it, untouched."""
    response = client.get(url)
    assert response.status_code == 200
    data = form_data(response.content, "sheet-editor")
    return {key: value for key, value in data.items() if "__" not in key}


def errors_of(response) -> str:
    """The error messages of a re-shown editor, for a failing assertion."""
    import re

    html = response.content.decode()
    return " | ".join(
        re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    )


def fill_new(data, *, plan, group, strategy, category, person, year) -> dict:
    october = fiscal_month_dates(year)[0].isoformat()
    data.update(
        {
            "plan": str(plan.pk),
            "group": str(group.pk),
            "name": "โครงการพัฒนาครูด้านการจัดการเรียนรู้เชิงรุก",
            "strategies": [str(strategy.pk)],
            "rationale": "ครูต้องการการพัฒนา",
            "responsibles-0-person": str(person.pk),
            "objectives-0-text": "เพื่อพัฒนาครู",
            "targets-0-kind": "quantitative",
            "targets-0-text": "ครู",
            "targets-0-quantity": "๑๒๐",
            "targets-0-unit": "คน",
            "act-0-name": "ประชุมเชิงปฏิบัติการ",
            "act-0-months": [october],
            "act-0-cost-0-category": str(category.pk),
            "act-0-cost-0-description": "ค่าอาหารกลางวัน",
            "act-0-cost-0-persons": "๓๐",
            "act-0-cost-0-rate": "1,200",
            "act-0-cost-0-times": "2",
            "kpis-0-name": "ร้อยละของครูที่ผ่านการอบรม",
            "kpis-0-unit": "percent",
            "kpis-0-comparison": "gte",
            "kpis-0-target_value": "80",
            "kpis-0-result_kind": "output",
            "expected-0-text": "ครูจัดการเรียนรู้เชิงรุกได้",
        }
    )
    return data


def test_planner_creates_a_whole_sheet_on_one_page(
    client, planner, group_a, plan, strategy, category, year
):
    client.force_login(planner)
    data = fill_new(
        page_data(client, NEW),
        plan=plan,
        group=group_a,
        strategy=strategy,
        category=category,
        person=planner.person,
        year=year,
    )
    response = client.post(NEW, data)
    assert response.status_code == 302, errors_of(response)
    project = Project.objects.get()
    assert response.url == reverse("projects:detail", args=[project.pk])
    assert project.created_by == planner
    assert list(project.strategies.all()) == [strategy]
    line = CostLine.objects.get()
    assert line.amount == Decimal("72000.00")
    assert line.activity.months == [fiscal_month_dates(year)[0].isoformat()]
    assert project.targets.get().quantity == 120
    assert project.history.first().history_user == planner
    assert line.history.first().history_user == planner


# ------------------------------------------------------------------ edit


@pytest.fixture
def sheet(plan, group_a, strategy, category, planner):
    """A draft sheet of group A: one activity with one cost line (2,400)."""
    project = ProjectFactory(plan=plan, group=group_a, name="โครงการเดิม")
    project.strategies.add(strategy)
    ProjectResponsibleFactory(project=project, person=planner.person)
    activity = ActivityFactory(
        project=project,
        order=1,
        name="กิจกรรมเดิม",
        months=[fiscal_month_dates(plan.fiscal_year)[2].isoformat()],
    )
    CostLineFactory(activity=activity, category=category)
    return project


def edit_url(project) -> str:
    return reverse("projects:edit", args=[project.pk])


def state(project) -> tuple:
    """What the editor could change, to show a refusal changed nothing."""
    project.refresh_from_db()
    return (
        project.name,
        project.edit_version,
        project.status,
        list(project.strategies.values_list("pk", flat=True)),
        list(project.activities.values_list("pk", "name", "edit_version")),
        list(
            CostLine.objects.filter(activity__project=project).values_list(
                "pk", "description", "amount", "edit_version"
            )
        ),
        list(project.objectives.values_list("pk", "text")),
        list(project.kpis.values_list("pk", "name")),
        project.history.count(),
    )


def test_editing_changes_lines_adds_an_activity_and_leaves_the_rest(
    client, planner, sheet, category, plan
):
    client.force_login(planner)
    data = page_data(client, edit_url(sheet))
    assert data["act-TOTAL_FORMS"] == "2"  # the stored activity and a spare one
    activity = sheet.activities.get()
    line = CostLine.objects.get()
    line_history = line.history.count()
    data.update(
        {
            "act-0-cost-0-rate": "๒๕๐",  # 1 × 12 × 250
            "act-1-name": "กิจกรรมใหม่",
            "act-1-months": [fiscal_month_dates(plan.fiscal_year)[4].isoformat()],
            "act-1-cost-0-category": str(category.pk),
            "act-1-cost-0-description": "ค่าวัสดุ",
            "act-1-cost-0-amount": "1,000",
        }
    )
    response = client.post(edit_url(sheet), data)
    assert response.status_code == 302, errors_of(response)
    assert response.url == reverse("projects:detail", args=[sheet.pk])
    line.refresh_from_db()
    assert line.amount == Decimal("3000.00")
    assert line.history.count() == line_history + 1
    activities = list(sheet.activities.order_by("order"))
    assert [(a.pk == activity.pk, a.order, a.name) for a in activities] == [
        (True, 1, "กิจกรรมเดิม"),
        (False, 2, "กิจกรรมใหม่"),
    ]
    assert activities[0].edit_version == activity.edit_version  # untouched
    assert CostLine.objects.get(description="ค่าวัสดุ").amount == 1000
    assert list(sheet.strategies.all())  # the alignment kept


def test_removing_rows_deletes_them_through_the_services(client, planner, sheet):
    client.force_login(planner)
    data = page_data(client, edit_url(sheet))
    data["act-0-DELETE"] = "on"
    response = client.post(edit_url(sheet), data)
    assert response.status_code == 302, errors_of(response)
    assert not sheet.activities.exists()
    assert not CostLine.objects.exists()
    assert Activity.history.filter(history_type="-").get().history_user == planner


def test_the_alignment_lists_only_the_plans_own_year(
    client, planner, sheet, plan, office
):
    last_year = PlanFactory(organization=office, fiscal_year=plan.fiscal_year - 1)
    StrategyFactory(plan=last_year, number=1, title="กลยุทธ์ของปีที่แล้ว")
    client.force_login(planner)
    page = client.get(edit_url(sheet)).content.decode()
    assert "พัฒนาคุณภาพผู้เรียน" in page
    assert "กลยุทธ์ของปีที่แล้ว" not in page
    assert 'type="checkbox" name="strategies"' in page


def test_errors_keep_everything_typed_and_save_nothing(client, planner, sheet):
    client.force_login(planner)
    before = state(sheet)
    data = page_data(client, edit_url(sheet))
    data.update(
        {
            "name": "ชื่อใหม่ที่พิมพ์ไว้",
            "act-0-cost-0-rate": "สองร้อย",
            "act-1-name": "กิจกรรมที่พิมพ์ไว้",
            "kpis-0-name": "ตัวชี้วัดที่พิมพ์ไว้",
            "kpis-0-unit": "percent",
            "kpis-0-target_value": "150",
        }
    )
    response = client.post(edit_url(sheet), data)
    assert response.status_code == 200
    page = response.content.decode()
    for typed in ("ชื่อใหม่ที่พิมพ์ไว้", "สองร้อย", "กิจกรรมที่พิมพ์ไว้", "ตัวชี้วัดที่พิมพ์ไว้"):
        assert typed in page
    assert "ยังบันทึกไม่ได้" in page
    assert "ร้อยละต้องอยู่ระหว่าง 0 ถึง 100" in page
    assert state(sheet) == before


def test_a_sheet_saved_elsewhere_meanwhile_is_a_conflict(client, planner, sheet):
    client.force_login(planner)
    data = page_data(client, edit_url(sheet))
    data["name"] = "ชื่อของฉัน"
    sheet.name = "ชื่อของอีกคน"
    sheet.save()
    before = state(sheet)
    response = client.post(edit_url(sheet), data)
    assert response.status_code == 200
    assert "มีผู้อื่นบันทึก" in response.content.decode()
    assert state(sheet) == before


def test_an_envelope_refusal_rolls_the_whole_sheet_back(
    client, planner, sheet, office, plan
):
    source = BudgetSourceFactory(organization=office)
    AllocationFactory(
        organization=office, fiscal_year=plan.fiscal_year, source=source, amount=1000
    )
    client.force_login(planner)
    data = page_data(client, edit_url(sheet))
    data.update({"budget_source": str(source.pk), "name": "ชื่อใหม่"})
    before = state(sheet)
    response = client.post(edit_url(sheet), data)
    assert response.status_code == 200
    assert "เกิน" in response.content.decode()
    assert state(sheet) == before


# ------------------------------------------------------------------ who


def test_a_group_head_edits_their_groups_sheet(client, head_a, sheet):
    client.force_login(head_a)
    data = page_data(client, edit_url(sheet))
    data["name"] = "แก้โดยหัวหน้ากลุ่ม"
    response = client.post(edit_url(sheet), data)
    assert response.status_code == 302, errors_of(response)
    sheet.refresh_from_db()
    assert sheet.name == "แก้โดยหัวหน้ากลุ่ม"


@pytest.mark.parametrize(
    ("who", "status"),
    [("head_b", 403), ("officer", 403), ("viewer", 403), ("outsider", 404)],
)
def test_others_are_refused_a_valid_post_and_nothing_changes(
    client, planner, sheet, request, who, status
):
    """The body is the planner's own valid form with a change; replayed by
    another group's head, an officer not named on it, a viewer and another
    office's planner."""
    client.force_login(planner)
    data = page_data(client, edit_url(sheet))
    data["name"] = "แก้โดยผู้ไม่มีสิทธิ์"
    before = state(sheet)
    client.force_login(request.getfixturevalue(who))
    assert client.get(edit_url(sheet)).status_code == status
    response = client.post(edit_url(sheet), data)
    assert response.status_code == status
    assert state(sheet) == before


def test_an_approved_sheet_is_refused_even_to_the_planner(client, planner, sheet):
    client.force_login(planner)
    data = page_data(client, edit_url(sheet))
    data["name"] = "แก้หลังอนุมัติ"
    Project.objects.filter(pk=sheet.pk).update(status=Project.Status.APPROVED)
    before = state(sheet)
    response = client.post(edit_url(sheet), data)
    assert response.status_code == 403
    assert state(sheet) == before


def test_a_group_head_cannot_create_for_another_group(
    client, planner, head_a, group_b, plan, strategy, category, year
):
    client.force_login(head_a)
    data = fill_new(
        page_data(client, NEW),
        plan=plan,
        group=group_b,
        strategy=strategy,
        category=category,
        person=head_a.person,
        year=year,
    )
    response = client.post(NEW, data)
    assert response.status_code == 200
    assert "เลือกตัวเลือกที่ถูกต้อง" in response.content.decode()
    assert not Project.objects.exists()


@pytest.mark.parametrize("who", ["officer", "viewer", "director"])
def test_only_planners_and_group_heads_open_a_new_sheet(
    client, planner, group_a, plan, strategy, category, year, request, who
):
    client.force_login(planner)
    data = fill_new(
        page_data(client, NEW),
        plan=plan,
        group=group_a,
        strategy=strategy,
        category=category,
        person=planner.person,
        year=year,
    )
    client.force_login(request.getfixturevalue(who))
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, data).status_code == 403
    assert not Project.objects.exists()
    assert not CostLine.objects.exists()


# ------------------------------------------------------------------ submit


def test_save_and_submit_submits(client, planner, sheet):
    ObjectiveFactory(project=sheet)
    ProjectKPIFactory(project=sheet)
    client.force_login(planner)
    data = page_data(client, edit_url(sheet))
    data["submit"] = "1"
    response = client.post(edit_url(sheet), data)
    assert response.status_code == 302
    assert response.url == reverse("projects:detail", args=[sheet.pk])
    sheet.refresh_from_db()
    assert sheet.status == Project.Status.SUBMITTED
    assert sheet.transitions.get().actor == planner


def test_an_incomplete_sheet_is_saved_but_not_submitted(client, planner, sheet):
    client.force_login(planner)
    data = page_data(client, edit_url(sheet))
    data.update({"submit": "1", "name": "ชื่อที่บันทึกแล้ว"})
    response = client.post(edit_url(sheet), data, follow=True)
    assert response.redirect_chain[-1][0] == edit_url(sheet)
    page = response.content.decode()
    assert "บันทึกร่างแล้ว แต่ยังเสนอไม่ได้" in page
    assert "ข้อ 7 ตัวชี้วัดความสำเร็จ" in page
    sheet.refresh_from_db()
    assert (sheet.name, sheet.status) == ("ชื่อที่บันทึกแล้ว", Project.Status.DRAFT)


# ------------------------------------------------------------------ pages


def test_the_reviewers_comment_is_at_the_top_of_the_editor_and_the_page(
    client, planner, sheet
):
    Project.objects.filter(pk=sheet.pk).update(status=Project.Status.RETURNED)
    ProjectTransition.objects.create(
        project=sheet,
        from_status=Project.Status.SUBMITTED,
        to_status=Project.Status.RETURNED,
        actor=planner,
        comment="กรุณาเพิ่มตัวชี้วัดเชิงคุณภาพ",
    )
    client.force_login(planner)
    for url in (edit_url(sheet), reverse("projects:detail", args=[sheet.pk])):
        page = client.get(url).content.decode()
        box = page.index('data-testid="review-comment"')
        assert "กรุณาเพิ่มตัวชี้วัดเชิงคุณภาพ" in page[box : box + 600]
        assert box < page.index('class="card"')  # above the sheet itself


def test_the_project_page_links_the_editor_and_the_pdf(client, planner, sheet):
    client.force_login(planner)
    page = client.get(reverse("projects:detail", args=[sheet.pk])).content.decode()
    assert f'href="{edit_url(sheet)}"' in page
    pdf = reverse("reports:project_sheet_pdf", args=[sheet.pk])
    assert f'href="{pdf}"' in page
    assert "พิมพ์แบบเสนอโครงการ (PDF)" in page


def test_the_list_and_dashboard_link_the_new_sheet(client, planner, plan):
    client.force_login(planner)
    for url in (reverse("projects:list"), reverse("home:home")):
        assert f'href="{NEW}"' in client.get(url).content.decode(), url


# ------------------------------------------------------------------ autosave

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_autosave_creates_the_draft_and_answers_the_stored_form(
    client, planner, group_a, plan, strategy, category, year
):
    client.force_login(planner)
    data = fill_new(
        page_data(client, NEW),
        plan=plan,
        group=group_a,
        strategy=strategy,
        category=category,
        person=planner.person,
        year=year,
    )
    response = client.post(NEW, {**data, "autosave": "1"}, **HTMX)
    assert response.status_code == 200
    project = Project.objects.get()
    assert project.status == Project.Status.DRAFT
    assert response["HX-Replace-Url"] == edit_url(project)
    page = response.content.decode()
    assert "บันทึกร่างอัตโนมัติแล้ว" in page
    # The swapped-in form knows the rows now stored: saving it again (what
    # the user's next press of บันทึก sends) is no conflict and no copy.
    again = form_data(page, "sheet-editor")
    again = {key: value for key, value in again.items() if "__" not in key}
    again.update({"strategies": [str(strategy.pk)], "name": "ชื่อหลังบันทึกอัตโนมัติ"})
    again["act-0-months"] = data["act-0-months"]
    response = client.post(edit_url(project), again)
    assert response.status_code == 302, errors_of(response)
    assert Project.objects.get().name == "ชื่อหลังบันทึกอัตโนมัติ"
    assert CostLine.objects.count() == 1
    assert Activity.objects.count() == 1


def test_autosave_of_an_unfinished_sheet_saves_nothing(client, planner, sheet):
    client.force_login(planner)
    data = page_data(client, edit_url(sheet))
    data.update({"name": "", "autosave": "1"})
    before = state(sheet)
    response = client.post(edit_url(sheet), data, **HTMX)
    assert response.status_code == 204
    assert state(sheet) == before


def test_a_submitted_sheet_is_not_autosaved(client, planner, sheet):
    client.force_login(planner)
    data = page_data(client, edit_url(sheet))
    Project.objects.filter(pk=sheet.pk).update(status=Project.Status.SUBMITTED)
    data.update({"name": "แก้ระหว่างตรวจ", "autosave": "1"})
    before = state(sheet)
    response = client.post(edit_url(sheet), data, **HTMX)
    assert response.status_code == 204
    assert state(sheet) == before
    assert "hx-post" not in client.get(edit_url(sheet)).content.decode()


# ------------------------------------------------------------------ months
# Issue 18: the month grid extends into the next fiscal year, and saving from
# the editor never drops a month the activity holds.


def _months(year, *indexes, following=False) -> list[str]:
    days = fiscal_month_dates(year + 1 if following else year)
    return [days[i].isoformat() for i in indexes]


@pytest.fixture
def crossing(sheet, plan):
    """The sheet runs June – March of the next year (seed 000's 2.6, 2.9,
    2.10), and its activity holds December and, past the year end, January."""
    year = plan.fiscal_year
    sheet.start_month = fiscal_month_dates(year)[8]
    sheet.end_month = fiscal_month_dates(year + 1)[5]
    sheet.save()
    activity = sheet.activities.get()
    activity.months = _months(year, 2) + _months(year, 3, following=True)
    activity.save()
    return sheet


def test_a_month_past_the_year_end_is_kept_when_the_sheet_is_saved(
    client, planner, crossing, plan
):
    client.force_login(planner)
    page = client.get(edit_url(crossing)).content.decode()
    assert "แสดงเดือนในปีงบประมาณถัดไป" in page
    assert '<details class="next-year" open>' in page
    data = page_data(client, edit_url(crossing))
    data["act-0-name"] = "กิจกรรมเดิม แก้ชื่อ"  # the activity itself is saved again
    response = client.post(edit_url(crossing), data)
    assert response.status_code == 302, errors_of(response)
    activity = crossing.activities.get()
    assert activity.name == "กิจกรรมเดิม แก้ชื่อ"
    assert activity.months == _months(plan.fiscal_year, 2) + _months(
        plan.fiscal_year, 3, following=True
    )


def test_a_month_of_the_next_year_within_the_period_is_ticked_and_saved(
    client, planner, crossing, plan
):
    client.force_login(planner)
    data = page_data(client, edit_url(crossing))
    data["act-0-months"] = _months(plan.fiscal_year, 2) + _months(
        plan.fiscal_year, 3, 5, following=True
    )
    response = client.post(edit_url(crossing), data)
    assert response.status_code == 302, errors_of(response)
    assert crossing.activities.get().months == data["act-0-months"]


def test_the_next_year_is_folded_away_for_a_project_within_its_year(
    client, planner, sheet
):
    client.force_login(planner)
    page = client.get(edit_url(sheet)).content.decode()
    assert '<details class="next-year">' in page  # offered, closed
    assert "แสดงเดือนในปีงบประมาณถัดไป" in page


@pytest.mark.parametrize("where", ["past_the_next_year", "before_the_year"])
def test_a_month_outside_every_range_is_refused_in_thai_and_nothing_is_lost(
    client, planner, crossing, plan, where
):
    """A month the grid does not offer, as another client could post it."""
    client.force_login(planner)
    before = state(crossing)
    stored = list(crossing.activities.get().months)
    data = page_data(client, edit_url(crossing))
    year = plan.fiscal_year
    if where == "past_the_next_year":
        data["act-0-months"] = stored + _months(year + 1, 0, following=True)
    else:
        data["act-0-months"] = _months(year - 1, 11) + stored
    data["name"] = "ชื่อใหม่ที่พิมพ์ไว้"
    response = client.post(edit_url(crossing), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        f"อยู่นอกปีงบประมาณ {year} (ต.ค. {year - 1} – ก.ย. {year}) "
        f"และปีงบประมาณถัดไป {year + 1} (ต.ค. {year} – ก.ย. {year + 1})"
    ) in page, errors_of(response)
    assert "ชื่อใหม่ที่พิมพ์ไว้" in page
    assert state(crossing) == before
    assert crossing.activities.get().months == stored


def test_a_stored_month_outside_the_range_is_shown_and_never_dropped(
    client, planner, sheet, plan
):
    """Months written before the rule (or by the admin's JSON) that no range
    allows: the grid shows them ticked, the save is refused until the user
    unticks them, and then only that month goes."""
    activity = sheet.activities.get()
    stray = fiscal_month_dates(plan.fiscal_year - 1)[0].isoformat()
    activity.months = [stray, *activity.months]
    activity.save()
    client.force_login(planner)
    before = state(sheet)
    data = page_data(client, edit_url(sheet))
    assert stray in data["act-0-months"]
    response = client.post(edit_url(sheet), data)
    assert response.status_code == 200
    assert f"อยู่นอกปีงบประมาณ {plan.fiscal_year}" in response.content.decode()
    assert "เดือนอื่นที่บันทึกไว้" in response.content.decode()
    assert state(sheet) == before
    assert sheet.activities.get().months == activity.months

    data["act-0-months"] = [m for m in data["act-0-months"] if m != stray]
    response = client.post(edit_url(sheet), data)
    assert response.status_code == 302, errors_of(response)
    assert sheet.activities.get().months == activity.months[1:]


def test_shortening_the_period_keeps_the_next_year_month(
    client, planner, crossing, plan
):
    """The period ends with the year now, but the activity's January stays:
    the save never drops a month (the sheet checker warns of it instead)."""
    client.force_login(planner)
    stored = list(crossing.activities.get().months)
    data = page_data(client, edit_url(crossing))
    data["end_month"] = f"ก.ย. {plan.fiscal_year}"
    response = client.post(edit_url(crossing), data)
    assert response.status_code == 302, errors_of(response)
    crossing.refresh_from_db()
    assert crossing.end_month == fiscal_month_dates(plan.fiscal_year)[-1]
    assert crossing.activities.get().months == stored


# ------------------------------------------------------------------ success levels

LEVEL_CRITERIA = [
    "มีคำสั่งแต่งตั้งคณะทำงาน",
    "มีแผนการนิเทศที่ผ่านความเห็นชอบ",
    "ดำเนินการนิเทศครบทุกโรงเรียน",
    "สรุปผลการนิเทศและรายงานผู้บริหาร",
    "นำผลไปปรับปรุงและเผยแพร่แนวปฏิบัติที่ดี",
]


def with_level_kpi(data, *, criteria=LEVEL_CRITERIA, target="๔") -> dict:
    """The editor's form with a success-level KPI typed in its spare row."""
    row = int(data["kpis-TOTAL_FORMS"]) - 1
    data.update(
        {
            f"kpis-{row}-result_kind": "outcome",
            f"kpis-{row}-name": "ระดับความสำเร็จของการนิเทศติดตาม",
            f"kpis-{row}-unit": "success",
            f"kpis-{row}-comparison": "lte",
            f"kpis-{row}-target_value": target,
            **{
                f"kpis-{row}-criterion_{level}": text
                for level, text in enumerate(criteria, start=1)
            },
        }
    )
    return data


def test_the_editor_saves_a_success_level_kpi_with_its_criteria(client, planner, sheet):
    """Issue 21 item 5: five criteria and a level target typed on the page;
    the target means "this level or higher" whatever comparison is posted."""
    client.force_login(planner)
    data = with_level_kpi(page_data(client, edit_url(sheet)))
    response = client.post(edit_url(sheet), data)
    assert response.status_code == 302, errors_of(response)
    kpi = sheet.kpis.get(unit="success")
    assert kpi.level_criteria == LEVEL_CRITERIA
    assert (kpi.target_value, kpi.comparison) == (4, "gte")
    page = client.get(edit_url(sheet)).content.decode()
    assert "เกณฑ์ระดับ 5" in page
    assert LEVEL_CRITERIA[4] in page


@pytest.mark.parametrize(
    ("criteria", "target", "message"),
    [
        (LEVEL_CRITERIA[:4], "4", "กรุณากรอกเกณฑ์ของตัวชี้วัดระดับความสำเร็จให้ครบทั้ง 5 ระดับ"),
        (LEVEL_CRITERIA, "6", "ค่าเป้าหมายของตัวชี้วัดระดับความสำเร็จต้องเป็นระดับ 1 ถึง 5"),
    ],
)
def test_an_incomplete_level_kpi_is_refused_in_thai_and_nothing_changes(
    client, planner, sheet, criteria, target, message
):
    client.force_login(planner)
    data = with_level_kpi(
        page_data(client, edit_url(sheet)), criteria=criteria, target=target
    )
    before = state(sheet)
    response = client.post(edit_url(sheet), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert state(sheet) == before


def test_another_office_cannot_add_a_level_kpi_with_a_valid_post(
    client, planner, sheet, outsider
):
    client.force_login(planner)
    data = with_level_kpi(page_data(client, edit_url(sheet)))
    before = state(sheet)
    client.force_login(outsider)
    assert client.post(edit_url(sheet), data).status_code == 404
    assert state(sheet) == before
    assert not sheet.kpis.filter(unit="success").exists()
