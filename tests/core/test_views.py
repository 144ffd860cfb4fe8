import datetime

import pytest
from django.urls import reverse

from core.thai import fiscal_year_of

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("home:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_page_is_thai(client):
    response = client.get(reverse("login"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "เข้าสู่ระบบ" in content
    assert 'lang="th"' in content


def test_wrong_password_gives_thai_error_and_keeps_username(client, planner):
    response = client.post(
        reverse("login"), {"username": planner.username, "password": "wrong"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "กรุณาใส่" in content or "ไม่ถูกต้อง" in content
    assert f'value="{planner.username}"' in content


def test_login_lands_on_home_with_current_fiscal_year(client, planner):
    response = client.post(
        reverse("login"),
        {"username": planner.username, "password": "secret-pass"},
        follow=True,
    )
    content = response.content.decode()
    fiscal_year = fiscal_year_of(datetime.date.today())
    assert response.redirect_chain[-1][0] == reverse("home:home")
    assert f"พ.ศ. {fiscal_year}" in content
    assert "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 1" in content


def test_home_lists_groups_with_heads_in_fixed_queries(
    client, planner, head_a, head_b, django_assert_num_queries
):
    client.force_login(planner)
    # session, user, person, roles, group rows (2 queries), fiscal years, and
    # the planner dashboard without a plan (18 with the disbursement-target
    # lights; see tests/home/test_dashboard.py)
    with django_assert_num_queries(25):
        response = client.get(reverse("home:home"))
    content = response.content.decode()
    assert "กลุ่มส่งเสริมการจัดการศึกษา" in content
    assert "รักษาการในตำแหน่งผู้อำนวยการกลุ่มบริหารงานบุคคล" in content


def test_navigation_shows_admin_link_only_to_staff(client, planner, viewer):
    planner.is_staff = True
    planner.save()
    client.force_login(planner)
    assert "จัดการข้อมูล" in client.get(reverse("home:home")).content.decode()
    client.force_login(viewer)
    assert "จัดการข้อมูล" not in client.get(reverse("home:home")).content.decode()


def test_user_without_office_sees_a_thai_hint(client, django_user_model):
    user = django_user_model.objects.create_user("lonely", password="x")
    client.force_login(user)
    assert "ยังไม่ได้ผูกกับบุคลากร" in client.get(reverse("home:home")).content.decode()


def test_logout_requires_post_and_ends_the_session(client, planner):
    client.force_login(planner)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home:home")).status_code == 302


def test_unknown_page_is_a_thai_404(client, planner, settings):
    client.force_login(planner)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.content.decode()


def test_repeated_wrong_passwords_lock_the_login_in_thai(client, planner, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": planner.username, "password": "x"})
    response = client.post(
        reverse("login"), {"username": planner.username, "password": "secret-pass"}
    )
    assert response.status_code == 429
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_resets_the_failure_count(client, planner, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        client.post(reverse("login"), {"username": planner.username, "password": "x"})
    ok = client.post(
        reverse("login"), {"username": planner.username, "password": "secret-pass"}
    )
    assert ok.status_code == 302
