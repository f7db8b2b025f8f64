"""CommsNet settings. Everything that differs between machines comes from the
environment (see README.md, "Configuration"); defaults are for development,
and production (DEBUG off) refuses the unsafe ones."""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from commsnet.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"
DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
# Unset, links in emails point at the development server (`make run PORT=8001` serves on 8001).
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000)}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY: production refuses the development key.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "taggit",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "anymail",
    "core",
    "members",
    "communities",
    "forums",
    "search",
    "moderation",
    "notifications",
    "records",
    "feeds",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.request_memo.RequestMemoMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "members.middleware.EagerAuthenticationMiddleware",
    # After the request memo opens and the user is known: decides Cache-Control.
    "communities.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.security.StaffTwoFactorMiddleware",
]

ROOT_URLCONF = "commsnet.urls"
WSGI_APPLICATION = "commsnet.wsgi.application"
SITE_ID = 1

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
                "core.context_processors.site",
                "moderation.context_processors.review_counts",
                "moderation.context_processors.pre_election_periods",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
    # Only for templates in hot loops, asked for by name (using="jinja2"): core/jinja2.py.
    {
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        # Run only for a template rendered with its request (the home page's sections).
        "OPTIONS": {
            "environment": "core.jinja2.environment",
            "context_processors": ["moderation.context_processors.review_counts"],
        },
    },
]

# Every form's fields say their length limits instead of a browser `maxlength` (core/text_limits.py).
FORM_RENDERER = "core.text_limits.FormRenderer"

# Database: DATABASE_URL, or an embedded PostgreSQL inside the checkout.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
else:
    from commsnet.embedded_db import embedded_database

    DATABASES = {"default": embedded_database(Path(env_str("EMBEDDED_DB_DIR", str(BASE_DIR / ".pgdata"))))}
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 0)
# Statements run again and again are kept prepared (PostgreSQL's CPU per signed-in page
# fell by about half); empty behind a pooler that cannot keep them (docs/database.md).
DB_PREPARE_THRESHOLD = env_str("DB_PREPARE_THRESHOLD", "5")
# Django's PostgreSQL backend, with bulk writes split to fit the parameters a statement
# takes, and statements that search text sent unprepared.
DATABASES["default"]["ENGINE"] = "core.postgresql"
DATABASES["default"].setdefault("OPTIONS", {}).update(
    server_side_binding=True,
    prepare_threshold=int(DB_PREPARE_THRESHOLD) if DB_PREPARE_THRESHOLD else None,
)
# A random read costs little more than a sequential one when the working set fits in
# memory (docs/database.md); empty leaves the server's setting alone.
DB_RANDOM_PAGE_COST = float(env_str("DB_RANDOM_PAGE_COST", "1.1") or 0) or None
# Parallel test runs (several checkouts, several helpers) need distinct test databases.
DATABASES["default"]["TEST"] = {"NAME": "test_commsnet" + env_str("TEST_DB_SUFFIX")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared cache: allauth's rate limits need every process to see the same counts.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache_entries"}}
# Whole pages, fragments and thread outlines in each worker's memory, keyed by content
# versions PostgreSQL keeps; bounded by count, 0 turns one off (docs/architecture.md#how-caching-works).
PAGE_CACHE_ENTRIES = env_int("PAGE_CACHE_ENTRIES", 300)
FRAGMENT_CACHE_ENTRIES = env_int("FRAGMENT_CACHE_ENTRIES", 5000)
OUTLINE_CACHE_ENTRIES = env_int("OUTLINE_CACHE_ENTRIES", 500)


def _local_cache(name: str, entries: int) -> dict:
    if entries == 0:
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": name,
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": entries},
    }


CACHES["fragments"] = _local_cache("fragments", FRAGMENT_CACHE_ENTRIES)
CACHES["pages"] = _local_cache("pages", PAGE_CACHE_ENTRIES)

