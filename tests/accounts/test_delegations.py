"""Delegation (代理, issue 16): a head away names a deputy who approves for the department on those days only."""

import datetime
import subprocess

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from guardian.shortcuts import get_perms

from accounts import services
from accounts.models import Delegation, PermissionRequest, SensitiveQueryRequest
from accounts.permissions import acts_for_head
from accounts.selectors import awaiting
from accounts.tasks import sync_delegations
from portal.exceptions import ActionRefused
from portal.models import Notification, SecurityEvent
from portal.workflow import available_actions, transition_log
from tests.conftest import SUITE_CLOCK
from tests.permissions import assert_permission_matrix

from .helpers import pledged, submit

# The suite's clock is Monday 5 January 2026; the head is away the week after, Monday 12 to Friday 16.
FIRST, LAST = datetime.date(2026, 1, 12), datetime.date(2026, 1, 16)


def on(day, hour=10):
    """Travel to ``day`` at ``hour`` (Shanghai), relative to the suite's clock."""
    return time_machine.travel(SUITE_CLOCK.replace(year=day.year, month=day.month, day=day.day, hour=hour), tick=False)


def name(people, *, deputy=None, starts_on=FIRST, ends_on=LAST, by=None, **extra):
    return services.delegation_create(
        by=by or people.head,
        deputy=deputy or people.colleague,
        starts_on=starts_on,
        ends_on=ends_on,
        reason="年休假",
        **extra,
    )


def field_error(call):
    with pytest.raises(ValidationError) as refused:
        call()
    return {field: " ".join(messages) for field, messages in refused.value.message_dict.items()}


def test_bad_input_is_refused_at_the_field_with_its_reason(people, make_user):
    assert "不能指定本人" in field_error(lambda: name(people, deputy=people.head))["deputy"]
    assert "不是内科的在职人员" in field_error(lambda: name(people, deputy=people.other_staff))["deputy"]
    gone = make_user("staff", is_active=False)
    assert "不是内科的在职人员" in field_error(lambda: name(people, deputy=gone))["deputy"]
    assert "结束日期不能早于开始日期" in field_error(lambda: name(people, starts_on=LAST, ends_on=FIRST))["ends_on"]
    past = datetime.date(2026, 1, 2)
    assert "不能早于今天" in field_error(lambda: name(people, starts_on=past))["starts_on"]
    name(people)
    overlap = field_error(lambda: name(people, deputy=people.staff, starts_on=LAST, ends_on=LAST))
    assert "李建国 在 2026-01-12 至 2026-01-16 已有代理人（赵磊）" in overlap["starts_on"]
    assert Delegation.objects.count() == 1


def test_only_the_departments_head_or_the_it_head_names_a_deputy(people):
    with pytest.raises(ActionRefused, match="只有内科的负责人或信息科主任"):
        name(people, by=people.staff, principal=people.head)
    with pytest.raises(ActionRefused, match="只有内科的负责人或信息科主任"):
        name(people, by=people.other_head, principal=people.head)
    assert "不是科室负责人" in field_error(lambda: name(people, by=people.it_head, principal=people.staff))["principal"]
    delegation = name(people, by=people.it_head, principal=people.head)
    assert (delegation.department, delegation.principal, delegation.created_by) == (
        people.head.department,
        people.head,
        people.it_head,
    )


def test_an_overlap_after_an_early_end_is_allowed(people):
    delegation = name(people)
    services.delegation_end(delegation=delegation, by=people.head)
    assert name(people, deputy=people.staff).deputy == people.staff


def test_the_deputy_approves_inside_the_range_only(people, oa):
    name(people)
    with on(FIRST - datetime.timedelta(days=1)):
        services.delegation_sync()
        request = submit(people.staff, oa)
        with pytest.raises(ActionRefused, match=r"您仅在 2026-01-12 至 2026-01-16 期间代 李建国 审批"):
            services.permission_request_act(request=request, action="approve", by=people.colleague)
        assert available_actions(request, people.colleague) == []
    with on(FIRST, hour=8):
        services.delegation_sync()
        assert [a.name for a in available_actions(request, people.colleague)] == ["approve", "reject"]
        request = services.permission_request_act(request=request, action="approve", by=people.colleague)
    assert request.state == PermissionRequest.State.APPROVED
    assert request.dept_approver == people.colleague
    [entry] = transition_log(request)
    assert (entry.actor, entry.on_behalf_of) == (people.colleague, people.head)
    assert "（代 李建国 审批）" in request.history.first().history_change_reason
    with on(LAST + datetime.timedelta(days=1)):
        services.delegation_sync()
        later = submit(people.staff, oa)
        with pytest.raises(ActionRefused, match="期间以外由科室负责人本人审批"):
            services.permission_request_act(request=later, action="approve", by=people.colleague)
        with pytest.raises(ActionRefused, match="期间以外由科室负责人本人审批"):
            services.permission_request_act(request=later, action="reject", by=people.colleague, comment="x")


