"""Settings of the OCOP Đăk Hà shop, showroom and POS.

Everything that differs between a laptop and a server comes from the
environment (see README, "Configuration").
"""

import os
from datetime import timedelta
from pathlib import Path

import csp.constants
import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F401,F403  Oscar's defaults, overridden below

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEFAULT_SECRET_KEY = "insecure-development-key-change-me"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY_MIN_LENGTH = 32
if not DEBUG and SECRET_KEY == DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_DEBUG is off but DJANGO_SECRET_KEY is not set: refusing to start "
        "with the development secret key. Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 "
        "on a development machine)."
    )
if not DEBUG and len(SECRET_KEY.strip()) < SECRET_KEY_MIN_LENGTH:
    # An empty key would pass the check above and then fail every request.
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY is {'empty' if not SECRET_KEY.strip() else 'too short'}: "
        f"it needs at least {SECRET_KEY_MIN_LENGTH} characters when DJANGO_DEBUG is off. "
        "Make one with: python -c 'from django.core.management.utils import "
        "get_random_secret_key; print(get_random_secret_key())'"
    )
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "django.forms",  # form widget templates, for FORM_RENDERER below
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "shop.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "shop.shipping.apps.ShippingConfig",
    "catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "shop.partner.apps.PartnerConfig",  # live prices in the strategy (shop.live.pricing)
    "oscar.apps.basket.apps.BasketConfig",
    "shop.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "shop.order.apps.OrderConfig",
    "shop.customer.apps.CustomerConfig",  # sign in with username or email
    "shop.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "shop.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    # Oscar's third-party apps
    "widget_tweaks",
    "haystack",
    "treebeard",
    "django_tables2",
    # API
    "rest_framework",
    "knox",  # the producer API's tokens: hashed, expiring, revocable (vendors.tokens)
    "axes",  # sign-in throttling on every login door (shop.core.signin)
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    # Ours
    "shop.core.apps.CoreConfig",  # cached fragments' invalidation, photo renditions (shop.core)
    "shop.apps.ShopConfig",
    "vendors.apps.VendorsConfig",
    "showroom.apps.ShowroomConfig",
    "pos.apps.PosConfig",
    "shop.live.apps.LiveConfig",
    "shop.programme.apps.ProgrammeConfig",
    "shop.graphql.apps.GraphQLConfig",  # the Saleor-compatible storefront API /graphql/
    "shop.invoicing.apps.InvoicingConfig",  # e-invoices of till and online sales
    "shop.evaluation.apps.EvaluationConfig",  # OCOP evaluation: dossiers, council, decisions
    "shop.experiences.apps.ExperiencesConfig",  # tourism departures, bookings, check-in
]

SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # a NUL byte, invalid UTF-8 or an over-long value anywhere: 400 (shop.middleware)
    "shop.middleware.HostileInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    # last: turns a locked-out sign-in into the lock-out page / JSON (shop.core.signin)
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"

# Storefront theme: a folder of themes/ with templates/ and static/.
SHOP_THEME = os.environ.get("SHOP_THEME", "ocop")
THEME_DIR = BASE_DIR / "themes" / SHOP_THEME
if not THEME_DIR.is_dir():
    raise ImproperlyConfigured(f"SHOP_THEME={SHOP_THEME!r}: no folder themes/{SHOP_THEME}/")

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [THEME_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
                "shop.context_processors.ocop",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = (
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out sign-ins (shop.core.signin)
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_REDIRECT_URL = "/"

HAYSTACK_CONNECTIONS = {
    "default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"},
}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# Language, time, money
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Day-first dates (d/m/Y) in and out; see shop/core/formats/__init__.py.
FORMAT_MODULE_PATH = ["shop.core.formats"]

OSCAR_SHOP_NAME = "OCOP Đăk Hà"
OSCAR_SHOP_TAGLINE = _("Sản phẩm OCOP của huyện Đăk Hà, Kon Tum")
OSCAR_DEFAULT_CURRENCY = "VND"
# Offers and vouchers discount whole đồng (Oscar rounds to 0.01 otherwise).
OSCAR_OFFER_ROUNDING_FUNCTION = "shop.rounding.round_discount"
OSCAR_HOMEPAGE = "/"
OSCAR_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "shop@ocop-dakha.vn")
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_PRODUCTS_PER_PAGE = 24
OSCAR_SLUG_FUNCTION = "catalogue.search.slugify"
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "last_name", "line1", "line4", "country")

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [THEME_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Producers' files under review: outside MEDIA_ROOT, no URL, served only by checked views
# (catalogue.uploads). Public media never keep a page's name (.html, .svg...).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
STORAGES = {
    "default": {"BACKEND": "catalogue.uploads.PublicMediaStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Several app servers share one media store: an S3-compatible bucket (django-storages,
# shop.storage) when MEDIA_S3_BUCKET is set. Credentials come from boto3's usual sources
# (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment, or the machine's role).
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "").strip()
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "shop.storage.PublicS3MediaStorage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL", "").strip() or None,
            "region_name": os.environ.get("MEDIA_S3_REGION", "").strip() or None,
            "custom_domain": os.environ.get("MEDIA_S3_CUSTOM_DOMAIN", "").strip() or None,
            "location": "media",
            "querystring_auth": False,  # public photos: plain URLs, cacheable by browsers
            "file_overwrite": False,
            "default_acl": None,  # the bucket's policy decides (public read on media/)
        },
    }
