"""`{% load naming %}`: `{{ org|body_name }}`, `{{ org|body_title }}` and `{% body org %}` (the name with the KBO
number as its title), the one way templates name a body (see loket.organisations.naming)."""

from django import template
from django.utils.html import format_html

from loket.organisations import naming
from loket.organisations.models import Organisation

register = template.Library()


@register.filter
def body_name(organisation: Organisation | None) -> str:
    return naming.display_name(organisation)


@register.filter
def body_title(organisation: Organisation | None) -> str:
    return naming.display_title(organisation)


@register.simple_tag
def body(organisation: Organisation | None) -> str:
    name = naming.display_name(organisation)
    title = naming.display_title(organisation)
    if not title:
        return format_html("{}", name)
    return format_html('<span class="body-name" title="{}">{}</span>', title, name)
