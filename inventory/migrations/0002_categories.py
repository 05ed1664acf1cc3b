from django.db import migrations

# The policy's device kinds; IT may rename or add categories afterwards.
CATEGORIES = [
    ("pc", "台式电脑"),
    ("laptop", "笔记本电脑"),
    ("printer", "打印机"),
    ("server", "服务器"),
    ("storage", "存储设备"),
    ("switch", "交换机"),
    ("router", "路由器"),
    ("firewall", "防火墙"),
    ("ups", "UPS电源"),
    ("air_conditioner", "精密空调"),
    ("other", "其他"),
]


def add_categories(apps, schema_editor):
    category = apps.get_model("inventory", "EquipmentCategory")
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        category.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial")]

    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
