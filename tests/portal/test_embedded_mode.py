"""Development mode as `make run` prints it: each log line once, e-mails in var/mail/ and not among the log lines."""

import os
import subprocess
import sys

from django.conf import settings


def _python(code, **variables):
    environment = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **variables}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


SHOW_MAIL = (
    "import django; django.setup(); from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_FILE_PATH)"
)


def test_development_mode_writes_e_mails_into_var_mail():
    result = _python(SHOW_MAIL, DEBUG="1", DJANGO_SETTINGS_MODULE="portal.settings")
    assert result.stdout.split() == [
        "django.core.mail.backends.filebased.EmailBackend",
        str(settings.BASE_DIR / "var" / "mail"),
    ], result.stderr


def test_an_e_mail_backend_that_is_set_wins():
    backend = "django.core.mail.backends.smtp.EmailBackend"
    result = _python(SHOW_MAIL, DEBUG="1", DJANGO_SETTINGS_MODULE="portal.settings", EMAIL_BACKEND=backend)
    assert result.stdout.split()[0] == backend, result.stderr


def test_a_django_log_line_is_printed_once_in_development_mode():
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('django.request').warning('Not Found: /nowhere'); "
        "logging.getLogger('django.server').info('GET /nowhere 404'); "
        "logging.getLogger('portal').warning('portal line')"
    )
    result = _python(code, DEBUG="1", DJANGO_SETTINGS_MODULE="portal.settings")
    assert result.stderr.count("Not Found: /nowhere") == 1, result.stderr
    assert result.stderr.count("GET /nowhere 404") == 1, result.stderr
    assert result.stderr.count("portal line") == 1, result.stderr
