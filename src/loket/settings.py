"""Settings for the Loket. Every value comes from the environment (see .env.example); the defaults are the
embedded development setup: SQLite, local files, mail to the console, development login only with LOKET_DEV=1."""

import json
import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.conf import global_settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("LOKET_VAR_DIR", REPO_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A management command in a checkout with none of the production environment (`manage.py forms validate …`
# straight after cloning) runs with the development defaults, as `make run` does. Production is unaffected: its
# processes are not manage.py (gunicorn imports loket.wsgi), and a manage.py run that has any production variable
# (SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS, DEBUG or LOKET_DEV itself) keeps the strict checks below.
PRODUCTION_VARIABLES = ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "DEBUG", "LOKET_DEV")
IS_MANAGE_PY = Path(sys.argv[0]).name == "manage.py" if sys.argv else False
DEV = env_bool("LOKET_DEV", IS_MANAGE_PY and not any(name in os.environ for name in PRODUCTION_VARIABLES))
TESTING = env_bool("LOKET_TESTING") or "pytest" in sys.modules
DEBUG = env_bool("DEBUG", DEV)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-local-use"  # noqa: S105 - never used with DEBUG off
# Replacing SECRET_KEY (docs/operations.md, "Rotating the signing key"): the old one here, comma-separated, keeps
# signed-in sessions and a vendor's encrypted credentials readable until they end; then drop it.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "loket.core.views.csrf_failure"  # the 400 page's words, not Django's English technical page

INSTALLED_APPS = [
    "loket.core.third_party_apps.LoketAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "loket.core.third_party_apps.TasksConfig",
    "django_otp",  # the back office's second factor (accounts/second_factor.py)
    "loket.core.third_party_apps.TOTPConfig",
    "loket.core",
    "loket.organisations",
    "loket.persons",
    "loket.accounts",
    "loket.supervision",
    "loket.messaging",
    "loket.officials",
    "loket.vendors",
    "loket.worship",
    "loket.mandates",
    "loket.reports",
    "loket.personnel",
    "loket.subsidies",
    "loket.forms",
    "loket.opendata",  # last: it reads every module's linked-data mappings
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "loket.core.security.LoketCSPMiddleware",  # django-csp; see core/security.py
    "loket.core.middleware.NulRefusalMiddleware",  # %00 in an address: 400 before any view or database
    "django.contrib.sessions.middleware.SessionMiddleware",
    "loket.core.middleware.DutchByDefaultLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "loket.accounts.middleware.AuthenticationMiddleware",  # Django's, the user read by one statement
    "loket.core.middleware.PrivateNoStoreMiddleware",  # personal pages never cached (ASVS 8.1.1)
    "loket.core.middleware.JsonAttachmentMiddleware",  # JSON answers never rendered as a page (ASVS 14.4.2)
    "loket.core.middleware.UploaderMiddleware",  # names the uploader in the virus scanner's audit event
    "django.contrib.messages.middleware.MessageMiddleware",
    "loket.accounts.middleware.CurrentOrganisationMiddleware",  # after messages: it may tell why access ended
    "loket.accounts.middleware.PasswordChangeRequiredMiddleware",  # a password failing the policy: change it first
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "loket.opendata.tombstones.TombstoneMiddleware",  # a deleted public resource: 410 with its tombstone
]

ROOT_URLCONF = "loket.urls"
WSGI_APPLICATION = "loket.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
# Only the back office has passwords (everyone else logs in at the government's identity provider): at least 12
# characters, not a common one, not like the user's name, not only digits (ASVS 2.1.1, 2.1.7;
# checked again at every sign-in: accounts/password_policy.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Stored with a pepper derived from LOKET_PERSON_NUMBER_KEYS (accounts/passwords.py, ASVS 2.4.5), Django's PBKDF2 with
# its work factor underneath. Django's own hashers follow: a password stored before the pepper still verifies, and is
# hashed again with the pepper at the next sign-in.
PASSWORD_HASHERS = ["loket.accounts.passwords.PepperedPBKDF2PasswordHasher", *global_settings.PASSWORD_HASHERS]
LOGIN_REDIRECT_URL = "accounts:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "loket.accounts.context_processors.current_organisation",
                "csp.context_processors.nonce",  # CSP_NONCE: every <script src> carries it
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'loket.sqlite3'}"
# Persistent connections are checked before a request reuses them: after a database restart (crash, failover)
# the first request of every server process would otherwise fail on its dead connection with a 500
# (tests/faults/pg_kill.py).
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a database file, not Django's shared in-memory one: concurrent requests (the races the tests
    # prove) then meet SQLite's real locking and busy timeout instead of "table is locked" errors.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-loket-{os.getpid()}.sqlite3")}
