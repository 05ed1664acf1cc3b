from django.db import migrations

ROLE_CODE = "vendor_engineer"  # portal.roles.OutsideRole.VENDOR_ENGINEER: given by repairs' engineer registration only


def create_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=ROLE_CODE)


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ROLE_CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0015_delegations")]

    operations = [migrations.RunPython(create_role, remove_role)]
