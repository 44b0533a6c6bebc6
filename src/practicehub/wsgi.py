from __future__ import annotations

import gc
import os

import ibis.backends.sql.compilers  # noqa: F401 - what ibis.to_sql loads on its first use (0.3 s)
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practicehub.settings")
application = get_wsgi_application()
# Import every URLconf and view (and the engines behind them) now, while the server starts,
# rather than in the first request someone makes (5-8 s on a small machine).
get_resolver().url_patterns  # noqa: B018 - evaluated for its imports
# What is loaded now lives as long as the process: the collector need not walk it again in each
# full collection (a pause of 0.1 s in a request) and, after gunicorn forks, the workers share
# its memory pages instead of copying them when the collector touches them.
gc.freeze()
