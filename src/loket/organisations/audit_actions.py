"""The audit trail's words for the helpdesk's changes to organisations and their channel switches."""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field
from django.utils.translation import gettext_lazy as _

from loket.core.audit import audit_action_register
from loket.organisations.models import Organisation


def field_labels(names: list[str]) -> str:
    labels = []
    for name in names:
        try:
            field = Organisation._meta.get_field(name)
            # A reverse relation has no verbose_name; the admin only names the model's own fields.
            labels.append(str(field.verbose_name) if isinstance(field, Field) else name)
        except FieldDoesNotExist:
            labels.append(name)
    return ", ".join(labels)


def channel_name(value: str) -> str:
    """The stored "loket" is the Loket itself; anything else is a platform's name."""
    return str(_("Loket")) if value == "loket" else value


audit_action_register(
    "organisation.created",
    label=_("Bestuur aangemaakt"),
    sentence=_("Bestuur aangemaakt met %(fields)s."),
    words={"fields": field_labels},
)
audit_action_register(
    "organisation.changed",
    label=_("Bestuur gewijzigd"),
    sentence=_("Gewijzigd: %(fields)s."),
    words={"fields": field_labels},
)
audit_action_register(
    "organisation.channel_switched",
    label=_("Kanaal gewijzigd"),
    sentence=_(
        "Kanaal gewijzigd van %(previous)s naar %(channel)s, reden: %(reason)s "
        "(lidmaatschappen beëindigd: %(memberships_ended)s)"
    ),
    words={"previous": channel_name, "channel": channel_name},
)
