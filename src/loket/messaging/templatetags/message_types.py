from django import template

from loket.messaging.models import type_label

register = template.Library()


@register.filter
def message_type(kind: str) -> str:
    """`{{ m.kind|message_type }}`: the type in the language of the page (`models.type_label`)."""
    return type_label(kind)
