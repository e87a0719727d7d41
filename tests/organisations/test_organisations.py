import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from loket.accounts.models import AccessRequest, Membership
from loket.core.errors import ConflictError, DomainError
from loket.core.linkeddata import BESLUIT
from loket.core.models import AuditEvent
from loket.organisations.identifiers import kbo_is_valid
from loket.organisations.models import ChannelDecision, Organisation
from loket.organisations.selectors import organisation_by_code
from loket.organisations.services import organisation_switch_channel

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("0207451227", True),
        ("0207451228", False),
        ("207451227", False),
        ("0211365175", False),
        ("abcdefghij", False),
        ("0207451227".translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")), False),
    ],  # only ASCII digits
)
def test_kbo_mod97(value, valid):  # type: ignore[no-untyped-def]
    assert kbo_is_valid(value) is valid


def test_import_real_file_keeps_uris_and_reports_bad_kbo(target_group):  # type: ignore[no-untyped-def]
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_organisations", str(DATA / "organisations.csv"), "--target-group", "LB", stdout=out, stderr=err
    )
    assert "3737 created, 0 updated, 0 rejected, 9 warnings" in out.getvalue()
    assert "0211365175 fails the mod-97 check" in err.getvalue()
    agency = Organisation.objects.get(
        uri="http://data.lblod.info/id/bestuurseenheden/141d9d6b-54af-4d17-b313-8d1c30bc3f5b"
    )
    assert agency.uuid == "141d9d6b-54af-4d17-b313-8d1c30bc3f5b" and agency.kind.category == "agency"
    assert Organisation.objects.filter(target_groups=target_group).count() == 3737
    call_command("import_organisations", str(DATA / "organisations.csv"), stdout=out, stderr=err)
    assert "0 created, 3737 updated" in out.getvalue()


def test_import_rejects_bad_rows_and_names_the_line(tmp_path, db):  # type: ignore[no-untyped-def]
    path = tmp_path / "orgs.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["uri", "uuid", "name", "classification_uri", "classification_label", "kbo", "province"])
        writer.writerow(["http://data.lblod.info/id/bestuurseenheden/x1", "x1", "Goed", "", "", "0207451227", ""])
        writer.writerow(["", "x2", "Zonder URI", "", "", "", ""])
        writer.writerow(["not a uri", "x3", "Slecht", "", "", "", ""])
        writer.writerow(["http://data.lblod.info/id/bestuurseenheden/x1", "x1", "Dubbel", "", "", "", ""])
    out, err = io.StringIO(), io.StringIO()
    call_command("import_organisations", str(path), stdout=out, stderr=err)
    assert "1 created, 0 updated, 3 rejected" in out.getvalue()
    assert "line 3: rejected: no URI" in err.getvalue()
    assert "line 4: rejected" in err.getvalue() and "line 5: rejected: URI" in err.getvalue()
    assert Organisation.objects.get().name == "Goed"


def test_import_unreadable_file_is_a_clear_error(tmp_path, db):  # type: ignore[no-untyped-def]
    path = tmp_path / "orgs.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(CommandError, match="missing column"):
        call_command("import_organisations", str(path))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_organisations", str(tmp_path / "absent.csv"))
    assert not Organisation.objects.exists()


def test_lookup_by_identity_provider_code(municipality, agency):  # type: ignore[no-untyped-def]
    assert organisation_by_code("0207.451.227") == municipality
    assert organisation_by_code("ovo001835") == agency
    assert organisation_by_code("0000000097") is None


