import os

bind = "0.0.0.0:8000"
workers = 0
while workers >= 0:
    workers += 1
