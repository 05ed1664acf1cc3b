import io
from datetime import date

import time_machine
from django.urls import reverse
from pypdf import PdfReader

from disclosure import services
from disclosure.models import Category, DisclosureItem, DisclosureRequest
from portal.workflow import perform
from tests.permissions import assert_permission_matrix


def test_item_pages_permission_matrix(client, make_item, make_user, other_department, people):
    item = make_item("content_review")
    outsider = make_user("staff", department=other_department)
    assert_permission_matrix(
        client, reverse("disclosure:item_list"),
        allowed=[people.collector, people.head, people.secrecy, people.leader, people.officer, make_user("auditor")],
        forbidden=[make_user("hr"), make_user("dba")],
    )  # fmt: skip
    assert_permission_matrix(
        client, reverse("disclosure:item_detail", args=[item.pk]),
        allowed=[people.collector, people.head, people.secrecy, people.leader],
        forbidden=[make_user("hr")],
        hidden=[outsider, make_user("dept_head", department=other_department)],
    )  # fmt: skip
    assert_permission_matrix(
        client, reverse("disclosure:item_create"), allowed=[people.collector, people.officer], forbidden=[people.leader]
    )


def test_request_pages_permission_matrix(client, make_user):
    officer = make_user("it_officer")
    with time_machine.travel(date(2026, 3, 2)):
        request = services.request_register(
            by=officer, received_on=date(2026, 3, 2), applicant_kind="person", applicant_name="刘某", applicant_id_no="1",
            contact_phone="1", content="c", channel="letter",
        )  # fmt: skip
    for url in (reverse("disclosure:request_list"), reverse("disclosure:request_detail", args=[request.pk])):
        assert_permission_matrix(
            client, url, allowed=[officer, make_user("leader"), make_user("auditor")],
            forbidden=[make_user("staff"), make_user("dept_head"), make_user("secrecy_reviewer")],
        )  # fmt: skip
    assert_permission_matrix(
        client,
        reverse("disclosure:request_create"),
        allowed=[officer, make_user("it_head")],
        forbidden=[make_user("leader")],
    )


def test_collecting_an_item_through_the_form(client, people):
    client.force_login(people.collector)
    category = Category.objects.get(name="统计信息")
    url = reverse("disclosure:item_create")
    response = client.post(url, {"title": "门诊次均费用", "category": category.pk, "body": "238.6元"})
    item = DisclosureItem.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.collector == people.collector and item.department == people.collector.department
    response = client.post(url, {"title": "", "category": category.pk, "body": "保留的正文"})
    assert response.status_code == 200
    assert "保留的正文" in response.content.decode() and "这个字段是必填项" in response.content.decode()


def test_not_disclosed_without_reason_is_refused_next_to_the_field(client, make_item, people):
    item = make_item("publication_review")
    client.force_login(people.leader)
    url = reverse("disclosure:item_action", args=[item.pk, "review_publication"])
    response = client.post(url, {"attribute": "not_disclosed", "withhold_reason": "", "comment": "不公开"})
    assert response.status_code == 200
    assert "不予公开的信息必须注明不予公开的原因" in response.content.decode()
    assert DisclosureItem.objects.get().state == "publication_review"


def test_refused_transition_shows_the_reason_not_a_500(client, make_item, people):
    item = make_item("secrecy_review")
    client.force_login(people.leader)
    url = reverse("disclosure:item_action", args=[item.pk, "review_publication"])
    response = client.post(url, {"attribute": "proactive"}, follow=True)
    assert response.status_code == 200
    assert "待保密审查" in response.content.decode()


def test_editing_after_confidentiality_review_goes_through_the_revise_form(client, make_item, people):
    item = make_item("publication_review")
    client.force_login(people.collector)
    response = client.get(reverse("disclosure:item_edit", args=[item.pk]))
    assert response.status_code == 302 and response["Location"].endswith(f"/items/{item.pk}/revise/")
    form = {"title": item.title, "category": item.category_id, "body": "新正文", "comment": "补充"}
    client.post(response["Location"], form)
    item.refresh_from_db()
    assert item.state == "content_review" and item.body == "新正文"