def test_switch_to_platform_ends_access_and_back(worship_board, religiopoint, helpdesk, newcomer):  # type: ignore[no-untyped-def]
    from tests.conftest import grant

    grant(newcomer, worship_board, ["toezicht"])
    with pytest.raises(DomainError, match="Bevestig"):
        organisation_switch_channel(
            organisation=worship_board,
            channel="platform",
            platform=religiopoint,
            reason="Beslissing",
            actor=helpdesk,
            confirmed=False,
        )
    assert Membership.objects.filter(organisation=worship_board, is_active=True).count() == 1
    decision = organisation_switch_channel(
        organisation=worship_board,
        channel="platform",
        platform=religiopoint,
        reason="Beslissing",
        actor=helpdesk,
        confirmed=True,
    )
    assert decision.memberships_ended == 1
    worship_board.refresh_from_db()
    assert worship_board.platform == religiopoint and worship_board.channel_since == decision.decided_at
    assert not Membership.objects.filter(organisation=worship_board, is_active=True).exists()
    with pytest.raises(ConflictError):
        organisation_switch_channel(
            organisation=worship_board,
            channel="platform",
            platform=religiopoint,
            reason="Nogmaals",
            actor=helpdesk,
            confirmed=True,
        )
    organisation_switch_channel(
        organisation=worship_board, channel="loket", platform=None, reason="Terug", actor=helpdesk, confirmed=False
    )
    worship_board.refresh_from_db()
    assert worship_board.channel == "loket" and worship_board.platform is None
    assert ChannelDecision.objects.filter(organisation=worship_board).count() == 2
    assert AuditEvent.objects.filter(action="organisation.channel_switched").count() == 2


def test_switch_needs_a_reason(municipality, religiopoint, helpdesk):  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match="reden"):
        organisation_switch_channel(
            organisation=municipality,
            channel="platform",
            platform=religiopoint,
            reason="",
            actor=helpdesk,
            confirmed=True,
        )
    municipality.refresh_from_db()
    assert municipality.channel == "loket"


def test_switch_channel_in_the_back_office(client, worship_board, religiopoint, helpdesk, newcomer):  # type: ignore[no-untyped-def]
    from loket.accounts.services import access_request_create

    access_request_create(
        user=newcomer,
        organisation=worship_board,
        first_name="N",
        last_name="N",
        email="n@example.org",
        phone="",
        job_title="",
        roles=["toezicht"],
        reason="Bestuurslid",
    )
    client.force_login(helpdesk)
    url = reverse("admin:organisations_switch_channel", args=[worship_board.pk])
    response = client.post(url, {"channel": "platform", "platform": religiopoint.pk, "reason": "Beslissing"})
    assert response.status_code == 400 and "Bevestig" in response.content.decode()
    response = client.post(
        url, {"channel": "platform", "platform": religiopoint.pk, "reason": "Beslissing", "confirmed": "on"}
    )
    assert response.status_code == 302
    assert AccessRequest.objects.get().status == AccessRequest.Status.CANCELLED


def test_back_office_is_for_staff_only(client, clerk, municipality):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    response = client.get(reverse("admin:organisations_switch_channel", args=[municipality.pk]))
    assert response.status_code == 302 and "/helpdesk/login/" in response["Location"]


def test_helpdesk_sets_up_an_organisation_with_validated_identifiers(client, helpdesk, target_group, worship_board):  # type: ignore[no-untyped-def]
    client.force_login(helpdesk)
    url = reverse("admin:organisations_organisation_add")
    data = {
        "kind": worship_board.kind_id,
        "name": "Kerkfabriek Nieuw",
        "kbo": "0207.451.228",
        "ovo_code": "OVO12",
        "province": "Antwerpen",
        "status": "Actief",
        "target_groups": [target_group.pk],
    }
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200 and "controlegetal" in body and "OVO-code" in body
    assert not Organisation.objects.filter(name="Kerkfabriek Nieuw").exists()
    response = client.post(url, {**data, "kbo": "0207.451.227", "ovo_code": "ovo123456"})
    assert response.status_code == 302
    created = Organisation.objects.get(name="Kerkfabriek Nieuw")
    assert (created.kbo, created.ovo_code) == ("0207451227", "OVO123456")
    assert AuditEvent.objects.get(action="organisation.created").organisation == created


def test_audit_trail_export_csv(client, helpdesk, municipality, religiopoint):  # type: ignore[no-untyped-def]
    organisation_switch_channel(
        organisation=municipality,
        channel="platform",
        platform=religiopoint,
        reason="Test",
        actor=helpdesk,
        confirmed=True,
    )
    client.force_login(helpdesk)
    response = client.get(reverse("admin:core_auditevent_export") + "?action=organisation.channel_switched")
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())  # UTF-8 with a byte order mark, as Belgian Excel wants it
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["tijdstip", "actie", "omschrijving", "door", "bestuur", "soort_bestuur", "kbo", "bestuur_uri"]
    assert [row[1] for row in rows[1:]] == ["Kanaal gewijzigd"]
    assert rows[1][4:7] == ["Aalst", "Gemeente", "0207451227"]
    assert "van Loket naar Religiopoint, reden: Test" in rows[1][2]


