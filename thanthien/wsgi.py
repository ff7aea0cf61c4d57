"""WSGI entry point (gunicorn thanthien.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thanthien.settings.prod")
application = get_wsgi_application()
