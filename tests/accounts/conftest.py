"""People and systems for the access-governance tests: 内科 (NK) with its head, IT, HR, a leader and the auditor."""

from types import SimpleNamespace

import pytest

from accounts.models import InformationSystem, SystemModule
from tests.factories import approved_scheme


@pytest.fixture
def people(make_user, department, other_department):
    head = make_user("dept_head", "staff", full_name="李建国")
    department.head = head
    department.save()
    other_head = make_user("dept_head", department=other_department, full_name="外科主任")
    other_department.head = other_head
    other_department.save()
    return SimpleNamespace(
        staff=make_user("staff", full_name="王小红", username="wangxh"),
        colleague=make_user("staff", full_name="赵磊"),
        head=head,
        other_staff=make_user("staff", department=other_department, full_name="孙丽"),
        other_head=other_head,
        officer=make_user("it_officer", full_name="张伟"),
        officer2=make_user("it_officer", full_name="黄鹏"),
        it_head=make_user("it_head", full_name="陈志强"),
        dba=make_user("dba", full_name="刘洋"),
        hr=make_user("hr", full_name="周丽"),
        leader=make_user("leader", full_name="孙建华"),
        auditor=make_user("auditor", full_name="吴刚"),
    )


def _system(code, name, tier, *modules):
    system = InformationSystem.objects.create(code=code, name=name, tier=tier)
    for module in modules:
        SystemModule.objects.create(system=system, name=module)
    approved_scheme(system)
    return system


@pytest.fixture
def his(db):
    return _system("HIS", "医院信息系统", 1, "门诊医生站", "住院医生站")


@pytest.fixture
def oa(db):
    return _system("OA", "协同办公系统", 3, "公文收发")
