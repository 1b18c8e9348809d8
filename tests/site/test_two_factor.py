"""Two-factor sign-in for the admin: who must use it, verify, enrol, recovery codes."""

import re
from base64 import b32decode

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from website.demo import DEMO_TOTP_SECRET, DEMO_TOTP_USERNAMES, seed_two_factor
from website.roles import ensure_roles, group_for
from website.security.testing import verified_login
from website.security.two_factor import two_factor_required

PASSWORD = "Gzgj@2025test"
VERIFY = "/admin/two-factor/verify/"
ENROL = "/admin/two-factor/enrol/"


def make(username, role=None, superuser=False):
    User = get_user_model()
    user = (
        User.objects.create_superuser(username, f"{username}@example.gov.cn", PASSWORD)
        if superuser
        else User.objects.create_user(username, password=PASSWORD)
    )
    if role:
        user.groups.add(group_for(role))
    return user


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def password_sign_in(client, username):
    response = client.post("/admin/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.fixture
def roles(db):
    ensure_roles()


def test_who_must_use_two_factors(roles):
    assert two_factor_required(make("boss", superuser=True))
    assert two_factor_required(make("wang", "bureau"))
    assert two_factor_required(make("zhou", "sysadmin"))
    for role in ("editor", "reviewer", "unit_staff", "expert", "employer", "finance", "auditor"):
        assert not two_factor_required(make(f"u_{role}", role)), role


def test_bureau_without_device_is_sent_to_enrol_then_sees_recovery_codes_once(client, roles):
    user = make("wang", "bureau")
    password_sign_in(client, "wang")
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(ENROL)
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "绑定身份验证器" in html and 'name="otp_token"' in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r"data-totp-secret>([A-Z2-7 ]+)<", html).group(1)
    assert b32decode(secret.replace(" ", "")).hex() == device.key

    wrong = client.post(ENROL, {"otp_token": "000000"})
    assert "验证码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    device.refresh_from_db()
    device.throttle_reset()  # a failure makes the device wait a second (django-otp throttling)

    done = client.post(ENROL, {"otp_token": code_for(device), "next": "/admin/pages/"})
    html = done.content.decode()
    assert "只显示这一次" in html
    codes = re.findall(r"<li><code>(\w+)</code></li>", html)
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=user).confirmed
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert client.get("/admin/").status_code == 200  # verified by the enrolment


