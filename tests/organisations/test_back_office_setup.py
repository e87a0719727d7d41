"""The helpdesk sets up a body: the URI is minted (kind's base + new uuid), the KBO number belongs to one active
body (the message names the other), and a missing target group is said at once — to the helpdesk when it saves,
to an applicant in the search results, before any form."""

import re
import uuid

import pytest
from django.urls import reverse

from loket.organisations.models import Organisation, OrganisationKind
from tests.conftest import KIND

pytestmark = pytest.mark.django_db


def _data(kind, target_group, **extra):  # type: ignore[no-untyped-def]
    return {
        "name": "Kerkfabriek Nieuw",
        "kind": kind.pk,
        "kbo": "0207.451.227",
        "ovo_code": "",
        "province": "Antwerpen",
        "status": "Actief",
        "target_groups": [target_group.pk],
        **extra,
    }


@pytest.mark.parametrize(
    ("category_key", "segment"),
    [
        ("66ec74fd-8cfc-4e16-99c6-350b35012e86", "besturenVanDeEredienst"),
        ("36372fad-0358-499c-a4e3-f412d2eae213", "representatieveOrganen"),
        ("5ab0e9b8a3b2ca7c5e000001", "bestuurseenheden"),
    ],
)
def test_a_new_bodys_uri_is_minted_from_its_kind(client, helpdesk, target_group, worship_board, category_key, segment):  # type: ignore[no-untyped-def]
    kind, _ = OrganisationKind.objects.get_or_create(
        uri=KIND + category_key,
        defaults={"label": "Gemeente", "category": "municipality"},
    )
    client.force_login(helpdesk)
    add = reverse("admin:organisations_organisation_add")
    assert 'name="uri"' not in client.get(add).content.decode()  # never typed by hand
    response = client.post(add, _data(kind, target_group, kbo="0212.345.668", uri="http://evil.example/x"))
    assert response.status_code == 302, response.content.decode()[-3000:]
    created = Organisation.objects.get(name="Kerkfabriek Nieuw")
    match = re.fullmatch(rf"http://data\.lblod\.info/id/{segment}/([0-9a-f-]{{36}})", created.uri)
    assert match is not None, created.uri
    assert str(uuid.UUID(match.group(1))) == created.uuid == created.key
    # Afterwards the URI is shown, not editable.
    change = client.get(reverse("admin:organisations_organisation_change", args=[created.pk])).content.decode()
    assert created.uri in change and 'name="uri"' not in change


def test_a_kind_is_required_to_mint_the_uri(client, helpdesk, target_group):  # type: ignore[no-untyped-def]
    client.force_login(helpdesk)
    data = _data(OrganisationKind(pk=0), target_group, kbo="0212.345.668")
    data["kind"] = ""
    response = client.post(reverse("admin:organisations_organisation_add"), data)
    assert response.status_code == 200
    assert not Organisation.objects.filter(name="Kerkfabriek Nieuw").exists()


def test_kbo_is_unique_among_active_bodies_and_the_message_names_the_other(  # type: ignore[no-untyped-def]
    client, helpdesk, target_group, municipality, worship_board
):
    client.force_login(helpdesk)
    add = reverse("admin:organisations_organisation_add")
    response = client.post(add, _data(worship_board.kind, target_group, kbo="BE 0207.451.227"))
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        "KBO-nummer 0207.451.227 is al in gebruik door Aalst "
        "(http://data.lblod.info/id/bestuurseenheden/aaaa0000-0000-0000-0000-000000000001). Een KBO-nummer hoort "
        "bij één actief bestuur: zet het andere bestuur eerst op &#x27;Niet Actief&#x27;, of kies het juiste nummer."
    ) in body
    assert not Organisation.objects.filter(name="Kerkfabriek Nieuw").exists()
    # An inactive body may keep a historic number that an active one also carries.
    response = client.post(add, _data(worship_board.kind, target_group, status="Niet Actief"))
    assert response.status_code == 302
    # Once the old body is inactive, the number is free for an active one.
    municipality.status = "Niet Actief"
    municipality.save()
    response = client.post(add, _data(worship_board.kind, target_group, name="Kerkfabriek Twee"))
    assert response.status_code == 302
    assert Organisation.objects.get(name="Kerkfabriek Twee").kbo == "0207451227"


def test_the_helpdesk_is_told_at_once_when_the_target_group_is_missing(client, helpdesk, target_group, worship_board):  # type: ignore[no-untyped-def]
    client.force_login(helpdesk)
    response = client.post(
        reverse("admin:organisations_organisation_add"),
        _data(worship_board.kind, target_group, kbo="0212.345.668", target_groups=[]),
        follow=True,
    )
    assert response.status_code == 200
    assert (
        "Kerkfabriek Nieuw is nog niet klaargezet in de doelgroep Lokale Besturen: zijn leden kunnen nog geen "
        "toegang aanvragen. Voeg de doelgroep toe zodra de aansluiting rond is."
    ) in response.content.decode()


def test_the_applicant_is_told_before_the_form(client, newcomer, municipality, target_group):  # type: ignore[no-untyped-def]
    municipality.target_groups.remove(target_group)
    client.force_login(newcomer)
    body = client.get(reverse("accounts:registration-search"), {"q": "Aalst"}).content.decode()
    assert reverse("accounts:registration-form", args=[municipality.key]) not in body
    assert (
        "Nog niet aangesloten: vraag de helpdesk (LoketLokaalBestuur@vlaanderen.be) om uw bestuur klaar te zetten."
    ) in body
    form_page = client.get(reverse("accounts:registration-form", args=[municipality.key])).content.decode()
    assert "is nog niet klaargezet in de doelgroep Lokale Besturen" in form_page
    assert 'name="reason"' not in form_page  # no form to fill in for nothing
