"""Django app for the semantic form engine (lblod form vocabulary)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SemanticFormsConfig(AppConfig):
    name = "loket.forms"
    label = "semantic_forms"
    verbose_name = _("Semantische formulieren")
