"""Leidinggevendenbeheer: functions per kind of body, the holders' rules on the server, the contact point."""

from datetime import date

import pytest
from django.urls import reverse

from loket.core.errors import DomainError
from loket.officials.models import Official, OfficialFunction
from loket.officials.services import (
    Contact,
    Term,
    function_contact_confirm,
    functions_create,
    official_add,
    official_update,
)
from loket.persons.services import person_create

pytestmark = pytest.mark.django_db


def _person(name: str = "Peeters"):  # type: ignore[no-untyped-def]
    return person_create(actor=None, given_names="Jan", family_name=name)


def test_functions_per_kind_of_body_and_idempotent(functions, municipality):
    assert sorted(functions) == [
        "Adjunct Algemeen Directeur",
        "Adjunct Financieel Directeur",
        "Algemeen directeur",
        "Financieel directeur",
    ]
    assert functions_create() == 0  # nothing new the second time
    assert OfficialFunction.objects.filter(organisation=municipality).count() == 4


def test_one_appointed_and_one_acting_holder_at_a_time(functions):
    director = functions["Algemeen directeur"]
    official_add(
        actor=None,
        function=director,
        person=_person("A"),
        term=Term(date(2020, 1, 1), date(2024, 12, 31), "aangesteld"),
    )
    official_add(actor=None, function=director, person=_person("B"), term=Term(date(2025, 1, 1), None, "aangesteld"))
    official_add(
        actor=None, function=director, person=_person("C"), term=Term(date(2024, 6, 1), date(2024, 8, 31), "waarnemend")
    )
    with pytest.raises(DomainError) as caught:
        official_add(
            actor=None, function=director, person=_person("D"), term=Term(date(2024, 12, 1), None, "aangesteld")
        )
    assert "maar één" in str(caught.value)
    with pytest.raises(DomainError):
        official_add(
            actor=None,
            function=director,
            person=_person("E"),
            term=Term(date(2024, 8, 1), date(2024, 9, 1), "waarnemend"),
        )
    assert Official.objects.count() == 3


@pytest.mark.parametrize(
    "term, field",
    [
        (Term(None, None, "aangesteld"), "start"),
        (Term(date(2025, 1, 1), date(2024, 1, 1), "aangesteld"), "end"),
        (Term(date(2025, 1, 1), date(2025, 1, 1), "aangesteld"), "end"),
        (Term(date(2025, 1, 1), None, "ontslagen"), "status"),
    ],
)
def test_bad_terms_are_refused(functions, term, field):
    with pytest.raises(DomainError) as caught:
        official_add(actor=None, function=functions["Financieel directeur"], person=_person(), term=term)
    assert field in caught.value.fields and Official.objects.count() == 0


def test_a_leading_official_is_only_appointed(db, agency, target_group):
    from tests.conftest import _kind, make_organisation

    agb = make_organisation(
        key="bbbb0000-0000-0000-0000-000000000009",
        name="AGB Sport",
        kbo="",
        kind=_kind("36a82ba0-7ff1-4697-a9dd-2e94df73b721", "Autonoom gemeentebedrijf", "other"),
        target_group=target_group,
    )
    functions_create()
    function = agb.official_functions.get()
    assert function.label == "Leidend ambtenaar"
    with pytest.raises(DomainError) as caught:
        official_add(actor=None, function=function, person=_person(), term=Term(date(2025, 1, 1), None, "waarnemend"))
    assert caught.value.fields == {"status": "Een leidend ambtenaar is altijd aangesteld."}


def test_a_change_may_not_create_an_overlap(functions):
    director = functions["Algemeen directeur"]
    first = official_add(
        actor=None,
        function=director,
        person=_person("A"),
        term=Term(date(2020, 1, 1), date(2022, 12, 31), "aangesteld"),
    )
    official_add(actor=None, function=director, person=_person("B"), term=Term(date(2023, 1, 1), None, "aangesteld"))
    with pytest.raises(DomainError):
        official_update(actor=None, official=first, term=Term(date(2020, 1, 1), None, "aangesteld"))
    first.refresh_from_db()
    assert first.end == date(2022, 12, 31)


def test_a_new_holder_asks_to_confirm_the_contact_point(functions):
    director = functions["Algemeen directeur"]
    function_contact_confirm(
        actor=None, function=director, contact=Contact(email="ad@aalst.be", phone="053 72 31 11", postcode="9300")
    )
    director.refresh_from_db()
    assert (director.contact_to_confirm, director.phone) == (False, "+32 53 72 31 11")
    official_add(actor=None, function=director, person=_person(), term=Term(date(2025, 1, 1), None, "aangesteld"))
    director.refresh_from_db()
    assert director.contact_to_confirm is True and director.email == "ad@aalst.be"


