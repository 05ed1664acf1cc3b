import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from inspections import services
from inspections.models import InspectionRound, RoundCorrection, RoundResult, TemplateItem
from portal.exceptions import ActionRefused
from portal.models import Notification

from .conftest import NOON, fill, frozen_at

TODAY = NOON.replace(hour=9)

_frozen = frozen_at(TODAY)


def test_policy_template_has_the_hospital_items_and_limits(daily, monthly):
    items = list(daily.current_version.items.all())
    labels = [item.label for item in items]
    # Version 2 added the daily server check (001 七 6); see test_daily_server_check.py.
    assert daily.current_version.number == 2
    for expected in [
        "UPS工作情况、指标状态",
        "服务器（磁盘阵列）故障指示灯",
        "机房温度",
        "机房湿度",
        "医院与医保中心专网",
        "防火墙及其配属设备工作状态",
    ]:
        assert expected in labels
    assert {item.group for item in items} == {"power", "servers", "environment", "network_devices", "network_channels"}
    assert (daily.frequency, monthly.frequency) == ("daily", "monthly")


def test_round_takes_the_room_limits_of_the_day(daily, room, officer):
    room.temperature_max = Decimal("26")
    room.save()
    inspection = services.round_start(template=daily, room=room, by=officer)
    temperature = inspection.results.get(item__measure=TemplateItem.Measure.TEMPERATURE)
    humidity = inspection.results.get(item__measure=TemplateItem.Measure.HUMIDITY)
    assert (temperature.low_limit, temperature.high_limit) == (Decimal("18"), Decimal("26"))
    assert (humidity.low_limit, humidity.high_limit) == (Decimal("35"), Decimal("75"))
    room.temperature_max = Decimal("30")
    room.save()
    temperature.refresh_from_db()
    assert temperature.high_limit == Decimal("26")


def test_room_limits_are_checked(room):
    room.temperature_min = Decimal("30")
    with pytest.raises(ValidationError):
        room.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        room.save()


def test_one_round_per_room_per_day_is_a_database_rule(daily, room, officer, head):
    first = services.round_start(template=daily, room=room, by=officer)
    assert services.round_start(template=daily, room=room, by=head) == first
    with pytest.raises(IntegrityError), transaction.atomic():
        InspectionRound.objects.create(
            template=daily, version=first.version, room=room, period_start=first.period_start, inspector=head
        )
    assert InspectionRound.objects.count() == 1


