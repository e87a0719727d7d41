"""The type of dossier is chosen from a list grouped and sorted, searchable without JavaScript, with only the types
the body's kind may decide (from the code list and its notification rules)."""

from __future__ import annotations

import re

import pytest

from loket.accounts.models import Role
from loket.supervision.models import Submission
from tests.conftest import grant, make_user

REGLEMENT = "https://data.vlaanderen.be/id/concept/BesluitType/67378dd0-5413-474b-8996-d992ef81637a"
WORSHIP_BUDGET = "Budget(wijziging) - Indiening bij centraal bestuur of representatief orgaan"
AGB_ONLY = "Besluit AGB/APB over retributies"


def _groups(body: str) -> list[tuple[str, list[str]]]:
    groups = []
    for legend, inner in re.findall(r"<legend>([^<]+)</legend>(.*?)</fieldset>", body, re.S):
        groups.append((legend, re.findall(r'<label for="type-[^"]+" lang="nl">([^<]+)</label>', inner)))
    return groups


@pytest.fixture
def worship_clerk(worship_board):  # type: ignore[no-untyped-def]
    user = make_user("walter-worship")
    grant(user, worship_board, [Role.TOEZICHT])
    return user


def test_a_municipality_sees_its_types_grouped_and_sorted_and_no_worship_or_agb_types(client, clerk, document_types):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    body = client.get("/toezicht/nieuw/").content.decode()
    groups = _groups(body)
    names = [name for _legend, names in groups for name in names]
    assert [legend for legend, _names in groups] == [
        "Zittingsdocumenten",
        "Lokaal Energie- en Klimaatpact (LEKP)",
        "Erediensten",
        "Financiën (BBC)",
        "Samenwerking, verzelfstandiging en structuur",
        "Reglementen, personeel en andere besluiten",
    ]
    assert groups[0][1] == ["Agenda", "Besluitenlijst", "Notulen", "Uittreksel"]
    for _legend, members in groups:
        assert members == sorted(members, key=str.casefold)
    assert "Reglementen en verordeningen" in names and "LEKP-rapport - Fietspaden" in names
    assert WORSHIP_BUDGET not in names and "Eindrekening" not in names and AGB_ONLY not in names
    assert len(names) == len(set(names)) == 58
    assert f"{len(names)} types dossier" in body


def test_a_church_board_sees_no_municipal_types(client, worship_clerk, document_types):  # type: ignore[no-untyped-def]
    client.force_login(worship_clerk)
    names = [n for _legend, members in _groups(client.get("/toezicht/nieuw/").content.decode()) for n in members]
    assert WORSHIP_BUDGET in names and "Eindrekening" in names
    assert "Reglementen en verordeningen" not in names and "LEKP-rapport - Fietspaden" not in names
    assert "Besluitenlijst" not in names and AGB_ONLY not in names


def test_search_without_javascript_matches_every_word_ignoring_accents(client, clerk, document_types):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    body = client.get("/toezicht/nieuw/", {"zoek": "fiets LEKP"}).content.decode()
    assert _groups(body) == [("Lokaal Energie- en Klimaatpact (LEKP)", ["LEKP-rapport - Fietspaden"])]
    assert "1 type dossier" in body and 'value="fiets LEKP"' in body
    body = client.get("/toezicht/nieuw/", {"zoek": "BUDGÉT agb"}).content.decode()
    assert _groups(body) == [("Financiën (BBC)", ["Besluit budget AGB"])]
    body = client.get("/toezicht/nieuw/", {"zoek": "xyz"}).content.decode()
    assert _groups(body) == [] and "Geen type dossier gevonden" in body


def test_a_type_the_body_may_not_decide_is_refused_and_nothing_is_made(client, clerk, document_types):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    worship_type = next(t for t in document_types.values() if t.label == WORSHIP_BUDGET)
    response = client.post("/toezicht/nieuw/", {"document_type": worship_type.uri})
    assert response.status_code == 400 and "Kies een type dossier uit de lijst." in response.content.decode()
    assert not Submission.objects.exists()
    assert client.post("/toezicht/nieuw/", {"document_type": REGLEMENT}).status_code == 302
    assert Submission.objects.get().document_type.uri == REGLEMENT


def test_a_type_taken_out_of_the_list_is_refused(client, clerk, document_types):  # type: ignore[no-untyped-def]
    from loket.supervision.models import DocumentType

    client.force_login(clerk)
    DocumentType.objects.filter(uri=REGLEMENT).update(is_selectable=False)  # the helpdesk's switch in the back office
    for chosen in [REGLEMENT, "", "https://example.org/no-such-type"]:
        response = client.post("/toezicht/nieuw/", {"document_type": chosen})
        assert response.status_code == 400 and "Kies een type dossier uit de lijst." in response.content.decode()
    assert not Submission.objects.exists()


def test_the_chosen_type_is_checked_by_the_rule_of_the_list(  # type: ignore[no-untyped-def]
    document_types, municipality, worship_board, diocese, agency
):
    """One rule: a type is accepted exactly when it is offered (decidable_type against decidable_types)."""
    from loket.supervision.document_types import decidable_type, decidable_types
    from loket.supervision.models import DocumentType

    DocumentType.objects.filter(uri=REGLEMENT).update(is_selectable=False)
    offers = {}
    for organisation in [municipality, worship_board, diocese, agency]:
        offered = {t.uri for t in decidable_types(organisation)}
        accepted = {t.uri for t in document_types.values() if decidable_type(organisation, t.uri) is not None}
        assert accepted == offered
        offers[organisation.name] = offered
    assert len(offers[municipality.name]) > 40 and REGLEMENT not in offers[municipality.name]
    assert offers[worship_board.name] and offers[worship_board.name] != offers[municipality.name]
