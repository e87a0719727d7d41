"""The holder form: the values of one version, the choice Wijziging or Correctie, and a person by search or new."""

from django import forms
from django.utils.translation import gettext_lazy as _

from loket.mandates.codes import Status, policy_domains
from loket.mandates.models import Fractie, Mandate, OrganTerm


def date_input() -> forms.DateInput:
    """A browser's date input takes only yyyy-mm-dd; the Dutch format (02-12-2024) would leave it empty."""
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class HolderForm(forms.Form):
    mandate = forms.ModelChoiceField(label=_("Mandaat"), queryset=Mandate.objects.none(), required=False)
    start = forms.DateField(label=_("Begin"), required=False, widget=date_input())
    end = forms.DateField(label=_("Einde"), required=False, widget=date_input())
    status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *Status.choices], required=False)
    rangorde = forms.CharField(label=_("Rangorde"), required=False, max_length=100)
    fractie = forms.ModelChoiceField(label=_("Fractie"), queryset=Fractie.objects.none(), required=False)
    policy_domains = forms.MultipleChoiceField(
        label=_("Beleidsdomeinen"),
        required=False,
        help_text=_("Voor de burgemeester, het college en de deputatie; kies er een of meer (Ctrl of Cmd + klik)."),
        widget=forms.SelectMultiple(attrs={"size": 8, "lang": "nl"}),  # the code list is Dutch only
    )

    def __init__(self, *args, term: OrganTerm, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["policy_domains"].choices = list(policy_domains().items())  # type: ignore[attr-defined]
        self.fields["mandate"].queryset = Mandate.objects.filter(term=term)  # type: ignore[attr-defined]
        self.fields["fractie"].queryset = Fractie.objects.filter(  # type: ignore[attr-defined]
            organisation_id=term.organ.organisation_id, end__isnull=True
        ).order_by("name")


class EditForm(HolderForm):
    KIND_CHOICES = [("wijziging", _("Wijziging (nieuwe versie vanaf een datum)")), ("correctie", _("Correctie"))]
    kind = forms.ChoiceField(label=_("Soort aanpassing"), choices=KIND_CHOICES, widget=forms.RadioSelect)
    at = forms.DateField(label=_("Datum van de wijziging"), required=False, widget=date_input())


class PersonForm(forms.Form):
    given_names = forms.CharField(label=_("Voornamen"), required=False, max_length=200)
    family_name = forms.CharField(label=_("Familienaam"), required=False, max_length=200)
    national_number = forms.CharField(label=_("Rijksregisternummer"), required=False, max_length=20)
