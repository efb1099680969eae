"""Settings for the dispute tracker, read from the environment.

Unset DATABASE_URL means SQLite in the project folder; unset CELERY_BROKER_URL means
kombu's filesystem transport under var/broker, so a real worker and beat run with no
server. Production sets both (PostgreSQL and Redis).
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
DEBUG = envbool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
if SECRET_KEY == DEV_SECRET_KEY and not DEBUG and not envbool("ALLOW_DEV_SECRET_KEY", True):
    raise ImproperlyConfigured("Set SECRET_KEY: the development key is refused in production.")
PRODUCTION = envbool("PRODUCTION", False)
if PRODUCTION and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY: the development key is refused in production.")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (it shows settings and code in error pages).")
if PRODUCTION and not os.environ.get("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("Set ALLOWED_HOSTS to the host names this deployment answers to.")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "simple_history",
    "axes",
    "tracker",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Who made each admin change, for the audit trail (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into a clear 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dashboard.urls"
WSGI_APPLICATION = "dashboard.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Persistent connections: a one-query view is several times slower without them.
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer must fail a request or a task quickly, not hang it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", envint("DB_CONNECT_TIMEOUT", 5))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process, the worker and beat share one SQLite file in the demo.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # Covering indexes (INCLUDE, for PostgreSQL) are plain indexes on SQLite: expected.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Failed-login throttling (django-axes): after AXES_FAILURE_LIMIT failures for one
# username from one address, logins for it are refused until the cool-off passes.
AUTHENTICATION_BACKENDS = [
    "dashboard.auth.ThrottledLoginBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = envbool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind N reverse proxies, read the client address from X-Forwarded-For; without
# one, trusting that header would let a client pick its own address.
if envint("AXES_PROXY_COUNT", 0):
    AXES_IPWARE_PROXY_COUNT = envint("AXES_PROXY_COUNT", 0)
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Operators may open the dashboard to anyone who can reach it.
DASHBOARD_PUBLIC = envbool("DASHBOARD_PUBLIC", False)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
# WhiteNoise warns about a missing STATIC_ROOT even when it serves from the finders.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/chartjs-adapter-date-fns", NODE_MODULES / "chartjs-adapter-date-fns" / "dist"),
    ("vendor/chartjs-plugin-annotation", NODE_MODULES / "chartjs-plugin-annotation" / "dist"),
]
# Serve files straight from the finders when collectstatic has not run (make run, tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Celery: Redis in production, kombu's filesystem transport when no broker is set.
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's filesystem transport expects its folders to exist.
    for _folder in ("queue", "processed", "control"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Redis re-delivers an unacknowledged task after this long (acks_late tasks): it
        # must exceed the longest task plus the longest retry countdown.
        "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 3600),
        # Bounded waits, so a web request that enqueues fails fast when Redis is away.
        "socket_connect_timeout": float(os.environ.get("CELERY_BROKER_CONNECT_TIMEOUT", "2")),
        "socket_timeout": float(os.environ.get("CELERY_BROKER_SOCKET_TIMEOUT", "5")),
        "retry_on_timeout": False,
        # Ping idle connections so a restarted Redis is noticed before a publish fails.
        "health_check_interval": 25,
        # A killed worker's unacknowledged tasks are looked for every 10 s × this many.
        "unacked_restore_throttle": envint("CELERY_UNACKED_RESTORE_THROTTLE", 10),
    }
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("CELERY_BROKER_CONNECT_TIMEOUT", "2"))
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers keep reconnecting for as long as the broker is away, then resume.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Publishing (views, admin actions, the fan-out) tries twice within about a second, then
# raises kombu.exceptions.OperationalError for the caller to report.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
# Late-acknowledged tasks running when the broker connection drops are cancelled and
# redelivered rather than finished unacknowledged (they are idempotent).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_IGNORE_RESULT = True
# A worker that sits idle while tasks wait in its queues for this long has a stalled broker
# consumer (a known Redis-transport bug after reconnects) and restarts itself; 0 turns it off.
WORKER_STALL_SECONDS = envint("WORKER_STALL_SECONDS", 120)
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery closes the database connection around every task unless told to reuse it; a new
# PostgreSQL connection per task costs more than a whole 304 fetch. Reuse it for this many tasks.
CELERY_DB_REUSE_MAX = envint("CELERY_DB_REUSE_MAX", 200)
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 180)
# Per task: a fetch may spend the feed deadline, the page budget and politeness waits;
# tagging one article takes well under a second, so a minute means a runaway pattern.
# On the soft limit the task records the failure on its source or article.
# Database errors are retried with jittered exponential backoff; ten retries span
# minutes (five could all land within a couple of seconds and lose to a restart).
CELERY_TASK_ANNOTATIONS = {
    "tracker.tasks.source_fetch_task": {
        "soft_time_limit": envint("FETCH_SOFT_TIME_LIMIT", 180),
        "time_limit": envint("FETCH_TIME_LIMIT", 240),
        "max_retries": envint("TASK_MAX_RETRIES", 10),
    },
    "tracker.tasks.article_tag_task": {
        "soft_time_limit": envint("TAGGING_SOFT_TIME_LIMIT", 60),
        "time_limit": envint("TAGGING_TIME_LIMIT", 90),
        "max_retries": envint("TASK_MAX_RETRIES", 10),
    },
}
CELERY_TASK_DEFAULT_QUEUE = "tagging"
CELERY_TASK_ROUTES = {
    "tracker.tasks.source_fetch_task": {"queue": "fetch"},
    "tracker.tasks.sources_fan_out_task": {"queue": "fetch"},
    "tracker.tasks.article_tag_task": {"queue": "tagging"},
    "tracker.tasks.articles_requeue_stranded_task": {"queue": "tagging"},
}
CELERY_BEAT_SCHEDULE = {
    "fan-out-due-sources": {
        "task": "tracker.tasks.sources_fan_out_task",
        "schedule": float(envint("FAN_OUT_SECONDS", 60)),
    },
    # Articles whose tagging task was lost (a killed worker, a broker restart) are queued again.
    "requeue-stranded-articles": {
        "task": "tracker.tasks.articles_requeue_stranded_task",
        "schedule": float(envint("REQUEUE_SECONDS", 300)),
    },
    # Near-duplicate band keys of articles older than the window are no longer needed.
    "prune-sketch-bands": {
        "task": "tracker.tasks.sketch_bands_prune_task",
        "schedule": float(envint("PRUNE_BANDS_SECONDS", 6 * 3600)),
    },
}
# How long an article may wait untagged before it counts as stranded.
REQUEUE_STRANDED_AFTER = timedelta(seconds=envint("REQUEUE_STRANDED_AFTER_SECONDS", 900))
# ...and the sweep waits while more than this many tagging tasks are queued.
REQUEUE_MAX_BACKLOG = envint("REQUEUE_MAX_BACKLOG", 100)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Cache: Redis when CACHE_URL says so, or on the broker's Redis host (database
# CACHE_REDIS_DB, default 15, apart from the queues: run that Redis with
# maxmemory-policy volatile-lru so only expiring cache keys are ever evicted); local
# memory otherwise (per process: fine for one web process and for tests).
CACHE_URL = os.environ.get("CACHE_URL", "")
if not CACHE_URL and CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    _broker = urlsplit(CELERY_BROKER_URL)
    CACHE_URL = _broker._replace(path=f"/{envint('CACHE_REDIS_DB', 15)}", query="", fragment="").geturl()
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "tracker"),
            # A slow or absent Redis costs a render, not a hung page (dashboard/cache.py).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tracker"}}
# How long a rendered dashboard page body may be served from the cache (0 turns it off).
# Entries are keyed by the data version, so new data shows up on the next request anyway;
# this bounds staleness for changes made outside the tagging pipeline and the admin.
DASHBOARD_CACHE_SECONDS = envint("DASHBOARD_CACHE_SECONDS", 300)
# Pages kept fresh on write (dashboard/refresh.py): every PAGE_REFRESH_SECONDS, if the data
# changed, a worker renders again the addresses read in the last window, most recent
# first. On ("auto") when the page cache is shared (Redis); PAGE_REFRESH=1 or 0 forces it.
_shared_cache = CACHES["default"]["BACKEND"].endswith("RedisCache")
PAGE_REFRESH = _shared_cache if os.environ.get("PAGE_REFRESH", "auto") == "auto" else envbool("PAGE_REFRESH")
PAGE_REFRESH_SECONDS = envint("PAGE_REFRESH_SECONDS", 15)
PAGE_REFRESH_WINDOW_SECONDS = envint("PAGE_REFRESH_WINDOW_SECONDS", 3600)
PAGE_REFRESH_MAX = envint("PAGE_REFRESH_MAX", 500)
PAGE_REFRESH_BUDGET_SECONDS = envint("PAGE_REFRESH_BUDGET_SECONDS", 20)
# Passes wait while more tagging tasks than this are queued (they share the tagging workers).
PAGE_REFRESH_MAX_BACKLOG = envint("PAGE_REFRESH_MAX_BACKLOG", 20)
if PAGE_REFRESH:
    CELERY_BEAT_SCHEDULE["refresh-read-pages"] = {
        "task": "dashboard.tasks.pages_refresh_task",
        "schedule": float(PAGE_REFRESH_SECONDS),
    }

# Ingestion
# Seconds between two requests to one host, shared by all workers (politeness).
INGEST_HOST_INTERVAL = float(os.environ.get("INGEST_HOST_INTERVAL", "1.0"))
INGEST_ALLOW_PRIVATE_NETWORKS = envbool("INGEST_ALLOW_PRIVATE_NETWORKS", False)
# Exact networks allowed although private (one internal feed server, say); metadata ranges stay refused.
INGEST_ALLOWED_NETWORKS = envlist("INGEST_ALLOWED_NETWORKS")
# Total wall-clock seconds for one fetch, and the most decoded bytes it may read.
INGEST_DEADLINE_SECONDS = float(os.environ.get("INGEST_DEADLINE_SECONDS", "30"))
INGEST_MAX_BYTES = envint("INGEST_MAX_BYTES", 10 * 1024 * 1024)
INGEST_USER_AGENT = os.environ.get("INGEST_USER_AGENT", "ArmsDisputeTracker/1.0 (+https://github.com/; feed fetcher)")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes.apps": {"level": "WARNING"}},
}

# Health checks: how long to wait for the broker, and how old the newest successful
# fetch may be before /healthz reports ingestion as stale.
HEALTH_BROKER_TIMEOUT = float(os.environ.get("HEALTH_BROKER_TIMEOUT", "2"))
HEALTH_INGEST_MAX_AGE = envint("HEALTH_INGEST_MAX_AGE", 6 * 60 * 60)

if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # Preloading is what check --deploy asks for; an operator who opts out says so here.
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 60 * 60 * 12)
# Sessions end when the browser closes, and server-side after SESSION_COOKIE_AGE at most.
SESSION_EXPIRE_AT_BROWSER_CLOSE = envbool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_HTTPONLY = True

# Serve the synthetic demo feeds at /demo/ (make run turns this on).
DEMO_FEEDS = envbool("DEMO_FEEDS", False)

# The dashboard benchmark's one-query baseline view at /bench/one-query/ (off by default).
BENCHMARK_VIEWS = envbool("BENCHMARK_VIEWS", False)
