"""gunicorn settings for `make serve`; the command line sets workers and bind."""

accesslog = "-"
errorlog = "-"
timeout = 60
graceful_timeout = 30
# Streamed exports can run long; a worker per request keeps the others responsive.
worker_class = "sync"
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = "*"
