"""The daily round's version 2: the daily server check of 001 七 6 ("每天对服务器进行仔细检查,主要查看文件是否有损坏,
CPU和内存占用资源情况,客户端登录和访问数据库是否正常") joins the servers group. A new version, not an edit:
rounds already recorded keep version 1 and its wording."""

from django.db import migrations

TEMPLATE = "中心机房日常巡检"
AFTER = "数据备份情况"
SERVER_CHECK = ["服务器文件是否有损坏", "服务器CPU和内存占用资源情况", "客户端登录和访问数据库是否正常"]
ITEM_FIELDS = ("group", "label", "kind", "measure", "unit", "low_limit", "high_limit")


def add_server_check(apps, schema_editor):
    InspectionTemplate = apps.get_model("inspections", "InspectionTemplate")
    TemplateVersion = apps.get_model("inspections", "TemplateVersion")
    TemplateItem = apps.get_model("inspections", "TemplateItem")
    template = InspectionTemplate.objects.filter(name=TEMPLATE).first()
    if template is None:
        return
    current = template.versions.order_by("-number").first()
    if current is None or current.items.filter(label__in=SERVER_CHECK).exists():
        return
    rows = [{name: getattr(item, name) for name in ITEM_FIELDS} for item in current.items.order_by("order", "pk")]
    labels = [row["label"] for row in rows]
    at = labels.index(AFTER) + 1 if AFTER in labels else len(rows)
    new = [{"group": "servers", "label": label, "kind": "check", "measure": "", "unit": ""} for label in SERVER_CHECK]
    rows[at:at] = new
    version = TemplateVersion.objects.create(
        template=template,
        number=current.number + 1,
        change_note="依据数据备份工作制度第6条（001 七 6）增加每日服务器检查",
    )
    TemplateItem.objects.bulk_create(
        TemplateItem(version=version, order=order, **row) for order, row in enumerate(rows, start=1)
    )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0004_item_removals_and_forbidden_items")]

    operations = [migrations.RunPython(add_server_check, migrations.RunPython.noop)]
