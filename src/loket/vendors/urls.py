"""The vendor API's URLs. The endpoints authenticate vendors themselves, so Django-level access is public."""

from typing import cast

from django.urls import URLPattern

from loket.core.access import public
from loket.vendors.api import api

app_name = "vendors"
# Only the endpoints: ninja's root view ("") would shadow the site's home page.
_patterns = [pattern for pattern in cast(list[URLPattern], api.urls[0]) if pattern.name != "api-root"]  # ninja's: flat
for _pattern in _patterns:
    public(_pattern.callback)

urlpatterns = _patterns
