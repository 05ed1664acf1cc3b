"""The daily report (001 篇3 一(七)1): the previous day's work, archived by 09:00 on working days only."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader

from portal.models import CalendarDay
from reports.forms import quick_periods
from reports.models import ReportArchive
from reports.periods import Kind, Period, due_periods
from reports.services import report_request
from reports.tasks import reports_tick

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 2026-11-16 is a Monday; the week has no holiday.
MONDAY, TUESDAY, FRIDAY, SATURDAY, SUNDAY = (
    date(2026, 11, 16),
    date(2026, 11, 17),
    date(2026, 11, 20),
    date(2026, 11, 21),
    date(2026, 11, 22),
)
NEXT_MONDAY = date(2026, 11, 23)


@pytest.fixture
def daily_sections(settings, voucher_section):
    settings.PORTAL_DAILY_REPORT_SECTIONS = ["tests.testapp.report.section"]


def daily(start, end):
    return Period(Kind.DAILY, start, end)


def test_a_working_days_report_is_the_day_and_is_due_the_next_morning(db):
    assert Period.daily(TUESDAY) == daily(TUESDAY, TUESDAY)
    assert Period.daily(TUESDAY).deadline() == date(2026, 11, 18)
    assert Period.last_completed(Kind.DAILY, date(2026, 11, 18)) == daily(TUESDAY, TUESDAY)
    assert Period.daily(TUESDAY).label == "2026-11-17"


def test_fridays_report_runs_through_the_weekend_and_is_due_on_monday(db):
    weekend = daily(FRIDAY, SUNDAY)
    assert Period.daily(FRIDAY) == Period.daily(SATURDAY) == Period.daily(SUNDAY) == weekend
    assert weekend.deadline() == NEXT_MONDAY
    assert Period.last_completed(Kind.DAILY, NEXT_MONDAY) == weekend
    assert daily(TUESDAY, TUESDAY).previous() == daily(MONDAY, MONDAY)
    assert daily(NEXT_MONDAY, NEXT_MONDAY).previous() == weekend


def test_nothing_daily_falls_due_on_a_rest_day(db):
    assert [p for p in due_periods(SATURDAY) if p.kind == Kind.DAILY] == []
    assert [p for p in due_periods(SUNDAY) if p.kind == Kind.DAILY] == []
    assert [p for p in due_periods(TUESDAY) if p.kind == Kind.DAILY] == [daily(MONDAY, MONDAY)]


def test_the_calendar_table_decides_what_a_working_day_is(db):
    CalendarDay.objects.create(date=TUESDAY, is_workday=False)
    assert Period.daily(MONDAY) == daily(MONDAY, TUESDAY)
    assert [p for p in due_periods(TUESDAY) if p.kind == Kind.DAILY] == []
    assert [p for p in due_periods(date(2026, 11, 18)) if p.kind == Kind.DAILY] == [daily(MONDAY, TUESDAY)]


@pytest.mark.usefixtures("daily_sections", "vouchers")
def test_the_beat_archives_the_daily_report_before_nine_on_working_days_once(django_capture_on_commit_callbacks):
    with time_machine.travel(datetime(2026, 11, 21, 1, 15, tzinfo=SHANGHAI), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            reports_tick()
    assert not ReportArchive.objects.filter(kind=Kind.DAILY).exists()
    with time_machine.travel(datetime(2026, 11, 23, 1, 15, tzinfo=SHANGHAI), tick=False):
        for _run in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                reports_tick()
    archive = ReportArchive.objects.get(kind=Kind.DAILY)
    assert (archive.period_start, archive.period_end) == (FRIDAY, SUNDAY)
    assert archive.status == ReportArchive.Status.DONE and archive.generated_by is None
    assert archive.generated_at < datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
    assert archive.parameters["sections"] == ["tests.testapp.report.section"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.file.read())).pages)
    assert "2026-11-20 – 2026-11-22信息科日报" in text and "凭证统计" in text


def test_the_daily_report_has_the_days_work_sections(settings):
    from reports.assembly import section_paths

    assert section_paths(Kind.DAILY) == settings.PORTAL_DAILY_REPORT_SECTIONS
    assert {path.split(".")[0] for path in settings.PORTAL_DAILY_REPORT_SECTIONS} == {
        "repairs",
        "inspections",
        "backups",
        "accounts",
    }


@pytest.mark.usefixtures("daily_sections", "vouchers")
def test_the_picker_and_the_archive_list_show_daily_reports(client, make_user, django_capture_on_commit_callbacks):
    leader = make_user("leader")
    with time_machine.travel(datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI), tick=False):
        client.force_login(leader)
        assert quick_periods()[0][1] == daily(TUESDAY, TUESDAY)
        page = client.get("/reports/", {"kind": "daily", "day": "2026-11-17"})
        assert page.status_code == 200
        assert "2026-11-17信息科日报" in page.content.decode()
        assert page.context["period"] == daily(TUESDAY, TUESDAY)
        bad = client.get("/reports/", {"kind": "daily"})
        assert bad.status_code == 200 and "day" in bad.context["form"].errors
        with django_capture_on_commit_callbacks(execute=True):
            report_request(period=daily(TUESDAY, TUESDAY))
        listing = client.get("/reports/archive/", {"kind": "daily"}).content.decode()
        assert "2026-11-17 日报" in listing
        assert "最近日报" in client.get("/reports/").content.decode()


@pytest.mark.usefixtures("daily_sections", "vouchers")
def test_the_demo_archives_the_last_daily_report():
    from reports import demo

    with time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI), tick=False):
        demo.seed()
        demo.seed()
    archive = ReportArchive.objects.get()
    assert archive.kind == Kind.DAILY and archive.status == ReportArchive.Status.DONE
    assert (archive.period_start, archive.period_end) == (FRIDAY, SUNDAY)
