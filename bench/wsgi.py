"""civicflow's WSGI application with the benchmark's ceiling views added."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicflow.config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

settings.ROOT_URLCONF = "bench.urls"
application = get_wsgi_application()
