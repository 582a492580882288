"""Django settings, read from the environment.

Embedded default: SQLite (WAL mode) in the data directory, with a secret key generated once.
Server: set DATABASE_URL to PostgreSQL, SECRET_KEY, ALLOWED_HOSTS, and SOZIALPLANUNG_HTTPS=1
behind a TLS-terminating proxy.
"""

import os
from pathlib import Path

import dj_database_url
from xstatic.pkg import leaflet

from sozialplanung.web.env import data_dir, env_bool, env_list, secret_key

WEB_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

SECRET_KEY = secret_key(DATA_DIR)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "sozialplanung.web.accounts",
    "sozialplanung.web.areas",
    "sozialplanung.web.monitoring",
    "sozialplanung.web.jobs",
    "sozialplanung.web.socialindex",
    "sozialplanung.web.spaces",
    "sozialplanung.web.reports",
    "sozialplanung.web.network",
    "sozialplanung.web.strategy",
    "sozialplanung.web.directory",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
]

# Long runs go through django-tasks with its database backend; `sozialplanung serve` starts the
# worker beside the web server (`sozialplanung worker` runs one alone).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "SOZIALPLANUNG_TASK_BACKEND", "django_tasks_db.backend.DatabaseBackend"
        )
    }
}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change in the strategy's history.
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "sozialplanung.web.urls"
WSGI_APPLICATION = "sozialplanung.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sozialplanung.web.context_processors.site",
            ],
        },
    },
]


def _database() -> dict:
    default_url = f"sqlite:///{DATA_DIR / 'sozialplanung.sqlite3'}"
    config = dj_database_url.parse(os.environ.get("DATABASE_URL") or default_url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while an import writes; IMMEDIATE avoids "database is locked"
        # when two requests upgrade a read transaction to a write at the same time.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    else:
        config["CONN_MAX_AGE"] = 60
        config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [WEB_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns at start-up about a missing folder
STATICFILES_DIRS = [WEB_DIR / "static", ("leaflet", leaflet.BASE_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# Behind a TLS proxy: secure cookies, HSTS and redirects. Off for the local demo on plain HTTP.
HTTPS = env_bool("SOZIALPLANUNG_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# E-mail (reminders to providers): printed to the console unless a server sets SMTP.
EMAIL_BACKEND = os.environ.get(
    "SOZIALPLANUNG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sozialplanung@localhost")

# The county this installation plans for (official key); empty: the county with municipalities.
COUNTY_KEY = os.environ.get("SOZIALPLANUNG_COUNTY", "")

# Optional background map: offline by default, so no tiles unless a county sets its own server.
MAP_TILE_URL = os.environ.get("SOZIALPLANUNG_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("SOZIALPLANUNG_TILE_ATTRIBUTION", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