# Renditions drawn in the background when a product photo is saved (shop.core.tasks):
# the sizes the storefront's templates ask Oscar's thumbnailer for.
SHOP_PRERENDERED_RENDITIONS = [
    {"size": "x155", "upscale": False},  # product card (oscar/catalogue/partials/product.html)
    {"size": "440x400", "upscale": False},  # product page gallery
    {"size": "65x55", "crop": "center"},  # gallery thumbnails
]
THUMBNAIL_DEBUG = False

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = OSCAR_FROM_EMAIL
# SMTP (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend). A timeout, so that a
# silent mail server makes a task retry (shop.core.tasks) instead of holding a worker.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))

# Stripe: card payments are offered only when both keys are set.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")  # a local fake server in tests

REST_FRAMEWORK = {
    # every operation documents its error answers; every error has a "code" (shop.api.errors)
    "DEFAULT_SCHEMA_CLASS": "shop.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "shop.api.errors.exception_handler",
    # Session (with CSRF) only; the producer API alone also takes its tokens (vendors.tokens).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OCOP Đăk Hà API",
    "VERSION": "0.1.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # request bodies as their own components: uploads are binary files, read-only fields left out
    "COMPONENT_SPLIT_REQUEST": True,
    # No call to swagger.io's online validator (the CSP would refuse it anyway).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

# --- Cache, sessions, background work (README, "Production") -------------------------
# REDIS_URL (e.g. redis://127.0.0.1:6379/0): the cache shared by every app process (cached
# storefront fragments: shop.core.cache; sessions; tasks' run-once claims). Without it each
# process keeps its own cache in memory. A Redis that stops answering is a cache miss,
# never an error page (DJANGO_REDIS_IGNORE_EXCEPTIONS); /health/ reports it.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ocop",
            "TIMEOUT": 3600,
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ocop",
            "TIMEOUT": 3600,
        }
    }
# With Redis, sessions are read from the cache and written to it and to the database (a cache
# that loses them loses nothing). Without it each process's memory is its own: a session
# cached by one gunicorn worker would be read stale by it after another worker changed it
# (a checkout step lost), so sessions are read from the database. For the same reason the
# storefront's cached fragments live only FRAGMENT_SECONDS without Redis (an invalidation
# reaches the process that made it, not the others): 30 s, against an hour with Redis.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
FRAGMENT_SECONDS = 3600 if REDIS_URL else 30

