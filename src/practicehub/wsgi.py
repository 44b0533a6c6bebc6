from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practicehub.settings")
application = get_wsgi_application()
# Import every URLconf and view (and the engines behind them) now, while the server starts,
# rather than in the first request someone makes (5-8 s on a small machine).
get_resolver().url_patterns  # noqa: B018 - evaluated for its imports
