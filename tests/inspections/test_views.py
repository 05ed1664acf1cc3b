import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from inspections import services
from inspections.models import InspectionRound, MissedInspection, RoundResult, TemplateItem, Visit
from portal.models import Notification
from tests.permissions import assert_permission_matrix

from .conftest import NOON, frozen_at

_frozen = frozen_at(NOON)


@pytest.fixture
def readers(make_user, officer, head):
    return [officer, head, make_user("leader"), make_user("auditor"), make_user("dba")]


@pytest.fixture
def outsiders(make_user):
    return [make_user("staff"), make_user("dept_head"), make_user("hr")]


def test_read_pages_are_for_it_leaders_and_the_auditor(client, readers, outsiders, submitted, room, daily):
    abnormal = RoundResult.objects.get(is_abnormal=True)
    visit = Visit.objects.create(
        room=room,
        visitor_name="钱工",
        organisation="华为",
        purpose="维保",
        visit_date=submitted.period_start,
        requested_by=readers[0],
    )
    for url in [
        "/inspections/",
        "/inspections/rounds/",
        submitted.get_absolute_url(),
        f"/inspections/rounds/{submitted.pk}/history/",
        "/inspections/templates/",
        daily.get_absolute_url(),
        "/inspections/rooms/",
        room.get_absolute_url(),
        "/inspections/abnormalities/",
        abnormal.get_absolute_url(),
        "/inspections/visits/",
        visit.get_absolute_url(),
    ]:
        assert_permission_matrix(client, url, allowed=readers, forbidden=outsiders)


def test_recording_is_for_it_and_editing_limits_for_the_it_head(client, readers, outsiders, room, daily, submitted):
    officer, head, leader, auditor, dba = readers
    assert_permission_matrix(
        client, "/inspections/visits/new/", allowed=[officer, head], forbidden=[leader, auditor, dba, *outsiders]
    )
    assert_permission_matrix(
        client, f"/inspections/rounds/{submitted.pk}/correct/", allowed=[officer, head], forbidden=[leader, auditor]
    )
    assert_permission_matrix(
        client, f"/inspections/rooms/{room.pk}/edit/", allowed=[head], forbidden=[officer, leader, auditor]
    )
    assert_permission_matrix(
        client, f"/inspections/templates/{daily.pk}/edit/", allowed=[head], forbidden=[officer, leader, auditor]
    )
    assert_permission_matrix(
        client,
        f"/inspections/start/{daily.pk}/rooms/{room.pk}/",
        method="post",
        allowed=[officer],
        forbidden=[leader, auditor],
    )


def round_post(inspection, values, action="submit"):
    data = {action: "1"}
    for result in inspection.results.select_related("item"):
        prefix = f"r{result.pk}"
        label = result.item.label
        if result.is_reading:
            data[f"{prefix}-value"] = values.get(label, "23.0" if result.item.measure == "temperature" else "50")
        else:
            data[f"{prefix}-status"] = values.get(label, "normal")
        if f"{label}:description" in values:
            data[f"{prefix}-description"] = values[f"{label}:description"]
    return data


def test_round_form_stops_an_undescribed_out_of_range_reading_and_keeps_what_was_typed(
    client, officer, head, room, daily
):
    client.force_login(officer)
    response = client.post(f"/inspections/start/{daily.pk}/rooms/{room.pk}/")
    inspection = InspectionRound.objects.get()
    assert response["Location"] == f"/inspections/rounds/{inspection.pk}/edit/"
    values = {"机房温度": "31.5", "漏水检测": "abnormal"}
    response = client.post(response["Location"], round_post(inspection, values))
    assert response.status_code == 200
    page = response.content.decode()
    assert "31.5" in page
    assert response.context["error_count"] == 2
    inspection.refresh_from_db()
    assert inspection.state == "draft"
    assert not Notification.objects.exists()
    described = {**values, "机房温度:description": "1号空调停机", "漏水检测:description": "地面积水"}
    response = client.post(f"/inspections/rounds/{inspection.pk}/edit/", round_post(inspection, described))
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.state == "submitted" and inspection.abnormal_count == 2
    assert Notification.objects.filter(recipient=head).count() == 2
    assert client.get(f"/inspections/rounds/{inspection.pk}/edit/")["Location"] == inspection.get_absolute_url()


