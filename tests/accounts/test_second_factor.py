"""The second factor: enrolment by QR code, codes from the device's own key, recovery codes, lockout, reset."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor import enrol
from portal.models import SecurityEvent

POWER_ROLES = ["it_head", "it_officer", "dba", "auditor"]


@pytest.fixture
def required(settings):
    settings.OTP_REQUIRED_ROLES = POWER_ROLES


def code_of(device):
    return f"{TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits).token():06d}"


def test_an_it_officer_reaches_no_page_before_enrolling(client, make_user, required):
    client.force_login(make_user("it_officer"))
    for url in ("/", reverse("repairs:ticket_list"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("accounts:second_factor_enrol"), url


def test_enrolment_shows_a_qr_code_and_confirms_with_a_code_from_the_device(client, make_user, required):
    officer = make_user("it_officer")
    client.force_login(officer)
    page = client.get(reverse("accounts:second_factor_enrol")).content.decode()
    assert "data:image/png;base64," in page and "身份验证器" in page
    device = TOTPDevice.objects.get(user=officer, confirmed=False)

    wrong = client.post(reverse("accounts:second_factor_enrol"), {"token": "000000"}).content.decode()
    assert "验证码不符" in wrong

    codes_page = client.post(reverse("accounts:second_factor_enrol"), {"token": code_of(device)}).content.decode()
    codes = re.findall(r"<li>(\w+)</li>", codes_page.split('data-testid="recovery-codes"')[1].split("</ul>")[0])
    assert len(codes) == 10
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SECOND_FACTOR_ENROL, user=officer).exists()
    assert client.get("/").status_code == 200


def test_staff_need_no_second_factor_and_the_demo_asks_it_of_no_one(client, make_user, settings):
    settings.OTP_REQUIRED_ROLES = POWER_ROLES
    client.force_login(make_user("staff"))
    assert client.get("/").status_code == 200
    settings.OTP_REQUIRED_ROLES = []
    client.force_login(make_user("it_head"))
    assert client.get("/").status_code == 200


def test_an_enrolled_person_confirms_each_login_with_a_code(client, make_user):
    officer = make_user("it_officer", username="zhangw")
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    client.post("/login/", {"username": "zhangw", "password": "Demo-2026"})
    assert client.get("/").url == reverse("accounts:second_factor_verify")
    response = client.post(reverse("accounts:second_factor_verify"), {"token": code_of(device)})
    assert response.url == reverse("portal:dashboard")
    assert client.get("/").status_code == 200


def test_a_recovery_code_signs_in_once(client, make_user, rf):
    officer = make_user("it_officer", username="zhangw")
    client.force_login(officer)
    request = rf.post("/")
    request.user, request.session = officer, client.session
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=False)
    codes = enrol(request, code_of(device))

    client.logout()
    client.post("/login/", {"username": "zhangw", "password": "Demo-2026"})
    assert client.post(reverse("accounts:second_factor_verify"), {"token": codes[0]}).status_code == 302
    client.logout()
    client.post("/login/", {"username": "zhangw", "password": "Demo-2026"})
    again = client.post(reverse("accounts:second_factor_verify"), {"token": codes[0]})
    assert "验证码错误或已过期" in again.content.decode()


def test_wrong_codes_count_towards_the_lockout(client, make_user, settings):
    officer = make_user("it_officer", username="zhangw")
    TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    client.post("/login/", {"username": "zhangw", "password": "Demo-2026"})
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(reverse("accounts:second_factor_verify"), {"token": "123456"}).status_code == 200
    locked = client.post(reverse("accounts:second_factor_verify"), {"token": "123456"})
    assert locked.status_code == 429 and "账号已锁定" in locked.content.decode()
    assert client.get("/").status_code == 302 and "/login/" in client.get("/").url


def test_the_it_head_resets_a_lost_authenticator(client, make_user):
    officer = make_user("it_officer")
    TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    it_head = make_user("it_head")
    client.force_login(make_user("staff"))
    assert client.post(reverse("accounts:second_factor_reset", args=[officer.pk])).status_code == 403
    client.force_login(it_head)
    page = client.get(officer.get_absolute_url()).content.decode()
    assert 'data-testid="reset-second-factor"' in page
    response = client.post(reverse("accounts:second_factor_reset", args=[officer.pk]), follow=True)
    assert "已重置" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert SecurityEvent.objects.get(kind=SecurityEvent.Kind.SECOND_FACTOR_RESET).user == it_head


def test_no_one_resets_their_own_second_factor(client, make_user):
    it_head = make_user("it_head")
    TOTPDevice.objects.create(user=it_head, name="app", confirmed=True)
    client.force_login(it_head)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=it_head).persistent_id
    session.save()
    response = client.post(reverse("accounts:second_factor_reset", args=[it_head.pk]), follow=True)
    assert "不能重置自己的" in response.content.decode()
    assert TOTPDevice.objects.filter(user=it_head).exists()


def test_the_admin_needs_the_second_factor_whenever_the_setting_is_on(client, admin_user, required):
    client.force_login(admin_user)
    assert client.get("/admin/").url == reverse("accounts:second_factor_enrol")
