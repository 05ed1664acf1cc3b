"""Settings as an administrator meets them: a bare checkout, production without a key, production done right."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def _run(*args, **variables):
    environment = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **variables}
    return subprocess.run(
        [sys.executable, *args], cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=120
    )


def test_a_bare_checkout_checks_its_migrations_without_any_variable():
    result = _run("manage.py", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_the_web_server_refuses_to_start_in_production_without_a_secret_key():
    result = _run("-c", "import portal.wsgi", ALLOWED_HOSTS="it.hospital.local")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_with_production_variables():
    result = _run(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY=secrets.token_urlsafe(60), ALLOWED_HOSTS="it.hospital.local",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
