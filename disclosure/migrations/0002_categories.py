from django.db import migrations

# The catalogue headings named in the issue; admins may rename, reorder or add to them.
CATEGORIES = ["机构职能", "规章制度", "工作动态", "统计信息", "医疗服务价格与收费", "招标采购", "人事信息", "其他"]


def create_categories(apps, schema_editor):
    Category = apps.get_model("disclosure", "Category")
    for order, name in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"order": order * 10})


def remove_categories(apps, schema_editor):
    apps.get_model("disclosure", "Category").objects.filter(name__in=CATEGORIES, items__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]

    operations = [migrations.RunPython(create_categories, remove_categories)]
