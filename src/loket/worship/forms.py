"""The board-member and minister forms: the person (an existing one by national register number, or a new one),
the mandate or position, the dates and the contact point. Rules are checked by the services, not here."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PersonFields(forms.Form):
    rrn = forms.CharField(label=gettext_lazy("Rijksregisternummer"), max_length=20, required=False)
    first_name = forms.CharField(label=gettext_lazy("Voornaam"), max_length=100, required=False)
    last_name = forms.CharField(label=gettext_lazy("Familienaam"), max_length=100, required=False)
    sex = forms.ChoiceField(
        label=gettext_lazy("Geslacht"),
        choices=[("", "—"), ("male", gettext_lazy("man")), ("female", gettext_lazy("vrouw"))],
        required=False,
    )
    nationality = forms.CharField(label=gettext_lazy("Nationaliteit (landcode, bv. BE)"), max_length=2, required=False)
    birth_date = forms.DateField(label=gettext_lazy("Geboortedatum"), required=False)


def birth_date_problem(birth_date: date | None) -> str:
    """A new person's birth date lies between 18 and 100 years ago."""
    if birth_date is None:
        return _("De geboortedatum is verplicht voor een nieuwe persoon.")
    today = timezone.localdate()
    if not (_years_ago(today, 100) <= birth_date <= _years_ago(today, 18)):
        return _("De geboortedatum ligt tussen 18 en 100 jaar geleden.")
    return ""


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


class ContactFields(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    phone = forms.CharField(label=gettext_lazy("Telefoon"), max_length=40, required=False)
    secondary_phone = forms.CharField(label=gettext_lazy("Tweede telefoon"), max_length=40, required=False)
    street = forms.CharField(label=gettext_lazy("Straat"), max_length=200, required=False)
    house_number = forms.CharField(label=gettext_lazy("Huisnummer"), max_length=20, required=False)
    postcode = forms.CharField(label=gettext_lazy("Postcode"), max_length=10, required=False)
    municipality_name = forms.CharField(label=gettext_lazy("Gemeente"), max_length=100, required=False)


class MemberForm(PersonFields, ContactFields):
    mandate = forms.ChoiceField(label=gettext_lazy("Mandaat"), choices=[])
    start = forms.DateField(label=gettext_lazy("Startdatum"), required=False)
    end = forms.DateField(label=gettext_lazy("Einddatum"), required=False)


class MinisterForm(PersonFields, ContactFields):
    position = forms.ChoiceField(label=gettext_lazy("Functienaam"), choices=[])
    start = forms.DateField(label=gettext_lazy("Startdatum"), required=False)
    end = forms.DateField(label=gettext_lazy("Einddatum"), required=False)
