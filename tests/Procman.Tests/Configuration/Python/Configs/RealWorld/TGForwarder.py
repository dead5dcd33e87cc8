# From github.com/227qidian/TGForwarder, gunicorn.conf.py (commit 0e5f0d5)
# Gunicorn 配置文件
import os
import multiprocessing

bind = "0.0.0.0:5000"
workers = 1
worker_class = "sync"
max_requests = 1000
max_requests_jitter = 50
timeout = 300
keepalive = 5
accesslog = "logs/access.log"
errorlog = "logs/error.log"
loglevel = "info"
proc_name = "tgforwarder"
daemon = False

# 工作目录
chdir = os.path.dirname(os.path.abspath(__file__))

preload_app = False

def on_starting(server):
    """服务器启动时创建日志目录"""
    if not os.path.exists("logs"):
        os.makedirs("logs")
