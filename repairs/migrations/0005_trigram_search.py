from django.db import migrations

from portal.trigram import trigram_indexes


class Migration(migrations.Migration):
    """The words the lists search, answered from a trigram index on PostgreSQL (issue 18)."""

    dependencies = [("repairs", "0004_vendor_engineers")]

    operations = trigram_indexes("repairs_repairticket", "description", "device_description")