# Celery (shop.celery, shop.core.tasks). CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/1):
# tasks go to workers (`celery -A shop worker`); empty: every task runs inline, in the process
# that sends it, so `make run` and the tests need no worker.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "").strip()
if CELERY_BROKER_URL and not REDIS_URL:
    raise ImproperlyConfigured(
        "CELERY_BROKER_URL is set but REDIS_URL is not: workers and web processes must share "
        "the cache (tasks' run-once claims, cached pages invalidated by a worker). Set REDIS_URL."
    )
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Inline tasks behave as on a worker: retried, and a failure is logged, not raised into the
# page that sent them (a result's .get() still raises it).
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task not acknowledged within this long is given to another worker (Redis broker): longer
# than any task and than the longest retry delay (shop.core.tasks.BACKOFF_MAX_SECONDS).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# `celery -A shop beat`: the daily jobs of README "Daily jobs" (the commands stay for
# manual use) and the frequent ones. Local time (Asia/Ho_Chi_Minh).
CELERY_BEAT_SCHEDULE = {
    "refresh-ocop-badges": {"task": "shop.tasks.refresh_ocop_badges",
                            "schedule": crontab(hour=1, minute=0)},
    "check-combos": {"task": "shop.tasks.check_combos", "schedule": crontab(hour=1, minute=15)},
    "check-inventory": {"task": "shop.tasks.check_inventory",
                        "schedule": crontab(hour=1, minute=30)},
    "low-stock-digest": {"task": "shop.tasks.low_stock_digest",
                         "schedule": crontab(hour=7, minute=0)},
    "programme-reminders": {"task": "shop.tasks.programme_reminders",
                            "schedule": crontab(hour=7, minute=15)},
    # card orders wait SHOP_UNPAID_CARD_MINUTES (30): checked every 10 minutes
    "release-unpaid-orders": {"task": "shop.tasks.release_unpaid_orders",
                              "schedule": crontab(minute="*/10")},
    "expire-live-holds": {"task": "shop.tasks.expire_live_holds",
                          "schedule": crontab(minute="*/5")},
    # invoices whose issuing gave up (provider down for long) are sent again
    "retry-unissued-invoices": {"task": "shop.invoicing.tasks.retry_unissued_invoices",
                                "schedule": crontab(minute="*/15")},
    # tomorrow's visitors of a tourism experience: voucher and meeting point, once each
    "experience-reminders": {"task": "shop.experiences.tasks.send_experience_reminders",
                             "schedule": crontab(hour=8, minute=0)},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Security headers (README, "Configuration") -----------------------------------
# Always, also on a laptop: no MIME sniffing, no framing, no referrer to other sites,
# no script access to the session cookie.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# DJANGO_HTTPS=1 on a server reached only over HTTPS: redirect http to https, HSTS and
# cookies sent over HTTPS only. Off by default so http://127.0.0.1 keeps its session.
SHOP_HTTPS = env_bool("DJANGO_HTTPS")
if SHOP_HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # a load balancer probes the process over http
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# Only behind a proxy that terminates TLS and always sets X-Forwarded-Proto (otherwise
# a client could claim https by sending the header itself).
if env_bool("DJANGO_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts only from this site or inline ones
# carrying the request's nonce (templates write nonce="{{ request.csp_nonce }}");
# no inline event handlers. <style> elements need the nonce too; style="" attributes
# are allowed (style-src-attr): Oscar's templates and data-sized bars use them, and
# they cannot run script. Stripe's hosts are added only when card payments are on.
_STRIPE_ON = bool(STRIPE_PUBLISHABLE_KEY and STRIPE_SECRET_KEY)
_STRIPE_JS = ["https://js.stripe.com", "https://*.js.stripe.com"] if _STRIPE_ON else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.constants.SELF],
        "script-src": [csp.constants.SELF, csp.constants.NONCE, *_STRIPE_JS],
        "style-src": [csp.constants.SELF, csp.constants.NONCE],
        "style-src-attr": [csp.constants.UNSAFE_INLINE],
        "img-src": [csp.constants.SELF, "data:"],
        "font-src": [csp.constants.SELF],
        "connect-src": [csp.constants.SELF, *(["https://api.stripe.com"] if _STRIPE_ON else [])],
        "frame-src": [*_STRIPE_JS, "https://hooks.stripe.com"] if _STRIPE_ON else [csp.constants.NONE],
        "worker-src": [csp.constants.SELF],
        "object-src": [csp.constants.NONE],
        "base-uri": [csp.constants.SELF],
        "frame-ancestors": [csp.constants.NONE],
        "form-action": [csp.constants.SELF],
    }
}
# Widget templates are looked up like the others, so the theme can override Oscar's
# (its image widget's inline handlers; ocop/js/csp.js does their work).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
OSCAR_THUMBNAILER = "catalogue.thumbnails.FileThumbnailer"


# --- Inventory pages of the district office (showroom app) in the dashboard menu ---
def _inventory_nav_access(user, url_name, url_args=None, url_kwargs=None):
    from showroom.views import is_office

    return is_office(user)


def _programme_nav_access(user, url_name, url_args=None, url_kwargs=None):
    from shop.programme.access import is_office

    return is_office(user)


def _live_nav_access(user, url_name, url_args=None, url_kwargs=None):
    from shop.live.access import is_office

    return is_office(user)


def _invoicing_nav_access(user, url_name, url_args=None, url_kwargs=None):
    from shop.invoicing.access import is_office

    return is_office(user)