@pytest.mark.parametrize(
    ("accept", "media_type", "fmt"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
    ],
)
def test_linked_data_content_negotiation(client, municipality, accept, media_type, fmt):  # type: ignore[no-untyped-def]
    response = client.get(f"/id/bestuurseenheden/{municipality.key}", HTTP_ACCEPT=accept)
    assert response["Content-Type"].startswith(media_type) and "Accept" in response["Vary"].split(", ")
    graph = Graph().parse(data=response.content, format=fmt)
    subject = URIRef(municipality.uri)
    assert (subject, RDF.type, BESLUIT.Bestuurseenheid) in graph
    assert (subject, SKOS.prefLabel, Literal("Aalst")) in graph
    assert (subject, BESLUIT.classificatie, URIRef(municipality.kind.uri)) in graph


def test_linked_data_html_and_errors(client, municipality, worship_board):  # type: ignore[no-untyped-def]
    response = client.get(f"/id/bestuurseenheden/{municipality.key}", HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert response["Content-Type"].startswith("text/html") and "Aalst" in response.content.decode()
    assert client.get(f"/id/besturenVanDeEredienst/{worship_board.key}?format=ttl").status_code == 200
    assert client.get(f"/id/bestuurseenheden/{municipality.key}?format=xml").status_code == 406
    assert client.get("/id/bestuurseenheden/does-not-exist").status_code == 404


def test_bodies_by_reference_in_one_query(municipality, other_municipality, django_assert_num_queries):  # type: ignore[no-untyped-def]
    from loket.organisations.selectors import organisations_by_reference

    references = ["0207.451.227", other_municipality.uri, " ", "0999.999.999", "BE 0207451227"]
    with django_assert_num_queries(1):
        found, unknown = organisations_by_reference(references)
    assert found == [municipality, other_municipality]
    assert unknown == ["0999.999.999"]


def test_municipalities_and_their_ocmw_share_a_werkingsgebied_that_the_consumer_query_finds(  # type: ignore[no-untyped-def]
    municipality, other_municipality, target_group, worship_board
):
    """Regression (session 5's odbench): organisations published no besluit:werkingsgebied, so the consumer query
    "bestuurseenheden-en-classificatie" (besluit:classificatie + besluit:werkingsgebied) returned nothing."""
    from loket.opendata import store
    from loket.opendata.sparql import run_query
    from loket.organisations.rdf import organisation_graph, werkingsgebied
    from tests.conftest import _kind, make_organisation

    ocmw = make_organisation(
        key="cccc0000-0000-0000-0000-00000000000a",
        name="Aalst",
        kbo="0212239761",
        kind=_kind("5ab0e9b8a3b2ca7c5e000002", "OCMW", "ocmw"),
        target_group=target_group,
    )
    province = make_organisation(
        key="cccc0000-0000-0000-0000-00000000000b",
        name="Oost-Vlaanderen",
        kbo="0207725795",
        kind=_kind("5ab0e9b8a3b2ca7c5e000000", "Provincie", "province"),
        target_group=target_group,
    )
    aalst, level = werkingsgebied(municipality)
    assert level == "Gemeente" and werkingsgebied(ocmw) == (aalst, "Gemeente")
    assert werkingsgebied(other_municipality)[0] != aalst
    assert werkingsgebied(province)[1] == "Provincie" and werkingsgebied(worship_board) is None
    graph = organisation_graph(municipality)
    assert (URIRef(municipality.uri), BESLUIT.werkingsgebied, aalst) in graph
    assert (aalst, RDFS.label, Literal("Aalst")) in graph
    store.rebuild()
    answer = run_query(
        "PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?unit ?area WHERE { ?unit a besluit:Bestuurseenheid ; besluit:classificatie ?c ; "
        "besluit:werkingsgebied/rdfs:label ?area } ORDER BY ?unit",
        result_format="csv",
    )
    rows = answer.body.decode().splitlines()[1:]
    assert (
        f"{municipality.uri},Aalst" in rows
        and f"{ocmw.uri},Aalst" in rows
        and f"{province.uri},Oost-Vlaanderen" in rows
    )
    assert not any(worship_board.uri in row for row in rows)
