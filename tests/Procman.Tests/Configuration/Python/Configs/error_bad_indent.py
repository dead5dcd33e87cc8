import os

if os.environ.get("ENV") == "production":
    workers = 8
  loglevel = "warning"
