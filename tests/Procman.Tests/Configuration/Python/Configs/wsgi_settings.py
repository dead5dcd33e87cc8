# Settings that only mean something to Python/WSGI servers: procman will map or ignore them.
wsgi_app = "myproject.wsgi:application"
worker_class = "uvicorn.workers.UvicornWorker"
threads = 4
preload_app = True
worker_connections = 1000
sendfile = None
raw_paste_global_conf = []
secure_scheme_headers = {
    "X-FORWARDED-PROTOCOL": "ssl",
    "X-FORWARDED-PROTO": "https",
    "X-FORWARDED-SSL": "on",
}
