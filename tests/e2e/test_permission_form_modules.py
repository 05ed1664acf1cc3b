from playwright.sync_api import expect

from accounts.models import InformationSystem, SystemModule
from tests.factories import approved_scheme


def test_permission_form_offers_only_the_chosen_systems_modules(page, live_server, login, make_user):
    make_user("staff", username="staff", full_name="王小红")
    his = InformationSystem.objects.create(code="HIS", name="医院信息系统", tier=1)
    SystemModule.objects.create(system=his, name="门诊医生站")
    oa = InformationSystem.objects.create(code="OA", name="协同办公系统", tier=3)
    SystemModule.objects.create(system=oa, name="公文收发")
    approved_scheme(his)
    approved_scheme(oa)

    login("staff")
    page.goto(f"{live_server.url}/accounts/requests/new/")
    expect(page.get_by_label("HIS · 门诊医生站")).to_be_hidden()
    expect(page.get_by_label("OA · 公文收发")).to_be_hidden()

    page.select_option("select[name=system]", label="HIS 医院信息系统")
    expect(page.get_by_label("HIS · 门诊医生站")).to_be_visible()
    expect(page.get_by_label("OA · 公文收发")).to_be_hidden()
    page.get_by_label("HIS · 门诊医生站").check()

    page.select_option("select[name=system]", label="OA 协同办公系统")
    expect(page.get_by_label("OA · 公文收发")).to_be_visible()
    expect(page.get_by_label("HIS · 门诊医生站")).to_be_hidden()
    expect(page.get_by_label("HIS · 门诊医生站")).not_to_be_checked()
