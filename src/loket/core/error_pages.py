"""The 400 and 500 pages (templates/400.html, 500.html). They are rendered from a plain context, never a request
context: no context processor, session, user or database query runs, so they render when those are what failed. The
footer they share with every page (includes/site_footer.html) only needs the helpdesk's address, given here, and
leaves out the privacy notice's link when that address cannot be reversed."""

from typing import Any

from django.conf import settings
from django.template import loader


def error_page_render(template_name: str, **context: Any) -> str:
    return loader.get_template(template_name).render({"helpdesk_email": settings.LOKET_HELPDESK_EMAIL, **context})