def test_the_request_page_and_its_printed_form_name_the_head_the_deputy_signed_for(people, oa, client, tmp_path):
    name(people)
    with on(FIRST, hour=8):
        services.delegation_sync()
        request = services.permission_request_act(
            request=submit(people.staff, oa), action="approve", by=people.colleague
        )
        client.force_login(people.head)
        page = client.get(request.get_absolute_url()).content.decode()
        pdf = client.get(f"{request.get_absolute_url()}pdf/").content
    assert "（代 李建国 审批）" in page.split('data-testid="dept-on-behalf"', 1)[1][:40]
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "（代 李建国 审批）" in text and people.colleague.full_name in text


def test_the_deputy_decides_a_sensitive_query_request_inside_the_range_only(people):
    name(people)
    with on(FIRST - datetime.timedelta(days=1)):
        request = services.sensitive_request_submit(
            by=pledged(people.staff),
            purpose="合理用药点评",
            scope=SensitiveQueryRequest.Scope.DRUG_BY_DEPARTMENT,
            scope_detail="内科 抗菌药物",
            period_start=datetime.date(2025, 12, 1),
            period_end=datetime.date(2025, 12, 31),
        )
        with pytest.raises(ActionRefused, match="期间以外由科室负责人本人审批"):
            services.sensitive_request_act(request=request, action="approve", by=people.colleague)
    with on(FIRST):
        services.delegation_sync()
        request = services.sensitive_request_act(
            request=request, action="reject", by=people.colleague, comment="范围过大"
        )
    assert transition_log(request)[-1].on_behalf_of == people.head


def test_the_deputy_rejects_a_permission_request_on_the_heads_behalf(people, oa):
    name(people)
    with on(FIRST):
        services.delegation_sync()
        request = submit(people.staff, oa)
        request = services.permission_request_act(
            request=request, action="reject", by=people.colleague, comment="请先完成系统培训"
        )
    assert request.state == PermissionRequest.State.REJECTED
    assert transition_log(request)[-1].on_behalf_of == people.head


def test_the_head_themselves_still_approves_and_is_not_on_behalf_of_anyone(people, oa):
    name(people)
    with on(FIRST):
        services.delegation_sync()
        request = services.permission_request_act(request=submit(people.staff, oa), action="approve", by=people.head)
    assert transition_log(request)[0].on_behalf_of is None


def test_a_deputy_never_approves_their_own_request(people, oa):
    name(people)
    with on(FIRST):
        services.delegation_sync()
        own = submit(people.colleague, oa)
        with pytest.raises(ActionRefused, match="不能审批本人的申请"):
            services.permission_request_act(request=own, action="approve", by=people.colleague)


def test_the_deputy_finds_and_approves_the_request_on_its_pages(people, oa, client):
    name(people)
    with on(FIRST - datetime.timedelta(days=1)):
        client.force_login(people.colleague)  # sessions end after 30 idle minutes: one per day travelled to
        request = submit(people.staff, oa)
        assert client.get(request.get_absolute_url()).status_code == 404
        url = reverse("accounts:request_transition", args=[request.pk, "approve"])
        assert client.post(url).status_code == 404
    with on(FIRST):
        client.force_login(people.colleague)
        services.delegation_sync()
        assert Notification.objects.filter(recipient=people.colleague).count() == 0
        fresh = submit(people.staff, oa)
        assert Notification.objects.filter(recipient=people.colleague, url=fresh.get_absolute_url()).exists()
        assert {item.label: item.count for item in awaiting(people.colleague)}["待审批的权限申请"] == 2
        listing = client.get(reverse("accounts:request_list") + "?state=submitted").content.decode()
        assert request.number in listing and fresh.number in listing
        response = client.post(url, follow=True)
        assert response.status_code == 200
        page = response.content.decode()
        assert "（代 李建国 审批）" in page.split('data-testid="transition-log"')[1]
    assert PermissionRequest.objects.get(pk=request.pk).state == PermissionRequest.State.APPROVED
    with on(LAST + datetime.timedelta(days=1)):
        client.force_login(people.colleague)
        assert client.get(fresh.get_absolute_url()).status_code == 404
        assert client.post(reverse("accounts:request_transition", args=[fresh.pk, "approve"])).status_code == 404


