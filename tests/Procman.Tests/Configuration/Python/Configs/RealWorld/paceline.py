# From github.com/0xPCP/paceline, gunicorn.conf.py (commit 66f56f5)
import os

# Worker count: 2 is right for a 1-shared-vCPU container (basic-xs).
# Override via WEB_CONCURRENCY env var if scaling up.
workers = int(os.environ.get('WEB_CONCURRENCY', 2))
worker_class = 'sync'
timeout = 60
preload_app = True

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"

accesslog = '-'
errorlog = '-'
loglevel = 'info'


def post_fork(server, worker):
    """Reset the SQLAlchemy connection pool in each worker after forking."""
    try:
        from wsgi import app
        with app.app_context():
            from app.extensions import db
            db.engine.dispose()
    except Exception:
        pass
