import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts import services
from accounts.models import Grant, PermissionRequest, SystemModule
from portal.exceptions import ActionRefused
from portal.models import Notification
from portal.workflow import available_actions, transition_log
from tests.permissions import assert_permission_matrix

from .helpers import provisioned, submit

State = PermissionRequest.State


def test_tier_1_request_goes_through_head_it_head_and_it_and_becomes_a_grant(people, his):
    request = submit(people.staff, his, modules=list(his.modules.filter(name="门诊医生站")))
    assert request.state == State.SUBMITTED
    assert request.number.startswith("QX-")
    assert Notification.objects.filter(recipient=people.head, url=request.get_absolute_url()).exists()

    request = services.permission_request_act(request=request, action="approve", by=people.head, comment="同意")
    assert request.state == State.DEPT_APPROVED
    assert Notification.objects.filter(recipient=people.it_head, url=request.get_absolute_url()).exists()
    request = services.permission_request_act(request=request, action="it_approve", by=people.it_head)
    assert request.state == State.APPROVED
    request = services.permission_request_act(
        request=request, action="provision", by=people.officer, account_name="wangxh"
    )

    assert request.state == State.COMPLETED
    grant = Grant.objects.get(user=people.staff, system=his)
    assert (grant.state, grant.account_name) == (Grant.State.ACTIVE, "wangxh")
    assert [m.name for m in grant.modules.all()] == ["门诊医生站"]
    assert [entry.actor for entry in transition_log(request)] == [people.head, people.it_head, people.officer]


def test_tier_3_request_skips_the_it_head(people, oa):
    request = services.permission_request_act(request=submit(people.staff, oa), action="approve", by=people.head)
    assert request.state == State.APPROVED
    with pytest.raises(ActionRefused, match="待信息科开通"):
        services.permission_request_act(request=request, action="it_approve", by=people.it_head)


def test_no_one_approves_their_own_request(people, his):
    own = submit(people.head, his)
    with pytest.raises(ActionRefused, match="不能审批本人的申请"):
        services.permission_request_act(request=own, action="approve", by=people.head)
    assert "approve" not in [a.name for a in available_actions(own, people.head)]
    assert PermissionRequest.objects.get(pk=own.pk).state == State.SUBMITTED


def test_whoever_approved_may_not_provision(people, oa, make_user):
    head_and_it = make_user("dept_head", "it_officer")
    request = services.permission_request_act(request=submit(people.staff, oa), action="approve", by=head_and_it)
    with pytest.raises(ActionRefused, match="须由其他人办理开通"):
        services.permission_request_act(request=request, action="provision", by=head_and_it, account_name="x")
    services.permission_request_act(request=request, action="provision", by=people.officer, account_name="wangxh")


def test_it_head_who_approved_may_not_provision(people, his):
    request = services.permission_request_act(request=submit(people.staff, his), action="approve", by=people.head)
    request = services.permission_request_act(request=request, action="it_approve", by=people.it_head)
    with pytest.raises(ActionRefused, match="须由其他人办理开通"):
        services.permission_request_act(request=request, action="provision", by=people.it_head, account_name="x")


def test_department_head_acts_only_for_own_department(people, his, client):
    request = submit(people.staff, his)
    with pytest.raises(ActionRefused, match="只能处理本科室"):
        services.permission_request_act(request=request, action="approve", by=people.other_head)
    client.force_login(people.other_head)
    assert client.get(request.get_absolute_url()).status_code == 404
    assert client.post(reverse("accounts:request_transition", args=[request.pk, "approve"])).status_code == 404


def test_wrong_role_is_refused_and_named(people, his):
    request = submit(people.staff, his)
    with pytest.raises(ActionRefused, match="科室负责人"):
        services.permission_request_act(request=request, action="approve", by=people.officer)


