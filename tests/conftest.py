import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

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
def django_db_setup(_suite_clock, django_db_setup, django_db_blocker, django_db_use_migrations):
    """The test databases, on the suite's clock: migrated, or (``--nomigrations``, the default in pyproject.toml)
    given their tables from the models (3 s, not 40 s for each process of each pass) and then the rows of the
    portal's data migrations, made by their own functions. ``makemigrations --check`` keeps models and
    migrations the same; ``make test-shifted-clock`` (CI's PostgreSQL pass) applies the real migrations."""
    if django_db_use_migrations:
        return django_db_setup
    with django_db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            _run_data_migrations(connection)
            if hasattr(connection, "_test_serialized_contents"):  # what a transactional test's teardown restores
                with override_settings(MIGRATION_MODULES={}):  # Django serializes only the apps with migrations
                    connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    return django_db_setup


def _run_data_migrations(connection):
    """Every RunPython of the portal's own apps, in migration order, against the current models."""
    with override_settings(MIGRATION_MODULES={}):
        graph = MigrationLoader(None).graph
    ours = {config.label for config in apps.get_app_configs() if Path(config.path).is_relative_to(settings.BASE_DIR)}
    plan = dict.fromkeys(key for leaf in graph.leaf_nodes() for key in graph.forwards_plan(leaf))
    recorder = MigrationRecorder(connection)  # and the database says they are applied, as a migrated one does
    recorder.ensure_schema()
    recorder.migration_qs.bulk_create([recorder.Migration(app=app_label, name=name) for app_label, name in plan])
    with connection.schema_editor() as editor:
        for app_label, name in plan:
            if app_label in ours:
                for operation in graph.nodes[app_label, name].operations:
                    if isinstance(operation, RunPython):
                        operation.code(apps, editor)


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