def test_one_workstation_round_per_month(monthly, officer):
    first = services.round_start(template=monthly, room=None, by=officer)
    assert first.period_start == datetime.date(2026, 11, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        InspectionRound.objects.create(
            template=monthly,
            version=first.version,
            room=None,
            period_start=datetime.date(2026, 11, 1),
            inspector=officer,
        )


def test_out_of_range_reading_blocks_submit_until_described(daily, room, officer, head):
    inspection = services.round_start(template=daily, room=room, by=officer)
    fill(inspection, officer, temperature="31.5")
    with pytest.raises(ActionRefused, match="详细情况说明"):
        services.take_step(inspection, "submit", by=officer)
    assert InspectionRound.objects.get().state == "draft"
    assert not Notification.objects.filter(recipient=head).exists()

    fill(inspection, officer, temperature="31.5", overrides={"机房温度": {"description": "1号空调停机，已开备用空调"}})
    services.take_step(inspection, "submit", by=officer)
    inspection.refresh_from_db()
    assert inspection.state == "submitted"
    assert inspection.abnormal_count == 1
    note = Notification.objects.get(recipient=head)
    assert "机房温度" in note.title and "中心机房" in note.title
    assert "31.5 °C" in note.body and "18–28 °C" in note.body
    result = RoundResult.objects.get(is_abnormal=True)
    assert note.url == result.get_absolute_url()


def test_each_abnormality_notifies_the_it_head(daily, room, officer, head):
    inspection = services.round_start(template=daily, room=room, by=officer)
    fill(
        inspection,
        officer,
        humidity="20",
        overrides={
            "UPS电池状态": {"status": "abnormal", "description": "电池告警"},
            "机房湿度": {"description": "湿度过低"},
        },
    )
    services.take_step(inspection, "submit", by=officer)
    assert Notification.objects.filter(recipient=head).count() == 2
    assert not Notification.objects.filter(recipient=officer).exists()


def test_unfinished_round_cannot_be_submitted(daily, room, officer):
    inspection = services.round_start(template=daily, room=room, by=officer)
    with pytest.raises(ActionRefused, match="所有检查项目"):
        services.take_step(inspection, "submit", by=officer)


def test_submitted_round_is_read_only_and_corrected_with_a_reason(daily, room, officer, head):
    inspection = services.round_start(template=daily, room=room, by=officer)
    fill(inspection, officer)
    services.take_step(inspection, "submit", by=officer)
    with pytest.raises(ActionRefused, match="不能修改"):
        fill(inspection, officer, temperature="40")
    temperature = inspection.results.get(item__measure="temperature")
    with pytest.raises(ActionRefused, match="更正原因"):
        services.round_correct(result=temperature, value=Decimal("29.0"), description="x", reason=" ", by=officer)
    with pytest.raises(ActionRefused, match="详细情况说明"):
        services.round_correct(result=temperature, value=Decimal("29.0"), reason="看错了温度计", by=officer)
    correction = services.round_correct(
        result=temperature, value=Decimal("29.0"), description="实际读数29度", reason="看错了温度计", by=head
    )
    assert (correction.old_value, correction.new_value) == (Decimal("23.0"), Decimal("29.0"))
    temperature.refresh_from_db()
    assert temperature.is_abnormal and temperature.status == "abnormal"
    inspection.refresh_from_db()
    assert inspection.abnormal_count == 1
    history = list(temperature.history.order_by("history_date").values_list("value", "history_change_reason"))
    assert history[-1] == (Decimal("29.0"), "看错了温度计")
    assert Decimal("23.0") in [value for value, _ in history]
    assert RoundCorrection.objects.count() == 1


def test_editing_a_template_makes_a_new_version_and_old_rounds_keep_theirs(daily, room, officer, head):
    old_round = services.round_start(template=daily, room=room, by=officer)
    old_labels = list(old_round.results.values_list("item__label", flat=True))
    items = [
        {field: getattr(item, field) for field in services.ITEM_FIELDS} for item in daily.current_version.items.all()
    ]
    items[0]["label"] = "市电及发电机供电状况"
    items.append({"group": "environment", "label": "机房门禁", "kind": "check"})
    with pytest.raises(ActionRefused):
        services.template_revise(template=daily, items=items, by=officer, change_note="x")
    version = services.template_revise(template=daily, items=items, by=head, change_note="增加门禁检查")
    assert version.number == 3
    assert daily.current_version == version
    assert daily.versions.get(number=1).items.filter(label="机房供电状况").exists()
    assert list(old_round.results.values_list("item__label", flat=True)) == old_labels
    with time_machine.travel(TODAY + datetime.timedelta(days=1), tick=False):
        new_round = services.round_start(template=daily, room=room, by=officer)
    assert new_round.version == version
    assert new_round.results.filter(item__label="机房门禁").exists()
    assert "机房供电状况" not in list(new_round.results.values_list("item__label", flat=True))


def test_closing_an_abnormality_needs_a_resolution(daily, room, officer):
    inspection = services.round_start(template=daily, room=room, by=officer)
    fill(inspection, officer, overrides={"漏水检测": {"status": "abnormal", "description": "空调下方积水"}})
    services.take_step(inspection, "submit", by=officer)
    result = RoundResult.objects.get(is_abnormal=True)
    with pytest.raises(ActionRefused):
        services.abnormality_close(result=result, resolution="", by=officer)
    services.abnormality_close(result=result, resolution="疏通排水管", by=officer)
    result.refresh_from_db()
    assert result.closed_by == officer and result.resolution == "疏通排水管"
    with pytest.raises(ActionRefused, match="已关闭"):
        services.abnormality_close(result=result, resolution="again", by=officer)


def test_an_invalid_template_item_is_refused_in_words(daily, head):
    with pytest.raises(ActionRefused):
        services.template_revise(
            template=daily, items=[{"group": "environment", "label": "噪音", "kind": "reading"}], by=head
        )
    assert daily.versions.count() == 2