@pytest.mark.parametrize("steps", [[], ["approve"], ["approve", "it_approve"]])
def test_rejection_at_each_step_keeps_the_reason(people, his, steps):
    actors = {"approve": people.head, "it_approve": people.it_head}
    request = submit(people.staff, his)
    for step in steps:
        request = services.permission_request_act(request=request, action=step, by=actors[step])
    rejecter = {0: people.head, 1: people.it_head, 2: people.officer}[len(steps)]
    request = services.permission_request_act(request=request, action="reject", by=rejecter, comment="岗位不需要此权限")
    assert request.state == State.REJECTED
    assert request.rejection_reason == "岗位不需要此权限"
    assert Notification.objects.filter(recipient=people.staff, title__contains="已驳回").exists()


def test_rejection_needs_a_reason_on_the_page(people, his, client):
    request = submit(people.staff, his)
    client.force_login(people.head)
    response = client.post(reverse("accounts:request_transition", args=[request.pk, "reject"]), {"comment": ""})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    assert PermissionRequest.objects.get(pk=request.pk).state == State.SUBMITTED


def test_only_the_current_step_handler_rejects(people, his):
    request = services.permission_request_act(request=submit(people.staff, his), action="approve", by=people.head)
    with pytest.raises(ActionRefused, match="当前环节的经办人"):
        services.permission_request_act(request=request, action="reject", by=people.head, comment="撤回")


def test_department_head_files_for_staff_and_has_signed_as_head(people, his):
    request = submit(people.head, his, subject=people.staff)
    assert request.state == State.DEPT_APPROVED
    assert request.dept_approver == people.head
    assert [entry.actor for entry in transition_log(request)] == [people.head]


def test_staff_may_not_file_for_someone_else(people, his):
    with pytest.raises(ActionRefused, match="科室负责人"):
        submit(people.staff, his, subject=people.colleague)
    with pytest.raises(ActionRefused, match="科室负责人"):
        submit(people.other_head, his, subject=people.staff)


def test_add_for_a_system_already_held_asks_for_a_change_instead(people, oa):
    provisioned(people, oa)
    with pytest.raises(ActionRefused, match="变更申请"):
        submit(people.staff, oa)


def test_change_request_updates_modules_and_revoke_request_revokes(people, his):
    grant = provisioned(people, his, account="wangxh")
    change = submit(people.staff, his, kind="change", modules=list(his.modules.filter(name="住院医生站")))
    change = services.permission_request_act(request=change, action="approve", by=people.head)
    change = services.permission_request_act(request=change, action="it_approve", by=people.it_head)
    services.permission_request_act(request=change, action="provision", by=people.officer)
    grant.refresh_from_db()
    assert [m.name for m in grant.modules.all()] == ["住院医生站"]
    assert grant.account_name == "wangxh"

    revoke = submit(people.staff, his, kind="revoke", modules=[])
    revoke = services.permission_request_act(request=revoke, action="approve", by=people.head)
    revoke = services.permission_request_act(request=revoke, action="it_approve", by=people.it_head)
    services.permission_request_act(request=revoke, action="provision", by=people.officer)
    grant.refresh_from_db()
    assert (grant.state, grant.revoked_by) == (Grant.State.REVOKED, people.officer)


def test_change_without_a_grant_is_refused(people, his):
    with pytest.raises(ActionRefused, match="没有.*权限"):
        submit(people.staff, his, kind="revoke")


def test_form_keeps_input_and_says_what_is_wrong(people, his, client):
    client.force_login(people.staff)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        reverse("accounts:request_create"),
        {"kind": "add", "subject": people.staff.pk, "system": his.pk, "reason": "", "ends_on": yesterday.isoformat()},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "这个字段是必填项" in text
    assert "结束日期必须晚于今天" in text
    assert yesterday.isoformat() in text
    assert not PermissionRequest.objects.exists()


def test_submitting_through_the_page_lands_on_the_request(people, his, client):
    client.force_login(people.staff)
    module = his.modules.first()
    response = client.post(
        reverse("accounts:request_create"),
        {"kind": "add", "subject": people.staff.pk, "system": his.pk, "modules": [module.pk], "reason": "门诊坐诊"},
        follow=True,
    )
    request = PermissionRequest.objects.get()
    assert response.redirect_chain[-1][0] == request.get_absolute_url()
    assert "待科室负责人审批" in response.content.decode()