def _evaluation_nav_access(user, url_name, url_args=None, url_kwargs=None):
    from shop.evaluation.access import is_office

    return is_office(user)


def _experiences_nav_access(user, url_name, url_args=None, url_kwargs=None):
    from shop.experiences.bookings import is_office

    return is_office(user)


OSCAR_DASHBOARD_NAVIGATION = OSCAR_DASHBOARD_NAVIGATION + [  # noqa: F405
    {
        "label": _("Tồn kho"),
        "icon": "fas fa-warehouse",
        "children": [
            {"label": label, "url_name": url_name, "access_fn": _inventory_nav_access}
            for label, url_name in (
                (_("Tồn kho theo điểm"), "showroom:overview"),
                (_("Nhập hàng"), "showroom:receipt-create"),
                (_("Chuyển kho"), "showroom:transfer-list"),
                (_("Kiểm kê"), "showroom:count-start"),
                (_("Sổ kho"), "showroom:ledger"),
                (_("Sắp hết hàng"), "showroom:low-stock"),
            )
        ],
    },
    {
        "label": _("Chương trình OCOP"),
        "icon": "fas fa-chart-line",
        "children": [
            {"label": label, "url_name": url_name, "access_fn": _programme_nav_access}
            for label, url_name in (
                (_("Chỉ tiêu và kết quả"), "programme:dashboard"),
                (_("Báo cáo định kỳ"), "programme:reports"),
                (_("Thông tin chương trình của chủ thể"), "programme:producers"),
                (_("Sửa chỉ tiêu"), "programme:targets"),
            )
        ],
    },
    {
        "label": _("Bán hàng livestream"),
        "icon": "fas fa-video",
        "children": [
            {"label": label, "url_name": url_name, "access_fn": _live_nav_access}
            for label, url_name in (
                (_("Phiên live"), "live:home"),
                (_("Người bán"), "live:office-sellers"),
                (_("Chi trả hoa hồng"), "live:settlement"),
                (_("Giá sàn live"), "live:floors"),
            )
        ],
    },
    {
        "label": _("Hoá đơn điện tử"),
        "icon": "fas fa-file-invoice",
        "children": [
            {"label": label, "url_name": url_name, "access_fn": _invoicing_nav_access}
            for label, url_name in ((_("Hoá đơn theo điểm bán và tháng"), "invoicing:list"),)
        ],
    },
    {
        "label": _("Đánh giá, phân hạng OCOP"),
        "icon": "fas fa-star",
        "children": [
            {"label": label, "url_name": url_name, "access_fn": _evaluation_nav_access}
            for label, url_name in (
                (_("Đợt đánh giá"), "evaluation:rounds"),
                (_("Hồ sơ đăng ký"), "evaluation:office-applications"),
                (_("Phiếu chấm điểm"), "evaluation:sheets"),
            )
        ],
    },
    {
        "label": _("Trải nghiệm du lịch"),
        "icon": "fas fa-route",
        "children": [
            {"label": label, "url_name": url_name, "access_fn": _experiences_nav_access}
            for label, url_name in (
                (_("Chuyến khởi hành trong tuần"), "experiences:provider"),
                (_("Check-in khách"), "experiences:check-in"),
            )
        ],
    },
]

# --- Checkout and payments (shop.checkout, shop.shipping, shop.payment) -----------
# Order statuses (Vietnamese, the source language). shop.order.processing consumes
# the stock on "Đã giao" / "Đã nhận hàng" and releases it on "Đã huỷ".
OSCAR_ORDER_STATUS_PIPELINE = {
    "Chờ thanh toán": ("Chờ xử lý", "Đã huỷ"),
    "Chờ xử lý": ("Sẵn sàng nhận hàng", "Đang giao", "Đã giao", "Đã huỷ"),
    "Đang giao": ("Đã giao", "Đã huỷ"),
    "Sẵn sàng nhận hàng": ("Đã nhận hàng", "Đã huỷ"),
    "Đã giao": (),
    "Đã nhận hàng": (),
    "Đã huỷ": (),
}
# VietQR bank transfers go to this account (NAPAS bank BIN, e.g. 970436 Vietcombank).
# The demo account below serves a development machine only: with DEBUG off the shop
# refuses to start until the real account is given, so buyers never pay into it.
DEMO_BANK_ACCOUNT = {
    "SHOP_BANK_BIN": "970436",
    "SHOP_BANK_ACCOUNT": "0011001932418",
    "SHOP_BANK_ACCOUNT_NAME": "DIEM OCOP HUYEN DAK HA",
    "SHOP_BANK_NAME": "Vietcombank",
}
_missing_bank = [name for name in DEMO_BANK_ACCOUNT if not os.environ.get(name, "").strip()]
if not DEBUG and _missing_bank:
    raise ImproperlyConfigured(
        "DJANGO_DEBUG is off but the shop's bank account for VietQR transfers is not set: "
        f"set {', '.join(_missing_bank)} (see README, Configuration). Refusing to start "
        "with the demo account, which would show buyers an account that is not the shop's."
    )