AUTH_USER_MODEL = "members.User"
# Both refuse suspended members, so a suspension also ends their existing sessions.
AUTHENTICATION_BACKENDS = [
    "members.backends.ModelBackend",
    "members.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email is the login; verification before taking part.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Confirming the address in the browser that signed up signs in (allauth checks the
# same session), so an invited newcomer lands in the community without signing in again.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "CommsNet: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupDetailsForm"
# Changing the sign-in email address, two-factor settings (MFA_REAUTHENTICATION_REQUIRED
# is on by default) or deleting the account asks for the password or a 2FA code again
# when the last one was given more than 5 minutes ago. The password change form always
# asks for the current password.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Added to allauth's defaults: deleting an account is limited like sign-in attempts
# (members.views.account_delete).
# Our own rate limits join allauth's (members.decorators.rate_limited). The live
# plain-English check asks at most once a pause in typing: 30 a minute is plenty.
ACCOUNT_RATE_LIMITS = {"delete_account": "10/m/ip,5/5m/user", "writing_check": "30/m/user"}
# Addresses under these suffixes are approved on verification (organisations' own
# domains are managed by site admins); everyone else waits for a site admin.
ELIGIBLE_EMAIL_SUFFIXES = env_list(
    "ELIGIBLE_EMAIL_SUFFIXES", ".gov.uk,.nhs.uk,.nhs.net,.police.uk,.gov.scot,.gov.wales,.llyw.cymru,.mod.uk"
)
# GOV.UK wording on allauth's own forms (core/forms.py).
ACCOUNT_FORMS = {
    "login": "core.forms.LoginForm",
    "change_password": "core.forms.ChangePasswordForm",
    "set_password": "core.forms.SetPasswordForm",
    "reset_password": "core.forms.ResetPasswordForm",
    "reset_password_from_key": "core.forms.ResetPasswordKeyForm",
    "add_email": "core.forms.AddEmailForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "CommsNet"
# Site admins and community facilitators or owners must turn on two-factor
# authentication before they use staff pages or moderation tools
# (core.security.StaffTwoFactorMiddleware). Off in development, so the demo's staff
# can sign in without an authenticator app.
STAFF_REQUIRE_2FA = env_bool("STAFF_REQUIRE_2FA", not DEBUG)

# Single sign-on, off unless configured (README, "Single sign-on").
SOCIALACCOUNT_PROVIDERS: dict = {}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
if env_str("MICROSOFT_CLIENT_ID"):
    INSTALLED_APPS.append("allauth.socialaccount.providers.microsoft")
    SOCIALACCOUNT_PROVIDERS["microsoft"] = {
        "APPS": [
            {
                "client_id": env_str("MICROSOFT_CLIENT_ID"),
                "secret": env_str("MICROSOFT_CLIENT_SECRET"),
                "settings": {"tenant": env_str("MICROSOFT_TENANT", "organizations")},
            }
        ]
    }
if env_str("GOOGLE_CLIENT_ID"):
    INSTALLED_APPS.append("allauth.socialaccount.providers.google")
    SOCIALACCOUNT_PROVIDERS["google"] = {
        "APPS": [{"client_id": env_str("GOOGLE_CLIENT_ID"), "secret": env_str("GOOGLE_CLIENT_SECRET")}],
        "SCOPE": ["profile", "email"],
    }

# Email. Development prints messages and keeps a copy in sent-emails/.
# Every email is queued in the database first (no web request talks to SMTP); the task
# worker sends it through EMAIL_DELIVERY_BACKEND, which the EMAIL_BACKEND variable names.
EMAIL_BACKEND = "notifications.outbox.QueuedEmailBackend"
EMAIL_DELIVERY_BACKEND = env_str("EMAIL_BACKEND", "core.mail.ConsoleAndFileBackend")
# A post's files go with its email while they fit in this many bytes together; the rest are links.
EMAIL_ATTACHMENTS_MAX_BYTES = env_int("EMAIL_ATTACHMENTS_MAX_BYTES", 10 * 1024 * 1024)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A mail server that hangs must not hold a row past the outbox's STALE_AFTER (15
# minutes), or another worker would send it again.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 60)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-emails"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CommsNet <noreply@commsnet.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
FEEDBACK_EMAIL = env_str("FEEDBACK_EMAIL", "feedback@commsnet.localhost")

# Email both ways (notifications app): reply-by-email addresses are reply+<token>@REPLY_DOMAIN,
# community posting addresses <slug>@POST_DOMAIN; inbound webhooks authenticate with
# ANYMAIL_WEBHOOK_SECRET ("user:password" HTTP basic auth).
REPLY_DOMAIN = env_str("REPLY_DOMAIN", "reply.commsnet.localhost")
POST_DOMAIN = env_str("POST_DOMAIN", "post.commsnet.localhost")
REPLY_TOKEN_MAX_AGE_DAYS = env_int("REPLY_TOKEN_MAX_AGE_DAYS", 180)
# The authserv-id(s) our receiving MTA (or inbound provider) writes in the
# Authentication-Results headers it adds; every other such header is ignored. Unset,
# no message counts as authenticated: new threads by email wait for the member's
# confirmation and nobody is sent a bounce.
INBOUND_AUTHSERV_IDS = env_list("INBOUND_AUTHSERV_IDS", "")
ANYMAIL = {"WEBHOOK_SECRET": env_str("ANYMAIL_WEBHOOK_SECRET")}

# Background work in the same database (django-tasks + django-tasks-db).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Sweeps `manage.py run_worker` runs at start and every few minutes: they send whatever
# a crashed worker or a mail server outage left waiting.
# Exports whose build a dead worker left "Being made" are built again or marked failed.
WORKER_SWEEP_TASKS = [
    "notifications.outbox.send_outgoing_email",
    "notifications.outbox.forget_finished_email",
    "notifications.tasks.send_queued_email",
    "records.exports.sweep_stuck_exports",
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# Security headers. The CSP allows no inline script or style.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "https:", "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_HTTPONLY = True
# Database sessions, loaded with one plain SQL statement (core/sessions.py).
SESSION_ENGINE = "core.sessions"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # The embedded database narrates every start and stop at INFO.
    "loggers": {"pgserver": {"level": "WARNING"}},
}

# Posting limits (moderation.rules.posting_blocked_reason). New members are those who
# joined less than `new_member_days` ago or have fewer than `new_member_min_posts`
# published posts; everyone has the generous `posts_per_hour` cap.
MODERATION_RATE_LIMITS = {
    "new_member_days": 7,
    "new_member_min_posts": 3,
    "new_member_threads_per_hour": 3,
    "new_member_replies_per_hour": 10,
    "posts_per_hour": 30,
}
# How many of a new member's first posts a community holds for review until its
# facilitators choose (moderation.models.CommunityModerationSettings); 0 turns it off.
MODERATION_DEFAULT_HOLD_FIRST_POSTS = 1