def test_request_pages_permission_matrix(people, his, client):
    request = submit(people.staff, his)
    url = request.get_absolute_url()
    assert_permission_matrix(
        client,
        url,
        allowed=[people.staff, people.head, people.officer, people.it_head, people.auditor, people.dba],
        forbidden=[people.hr],
        hidden=[people.colleague, people.other_head, people.other_staff],
    )
    assert_permission_matrix(client, reverse("accounts:request_list"), allowed=[people.staff, people.auditor])
    assert_permission_matrix(
        client, reverse("accounts:request_pdf", args=[request.pk]), allowed=[people.staff], hidden=[people.other_head]
    )


def test_auditor_reads_but_cannot_act(people, his, client):
    request = submit(people.staff, his)
    assert available_actions(request, people.auditor) == []
    client.force_login(people.auditor)
    client.post(reverse("accounts:request_transition", args=[request.pk, "approve"]))
    assert PermissionRequest.objects.get(pk=request.pk).state == State.SUBMITTED


def test_list_shows_only_own_department_to_a_head_with_constant_queries(
    people, his, oa, client, django_assert_max_num_queries
):
    theirs = [submit(people.other_staff, his, reason="外科").number for _ in range(3)]
    mine = submit(people.staff, his)
    client.force_login(people.head)
    text = client.get(reverse("accounts:request_list")).content.decode()
    assert mine.number in text
    assert not any(number in text for number in theirs)

    client.force_login(people.officer)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("accounts:request_list"))
    PermissionRequest.objects.bulk_create(
        PermissionRequest(
            number=f"QX-T{n:05d}",
            applicant=people.staff,
            subject=people.staff,
            department=people.staff.department,
            system=oa,
            reason="x",
        )
        for n in range(220)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("accounts:request_list"))
    assert "QX-T00219" in response.content.decode()


def test_request_form_pdf_has_the_form_title_names_and_signature_blocks(people, his, client):
    request = submit(people.staff, his)
    request = services.permission_request_act(request=request, action="approve", by=people.head)
    client.force_login(people.staff)
    response = client.get(reverse("accounts:request_pdf", args=[request.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "信息系统用户权限新增更改注销申请表" in text
    assert request.number in text
    for label in ("申请人", "科室负责人", "信息科主任", "信息科经办人"):
        assert label in text
    assert "李建国" in text
    detail = client.get(request.get_absolute_url()).content.decode()
    assert reverse("accounts:request_pdf", args=[request.pk]) in detail


def test_user_page_lists_every_grant_held_now(people, his, oa, client):
    provisioned(people, his, account="wangxh")
    revoked = provisioned(people, oa, account="oa-wang")
    services.grant_revoke(grant=revoked, by=people.officer)
    client.force_login(people.head)
    text = client.get(people.staff.get_absolute_url()).content.decode()
    assert "医院信息系统" in text and "wangxh" in text
    assert "oa-wang" not in text


def test_request_form_ties_each_module_to_its_system_and_refuses_a_foreign_one(people, his, oa, client):
    client.force_login(people.staff)
    text = client.get(reverse("accounts:request_create")).content.decode()
    boxes = re.findall(r'<input[^>]*name="modules" value="(\d+)"[^>]*data-system="(\d+)"', text)
    expected = {(str(module.pk), str(module.system_id)) for module in SystemModule.objects.all()}
    assert set(boxes) == expected and len(expected) == 3
    assert "accounts/request_form.js" in text  # offers only the chosen system's modules
    response = client.post(
        reverse("accounts:request_create"),
        {"kind": "add", "subject": people.staff.pk, "system": his.pk, "modules": [oa.modules.get().pk], "reason": "x"},
    )
    assert response.status_code == 200
    assert "只能选择所选信息系统的模块。" in response.content.decode()
    assert not PermissionRequest.objects.exists()