SHOP_BANK_BIN, SHOP_BANK_ACCOUNT, SHOP_BANK_ACCOUNT_NAME, SHOP_BANK_NAME = (
    os.environ.get(name, "").strip() or demo for name, demo in DEMO_BANK_ACCOUNT.items()
)
# Delivery: products carry no weight yet; each unit counts as this many kg.
SHOP_DELIVERY_DEFAULT_WEIGHT_KG = os.environ.get("SHOP_DELIVERY_DEFAULT_WEIGHT_KG", "0.5")
# Stripe: the client comes from this factory (tests point it at a local fake server).
SHOP_STRIPE_CLIENT_FACTORY = "shop.payment.stripe_gateway.default_client"
SHOP_STRIPE_MAX_NETWORK_RETRIES = int(os.environ.get("STRIPE_MAX_NETWORK_RETRIES", "2"))
SHOP_STRIPE_MIN_AMOUNT = int(os.environ.get("STRIPE_MIN_AMOUNT_VND", "13000"))  # ≈ US$0.50
# Unpaid card / transfer orders give their stock back after this long
# (manage.py release_unpaid_orders, run every few minutes by cron).
SHOP_UNPAID_CARD_MINUTES = int(os.environ.get("SHOP_UNPAID_CARD_MINUTES", "30"))
SHOP_UNPAID_TRANSFER_HOURS = int(os.environ.get("SHOP_UNPAID_TRANSFER_HOURS", "48"))
# The shop's public address for absolute links in emails (shop.core.links), e.g.
# https://ocopdakha.vn; empty = the host of the request that sends the email.
SHOP_BASE_URL = os.environ.get("SHOP_BASE_URL", "")

# --- The till (pos) ------------------------------------------------------------------
# Only the cash tender is rounded, to this many đồng (500 or 1000; 0 = no rounding).
POS_CASH_ROUNDING = int(os.environ.get("POS_CASH_ROUNDING", "500"))
# Largest line discount (%) a cashier may give alone when neither their Cashier row nor
# a pos.DiscountLimit of their groups says otherwise; above it a manager approves.
POS_DEFAULT_DISCOUNT_LIMIT = os.environ.get("POS_DEFAULT_DISCOUNT_LIMIT", "5")
# Status of the Oscar order of a till sale (the goods left with the customer).
POS_ORDER_STATUS = "Đã nhận hàng"
# A .ttf with Vietnamese glyphs for PDF receipts (else DejaVu/Liberation if installed).
POS_RECEIPT_FONT = os.environ.get("POS_RECEIPT_FONT", "")
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update({
    "TillTenderKindEnum": "pos.models.TenderKind",
    "TillCashMovementKindEnum": "pos.models.CashMovement.Kind",
})

# --- Signing in (shop.core.signin) and the producer API's tokens (vendors.tokens) ----------
# django-axes counts wrong sign-ins at every door (shop, admin, till, token endpoint):
# AXES_FAILURE_LIMIT wrong tries for one username from one IP address lock that pair
# for AXES_COOLOFF_MINUTES (or until the office deletes the lock in /admin/axes/).
# Keyed by username + IP, so a till or an office sharing one address is not locked as
# a whole by one person's typos, and nobody can lock a user out from elsewhere.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Tries while locked do not push the end of the lock further.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "shop.core.signin.username_of"
AXES_LOCKOUT_CALLABLE = "shop.core.signin.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "login-username", "login-password"]
# Behind a reverse proxy: AXES_PROXY_COUNT=<number of proxies> reads X-Forwarded-For.
if os.environ.get("AXES_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ["AXES_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
# Producer API tokens live PRODUCER_TOKEN_HOURS (default 30 days); at most
# PRODUCER_TOKEN_LIMIT live tokens per producer.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=int(os.environ.get("PRODUCER_TOKEN_HOURS", str(24 * 30)))),
    "TOKEN_LIMIT_PER_USER": int(os.environ.get("PRODUCER_TOKEN_LIMIT", "10")),
    "AUTO_REFRESH": False,
}

