import pytest

from portal.celery import app as celery_app
from tests.factories import DepartmentFactory, UserFactory


@pytest.fixture(autouse=True)
def _celery_eager():
    """Tasks run in-process in tests, except where a test starts a real worker."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def department(db):
    return DepartmentFactory(code="NK", name="内科")


@pytest.fixture
def other_department(db):
    return DepartmentFactory(code="WK", name="外科")


@pytest.fixture
def make_user(db, department):
    """``make_user("it_officer")`` or ``make_user("staff", department=other_department)``."""

    def make(*roles, department=department, **kwargs):
        return UserFactory(roles=roles, department=department, **kwargs)

    return make
