"""A power role enrols an authenticator in the browser, then signs in with its code."""

from base64 import b32decode

from django_otp.oath import TOTP
from playwright.sync_api import expect


def test_it_officer_enrols_a_second_factor_and_signs_in_with_it(page, live_server, login, make_user, settings):
    settings.OTP_REQUIRED_ROLES = ["it_head", "it_officer", "dba", "auditor"]
    make_user("it_officer", username="zhangw", full_name="张伟")

    login("zhangw")
    expect(page.get_by_role("heading", name="绑定第二重身份验证")).to_be_visible()
    expect(page.get_by_test_id("otp-qr")).to_be_visible()
    key = b32decode(page.get_by_test_id("otp-secret").inner_text())
    page.fill("input[name=token]", "000000")
    page.get_by_role("button", name="确认").click()
    expect(page.get_by_text("验证码不符")).to_be_visible()
    page.fill("input[name=token]", f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="确认").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    recovery = page.get_by_test_id("recovery-codes").locator("li").first.inner_text()

    login("zhangw")
    expect(page.get_by_role("heading", name="第二重身份验证")).to_be_visible()
    page.goto(f"{live_server.url}/repairs/")  # every other page waits for the code
    expect(page.get_by_role("heading", name="第二重身份验证")).to_be_visible()
    page.fill("input[name=token]", recovery)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("您好，张伟")).to_be_visible()
