"""The data migration that turns free-text policy domains into the code list's URIs."""

import importlib

import pytest
from django.apps import apps

from loket.mandates.codes import POLICY_DOMAIN
from loket.mandates.models import Holder
from tests.mandates.test_holders import values

pytestmark = pytest.mark.django_db

migration = importlib.import_module("loket.mandates.migrations.0004_policy_domains_as_codes")


def test_labels_become_uris_and_other_text_is_dropped(councillor, jan, fractie, clerk):  # type: ignore[no-untyped-def]
    from loket.mandates.services import holder_create

    holder, _ = holder_create(mandate=councillor, person=jan, values=values(fractie=fractie), actor=clerk)
    Holder.objects.filter(pk=holder.pk).update(policy_domains=["cultuur", "Sport", "iets anders", "Cultuur"])
    migration.labels_to_uris(apps, None)
    holder.refresh_from_db()
    assert holder.policy_domains == [
        POLICY_DOMAIN + "5ab10d3a4c934f28dc000040",
        POLICY_DOMAIN + "5ab10d3a4c934f28dc0000a2",
    ]
