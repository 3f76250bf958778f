"""Settings for civicflow, read from environment variables.

Modes (``CIVICFLOW_MODE``):

* ``production`` (the default): ``SECRET_KEY`` is required, ``DEBUG`` is off unless asked for,
  cookies are secure and HSTS is sent.
* ``dev`` and ``demo``: a fixed development key, plain-HTTP cookies, emails to the console.
* ``test``: as ``dev``, with a fast password hasher and tasks run immediately.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = BASE_DIR.parent

MODE = os.environ.get("CIVICFLOW_MODE", "production").strip().lower()
if MODE not in {"production", "dev", "demo", "test"}:
    raise ImproperlyConfigured(
        f"CIVICFLOW_MODE must be production, dev, demo or test, not {MODE!r}."
    )
RELAXED = MODE in {"dev", "demo", "test"}


def env_bool(name: str, default: bool = False) -> bool:
    """Return the environment variable ``name`` read as a yes/no value."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    """Return the comma-separated environment variable ``name`` as a list."""
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=MODE == "dev")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not RELAXED:
        raise ImproperlyConfigured(
            "Set SECRET_KEY (a long random string) to run civicflow in production, "
            "or set CIVICFLOW_MODE=dev for a development instance."
        )
    SECRET_KEY = "civicflow-insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if RELAXED else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Where SQLite, collected static files and uploads live: var/ in a source checkout, else var/
# under the working directory, unless CIVICFLOW_DATA_DIR says otherwise.
_DEFAULT_DATA_DIR = (REPO_DIR if (REPO_DIR / "pyproject.toml").exists() else Path.cwd()) / "var"
DATA_DIR = Path(os.environ.get("CIVICFLOW_DATA_DIR", _DEFAULT_DATA_DIR)).resolve()

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.admin",
    "django_htmx",
    "django_tasks_db",
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "civicflow.core",
    "civicflow.accounts",
    "civicflow.search",
    "civicflow.notifications",
    "civicflow.discussion",
    "civicflow.challenges",
    "civicflow.ideas",
    "civicflow.boards",
    "civicflow.opinions",
    "civicflow.budgets",
    "civicflow.appraisal",
    "civicflow.initiatives",
    "civicflow.outcomes",
    "civicflow.library",
    "civicflow.similarity",
    "civicflow.web",
    "civicflow.api",
    "civicflow.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "civicflow.api.errors.ApiProblemMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "civicflow.config.urls"
WSGI_APPLICATION = "civicflow.config.wsgi.application"
ASGI_APPLICATION = "civicflow.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civicflow.web.context_processors.service",
            ],
            "builtins": ["civicflow.web.templatetags.govuk"],
        },
    }
]

# Databases -----------------------------------------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # SQLite creates the file, not its folder
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "civicflow.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and sessions: shared between app servers (Redis when given, else the database) -------

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if MODE == "test" and not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "civicflow.core.cache.SharedRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "civicflow",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "civicflow_cache",
        }
    }
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Background tasks ----------------------------------------------------------------------------

TASKS = {
    "default": (
        {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
        if MODE == "test"
        else {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    )
}

# Accounts ------------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if MODE == "test"
    else ["django.contrib.auth.hashers.Argon2PasswordHasher"]
) + ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "web:home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "civicflow: "
ACCOUNT_ADAPTER = "civicflow.accounts.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
ACCOUNT_EMAIL_NOTIFICATIONS = True
_FORMS = "civicflow.accounts.allauth_forms"
ACCOUNT_FORMS = {
    "login": f"{_FORMS}.LoginForm",
    "signup": f"{_FORMS}.SignupForm",
    "add_email": f"{_FORMS}.AddEmailForm",
    "change_password": f"{_FORMS}.ChangePasswordForm",
    "set_password": f"{_FORMS}.SetPasswordForm",
    "reset_password": f"{_FORMS}.ResetPasswordForm",
    "reset_password_from_key": f"{_FORMS}.ResetPasswordKeyForm",
    "reauthenticate": f"{_FORMS}.ReauthenticateForm",
}
MFA_FORMS = {
    "authenticate": f"{_FORMS}.MfaAuthenticateForm",
    "reauthenticate": f"{_FORMS}.MfaReauthenticateForm",
    "activate_totp": f"{_FORMS}.ActivateTotpForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "civicflow"

# Email ---------------------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "civicflow <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "timeout": 20,
            },
        }
    }
elif MODE == "test":
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
elif RELAXED:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    raise ImproperlyConfigured(
        "Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS) "
        "so civicflow can send sign-in and verification emails."
    )

# Internationalisation ------------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static files --------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if RELAXED
            else "civicflow.core.staticfiles.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = RELAXED
# The test client builds the middleware afresh for every client; looking static files up when
# asked, rather than listing them all up front, saves that listing in every test.
WHITENOISE_AUTOREFRESH = MODE == "test"
MEDIA_ROOT = DATA_DIR / "media"

# Security ------------------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not RELAXED
CSRF_COOKIE_SECURE = not RELAXED
if not RELAXED:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Logging -------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR" if MODE == "test" else "WARNING"}},
}

# civicflow -----------------------------------------------------------------------------------

CIVICFLOW_SERVICE_NAME = os.environ.get("CIVICFLOW_SERVICE_NAME", "civicflow")
CIVICFLOW_PAGE_SIZE = 20
# The address people reach this instance at, for links in emails (e.g. https://ideas.example.gov.uk).
CIVICFLOW_BASE_URL = os.environ.get("CIVICFLOW_BASE_URL", "").strip().rstrip("/")
# Similarity (ADR 0023): which embedder ("auto" = the best installed, "model2vec", "minilm",
# "tfidf") and where models are installed (scripts/setup --models). The tests use TF-IDF.
CIVICFLOW_EMBEDDER = os.environ.get("CIVICFLOW_EMBEDDER", "tfidf" if MODE == "test" else "auto")
CIVICFLOW_MODELS_DIR = os.environ.get("CIVICFLOW_MODELS_DIR", str(DATA_DIR / "models"))
