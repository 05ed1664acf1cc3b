from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from portal.models import Notification
from reports.models import ReportArchive
from reports.periods import Kind, Period
from reports.services import report_request
from reports.tasks import reports_tick

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.usefixtures("voucher_section", "vouchers")
def test_beat_on_the_first_archives_last_month_once(make_user, django_capture_on_commit_callbacks):
    leader, it_head = make_user("leader"), make_user("it_head")
    with time_machine.travel(datetime(2026, 5, 1, 1, 15, tzinfo=SHANGHAI), tick=False):
        for _run in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                reports_tick()
    april = Period.of(Kind.MONTHLY, 2026, 4)
    archives = ReportArchive.objects.of_period(april)
    assert archives.count() == 1
    archive = archives.get()
    assert archive.status == ReportArchive.Status.DONE and archive.generated_by is None and archive.version == 1
    # Nothing else falls due on 1 May: the quarter's report came on 1 April.
    assert ReportArchive.objects.count() == 1
    for user in (leader, it_head):
        assert Notification.objects.filter(recipient=user, url=archive.get_absolute_url()).count() == 1


@pytest.mark.usefixtures("voucher_section")
def test_beat_just_after_midnight_shanghai_counts_the_new_day(db, settings, django_capture_on_commit_callbacks):
    # 16:30 UTC on 30 June is 00:30 on 1 July in the hospital: 30 June's daily report, June, Q2 and the first half.
    settings.PORTAL_DAILY_REPORT_SECTIONS = ["tests.testapp.report.section"]
    with time_machine.travel(datetime(2026, 6, 30, 16, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            reports_tick()
    kinds = set(ReportArchive.objects.values_list("kind", "period_start", "period_end"))
    assert kinds == {
        (Kind.DAILY, date(2026, 6, 30), date(2026, 6, 30)),
        (Kind.MONTHLY, Period.of(Kind.MONTHLY, 2026, 6).start, Period.of(Kind.MONTHLY, 2026, 6).end),
        (Kind.QUARTERLY, Period.of(Kind.QUARTERLY, 2026, 2).start, Period.of(Kind.QUARTERLY, 2026, 2).end),
        (Kind.HALF_YEARLY, Period.of(Kind.HALF_YEARLY, 2026, 1).start, Period.of(Kind.HALF_YEARLY, 2026, 1).end),
    }


@pytest.mark.usefixtures("voucher_section")
def test_beat_leaves_a_period_archived_by_hand_alone(make_user, django_capture_on_commit_callbacks):
    with time_machine.travel(datetime(2026, 5, 2, 9, 0, tzinfo=SHANGHAI), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            report_request(period=Period.of(Kind.MONTHLY, 2026, 4), by=make_user("leader"))
        with django_capture_on_commit_callbacks(execute=True):
            result = reports_tick()
    assert result == "nothing due"
    assert ReportArchive.objects.count() == 1


def test_a_failure_is_retried_then_reported(settings, make_user, django_capture_on_commit_callbacks, caplog):
    settings.PORTAL_REPORT_SECTIONS = ["tests.testapp.report.failing_section"]
    it_head, leader = make_user("it_head"), make_user("leader")
    with django_capture_on_commit_callbacks(execute=True):
        report_request(period=Period.of(Kind.MONTHLY, 2026, 4), by=leader)
    assert sum("retry: Retry in" in message for message in caplog.messages) == 2
    archive = ReportArchive.objects.get()
    assert archive.status == ReportArchive.Status.FAILED
    assert "统计库不可用" in archive.error
    for user in (it_head, leader):
        note = Notification.objects.get(recipient=user)
        assert "统计库不可用" in note.body
