import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()
# Fail at start, not on the first request: Django raises here when DEBUG is off and SECRET_KEY is unset.
settings.SECRET_KEY  # noqa: B018
