import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from portal.models import Notification
from portal.notifications import notify, notify_roles
from repairs import report as repairs_report
from repairs.models import Escalation, RepairTicket


def test_notification_shows_in_the_bell_and_is_emailed(client, make_user, django_capture_on_commit_callbacks):
    head = make_user("it_head")
    with django_capture_on_commit_callbacks(execute=True):
        notify([head, head], title="一类故障：核心交换机宕机", body="请立即处理", url="/")
    assert Notification.objects.filter(recipient=head).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "一类故障：核心交换机宕机"
    client.force_login(head)
    page = client.get("/").content.decode()
    assert 'data-testid="bell"' in page
    assert "一类故障：核心交换机宕机" in page


def test_notify_roles_reaches_only_that_role(make_user):
    head, officer = make_user("it_head"), make_user("it_officer")
    notify_roles(["it_head"], title="备份校验失败")
    assert list(Notification.objects.values_list("recipient", flat=True)) == [head.pk]
    assert not Notification.objects.filter(recipient=officer).exists()


def test_opening_a_notification_marks_it_read(client, make_user):
    user = make_user("staff")
    note = notify([user], title="您的报修单已派单", url="/notifications/")[0]
    client.force_login(user)
    response = client.post(f"/notifications/{note.pk}/open/")
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
    other = make_user("staff")
    client.force_login(other)
    assert client.post(f"/notifications/{note.pk}/open/").status_code == 404


def _bell(client, user, language):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get("/notifications/").content.decode()


def test_a_notice_reads_in_each_readers_language(client, make_user):
    staff, officer = make_user("staff"), make_user("it_officer")
    with translation.override("zh-hans"):
        notify(
            [staff, officer],
            title=gettext_lazy("Repair ticket %(number)s: %(state)s"),
            params={"number": "BX-2026-000007", "state": RepairTicket.State.DISPATCHED.label},
        )
        notify(
            [staff], title="外网申请", body=gettext_lazy("Due on %(date)s."), params={"date": datetime.date(2026, 1, 9)}
        )
    english = _bell(client, staff, "en")
    assert "Repair ticket BX-2026-000007: Dispatched" in english
    assert "Due on 2026-01-09." in english
    assert "报修单" not in english and "已派单" not in english
    chinese = _bell(client, officer, "zh-hans")
    assert "报修单 BX-2026-000007：已派单" in chinese
    assert "Repair ticket" not in chinese


def test_a_notice_is_stored_as_its_message_id_with_plain_parameters(make_user, department):
    note = notify(
        [make_user("staff")],
        title=pgettext_lazy("repair SLA", "Response overdue: repair ticket %(number)s (level %(level)s)"),
        params={"number": "BX-2026-000007", "level": 2, "department": department},
    )[0]
    note.refresh_from_db()
    assert (note.title_msgid, note.title_msgctxt) == (
        "Response overdue: repair ticket %(number)s (level %(level)s)",
        "repair SLA",
    )
    assert note.params == {"number": "BX-2026-000007", "level": 2, "department": department.name}
    assert note.title == "响应超时：报修单 BX-2026-000007（第 2 级升级）"
    with translation.override("en"):
        assert note.display_title() == "Response overdue: repair ticket BX-2026-000007 (level 2)"


def test_the_email_reads_in_the_site_language_whoever_sent_it(make_user, django_capture_on_commit_callbacks):
    head = make_user("it_head", email="head@example.org")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notify(
            [head],
            title=gettext_lazy("Repair ticket %(number)s dispatched to you"),
            params={"number": "BX-2026-000008"},
            url="/repairs/8/",
        )
    assert mail.outbox[0].subject == "报修单 BX-2026-000008 已派给您"
    assert mail.outbox[0].body.endswith("/repairs/8/")


def test_a_notice_from_before_keeps_its_text(client, make_user):
    user = make_user("staff")
    Notification.objects.create(recipient=user, title="备份校验失败：HIS 数据库 100%", body="请处理")
    page = _bell(client, user, "en")
    assert "备份校验失败：HIS 数据库 100%" in page and "请处理" in page


def test_short_words_keep_their_meaning_in_each_module():
    """'Response' is the SLA's 响应 in repairs and the answer type 答复类型 in disclosure."""
    with translation.override("zh-hans"):
        assert str(Escalation.Clock.RESPONSE.label) == "响应"
        assert gettext("Response") == "答复类型"


@pytest.mark.django_db
def test_the_repair_times_table_names_its_measures_not_inspection_readings():
    """'Measure' is an inspection item's 测量内容, but in the repair times table the column of 指标."""
    with translation.override("zh-hans"):
        times = repairs_report.section(datetime.date(2026, 1, 1), datetime.date(2026, 1, 31)).table("times")
        assert times.columns[0] == "指标"
        assert gettext("Measure") == "测量内容"


def test_text_that_is_not_a_message_id_is_kept_as_it_reads(make_user):
    note = notify(
        [make_user("staff")],
        title=format_lazy("{}：{}", "外网申请", "WW-2026-000001"),
        body="请于今日处理",
        params={"label": format_lazy("{}", "已开通")},
    )[0]
    note.refresh_from_db()
    assert (note.title_msgid, note.display_title()) == ("", "外网申请：WW-2026-000001")
    assert (note.body_msgid, note.display_body(), note.params) == ("", "请于今日处理", {"label": "已开通"})
