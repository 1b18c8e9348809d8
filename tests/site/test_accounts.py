"""Accounts: login lockout (django-axes), the lockout screen, passwords, idle sessions."""

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from wagtail.models import ModelLogEntry

from website.roles import ensure_roles, group_for
from website.security.client_ip import client_ip_address, client_username
from website.security.passwords import CharacterClassValidator, character_classes
from website.security.sessions import ADMIN_KEY, SITE_KEY
from website.security.testing import verified_login

PASSWORD = "Gzgj@2025test"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture
def staff(db):
    ensure_roles()
    user = get_user_model().objects.create_user("zhangsan", password=PASSWORD)
    user.groups.add(group_for("editor"))
    return user


def fail_login(client, url, username, times, address="10.0.0.1"):
    responses = []
    for _ in range(times):
        responses.append(
            client.post(url, {"username": username, "password": "wrong"}, REMOTE_ADDR=address)
        )
    return responses


# --- lockout -------------------------------------------------------------------------------


def test_admin_login_locks_after_five_failures_with_a_chinese_page(client, staff):
    responses = fail_login(client, ADMIN_LOGIN, "zhangsan", 5)
    assert all(r.status_code == 200 for r in responses[:4])  # the form again, with its error
    locked = responses[4]
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "登录已暂时锁定" in html and "30 分钟" in html and "系统管理员" in html
    assert "赣州工匠" in html  # the site's design: base.html

    # Even the right password is refused now, from that address.
    response = client.post(
        ADMIN_LOGIN, {"username": "zhangsan", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_address(client, staff):
    fail_login(client, ADMIN_LOGIN, "zhangsan", 5, address="10.0.0.1")
    # Same account from another address: signs in.
    response = client.post(
        ADMIN_LOGIN, {"username": "zhangsan", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert response.status_code == 302
    client.logout()
    # Another account from the locked address: not locked either.
    get_user_model().objects.create_user("lisi", password=PASSWORD).groups.add(group_for("editor"))
    response = client.post(
        ADMIN_LOGIN, {"username": "lisi", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302


def test_lockout_ends_after_thirty_minutes(client, staff, settings):
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=30)
    fail_login(client, ADMIN_LOGIN, "zhangsan", 5)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=31)
    )
    response = client.post(
        ADMIN_LOGIN, {"username": "zhangsan", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302


@pytest.mark.skipif(
    not __import__("django.conf").conf.settings.CRAFTSMAN_ENABLED, reason="craftsman off"
)
def test_applicant_login_locks_too(client, db):
    ensure_roles()
    get_user_model().objects.create_user("13907970000", password=PASSWORD)
    responses = fail_login(client, "/apply/login/", "13907970000", 5)
    assert responses[0].status_code == 200 and "密码不正确" in responses[0].content.decode()
    assert responses[4].status_code == 429
    assert "登录已暂时锁定" in responses[4].content.decode()
    assert AccessAttempt.objects.get().path_info == "/apply/login/"


@pytest.mark.skipif(
    not __import__("django.conf").conf.settings.CRAFTSMAN_ENABLED, reason="craftsman off"
)
def test_applicant_login_refuses_an_overlong_username_in_chinese(client, db):
    # Django's login form checks the length only in the browser; axes's column holds 255.
    response = client.post(
        "/apply/login/", {"username": "赣州" * 200, "password": "x"}, REMOTE_ADDR="10.0.0.2"
    )
    assert response.status_code == 200
    assert "手机号码或电子邮箱不能超过150个字符" in response.content.decode()


def test_overlong_admin_username_fails_calmly(client, staff):
    response = client.post(
        ADMIN_LOGIN, {"username": "赣州" * 200, "password": "x"}, REMOTE_ADDR="10.0.0.3"
    )
    assert response.status_code == 200
    assert all(len(a.username or "") <= 255 for a in AccessAttempt.objects.all())


def test_axes_records_at_most_255_characters_of_a_username():
    request = RequestFactory().post("/apply/login/", {"username": "州" * 400})
    assert client_username(request) == "州" * 255
    assert client_username(request, {"username": "ab" * 200}) == ("ab" * 200)[:255]
    assert client_username(RequestFactory().post("/", {})) is None


def test_failed_attempts_never_store_the_password(client, staff):
    fail_login(client, ADMIN_LOGIN, "zhangsan", 1)
    attempt = AccessAttempt.objects.get()
    assert "wrong" not in attempt.post_data


# --- unlocking from the admin -----------------------------------------------------------------


@pytest.fixture
def sysadmin(db):
    ensure_roles()
    user = get_user_model().objects.create_user("zhoumin", password=PASSWORD)
    user.groups.add(group_for("sysadmin"))
    return user


def test_sysadmin_lists_and_lifts_a_lockout_with_an_audit_entry(client, staff, sysadmin):
    fail_login(client, ADMIN_LOGIN, "zhangsan", 5)
    verified_login(client, sysadmin)
    page = client.get("/admin/lockouts/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "zhangsan" in html and "10.0.0.1" in html and "解除锁定" in html
    # GET never unlocks; POST does.
    attempt = AccessAttempt.objects.get()
    response = client.post("/admin/lockouts/", {"attempt": attempt.pk}, follow=True)
    assert "已解除账号 zhangsan" in response.content.decode()
    assert not AccessAttempt.objects.exists()
    entry = ModelLogEntry.objects.get(action="website.unlock_login")
    assert entry.user == sysadmin and entry.data["username"] == "zhangsan"
    # The account signs in again from that address.
    client.logout()
    response = client.post(
        ADMIN_LOGIN, {"username": "zhangsan", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302


def test_bad_unlock_requests_change_nothing(client, staff, sysadmin):
    fail_login(client, ADMIN_LOGIN, "zhangsan", 5)
    verified_login(client, sysadmin)
    response = client.post("/admin/lockouts/", {"attempt": "abc"}, follow=True)
    assert "请选择要解除的锁定" in response.content.decode()
    response = client.post("/admin/lockouts/", {"attempt": 999999}, follow=True)
    assert "该锁定已不存在" in response.content.decode()
    assert AccessAttempt.objects.count() == 1


def test_staff_without_the_permission_cannot_unlock(client, staff):
    fail_login(client, ADMIN_LOGIN, "zhangsan", 5)
    other = get_user_model().objects.create_user("wangwu", password=PASSWORD)
    other.groups.add(group_for("bureau"))
    verified_login(client, other)
    # Wagtail answers a refused admin view with a redirect to the dashboard.
    response = client.get("/admin/lockouts/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    attempt = AccessAttempt.objects.get()
    response = client.post("/admin/lockouts/", {"attempt": attempt.pk})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert AccessAttempt.objects.exists()


# --- client address behind proxies ------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "1.1.1.1", "127.0.0.9"),  # no proxy: the header is the client's word, ignored
        (1, "6.6.6.6, 1.1.1.1", "1.1.1.1"),  # the address our proxy appended
        (2, "6.6.6.6, 1.1.1.1, 10.0.0.5", "1.1.1.1"),
        (2, "1.1.1.1", "127.0.0.9"),  # fewer hops than proxies: not through them
    ],
)
def test_client_ip_trusts_only_our_proxies(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip_address(request) == expected


# --- passwords --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("gzgjsecret", False),  # one class
        ("gzgjsecret2025", False),  # two classes
        ("Gzgjsecret2025", True),
        ("gzgj#secret2025", True),
        ("GZGJ#SECRET", False),
        ("Gzgj@2025demo", True),
    ],
)
def test_character_class_validator(password, ok):
    validator = CharacterClassValidator()
    if ok:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError) as error:
            validator.validate(password)
        assert "至少包含" in error.value.messages[0]


def test_character_classes():
    assert character_classes("aB3#中") == {"upper", "lower", "digit", "symbol"}


def test_validator_is_in_the_settings(db):
    with pytest.raises(ValidationError) as error:
        validate_password("longbutsimplepassword")
    assert any("大写字母" in message for message in error.value.messages)


@pytest.mark.skipif(
    not __import__("django.conf").conf.settings.CRAFTSMAN_ENABLED, reason="craftsman off"
)
def test_registration_refuses_a_simple_password(client, db):
    ensure_roles()
    response = client.post(
        "/apply/register/",
        {"identifier": "13907971234", "password1": "gzgjsecret2025", "password2": "gzgjsecret2025"},
    )
    assert response.status_code == 200
    assert "大写字母、小写字母、数字、符号" in response.content.decode()
    assert not get_user_model().objects.filter(username="13907971234").exists()


def test_admin_user_form_refuses_a_simple_password(client, db):
    ensure_roles()
    root = get_user_model().objects.create_superuser("root", "r@example.gov.cn", PASSWORD)
    verified_login(client, root)
    response = client.post(
        "/admin/users/new/",
        {
            "username": "newstaff",
            "email": "n@example.gov.cn",
            "first_name": "新",
            "last_name": "员工",
            "password1": "gzgjsecret2025",
            "password2": "gzgjsecret2025",
        },
    )
    assert response.status_code == 200
    assert "大写字母" in response.content.decode()
    assert not get_user_model().objects.filter(username="newstaff").exists()


def test_login_views_hide_passwords_from_error_reports(client, staff):
    """Django's error reports (mail to ADMINS, DEBUG pages) mask these POST fields."""
    response = client.post(ADMIN_LOGIN, {"username": "zhangsan", "password": "wrong"})
    assert response.wsgi_request.sensitive_post_parameters == "__ALL__"
    verified_login(client, staff)
    response = client.post("/admin/two-factor/verify/", {"otp_token": "123456"})
    assert "otp_token" in response.wsgi_request.sensitive_post_parameters


@pytest.mark.skipif(
    not __import__("django.conf").conf.settings.CRAFTSMAN_ENABLED, reason="craftsman off"
)
def test_applicant_views_hide_passwords_from_error_reports(client, db):
    response = client.post("/apply/login/", {"username": "x", "password": "wrong"})
    assert response.wsgi_request.sensitive_post_parameters == "__ALL__"
    response = client.post("/apply/register/", {"password1": "a", "password2": "b"})
    assert set(response.wsgi_request.sensitive_post_parameters) == {"password1", "password2"}


def test_passwords_never_reach_the_logs(client, staff, caplog):
    """Failed and locked-out logins are logged (django-axes) without the password."""
    import logging

    caplog.set_level(logging.DEBUG)
    secret = "S3cret-Never-Logged!"
    for _ in range(6):
        client.post(ADMIN_LOGIN, {"username": "zhangsan", "password": secret})
    client.post(ADMIN_LOGIN, {"username": "zhangsan", "password": PASSWORD})
    assert caplog.records  # the attempts were logged
    assert secret not in caplog.text and PASSWORD not in caplog.text
    assert not [a for a in AccessAttempt.objects.values_list("post_data", flat=True) if secret in a]


# --- idle sessions ----------------------------------------------------------------------------


def test_admin_session_ends_after_thirty_idle_minutes(client, staff, settings):
    assert settings.ADMIN_IDLE_TIMEOUT == timedelta(minutes=30)
    verified_login(client, staff)
    assert client.get("/admin/").status_code == 200
    session = client.session
    session[ADMIN_KEY] = time.time() - 31 * 60
    session.save()
    response = client.get("/admin/pages/", follow=True)
    assert response.redirect_chain[0][0] == "/admin/login/?next=%2Fadmin%2Fpages%2F"
    assert "30 分钟未操作" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_active_admin_session_continues(client, staff):
    verified_login(client, staff)
    session = client.session
    session[ADMIN_KEY] = time.time() - 29 * 60
    session.save()
    assert client.get("/admin/").status_code == 200
    assert time.time() - client.session[ADMIN_KEY] < 60


def test_public_session_allows_two_hours(client, staff, settings):
    assert settings.SITE_IDLE_TIMEOUT == timedelta(hours=2)
    client.force_login(staff)
    session = client.session
    session[SITE_KEY] = time.time() - 90 * 60
    session.save()
    client.get("/search/")
    assert "_auth_user_id" in client.session
    session = client.session
    session[SITE_KEY] = time.time() - 121 * 60
    session.save()
    client.get("/search/")
    assert "_auth_user_id" not in client.session
