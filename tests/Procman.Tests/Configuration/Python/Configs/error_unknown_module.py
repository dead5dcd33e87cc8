"""Pulls settings from a helper module, which procman cannot load."""
import os
from myapp.settings import GUNICORN_WORKERS

workers = GUNICORN_WORKERS
