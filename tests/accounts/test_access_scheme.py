"""001 一(三)8 and (四)4: each system's owner proposes its access scheme, a leader approves it, and a permission
request may ask only for modules of the scheme in force."""

import re

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import AccessScheme, InformationSystem, PermissionRequest, SystemModule
from accounts.selectors import access_awaiting
from portal.exceptions import ActionRefused
from portal.workflow import may_take
from tests.accounts.helpers import provisioned, submit
from tests.factories import approved_scheme
from tests.permissions import assert_permission_matrix

RULE = "未列入领导小组核准的权限分配方案(001 一(三)8)"


@pytest.fixture
def lis(people):
    """A system whose owner is the IT officer, with no scheme yet."""
    system = InformationSystem.objects.create(code="LIS", name="检验信息系统", tier=2, owner=people.officer)
    for name in ("标本采集", "检验报告审核", "危急值"):
        SystemModule.objects.create(system=system, name=name)
    return system


def _module(system, name):
    return system.modules.get(name=name)


def _propose(system, by, **allotment):
    lines = {module: allotment.get(module.name, "") for module in system.modules.all()}
    return services.access_scheme_propose(system=system, by=by, lines=lines)


def test_the_owner_proposes_and_a_leader_approves_the_scheme_that_then_governs_requests(people, lis):
    scheme = _propose(lis, people.officer, 标本采集="检验科、临床科室护士", 危急值="检验科医师")
    assert (scheme.version, scheme.state) == (1, AccessScheme.State.PROPOSED)
    assert {line.module.name: line.allotted_to for line in scheme.lines.all()} == {
        "标本采集": "检验科、临床科室护士",
        "危急值": "检验科医师",
    }
    with pytest.raises(ActionRefused, match="尚无领导小组核准的权限分配方案"):
        submit(people.staff, lis, modules=[_module(lis, "标本采集")])
    scheme = services.access_scheme_act(scheme=scheme, action="approve", by=people.leader)
    assert (scheme.state, scheme.decided_by) == (AccessScheme.State.APPROVED, people.leader)
    assert AccessScheme.objects.current().get(system=lis) == scheme
    assert submit(people.staff, lis, modules=[_module(lis, "标本采集")]).state == PermissionRequest.State.SUBMITTED


def test_only_the_owner_proposes_and_the_it_head_for_a_system_without_one(people, lis, his):
    for outsider in (people.it_head, people.leader, people.staff):
        with pytest.raises(ActionRefused, match="系统负责人"):
            _propose(lis, outsider, 危急值="检验科")
    with pytest.raises(ActionRefused, match="信息科主任"):
        _propose(his, people.officer, 门诊医生站="门诊医生")
    assert _propose(his, people.it_head, 门诊医生站="门诊医生").version == 2


def test_one_proposal_at_a_time_and_at_least_one_module_allotted(people, lis):
    with pytest.raises(ActionRefused, match="至少为一个模块"):
        _propose(lis, people.officer)
    _propose(lis, people.officer, 危急值="检验科")
    with pytest.raises(ActionRefused, match="待领导核准"):
        _propose(lis, people.officer, 危急值="检验科医师")


def test_the_proposer_may_not_approve_their_own_scheme_and_only_a_leader_decides(people, lis, make_user):
    owner_leader = make_user("leader", full_name="兼任系统负责人的领导")
    lis.owner = owner_leader
    lis.save()
    scheme = _propose(lis, owner_leader, 危急值="检验科")
    with pytest.raises(ActionRefused, match="提出人不得核准"):
        services.access_scheme_act(scheme=scheme, action="approve", by=owner_leader)
    for other in (people.it_head, people.officer, people.head):
        with pytest.raises(ActionRefused, match="院领导"):
            services.access_scheme_act(scheme=scheme, action="approve", by=other)
        assert not may_take(scheme, "reject", other)
    assert may_take(scheme, "approve", people.leader)


def test_a_rejected_scheme_keeps_its_reason_and_leaves_the_system_without_scheme(people, lis):
    scheme = _propose(lis, people.officer, 危急值="全院职工")
    scheme = services.access_scheme_act(scheme=scheme, action="reject", by=people.leader, comment="分配范围过宽")
    assert (scheme.state, scheme.rejection_reason) == (AccessScheme.State.REJECTED, "分配范围过宽")
    assert not AccessScheme.objects.current().filter(system=lis).exists()
    with pytest.raises(ActionRefused, match="尚无领导小组核准"):
        submit(people.staff, lis, modules=[_module(lis, "危急值")])
    assert _propose(lis, people.officer, 危急值="检验科").version == 2, "a rejected proposal may be proposed anew"


def test_an_approved_scheme_supersedes_the_one_in_force_which_is_kept(people, lis):
    first = services.access_scheme_act(
        scheme=_propose(lis, people.officer, 危急值="检验科"), action="approve", by=people.leader
    )
    old_request = submit(people.staff, lis, modules=[_module(lis, "危急值")])
    second = _propose(lis, people.officer, 标本采集="临床科室护士")
    first.refresh_from_db()
    assert first.state == AccessScheme.State.APPROVED, "in force until the new one is approved"
    services.access_scheme_act(scheme=second, action="approve", by=people.leader)
    first.refresh_from_db()
    assert first.state == AccessScheme.State.SUPERSEDED and first.superseded_at
    assert list(AccessScheme.objects.current().filter(system=lis)) == [second]
    assert first.lines.get().module.name == "危急值", "the superseded scheme keeps its lines"
    with pytest.raises(ActionRefused, match=re.escape(f"{RULE}:危急值")):
        submit(people.colleague, lis, modules=[_module(lis, "危急值")])
    old_request.refresh_from_db()
    assert old_request.state == PermissionRequest.State.SUBMITTED, "existing requests are untouched"


