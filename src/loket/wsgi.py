import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
django_application = get_wsgi_application()

# The vendor API's four paths take a lean route (security middleware only); every other path is unchanged.
from loket.core.runtime import tune_garbage_collector  # noqa: E402 - needs the settings configured above
from loket.vendors.wsgi import with_lean_vendor_api  # noqa: E402 - needs the settings configured above

application = with_lean_vendor_api(django_application)

# A gunicorn worker serves many requests: what is loaded now stays, and the collector need not walk it (core.runtime).
tune_garbage_collector()
