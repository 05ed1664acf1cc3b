"""The portal's settings as the test suite sees them: development mode plus test-only models."""

import os

# Django turns DEBUG off while tests run; DEBUG=1 here only picks the development defaults
# (no HTTPS redirect, no manifest static storage, no required SECRET_KEY).
os.environ.setdefault("DEBUG", "1")

from portal.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "templates"]  # noqa: F405

# Test users are made by the hundred; a deliberately slow hasher would make every fixture cost a second.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The suite travels far ahead in time with logged-in clients: password expiry is off here, and the tests of
# the password policy turn it on with the ``settings`` fixture.
PASSWORD_MAX_AGE_DAYS = 0
