import datetime

import pytest

from repairs import services
from tests.factories import DepartmentFactory
from tests.inventory.factories import EquipmentFactory


@pytest.fixture
def it_department(db):
    return DepartmentFactory(code="XXK", name="信息科")


@pytest.fixture
def officer(make_user, it_department):
    return make_user("it_officer", department=it_department, username="it_officer", full_name="张伟")


@pytest.fixture
def it_head(make_user, it_department):
    return make_user("it_head", department=it_department, username="it_head", full_name="陈志强")


@pytest.fixture
def leader(make_user, other_department):
    return make_user("leader", department=other_department, username="leader", full_name="孙建华")


@pytest.fixture
def staff(make_user):
    return make_user("staff", username="staff", full_name="王小红", phone="81234")


@pytest.fixture
def dept_head(make_user, department):
    head = make_user("dept_head", "staff", username="dept_head", full_name="李建国")
    department.head = head
    department.save()
    return head


@pytest.fixture
def outsider(make_user, other_department):
    return make_user("staff", department=other_department, username="outsider")


@pytest.fixture
def device(department):
    return EquipmentFactory(status="in_use", department=department, warranty_end=datetime.date(2020, 1, 1))


@pytest.fixture
def spare(db):
    return EquipmentFactory(status="spare", model_name="备用机")


@pytest.fixture
def ticket(staff, department, device):
    return services.ticket_file(
        by=staff,
        department=department,
        contact_phone="81234",
        equipment=device,
        category="hardware",
        description="电脑开机无显示。",
    )


# A printer jam, the everyday ticket, unless a test says otherwise.
FAULT = {"contact_phone": "1", "device_description": "打印机", "category": "printer", "description": "卡纸"}
# A class 1 fault filed by IT: the emergency plan's clocks, notices and failure report start from one.
CLASS_1_FAULT = {
    "device_description": "核心交换机",
    "category": "network",
    "description": "全院断网",
    "fault_class": "1",
}


def file_ticket(by, department, **fields):
    return services.ticket_file(by=by, department=department, **{**FAULT, **fields})


def file_class_1(by, department, **fields):
    return file_ticket(by, department, **{**CLASS_1_FAULT, **fields})


def act(ticket, action, by, **arguments):
    return services.ticket_transition(ticket, action, by=by, **arguments)


def to_on_site(ticket, officer):
    ticket = act(ticket, "dispatch", officer, assignee=officer)
    return act(ticket, "arrive", officer)


def to_repaired(ticket, officer):
    ticket = to_on_site(ticket, officer)
    return act(ticket, "repair", officer, cause="内存松动", action_taken="重新插拔内存")
