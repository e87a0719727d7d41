"""Holders with versions: create, Wijziging, Correctie, replacement, delete, rules at save, through services and
the pages."""

from datetime import date

import pytest

from loket.core.errors import DomainError, PermissionDeniedError
from loket.core.models import AuditEvent
from loket.mandates.codes import Publication, RoleCode, Status
from loket.mandates.models import Holder
from loket.mandates.rules import rangorde_is_valid
from loket.mandates.services import (
    HolderValues,
    holder_change,
    holder_correct,
    holder_create,
    holder_delete,
    holder_replace,
    holder_set_publication,
)
from loket.persons.models import Person
from loket.persons.selectors import person_by_national_number
from tests.mandates.conftest import JAN_NUMBER, mandate, rrn

pytestmark = pytest.mark.django_db

START = date(2025, 1, 6)


def values(**changes):  # type: ignore[no-untyped-def]
    base = {"start": START, "end": None, "status": Status.EFFECTIVE, "rangorde": "Eerste gemeenteraadslid"}
    base.update(changes)
    return HolderValues(**base)


def test_create_needs_a_fractie_for_the_gemeenteraad(councillor, jan, fractie, clerk):  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as error:
        holder_create(mandate=councillor, person=jan, values=values(), actor=clerk)
    assert "fractie" in error.value.fields
    holder, warnings = holder_create(mandate=councillor, person=jan, values=values(fractie=fractie), actor=clerk)
    assert (holder.publication, warnings) == (Publication.NOT_RATIFIED, [])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": None}, "start"),
        ({"status": ""}, "status"),
        ({"start": date(2024, 12, 1)}, "start"),  # before the period
        ({"end": START}, "end"),  # not after start
        ({"rangorde": "Eerst gemeenteraadslid"}, "rangorde"),
        ({"status": Status.TITULAR}, "status"),  # only for a burgemeester
    ],
)
def test_rules_at_save_fail(councillor, jan, fractie, clerk, change, field):  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as error:
        holder_create(mandate=councillor, person=jan, values=values(fractie=fractie, **change), actor=clerk)
    assert field in error.value.fields
    assert not Holder.objects.exists()


def test_end_outside_the_period_is_a_warning(organs, municipality, jan, fractie, clerk):  # type: ignore[no-untyped-def]
    old = mandate(municipality, RoleCode.COUNCILLOR, "2019")
    _holder, warnings = holder_create(
        mandate=old,
        person=jan,
        values=values(start=date(2019, 1, 2), end=date(2025, 1, 1), fractie=fractie),
        actor=clerk,
    )
    assert warnings == ["De einddatum ligt buiten de bestuursperiode van het orgaan."]


def test_burgemeester_rules(organs, municipality, jan, fractie, clerk):  # type: ignore[no-untyped-def]
    mayor = mandate(municipality, RoleCode.MAYOR)
    with pytest.raises(DomainError):
        holder_create(
            mandate=mayor, person=jan, values=values(rangorde="", status=Status.PREVENTED, fractie=fractie), actor=clerk
        )
    holder, _ = holder_create(
        mandate=mayor, person=jan, values=values(rangorde="", status=Status.TITULAR, fractie=fractie), actor=clerk
    )
    assert holder.status == Status.TITULAR


def test_fractie_refused_for_bcsd(ocmw, jan, clerk):  # type: ignore[no-untyped-def]
    from loket.mandates.services import fractie_create

    other = fractie_create(organisation=ocmw, name="X", actor=clerk)
    with pytest.raises(DomainError) as error:
        holder_create(
            mandate=mandate(ocmw, RoleCode.SOCIAL_MEMBER),
            person=jan,
            values=values(rangorde="", fractie=other),
            actor=clerk,
        )
    assert "fractie" in error.value.fields


def test_overlapping_versions_are_refused(councillor, jan, fractie, clerk):  # type: ignore[no-untyped-def]
    holder_create(mandate=councillor, person=jan, values=values(fractie=fractie, end=date(2026, 1, 1)), actor=clerk)
    with pytest.raises(DomainError) as error:
        holder_create(
            mandate=councillor, person=jan, values=values(start=date(2025, 12, 1), fractie=fractie), actor=clerk
        )
    assert "overlappende" in str(error.value.message)
    # Starting where the other ends is no overlap.
    holder_create(mandate=councillor, person=jan, values=values(start=date(2026, 1, 1), fractie=fractie), actor=clerk)