def test_sync_gives_and_takes_the_right_and_audits_both(people):
    delegation = name(people)
    department = delegation.department
    assert get_perms(people.colleague, department) == []
    with on(FIRST, hour=0):
        assert services.delegation_sync() == (1, 0)
        assert services.delegation_sync() == (0, 0)
        assert get_perms(people.colleague, department) == ["act_for_head"]
        assert acts_for_head(people.colleague, department.pk)
    with on(LAST, hour=23):
        assert sync_delegations.delay().get() == "0 deputies' rights given, 0 taken"
    with on(LAST + datetime.timedelta(days=1), hour=0):
        # The tick has not run yet: the right is still held, but the range is over, so it counts for nothing.
        assert get_perms(people.colleague, department) == ["act_for_head"]
        assert not acts_for_head(people.colleague, department.pk)
        assert services.delegation_sync() == (0, 1)
        assert get_perms(people.colleague, department) == []
    events = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PERMISSION_CHANGE).order_by("at")
    assert [event.detail["delegation"] for event in events] == ["granted", "revoked"]
    assert {event.what for event in events} == {"内科: 赵磊"}


def test_a_right_given_by_hand_without_a_delegation_counts_for_nothing_and_is_taken(people):
    from guardian.shortcuts import assign_perm

    assign_perm("accounts.act_for_head", people.colleague, people.head.department)
    assert not acts_for_head(people.colleague, people.head.department_id)
    assert services.delegation_sync() == (0, 1)


def test_naming_a_deputy_for_today_gives_the_right_at_once_and_ending_it_takes_it(people, oa):
    today = SUITE_CLOCK.date()
    delegation = name(people, starts_on=today, ends_on=today + datetime.timedelta(days=2))
    assert get_perms(people.colleague, delegation.department) == ["act_for_head"]
    request = submit(people.staff, oa)
    assert "approve" in [a.name for a in available_actions(request, people.colleague)]
    with pytest.raises(ActionRefused, match="只有内科的负责人或信息科主任"):
        services.delegation_end(delegation=delegation, by=people.colleague)
    services.delegation_end(delegation=delegation, by=people.head)
    assert get_perms(people.colleague, delegation.department) == []
    with pytest.raises(ActionRefused, match="代理已提前结束"):
        services.permission_request_act(request=request, action="approve", by=people.colleague)
    with pytest.raises(ActionRefused, match="此代理已结束"):
        services.delegation_end(delegation=delegation, by=people.head)


def test_a_deputy_who_leaves_the_department_no_longer_acts(people, oa, other_department):
    today = SUITE_CLOCK.date()
    name(people, starts_on=today, ends_on=today)
    request = submit(people.staff, oa)
    people.colleague.department = other_department
    people.colleague.save()
    assert services.delegation_sync() == (0, 1)
    with pytest.raises(ActionRefused, match="只有仍是该科室成员时"):
        services.permission_request_act(request=request, action="approve", by=people.colleague)


def test_the_persons_page_shows_the_deputys_right(people, client):
    today = SUITE_CLOCK.date()
    name(people, starts_on=today, ends_on=today)
    client.force_login(people.head)
    page = client.get(people.colleague.get_absolute_url()).content.decode()
    assert "代理科室负责人审批: 内科" in page.split('data-testid="object-permissions"')[1].split("</dd>")[0]


