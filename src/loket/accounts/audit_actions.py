"""The audit trail's words for logging in and out and for access (requests, grants, refusals, revocations)."""

import re

from django.db.models import Field
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from loket.accounts.models import Membership
from loket.accounts.roles import Role
from loket.core.audit import always, audit_action_register


def role_names(codes: list[str]) -> str:
    labels = dict(Role.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes)


def login_method(method: str) -> str:
    return str(
        {
            "oidc": _("ACM/IDM"),
            "development": _("de ontwikkelaanmelding"),
            "password": _("het wachtwoord van de back office"),
        }.get(method, method)
    )


def user_field_names(names: list[str]) -> str:
    from loket.accounts.models import User

    fields = [User._meta.get_field(name) for name in names]
    # A reverse relation has no verbose_name; only the user's own fields are ever named.
    return ", ".join(str(field.verbose_name) if isinstance(field, Field) else field.name for field in fields)


def refusal_reason(reason: str) -> str:
    """A refusal's reason, kept in Dutch (the record's language, `views.pages._refusal_reason`), in the reader's
    language: a fixed reason is its own message id; "de rol … ontbreekt" names the role. Another reason (an older
    event's, kept in the language of its request) is shown as kept."""
    translated = gettext(reason)
    if translated != reason:
        return translated
    missing = re.fullmatch(r"de rol (.+) ontbreekt", reason)
    if missing:
        with translation.override("nl"):
            roles = {str(label): code for code, label in Role.choices}
        if missing[1] in roles:
            return str(_("de rol %(role)s ontbreekt") % {"role": Role(roles[missing[1]]).label})
    return reason


def membership_source(source: str) -> str:
    return str(dict(Membership.Source.choices).get(source, source))


LOGIN_REFUSALS = {
    "no_subject": _("de identiteitsprovider gaf geen identiteit door"),
    "unknown_organisation": _("onbekend bestuur"),
    "channel": _("het bestuur werkt via een platform"),
}

