# make run  — set up everything and serve the portal with demo data on http://127.0.0.1:8000
# make test — run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# libldap2-dev and libsasl2-dev: python-ldap (the directory login) is built from source.
RUNTIME_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext python3-venv \
	libldap2-dev libsasl2-dev
# slapd and ldap-utils: the directory tests run a real OpenLDAP server.
TEST_PACKAGES := chromium poppler-utils faketime slapd ldap-utils

.PHONY: run test test-shifted-clock lint setup system-packages test-packages messages clean

run: setup
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	@echo ""
	@echo "== Demo logins (password Demo-2026) =="
	@echo "   staff  dept_head  it_officer  it_head  dba  secrecy_reviewer  leader  hr  auditor"
	@echo "   Vendor engineer (only the tickets sent to their company): vendor"
	@echo "   System administrator (admin site only): sysadmin"
	@echo "== Open http://127.0.0.1:8000 =="
	bin/run-dev

# Tests run in parallel, one database per process, a test file to a process (the Celery-worker tests must not overlap).
test: setup test-packages
	$(BIN)/python -m pytest -n auto --maxprocesses=4 --dist loadfile $(PYTEST_ARGS)

# The suite again with the clock 550 days ahead: no test may depend on the real date. The Celery workers a test
# starts inherit the shifted clock. The browser flows are left out: `make test` runs them. Here the test databases
# are made by the real migrations, from zero (`make test` builds them from the models; tests/conftest.py).
test-shifted-clock: setup test-packages
	faketime -f +550d $(BIN)/python -m pytest -n auto --maxprocesses=4 --dist loadfile -m "not e2e" --migrations $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python bin/check_structure.py

setup: system-packages $(VENV)/.installed locale/zh_Hans/LC_MESSAGES/django.mo
	@mkdir -p var/media var/broker/queue var/broker/control

system-packages:
	@bin/system-packages $(RUNTIME_PACKAGES)

test-packages:
	@bin/system-packages $(TEST_PACKAGES)

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

locale/zh_Hans/LC_MESSAGES/django.mo: locale/zh_Hans/LC_MESSAGES/django.po $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv >/dev/null

# Refresh the translation catalogue after adding strings (one writer at a time).
messages: $(VENV)/.installed
	mkdir -p var && flock var/.messages.lock env DEBUG=1 $(BIN)/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=tests --no-obsolete

clean:
	rm -rf $(VENV) var