else:
    # psycopg may keep prepared statements on a connection: only core.statements' hot reads ask for it (the ORM's
    # client-side cursors never prepare), which PostgreSQL then parses once per connection and plans once after
    # five runs (bench/README.md, "Which statements PostgreSQL spends its CPU on"). Django turns this off by default
    # for transaction-pooling PgBouncers, which this deployment does not use.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if not os.environ.get("REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("LOKET_TASKS_BACKEND", "loket.core.taskqueue.FairDatabaseBackend"),
        "QUEUES": ["default"],
    }
}

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("LOKET_MEDIA_ROOT", VAR_DIR / "media"))
# Files: a local directory by default; any S3-compatible object store when LOKET_S3_BUCKET is set.
if os.environ.get("LOKET_S3_BUCKET"):
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["LOKET_S3_BUCKET"],
            "endpoint_url": os.environ.get("LOKET_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("LOKET_S3_REGION") or None,
            "access_key": os.environ.get("LOKET_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("LOKET_S3_SECRET_ACCESS_KEY") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# Mail: console in development, SMTP when EMAIL_HOST is given.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")  # STARTTLS (port 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")  # TLS from the start (port 465)
EMAIL_TIMEOUT = 10
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)

# Connections to other machines are encrypted (ASVS 1.9.1, 1.9.2, 9.2.2): outside development, a PostgreSQL server
# that is not on this machine (loopback or a Unix socket) needs TLS with its certificate checked (`?sslmode=verify-full`
# or `verify-ca` in DATABASE_URL), and an SMTP server elsewhere needs EMAIL_USE_TLS or EMAIL_USE_SSL; otherwise the
# Loket does not start. LOKET_PLAINTEXT_ALLOWED=database,smtp lifts this for a network that is encrypted beneath the
# application (IPsec, WireGuard): write that down in the deployment's notes.
LOKET_PLAINTEXT_ALLOWED = set(env_list("LOKET_PLAINTEXT_ALLOWED"))


def _on_this_machine(host: str) -> bool:
    return not host or host.startswith("/") or host in {"localhost", "::1"} or host.startswith("127.")


if not DEBUG and not TESTING:
    _database = DATABASES["default"]
    _sslmode = _database.get("OPTIONS", {}).get("sslmode", "")
    if (
        _database["ENGINE"] != "django.db.backends.sqlite3"
        and not _on_this_machine(str(_database.get("HOST") or ""))
        and _sslmode not in {"verify-full", "verify-ca"}
        and "database" not in LOKET_PLAINTEXT_ALLOWED
    ):
        raise ImproperlyConfigured(
            f"The database server {_database.get('HOST')} is on another machine and the connection is not verified "
            f"TLS (sslmode={_sslmode or 'not set'}): add ?sslmode=verify-full to DATABASE_URL (with the server's CA in "
            "~/.postgresql/root.crt or sslrootcert=...), or set LOKET_PLAINTEXT_ALLOWED=database for a network that "
            "is encrypted beneath the application."
        )
    if (
        EMAIL_HOST
        and not _on_this_machine(EMAIL_HOST)
        and not (EMAIL_USE_TLS or EMAIL_USE_SSL)
        and "smtp" not in LOKET_PLAINTEXT_ALLOWED
    ):
        raise ImproperlyConfigured(
            f"The mail server {EMAIL_HOST} is on another machine and mail would go unencrypted: set EMAIL_USE_TLS=1 "
            "(STARTTLS, port 587) or EMAIL_USE_SSL=1 (port 465), or LOKET_PLAINTEXT_ALLOWED=smtp for a network that "
            "is encrypted beneath the application."
        )
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Loket voor Lokale Besturen <noreply@loket.invalid>")