audit_action_register(
    "login", label=_("Aangemeld"), sentence=_("Aangemeld via %(method)s."), words={"method": login_method}
)
audit_action_register(
    "access.staff_granted",
    label=_("Helpdeskrechten gegeven"),
    sentence=_("Helpdeskrechten (back office) gegeven aan %(user)s via %(source)s."),
    words={"source": login_method},
)
audit_action_register(
    "login.refused",
    label=_("Aanmelding geweigerd"),
    sentence=_("Aanmelding geweigerd voor organisatiecode %(code)s: %(reason)s."),
    words={"reason": lambda code: str(LOGIN_REFUSALS.get(code, code))},
)
audit_action_register("logout", label=_("Afgemeld"), sentence=_("Afgemeld."))
audit_action_register(
    "login.confirm_refused",
    label=_("Bevestiging als een andere persoon"),
    sentence=_(
        "Bij het bevestigen meldde %(other)s zich aan bij de identiteitsprovider, niet de persoon van deze sessie "
        "(vanaf %(address)s): niets bevestigd, de sessie bleef ongewijzigd."
    ),
)
audit_action_register(
    "login.confirmed",
    label=_("Aanmelding bevestigd"),
    sentence=_("Bevestigd wie hij of zij is via %(method)s, vanaf %(address)s (vóór een gevoelige handeling)."),
    words={"method": login_method},
)
audit_action_register(
    "session.ended",
    label=_("Sessie afgemeld"),
    sentence=_("%(others)s andere sessie(s) afgemeld via Mijn sessies, vanaf %(address)s."),
)
audit_action_register(
    "personal_data.exported",
    label=_("Eigen gegevens gedownload"),
    sentence=_("Eigen gegevens gedownload via Mijn gegevens (%(events)s auditgebeurtenissen), vanaf %(address)s."),
)
audit_action_register(
    "session.purged",
    label=_("Aanmeldingen opgeruimd"),
    sentence=_(
        "%(count)s aanmelding(en) van beëindigde sessies verwijderd: aangemeld meer dan %(days)s dagen geleden "
        "(bewaartermijn)."
    ),
)
audit_action_register(
    "access_request.purged",
    label=_("Toegangsaanvragen opgeruimd"),
    sentence=_(
        "%(count)s besliste toegangsaanvra(a)g(en) verwijderd: beslist, of het lidmaatschap dat ze gaven beëindigd, "
        "meer dan %(days)s dagen geleden (bewaartermijn)."
    ),
)
audit_action_register(
    "user.contact_purged",
    label=_("E-mailadressen gewist"),
    sentence=_(
        "Het e-mailadres van %(count)s vertrokken gebruiker(s) gewist: geen lidmaatschap en niet aangemeld sinds meer "
        "dan %(days)s dagen (bewaartermijn)."
    ),
)
audit_action_register(
    "login.failed",
    label=_("Aanmelding mislukt"),
    sentence=_("Mislukte aanmelding met het wachtwoord van de back office als %(username)s vanaf %(address)s."),
)
audit_action_register(
    "login.code_failed",
    label=_("Foute code bij het aanmelden"),
    sentence=_(
        "Het wachtwoord van de back office klopte, maar de code van de tweede aanmeldstap niet (vanaf %(address)s)."
    ),
    alert=lambda details: bool(details.get("reused")),  # somebody replays a code they saw: the holder is mailed too
)
audit_action_register(
    "second_factor.enrolled",
    label=_("Tweede aanmeldstap ingesteld"),
    sentence=_("Een app voor de tweede aanmeldstap ingesteld en bevestigd, vanaf %(address)s."),
)
audit_action_register(
    "second_factor.reset",
    label=_("Tweede aanmeldstap gewist"),
    sentence=_("%(count)s app(s) voor de tweede aanmeldstap van %(user)s verwijderd: %(reason)s."),
    alert=always,  # the way in for somebody who talked the helpdesk into it
)
audit_action_register(
    "second_factor.unreadable",
    label=_("Sleutel van de tweede aanmeldstap onleesbaar"),
    sentence=_(
        "Aanmelden geweigerd: geen ingestelde sleutel opent de versleutelde sleutel van de app voor de tweede "
        "aanmeldstap (vanaf %(address)s)."
    ),
    alert=always,  # a row changed behind the application's back, or a key dropped too early: both need a person
)
audit_action_register(
    "second_factor.rekeyed",
    label=_("Sleutels van de tweede aanmeldstap vernieuwd"),
    sentence=_(
        "%(count)s sleutel(s) van apps voor de tweede aanmeldstap onder de huidige sleutel versleuteld; "
        "%(unreadable)s onleesbaar."
    ),
)
audit_action_register(
    "access.denied",
    label=_("Toegang geweigerd"),
    sentence=_("Toegang geweigerd tot %(method)s %(path)s vanaf %(address)s: %(reason)s."),
    words={"reason": refusal_reason},
)
audit_action_register(
    "access.requested",
    label=_("Toegang aangevraagd"),
    sentence=_("Toegang aangevraagd met de rollen %(roles)s (aanvraag %(request)s)."),
    words={"roles": role_names},
)
audit_action_register(
    "access.refused",
    label=_("Aanvraag geweigerd"),
    sentence=_("Aanvraag %(request)s van %(user)s geweigerd, reden: %(reason)s"),
)
audit_action_register(
    "access.granted",
    label=_("Toegang verleend"),
    sentence=_("Toegang verleend aan %(user)s met de rollen %(roles)s (via %(source)s)."),
    words={"roles": role_names, "source": membership_source},
)
audit_action_register(
    "access.revoked",
    label=_("Toegang stopgezet"),
    sentence=_("Toegang van %(user)s stopgezet (rollen: %(roles)s), reden: %(reason)s"),
    words={"roles": role_names},
)
audit_action_register(
    "access.approved",
    label=_("Aanvraag goedgekeurd"),
    sentence=_(
        "Aanvraag %(request)s van %(user)s goedgekeurd met de rollen %(roles)s; niet toegekend: %(not_granted)s."
    ),
    words={"roles": role_names, "not_granted": role_names},
)
audit_action_register(
    "access.request_lapsed",
    label=_("Aanvraag vervallen"),
    sentence=_("Aanvraag %(request)s van %(user)s vervallen, reden: %(reason)s"),
)
audit_action_register(
    "user.rights_changed",
    label=_("Rechten gewijzigd"),
    sentence=_(
        "Rechten van %(user)s gewijzigd in de back-office (%(fields)s): helpdeskmedewerker %(is_staff)s, "
        "alle rechten %(is_superuser)s, actief %(is_active)s."
    ),
    words={"fields": user_field_names},
    alert=lambda details: any(
        name in details.get("fields", []) and details.get(name) for name in ("is_staff", "is_superuser")
    ),  # back-office rights given
)
audit_action_register(
    "simulation.started",
    label=_("Simulatie gestart"),
    sentence=_("Simulatie van het bestuur gestart (ten hoogste %(minutes)s minuten) met de rollen %(roles)s."),
    words={"roles": role_names},
)
audit_action_register(
    "simulation.stopped", label=_("Simulatie gestopt"), sentence=_("Simulatie van het bestuur gestopt.")
)
audit_action_register(
    "simulation.expired",
    label=_("Simulatie verlopen"),
    sentence=_("Simulatie van het bestuur beëindigd: de toegestane tijd was om."),
)
