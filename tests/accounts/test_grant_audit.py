"""Grants given, changed and revoked through a permission request are permission changes in the security audit log."""

from accounts import services
from portal.models import SecurityEvent

from .helpers import provisioned, submit


def _changes():
    return [
        (event.user, event.what, event.detail["change"], event.detail["request"])
        for event in SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PERMISSION_CHANGE).order_by("pk")
    ]


def test_provisioning_and_changing_a_grant_are_recorded_with_the_request(people, oa):
    provisioned(people, oa)
    change = submit(people.staff, oa, kind="change", reason="调整模块")
    change = services.permission_request_act(request=change, action="approve", by=people.head)
    if oa.needs_it_head:
        change = services.permission_request_act(request=change, action="it_approve", by=people.it_head)
    services.permission_request_act(request=change, action="provision", by=people.officer2)
    given, changed = _changes()
    assert given[:3] == (people.officer, f"wangxh @ {oa.code}", "given") and given[3].startswith("QX-")
    assert changed == (people.officer2, f"wangxh @ {oa.code}", "changed", change.number)