# Livestream selling (shop.live): a live price stays on a basket line LIVE_PRICE_GRACE_MINUTES
# after the session ends; a comment hold keeps its stock LIVE_HOLD_MINUTES; a seller's link
# attributes orders for LIVE_ATTRIBUTION_DAYS. Meta's Page webhook: the app secret signs
# deliveries (X-Hub-Signature-256), the verify token answers the subscription handshake.
LIVE_PRICE_GRACE_MINUTES = int(os.environ.get("LIVE_PRICE_GRACE_MINUTES", "30"))
LIVE_HOLD_MINUTES = int(os.environ.get("LIVE_HOLD_MINUTES", "30"))
LIVE_ATTRIBUTION_DAYS = int(os.environ.get("LIVE_ATTRIBUTION_DAYS", "30"))
META_APP_SECRET = os.environ.get("META_APP_SECRET", "")
META_VERIFY_TOKEN = os.environ.get("META_VERIFY_TOKEN", "")

# The Saleor-compatible storefront API (shop.graphql, /graphql/): the one channel's slug;
# an access token lives GRAPHQL_ACCESS_TOKEN_MINUTES, a refresh token GRAPHQL_REFRESH_TOKEN_DAYS
# (Saleor's defaults: 5 minutes and 30 days).
GRAPHQL_CHANNEL = os.environ.get("GRAPHQL_CHANNEL", "default-channel")
GRAPHQL_ACCESS_TOKEN_MINUTES = int(os.environ.get("GRAPHQL_ACCESS_TOKEN_MINUTES", "5"))
GRAPHQL_REFRESH_TOKEN_DAYS = int(os.environ.get("GRAPHQL_REFRESH_TOKEN_DAYS", "30"))

# E-invoices (shop.invoicing): INVOICE_PROVIDER "local" issues them in-process with the fake
# provider's rules (demo, development); "http" posts the tax authority's XML to the provider's
# gateway INVOICE_PROVIDER_URL (Bearer INVOICE_PROVIDER_TOKEN, INVOICE_PROVIDER_TIMEOUT
# seconds); INVOICE_PROVIDER_TAX_CODE is the provider's tax code written in the XML.
INVOICE_PROVIDER = os.environ.get("INVOICE_PROVIDER", "local")
INVOICE_PROVIDER_URL = os.environ.get("INVOICE_PROVIDER_URL", "")
INVOICE_PROVIDER_TOKEN = os.environ.get("INVOICE_PROVIDER_TOKEN", "")
INVOICE_PROVIDER_TIMEOUT = float(os.environ.get("INVOICE_PROVIDER_TIMEOUT", "10"))
INVOICE_PROVIDER_TAX_CODE = os.environ.get("INVOICE_PROVIDER_TAX_CODE", "0100109106")
# where a buyer looks an invoice up (the provider's page); empty: the tax authority's portal
INVOICE_LOOKUP_URL = os.environ.get("INVOICE_LOOKUP_URL", "")

# OCOP evaluation (shop.evaluation): council members' points on one criterion differing by
# more than EVALUATION_SCORE_SPREAD are flagged for the council's discussion.
EVALUATION_SCORE_SPREAD = int(os.environ.get("EVALUATION_SCORE_SPREAD", "3"))

# Tourism experiences (shop.experiences): online bookings close EXPERIENCE_BOOKING_LEAD_HOURS
# before the start, every channel (the till too) EXPERIENCE_BOOKING_CUTOFF_HOURS before; a buyer
# cancels until EXPERIENCE_CANCEL_CUTOFF_HOURS before the start.
EXPERIENCE_BOOKING_LEAD_HOURS = float(os.environ.get("EXPERIENCE_BOOKING_LEAD_HOURS", "12"))
EXPERIENCE_BOOKING_CUTOFF_HOURS = float(os.environ.get("EXPERIENCE_BOOKING_CUTOFF_HOURS", "0"))
EXPERIENCE_CANCEL_CUTOFF_HOURS = float(os.environ.get("EXPERIENCE_CANCEL_CUTOFF_HOURS", "24"))
# a gift voucher sold inside a gift combo is valid this many days from the order
EXPERIENCE_GIFT_VOUCHER_DAYS = int(os.environ.get("EXPERIENCE_GIFT_VOUCHER_DAYS", "365"))
