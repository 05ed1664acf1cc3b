from django.db import migrations

from portal.trigram import trigram_indexes


class Migration(migrations.Migration):
    """The words the lists search, answered from a trigram index on PostgreSQL (issue 18)."""

    dependencies = [("inventory", "0009_label_sheets")]

    operations = trigram_indexes(
        "inventory_equipment",
        "asset_no",
        "serial_no",
        "model_name",
        "brand",
        "building",
        "room",
        expressions={"ip_address": 'host("ip_address")'},
    )