def test_user_with_device_must_verify_and_a_recovery_code_works_once(client, roles):
    user = make("wang", "bureau")
    device = TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="恢复码", confirmed=True)
    static.token_set.create(token="abcd2345")

    password_sign_in(client, "wang")
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == VERIFY + "?next=%2Fadmin%2Fpages%2F"
    page = client.get(response["Location"])
    assert 'name="otp_token"' in page.content.decode()

    bad = client.post(VERIFY, {"otp_token": "000000", "next": "/admin/pages/"})
    assert bad.status_code == 200 and "验证码不正确" in bad.content.decode()
    assert client.get("/admin/").status_code == 302

    good = client.post(VERIFY, {"otp_token": "ABCD 2345", "next": "/admin/pages/"})
    assert good.status_code == 302 and good["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200
    assert not static.token_set.exists()  # used up

    client.logout()
    password_sign_in(client, "wang")
    reused = client.post(VERIFY, {"otp_token": "abcd2345"})
    assert "验证码不正确" in reused.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    ok = client.post(VERIFY, {"otp_token": code_for(device)})
    assert ok.status_code == 302 and ok["Location"] == "/admin/"


def test_verify_refuses_an_offsite_next(client, roles):
    user = make("wang", "bureau")
    device = TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    password_sign_in(client, "wang")
    response = client.post(VERIFY, {"otp_token": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == "/admin/"


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/pages/",
        "/admin/users/",
        "/admin/api/main/pages/",
        "/admin/snippets/",
        "/admin/reports/site-history/",
        "/admin/lockouts/",
        "/admin/account/",
    ],
)
def test_unverified_sessions_reach_no_admin_view(client, roles, path):
    user = make("boss", superuser=True)
    TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    password_sign_in(client, "boss")
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 302, (method, path)
        assert response["Location"].startswith(VERIFY)


def test_enrolment_is_no_way_around_an_existing_device(client, roles):
    user = make("wang", "bureau")
    TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    password_sign_in(client, "wang")
    response = client.get(ENROL)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    response = client.post(ENROL, {"otp_token": "123456"})
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_logout_stays_reachable(client, roles):
    make("wang", "bureau")
    password_sign_in(client, "wang")
    response = client.post(reverse("wagtailadmin_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_other_staff_are_not_asked_until_they_enrol(client, roles):
    user = make("li", "editor")
    password_sign_in(client, "li")
    assert client.get("/admin/").status_code == 200
    account = client.get("/admin/account/").content.decode()
    assert "两步验证" in account and ENROL in account
    # Once enrolled, the editor too is asked for a code at the next sign-in.
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user)
    client.post(ENROL, {"otp_token": code_for(device)})
    client.logout()
    password_sign_in(client, "li")
    assert client.get("/admin/")["Location"].startswith(VERIFY)


def test_applicants_cannot_enrol(client, roles):
    applicant = make("13907970000", "applicant")
    client.force_login(applicant)
    response = client.get(ENROL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not TOTPDevice.objects.filter(user=applicant).exists()


def test_verified_login_helper_opens_the_admin(client, roles):
    verified_login(client, make("wang", "bureau"))
    assert client.get("/admin/").status_code == 200


def test_demo_accounts_get_the_documented_key(roles):
    for username in DEMO_TOTP_USERNAMES:
        make(username, "bureau")
    seed_two_factor()
    seed_two_factor()  # idempotent
    key = b32decode(DEMO_TOTP_SECRET).hex()
    for username in DEMO_TOTP_USERNAMES:
        device = TOTPDevice.objects.get(user__username=username)
        assert device.confirmed and device.key == key


def test_sysadmin_resets_a_colleagues_two_factor_with_an_audit_entry(client, roles):
    from wagtail.models import ModelLogEntry

    colleague = make("wang", "bureau")
    TOTPDevice.objects.create(user=colleague, name="App", confirmed=True)
    StaticDevice.objects.create(user=colleague, name="恢复码", confirmed=True)
    sysadmin = make("zhou", "sysadmin")
    verified_login(client, sysadmin)
    page = client.get("/admin/lockouts/").content.decode()
    assert "重置两步验证" in page
    response = client.post("/admin/two-factor/reset/", {"username": "wang"}, follow=True)
    assert "已重置账号 wang" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert not StaticDevice.objects.filter(user=colleague).exists()
    entry = ModelLogEntry.objects.get(action="website.two_factor_reset")
    assert entry.user == sysadmin and entry.object_id == str(colleague.pk)
    # Unknown account, own account: refused, nothing removed.
    response = client.post("/admin/two-factor/reset/", {"username": "nobody"}, follow=True)
    assert "没有找到账号" in response.content.decode()
    response = client.post("/admin/two-factor/reset/", {"username": "zhou"}, follow=True)
    assert "不能重置自己的两步验证" in response.content.decode()
    assert TOTPDevice.objects.filter(user=sysadmin).exists()


def test_only_user_managers_reset_two_factor(client, roles):
    colleague = make("wang", "bureau")
    TOTPDevice.objects.create(user=colleague, name="App", confirmed=True)
    verified_login(client, make("li", "bureau"))
    response = client.post("/admin/two-factor/reset/", {"username": "wang"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert TOTPDevice.objects.filter(user=colleague).exists()


def test_demo_totp_prints_the_current_code_in_development_only(roles, settings):
    from io import StringIO

    from django.core.management import CommandError, call_command

    make("bureau", "bureau")
    seed_two_factor()
    device = TOTPDevice.objects.get(user__username="bureau")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="开发环境"):
        call_command("demo_totp", "bureau")
    settings.DEBUG = True
    out = StringIO()
    call_command("demo_totp", "bureau", stdout=out)
    assert f"{code_for(device)}" in out.getvalue()
