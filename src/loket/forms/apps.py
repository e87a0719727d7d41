"""Django app for the semantic form engine (lblod form vocabulary)."""

from django.apps import AppConfig


class SemanticFormsConfig(AppConfig):
    name = "loket.forms"
    label = "semantic_forms"
    verbose_name = "Semantische formulieren"
