"""The helpdesk's back office (Django admin) in the Loket's words: Dutch headers, and success messages with the
article the noun takes ("Het bestuur ‘Aalst’ is gewijzigd", not Django's one-size "De bestuur …").

Every ModelAdmin registered on this site gets `ArticleMessagesMixin`, so a module's admin needs nothing special.
"""

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Dutch nouns among the models' verbose names that take "het" (the rest take "de").
NEUTER_NOUNS = frozenset({"bestuur", "bestuursorgaan", "lidmaatschap", "platform", "type dossier", "bestand"})


def with_article(message: str, noun: str) -> str:
    """Django's Dutch admin messages start with "De {noun}" and refer back with "deze"; a neuter noun takes
    "Het" and "het"."""
    if noun not in NEUTER_NOUNS or not message.startswith(f"De {noun} "):
        return message
    fixed = "Het" + message[2:]
    fixed = fixed.replace("U kunt deze hieronder", "U kunt het hieronder")
    return mark_safe(fixed) if isinstance(message, SafeString) else fixed  # noqa: S308 - only words changed


class ArticleMessagesMixin:
    def message_user(
        self,
        request: HttpRequest,
        message: str,
        level: int = messages.INFO,
        extra_tags: str = "",
        fail_silently: bool = False,
    ) -> None:
        if (get_language() or "").startswith("nl"):
            message = with_article(message, str(self.opts.verbose_name))  # type: ignore[attr-defined]
        super().message_user(request, message, level, extra_tags, fail_silently)  # type: ignore[misc]


class LoketAdminSite(admin.AdminSite):
    site_header = _("Loket voor Lokale Besturen — back office")
    site_title = _("Back office van het Loket")
    index_title = _("Beheer")

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, ArticleMessagesMixin):
            admin_class = type(
                admin_class.__name__,
                (ArticleMessagesMixin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)
