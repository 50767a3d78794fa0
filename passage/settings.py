"""Settings for Passage, read from the environment through typed helpers.

Embedded defaults: SQLite and generated secrets under PASSAGE_HOME (default ./var).
Production: DATABASE_URL for PostgreSQL, PASSAGE_SECRET_KEY(_FILE), PASSAGE_ALLOWED_HOSTS.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

from passage.env import env_bool, env_int, env_list, env_str, generated_secret, passage_home

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
PASSAGE_HOME = passage_home()

DEBUG = env_bool("PASSAGE_DEBUG", False)
SECRET_KEY = env_str("PASSAGE_SECRET_KEY") or generated_secret(PASSAGE_HOME / "secret-key")
ALLOWED_HOSTS = env_list("PASSAGE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("PASSAGE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    # Our apps come before allauth so that their templates (the log-in page) take precedence.
    "passage",
    "accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "audit",
    "vault",
    "registry",
    "protection",
    "consent",
    "tracing",
    "correspondence",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vault.middleware.DataKeyScopeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.SecondFactorGateMiddleware",
    "passage.middleware.ErasedCasePageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "passage.urls"
WSGI_APPLICATION = "passage.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "passage" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.membership",
            ],
        },
    },
]

_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=env_int("PASSAGE_DB_CONN_MAX_AGE", 0))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(PASSAGE_HOME / "passage.sqlite3"),
            # Writers queue for the lock instead of failing half-way (BEGIN IMMEDIATE + busy timeout).
            "OPTIONS": {
                # secure_delete: freed pages are zeroed, so a destroyed data key leaves no copy in the file.
                "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;"),
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
            },
            # Tests use a file too, so that they see the same locking as a real installation.
            "TEST": {"NAME": str(PASSAGE_HOME / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The vault: master keys come from a key file outside the database (or a key service).
PASSAGE_KEY_FILE = env_str("PASSAGE_KEY_FILE") or str(PASSAGE_HOME / "master-keys.json")
PASSAGE_KEY_PROVIDER = env_str("PASSAGE_KEY_PROVIDER", "vault.keys.FileKeyProvider")
PASSAGE_ERASURE_LIST = env_str("PASSAGE_ERASURE_LIST") or str(PASSAGE_HOME / "erasures.jsonl")
# Blind indexes are truncated so that each value is shared by several people at this population.
PASSAGE_VAULT_EXPECTED_POPULATION = env_int("PASSAGE_VAULT_EXPECTED_POPULATION", 100_000)
PASSAGE_VAULT_INDEX_BITS = env_int("PASSAGE_VAULT_INDEX_BITS", 0)  # 0: derived from the population
PASSAGE_VAULT_CIPHER = env_str("PASSAGE_VAULT_CIPHER", "aes-256-gcm")  # "identity" only in benchmarks
PASSAGE_BENCHMARK_MODE = env_bool("PASSAGE_BENCHMARK_MODE", False)
PASSAGE_SEARCH_CANDIDATE_LIMIT = env_int("PASSAGE_SEARCH_CANDIDATE_LIMIT", 5000)
# The audit log: partitioned hash chains, checkpoints signed with a key kept outside the database.
PASSAGE_AUDIT_PARTITIONS = env_int("PASSAGE_AUDIT_PARTITIONS", 16)
PASSAGE_AUDIT_ENABLED = env_bool("PASSAGE_AUDIT_ENABLED", True)  # false only in benchmark runs
PASSAGE_AUDIT_SIGNING_KEY = env_str("PASSAGE_AUDIT_SIGNING_KEY") or str(PASSAGE_HOME / "audit-signing-key.pem")
PASSAGE_AUDIT_KEY_NAME = env_str("PASSAGE_AUDIT_KEY_NAME", "passage-audit")
PASSAGE_AUDIT_CHECKPOINT_DIR = env_str("PASSAGE_AUDIT_CHECKPOINT_DIR") or str(PASSAGE_HOME / "checkpoints")
PASSAGE_AUDIT_CHECKPOINT_INTERVAL_S = env_int("PASSAGE_AUDIT_CHECKPOINT_INTERVAL_S", 3600)
# Test databases are emptied between tests (DELETE on SQLite, TRUNCATE on PostgreSQL); the tests set
# this and install the full set of append-only triggers themselves where they test them.
PASSAGE_AUDIT_FLUSHABLE_FOR_TESTS = False
# Functions adding normalised name forms to blind indexes and queries (the matching package's readings).
PASSAGE_NAME_FORMS = env_list("PASSAGE_NAME_FORMS", [])

# The protection lifecycle (PROCESS.md): every number is configuration with the process's default.
PASSAGE_WISH_MIN_INTERVIEWS = env_int("PASSAGE_WISH_MIN_INTERVIEWS", 2)
PASSAGE_WISH_MIN_NEUTRAL_INTERVIEWS = env_int("PASSAGE_WISH_MIN_NEUTRAL_INTERVIEWS", 1)
PASSAGE_WISH_MIN_DAYS_APART = env_int("PASSAGE_WISH_MIN_DAYS_APART", 7)
PASSAGE_CAPTURE_CARD_DAYS = env_int("PASSAGE_CAPTURE_CARD_DAYS", 7)
PASSAGE_HEALTH_REPORT_DAYS = env_int("PASSAGE_HEALTH_REPORT_DAYS", 7)
PASSAGE_NOTIFICATION_FORWARD_DAYS = env_int("PASSAGE_NOTIFICATION_FORWARD_DAYS", 1)
PASSAGE_LATE_APPLICATION_DAYS = env_int("PASSAGE_LATE_APPLICATION_DAYS", 365)
PASSAGE_RESIDENCE_PROTECTION_WARNING_DAYS = env_int("PASSAGE_RESIDENCE_PROTECTION_WARNING_DAYS", 90)
# A JSON file of receiving-state pathways adding to or replacing the built-in ones (docs/lifecycle.md).
PASSAGE_PATHWAYS_FILE = env_str("PASSAGE_PATHWAYS_FILE")
PASSAGE_ALERTS_INTERVAL_S = env_int("PASSAGE_ALERTS_INTERVAL_S", 3600)  # the server's alert task; 0: off

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# Sessions: short idle timeout, renewed on every request, never readable by scripts.
SESSION_COOKIE_AGE = env_int("PASSAGE_SESSION_IDLE_S", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("PASSAGE_SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# allauth: e-mail login, no self sign-up, a second factor for everyone.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "accounts.adapters.PassageAccountAdapter"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_ADAPTER = "accounts.adapters.PassageMFAAdapter"
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "Passage"
MFA_TOTP_TOLERANCE = 1
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env_bool("PASSAGE_WEBAUTHN_ALLOW_INSECURE_ORIGIN", DEBUG)

# django-axes: lock an account after repeated failures.
AXES_FAILURE_LIMIT = env_int("PASSAGE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("PASSAGE_LOGIN_COOLOFF_H", 1)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "accounts.lockout.login_name"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Lockout is per account, as required; locking by IP too would shut out a whole office behind one address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "passage"}}
_redis_url = env_str("PASSAGE_REDIS_URL")
if _redis_url:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ko", _("Korean"))]
LOCALE_PATHS = [BASE_DIR / "passage" / "locale"]
TIME_ZONE = env_str("PASSAGE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = PASSAGE_HOME / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PASSAGE_IMPORT_MAX_BYTES = env_int("PASSAGE_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
PASSAGE_IMPORT_INLINE_ROWS = env_int("PASSAGE_IMPORT_INLINE_ROWS", 100)  # more rows: a background job
# Correspondence (GC III Arts. 70-71): attachments are checked by content and stored encrypted.
PASSAGE_ATTACHMENT_MAX_BYTES = env_int("PASSAGE_ATTACHMENT_MAX_BYTES", 25 * 1024 * 1024)
PASSAGE_MAIL_MINIMUM_LETTERS = env_int("PASSAGE_MAIL_MINIMUM_LETTERS", 2)  # a month, capture cards excluded
PASSAGE_MAIL_MINIMUM_CARDS = env_int("PASSAGE_MAIL_MINIMUM_CARDS", 4)
# The disclosure check (consent.disclosure): how long a text may be, in characters.
PASSAGE_DISCLOSURE_MAX_CHARS = env_int("PASSAGE_DISCLOSURE_MAX_CHARS", 400_000)
# After a revocation, the recipients of texts already released are asked to take them down by then.
PASSAGE_TAKEDOWN_DAYS = env_int("PASSAGE_TAKEDOWN_DAYS", 7)
# Long work (web imports) runs in a thread of the server process; tests run it inline.
PASSAGE_TASKS_INLINE = env_bool("PASSAGE_TASKS_INLINE", False)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "accounts.api_auth.SecondFactorSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "passage.problems.problem_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# API tokens (django-rest-knox): only a hash is stored; each token expires.
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_TTL": dt.timedelta(days=env_int("PASSAGE_API_TOKEN_TTL_DAYS", 90)),
    "AUTO_REFRESH": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Passage API",
    "DESCRIPTION": "Cases, persons and custody. Errors are RFC 9457 problem details.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a `kind`: name each choice set after what it is.
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "protection.stages.Stage.choices",
        "InterviewKindEnum": "passage.schema_enums.INTERVIEW_KINDS",
        "EventKindEnum": "passage.schema_enums.EVENT_KINDS",
        "ExtensionKindEnum": "passage.schema_enums.EXTENSION_KINDS",
        "AlertKindEnum": "passage.schema_enums.ALERT_KINDS",
        "CustodyKindEnum": "passage.schema_enums.CUSTODY_KINDS",
        "AliasKindEnum": "passage.schema_enums.ALIAS_KINDS",
        "DuplicateStatusEnum": "passage.schema_enums.DUPLICATE_STATUSES",
        "DuplicateSourceEnum": "passage.schema_enums.DUPLICATE_SOURCES",
        "TransferStatusEnum": "passage.schema_enums.TRANSFER_STATUSES",
        "ReleaseKindEnum": "passage.schema_enums.RELEASE_KINDS",
        "ReleaseStatusEnum": "passage.schema_enums.RELEASE_STATUSES",
        "ReleaseCancelReasonEnum": "passage.schema_enums.RELEASE_CANCEL_REASONS",
        "MediaRequestStatusEnum": "passage.schema_enums.MEDIA_REQUEST_STATUSES",
        "MediaRequestCancelReasonEnum": "passage.schema_enums.MEDIA_REQUEST_CANCEL_REASONS",
        "TakedownStatusEnum": "passage.schema_enums.TAKEDOWN_STATUSES",
        "FindingKindEnum": "passage.schema_enums.FINDING_KINDS",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env_str("PASSAGE_LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs can carry search terms in query strings; keep them out.
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # A template variable that does not resolve is logged at DEBUG with the whole context (the text
        # of a letter, a release, a name): never, whatever the level asked for.
        "django.template": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # The disclosure check's libraries: their start-up notes are noise; warnings still show.
        "presidio-analyzer": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "presidio-anonymizer": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
