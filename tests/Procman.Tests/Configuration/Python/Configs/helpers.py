from multiprocessing import cpu_count
from os import environ

CORES = cpu_count()
PORT = int(environ.get("PORT", 8000))
HOST = "0.0.0.0"

workers = CORES * 2 + 1
threads = max(2, CORES // 2)
bind = f"{HOST}:{PORT}"
proc_name = f"app-{CORES * 2}w"
umask = 0o022
limit_request_line = 8_190
raw_env = [
    "DJANGO_SETTINGS_MODULE=app.settings",  # trailing comment inside brackets
    f"PORT={PORT}",
]