def test_draft_can_be_saved_incomplete_with_a_photo(client, officer, room, daily, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(officer)
    client.post(f"/inspections/start/{daily.pk}/rooms/{room.pk}/")
    inspection = InspectionRound.objects.get()
    leak = inspection.results.get(item__label="漏水检测")
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
        b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    response = client.post(
        f"/inspections/rounds/{inspection.pk}/edit/",
        {
            "save": "1",
            f"r{leak.pk}-status": "abnormal",
            f"r{leak.pk}-photos": SimpleUploadedFile("leak.png", png, "image/png"),
        },
    )
    assert response.status_code == 302
    leak.refresh_from_db()
    assert leak.status == "abnormal" and leak.is_abnormal
    page = client.get(inspection.get_absolute_url()).content.decode()
    assert "leak.png" in page


def test_round_list_query_count_does_not_grow(client, officer, daily, django_assert_max_num_queries):
    from inspections.models import MachineRoom

    version = daily.current_version
    rooms = [MachineRoom.objects.create(name=f"机房{n}") for n in range(3)]

    def add_rounds(first_day, count):
        InspectionRound.objects.bulk_create(
            InspectionRound(
                template=daily,
                version=version,
                room=rooms[n % 3],
                period_start=first_day + datetime.timedelta(days=n // 3),
                inspector=officer,
            )
            for n in range(count)
        )

    add_rounds(datetime.date(2026, 1, 1), 3)
    client.force_login(officer)
    with django_assert_max_num_queries(20) as few:
        assert client.get("/inspections/rounds/").status_code == 200
    add_rounds(datetime.date(2025, 1, 1), 240)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/inspections/rounds/")
    assert response.context["table"].page.paginator.count == 243


def test_today_page_shows_each_room_status(client, officer, daily, room, submitted):
    from inspections.models import MachineRoom

    MachineRoom.objects.create(name="灾备机房", commissioned_on=datetime.date(2026, 1, 1))
    client.force_login(officer)
    page = client.get("/inspections/").content.decode()
    assert 'data-room="中心机房"' in page and 'data-status="abnormal"' in page
    assert 'data-room="灾备机房"' in page and 'data-status="pending"' in page
    assert "30.2 °C" in page


def test_calendar_marks_done_abnormal_and_missed_days(client, officer, daily, room, submitted):
    MissedInspection.objects.create(template=daily, room=room, period_start=datetime.date(2026, 11, 19))
    version = daily.current_version
    InspectionRound.objects.create(
        template=daily,
        version=version,
        room=room,
        period_start=datetime.date(2026, 11, 18),
        inspector=officer,
        state="submitted",
    )
    client.force_login(officer)
    page = client.get(f"{room.get_absolute_url()}?month=2026-11").content.decode()
    assert 'data-day="2026-11-20" data-status="abnormal"' in page
    assert 'data-day="2026-11-19" data-status="missed"' in page
    assert 'data-day="2026-11-18" data-status="done"' in page
    assert 'data-day="2026-11-25" data-status="future"' in page


def test_trend_chart_is_inline_svg_from_the_readings(client, officer, room, submitted):
    client.force_login(officer)
    page = client.get(f"{room.get_absolute_url()}?days=30").content.decode()
    assert "<svg" in page and "<script" not in page.split('data-testid="trend"')[1].split("</div>")[0]


def test_template_edit_saves_a_new_version(client, head, daily):
    client.force_login(head)
    items = list(daily.current_version.items.all())
    data = {
        "name": daily.name,
        "is_active": "on",
        "change_note": "增加门禁检查",
        "items-TOTAL_FORMS": str(len(items) + 1),
        "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for index, item in enumerate(items):
        for field in ("group", "label", "kind", "measure", "unit"):
            data[f"items-{index}-{field}"] = getattr(item, field)
        for field in ("low_limit", "high_limit"):
            value = getattr(item, field)
            data[f"items-{index}-{field}"] = "" if value is None else str(value)
        data[f"items-{index}-ORDER"] = str(index + 1)
    data["items-0-DELETE"] = "on"
    last = len(items)
    data.update(
        {
            f"items-{last}-group": "environment",
            f"items-{last}-label": "机房门禁",
            f"items-{last}-kind": "check",
            f"items-{last}-ORDER": "0",
        }
    )
    response = client.post(f"/inspections/templates/{daily.pk}/edit/", data)
    assert response.status_code == 302, response.context and response.context["formset"].errors
    version = daily.current_version
    assert version.number == 3 and version.change_note == "增加门禁检查"
    labels = list(version.items.values_list("label", flat=True))
    assert labels[0] == "机房门禁" and "机房供电状况" not in labels and len(labels) == len(items)
    assert daily.versions.get(number=2).items.count() == len(items)


def test_template_reading_without_measure_is_refused_next_to_the_field(client, head, daily):
    client.force_login(head)
    data = {
        "name": daily.name,
        "is_active": "on",
        "change_note": "x",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-group": "environment",
        "items-0-label": "噪音",
        "items-0-kind": "reading",
    }
    response = client.post(f"/inspections/templates/{daily.pk}/edit/", data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["measure"]
    assert daily.versions.count() == 2


def test_it_head_edits_room_limits_and_bad_limits_stay_on_the_form(client, head, room):
    client.force_login(head)
    data = {
        "name": room.name,
        "location": room.location,
        "commissioned_on": "2026-01-01",
        "temperature_min": "20",
        "temperature_max": "18",
        "humidity_min": "40",
        "humidity_max": "70",
        "reminder_time": "09:00",
        "deadline_time": "17:00",
        "is_active": "on",
    }
    response = client.post(f"/inspections/rooms/{room.pk}/edit/", data)
    assert response.status_code == 200 and response.context["form"].errors["temperature_max"]
    data["temperature_max"] = "26"
    assert client.post(f"/inspections/rooms/{room.pk}/edit/", data).status_code == 302
    room.refresh_from_db()
    assert (room.temperature_min, room.temperature_max, room.reminder_time) == (
        Decimal("20"),
        Decimal("26"),
        datetime.time(9, 0),
    )


def test_abnormality_list_and_close(client, officer, submitted):
    client.force_login(officer)
    response = client.get("/inspections/abnormalities/?is_open=true")
    assert response.context["counts"] == {"open": 1, "closed": 0}
    assert "机房温度" in response.content.decode()
    result = RoundResult.objects.get(is_abnormal=True)
    response = client.post(f"/inspections/abnormalities/{result.pk}/close/", {"resolution": ""})
    assert response.status_code == 200 and response.context["form"].errors["resolution"]
    client.post(f"/inspections/abnormalities/{result.pk}/close/", {"resolution": "空调维修完成"})
    assert client.get("/inspections/abnormalities/").context["counts"] == {"open": 0, "closed": 1}


def test_correction_via_the_page_keeps_both_values(client, officer, submitted):
    client.force_login(officer)
    temperature = submitted.results.get(item__measure=TemplateItem.Measure.TEMPERATURE)
    response = client.post(
        f"/inspections/rounds/{submitted.pk}/correct/",
        {"result": temperature.pk, "value": "24.0", "reason": "录入错误，实际24度"},
    )
    assert response.status_code == 302
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "30.2 → 24.0" in page and "录入错误，实际24度" in page
    submitted.refresh_from_db()
    assert submitted.abnormal_count == 0


def test_dashboard_counts_rooms_not_yet_inspected(client, officer, head, room, daily):
    from inspections.selectors import awaiting

    counts = {item.label: item.count for item in awaiting(officer)}
    assert list(counts.values())[:2] == [1, 0]
    assert len(awaiting(head)) == 4  # visits and items carried out to approve
    assert timezone.localtime().hour == 12
    assert awaiting(officer)[0].urgent


def test_a_refused_submit_keeps_what_was_typed_as_a_draft(client, officer, room, daily):
    client.force_login(officer)
    client.post(f"/inspections/start/{daily.pk}/rooms/{room.pk}/")
    inspection = InspectionRound.objects.get()
    temperature = inspection.results.get(item__measure=TemplateItem.Measure.TEMPERATURE)
    leak = inspection.results.get(item__label="漏水检测")
    response = client.post(
        f"/inspections/rounds/{inspection.pk}/edit/",
        {"submit": "1", f"r{temperature.pk}-value": "24.5", f"r{leak.pk}-status": "abnormal"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "已保存为草稿" in page and "24.5" in page
    inspection.refresh_from_db()
    temperature.refresh_from_db()
    leak.refresh_from_db()
    assert inspection.state == "draft"
    assert temperature.value == Decimal("24.5") and leak.status == "abnormal"
    assert "24.5" in client.get(f"/inspections/rounds/{inspection.pk}/edit/").content.decode()


@pytest.mark.parametrize(("language", "expected", "absent"), [("zh-hans", "12月", "Dec"), ("en", "Dec", "12月")])
def test_trend_axis_names_months_in_the_readers_language(language, expected, absent):
    from django.utils import translation

    from inspections.charts import trend_svg

    days = [datetime.date(2026, 11, 1) + datetime.timedelta(days=n) for n in range(61)]
    panel = {"title": "温度", "unit": "°C", "points": [(day, 22.0) for day in days], "low": None, "high": None}
    with translation.override(language):
        svg = trend_svg([panel])
    assert expected in svg and absent not in svg


def test_history_shows_times_in_the_one_datetime_format(client, head, submitted):
    client.force_login(head)
    page = client.get(f"/inspections/rounds/{submitted.pk}/history/").content.decode()
    assert "2026-11-20 12:00" in page and "12:00:00" not in page


def test_closing_a_closed_abnormality_is_refused_by_its_reason(client, officer, submitted):
    result = RoundResult.objects.get(is_abnormal=True)
    close = f"/inspections/abnormalities/{result.pk}/close/"
    client.force_login(officer)
    assert client.get(close).status_code == 200
    assert client.post(close, {"resolution": "空调维修完成"}).status_code == 302
    assert client.get(close).status_code == 403
    response = client.post(close, {"resolution": "again"})
    assert response.status_code == 200 and "已关闭" in response.content.decode()
    result.refresh_from_db()
    assert result.resolution == "空调维修完成"


def test_a_draft_round_is_not_corrected(client, officer, room, daily):
    inspection = services.round_start(template=daily, room=room, by=officer)
    leak = inspection.results.get(item__label="漏水检测")
    correct = f"/inspections/rounds/{inspection.pk}/correct/"
    client.force_login(officer)
    assert client.get(correct).status_code == 403
    response = client.post(correct, {"result": leak.pk, "status": "abnormal", "reason": "x"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not inspection.corrections.exists()


def test_the_round_list_exports_its_filtered_rows(client, officer, submitted):
    client.force_login(officer)
    response = client.get("/inspections/rounds/?export=csv&with_abnormal=true")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert "中心机房" in body
    assert "中心机房" not in client.get("/inspections/rounds/?export=csv&with_abnormal=false").content.decode()
