from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from loket.accounts.roles import Role


class AccessRequestForm(forms.Form):
    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Familienaam"), max_length=150)
    email = forms.EmailField(label=_("E-mailadres"))
    phone = forms.CharField(label=_("Telefoon"), max_length=40, required=False)
    job_title = forms.CharField(label=_("Functie"), max_length=150, required=False)
    select_all = forms.BooleanField(label=_("Alle rollen selecteren"), required=False)
    roles = forms.MultipleChoiceField(label=_("Rollen"), widget=forms.CheckboxSelectMultiple, required=False)
    reason = forms.CharField(
        label=_("Reden"), max_length=500, initial=_("Bestuurslid"), help_text=_("Bijvoorbeeld: Bestuurslid")
    )

    def __init__(self, *args, roles: list[Role], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["roles"]).choices = [
            (role.value, _("Toegangsbeheer (lokale toegangsbeheerder: beslist over de aanvragen van collega's)"))
            if role == Role.ACCESS_MANAGER
            else (role.value, role.label)
            for role in roles
        ]

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        if data.get("select_all"):
            # Every module; managing access is a responsibility one asks for on purpose, not a module.
            choices = cast(list[tuple[str, str]], cast(forms.ChoiceField, self.fields["roles"]).choices)  # __init__'s
            data["roles"] = [value for value, _label in choices if value != Role.ACCESS_MANAGER] + [
                value for value in data.get("roles") or [] if value == Role.ACCESS_MANAGER
            ]
        if not data.get("roles"):
            self.add_error("roles", _("Kies minstens één rol, of 'Alle rollen selecteren'."))
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Goedkeuren")), ("refuse", _("Weigeren"))])
    roles = forms.MultipleChoiceField(
        label=_("Toe te kennen rollen"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("U kunt minder rollen toekennen dan gevraagd; de aanvrager krijgt een e-mail met welke niet."),
    )
    reason = forms.CharField(label=_("Reden"), max_length=500, required=False)

    def __init__(self, *args, asked: list[str], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["roles"]).choices = [
            (code, Role(code).label) for code in asked if code in Role.values
        ]
        self.fields["roles"].initial = list(asked)

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        if data.get("decision") == "refuse" and not data.get("reason", "").strip():
            self.add_error("reason", _("Geef een reden voor de weigering."))
        if data.get("decision") == "approve" and not data.get("roles"):
            self.add_error("roles", _("Kies minstens één rol om toe te kennen, of weiger de aanvraag."))
        return data


class EndMembershipForm(forms.Form):
    reason = forms.CharField(label=_("Reden"), max_length=500)


class EndAllForm(forms.Form):
    reason = forms.CharField(label=_("Reden"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(
        label=_("Ik bevestig dat de toegang van alle leden wordt stopgezet en de aanvragen in behandeling vervallen.")
    )


class DevLoginForm(forms.Form):
    first_name = forms.CharField(label=_("Voornaam"), max_length=150, initial="Dirk")
    last_name = forms.CharField(label=_("Familienaam"), max_length=150, initial="Demo")
    email = forms.EmailField(label=_("E-mailadres"), initial="dirk.demo@example.org")
    organisation = forms.CharField(
        label=_("Bestuur (naam of KBO-nummer)"),
        required=False,
        help_text=_("Leeg laten om aan te melden zonder bestuur (bv. om toegang aan te vragen)."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Rollen"), widget=forms.CheckboxSelectMultiple, required=False, choices=Role.choices
    )
    is_helpdesk = forms.BooleanField(label=_("Medewerker helpdesk ABB (back-office)"), required=False)
