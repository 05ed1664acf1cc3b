"""Issue 15: the daily round checks the servers (001 七 6) in a new template version, and the DBA, who runs the
machine room day to day (000 系统及数据库管理员职责 7), reads the inspections."""

import datetime
import importlib

import pytest
from django.apps import apps

from inspections import services
from inspections.models import InspectionRound, RoundResult
from portal.exceptions import ActionRefused
from tests.permissions import assert_permission_matrix

from .conftest import NOON, frozen_at

SERVER_CHECK = ["服务器文件是否有损坏", "服务器CPU和内存占用资源情况", "客户端登录和访问数据库是否正常"]

_frozen = frozen_at(NOON)


def _old_round(daily, room, officer):
    """A round recorded on version 1 before the server check was added."""
    version = daily.versions.get(number=1)
    inspection = InspectionRound.objects.create(
        template=daily,
        version=version,
        room=room,
        period_start=NOON.date() - datetime.timedelta(days=1),
        inspector=officer,
    )
    RoundResult.objects.bulk_create(RoundResult(round=inspection, item=item) for item in version.items.all())
    return inspection


def test_the_daily_round_checks_the_servers_in_a_new_version(daily):
    first, current = daily.versions.get(number=1), daily.current_version
    assert current.number == 2 and "001 七 6" in current.change_note
    labels = list(current.items.values_list("label", flat=True))
    for label in SERVER_CHECK:
        assert label in labels
        assert current.items.get(label=label).group == "servers"
    # The daily backup item stays, and the server check follows it.
    assert labels[labels.index("数据备份情况") + 1 : labels.index("数据备份情况") + 4] == SERVER_CHECK
    # Version 1 is not edited: it keeps its own items and none of the new ones.
    assert not first.items.filter(label__in=SERVER_CHECK).exists()
    assert first.items.count() + len(SERVER_CHECK) == current.items.count()


def test_a_new_round_uses_the_new_items_and_an_old_round_keeps_its_own(daily, room, officer):
    old = _old_round(daily, room, officer)
    new = services.round_start(template=daily, room=room, by=officer)
    assert new.version == daily.current_version and new.version.number == 2
    new_labels = set(new.results.values_list("item__label", flat=True))
    assert set(SERVER_CHECK) <= new_labels
    old_labels = set(old.results.values_list("item__label", flat=True))
    assert not set(SERVER_CHECK) & old_labels and "数据备份情况" in old_labels
    old.refresh_from_db()
    assert old.version.number == 1


def test_the_migration_adds_the_server_check_once(daily):
    migration = importlib.import_module("inspections.migrations.0005_daily_server_check")
    migration.add_server_check(apps, None)
    assert daily.versions.count() == 2


def test_the_dba_reads_machine_room_inspections_but_records_none(client, make_user, daily, room, officer):
    dba, staff = make_user("dba"), make_user("staff")
    inspection = services.round_start(template=daily, room=room, by=officer)
    for url in (
        "/inspections/rounds/",
        inspection.get_absolute_url(),
        room.get_absolute_url(),
        "/inspections/templates/",
    ):
        assert_permission_matrix(client, url, allowed=[dba, officer], forbidden=[staff])
    assert_permission_matrix(client, f"/inspections/rounds/{inspection.pk}/edit/", allowed=[officer], forbidden=[dba])
    with pytest.raises(ActionRefused):
        services.round_start(template=daily, room=room, by=dba, day=NOON.date() + datetime.timedelta(days=1))