# Security. Development (DEBUG) runs on plain http on loopback; everything else is https only.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG and not TESTING
CSRF_COOKIE_SECURE = not DEBUG and not TESTING
if SESSION_COOKIE_SECURE:
    # `__Host-`: the browser takes the cookie only over HTTPS, for this host alone (no Domain), for the whole site —
    # a sibling subdomain cannot plant or overwrite it (ASVS 3.4.4). Development and tests run over http, where a
    # browser refuses such cookies, so they keep Django's names.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("LOKET_BEHIND_PROXY") else None
# How many reverse proxies append to X-Forwarded-For in front of the app servers (core/throttle.py `client_ip`);
# behind a proxy the default is one, otherwise none (the header is then ignored: anyone can send it).
# How many refused pages (403) per user (or address) a minute go into the audit trail; more only into the log.
LOKET_DENIAL_AUDIT_LIMIT = int(os.environ.get("LOKET_DENIAL_AUDIT_LIMIT", "30"))
# Security alerts (core/alerts.py): a client over any rate limit is mailed to these addresses (comma-separated; empty:
# only the log and the audit trail), at most one alert per kind of limit per this many minutes.
LOKET_SECURITY_ALERT_EMAILS = [
    a.strip() for a in os.environ.get("LOKET_SECURITY_ALERT_EMAILS", "").split(",") if a.strip()
]
LOKET_SECURITY_ALERT_MINUTES = int(os.environ.get("LOKET_SECURITY_ALERT_MINUTES", "15"))
# Person searches (name or national register number) one user may make an hour (persons.search); the first beyond it
# raises a security alert.
LOKET_PERSON_SEARCH_LIMIT = int(os.environ.get("LOKET_PERSON_SEARCH_LIMIT", "200"))
# National register numbers are stored as a keyed hash (exact lookup, uniqueness) and sealed (Fernet) under these
# secrets (persons/number_protection.py): the first is current, the others are old keys still read until
# `manage.py person_numbers_rekey` has moved every row to the current one. Without the setting, SECRET_KEY (a
# deployment check warns: docs/operations.md "Rijksregisternummers: sleutels en rotatie").
LOKET_PERSON_NUMBER_KEYS = env_list("LOKET_PERSON_NUMBER_KEYS") or [SECRET_KEY]
# A timestamp authority's time more than this many seconds outside our clock's readings around the request raises
# an alert (core.timestamping, core.alerts.clock_alert; ASVS 7.3.4): the host's NTP or the TSA is off.
LOKET_CLOCK_SKEW_SECONDS = float(os.environ.get("LOKET_CLOCK_SKEW_SECONDS", "5"))
LOKET_TRUSTED_PROXY_HOPS = int(
    os.environ.get("LOKET_TRUSTED_PROXY_HOPS", "1" if env_bool("LOKET_BEHIND_PROXY") else "0")
)
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading commits the whole domain to HTTPS in browsers for good: the domain owner decides, not the code.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"  # Django's default, stated: tests/core/test_security_headers.py
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = 8 * 3600
# Django's database sessions, read with one statement of our own (every signed-in request reads its session).
SESSION_ENGINE = "loket.accounts.session_store"
# "Mijn sessies" (accounts/sessions.py) names every sign-in's session with time, method, browser and client address.
# The page lists live sessions only; the row of a session that expired (signing out or ending it deletes the row)
# serves only as the record of where that sign-in came from, should the account be suspected of misuse (an ACM/IDM
# sign-in's audit event holds no address). Kept as long as security logs are to be at hand (CIS Controls v8, 8.10:
# at least 90 days) and no longer: the worker deletes it daily once it is this many days past the sign-in and its
# session has ended; a live session's row never (accounts/tasks.py, ASVS 8.3.8).
LOKET_SIGNED_IN_SESSION_RETENTION_DAYS = int(os.environ.get("LOKET_SIGNED_IN_SESSION_RETENTION_DAYS", "90"))
# Retention of the rest (core/retention.py, docs/security/retention.md; daily, by the worker; 0 = kept, the purge off).
# Finished task rows: history only, but an e-mail task holds recipients, subject and body. Failed ones stay longer,
# for whoever is reading the traceback.
LOKET_TASK_RETENTION_DAYS = int(os.environ.get("LOKET_TASK_RETENTION_DAYS", "30"))
LOKET_FAILED_TASK_RETENTION_DAYS = int(os.environ.get("LOKET_FAILED_TASK_RETENTION_DAYS", "90"))
# Client addresses and typed user names in the audit trail: as long as the "Mijn sessies" rows (security logs at
# hand, CIS Controls 8.10), then pseudonymised (the network stays); the events themselves are kept.
LOKET_AUDIT_ADDRESS_RETENTION_DAYS = int(os.environ.get("LOKET_AUDIT_ADDRESS_RETENTION_DAYS", "90"))
# A decided access request (name, e-mail, phone, reason) after its decision, an approved one after the membership it
# granted ended; a leaver's e-mail address after their last sign-in and membership: a year, one round of access
# reviews (accounts/retention.py).
LOKET_ACCESS_REQUEST_RETENTION_DAYS = int(os.environ.get("LOKET_ACCESS_REQUEST_RETENTION_DAYS", "365"))
LOKET_FORMER_USER_RETENTION_DAYS = int(os.environ.get("LOKET_FORMER_USER_RETENTION_DAYS", "365"))
# A vendor's ended job (its page's address, error texts, the stored copy of the page and attachments): what a vendor
# asks about a melding it sent, in the minutes to weeks after; not while the concept it made still exists
# (vendors/retention.py).
LOKET_VENDOR_JOB_RETENTION_DAYS = int(os.environ.get("LOKET_VENDOR_JOB_RETENTION_DAYS", "90"))
# A person (names, sealed national register number, birth date, sex, nationality) no record refers to any more:
# a year after the daily run first found them without a reference, then deleted, with a tombstone when they were
# published (persons/retention.py). Worship board members' and ministers' contact data: a year after their term or
# position ended, then cleared; the row stays (worship/retention.py).
LOKET_PERSON_UNREFERENCED_DAYS = int(os.environ.get("LOKET_PERSON_UNREFERENCED_DAYS", "365"))
LOKET_WORSHIP_CONTACT_RETENTION_DAYS = int(os.environ.get("LOKET_WORSHIP_CONTACT_RETENTION_DAYS", "365"))
# Scripts only with the request's nonce ('strict-dynamic': 'self' is then only a fallback for old browsers); no
# inline script, style attribute or <style> anywhere. The admin's pages and stored files differ: core/security.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE, "'strict-dynamic'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'", *env_list("OIDC_FORM_ACTION_HOSTS")],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# The Loket's own settings.
LOKET_URI_BASE = os.environ.get("LOKET_URI_BASE", "http://data.lblod.info").rstrip("/")
# A folder with the real Loket's own Toezicht form files (`<timestamp>-forms.ttl`): the newest becomes the form
# new concepts use; the built-in versions stay available for the submissions made with them.
LOKET_TOEZICHT_FORMS_DIR = os.environ.get("LOKET_TOEZICHT_FORMS_DIR", "")
LOKET_TOEZICHT_FORM = os.environ.get("LOKET_TOEZICHT_FORM", "")  # pin the form of new concepts (empty: the newest)
# "token": roles come from the identity provider's role claim; "loket": from approved access requests.
LOKET_ROLES_SOURCE = os.environ.get("LOKET_ROLES_SOURCE", "loket")
if LOKET_ROLES_SOURCE not in {"token", "loket"}:
    raise ImproperlyConfigured("LOKET_ROLES_SOURCE must be 'token' or 'loket'.")
