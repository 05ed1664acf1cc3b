import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connections

from portal.celery import app as celery_app
from tests.factories import DepartmentFactory, UserFactory


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    uses = {"transactional_db", "live_server"} & set(item.fixturenames)
    return bool(uses) or bool(marker and marker.kwargs.get("transaction"))


# The suite's own clock: a Monday morning, so every row made by a migration, a fixture or a test predates the
# dates the tests travel to, and no test depends on the real date it is run on.
SUITE_CLOCK = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
CHILD_PROCESS_MARKERS = ("worker", "e2e")


@pytest.fixture(scope="session", autouse=True)
def _suite_clock():
    """Every process of the run starts at SUITE_CLOCK, before the test database is migrated, and ticks on."""
    with time_machine.travel(SUITE_CLOCK, tick=True):
        yield


@pytest.fixture(scope="session")
def django_db_setup(_suite_clock, django_db_setup):
    """Migrations, and the rows they make, run on the suite's clock."""
    return django_db_setup


@pytest.fixture(autouse=True)
def _real_clock_for_child_processes(request):
    """A Celery worker or Chromium keeps the real clock; a test that talks to one must share it."""
    if any(request.node.get_closest_marker(name) for name in CHILD_PROCESS_MARKERS):
        with time_machine.travel(time_machine.escape_hatch.time.time(), tick=True):
            yield
    else:
        yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional (or live-server) test ends by emptying the database, data migrations' rows and all.

    Those tests use ``serialized_rollback``, so the database was serialized when it was created; load it
    back, so that whatever test this process runs next finds the database as the migrations left it.
    """
    result = yield
    blocker = item.funcargs.get("django_db_blocker")  # absent when the test was skipped
    # With no next test, the session's fixtures (the test database among them) are already gone.
    if nextitem is not None and blocker is not None and _is_transactional(item):
        with blocker.unblock():
            for connection in connections.all(initialized_only=True):
                connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
    return result


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
