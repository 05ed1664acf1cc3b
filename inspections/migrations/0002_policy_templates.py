"""The two checklists of the policy, as version 1, in the hospital's own wording.

Daily machine-room round: 000 "中心机房巡检管理制度", "中心机房管理制度" 2, "四、环境管理制度" 4-5;
001 "三、医院信息科机房管理制度". Monthly workstation maintenance: 001 "五、信息系统维护制度",
000 "信息系统运行及维护制度".
"""

from django.db import migrations

CHECK, READING = "check", "reading"

MACHINE_ROOM_ITEMS = [
    ("power", "机房供电状况", CHECK, "", "", None, None),
    ("power", "UPS工作情况、指标状态", CHECK, "", "", None, None),
    ("power", "UPS负载率", READING, "other", "%", None, 80),
    ("power", "UPS电池状态", CHECK, "", "", None, None),
    ("servers", "服务器是否当机", CHECK, "", "", None, None),
    ("servers", "服务器（磁盘阵列）故障指示灯", CHECK, "", "", None, None),
    ("servers", "数据备份情况", CHECK, "", "", None, None),
    ("environment", "机房空调工作状态", CHECK, "", "", None, None),
    ("environment", "机房温度", READING, "temperature", "°C", None, None),
    ("environment", "机房湿度", READING, "humidity", "%", None, None),
    ("environment", "漏水检测", CHECK, "", "", None, None),
    ("environment", "消防（灭火）及防盗设施", CHECK, "", "", None, None),
    ("environment", "机房整洁，无食品、饮料及易燃易爆物品", CHECK, "", "", None, None),
    ("network_devices", "交换机工作状态", CHECK, "", "", None, None),
    ("network_devices", "路由器工作状态", CHECK, "", "", None, None),
    ("network_devices", "防火墙及其配属设备工作状态", CHECK, "", "", None, None),
    ("network_channels", "医院内部局域网", CHECK, "", "", None, None),
    ("network_channels", "医院与医保中心专网", CHECK, "", "", None, None),
    ("network_channels", "医院与互联网的网络通讯", CHECK, "", "", None, None),
]

WORKSTATION_ITEMS = [
    ("workstation_hardware", "工作站主机、显示器运行状况", CHECK, "", "", None, None),
    ("workstation_hardware", "打印机、读卡器等外设", CHECK, "", "", None, None),
    ("workstation_software", "只安装系统应用软件及相关办公软件", CHECK, "", "", None, None),
    ("workstation_software", "系统运行及客户端登录、访问数据库是否正常", CHECK, "", "", None, None),
    ("security", "防病毒软件运行及病毒库更新", CHECK, "", "", None, None),
    ("security", "光盘驱动器、外来存储介质（U盘、移动硬盘）未经批准不得使用", CHECK, "", "", None, None),
]

TEMPLATES = [
    ("中心机房日常巡检", "machine_room", "daily", MACHINE_ROOM_ITEMS),
    ("系统及工作站月度检修", "workstations", "monthly", WORKSTATION_ITEMS),
]


def seed(apps, schema_editor):
    InspectionTemplate = apps.get_model("inspections", "InspectionTemplate")
    TemplateVersion = apps.get_model("inspections", "TemplateVersion")
    TemplateItem = apps.get_model("inspections", "TemplateItem")
    for name, target, frequency, items in TEMPLATES:
        template, created = InspectionTemplate.objects.get_or_create(
            name=name, defaults={"target": target, "frequency": frequency}
        )
        if not created:
            continue
        version = TemplateVersion.objects.create(template=template, number=1, change_note="依据医院信息科机房管理制度")
        TemplateItem.objects.bulk_create(
            TemplateItem(
                version=version,
                group=group,
                order=order,
                label=label,
                kind=kind,
                measure=measure,
                unit=unit,
                low_limit=low,
                high_limit=high,
            )
            for order, (group, label, kind, measure, unit, low, high) in enumerate(items, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
