"""Existing custodians get the custody permission the service now gives (issue 16); the reverse takes it back."""

from django.db import migrations

CODENAME = "keep_account"


def _permission(apps):
    content_type, _ = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="accounts", model="privilegedaccount"
    )
    # Permissions are otherwise made after every migration has run; this one is needed now.
    permission, _ = apps.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type, codename=CODENAME, defaults={"name": "Custodian"}
    )
    return content_type, permission


def grant(apps, schema_editor):
    content_type, permission = _permission(apps)
    UserObjectPermission = apps.get_model("guardian", "UserObjectPermission")
    custody = apps.get_model("accounts", "PrivilegedAccount").custodians.through.objects.all()
    UserObjectPermission.objects.bulk_create(
        [
            UserObjectPermission(
                user_id=row.user_id,
                permission=permission,
                content_type=content_type,
                object_pk=str(row.privilegedaccount_id),
            )
            for row in custody
        ],
        ignore_conflicts=True,
    )


def revoke(apps, schema_editor):
    apps.get_model("guardian", "UserObjectPermission").objects.filter(
        permission__codename=CODENAME, content_type__app_label="accounts", content_type__model="privilegedaccount"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0013_custodian_permission"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
