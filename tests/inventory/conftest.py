import pytest

from tests.inventory.factories import EquipmentFactory


@pytest.fixture
def officer(make_user, it_department):
    return make_user("it_officer", department=it_department, username="officer")


@pytest.fixture
def head(make_user, it_department):
    return make_user("it_head", department=it_department, username="ithead")


@pytest.fixture
def it_department(db):
    from tests.factories import DepartmentFactory

    return DepartmentFactory(code="XXK", name="信息科")


@pytest.fixture
def device(db):
    return EquipmentFactory()


@pytest.fixture
def in_use(db, department):
    return EquipmentFactory(status="in_use", department=department)
