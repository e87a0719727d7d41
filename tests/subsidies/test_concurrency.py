"""Two tabs send the same step at the same moment (PostgreSQL: real row locks): one is sent, the other is told it
was already sent; one ledger entry."""

import threading

import pytest
import time_machine
from django.db import connection

from loket.core.errors import ConflictError
from loket.core.ledger_models import LedgerEntry
from loket.subsidies import services
from loket.subsidies.models import ApplicationForm, Dossier
from tests.subsidies.conftest import brussels, valid_data

NOW = brussels(2026, 6, 1, 10, 0)


@pytest.mark.django_db(transaction=True)
def test_two_tabs_send_at_once(call, municipality, subsidies_clerk):  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL); SQLite serialises writers by itself")
    with time_machine.travel(NOW, tick=True):
        dossier = services.dossier_start(call=call, organisation=municipality, actor=subsidies_clerk)
        first = call.flow.steps.get(order=0)
        data = valid_data(services.form_for(dossier=dossier, step=first))
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def tab() -> None:
            try:
                barrier.wait()
                services.step_save_and_submit(
                    dossier=Dossier.objects.get(pk=dossier.pk), step=first, actor=subsidies_clerk, data=data
                )
                outcomes.append("sent")
            except ConflictError:
                outcomes.append("conflict")
            finally:
                connection.close()

        threads = [threading.Thread(target=tab) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(outcomes) == ["conflict", "sent"]
    assert LedgerEntry.objects.count() == 1
    assert ApplicationForm.objects.get().sent_entry_id is not None
