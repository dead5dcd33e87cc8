import os

bind = f"0.0.0.0:{os.environ['PORT']}"
