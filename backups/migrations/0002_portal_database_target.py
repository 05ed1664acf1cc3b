"""The portal's own database is a built-in backup target from the first migration on."""

from django.db import migrations
from django.utils import timezone


def create_portal_target(apps, schema_editor):
    BackupTarget = apps.get_model("backups", "BackupTarget")
    if BackupTarget.objects.filter(is_builtin=True).exists():
        return
    vendor = schema_editor.connection.vendor
    BackupTarget.objects.create(
        is_builtin=True,
        code="PORTAL-DB",
        name="信息科管理平台数据库",
        kind="postgresql" if vendor == "postgresql" else "sqlite",
        server="本平台服务器",
        full_every_days=1,
        incremental_every_hours=None,
        retention_days=14,
        offsite_copy=False,
        auto_verify=True,
        sanity_queries="SELECT COUNT(*) FROM django_migrations\nSELECT COUNT(*) FROM auth_group",
        check_time_limit_minutes=20,
        created_at=timezone.now(),
    )


class Migration(migrations.Migration):
    dependencies = [("backups", "0001_initial")]

    operations = [migrations.RunPython(create_portal_target, migrations.RunPython.noop)]
