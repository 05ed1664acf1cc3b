from django.db import migrations


class Migration(migrations.Migration):
    """The report archive now belongs to the reports app (reports 0001): its tables stay as they are."""

    dependencies = [
        ("portal", "0005_deferred_tasks_and_job_attempts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalReportArchive"),
                migrations.DeleteModel(name="ReportArchive"),
            ],
            database_operations=[],
        ),
    ]
