"""Settings for the hospital IT governance portal, read from environment variables.

Defaults give the embedded mode (SQLite file, filesystem Celery broker); production sets
DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY and ALLOWED_HOSTS.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# With DEBUG off and no SECRET_KEY, Django refuses every use of the key and portal.wsgi refuses to start;
# commands that need no key (makemigrations, migrate, compilemessages) still run in a bare checkout.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tables2",
    "simple_history",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal",
    "accounts",
    "inventory",
    "repairs",
    "backups",
    "inspections",
    "disclosure",
    "emergency",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.second_factor.SecondFactorMiddleware",
    "portal.audit.SecurityAuditMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "portal.middleware.RefuseNulBytesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.PasswordExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.ConfinedRoleMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web server, worker and beat share the file: wait for locks instead of failing at once.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE"}
    # A file, not memory, so that a real Celery worker in the tests sees the test database.
    # One file per test run, so that two runs on one machine do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# 001 一(四)5 / 十一 4: passwords are changed regularly, strong, and not reused. The accounts validators
# read the three PASSWORD_* rules below when they run; 0 days means a password never expires.
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
PASSWORD_MIN_LENGTH = env.int("PASSWORD_MIN_LENGTH", default=8)
PASSWORD_MIN_CLASSES = env.int("PASSWORD_MIN_CLASSES", default=3)  # of: lower-case, upper-case, digit, symbol
PASSWORD_HISTORY = env.int("PASSWORD_HISTORY", default=5)  # the last N passwords, the current one included
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator"},
    {"NAME": "accounts.validators.CharacterClassesValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.PasswordHistoryValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Policy: lock the terminal when you leave. A session expires after this many idle minutes.
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Everyone may reach the portal through one proxy address: a user name is locked at one address after
# LOGIN_FAILURE_LIMIT failures, and from every address after LOGIN_USER_FAILURE_LIMIT (accounts/lockout.py).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_USER_FAILURE_LIMIT = env.int("LOGIN_USER_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "accounts.lockout.LoginLockoutHandler"
# Attempts made while locked are refused unrecorded, so they do not push the unlock time back.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# Addresses or networks (CIDR) of the hospital's reverse proxies: only their X-Forwarded-For is believed.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
AXES_CLIENT_IP_CALLABLE = "portal.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# The hospital's directory (LDAP / Active Directory, accounts/directory.py): off while LDAP_SERVER_URI is empty, so the
# embedded demo needs none. Directory logins sit beside local ones; the nightly sync (accounts.tasks.sync_directory)
# creates new staff, moves changed departments and opens the departure of an account disabled or gone.
AUTH_LDAP_SERVER_URI = env.str("LDAP_SERVER_URI", default="")
AUTH_LDAP_BIND_DN = env.str("LDAP_BIND_DN", default="")
AUTH_LDAP_BIND_PASSWORD = env.str("LDAP_BIND_PASSWORD", default="")
AUTH_LDAP_START_TLS = env.bool("LDAP_START_TLS", default=False)
LDAP_TIMEOUT_SECONDS = env.int("LDAP_TIMEOUT_SECONDS", default=5)
LDAP_USER_BASE = env.str("LDAP_USER_BASE", default="ou=people,dc=hospital,dc=local")
# Who counts as staff, and which of them are disabled (Active Directory: "(objectClass=user)" and
# "(userAccountControl:1.2.840.113556.1.4.803:=2)").
LDAP_USER_FILTER = env.str("LDAP_USER_FILTER", default="(objectClass=inetOrgPerson)")
LDAP_DISABLED_FILTER = env.str("LDAP_DISABLED_FILTER", default="(employeeType=disabled)")
# Attributes read (Active Directory: LDAP_USERNAME_ATTR=sAMAccountName, LDAP_NAME_ATTR=displayName).
LDAP_USERNAME_ATTR = env.str("LDAP_USERNAME_ATTR", default="uid")
LDAP_NAME_ATTR = env.str("LDAP_NAME_ATTR", default="cn")
LDAP_EMPLOYEE_NO_ATTR = env.str("LDAP_EMPLOYEE_NO_ATTR", default="employeeNumber")
LDAP_EMAIL_ATTR = env.str("LDAP_EMAIL_ATTR", default="mail")
# The attribute holding the department's code in the portal (Department.code).
LDAP_DEPARTMENT_ATTR = env.str("LDAP_DEPARTMENT_ATTR", default="departmentNumber")
# A role's group in the directory, by the role's code: members of the group hold the role.
LDAP_ROLE_GROUP_DN = env.str("LDAP_ROLE_GROUP_DN", default="cn={role},ou=groups,dc=hospital,dc=local")
# The second factor (accounts/second_factor.py): the roles that must use one; while any is listed, the system
# administrator must too. Production requires it of the roles that hold power; the demo (DEBUG) of no one.
OTP_REQUIRED_ROLES = env.list(
    "OTP_REQUIRED_ROLES", default=[] if DEBUG else ["it_head", "it_officer", "dba", "auditor"]
)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="信息科工作管理平台")
if AUTH_LDAP_SERVER_URI:
    AUTHENTICATION_BACKENDS.insert(1, "accounts.directory.DirectoryBackend")
# 等保 2.0 安全审计: the security audit log is kept this many days (at least 180; a smaller value keeps 180 and
# warns), and forwarded to the hospital's log platform as RFC 5424 syslog when an address is given
# ("host:port" over UDP, or a socket path such as /dev/log).
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=180)
AUDIT_SYSLOG_ADDRESS = env.str("AUDIT_SYSLOG_ADDRESS", default="")
AUDIT_SYSLOG_FACILITY = env.str("AUDIT_SYSLOG_FACILITY", default="local0")

# 防统方 (policy 000): role codes whose work needs drug or consumable statistics; only they may ask for a query.
# IT, the DBA, HR, the confidentiality reviewer and the auditor hold or watch the data and file none.
SENSITIVE_QUERY_ROLES = env.list("SENSITIVE_QUERY_ROLES", default=["staff", "dept_head", "leader"])
# 信息系统维护员职责 5: each department's equipment is reconciled with the ledger this often; IT is told ahead.
STOCKTAKE_INTERVAL_DAYS = env.int("STOCKTAKE_INTERVAL_DAYS", default=365)
STOCKTAKE_NOTICE_DAYS = env.int("STOCKTAKE_NOTICE_DAYS", default=30)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["portal.formats"]
# The empty choice of every list filter reads "All", not "---------".
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("All")

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
ATTACHMENT_MAX_MB = env.int("ATTACHMENT_MAX_MB", default=20)
DATA_UPLOAD_MAX_MEMORY_SIZE = ATTACHMENT_MAX_MB * 1024 * 1024

# Development mode writes e-mails as files into var/mail/ rather than into the console among the log lines.
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="it-portal@hospital.local")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
GUARDIAN_RAISE_403 = False

HOSPITAL_NAME = env.str("HOSPITAL_NAME", default="示范市人民医院")
HOSPITAL_LOGO = env.str("HOSPITAL_LOGO", default="img/logo.svg")
# A portal with nothing but its own pages loaded: pages fetch nothing from the internet.
PORTAL_PUBLIC_BASE_URL = env.str("PORTAL_PUBLIC_BASE_URL", default="http://127.0.0.1:8000")

# Each app contributes "awaiting me" counts to the dashboard and demo data to seed_demo;
# portal core lists them here by dotted path so that it never imports an app.
PORTAL_DASHBOARD_PROVIDERS = [
    "accounts.selectors.awaiting",
    "inventory.selectors.awaiting",
    "disclosure.selectors.awaiting",
    "inspections.selectors.awaiting",
    "backups.selectors.awaiting",
    "repairs.selectors.awaiting",
    "emergency.selectors.awaiting",
]
# Whether a user acts as head of a department today (its head, or the head's deputy): asked by portal.scoping.
PORTAL_ACTS_FOR_HEAD = "accounts.permissions.acts_for_head"
PORTAL_DEMO_SEEDERS = [
    "accounts.demo.seed",
    "inventory.demo.seed",
    "disclosure.demo.seed",
    "inspections.demo.seed",
    "backups.demo.seed",
    "repairs.demo.seed",
    "repairs.demo_vendors.seed",
    "emergency.demo.seed",
    # After inventory and backups: internet access names a computer from the ledger.
    "accounts.demo.seed_access",
    # Last: the archived daily report counts what the others seeded.
    "reports.demo.seed",
]
# The only pages someone from outside the hospital opens (portal.roles.CONFINED_ROLES), their home page first;
# every other URL is a 404 to them (portal.middleware.ConfinedRoleMiddleware).
PORTAL_CONFINED_PAGES = {
    "vendor_engineer": [
        "repairs:attended_list",
        "repairs:attended_ticket",
        "repairs:attended_note",
        "portal:attachment",
        "portal:notifications",
        "portal:notification_open",
        "portal:notifications_read_all",
        "login",
        "logout",
        "password_change",
        "set_language",
    ],
}
# The statistical report's sections, in print order: each app's report.section(start, end, department=None).
PORTAL_REPORT_SECTIONS = [
    "inventory.report.section",
    "repairs.report.section",
    "inspections.report.section",
    "backups.report.section",
    "accounts.report.section",
    "disclosure.report.section",
]
# The daily report (001 篇3 一(七)1) holds the day's work: repairs, inspections, backups and approvals.
PORTAL_DAILY_REPORT_SECTIONS = [
    "repairs.report.section",
    "inspections.report.section",
    "backups.report.section",
    "accounts.report.section",
]

# Celery: filesystem:// is the embedded broker (no server, works across processes), on kombu's transport made
# safe against half-written files (portal/broker.py).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT = "portal.broker:Transport"
    _broker_dir = Path(env.str("CELERY_FILESYSTEM_BROKER_DIR", default=str(VAR_DIR / "broker")))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        # The worker sleeps this long whenever its prefetch slots (2) are full or the queue is empty; kombu's default
        # of 1 s idles a busy worker between tasks. A poll lists a folder, a matter of microseconds.
        "polling_interval": 0.02,
    }
else:
    # A task whose worker dies unacknowledged comes back after this long (tasks with acks_late, portal/jobs.py): longer
    # than the longest hard time limit (a backup check, 3,660 s), or Redis would hand a running task to a second worker.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 7200}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# One static schedule of short ticks; each tick reads the due-times users edit in the apps' models.
CELERY_BEAT_SCHEDULE = {
    "repairs-escalate-breaches": {"task": "repairs.tasks.escalate_breaches", "schedule": timedelta(minutes=15)},
    "repairs-failure-report-reminders": {
        "task": "repairs.tasks.remind_failure_reports",
        "schedule": crontab(hour=8, minute=30),
    },
    "repairs-unconfirmed-reminders": {
        "task": "repairs.tasks.remind_unconfirmed_repairs",
        "schedule": crontab(minute=45),
    },
    "repairs-fallback-milestones": {
        "task": "repairs.tasks.announce_fallback_milestones",
        "schedule": timedelta(minutes=5),
    },
    "sweep-jobs": {"task": "portal.tasks.sweep_jobs", "schedule": timedelta(minutes=1)},
    "heartbeat": {
        "task": "portal.tasks.heartbeat",
        "schedule": timedelta(seconds=env.int("HEARTBEAT_SECONDS", default=60)),
    },
    "inventory-warranty-ending": {
        "task": "inventory.tasks.remind_warranty_ending",
        "schedule": crontab(day_of_week=1, hour=8, minute=0),
    },
    "inventory-overdue-loans": {"task": "inventory.tasks.remind_overdue_loans", "schedule": crontab(hour=8, minute=30)},
    "inventory-stocktakes-due": {
        "task": "inventory.tasks.remind_stocktakes_due",
        "schedule": crontab(hour=8, minute=40),
    },
    # The portal's own backup: a fresh install has its first backup and check within the first minutes.
    "backups-portal-database": {"task": "backups.tasks.back_up_portal_database", "schedule": timedelta(minutes=2)},
    "backups-due-verifications": {"task": "backups.tasks.queue_due_verifications", "schedule": timedelta(minutes=5)},
    "backups-lapses": {"task": "backups.tasks.check_backup_lapses", "schedule": crontab(minute=15)},
    "accounts-expire-grants": {"task": "accounts.tasks.expire_grants", "schedule": crontab(hour=0, minute=30)},
    "accounts-directory-sync": {"task": "accounts.tasks.sync_directory", "schedule": crontab(hour=1, minute=45)},
    # Hourly, not only at midnight: a delegation starting today is in force within the hour even after a missed tick.
    "accounts-delegations": {"task": "accounts.tasks.sync_delegations", "schedule": crontab(minute=1)},
    "accounts-overdue-rotations": {
        "task": "accounts.tasks.flag_overdue_rotations",
        "schedule": crontab(hour=7, minute=30),
    },
    "accounts-recertification-campaign": {
        "task": "accounts.tasks.open_recertification_campaign",
        "schedule": crontab(hour=6, minute=0, day_of_month=1, month_of_year="1,4,7,10"),
    },
    "accounts-recertification-escalation": {
        "task": "accounts.tasks.escalate_recertification",
        "schedule": crontab(hour=9, minute=0),
    },
    "disclosure-deadlines": {
        "task": "disclosure.tasks.remind_disclosure_deadlines",
        "schedule": crontab(hour=8, minute=0),
    },
    "disclosure-calendar": {"task": "disclosure.tasks.check_next_year_calendar", "schedule": crontab(hour=8, minute=5)},
    "reports-tick": {"task": "reports.tasks.reports_tick", "schedule": crontab(hour=1, minute=15)},
    "inspections-tick": {"task": "inspections.tasks.inspection_tick", "schedule": timedelta(minutes=5)},
    "portal-purge-security-events": {
        "task": "portal.tasks.purge_security_events",
        "schedule": crontab(hour=3, minute=10),
    },
}

# Each line is printed once, by the root logger's handler: naming "django" here drops the console handler Django's
# defaults give it, which printed every django.* line a second time in development. The runserver access log keeps
# its own timestamped handler, as in Django's defaults.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # The security audit log goes to syslog when AUDIT_SYSLOG_ADDRESS is set, and nowhere else (portal/audit.py).
        "portal.audit": {
            "handlers": ["audit_syslog"] if AUDIT_SYSLOG_ADDRESS else [],
            "level": "INFO",
            "propagate": False,
        },
    },
}
if AUDIT_SYSLOG_ADDRESS:
    from portal.syslog import handler_config

    LOGGING["formatters"]["rfc5424"] = {"()": "portal.syslog.Rfc5424Formatter"}
    LOGGING["handlers"]["audit_syslog"] = handler_config(AUDIT_SYSLOG_ADDRESS, AUDIT_SYSLOG_FACILITY)

# Pages load only the portal's own files: no inline script, no framing, forms post only back to the portal.
# Styles allow 'unsafe-inline' for the progress bars' computed widths and a few layout style="" attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
CSRF_FAILURE_VIEW = "portal.views.errors.csrf_failure"
if not DEBUG:
    # Secure by default; a plain-HTTP intranet without TLS sets the first three to false (README, "Behind TLS").
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
# Monitors and load balancers probe /healthz over plain HTTP inside the network: it is never redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
