"""Decretal organs per legislature period, made by the command, read-only for clerks."""

from datetime import date

import pytest
from django.core.management import call_command

from loket.mandates.codes import OrganKind, RoleCode
from loket.mandates.models import Mandate, Organ, OrganTerm

pytestmark = pytest.mark.django_db


def test_command_makes_the_decretal_organs_of_a_gemeente_idempotently(municipality, other_municipality):  # type: ignore[no-untyped-def]
    call_command("mandates", "organs")
    kinds = set(Organ.objects.filter(organisation=municipality).values_list("kind", flat=True))
    assert kinds == {OrganKind.COUNCIL, OrganKind.COLLEGE, OrganKind.MAYOR}
    assert OrganTerm.objects.filter(organ__organisation=municipality).count() == 9
    term = OrganTerm.objects.get(organ__organisation=municipality, organ__kind=OrganKind.COUNCIL, period="2024")
    assert (term.binding_start, term.binding_end) == (date(2024, 12, 2), None)
    roles = dict(Mandate.objects.filter(term=term).values_list("role", "seats"))
    assert roles == {RoleCode.COUNCILLOR: None, RoleCode.COUNCIL_CHAIR: 1}
    counts = (Organ.objects.count(), OrganTerm.objects.count(), Mandate.objects.count())
    call_command("mandates", "organs")
    assert (Organ.objects.count(), OrganTerm.objects.count(), Mandate.objects.count()) == counts


def test_the_agency_has_no_organs(agency):  # type: ignore[no-untyped-def]
    call_command("mandates", "organs")
    assert not Organ.objects.filter(organisation=agency).exists()


def test_ocmw_gets_rmw_vast_bureau_and_bcsd(ocmw):  # type: ignore[no-untyped-def]
    kinds = set(Organ.objects.filter(organisation=ocmw).values_list("kind", flat=True))
    assert kinds == {OrganKind.WELFARE_COUNCIL, OrganKind.PERMANENT_BUREAU, OrganKind.SOCIAL_COMMITTEE}


def test_organ_page_per_period(client, clerk, organs):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    body = client.get("/mandaten/").content.decode()
    assert "Gemeenteraad" in body and "Gemeenteraadslid: 0 / ?" in body
    assert "Voorzitter van de gemeenteraad: 0 / 1" in body
    body = client.get("/mandaten/?periode=2019").content.decode()
    assert "01-01-2019 – 01-12-2024" in body


def test_organs_are_read_only_in_the_back_office(client, helpdesk, organs):  # type: ignore[no-untyped-def]
    from django.contrib import admin

    assert Organ not in admin.site._registry
    assert OrganTerm not in admin.site._registry