# The development login: only when explicitly enabled, and never with DEBUG off (checked again at request time).
LOKET_DEV_LOGIN = env_bool("LOKET_DEV_LOGIN", DEV) and DEBUG
# "Simuleer een bestuur": how long an agency admin may act as a body (accounts/simulation.py).
LOKET_SIMULATION_MINUTES = int(os.environ.get("LOKET_SIMULATION_MINUTES", "60"))
LOKET_HELPDESK_EMAIL = os.environ.get("LOKET_HELPDESK_EMAIL", "LoketLokaalBestuur@vlaanderen.be")
# Where people reach this Loket: the absolute links in mails (a mail has no request to take the host from).
LOKET_SITE_URL = os.environ.get("LOKET_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
LOKET_MAX_UPLOAD_BYTES = int(os.environ.get("LOKET_MAX_UPLOAD_BYTES", str(100 * 1024 * 1024)))
# Storage quota (core/quota.py, ASVS 12.1.3): what may be stored per body, and per user over all the bodies they act
# for, in any LOKET_UPLOAD_QUOTA_HOURS: uploads and the files the worker downloads for a body (Toezicht links, vendor
# imports). Far above real use (tens of files a day per body; a BBC-DR XBRL file up to 1 GB); 0 = no limit.
LOKET_UPLOAD_QUOTA_HOURS = int(os.environ.get("LOKET_UPLOAD_QUOTA_HOURS", "24"))
LOKET_UPLOAD_QUOTA_BYTES = int(os.environ.get("LOKET_UPLOAD_QUOTA_BYTES", str(5 * 1024**3)))
LOKET_UPLOAD_QUOTA_FILES = int(os.environ.get("LOKET_UPLOAD_QUOTA_FILES", "2000"))
LOKET_UPLOAD_QUOTA_USER_BYTES = int(os.environ.get("LOKET_UPLOAD_QUOTA_USER_BYTES", str(LOKET_UPLOAD_QUOTA_BYTES)))
LOKET_UPLOAD_QUOTA_USER_FILES = int(os.environ.get("LOKET_UPLOAD_QUOTA_USER_FILES", str(LOKET_UPLOAD_QUOTA_FILES)))
# Virus scanning (core/virusscan.py, docs/security/virus-scanning.md): clamd's unix socket; empty = scanning off
# (the `make run` default). Production: Debian's clamav-daemon with freshclam's databases, e.g.
# LOKET_CLAMD_SOCKET=/run/clamav/clamd.ctl; its StreamMaxLength must be at least the largest upload (1 GB).
LOKET_CLAMD_SOCKET = os.environ.get("LOKET_CLAMD_SOCKET", "")
LOKET_CLAMD_TIMEOUT = float(os.environ.get("LOKET_CLAMD_TIMEOUT", "120"))  # seconds per socket operation
# Berichtencentrum attachments: the real Loket intends at least 1 kB (DL-6240) and allows up to 1 GB.
LOKET_MESSAGE_ATTACHMENT_MIN_BYTES = int(os.environ.get("LOKET_MESSAGE_ATTACHMENT_MIN_BYTES", "1024"))
LOKET_MESSAGE_ATTACHMENT_MAX_BYTES = int(os.environ.get("LOKET_MESSAGE_ATTACHMENT_MAX_BYTES", str(100 * 1024 * 1024)))
LOKET_MESSAGE_TEXT_MAX = int(os.environ.get("LOKET_MESSAGE_TEXT_MAX", "2000"))
# Personeelsbeheer: the classifications (URIs) of the bodies that keep personnel numbers (Provincie, Gemeente, OCMW,
# as the real Loket since 2024-10), and whether confirmed periods are published as open data (off: a small body's
# cell can single out a person).
LOKET_PERSONNEL_CLASSIFICATIONS = [
    "http://data.vlaanderen.be/id/concept/BestuurseenheidClassificatieCode/5ab0e9b8a3b2ca7c5e000000",
    "http://data.vlaanderen.be/id/concept/BestuurseenheidClassificatieCode/5ab0e9b8a3b2ca7c5e000001",
    "http://data.vlaanderen.be/id/concept/BestuurseenheidClassificatieCode/5ab0e9b8a3b2ca7c5e000002",
]
LOKET_PERSONNEL_PUBLISH_CONFIRMED = os.environ.get("LOKET_PERSONNEL_PUBLISH_CONFIRMED", "") == "1"
LOKET_VENDOR_MESSAGE_PAGE_SIZE = 100  # messages per page of the vendors' read API
# The agency's case system: the SHA-256 (hex) of its bearer key; empty = the case-system API is off.
LOKET_CASE_SYSTEM_KEY_SHA256 = os.environ.get("LOKET_CASE_SYSTEM_KEY_SHA256", "")
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Files per post: beyond LOKET_MAX_FILES_PER_POST a page keeps the typed values and says how many fit (the
# upload handler refuses the files); Django's own limit, which loses the whole post with a 400, only far beyond it.
LOKET_MAX_FILES_PER_POST = int(os.environ.get("LOKET_MAX_FILES_PER_POST", "100"))
DATA_UPLOAD_MAX_NUMBER_FILES = max(1000, 10 * LOKET_MAX_FILES_PER_POST)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [  # the first refuses a file too large or of the wrong type while it arrives
    "loket.core.uploads.CheckedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
LOKET_DECISION_UPLOAD_VIEWS = ["supervision:edit"]  # views whose uploads are decisions: type checked while uploading
# BBC-DR (see docs/bbcdr.md): one XML and one XBRL per report, 1 kB to 1 GB each (refused while uploading).
LOKET_BBCDR_MIN_BYTES = int(os.environ.get("LOKET_BBCDR_MIN_BYTES", "1024"))
LOKET_BBCDR_MAX_BYTES = int(os.environ.get("LOKET_BBCDR_MAX_BYTES", str(1024 * 1024 * 1024)))
# Views whose uploads have their own size limit and types (checked while the upload arrives).
LOKET_UPLOAD_VIEW_RULES = {
    view: {"max_bytes": LOKET_BBCDR_MAX_BYTES, "types": ["application/xml"], "label": "XML"}
    for view in ("reports:new", "reports:detail", "reports:file-replace")
}
# Taxonomy packages (zip) for validating XBRL offline; without the taxonomy of an instance: a warning, or an error
# with LOKET_BBCDR_REQUIRE_TAXONOMY=true. XSDs for the XML file by namespace: JSON {"namespace": "/path.xsd"}.
LOKET_BBCDR_TAXONOMY_DIR = os.environ.get(
    "LOKET_BBCDR_TAXONOMY_DIR", str(BASE_DIR / "reports" / "sample_taxonomy") if DEV else ""
)
LOKET_BBCDR_REQUIRE_TAXONOMY = env_bool("LOKET_BBCDR_REQUIRE_TAXONOMY", False)
LOKET_BBCDR_XSD = json.loads(os.environ.get("LOKET_BBCDR_XSD", "{}") or "{}")
LOKET_BBCDR_ARELLE_TIMEOUT = int(os.environ.get("LOKET_BBCDR_ARELLE_TIMEOUT", "600"))
# Where packages go: sftp://user@host:port/dir (host key pinned in LOKET_BBCDR_SFTP_KNOWN_HOSTS; key file or
# password) or s3://bucket/prefix (LOKET_BBCDR_S3_ENDPOINT_URL for an S3-compatible store).
LOKET_BBCDR_TARGET = os.environ.get("LOKET_BBCDR_TARGET", f"file://{VAR_DIR / 'mft'}" if DEV else "")
LOKET_BBCDR_SFTP_KNOWN_HOSTS = os.environ.get("LOKET_BBCDR_SFTP_KNOWN_HOSTS", "")
LOKET_BBCDR_SFTP_KEY_FILE = os.environ.get("LOKET_BBCDR_SFTP_KEY_FILE", "")
LOKET_BBCDR_SFTP_PASSWORD = os.environ.get("LOKET_BBCDR_SFTP_PASSWORD", "")
LOKET_BBCDR_S3_ENDPOINT_URL = os.environ.get("LOKET_BBCDR_S3_ENDPOINT_URL", "")
LOKET_BBCDR_S3_ACCESS_KEY_ID = os.environ.get("LOKET_BBCDR_S3_ACCESS_KEY_ID", "")
LOKET_BBCDR_S3_SECRET_ACCESS_KEY = os.environ.get("LOKET_BBCDR_S3_SECRET_ACCESS_KEY", "")
LOKET_BBCDR_S3_REGION = os.environ.get("LOKET_BBCDR_S3_REGION", "")
# Open data (docs/open-data.md): the embedded SPARQL store, or an external SPARQL 1.1 store; limits of /sparql.
LOKET_SPARQL_STORE_DIR = os.environ.get("LOKET_SPARQL_STORE_DIR", str(VAR_DIR / "sparql"))
LOKET_SPARQL_QUERY_URL = os.environ.get("LOKET_SPARQL_QUERY_URL", "")
LOKET_SPARQL_UPDATE_URL = os.environ.get("LOKET_SPARQL_UPDATE_URL", "")
LOKET_SPARQL_TIMEOUT = float(os.environ.get("LOKET_SPARQL_TIMEOUT", "30"))
LOKET_SPARQL_MAX_ROWS = int(os.environ.get("LOKET_SPARQL_MAX_ROWS", "100000"))
# Memory one query may take beyond what its query process held at the start (opendata/sparql.py, _limit_memory): the
# benchmark's heaviest result (56,665 rows as JSON) peaked at about 380 MB in all. 0: no limit.
LOKET_SPARQL_MAX_MEMORY_MB = int(os.environ.get("LOKET_SPARQL_MAX_MEMORY_MB", "1024"))
LOKET_SPARQL_RATE_LIMIT = int(os.environ.get("LOKET_SPARQL_RATE_LIMIT", "60"))  # queries per client per minute
# Answers kept per server process for a query asked again while the store has not changed (opendata/sparql.py,
# _ResultCache): least recently used go first beyond this many MB; an answer over a quarter of it is not kept. 0: off.
LOKET_SPARQL_RESULT_CACHE_MB = int(os.environ.get("LOKET_SPARQL_RESULT_CACHE_MB", "64"))
# The embedded store is compacted (pyoxigraph's Store.optimize) after a rebuild and, while syncs keep writing to it, at
# most once per this many seconds: each sync opens the store, writes and closes it, which leaves new files that
# RocksDB never gets the time to merge, and queries read all of them (docs/open-data.md, "Compaction"). 0: never.
LOKET_SPARQL_COMPACT_INTERVAL = int(os.environ.get("LOKET_SPARQL_COMPACT_INTERVAL", "600"))
LOKET_LDES_PAGE_SIZE = int(os.environ.get("LOKET_LDES_PAGE_SIZE", "250"))
# Retention of the stream (ldes:retentionPolicy): every version this many days, the latest one of each member always;
# the worker prunes what falls outside every this many seconds.
LOKET_LDES_RETENTION_DAYS = int(os.environ.get("LOKET_LDES_RETENTION_DAYS", "365"))
LOKET_LDES_PRUNE_INTERVAL = int(os.environ.get("LOKET_LDES_PRUNE_INTERVAL", "3600"))
# Changes are taken by the store and the stream once this old: a transaction that commits late is not skipped.
LOKET_OPENDATA_SETTLE_SECONDS = int(os.environ.get("LOKET_OPENDATA_SETTLE_SECONDS", "10"))
LOKET_OPENDATA_DUMP_DELAY = int(os.environ.get("LOKET_OPENDATA_DUMP_DELAY", "120"))  # s after a change; opendata/tasks
LOKET_OPENDATA_LICENSE = os.environ.get(
    "LOKET_OPENDATA_LICENSE", "https://data.vlaanderen.be/id/licentie/modellicentie-gratis-hergebruik/v1.0"
)
LOKET_BBCDR_MAX_ATTEMPTS = int(os.environ.get("LOKET_BBCDR_MAX_ATTEMPTS", "12"))  # then "Definitief mislukt"
LOKET_FETCH_TIMEOUT = float(os.environ.get("LOKET_FETCH_TIMEOUT", "20"))
# Secure sending: the server's Ed25519 key (a development key is generated on first use when DEBUG is on),
# and an optional RFC 3161 timestamp authority.
LOKET_SIGNING_KEY_FILE = Path(os.environ.get("LOKET_SIGNING_KEY_FILE", VAR_DIR / "keys" / "ledger-ed25519.pem"))
LOKET_TSA_URL = os.environ.get("LOKET_TSA_URL", "") or None
LOKET_TSA_CA_FILE = os.environ.get("LOKET_TSA_CA_FILE", "") or None
LOKET_LOGIN_THROTTLE = int(os.environ.get("LOKET_LOGIN_THROTTLE", "20"))  # login attempts per IP per 5 minutes
# The back office's password login asks a code of an authenticator app next (accounts/second_factor.py): how long
# the accepted password waits for it, and how many wrong codes send the person back to the password.
LOKET_SECOND_FACTOR_SECONDS = int(os.environ.get("LOKET_SECOND_FACTOR_SECONDS", "300"))
LOKET_SECOND_FACTOR_TRIES = int(os.environ.get("LOKET_SECOND_FACTOR_TRIES", "5"))
# Rights changes, simulation and reopening need a sign-in (or a confirmation) at most this many minutes old
# (core.access.recent_sign_in_required, accounts/step_up.py).
LOKET_STEP_UP_MINUTES = int(os.environ.get("LOKET_STEP_UP_MINUTES", "15"))
if LOKET_STEP_UP_MINUTES < 1:  # 0 would send every confirmation straight back to confirming again
    raise ImproperlyConfigured("LOKET_STEP_UP_MINUTES must be at least 1 (minutes a sign-in counts as recent).")
OTP_TOTP_ISSUER = "Loket voor Lokale Besturen"
OTP_TOTP_THROTTLE_FACTOR = 1  # django-otp's back-off after a wrong code: 1, 2, 4, 8 ... seconds
LOKET_ALLOW_PRIVATE_FETCH = env_list("LOKET_ALLOW_PRIVATE_FETCH")  # internal addresses/networks fetch() may reach

# OpenID Connect (ACM/IDM or any provider).
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "")
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_SCOPE = os.environ.get("OIDC_SCOPE", "openid profile vo abb_loketLB")
OIDC_ORG_CLAIM = os.environ.get("OIDC_ORG_CLAIM", "vo_orgcode")
OIDC_ROLE_CLAIM = os.environ.get("OIDC_ROLE_CLAIM", "abb_loketLB_rol_3d")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Backups (`manage.py backup`, `manage.py restore`, `make restore-drill`): one directory per backup under this one.
LOKET_BACKUP_DIR = Path(os.environ.get("LOKET_BACKUP_DIR", VAR_DIR / "backups"))
# Retention of backups (ASVS 8.3.8; docs/security/retention.md): after each new backup, `manage.py backup` deletes the
# whole backups older than this many days (0: keeps every one), but never the newest LOKET_BACKUP_KEEP_AT_LEAST.
LOKET_BACKUP_RETENTION_DAYS = int(os.environ.get("LOKET_BACKUP_RETENTION_DAYS", "35"))
LOKET_BACKUP_KEEP_AT_LEAST = int(os.environ.get("LOKET_BACKUP_KEEP_AT_LEAST", "7"))
# PostgreSQL's client programs (pg_dump, pg_restore); empty: found on PATH, else the newest /usr/lib/postgresql/*/bin.
LOKET_PG_BIN = os.environ.get("LOKET_PG_BIN", "")

# A task a worker claimed and has not finished after this many seconds counts as abandoned (its worker was killed):
# `manage.py worker` puts such work back on the queue at start and every half lease while it runs. Keep it above the
# longest task (fetch()'s whole-transfer bound is 10 × LOKET_FETCH_TIMEOUT = 200 s by default).
LOKET_TASK_LEASE = int(os.environ.get("LOKET_TASK_LEASE", "300"))
# Task loops in one `manage.py worker` process (core.workerthreads; `--threads` overrides): a task mostly waits for
# PostgreSQL's round trips, so several loops share one process. 1 on SQLite (one writer at a time: concurrent writers
# only wait for each other, up to the busy timeout).
LOKET_WORKER_THREADS = int(
    os.environ.get(
        "LOKET_WORKER_THREADS", "1" if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else "3"
    )
)
# The cyclic garbage collector's thresholds in the long-running processes (gunicorn's workers, `manage.py worker`):
# core.runtime, which also freezes what is loaded. Three whole numbers, the first above 0: gc.set_threshold's.
try:
    LOKET_GC_THRESHOLDS = tuple(int(part) for part in os.environ.get("LOKET_GC_THRESHOLDS", "10000,10,10").split(","))
except ValueError:
    LOKET_GC_THRESHOLDS = ()
if len(LOKET_GC_THRESHOLDS) != 3 or LOKET_GC_THRESHOLDS[0] < 1 or min(LOKET_GC_THRESHOLDS) < 0:
    raise ImproperlyConfigured(
        f"LOKET_GC_THRESHOLDS must be three whole numbers such as 10000,10,10, the first above 0; "
        f"got {os.environ.get('LOKET_GC_THRESHOLDS')!r}."
    )