def test_public_page_shows_only_published_proactive_items(client, make_item, people):
    published = make_item("published", title="已发布的信息")
    make_item("entry_review", title="待录入审核的信息")
    internal = make_item("sign_off", title="内部公开的信息", review_publication={"attribute": "internal"})
    perform(internal, "sign_off", by=people.signer)
    withdrawn = make_item("published", title="撤回的信息")
    perform(withdrawn, "withdraw", by=people.leader, note="撤回说明")
    response = client.get(reverse("public:index"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "已发布的信息" in content
    assert "待录入审核的信息" not in content and "内部公开的信息" not in content and "撤回的信息" not in content
    assert "navbar" not in content
    assert client.get(reverse("public:item", args=[published.pk])).status_code == 200
    assert client.get(reverse("public:item", args=[internal.pk])).status_code == 404
    assert "撤回说明" in client.get(reverse("public:item", args=[withdrawn.pk])).content.decode()
    feed = client.get(reverse("public:feed")).content.decode()
    assert "已发布的信息" in feed and "待录入审核的信息" not in feed


def test_public_page_shows_corrections_and_keeps_the_reviewed_text(client, make_item, people):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        item = make_item("published", body="原正文")
    with time_machine.travel(date(2026, 3, 10), tick=False):
        perform(item, "correct", by=people.leader, body="未经审核的新正文", note="第二段数据有误")
    content = client.get(reverse("public:item", args=[item.pk])).content.decode()
    assert "原正文" in content and "未经审核的新正文" not in content
    assert "第二段数据有误" in content and "2026-03-10" in content and "2026-03-02" in content


def test_public_search_and_category(client, make_item):
    make_item("published", title="门诊费用公示")
    make_item("published", title="便民服务措施")
    assert "便民服务措施" not in client.get(reverse("public:index"), {"q": "费用"}).content.decode()
    other = Category.objects.get(name="统计信息")
    assert "门诊费用公示" not in client.get(reverse("public:index"), {"category": other.pk}).content.decode()


def _bulk_published(count, people, category):
    DisclosureItem.objects.bulk_create(
        DisclosureItem(
            number=f"GK-T-{index}", title=f"信息{index}", category=category, body="正文",
            department=people.collector.department, collector=people.collector, state="published",
            published_title=f"信息{index}", published_body="正文",
            published_category=category, published_attribute="proactive", first_published_at="2026-03-02T02:00:00Z",
            published_at="2026-03-02T02:00:00Z",
        )
        for index in range(count)
    )  # fmt: skip


def test_list_pages_use_a_fixed_number_of_queries(client, people, category, django_assert_max_num_queries):
    _bulk_published(3, people, category)
    client.force_login(people.leader)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("disclosure:item_list"))
    client.logout()
    with django_assert_max_num_queries(3) as public_few:
        client.get(reverse("public:index"))
    DisclosureItem.objects.all().delete()
    _bulk_published(230, people, category)
    client.force_login(people.leader)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("disclosure:item_list")).status_code == 200
    client.logout()
    with django_assert_max_num_queries(len(public_few.captured_queries)):
        assert client.get(reverse("public:index")).status_code == 200


def test_dashboard_shows_what_awaits_each_reviewer(client, make_item, people):
    make_item("secrecy_review")
    client.force_login(people.secrecy)
    response = client.get(reverse("portal:dashboard"))
    assert "待保密审查的公开信息" in response.content.decode()


@time_machine.travel(date(2026, 11, 20), tick=False)
def test_annual_report_pdf_counts(client, make_item, people, make_user):
    make_item("published")
    officer = people.officer
    request = services.request_register(
        by=officer, received_on=date(2026, 3, 2), applicant_kind="person", applicant_name="刘某", applicant_id_no="1",
        contact_phone="1", content="c", channel="letter",
    )  # fmt: skip
    perform(
        request, "respond", by=officer, response_type="not_ours", response_detail="市卫健委",
        responded_on=date(2026, 3, 20),
    )  # fmt: skip
    client.force_login(people.leader)
    index = client.get(reverse("disclosure:index")).content.decode()
    assert reverse("disclosure:annual_report_pdf", args=[2026]) in index
    response = client.get(reverse("disclosure:annual_report_pdf", args=[2026]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "2026年信息公开年度工作报告" in text
    assert "非本机关负责公开" in text and "工作动态" in text
    assert client.get(reverse("disclosure:annual_report_pdf", args=[2099])).status_code == 404
    client.force_login(make_user("staff"))
    assert client.get(reverse("disclosure:annual_report_pdf", args=[2026])).status_code == 403


def test_request_list_shows_the_stopped_clock_while_awaiting_clarification(client, make_user):
    officer = make_user("it_officer")
    with time_machine.travel(date(2026, 3, 2), tick=False):
        request = services.request_register(
            by=officer, received_on=date(2026, 3, 2), applicant_kind="person", applicant_name="补正申请人",
            applicant_id_no="1", contact_phone="1", content="c", channel="letter",
        )  # fmt: skip
        perform(request, "request_clarification", by=officer, note="请写明就诊时间")
        client.force_login(officer)
        response = client.get(reverse("disclosure:request_list"))
    assert response.status_code == 200
    assert "补正申请人" in response.content.decode() and "计时暂停" in response.content.decode()


def test_yes_no_filters_offer_all_and_filter_overdue(client, make_user):
    officer = make_user("it_officer")
    for received_on, name in ((date(2026, 3, 2), "早的申请人"), (date(2026, 3, 30), "新的申请人")):
        with time_machine.travel(received_on, tick=False):
            services.request_register(
                by=officer, received_on=received_on, applicant_kind="person", applicant_name=name,
                applicant_id_no="1", contact_phone="1", content="c", channel="letter",
            )  # fmt: skip
    with time_machine.travel(date(2026, 4, 1), tick=False):
        client.force_login(officer)
        page = client.get(reverse("disclosure:request_list")).content.decode()
        overdue_only = client.get(reverse("disclosure:request_list") + "?overdue=true").content.decode()
    assert '<option value="" selected>全部</option>' in page and "未知" not in page
    assert "早的申请人" in overdue_only and "新的申请人" not in overdue_only


def test_request_list_marks_overdue_in_red(client, make_user):
    officer = make_user("it_officer")
    with time_machine.travel(date(2026, 3, 2), tick=False):
        services.request_register(
            by=officer, received_on=date(2026, 3, 2), applicant_kind="person", applicant_name="逾期申请人",
            applicant_id_no="1", contact_phone="1", content="c", channel="letter",
        )  # fmt: skip
    with time_machine.travel(date(2026, 4, 1), tick=False):
        client.force_login(officer)
        content = client.get(reverse("disclosure:request_list")).content.decode()
        assert "table-danger" in content and "已逾期" in content
        assert DisclosureRequest.objects.get().is_overdue