@pytest.mark.parametrize(
    "contact, field",
    [
        (Contact(email="geen-adres"), "email"),
        (Contact(phone="12"), "phone"),
        (Contact(postcode="930"), "postcode"),
        (Contact(postcode="0930"), "postcode"),
    ],
)
def test_bad_contact_points_are_refused(functions, contact, field):
    with pytest.raises(DomainError) as caught:
        function_contact_confirm(actor=None, function=functions["Algemeen directeur"], contact=contact)
    assert field in caught.value.fields


def test_overview_shows_vacancy_and_the_ocmw_is_told_why(client, functions, hr_clerk, target_group, agency):
    client.force_login(hr_clerk)
    body = client.get(reverse("officials:list")).content.decode()
    assert body.count("vacant") == 4
    from loket.accounts.roles import Role
    from tests.conftest import _kind, grant, make_organisation, make_user

    ocmw = make_organisation(
        key="cccc0000-0000-0000-0000-000000000001",
        name="OCMW Aalst",
        kbo="",
        kind=_kind("5ab0e9b8a3b2ca7c5e000002", "OCMW", "ocmw"),
        target_group=target_group,
    )
    user = make_user("otto-ocmw")
    grant(user, ocmw, [Role.LEIDINGGEVENDEN])
    client.force_login(user)
    assert "Voor een OCMW worden geen leidinggevende functies" in client.get(reverse("officials:list")).content.decode()


def test_add_a_holder_through_the_page(client, functions, hr_clerk):
    client.force_login(hr_clerk)
    director = functions["Algemeen directeur"]
    response = client.post(
        reverse("officials:detail", args=[director.uuid]),
        {"voornaam": "An", "achternaam": "Janssens", "start": "2025-01-01", "status": "aangesteld"},
    )
    assert response.status_code == 302 and response["Location"].endswith("/contact/")
    assert Official.objects.get().person.family_name == "Janssens"
    body = client.get(reverse("officials:list")).content.decode()
    assert "An Janssens (aangesteld)" in body and "contactgegevens bevestigen" in body


def test_a_refused_holder_leaves_no_new_person(client, functions, hr_clerk):
    from loket.persons.models import Person

    client.force_login(hr_clerk)
    response = client.post(
        reverse("officials:detail", args=[functions["Algemeen directeur"].uuid]),
        {"voornaam": "An", "achternaam": "Janssens", "start": "", "status": "aangesteld"},
    )
    assert response.status_code == 400 and "Start aanstellingsperiode is verplicht" in response.content.decode()
    assert Person.objects.count() == 0


def test_another_bodys_function_is_404(client, functions, other_municipality, stranger):
    client.force_login(stranger)
    url = reverse("officials:detail", args=[functions["Algemeen directeur"].uuid])
    assert client.get(url).status_code == 404
    assert client.post(url, {"voornaam": "X", "achternaam": "Y", "start": "2025-01-01"}).status_code == 404
    assert Official.objects.count() == 0


def test_a_refused_holder_keeps_what_was_typed_and_the_edit_page_shows_the_period(client, functions, hr_clerk):
    client.force_login(hr_clerk)
    director = functions["Algemeen directeur"]
    official_add(actor=None, function=director, person=_person("A"), term=Term(date(2025, 1, 1), None, "aangesteld"))
    response = client.post(
        reverse("officials:detail", args=[director.uuid]),
        {"voornaam": "B", "achternaam": "B", "start": "2025-06-01", "einde": "2025-12-31", "status": "aangesteld"},
    )
    body = response.content.decode()
    assert response.status_code == 400 and "er kan maar één aangesteld houder tegelijk zijn" in body
    assert 'value="2025-06-01"' in body and 'value="2025-12-31"' in body
    assert 'value="aangesteld" checked' in body
    official = Official.objects.get()
    edit = client.get(reverse("officials:edit", args=[director.uuid, official.uuid])).content.decode()
    assert 'value="2025-01-01"' in edit and 'value="aangesteld" checked' in edit