def test_the_service_refuses_a_module_outside_the_scheme_but_a_revocation_always_goes(people, his):
    provisioned(people, his, user=people.colleague)
    approved_scheme(his, modules=[_module(his, "门诊医生站")])
    with pytest.raises(ActionRefused, match=re.escape(f"{RULE}:住院医生站")):
        submit(people.staff, his, modules=[_module(his, "门诊医生站"), _module(his, "住院医生站")])
    assert submit(people.staff, his, modules=[_module(his, "门诊医生站")])
    his.schemes.update(state=AccessScheme.State.SUPERSEDED)
    assert submit(people.colleague, his, kind="revoke", modules=[]).kind == "revoke", "revoking never widens access"


def test_the_form_offers_only_scheme_modules_and_says_the_rule_next_to_the_field(people, his, lis, client):
    approved_scheme(his, modules=[_module(his, "门诊医生站")])
    client.force_login(people.staff)
    url = reverse("accounts:request_create")
    page = client.get(url).content.decode()
    offered = {int(pk) for pk in re.findall(r'<input[^>]*name="modules" value="(\d+)"', page)}
    assert _module(his, "门诊医生站").pk in offered
    assert _module(his, "住院医生站").pk not in offered and _module(lis, "危急值").pk not in offered
    data = {"kind": "add", "subject": people.staff.pk, "system": his.pk, "reason": "工作需要"}
    response = client.post(url, {**data, "modules": [_module(his, "住院医生站").pk]})
    errors = response.context["form"].errors
    assert RULE in errors["modules"][0]
    response = client.post(url, {**data, "system": lis.pk})
    assert "尚无领导小组核准的权限分配方案" in response.context["form"].errors["system"][0]
    assert not PermissionRequest.objects.exists()


def test_pages_and_buttons_follow_the_same_guards(people, lis, client):
    propose_url = reverse("accounts:system_scheme_propose", args=[lis.pk])
    assert_permission_matrix(client, propose_url, allowed=[people.officer], forbidden=[people.staff, people.leader])
    client.force_login(people.officer)
    post = {f"module_{_module(lis, '危急值').pk}": "检验科医师", "note": "按岗位"}
    response = client.post(propose_url, post)
    scheme = AccessScheme.objects.get(system=lis)
    assert response.status_code == 302 and response["Location"] == scheme.get_absolute_url()
    system_page = client.get(lis.get_absolute_url()).content.decode()
    assert "v1" in system_page and 'data-testid="propose-scheme"' not in system_page, "one proposal at a time"

    approve_url = reverse("accounts:scheme_transition", args=[scheme.pk, "approve"])
    assert "核准方案" not in client.get(scheme.get_absolute_url()).content.decode()
    assert client.post(approve_url).status_code == 302
    scheme.refresh_from_db()
    assert scheme.state == AccessScheme.State.PROPOSED, "the owner's POST was refused"
    client.force_login(people.leader)
    page = client.get(scheme.get_absolute_url()).content.decode()
    assert "核准方案" in page and "检验科医师" in page and people.officer.full_name in page
    assert client.get(reverse("accounts:scheme_transition", args=[scheme.pk, "reject"])).status_code == 200
    client.force_login(people.staff)
    assert client.get(reverse("accounts:scheme_transition", args=[scheme.pk, "reject"])).status_code == 403
    client.force_login(people.leader)
    client.post(approve_url)
    scheme.refresh_from_db()
    assert scheme.state == AccessScheme.State.APPROVED
    page = client.get(lis.get_absolute_url()).content.decode()
    assert people.leader.full_name in page and "检验科医师" in page


def test_leaders_see_pending_schemes_awaiting_them(people, lis, make_user):
    def pending(user):
        return {str(item.label): item.count for item in access_awaiting(user)}.get("待核准的权限分配方案")

    assert pending(people.leader) == 0
    assert pending(people.officer) is None
    _propose(lis, people.officer, 危急值="检验科")
    assert pending(people.leader) == 1


def test_scheme_lists_take_a_fixed_number_of_queries(people, his, oa, lis, client, django_assert_max_num_queries):
    client.force_login(people.staff)
    pages = [reverse("accounts:scheme_list"), his.get_absolute_url()]
    few = {}
    for url in pages:
        with django_assert_max_num_queries(20) as counted:
            assert client.get(url).status_code == 200
        few[url] = len(counted.captured_queries)
    for _round in range(3):
        scheme = _propose(his, people.it_head, 门诊医生站="门诊医生", 住院医生站="住院医生")
        services.access_scheme_act(scheme=scheme, action="approve", by=people.leader)
    _propose(lis, people.officer, 危急值="检验科")
    for url in pages:
        with django_assert_max_num_queries(few[url]):
            page = client.get(url)
        assert page.status_code == 200
    assert page.content.decode().count("住院医生站") >= 4, "every version of the system is listed"


def test_the_demo_gives_every_system_a_scheme_in_force_and_oa_a_newer_one_awaiting_the_leader(db, settings):
    import io

    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    for system in InformationSystem.objects.prefetch_related("modules"):
        current = AccessScheme.objects.current().get(system=system)
        assert {line.module_id for line in current.lines.all()} == {module.pk for module in system.modules.all()}
        assert current.decided_by.username == "leader" and current.proposed_by != current.decided_by
    pending = AccessScheme.objects.get(state=AccessScheme.State.PROPOSED)
    assert (pending.system.code, pending.version) == ("OA", 2)
