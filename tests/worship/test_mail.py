"""The daily mail to subscribed receivers: new decisions delivered to them, not their own, once."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from loket.worship.models import MailSubscription
from loket.worship.services import InvolvementInput, involvements_save
from tests.worship.conftest import BUDGET_TO_SUPERVISOR, sent_decision

pytestmark = pytest.mark.django_db


def test_subscribed_receiver_gets_one_mail_with_the_new_decisions(  # type: ignore[no-untyped-def]
    units,
    agency,
    municipality,
    other_municipality,
    smtp_server,
    run_worker,
):
    involvements_save(
        unit=units["board"],
        rows=[InvolvementInput(organisation=municipality, type="toezichthoudend", percentage=Decimal("100"))],
        actor=None,
    )
    MailSubscription.objects.create(organisation=municipality, email="toezicht@aalst.example")
    MailSubscription.objects.create(organisation=other_municipality, email="toezicht@berlare.example")
    decision = sent_decision(units["board"].organisation, BUDGET_TO_SUPERVISOR)
    call_command("worship", "mail", verbosity=0)
    run_worker()
    assert [m.rcpt_tos for m in smtp_server.messages] == [("toezicht@aalst.example",)]
    mail = smtp_server.messages[0]
    assert mail.subject == "Loket: 1 nieuwe besluiten van erediensten"
    assert f"/toezichthouder/inzendingen/{decision.uuid}/" in mail.body
    assert "St.-Margarita (Tielen)" in mail.body
    smtp_server.clear()
    call_command("worship", "mail", verbosity=0)
    run_worker()
    assert smtp_server.messages == []