def test_the_list_names_ends_and_takes_a_fixed_number_of_queries(
    people, client, make_user, django_assert_max_num_queries
):
    url = reverse("accounts:delegation_list")
    assert_permission_matrix(
        client, url, allowed=[people.head, people.it_head, people.auditor], forbidden=[people.staff, people.officer]
    )
    client.force_login(people.head)
    response = client.post(
        reverse("accounts:delegation_create"),
        {"deputy": people.head.pk, "starts_on": "2026-01-12", "ends_on": "2026-01-16", "reason": "年休假"},
    )
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    response = client.post(
        reverse("accounts:delegation_create"),
        {"deputy": people.colleague.pk, "starts_on": "2026-01-16", "ends_on": "2026-01-12", "reason": "年休假"},
    )
    assert "结束日期不能早于开始日期" in response.content.decode() and "年休假" in response.content.decode()
    response = client.post(
        reverse("accounts:delegation_create"),
        {"deputy": people.colleague.pk, "starts_on": "2026-01-12", "ends_on": "2026-01-16", "reason": "年休假"},
        follow=True,
    )
    assert "已指定代理人" in response.content.decode()
    for week in range(1, 5):
        start = LAST + datetime.timedelta(days=7 * week)
        name(people, deputy=make_user("staff"), starts_on=start, ends_on=start)
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()
    assert page.count('data-testid="end-delegation"') == 5 and "待生效" in page
    client.force_login(people.other_head)
    first = Delegation.objects.order_by("pk").first()
    assert client.post(reverse("accounts:delegation_end", args=[first.pk])).status_code == 404
    client.force_login(people.head)
    response = client.post(reverse("accounts:delegation_end", args=[first.pk]), follow=True)
    assert "代理已结束" in response.content.decode() and "已提前结束" in response.content.decode()


def test_the_delegation_tick_is_scheduled(settings):
    entries = [entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"].endswith("sync_delegations")]
    assert entries and entries[0]["task"] == "accounts.tasks.sync_delegations"


def _ticket_waiting_for_parts(people):
    from decimal import Decimal

    from repairs import services as repairs
    from tests.inventory.factories import EquipmentFactory
    from tests.repairs.conftest import to_on_site

    device = EquipmentFactory(
        status="in_use", department=people.head.department, warranty_end=datetime.date(2020, 1, 1)
    )
    ticket = repairs.ticket_file(
        by=people.staff,
        department=people.head.department,
        contact_phone="81234",
        equipment=device,
        category="hardware",
        description="电脑开机无显示。",
    )
    ticket = to_on_site(ticket, people.officer)
    return repairs.ticket_wait_parts(
        ticket=ticket, by=people.officer, lines=[{"part": "内存条 8G", "quantity": 1, "unit_cost": Decimal("260")}]
    )


def test_the_deputy_approves_repair_parts_inside_the_range_only(people):
    from tests.repairs.conftest import act

    name(people)
    with on(FIRST - datetime.timedelta(days=1)):
        services.delegation_sync()
        ticket = _ticket_waiting_for_parts(people)
        with pytest.raises(ActionRefused, match="只有报修科室的负责人（或其代理人）可以审批配件"):
            act(ticket, "approve_parts", people.colleague)
    with on(LAST + datetime.timedelta(days=1)):
        services.delegation_sync()
        with pytest.raises(ActionRefused, match="只有报修科室的负责人（或其代理人）可以审批配件"):
            act(ticket, "approve_parts", people.colleague)
    with on(LAST):
        services.delegation_sync()
        ticket = act(ticket, "approve_parts", people.colleague)
    assert ticket.parts.get().approved_by == people.colleague
    entry = transition_log(ticket)[-1]
    assert (entry.action, entry.actor, entry.on_behalf_of) == ("审批配件", people.colleague, people.head)


def test_confirming_a_repair_stays_the_reporting_departments_step_not_the_heads(people):
    """硬件设备维修制度 3: the department signs the repair form; any member confirms, so nobody confirms 'on behalf'."""
    from tests.repairs.conftest import act

    name(people)
    ticket = _ticket_waiting_for_parts(people)
    ticket = act(ticket, "approve_parts", people.head)
    ticket = act(ticket, "repair", people.officer, cause="内存坏", action_taken="更换内存")
    with on(FIRST):
        services.delegation_sync()
        ticket = act(ticket, "confirm", people.colleague, satisfaction=5, comment="已修好")
    assert transition_log(ticket)[-1].on_behalf_of is None
