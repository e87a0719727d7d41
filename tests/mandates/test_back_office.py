"""Agency staff undo a ratification in the back office, with a reason (audited); clerks cannot."""

from datetime import date

import pytest

from loket.core.models import AuditEvent
from loket.mandates.codes import Publication, Status
from loket.mandates.services import HolderValues, holder_create, holder_set_publication

pytestmark = pytest.mark.django_db


def test_agency_undoes_a_ratification_with_a_reason(client, helpdesk, clerk, councillor, jan, fractie):  # type: ignore[no-untyped-def]
    holder, _ = holder_create(
        mandate=councillor,
        person=jan,
        actor=clerk,
        values=HolderValues(
            start=date(2025, 1, 6), status=Status.EFFECTIVE, rangorde="Eerste gemeenteraadslid", fractie=fractie
        ),
    )
    holder_set_publication(holder=holder, publication=Publication.RATIFIED, decision_link="https://x.be/b", actor=clerk)
    url = f"/helpdesk/mandates/holder/{holder.pk}/bekrachtiging-ongedaan/"
    client.force_login(clerk)
    assert client.post(url, {"reason": "x"}).status_code == 302  # to the back-office login
    holder.refresh_from_db()
    assert holder.publication == Publication.RATIFIED
    client.force_login(helpdesk)
    assert "Ongedaan maken" in client.get("/helpdesk/mandates/holder/").content.decode()
    assert client.post(url, {"reason": " "}).status_code == 400
    holder.refresh_from_db()
    assert holder.publication == Publication.RATIFIED
    assert client.post(url, {"reason": "Verkeerd besluit"}).status_code == 302
    holder.refresh_from_db()
    assert holder.publication == Publication.NOT_RATIFIED
    assert AuditEvent.objects.get(action="mandate_holder.unratified").details["reason"] == "Verkeerd besluit"
