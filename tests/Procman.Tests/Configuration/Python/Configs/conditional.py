import os

ENVIRONMENT = os.environ.get("ENV", "development")

if os.environ.get("ENV") == "production":
    workers = 8
    loglevel = "warning"
    reload = False
    # Production sits behind a proxy with its own TLS.
    bind = ["unix:/run/app.sock"]
elif ENVIRONMENT == "staging":
    workers = 2
    loglevel = "info"
    reload = False
    bind = ["0.0.0.0:8000"]
else:
    workers = 1
    loglevel = "debug"
    reload = True
    bind = ["127.0.0.1:8000"]
    if "DEBUG_PORT" in os.environ:
        bind += [f"127.0.0.1:{os.environ['DEBUG_PORT']}"]
