from django.conf import settings
from django.http import HttpRequest


def current_organisation(request: HttpRequest) -> dict:
    return {
        "current_organisation": getattr(request, "organisation", None),
        "current_roles": getattr(request, "roles", frozenset()),
        "simulation": getattr(request, "simulation", None),
        "user_memberships": getattr(request, "memberships", []),
        "dev_login_enabled": settings.LOKET_DEV_LOGIN and settings.DEBUG,
        "helpdesk_email": settings.LOKET_HELPDESK_EMAIL,
    }