def test_wijziging_ends_the_version_and_starts_a_new_one(councillor, jan, fractie, clerk):  # type: ignore[no-untyped-def]
    holder, _ = holder_create(mandate=councillor, person=jan, values=values(fractie=fractie), actor=clerk)
    holder_set_publication(
        holder=holder, publication=Publication.RATIFIED, decision_link="https://x.be/b/1", actor=clerk
    )
    new, _ = holder_change(
        holder=holder,
        at=date(2025, 6, 1),
        values=values(rangorde="Tweede gemeenteraadslid", fractie=fractie),
        actor=clerk,
    )
    holder.refresh_from_db()
    assert (holder.end, holder.publication) == (date(2025, 6, 1), Publication.RATIFIED)
    assert (new.start, new.end, new.rangorde, new.publication, new.previous) == (
        date(2025, 6, 1),
        None,
        "Tweede gemeenteraadslid",
        Publication.NOT_RATIFIED,
        holder,
    )
    from loket.mandates.selectors import holder_history

    assert holder_history(holder=new) == [holder, new]
    with pytest.raises(DomainError):  # only the latest version changes
        holder_change(holder=holder, at=date(2025, 3, 1), values=values(fractie=fractie), actor=clerk)


def test_wijziging_date_must_be_inside_the_version(councillor, jan, fractie, clerk):  # type: ignore[no-untyped-def]
    holder, _ = holder_create(mandate=councillor, person=jan, values=values(fractie=fractie), actor=clerk)
    with pytest.raises(DomainError):
        holder_change(holder=holder, at=START, values=values(fractie=fractie), actor=clerk)
    assert Holder.objects.count() == 1


def test_moving_to_another_fractie_only_as_correction(councillor, jan, fractie, clerk, municipality):  # type: ignore[no-untyped-def]
    from loket.mandates.services import fractie_create, fractie_independent_for

    other = fractie_create(organisation=municipality, name="Ander Aalst", actor=clerk)
    holder, _ = holder_create(mandate=councillor, person=jan, values=values(fractie=fractie), actor=clerk)
    with pytest.raises(DomainError):
        holder_change(holder=holder, at=date(2025, 6, 1), values=values(fractie=other), actor=clerk)
    independent = fractie_independent_for(organisation=municipality, person=jan)
    assert fractie_independent_for(organisation=municipality, person=jan) == independent
    new, _ = holder_change(holder=holder, at=date(2025, 6, 1), values=values(fractie=independent), actor=clerk)
    assert new.fractie == independent
    corrected, _ = holder_correct(holder=new, values=values(start=date(2025, 6, 1), fractie=other), actor=clerk)
    assert corrected.fractie == other


def test_correctie_in_place_but_never_on_a_ratified_row(councillor, jan, fractie, clerk):  # type: ignore[no-untyped-def]
    holder, _ = holder_create(mandate=councillor, person=jan, values=values(fractie=fractie), actor=clerk)
    corrected, _ = holder_correct(holder=holder, values=values(start=date(2025, 1, 7), fractie=fractie), actor=clerk)
    assert (corrected.pk, corrected.start) == (holder.pk, date(2025, 1, 7))
    holder_set_publication(holder=holder, publication=Publication.RATIFIED, decision_link="http://x.be/b", actor=clerk)
    with pytest.raises(PermissionDeniedError):
        holder_correct(holder=holder, values=values(start=date(2025, 1, 8), fractie=fractie), actor=clerk)
    holder.refresh_from_db()
    assert holder.start == date(2025, 1, 7)


def test_publication_rules(councillor, jan, fractie, clerk, helpdesk, ocmw):  # type: ignore[no-untyped-def]
    holder, _ = holder_create(mandate=councillor, person=jan, values=values(fractie=fractie), actor=clerk)
    for link in ("", "ftp://x.be/b", "javascript:alert(1)"):
        with pytest.raises(DomainError):
            holder_set_publication(holder=holder, publication=Publication.RATIFIED, decision_link=link, actor=clerk)
    holder_set_publication(holder=holder, publication=Publication.RATIFIED, decision_link="https://x.be/b", actor=clerk)
    with pytest.raises(PermissionDeniedError):
        holder_set_publication(holder=holder, publication=Publication.NOT_RATIFIED, actor=clerk)
    with pytest.raises(DomainError):
        holder_set_publication(holder=holder, publication=Publication.NOT_RATIFIED, actor=helpdesk, as_agency=True)
    holder_set_publication(
        holder=holder, publication=Publication.NOT_RATIFIED, actor=helpdesk, as_agency=True, reason="Verkeerd besluit"
    )
    event = AuditEvent.objects.get(action="mandate_holder.unratified")
    assert event.details["reason"] == "Verkeerd besluit"
    member, _ = holder_create(
        mandate=mandate(ocmw, RoleCode.WELFARE_MEMBER), person=jan, values=values(rangorde=""), actor=clerk
    )
    with pytest.raises(DomainError):
        holder_set_publication(
            holder=member, publication=Publication.RATIFIED, decision_link="https://x.be/b", actor=clerk
        )


