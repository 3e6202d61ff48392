"""Django settings, read from the environment through strict helpers (``inodli.edc.env``).

Embedded default: one SQLite file in the working directory (``inodli.sqlite3``), DEBUG off
unless asked. Production: ``DATABASE_URL=postgres://...``, ``INODLI_SECRET_KEY`` and
``INODLI_ALLOWED_HOSTS`` from the environment, ``INODLI_PRODUCTION=1``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from inodli.edc.env import env_bool, env_list, env_str, parse_database_url

BASE_DIR = Path(__file__).resolve().parent

PRODUCTION = env_bool("INODLI_PRODUCTION", default=False)
DEBUG = env_bool("INODLI_DEBUG", default=False)

if PRODUCTION:
    SECRET_KEY = env_str("INODLI_SECRET_KEY")
    ALLOWED_HOSTS = env_list("INODLI_ALLOWED_HOSTS", default=[])
else:
    # A development key: never used when INODLI_PRODUCTION is set.
    SECRET_KEY = env_str("INODLI_SECRET_KEY", default="inodli-development-only-not-secret")
    ALLOWED_HOSTS = env_list(
        "INODLI_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"]
    )

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",  # its zh-Hans catalogue for the API's own messages
    "inodli.edc.core",
    "inodli.edc.subjects",
    "inodli.edc.visits",
    "inodli.edc.treatment",
    "inodli.edc.assessments",
    "inodli.edc.safety",
    "inodli.edc.analysis",
    "inodli.edc.governance",
    "inodli.edc.accounts",
    "inodli.edc.api",  # no models; listed for its message catalogue
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "inodli.edc.accounts.security.IdleTimeoutMiddleware",
    "inodli.edc.accounts.middleware.PasswordChangeRequiredMiddleware",
    "inodli.edc.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "inodli.edc.urls"

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
                "inodli.edc.core.context.study",
            ],
        },
    },
]

WSGI_APPLICATION = "inodli.edc.wsgi.application"

DATABASES = {
    "default": parse_database_url(env_str("DATABASE_URL", default="sqlite:///inodli.sqlite3")),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests use a real file (one per process), not Django's shared-cache in-memory database,
    # whose table locks ignore the busy timeout: concurrency tests then see what users see.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"inodli-test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("INODLI_TIME_ZONE", default="Asia/Shanghai")
USE_TZ = True  # stored in UTC

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("INODLI_STATIC_ROOT", default=str(Path.cwd() / "staticfiles")))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = 8 * 60 * 60  # one ward shift
# Sessions live in the database (revocable, shared by every worker) with a per-process cache
# in front, so most requests read no session row.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Sign-in security (issue 6, inodli.edc.accounts): PBKDF2 hashing (Django's default; argon2-cffi
# is not a dependency), a password policy, lockout after repeated failures, an idle timeout.
AUTHENTICATION_BACKENDS = ["inodli.edc.accounts.security.LockoutBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
] + [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    }
]
if PRODUCTION:  # HTTPS only: `manage.py check --deploy` is clean with these
    SECURE_SSL_REDIRECT = env_bool("INODLI_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("INODLI_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The JSON API (inodli.edc.api): OpenAPI 3 through drf-spectacular.
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
SPECTACULAR_SETTINGS = {"TITLE": "inodli EDC API", "VERSION": "1", "SERVE_INCLUDE_SCHEMA": False}

# Server errors go to stderr whatever DEBUG says (Django's default only mails them).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False}},
}
