"""Beleidsdomeinen come from the code list (`policy-domains.ttl`): offered in the holder form, checked by the
services and the CSV import, published as the code list's URIs."""

from datetime import date

import pytest
from rdflib import URIRef

from loket.core.errors import DomainError
from loket.core.linkeddata import MANDAAT, graph_for
from loket.mandates.codes import POLICY_DOMAIN, Publication, RoleCode, Status, policy_domain_by_label, policy_domains
from loket.mandates.models import Holder
from loket.mandates.services import HolderValues, holder_correct, holder_create
from tests.mandates.conftest import mandate

pytestmark = pytest.mark.django_db

CULTURE = POLICY_DOMAIN + "5ab10d3a4c934f28dc000040"
SPORT = policy_domain_by_label("Sport")


def test_the_code_list_has_the_143_codes_with_their_real_uris():  # type: ignore[no-untyped-def]
    domains = policy_domains()
    assert len(domains) == 143
    assert all(uri.startswith(POLICY_DOMAIN) for uri in domains)
    assert domains[CULTURE] == "Cultuur" and SPORT == POLICY_DOMAIN + "5ab10d3a4c934f28dc0000a2"
    assert "BeleidsdomeinCode" not in domains.values()  # the scheme's own label is no code


def _alderman_values(fractie, domains):  # type: ignore[no-untyped-def]
    return HolderValues(
        start=date(2025, 1, 6),
        status=Status.EFFECTIVE,
        rangorde="Eerste schepen",
        fractie=fractie,
        policy_domains=domains,
    )


def test_service_keeps_code_list_uris_once_in_the_list_order(organs, municipality, jan, fractie, clerk):  # type: ignore[no-untyped-def]
    alderman = mandate(municipality, RoleCode.ALDERMAN)
    holder, _ = holder_create(
        mandate=alderman, person=jan, values=_alderman_values(fractie, [SPORT, CULTURE, SPORT]), actor=clerk
    )
    assert holder.policy_domains == [CULTURE, SPORT]


@pytest.mark.parametrize("domain", ["Cultuur", "http://example.org/beleidsdomein/x", ""])
def test_service_refuses_free_text_and_foreign_uris(organs, municipality, jan, fractie, clerk, domain):  # type: ignore[no-untyped-def]
    alderman = mandate(municipality, RoleCode.ALDERMAN)
    with pytest.raises(DomainError) as refused:
        holder_create(mandate=alderman, person=jan, values=_alderman_values(fractie, [domain]), actor=clerk)
    assert "policy_domains" in refused.value.fields
    assert not Holder.objects.exists()


def test_correction_refuses_an_unknown_domain_and_changes_nothing(organs, municipality, jan, fractie, clerk):  # type: ignore[no-untyped-def]
    alderman = mandate(municipality, RoleCode.ALDERMAN)
    holder, _ = holder_create(mandate=alderman, person=jan, values=_alderman_values(fractie, [CULTURE]), actor=clerk)
    with pytest.raises(DomainError):
        holder_correct(holder=holder, values=_alderman_values(fractie, ["Sport"]), actor=clerk)
    holder.refresh_from_db()
    assert holder.policy_domains == [CULTURE]


def test_holder_form_offers_the_code_list_and_saves_the_choice(client, clerk, organs, municipality, jan, fractie):  # type: ignore[no-untyped-def]
    alderman = mandate(municipality, RoleCode.ALDERMAN)
    client.force_login(clerk)
    page = client.get(f"/mandaten/organen/{alderman.term.uuid}/nieuw/").content.decode()
    assert f'<option value="{CULTURE}">Cultuur</option>' in page
    data = {
        "person": str(jan.uuid),
        "mandate": alderman.pk,
        "start": "2025-01-06",
        "status": "effectief",
        "rangorde": "Eerste schepen",
        "fractie": fractie.pk,
        "policy_domains": [CULTURE, SPORT],
    }
    response = client.post(f"/mandaten/organen/{alderman.term.uuid}/nieuw/", data)
    assert response.status_code == 302
    holder = Holder.objects.get()
    assert holder.policy_domains == [CULTURE, SPORT]
    edit = client.get(f"/mandaten/mandatarissen/{holder.uuid}/").content.decode()
    assert f'<option value="{CULTURE}" selected>Cultuur</option>' in edit


def test_holder_form_refuses_a_value_outside_the_list(client, clerk, organs, municipality, jan, fractie):  # type: ignore[no-untyped-def]
    alderman = mandate(municipality, RoleCode.ALDERMAN)
    client.force_login(clerk)
    data = {
        "person": str(jan.uuid),
        "mandate": alderman.pk,
        "start": "2025-01-06",
        "status": "effectief",
        "rangorde": "Eerste schepen",
        "fractie": fractie.pk,
        "policy_domains": ["Cultuur"],
    }
    response = client.post(f"/mandaten/organen/{alderman.term.uuid}/nieuw/", data)
    assert response.status_code == 400
    assert not Holder.objects.exists()


def test_published_with_the_code_list_uris(organs, municipality, jan, fractie, clerk):  # type: ignore[no-untyped-def]
    alderman = mandate(municipality, RoleCode.ALDERMAN)
    holder, _ = holder_create(
        mandate=alderman,
        person=jan,
        values=_alderman_values(fractie, [CULTURE]),
        actor=clerk,
        publication=Publication.NOT_RATIFIED,
    )
    graph = graph_for(holder)
    assert list(graph.objects(URIRef(holder.uri), MANDAAT.beleidsdomein)) == [URIRef(CULTURE)]
