# Production image: gunicorn web, Celery worker and beat all run from it (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext postgresql-client curl \
      libldap-2.5-0 libsasl2-2 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
# python-ldap (directory login) builds from source: its compiler and headers leave the image again.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev libldap2-dev libsasl2-dev \
 && pip install -r requirements.txt \
 && apt-get purge -y --auto-remove gcc libc6-dev libldap2-dev libsasl2-dev \
 && rm -rf /var/lib/apt/lists/*
COPY . .
RUN DEBUG=1 python manage.py compilemessages --ignore=.venv \
 && SECRET_KEY=build-only python manage.py collectstatic --noinput

RUN useradd --system --home /app portal && mkdir -p /app/var/media && chown -R portal /app/var
USER portal
EXPOSE 8000
# --timeout 120: the longest request served in the worker is the statistical report page (a year's charts) or its
# XLSX export; the archived report PDF, imports and restore tests run in Celery, not in a request.
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120", "--access-logfile", "-"]
