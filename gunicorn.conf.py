"""gunicorn settings for the web role: `gunicorn -c gunicorn.conf.py dashboard.wsgi`.

Everything an operator tunes comes from the environment, like the Django settings.
"""

import multiprocessing
import os

# Behind a reverse proxy on the same host, or 0.0.0.0:$PORT on a platform that sets PORT.
bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Pages are short database reads: a few sync workers per core, each with its own
# persistent connection (CONN_MAX_AGE).
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
worker_class = "sync"
# A page that takes longer than this is a bug or a stuck database: kill and log it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then, spread out so that they do not all restart together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Heartbeat files in memory, so a slow disk cannot make healthy workers look dead.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Trust X-Forwarded-* only from the proxy in front (comma-separated addresses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Logs to stdout/stderr, where the process manager collects them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
proc_name = "tracker-web"
