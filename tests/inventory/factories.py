import factory

from inventory.models import Equipment, EquipmentCategory, Rack


class RackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rack

    room = "中心机房"
    name = factory.Sequence(lambda n: f"B{n:02d}")
    height_u = 42


class EquipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Equipment

    asset_no = factory.Sequence(lambda n: f"ZC-2025-{n:06d}")
    category = factory.LazyFunction(lambda: category("pc"))
    brand = "联想"
    model_name = "启天M430"
    serial_no = factory.Sequence(lambda n: f"SN{n:08d}")
    building = "门诊楼"
    floor = "3F"
    room = "302诊室"
    status = Equipment.Status.IN_STOCK


def category(code):
    """One of the categories the data migration created."""
    return EquipmentCategory.objects.get(code=code)
