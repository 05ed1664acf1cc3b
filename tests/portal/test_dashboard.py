import datetime

from django.urls import reverse
from django.utils import timezone

from portal.models import TaskRun


def test_scheduled_tasks_panel_names_tasks_in_chinese_with_outcome_and_no_server_paths(client, make_user):
    finished = timezone.make_aware(datetime.datetime(2026, 1, 5, 8, 30))
    TaskRun.objects.create(name="portal.tasks.heartbeat", finished_at=finished, outcome="ok", detail="ok")
    TaskRun.objects.create(
        name="backups.tasks.back_up_portal_database",
        finished_at=finished,
        outcome="ok",
        detail="成功 /var/lib/portal/backups/portal-20260105-083000-000001.sqlite3.gz",
    )
    TaskRun.objects.create(
        name="backups.tasks.verify_target",
        finished_at=finished,
        outcome="failed",
        detail="FileNotFoundError(2, 'No such file or directory: /usr/lib/postgresql/15/bin/pg_restore')",
    )
    client.force_login(make_user("it_officer"))
    html = client.get(reverse("portal:dashboard")).content.decode()
    panel = html[html.index("定时任务") :]
    assert "心跳" in panel and "本平台数据库备份" in panel and "备份完整性检查与恢复试验" in panel
    assert "成功" in panel and "失败" in panel and "No such file or directory" in panel
    assert "2026-01-05 08:30" in panel
    assert "portal.tasks.heartbeat" not in panel and "backups.tasks" not in panel
    assert "/var/lib" not in panel and "pg_restore" not in panel and "/usr/" not in panel


def test_every_scheduled_task_and_heartbeat_has_a_name_on_the_panel(settings):
    from portal import heartbeats
    from portal.dashboard import TASK_LABELS

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled | {heartbeats.BEAT, heartbeats.WORKER} <= set(TASK_LABELS)
