"""The open-data channels carry Subsidiebeheer's public facts: after a rebuild and a check of the store, the
dataset's dump holds the dossier's status and never the form content."""

import gzip

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command

from loket.subsidies import services
from tests.subsidies.conftest import brussels, valid_data

pytestmark = pytest.mark.django_db


def test_rebuild_check_and_dump_carry_the_public_facts_only(call, municipality, subsidies_clerk):  # type: ignore[no-untyped-def]
    from loket.opendata.dumps import dump_dataset

    with time_machine.travel(brussels(2026, 6, 1, 10), tick=False):
        dossier = services.dossier_start(call=call, organisation=municipality, actor=subsidies_clerk)
        first = call.flow.steps.get(order=0)
        form = services.form_for(dossier=dossier, step=first)
        services.step_save_and_submit(dossier=dossier, step=first, actor=subsidies_clerk, data=valid_data(form))
    call_command("opendata", "rebuild")
    call_command("opendata", "check")
    result = dump_dataset("subsidies")
    with default_storage.open(result.files[0].storage_name) as stream:
        text = gzip.decompress(stream.read()).decode("utf-8")
    assert dossier.uri in text and "2ea29fbf-6d46-4f08-9343-879282a9f484" in text  # Aanvraag ingediend
    assert "Fietspad" not in text and form.uri not in text and "info@example.org" not in text
