"""E-mail end to end: pages → services → task queue (django-tasks-db) → the real worker → Django's SMTP backend
→ a real SMTP server on loopback."""

import pytest

from loket.accounts.models import AccessRequest, Membership
from loket.accounts.roles import Role
from tests.conftest import grant, make_user

pytestmark = pytest.mark.django_db(transaction=True)

FROM = "Loket voor Lokale Besturen <noreply@loket.invalid>"


def file_request(client, user, organisation, *, email: str, roles: list[str] | None = None) -> AccessRequest:  # type: ignore[no-untyped-def]
    client.force_login(user)
    choice = {"roles": roles} if roles else {"select_all": "on"}
    response = client.post(
        f"/toegang-aanvragen/{organisation.key}/",
        {
            "first_name": "Nina",
            "last_name": "Newcomer",
            "email": email,
            "phone": "053 00 00 00",
            "job_title": "Schepen",
            **choice,
            "reason": "Bestuurslid",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    access_request = AccessRequest.objects.get(
        user=user, organisation=organisation, status=AccessRequest.Status.PENDING
    )
    assert response["Location"] == f"/mijn-aanvragen/{access_request.pk}/"
    client.logout()
    return access_request


def summary(mails) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(m.mail_from, m.rcpt_tos, m.subject, m.message["From"], m.message["To"]) for m in mails]


def test_request_and_approval_mails(client, smtp_server, run_worker, municipality, helpdesk, newcomer, settings):
    settings.DEFAULT_FROM_EMAIL = FROM
    settings.LOKET_SITE_URL = "https://loket.example.org"
    access_request = file_request(client, newcomer, municipality, email="nina@aalst.example")

    assert smtp_server.messages == []  # nothing leaves before the worker runs
    run_worker()
    mails = sorted(smtp_server.messages, key=lambda m: m.rcpt_tos)
    assert summary(mails) == [
        (
            "noreply@loket.invalid",
            ("hilde-helpdesk@example.org",),
            "Nieuwe toegangsaanvraag voor Aalst",
            FROM,
            "hilde-helpdesk@example.org",
        ),
        (
            "noreply@loket.invalid",
            ("nina@aalst.example",),
            "Uw toegangsaanvraag voor Aalst is ontvangen",
            FROM,
            "nina@aalst.example",
        ),
    ]
    roles = (
        "BBC-DR, Berichtencentrum, Leidinggevendenbeheer, Mandatenbeheer, Personeelsbeheer, Subsidiebeheer, Toezicht"
    )
    assert mails[0].body == (
        f"Nina Newcomer vraagt toegang tot het Loket voor Aalst.\nRollen: {roles}\nReden: Bestuurslid\n\n"
        f"Behandel de aanvraag in het Loket: https://loket.example.org/toegangsbeheer/aanvragen/{access_request.pk}/\n"
    )
    assert mails[1].body == (
        "Goedendag Nina,\n\n"
        f"Uw aanvraag voor toegang tot het Loket voor Aalst is ontvangen (rollen: {roles}).\n\n"
        "Wie beslist: Agentschap Binnenlands Bestuur (Hilde Helpdesk).\n"
        "U krijgt de beslissing per e-mail op dit adres; u kunt uw aanvraag ook volgen op "
        f"https://loket.example.org/mijn-aanvragen/{access_request.pk}/\n"
        "Kreeg u na 5 werkdagen geen antwoord? Neem dan contact op met de helpdesk van het Loket "
        "(LoketLokaalBestuur@vlaanderen.be) en vermeld uw bestuur en het nummer van uw aanvraag "
        f"({access_request.pk}).\n"
    )
    smtp_server.clear()

    # The approver grants fewer roles than asked, with a word of explanation.
    client.force_login(helpdesk)
    response = client.post(
        f"/toegangsbeheer/aanvragen/{access_request.pk}/",
        {"decision": "approve", "roles": ["toezicht", "berichten"], "reason": "Subsidies via de financiële dienst"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/toegangsbeheer/"
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.APPROVED
    assert access_request.granted_roles == ["berichten", "toezicht"]
    assert Membership.objects.get(user=newcomer, organisation=municipality).role_codes == ["berichten", "toezicht"]

    assert smtp_server.messages == []
    run_worker()
    mails = smtp_server.messages
    assert summary(mails) == [
        (
            "noreply@loket.invalid",
            ("nina@aalst.example",),
            "Uw toegang tot het Loket voor Aalst is goedgekeurd",
            FROM,
            "nina@aalst.example",
        ),
    ]
    assert mails[0].body == (
        "Uw aanvraag is goedgekeurd. Meld u aan in het Loket (https://loket.example.org/) om de modules te openen: "
        "Berichtencentrum, Toezicht.\n"
        "Niet toegekend: BBC-DR, Leidinggevendenbeheer, Mandatenbeheer, Personeelsbeheer, Subsidiebeheer.\n"
        "Toelichting: Subsidies via de financiële dienst\n"
    )
    run_worker()  # the queue is empty: nothing is sent twice
    assert len(smtp_server.messages) == 1


def test_granting_roles_that_were_not_asked_is_refused(client, municipality, helpdesk, newcomer):  # type: ignore[no-untyped-def]
    access_request = file_request(client, newcomer, municipality, email="nina@aalst.example", roles=["toezicht"])
    client.force_login(helpdesk)
    response = client.post(
        f"/toegangsbeheer/aanvragen/{access_request.pk}/", {"decision": "approve", "roles": ["toezicht", "bbcdr"]}
    )
    assert response.status_code == 400
    response = client.post(f"/toegangsbeheer/aanvragen/{access_request.pk}/", {"decision": "approve"})
    assert response.status_code == 400
    assert "Kies minstens één rol om toe te kennen, of weiger de aanvraag." in response.content.decode()
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.PENDING
    assert not Membership.objects.filter(user=newcomer).exists()


def test_request_mail_goes_to_every_access_manager(
    client, smtp_server, run_worker, municipality, agency, helpdesk, newcomer
):
    colleague = make_user("carl-colleague", email="carl@abb.example")
    grant(colleague, agency, [Role.ACCESS_MANAGER])
    supervisor_only = make_user("sven-supervisor", email="sven@abb.example")
    grant(supervisor_only, agency, [Role.SUPERVISOR])

    file_request(client, newcomer, municipality, email="nina@aalst.example")
    run_worker()

    assert [(m.rcpt_tos, m.subject) for m in smtp_server.messages if m.subject.startswith("Nieuwe")] == [
        (("carl@abb.example", "hilde-helpdesk@example.org"), "Nieuwe toegangsaanvraag voor Aalst"),
    ]


def test_request_mail_goes_to_the_helpdesk_when_the_manager_has_no_access_managers(
    client, smtp_server, run_worker, worship_board, newcomer, settings
):
    settings.LOKET_HELPDESK_EMAIL = "helpdesk@loket.test"
    file_request(client, newcomer, worship_board, email="nina@kerk.example")
    run_worker()

    assert [(m.rcpt_tos, m.subject) for m in smtp_server.messages if m.subject.startswith("Nieuwe")] == [
        (("helpdesk@loket.test",), "Nieuwe toegangsaanvraag voor St.-Margarita (Tielen)"),
    ]


def test_refusal_mail(client, smtp_server, run_worker, municipality, helpdesk, newcomer):
    access_request = file_request(client, newcomer, municipality, email="nina@aalst.example")
    run_worker()
    smtp_server.clear()

    client.force_login(helpdesk)
    refused_without_reason = client.post(
        f"/toegangsbeheer/aanvragen/{access_request.pk}/", {"decision": "refuse", "reason": "  "}
    )
    assert refused_without_reason.status_code == 400
    response = client.post(
        f"/toegangsbeheer/aanvragen/{access_request.pk}/", {"decision": "refuse", "reason": "Geen lid van het bestuur"}
    )
    assert response.status_code == 302
    run_worker()

    mails = smtp_server.messages
    assert [(m.rcpt_tos, m.subject) for m in mails] == [
        (("nina@aalst.example",), "Uw toegangsaanvraag voor Aalst is geweigerd"),
    ]
    assert mails[0].body == "Uw aanvraag is geweigerd.\nReden: Geen lid van het bestuur\n"
    assert not Membership.objects.filter(user=newcomer).exists()