def test_delete_only_while_not_ratified_leaves_a_tombstone(councillor, jan, fractie, clerk):  # type: ignore[no-untyped-def]
    holder, _ = holder_create(mandate=councillor, person=jan, values=values(fractie=fractie), actor=clerk)
    holder_delete(holder=holder, actor=clerk)
    holder.refresh_from_db()
    assert holder.deleted_at is not None
    other, _ = holder_create(mandate=councillor, person=jan, values=values(fractie=fractie), actor=clerk)
    holder_set_publication(holder=other, publication=Publication.RATIFIED, decision_link="https://x.be", actor=clerk)
    with pytest.raises(PermissionDeniedError):
        holder_delete(holder=other, actor=clerk)


def test_verhinderd_replaced_by_a_waarnemend_holder(councillor, jan, els, fractie, clerk):  # type: ignore[no-untyped-def]
    holder, _ = holder_create(
        mandate=councillor, person=jan, values=values(status=Status.PREVENTED, fractie=fractie), actor=clerk
    )
    with pytest.raises(DomainError):
        holder_replace(holder=holder, person=jan, start=START, actor=clerk)
    replacement = holder_replace(holder=holder, person=els, start=START, actor=clerk)
    holder.refresh_from_db()
    assert holder.replaced_by == replacement
    assert (replacement.status, replacement.rangorde, replacement.publication) == (
        Status.ACTING,
        "",
        Publication.NOT_RATIFIED,
    )


def test_rangorde_words():  # type: ignore[no-untyped-def]
    assert rangorde_is_valid("Vierenveertigste gemeenteraadslid")
    assert rangorde_is_valid("eerste schepen")
    assert not rangorde_is_valid("Vijfenveertigste schepen")
    assert not rangorde_is_valid("Eerste")


# --- pages ---------------------------------------------------------------------------------------------------------


def test_new_holder_page_with_a_new_person_prefilled_from_rrn(client, clerk, councillor, fractie):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    term = councillor.term
    number = rrn(date(2001, 5, 17), 4)
    response = client.post(
        f"/mandaten/organen/{term.uuid}/nieuw/",
        {
            "given_names": "Lotte",
            "family_name": "Wouters",
            "national_number": number,
            "mandate": councillor.pk,
            "start": "2025-01-06",
            "status": "effectief",
            "rangorde": "Derde gemeenteraadslid",
            "fractie": fractie.pk,
        },
    )
    assert response.status_code == 302
    person = person_by_national_number(number)
    assert person is not None
    assert (person.birth_date, person.sex) == (date(2001, 5, 17), "female")
    assert Holder.objects.get(person=person).rangorde == "Derde gemeenteraadslid"
    body = client.get(f"/mandaten/organen/{term.uuid}/").content.decode()
    assert "Lotte Wouters" in body and number not in body


def test_new_holder_page_bad_rrn_changes_nothing(client, clerk, councillor, fractie):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    response = client.post(
        f"/mandaten/organen/{councillor.term.uuid}/nieuw/",
        {
            "given_names": "Lotte",
            "family_name": "Wouters",
            "national_number": "01051700499",
            "mandate": councillor.pk,
            "start": "2025-01-06",
            "status": "effectief",
            "fractie": fractie.pk,
        },
    )
    assert response.status_code == 400
    assert "Dit rijksregisternummer klopt niet" in response.content.decode()
    assert not Person.objects.filter(family_name="Wouters").exists() and not Holder.objects.exists()


def test_the_person_search_is_posted_so_a_national_register_number_never_reaches_a_url(  # type: ignore[no-untyped-def]
    client, clerk, councillor, jan, fractie
):
    client.force_login(clerk)
    url = f"/mandaten/organen/{councillor.term.uuid}/nieuw/"
    page = client.get(url).content.decode()
    assert '<form method="post" role="search">' in page and 'method="get"' not in page
    found = client.post(url, {"zoek": JAN_NUMBER, "zoeken": "1"})
    assert found.status_code == 200
    body = found.content.decode()
    assert f'value="{jan.uuid}"' in body and "Jan Peeters" in body
    assert not Holder.objects.exists()  # the search is not the page's form: nothing saved, no errors shown
    assert "errorlist" not in body and "error-summary" not in body
    # The page's own form carries the search along: an error shows the persons found again.
    again = client.post(url, {"zoek": "Peeters", "mandate": councillor.pk, "start": "", "status": "effectief"})
    assert again.status_code == 400 and f'value="{jan.uuid}"' in again.content.decode()
    # In the address the number searches nothing.
    assert f'value="{jan.uuid}"' not in client.get(url, {"zoek": JAN_NUMBER}).content.decode()


