from django.db import migrations

from portal.trigram import trigram_indexes


class Migration(migrations.Migration):
    """The words the lists search, answered from a trigram index on PostgreSQL (issue 18)."""

    dependencies = [("accounts", "0016_vendor_engineer_role")]

    operations = trigram_indexes("accounts_user", "full_name")
