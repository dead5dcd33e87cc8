# From github.com/000yesnt/yga-flask, gunicorn.conf.py (commit 0201972)
access_log_format = '%({X-Forwarded-For}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'