def test_the_leading_officials_per_unit_query_answers_and_every_function_organ_dereferences(  # type: ignore[no-untyped-def]
    client, functions, municipality
):
    """Regression (session 5's odbench): a Bestuursfunctie had no link to its unit, so the consumer query
    "leidinggevenden-per-bestuurseenheid" (besluit:bestuurt, lblodlg:heeftBestuursfunctie, org:role, org:holds,
    mandaat:isBestuurlijkeAliasVan) returned nothing. Each function is now, as in the real Loket, a one-person
    governing body that governs the unit, with an organ-in-time that has the function."""
    from rdflib import Graph, URIRef

    from loket.core.linkeddata import BESLUIT
    from loket.officials.rdf import LBLODLG, function_organs
    from loket.opendata import store
    from loket.opendata.sparql import run_query

    director = functions["Algemeen directeur"]
    official_add(
        actor=None, function=director, person=_person("Claes"), term=Term(date(2020, 1, 1), None, "aangesteld")
    )
    store.rebuild()
    answer = run_query(
        "PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#> "
        "PREFIX mandaat: <http://data.vlaanderen.be/ns/mandaat#> "
        "PREFIX lblodlg: <http://data.lblod.info/vocabularies/leidinggevenden/> "
        "PREFIX org: <http://www.w3.org/ns/org#> PREFIX foaf: <http://xmlns.com/foaf/0.1/> "
        "SELECT ?unit ?role ?name WHERE { ?organ besluit:bestuurt ?unit . "
        "?inTime mandaat:isTijdspecialisatieVan ?organ ; lblodlg:heeftBestuursfunctie ?function . "
        "?function org:role ?role . ?holder org:holds ?function ; mandaat:isBestuurlijkeAliasVan ?person . "
        "?person foaf:familyName ?name }",
        result_format="csv",
    )
    rows = answer.body.decode().splitlines()[1:]
    assert rows == [f"{municipality.uri},{director.role_code},Claes"]
    organ, in_time = function_organs(director)
    for uri, expected in (
        (organ, (organ, BESLUIT.bestuurt, URIRef(municipality.uri))),
        (in_time, (in_time, LBLODLG.heeftBestuursfunctie, URIRef(director.uri))),
    ):
        response = client.get(str(uri).removeprefix("http://data.lblod.info"), HTTP_ACCEPT="text/turtle")
        assert response.status_code == 200, uri
        assert expected in Graph().parse(data=response.content, format="turtle")
    assert client.get(f"/id/bestuursorganen/{director.uuid}x", HTTP_ACCEPT="text/turtle").status_code == 404


def test_a_too_long_name_is_refused_with_a_message_and_saves_nothing(client, functions, hr_clerk):  # type: ignore[no-untyped-def]
    """The name fields have no length limit in the browser: 400 letters reached the database (walk 4), which
    PostgreSQL refuses with a 500 and SQLite kept whole."""
    from loket.persons.models import Person

    client.force_login(hr_clerk)
    response = client.post(
        reverse("officials:detail", args=[functions["Algemeen directeur"].uuid]),
        {"voornaam": "An", "achternaam": "Y" * 400, "start": "2025-01-01", "status": "aangesteld"},
    )
    body = response.content.decode()
    assert response.status_code == 400 and "Te lang: hoogstens 200 tekens." in body
    assert Person.objects.count() == 0 and Official.objects.count() == 0


def test_an_impossible_date_is_refused_not_dropped(client, functions, hr_clerk):  # type: ignore[no-untyped-def]
    """30 February as the end was read as no end: the appointment was saved open-ended (walk 4)."""
    client.force_login(hr_clerk)
    director = functions["Algemeen directeur"]
    response = client.post(
        reverse("officials:detail", args=[director.uuid]),
        {
            "voornaam": "An",
            "achternaam": "Janssens",
            "start": "2025-01-01",
            "einde": "2025-02-30",
            "status": "aangesteld",
        },
    )
    assert response.status_code == 400 and "Geef een geldige datum op (JJJJ-MM-DD)." in response.content.decode()
    assert Official.objects.count() == 0
    official = official_add(
        actor=None, function=director, person=_person(), term=Term(date(2025, 1, 1), None, "aangesteld")
    )
    start_page = client.post(
        reverse("officials:detail", args=[director.uuid]),
        {"voornaam": "B", "achternaam": "B", "start": "2025-02-31", "status": "waarnemend"},
    )
    assert (
        start_page.status_code == 400 and "Start aanstellingsperiode is verplicht." not in start_page.content.decode()
    )
    end = client.post(reverse("officials:end", args=[director.uuid, official.uuid]), {"einde": "2025-02-31"})
    assert end.status_code == 400 and "Geef een geldige datum op (JJJJ-MM-DD)." in end.content.decode()
    official.refresh_from_db()
    assert official.end is None and Official.objects.count() == 1
