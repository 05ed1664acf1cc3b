"""系统及数据库管理员职责 2: the DBA registers users, sets passwords and grants permissions, as IT does."""

from django.urls import reverse

from accounts import services
from accounts.models import PermissionRequest
from accounts.selectors import awaiting
from tests.accounts.helpers import submit


def test_the_dba_sees_an_approved_request_of_any_department_and_provisions_it(people, oa, client):
    request = submit(people.other_staff, oa)
    request = services.permission_request_act(request=request, action="approve", by=people.other_head)
    assert request.state == PermissionRequest.State.APPROVED
    assert ("待开通的权限申请", 1) in [(item.label, item.count) for item in awaiting(people.dba)]

    client.force_login(people.dba)
    assert client.get(request.get_absolute_url()).status_code == 200
    client.post(
        reverse("accounts:request_transition", args=[request.pk, "provision"]),
        {"account_name": "sunli", "comment": "已开通"},
    )
    request.refresh_from_db()
    assert (request.state, request.provisioner) == (PermissionRequest.State.COMPLETED, people.dba)
