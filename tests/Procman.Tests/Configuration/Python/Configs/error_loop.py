import os

bind = "0.0.0.0:8000"
workers = 0
for i in range(4):
    workers += 1