def test_the_replacement_page_finds_the_replacement_by_a_posted_search(  # type: ignore[no-untyped-def]
    client, clerk, councillor, jan, els, fractie
):
    holder, _ = holder_create(mandate=councillor, person=jan, values=values(fractie=fractie), actor=clerk)
    client.force_login(clerk)
    url = f"/mandaten/mandatarissen/{holder.uuid}/vervanging/"
    page = client.post(url, {"zoek": "Claes", "zoeken": "1"})
    assert page.status_code == 200 and f'value="{els.uuid}"' in page.content.decode()
    assert Holder.objects.count() == 1


def test_holder_page_wijziging_and_history(client, clerk, councillor, jan, fractie):  # type: ignore[no-untyped-def]
    holder, _ = holder_create(mandate=councillor, person=jan, values=values(fractie=fractie), actor=clerk)
    client.force_login(clerk)
    response = client.post(
        f"/mandaten/mandatarissen/{holder.uuid}/",
        {
            "kind": "wijziging",
            "at": "2025-09-01",
            "mandate": councillor.pk,
            "start": "2025-01-06",
            "status": "effectief",
            "rangorde": "Tweede gemeenteraadslid",
            "fractie": fractie.pk,
        },
    )
    assert response.status_code == 302
    new = Holder.objects.get(previous=holder)
    body = client.get(response["Location"]).content.decode()
    assert "Tweede gemeenteraadslid" in body and "Eerste gemeenteraadslid" in body
    assert f"/mandaten/mandatarissen/{holder.uuid}/" in body and new.start == date(2025, 9, 1)


def test_another_organisations_holder_is_404(client, stranger, councillor, jan, fractie, clerk):  # type: ignore[no-untyped-def]
    holder, _ = holder_create(mandate=councillor, person=jan, values=values(fractie=fractie), actor=clerk)
    client.force_login(stranger)
    assert client.get(f"/mandaten/mandatarissen/{holder.uuid}/").status_code == 404
    assert client.post(f"/mandaten/mandatarissen/{holder.uuid}/verwijderen/").status_code == 404
    holder.refresh_from_db()
    assert holder.deleted_at is None


@pytest.mark.usefixtures("fresh_throttle")
def test_both_person_searches_of_mandates_refuse_beyond_the_hourly_limit(  # type: ignore[no-untyped-def]
    client, clerk, councillor, jan, fractie, settings
):
    settings.LOKET_PERSON_SEARCH_LIMIT = 1
    holder, _ = holder_create(mandate=councillor, person=jan, values=values(fractie=fractie), actor=clerk)
    client.force_login(clerk)
    new = f"/mandaten/organen/{councillor.term.uuid}/nieuw/"
    assert client.post(new, {"zoek": "Peeters", "zoeken": "1"}).status_code == 200
    refused = client.post(new, {"zoek": "Peeters", "zoeken": "1"})
    assert refused.status_code == 429 and f'value="{jan.uuid}"' not in refused.content.decode()
    assert "Geen persoon gevonden" not in refused.content.decode()  # no invitation to make a duplicate person
    replaced = client.post(f"/mandaten/mandatarissen/{holder.uuid}/vervanging/", {"zoek": "Peeters", "zoeken": "1"})
    assert replaced.status_code == 429 and "meer mag niet" in replaced.content.decode()
    assert Holder.objects.count() == 1


@pytest.mark.parametrize("language", ["nl", "en"])
def test_holder_page_form_shows_the_dates_so_a_correction_keeps_them(  # type: ignore[no-untyped-def]
    client, clerk, councillor, jan, fractie, language
):
    """A date input takes only yyyy-mm-dd: the Dutch 02-12-2024 left the Begin field empty (found by walk 4)."""
    holder, _ = holder_create(
        mandate=councillor, person=jan, values=values(fractie=fractie, end=date(2030, 12, 31)), actor=clerk
    )
    client.force_login(clerk)
    client.cookies["django_language"] = language
    body = client.get(f"/mandaten/mandatarissen/{holder.uuid}/").content.decode()
    assert 'name="start" value="2025-01-06"' in body
    assert 'name="end" value="2030-12-31"' in body
