# From github.com/0-ng/end_portal-rest, gunicorn.conf.py (commit 4648f0d)
workers = 5
worker_class = "gevent"
bind = "0.0.0.0:80"
accesslog = '-'
