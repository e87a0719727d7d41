"""The 400 and 500 pages (templates/400.html, 500.html). They are rendered from a plain context, never a request
context: no context processor, session, user or database query runs, so they render when those are what failed. The
footer they share with every page (includes/site_footer.html) only needs the helpdesk's address, given here, and
leaves out the privacy notice's link when that address cannot be reversed.

The 403 and 404 pages are the portal's own, in the site's frame (base.html needs the database, the session, the
static files' manifest); `framed_or_plain` sends their plain bilingual page (403_plain.html, 404_plain.html), rendered
the same plain way, when that frame cannot be rendered: a refusal or a wrong address never becomes a 500."""

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader

server_error_logger = logging.getLogger("loket.incident")


def error_page_render(template_name: str, **context: Any) -> str:
    return loader.get_template(template_name).render({"helpdesk_email": settings.LOKET_HELPDESK_EMAIL, **context})


def framed_or_plain(request: HttpRequest, page: Callable[[], HttpResponse], *, status: int) -> HttpResponse:
    """`page()`, the portal's page for `status`; when it raises, `<status>_plain.html` with the same status."""
    try:
        return page()
    except Exception:  # the page of last resort: whatever broke the frame is logged, not shown
        server_error_logger.exception(
            "The %s page could not be rendered; the plain one was sent: %s", status, request.path
        )
        return HttpResponse(error_page_render(f"{status}_plain.html"), status=status)
