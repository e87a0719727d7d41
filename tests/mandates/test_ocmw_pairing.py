"""The OCMW of a gemeente is paired from the reference data (a Gemeente and an OCMW with the same name in the same
province), never by the name alone for another kind of unit."""

import pytest

from loket.mandates.models import OcmwPairing
from loket.mandates.organs import decretal_organs_create, ocmw_pairings_create
from loket.mandates.validation import is_facility_municipality, ocmw_of
from loket.organisations.models import Organisation
from tests.conftest import _kind, make_organisation

pytestmark = pytest.mark.django_db

OCMW = "5ab0e9b8a3b2ca7c5e000002"
PROVINCE = "5ab0e9b8a3b2ca7c5e000000"
DISTRICT = "5ab0e9b8a3b2ca7c5e000003"
MUNICIPALITY = "5ab0e9b8a3b2ca7c5e000001"


def unit(key: str, name: str, code: str, label: str, category: str, province: str = "") -> Organisation:
    made = make_organisation(
        key=f"cccc0000-0000-0000-0000-{key:0>12}",
        name=name,
        kbo="",
        kind=_kind(code, label, category),
        target_group=None,
    )
    made.province = province
    made.save()
    return made


def test_the_ocmw_fixture_is_paired_whichever_is_made_first(organs, municipality, ocmw):  # type: ignore[no-untyped-def]
    assert ocmw_of(municipality) == ocmw
    assert OcmwPairing.objects.get().municipality == municipality


def test_a_province_or_district_with_an_ocmws_name_has_no_ocmw(db):  # type: ignore[no-untyped-def]
    city = unit("1", "Antwerpen", MUNICIPALITY, "Gemeente", "municipality", "Antwerpen")
    ocmw = unit("2", "Antwerpen", OCMW, "OCMW", "ocmw", "Antwerpen")
    province = unit("3", "Antwerpen", PROVINCE, "Provincie", "province", "Antwerpen")
    district = unit("4", "Antwerpen", DISTRICT, "District", "district", "Antwerpen")
    decretal_organs_create(organisations=[province, district, ocmw, city])
    assert ocmw_of(city) == ocmw
    assert ocmw_of(province) is None and ocmw_of(district) is None
    assert OcmwPairing.objects.count() == 1


def test_same_name_in_another_province_is_no_pair(db):  # type: ignore[no-untyped-def]
    city = unit("5", "Sint-Niklaas", MUNICIPALITY, "Gemeente", "municipality", "Oost-Vlaanderen")
    unit("6", "Sint-Niklaas", OCMW, "OCMW", "ocmw", "Limburg")
    assert ocmw_pairings_create() == 0
    assert ocmw_of(city) is None


def test_pairing_is_idempotent(db):  # type: ignore[no-untyped-def]
    unit("7", "Gent", MUNICIPALITY, "Gemeente", "municipality", "Oost-Vlaanderen")
    unit("8", "Gent", OCMW, "OCMW", "ocmw", "Oost-Vlaanderen")
    assert (ocmw_pairings_create(), ocmw_pairings_create()) == (1, 0)


def test_only_a_gemeente_is_a_faciliteitengemeente(db):  # type: ignore[no-untyped-def]
    voeren = unit("9", "Voeren", MUNICIPALITY, "Gemeente", "municipality", "Limburg")
    ocmw = unit("10", "Voeren", OCMW, "OCMW", "ocmw", "Limburg")
    assert is_facility_municipality(voeren) and not is_facility_municipality(ocmw)


def test_the_real_reference_pairs_every_gemeente_with_its_ocmw():  # type: ignore[no-untyped-def]
    """organisations.csv: 319 Gemeenten and 319 OCMWs, each pair with one name in one province."""
    import csv

    from django.conf import settings

    rows = list(csv.DictReader((settings.REPO_DIR / "data" / "organisations.csv").open(encoding="utf-8")))
    base = "http://data.vlaanderen.be/id/concept/BestuurseenheidClassificatieCode/"
    keys = {
        code: [
            (r["name"].strip().lower(), r["province"].strip().lower())
            for r in rows
            if r["classification_uri"] == base + code
        ]
        for code in (MUNICIPALITY, OCMW)
    }
    assert len(keys[MUNICIPALITY]) == len(set(keys[MUNICIPALITY])) == 319
    assert set(keys[MUNICIPALITY]) == set(keys[OCMW])
