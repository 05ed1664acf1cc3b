from django.db import migrations

MODELS = ("reportarchive", "historicalreportarchive")
TASKS = ("generate_report", "reports_tick")


def move(apps, old_app, old_module, new_app, new_module):
    """Content types (so permissions and generic relations follow the model) and stored task names."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new_app, model=model).exists():
            ContentType.objects.filter(app_label=old_app, model=model).update(app_label=new_app)
    DeferredTask = apps.get_model("portal", "DeferredTask")
    TaskRun = apps.get_model("portal", "TaskRun")
    for task in TASKS:
        old, new = f"{old_module}.{task}", f"{new_module}.{task}"
        DeferredTask.objects.filter(name=old).update(name=new)
        if not TaskRun.objects.filter(name=new).exists():
            TaskRun.objects.filter(name=old).update(name=new)


def forwards(apps, schema_editor):
    move(apps, "portal", "portal.reports.tasks", "reports", "reports.tasks")


def backwards(apps, schema_editor):
    move(apps, "reports", "reports.tasks", "portal", "portal.reports.tasks")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0006_report_archive_to_reports_app"),
        ("reports", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
