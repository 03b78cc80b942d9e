import os

from django.core.wsgi import get_wsgi_application

from tracker.serving import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
require_secret_key()
application = get_wsgi_application()
