"""No forged record: an append-only log takes rows from the workflow alone, never from the admin or a bare create()."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from portal.models import TransitionLog
from portal.workflow import perform, transition_log
from tests.testapp.models import Voucher

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def voucher(make_user):
    return Voucher.objects.create(title="采购", amount=10, applicant=make_user("staff"))


def _forged(voucher, actor):
    """The entry of issue 13: a back-dated 'approve by the department head' nobody took."""
    return {
        "content_type": ContentType.objects.get_for_model(Voucher),
        "object_id": voucher.pk,
        "action": "approve",
        "from_state": Voucher.State.SUBMITTED,
        "to_state": Voucher.State.APPROVED,
        "actor": actor,
        "comment": "同意",
        "created_at": datetime(2025, 12, 1, 9, 0, tzinfo=SHANGHAI),
    }


def test_the_admin_refuses_a_superuser_adding_a_log_entry(admin_client, voucher, make_user):
    url = reverse("admin:portal_transitionlog_add")
    assert admin_client.get(url).status_code == 403
    head = make_user("dept_head")
    forged = _forged(voucher, head)
    data = {**forged, "content_type": forged["content_type"].pk, "actor": head.pk, "created_at": "2025-12-01 09:00"}
    assert admin_client.post(url, data).status_code == 403
    assert not TransitionLog.objects.exists()
    changelist = admin_client.get(reverse("admin:portal_transitionlog_changelist")).content.decode()
    assert url not in changelist


@pytest.mark.parametrize(
    "model",
    [
        "portal_taskrun",
        "backups_backuprun",
        "backups_verification",
        "backups_serveroperation",
        "inspections_missedinspection",
    ],
)
def test_the_admin_adds_no_row_to_any_log_the_portal_writes(admin_client, model):
    assert admin_client.get(reverse(f"admin:{model}_add")).status_code == 403


def test_a_bare_create_or_bulk_create_is_refused(voucher, make_user):
    head = make_user("dept_head")
    with pytest.raises(ValueError, match="append-only"):
        TransitionLog.objects.create(**_forged(voucher, head))
    with pytest.raises(ValueError, match="append-only"):
        TransitionLog.objects.bulk_create([TransitionLog(**_forged(voucher, head))])
    with pytest.raises(ValueError, match="append-only"):
        TransitionLog(**_forged(voucher, head)).save()
    assert transition_log(voucher) == []


def test_perform_still_logs_and_the_entry_cannot_be_changed_or_removed(voucher):
    perform(voucher, "submit", by=voucher.applicant, comment="请审批")
    [entry] = transition_log(voucher)
    assert (entry.action, entry.to_state, entry.actor, entry.comment) == ("提交", "已提交", voucher.applicant, "请审批")
    row = TransitionLog.objects.get()
    row.comment = "改过"
    for attempt in (row.save, row.delete, TransitionLog.objects.all().delete):
        with pytest.raises(ValueError, match="append-only"):
            attempt()
    with pytest.raises(ValueError, match="append-only"):
        TransitionLog.objects.filter(pk=row.pk).update(comment="改过")
    assert TransitionLog.objects.get().comment == "请审批"
